// The audited view of the hourly observations (数据审核, issue 19): the real-time values of a TimeSeriesStore
// with the audit's versions (store/api/audit.h) laid over them at read time. Every backend keeps the
// real-time value as imported; what the audit changed is a handful of versions in the record store, so the
// overlay costs one query per range read (none at all while the store holds no version).
//
//   AuditedTimeSeries view(stores.time_series(), stores.audit(), {.data = DataView::kAudited});
//   auto city = load_city(view, stores.records(), "晋城", DayRange::year(2019), params);  // audited figures
//
// Thread safety: one thread at a time, like the stores it reads.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/api/audit.h"
#include "store/api/store.h"

namespace ecomon {

// Which values the figures are made of: the audited ones (the default of every air verb) or the real-time
// ones as imported or uploaded.
enum class DataView : uint8_t { kAudited, kRealtime };
std::string_view data_view_name(DataView v);  // "audited", "realtime"
std::optional<DataView> parse_data_view(std::string_view s);

struct AuditViewOptions {
  DataView data = DataView::kAudited;
  // HJ 663-2026 例外事件: hours flagged as an exceptional event are left out (AssessmentParams's
  // exclude_exceptional_events; docs/air-rules.md).
  bool exclude_exceptional_events = false;
};

// What the audit makes of one hour: its audited value and state.
struct AuditedHour {
  enum class State : uint8_t { kRealtime, kAudited, kInvalidated };
  Milli value = kMissing;  // the audited value (kMissing when invalidated or never measured)
  State state = State::kRealtime;
  bool exceptional = false;  // flagged as an exceptional event (and not restored since)
  const AuditVersion* latest = nullptr;
};
std::string_view audited_state_name(AuditedHour::State s);  // "realtime", "audited", "invalidated"

// Lays one key's versions (oldest first) over its real-time value: invalidate -> no value; correct and
// republish -> their value; flag -> the value stays, marked exceptional; restore -> the real-time value,
// every earlier version undone.
AuditedHour apply_versions(Milli realtime, std::span<const AuditVersion> versions);

// One hour's audit trail: the real-time value, every version, and what the audit makes of it now.
struct AuditTrail {
  std::string station;  // code
  Pollutant pollutant = Pollutant::kSO2;
  Hour hour;
  Milli realtime = kMissing;
  std::vector<AuditVersion> versions;  // oldest first
  Milli audited = kMissing;
  AuditedHour::State state = AuditedHour::State::kRealtime;
  bool exceptional = false;
  bool month_closed = false;
};

class AuditedTimeSeries final : public TimeSeriesStore {
 public:
  AuditedTimeSeries(TimeSeriesStore& series, AuditStore& audit, AuditViewOptions options)
      : series_(series), audit_(audit), options_(options) {}

  // Writes go to the real-time series unchanged.
  Status merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                      std::vector<HourConflict>* conflicts) override;
  Status merge_hours(std::span<const HourValue> values, MergeStats& stats,
                     std::vector<HourConflict>* conflicts) override {
    return series_.merge_hours(values, stats, conflicts);
  }
  // The real-time values with the versions of those hours applied (kRealtime: the real-time values).
  Status read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                     std::vector<Milli>& out) override;
  StatusOr<std::optional<DayRange>> hourly_extent(int64_t station_id) override {
    return series_.hourly_extent(station_id);
  }

 private:
  // Loads every station's versions of first..last unless the loaded range covers it.
  Status load(Hour first, Hour last);
  TimeSeriesStore& series_;
  AuditStore& audit_;
  AuditViewOptions options_;
  std::optional<bool> any_;                      // whether the store holds any version (asked once)
  std::optional<std::pair<Hour, Hour>> loaded_;  // the hours `versions_` covers
  std::map<std::pair<int64_t, int>, std::vector<AuditVersion>> versions_;  // by (station, pollutant)
};

}  // namespace ecomon
