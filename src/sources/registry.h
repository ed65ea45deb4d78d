// The source registry (污染源档案): enterprises, their outlets (排放口), the monitoring devices on each
// outlet (MN, password, protocol, reporting intervals, stop periods, monitored pollutants with units) and the
// emission limits (排放限值) per outlet and pollutant, on measured or standardised (折算, Zs) concentration.
//
// Every value is checked when it enters: validate_*() say in a Status exactly what is wrong, and
// SourceRegistry refuses an entry that is invalid or refers to something it does not hold.
//
//   sources::SourceRegistry reg;
//   ECOMON_RETURN_IF_ERROR(reg.add_enterprise({.id = "E1", .name = "晋城某电厂", .county = "泽州县",
//   .industry = "火电"})); ECOMON_RETURN_IF_ERROR(reg.add_outlet({.id = "E1-G1", .enterprise_id = "E1", .kind
//   = sources::OutletKind::kGas,
//                                          .name = "1#脱硫出口"}));
//   sources::Device d{.mn = "010000A8900016F000169DC0", .password = "123456", .outlet_id = "E1-G1"};
//   d.pollutants = {{.code = "a21026", .unit = "mg/m3"}};
//   ECOMON_RETURN_IF_ERROR(reg.add_device(d));
//   ECOMON_RETURN_IF_ERROR(reg.add_limit({.outlet_id = "E1-G1", .pollutant = "a21026", .upper = Decimal{35,
//   0},
//                                         .unit = "mg/m3", .basis = sources::LimitBasis::kStandardised,
//                                         .valid_from = CivilDay::from_ymd(2020, 1, 1)}));
//   const sources::EmissionLimit* lim = reg.limit_for("E1-G1", "a21026", CivilDay::from_ymd(2024, 3, 1));
//
// Ownership and thread safety: the registry owns copies of everything added; pointers it returns stay valid
// until the registry is destroyed (entries are never removed). const member functions may run concurrently;
// add_*() needs exclusive access.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "ingest/hj212/codes.h"
#include "sources/record.h"

namespace ecomon::sources {

// ---- What HJ 212-2017 allows ----
inline constexpr size_t kMnLength2017 = 24;           // MN = 24 hex characters (EPC-96)
inline constexpr size_t kMnLength2005 = 14;           // HJ/T 212-2005 监测点编号: 14 characters
inline constexpr size_t kMnMaxLength = 24;            // the MN field's room in either version
inline constexpr size_t kPasswordLength = 6;          // PW: 6 characters
inline constexpr int32_t kMinRealtimeIntervalS = 30;  // RtdInterval 30..3600 s (CN 1062)
inline constexpr int32_t kMaxRealtimeIntervalS = 3600;
inline constexpr int32_t kAllowedMinuteIntervals[] = {1,  2,  3,  4,  5, 6,
                                                      10, 12, 15, 20, 30};  // MinInterval (CN 1064)

struct Enterprise {
  std::string id;
  std::string name;      // 企业名称
  std::string county;    // 区县
  std::string industry;  // 行业
};

enum class OutletKind : uint8_t {
  kWater,  // 废水排放口: w-codes
  kGas,    // 废气排放口: a-codes
};

struct Outlet {
  std::string id;
  std::string enterprise_id;
  OutletKind kind = OutletKind::kGas;
  std::string name;  // 排放口名称
};

enum class ProtocolYear : uint8_t { k2005, k2017 };  // HJ/T 212-2005 or HJ 212-2017

// Which data a device uploads and how often (the values set with CN 1062 / 1064). Hourly (2061) data is
// always one hour apart and daily (2031) data one day apart.
struct ReportingIntervals {
  bool realtime = true;     // uploads 2011
  int32_t realtime_s = 30;  // RtdInterval, seconds (30..3600)
  bool minute = true;       // uploads 2051
  int32_t minute_min = 10;  // MinInterval, minutes (1 2 3 4 5 6 10 12 15 20 30)
  bool hourly = true;       // uploads 2061
  bool daily = true;        // uploads 2031

  bool uploads(DataKind kind) const;
  // Seconds between two records of that kind (realtime_s, minute_min*60, 3600, 86400).
  int64_t interval_seconds(DataKind kind) const;
};

// A registered stop period (停运/停产 as reported to the bureau): [span.begin, span.end).
struct StopPeriod {
  TimeSpan span;
  std::string reason;
};

// A pollutant a device measures, in the unit it reports.
struct MonitoredPollutant {
  std::string code;  // HJ 212-2017 vocabulary code, e.g. "a21026", "w01018"
  std::string unit;  // e.g. "mg/m3"; required
  bool rated =
      true;  // counts in the transmission rate (考核因子); false for reference parameters (O2, 温度...)
};

struct Device {
  std::string mn;        // 设备唯一标识
  std::string password;  // PW
  ProtocolYear protocol = ProtocolYear::k2017;
  std::string outlet_id;
  ReportingIntervals intervals;
  bool active = true;        // in service; inactive devices are neither rated nor watched for silence
  SourceTime registered_at;  // data is expected from here on
  std::vector<StopPeriod> stops;
  std::vector<MonitoredPollutant> pollutants;

  const MonitoredPollutant* pollutant(std::string_view code) const;
  // True when t lies in one of the registered stop periods.
  bool stopped_at(SourceTime t) const;
};

// On which concentration a limit is judged.
enum class LimitBasis : uint8_t {
  kMeasured,      // 实测浓度: the record's Avg
  kStandardised,  // 折算浓度: the record's ZsAvg (flue gas at the reference O2)
};

struct EmissionLimit {
  std::string outlet_id;
  std::string pollutant;         // vocabulary code
  Decimal upper;                 // exceeded when the value is above it (> upper)
  std::optional<Decimal> lower;  // for ranges such as pH 6-9: also exceeded below it (< lower)
  std::string unit;              // must equal the unit the outlet's devices report the pollutant in
  LimitBasis basis = LimitBasis::kMeasured;
  CivilDay valid_from;               // first day it applies
  std::optional<CivilDay> valid_to;  // last day it applies (inclusive); open-ended when absent
  std::string source;  // the standard or permit it comes from (GB 13223-2011, 排污许可证...)

  bool applies_on(CivilDay d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

// A permitted amount (排污许可 许可排放量): the tonnes of a pollutant an enterprise, or one of its outlets,
// may emit in a calendar year under its discharge licence (排污许可证). Keyed by enterprise, outlet ("" = the
// whole enterprise), pollutant and year.
struct PermittedAmount {
  std::string enterprise_id;
  std::string outlet_id;  // "" = the whole enterprise (全厂许可排放量)
  std::string pollutant;  // vocabulary code, e.g. "a21026"
  int year = 0;
  Decimal tonnes;       // 许可排放量, t/a (positive)
  std::string licence;  // 排污许可证编号
};

struct RegistryOptions {
  // MN: HJ 212-2017 requires 24 hex characters, HJ/T 212-2005 used 14. When true, any 1..24 letters and
  // digits are accepted (real devices carry vendor MNs such as "ZLDSZ20210127").
  bool allow_nonstandard_mn = false;
};

// Checks one value on its own. Messages name the entry and the field: "device 0100...: password must be 6
// characters, got 5".
Status validate_enterprise(const Enterprise& e);
Status validate_outlet(const Outlet& o);
Status validate_mn(std::string_view mn, ProtocolYear protocol, const RegistryOptions& options);
Status validate_intervals(const ReportingIntervals& i);
Status validate_device(const Device& d, const RegistryOptions& options);
// The PW alone: exactly 6 printable ASCII characters other than ; = & , ("password must be 6 characters, got
// 5").
Status validate_password(std::string_view password);
// Everything validate_device checks except the monitored pollutants (MN, PW, outlet id, intervals, stop
// periods): for registries that take a device's settings and its pollutant list separately (CSV templates).
Status validate_device_settings(const Device& d, const RegistryOptions& options);
Status validate_limit(const EmissionLimit& l);
// Enterprise, pollutant code and licence given, year 1900..2999, tonnes positive ("permit E1/a21026 2025:
// 0 t is not positive").
Status validate_permit(const PermittedAmount& p);

class SourceRegistry {
 public:
  explicit SourceRegistry(RegistryOptions options = {}) : options_(options) {}

  // Each add validates the entry and its references; kAlreadyExists when the id (MN) is taken.
  Status add_enterprise(Enterprise e);
  Status add_outlet(Outlet o);  // the enterprise must exist
  Status add_device(Device d);  // the outlet must exist; pollutants must fit its medium and its limits' units
  Status add_limit(EmissionLimit l);  // the outlet must exist; no overlap with a limit of the same pollutant
  // The enterprise must exist, the outlet (when given) must be one of its own and the pollutant of its
  // medium; kAlreadyExists for a second amount of the same key.
  Status add_permit(PermittedAmount p);

  const Enterprise* find_enterprise(std::string_view id) const;
  const Outlet* find_outlet(std::string_view id) const;
  const Device* find_device(std::string_view mn) const;
  // The limit in force on `day` for this outlet and pollutant, or nullptr.
  const EmissionLimit* limit_for(std::string_view outlet_id, std::string_view pollutant, CivilDay day) const;

  std::vector<const Enterprise*> enterprises() const;  // by id
  std::vector<const Outlet*> outlets() const;          // by id
  std::vector<const Device*> devices() const;          // by MN
  std::vector<const Outlet*> outlets_of(std::string_view enterprise_id) const;
  std::vector<const Device*> devices_of(std::string_view outlet_id) const;
  // The permitted amounts of a year, by enterprise, outlet ("" first) and pollutant.
  std::vector<const PermittedAmount*> permits_of(int year) const;
  const RegistryOptions& options() const { return options_; }

 private:
  RegistryOptions options_;
  std::map<std::string, Enterprise, std::less<>> enterprises_;
  std::map<std::string, Outlet, std::less<>> outlets_;
  std::map<std::string, Device, std::less<>> devices_;
  // Limits by "outlet_id \x1f pollutant"; a deque keeps returned pointers valid as limits are added.
  std::map<std::string, std::deque<EmissionLimit>, std::less<>> limits_;
  // Permitted amounts by (year, enterprise, outlet, pollutant).
  std::map<std::tuple<int, std::string, std::string, std::string>, PermittedAmount> permits_;
};

}  // namespace ecomon::sources
