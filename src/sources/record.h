// What a pollution-source monitoring device (数采仪) reports, as plain values: the time of a record, the kind
// of data (CN 2011 real-time, 2051 minute, 2061 hourly, 2031 daily), and per pollutant the exact reported
// values (Rtd, Avg, ZsRtd, ZsAvg as Decimal) with the HJ 212 data flag (数据标记 N F M S D C T B).
//
// The registry, the event tracker (events.h) and the transmission rates (rates.h) all take these records; the
// gateway and the store make them from decoded HJ 212 messages with record_of().
//
//   sources::MonitoringRecord r;
//   r.mn = "010000A8900016F000169DC0";
//   r.kind = sources::DataKind::kHourly;                       // CN=2061
//   r.data_time = sources::SourceTime::of(CivilDay::from_ymd(2024, 3, 1), 10);   // the hour 10:00-11:00
//   r.values.push_back({.code = "a21026", .avg = Decimal{1203, 1}, .flag = sources::DataFlag::kNormal});
//   // or, from a decoded frame:
//   StatusOr<sources::MonitoringRecord> rec = sources::record_of(message);
//
// Everything here is a value type: copyable, no references into other objects, no clock. Functions are pure
// and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "ingest/hj212/codec.h"

namespace ecomon::sources {

inline constexpr int64_t kSecondsPerMinute = 60;
inline constexpr int64_t kSecondsPerHour = 3600;
inline constexpr int64_t kSecondsPerDay = 86400;
// Civil (Beijing) time is UTC+8 the whole year (China keeps no daylight saving time).
inline constexpr int64_t kBeijingOffsetS = 8 * kSecondsPerHour;

// A civil (Beijing) time to the second, as seconds since 1970-01-01 00:00 of the same clock. HJ 212 DataTime
// and the store's yyyymmddhhmmss keys convert to it without any time-zone arithmetic.
struct SourceTime {
  int64_t seconds = 0;

  static constexpr SourceTime of_seconds(int64_t s) { return SourceTime{s}; }
  // The civil time of a UTC instant given as seconds since the Unix epoch (a clock's reading).
  static constexpr SourceTime of_utc_seconds(int64_t utc_s) { return SourceTime{utc_s + kBeijingOffsetS}; }
  static SourceTime of(CivilDay day, int hour = 0, int minute = 0, int second = 0);
  // From the store's key form yyyymmddhhmmss (e.g. 20240301100000); fails on an impossible time.
  static StatusOr<SourceTime> from_digits(int64_t yyyymmddhhmmss);
  // From "YYYY-MM-DD hh:mm[:ss]" or "YYYY-MM-DDThh:mm[:ss]" (case files, CLI).
  static StatusOr<SourceTime> parse(std::string_view text);
  // From an HJ 212 timestamp; milliseconds are dropped.
  static SourceTime from_timestamp(const hj212::Timestamp& t);

  CivilDay day() const;
  int64_t to_digits() const;      // yyyymmddhhmmss
  std::string to_string() const;  // "2024-03-01 10:00:00"
  constexpr SourceTime operator+(int64_t s) const { return SourceTime{seconds + s}; }
  constexpr SourceTime operator-(int64_t s) const { return SourceTime{seconds - s}; }
  constexpr int64_t operator-(SourceTime o) const { return seconds - o.seconds; }
  constexpr auto operator<=>(const SourceTime&) const = default;
};

// A half-open span of civil time [begin, end).
struct TimeSpan {
  SourceTime begin;
  SourceTime end;
  bool contains(SourceTime t) const { return begin <= t && t < end; }
  bool overlaps(const TimeSpan& o) const { return begin < o.end && o.begin < end; }
  bool operator==(const TimeSpan&) const = default;
};

// The data uploads that carry measurements, by their HJ 212 command code (CN).
enum class DataKind : uint8_t {
  kRealtime,  // 2011 实时数据: DataTime is the acquisition time; every RtdInterval seconds
  kMinute,    // 2051 分钟数据: DataTime is the start of the MinInterval-minute period
  kHourly,    // 2061 小时数据: DataTime is the start of the hour
  kDaily,     // 2031 日数据: DataTime is the start of the day (00:00)
};
inline constexpr int kDataKindCount = 4;
uint16_t command_of(DataKind kind);                              // 2011, 2051, 2061, 2031
std::optional<DataKind> data_kind_of(uint16_t command);          // nullopt for CNs that carry no measurements
std::string_view data_kind_name(DataKind kind);                  // "realtime", "minute", "hourly", "daily"
std::optional<DataKind> parse_data_kind(std::string_view name);  // the names above or the CN digits

// The HJ 212-2017 data flags (Table 8, 数据标记).
enum class DataFlag : uint8_t {
  kNormal,       // N 在线监控（监测）仪器仪表工作正常
  kStopped,      // F 在线监控（监测）仪器仪表停运 (the source stopped: 停运)
  kMaintenance,  // M 维护
  kManual,       // S 手工输入的设定值
  kFault,        // D 故障
  kCalibration,  // C 校准
  kOverRange,    // T 超测定上限
  kCommFault,    // B 通讯异常 (instrument to data acquisition unit)
  kUnknown,      // any other letter a device sends
};
inline constexpr int kDataFlagCount = 9;
char flag_letter(DataFlag flag);               // 'N', 'F', ...; '?' for kUnknown
DataFlag parse_data_flag(std::string_view s);  // "N" -> kNormal; anything else unknown -> kUnknown

// A small set of data flags.
class FlagSet {
 public:
  constexpr FlagSet() = default;
  constexpr FlagSet(std::initializer_list<DataFlag> flags) {
    for (DataFlag f : flags) bits_ |= bit(f);
  }
  // From letters, e.g. "DBCM"; fails on a letter that is not an HJ 212 flag.
  static StatusOr<FlagSet> parse(std::string_view letters);
  constexpr bool contains(DataFlag f) const { return (bits_ & bit(f)) != 0; }
  constexpr FlagSet& insert(DataFlag f) {
    bits_ |= bit(f);
    return *this;
  }
  constexpr bool empty() const { return bits_ == 0; }
  std::string letters() const;  // in the order N F M S D C T B
  constexpr bool operator==(const FlagSet&) const = default;

 private:
  static constexpr uint16_t bit(DataFlag f) { return static_cast<uint16_t>(1U << static_cast<unsigned>(f)); }
  uint16_t bits_ = 0;
};

// One pollutant's values in one record (the CP items code-Rtd, code-Avg, code-ZsRtd, code-ZsAvg, code-Flag).
struct PollutantValue {
  std::string code;               // HJ 212-2017 vocabulary code, e.g. "a21026"
  std::optional<Decimal> rtd;     // 实时值 (2011)
  std::optional<Decimal> avg;     // 平均值 (2051/2061/2031)
  std::optional<Decimal> zs_rtd;  // 折算实时值
  std::optional<Decimal> zs_avg;  // 折算平均值
  std::optional<Decimal> cou;     // 累计值 (-Cou): the interval's emission (sources/emissions.h)
  // HJ 212-2025 -RawAvg (App. C p.59 minute data; what it is, the standard does not say: UNCONFIRMED): read
  // and kept, judged by no rule (limits and emissions use Avg/ZsAvg).
  std::optional<Decimal> raw_avg;
  DataFlag flag = DataFlag::kNormal;  // a missing -Flag item reads as N
};

// One upload of one device.
struct MonitoringRecord {
  std::string mn;  // 设备唯一标识
  DataKind kind = DataKind::kHourly;
  SourceTime data_time;  // DataTime: start of the period (2051/2061/2031) or acquisition time (2011)
  // When the gateway received it, if known: the close time of a silence event (events.h).
  std::optional<SourceTime> received_at;
  std::vector<PollutantValue> values;

  const PollutantValue* find(std::string_view code) const;
};

// HJ 212-2025 CN 2062 取/上传自动标样核查数据 (C59/C60): per pollutant, the measured value of the standard
// sample (xxx-SampleRd), its nominal value (xxx-StandardValue) and the device's verdict (xxx-ResultType, 1
// pass / 0 fail as S1 sends it: CONFIRMED-impl only). DataTime: the check's start.
struct StandardCheck {
  std::string code;
  std::optional<Decimal> measured;  // SampleRd
  std::optional<Decimal> nominal;   // StandardValue
  std::optional<int> result;        // ResultType as sent
};
struct StandardCheckRecord {
  std::string mn;
  SourceTime data_time;
  std::vector<StandardCheck> checks;
};
StatusOr<StandardCheckRecord> standard_check_of(const hj212::Message& message);

// HJ 212-2025 CN 2111 上传炉膛温度5 min均值 (C31): the 5-minute mean furnace temperature (a01901-Avg, ℃) of
// the window starting at DataTime.
struct FurnaceTemperatureRecord {
  std::string mn;
  SourceTime data_time;
  std::optional<Decimal> mean;  // absent: the upload had no a01901-Avg number
};
StatusOr<FurnaceTemperatureRecord> furnace_temperature_of(const hj212::Message& message);

// The record of a decoded HJ 212 data upload (CN 2011/2051/2061/2031). HJ/T 212-2005 pollutant codes are
// mapped to the 2017 vocabulary (codes outside it are kept as sent). Fails on other CNs and on uploads
// without DataTime.
StatusOr<MonitoringRecord> record_of(const hj212::Message& message);

}  // namespace ecomon::sources
