// Events of pollution-source monitoring, each opened and closed with a timestamp:
//   exceedance (超标)   a pollutant's hourly average (CN 2061) above the outlet's limit in force that day, on
//   the
//                       standardised value ZsAvg when the limit says so; or a T flag (超测定上限) on that
//                       hour;
//   silence (离线)      a device whose data stopped N expected intervals ago (default 3);
//   flag fault (异常)   a pollutant reported with one of the fault flags (default D, B, C, M).
// docs/sources.md gives every rule, including how back-filled (补传) records are treated.
//
//   sources::EventTracker tracker;                       // default EventParams
//   for (const sources::MonitoringRecord& r : arriving) {
//     StatusOr<std::vector<sources::EventTransition>> t = tracker.feed(registry, r);
//     if (!t.ok()) { count_unknown_device(t.status()); continue; }
//     for (const auto& e : *t) publish(sources::describe(e));   // "open exceedance 0100.. a21026 at
//     2024-03-01 10:00:00"
//   }
//   for (const auto& e : tracker.evaluate(registry, now)) publish(sources::describe(e));  // silences
//
// Thread safety: an EventTracker is not thread-safe; give each thread its own, or serialise calls. It holds
// no reference to the registry between calls. Memory grows with the DataTimes it has seen (for idempotence
// and back-fill); forget_before() trims it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "sources/record.h"
#include "sources/registry.h"

namespace ecomon::sources {

enum class EventKind : uint8_t {
  kExceedance,  // 超标
  kSilence,     // 离线 / 数据缺失
  kFlagFault,   // 数据标记异常
  // HJ 212-2025: a failed automatic standard-sample check (CN 2062, per pollutant; closed by the next check
  // that passes) and a furnace-temperature 5-minute mean below the minimum (CN 2111; closed by the first mean
  // at or above it).
  kStandardCheck,
  kFurnaceTemperature,
  // Fugitive-dust points (扬尘, issue 22; dust/dust_rules.h): a TSP window mean above the point type's
  // threshold, and a point without readings.
  kDustExceedance,
  kDustSilence,
  // Power-use monitoring (issue 22; power/power_tracker.h, raised by the gateway's live events from the
  // power modules' readings, not by EventTracker): a treatment line off while a production line it serves
  // runs (治污设施未同步运行; key: the treatment line's module MN, pollutant "treatment>production"), and a
  // production line running during a stop order (key: the line's module MN, pollutant the line).
  kTreatmentNotRunning,
  kProductionDuringStop,
};
// "exceedance", "silence", "flag_fault", "standard_check", "furnace_temperature", "dust_exceedance",
// "dust_silence", "treatment_not_running", "production_during_stop"
std::string_view event_kind_name(EventKind k);
std::optional<EventKind> parse_event_kind(std::string_view name);  // event_kind_name's names; nullopt else
bool is_power_event(EventKind k);  // kTreatmentNotRunning, kProductionDuringStop

// Why an exceedance event opened.
enum class ExceedanceCause : uint8_t {
  kNone,        // not an exceedance
  kAboveLimit,  // value > upper limit
  kBelowLimit,  // value < lower limit (pH)
  kOverRange,   // T flag: 超测定上限
};

enum class Transition : uint8_t { kOpen, kClose };

// Identifies one event stream: per device, kind, pollutant ("" for silence) and fault flag.
struct EventKey {
  std::string mn;
  EventKind kind = EventKind::kExceedance;
  std::string pollutant;
  DataFlag flag = DataFlag::kNormal;  // the fault flag for kFlagFault
  auto operator<=>(const EventKey&) const = default;
};

struct EventTransition {
  Transition transition = Transition::kOpen;
  EventKey key;
  SourceTime at;  // when the event opened / closed
  SourceTime
      data_time;  // DataTime of the record that caused the transition (silence: the last data time seen)
  // Exceedance: the value judged and the limit (absent for a T flag without value or a limit).
  std::optional<Decimal> value;
  std::optional<Decimal> limit;
  LimitBasis basis = LimitBasis::kMeasured;
  ExceedanceCause cause = ExceedanceCause::kNone;
  bool backfill = false;  // a one-period event found in a late (补传) record
  bool operator==(const EventTransition&) const = default;
};
// "open exceedance 010000A8900016F000169DC0 a21026 at 2024-03-01 10:00:00 (ZsAvg 120.5 > 100)"
std::string describe(const EventTransition& t);

struct EventParams {
  int32_t silent_intervals = 3;               // N: silent after N expected intervals without data
  DataKind silence_data = DataKind::kHourly;  // whose interval and records measure silence (UNCONFIRMED)
  FlagSet fault_flags{DataFlag::kFault, DataFlag::kCommFault, DataFlag::kCalibration, DataFlag::kMaintenance};
  DataKind fault_data = DataKind::kHourly;  // which uploads' flags raise flag faults
  bool over_range_is_exceedance = true;     // a T flag opens an exceedance
  FlagSet extra_valid_flags;                // flags whose values are judged against limits besides N
  // CN 2062: the ResultType that means a failed check (S1 sends 1 pass / 0 fail: CONFIRMED-impl, the
  // standard's table not seen: UNCONFIRMED), and whether a check without a ResultType counts as failed
  // (default: such a check is not judged).
  int standard_check_fail_result = 0;
  bool standard_check_missing_result_fails = false;
  // CN 2111: a 5-minute mean furnace temperature (℃) below this opens an event (GB 18485-2014 4.2: the
  // furnace at 850 ℃ or more); a mean equal to it is not below.
  Decimal furnace_min_celsius{850, 0};
};
Status validate_event_params(const EventParams& p);
// The kind whose records and interval measure a device's silence: `preferred` (EventParams::silence_data)
// when the device uploads it, else the shortest-interval kind it uploads.
DataKind silence_data_kind(const Device& d, DataKind preferred);

class EventTracker {
 public:
  explicit EventTracker(EventParams params = {}) : params_(params) {}

  // Takes one record; returns the transitions it causes, in a stable order (silence, then per pollutant in
  // record order: exceedance, flag faults). Records of a device are expected in DataTime order; a record
  // whose DataTime was already fed (same MN, CN, DataTime) changes nothing; a late record is handled as
  // docs/sources.md says. Fails with kNotFound for an unregistered MN (nothing changes).
  StatusOr<std::vector<EventTransition>> feed(const SourceRegistry& registry, const MonitoringRecord& record);
  // A sign of life without data (HJ 212-2025 CN 9015 心跳包, received at civil time `at`): the device counts
  // as online until then for the silence rule (a silence falls due N intervals after the later of its data's
  // coverage and its last heartbeat), and an open silence closes at `at`. It is no record: it feeds no
  // exceedance, no flag fault and no transmission rate. Nothing for an unregistered or inactive device.
  std::vector<EventTransition> heartbeat(const SourceRegistry& registry, std::string_view mn, SourceTime at);
  // HJ 212-2025 CN 2062 and 2111 (events kStandardCheck and kFurnaceTemperature, judged as EventParams says):
  // idempotent per (MN, CN, DataTime); a late record never reopens what is known (as feed()). kNotFound for
  // an unregistered MN.
  StatusOr<std::vector<EventTransition>> feed_standard_check(const SourceRegistry& registry,
                                                             const StandardCheckRecord& record);
  StatusOr<std::vector<EventTransition>> feed_furnace_temperature(const SourceRegistry& registry,
                                                                  const FurnaceTemperatureRecord& record);
  // Opens silence events due by `now` for every active registered device. Calling it again changes nothing.
  std::vector<EventTransition> evaluate(const SourceRegistry& registry, SourceTime now);

  // Events open now (their Open transitions).
  std::vector<EventTransition> open_events() const;
  // Takes back an event known from before (a restart: the events the store kept), changing no other state:
  // without `closed_at` it is open again (a later record or evaluate() closes it as if it had opened here);
  // with it, it is a past event that late records of its span do not repeat. Emits nothing.
  void restore(const EventTransition& open, std::optional<SourceTime> closed_at);
  // Drops what is remembered of DataTimes before t (duplicates and late records older than t are then
  // judged as if new).
  void forget_before(SourceTime t);
  const EventParams& params() const { return params_; }

 private:
  struct Stream {
    std::optional<EventTransition> open;  // the Open transition of the event in progress
    std::vector<TimeSpan> closed;         // past events, for late records
  };
  struct DeviceState {
    std::set<std::pair<DataKind, int64_t>> seen;     // (kind, DataTime) already fed
    std::map<DataKind, SourceTime> latest;           // newest DataTime per kind
    std::optional<SourceTime> covered_until;         // end of the newest period of silence_data seen
    std::optional<SourceTime> silence_reported_for;  // the baseline when the last silence opened
    std::optional<SourceTime> heard_at;              // the last heartbeat (9015)
    std::set<std::pair<int, int64_t>> seen_cn;       // (CN, DataTime) of 2062/2111 already fed
    std::map<int, SourceTime> latest_cn;             // newest DataTime per CN (2062, 2111)
  };
  // For 2062/2111: false when (CN, DataTime) was fed before; *late when older than the newest of that CN.
  bool note_cn(DeviceState& state, int cn, SourceTime data_time, bool* late);

  void check_silence(const Device& device, DeviceState& state, SourceTime now,
                     std::vector<EventTransition>& out);
  void judge(const EventKey& key, SourceTime data_time, int64_t period, bool late,
             std::optional<bool> condition, const EventTransition& detail, std::vector<EventTransition>& out);

  EventParams params_;
  std::map<std::string, DeviceState, std::less<>> devices_;
  std::map<EventKey, Stream> streams_;
};

// "above_limit", "below_limit", "over_range", "" (kNone).
std::string_view exceedance_cause_name(ExceedanceCause c);

}  // namespace ecomon::sources
