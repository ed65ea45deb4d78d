#include "sources/events.h"

#include <algorithm>

namespace ecomon::sources {
namespace {

constexpr DataFlag kFlagOrder[] = {DataFlag::kNormal,    DataFlag::kStopped,  DataFlag::kMaintenance,
                                   DataFlag::kManual,    DataFlag::kFault,    DataFlag::kCalibration,
                                   DataFlag::kOverRange, DataFlag::kCommFault};

// When `budget` seconds without data have passed after `from`, not counting registered stop periods.
SourceTime overdue_time(SourceTime from, int64_t budget, const std::vector<StopPeriod>& stops) {
  std::vector<TimeSpan> spans;
  for (const StopPeriod& s : stops) spans.push_back(s.span);
  std::sort(spans.begin(), spans.end(),
            [](const TimeSpan& a, const TimeSpan& b) { return a.begin < b.begin; });
  SourceTime t = from;
  int64_t remaining = budget;
  for (const TimeSpan& s : spans) {
    if (s.end <= t) continue;
    if (s.begin >= t + remaining) break;
    if (s.begin > t) remaining -= s.begin - t;
    t = s.end;
  }
  return t + remaining;
}

// The end of the period a record stands for: the DataTime for real-time data, the period's end otherwise.
SourceTime record_end(const MonitoringRecord& r, int64_t interval) {
  return r.kind == DataKind::kRealtime ? r.data_time : r.data_time + interval;
}

}  // namespace

DataKind silence_data_kind(const Device& d, DataKind preferred) {
  if (d.intervals.uploads(preferred)) return preferred;
  std::optional<DataKind> best;
  for (int i = 0; i < kDataKindCount; ++i) {
    const auto k = static_cast<DataKind>(i);
    if (!d.intervals.uploads(k)) continue;
    if (!best || d.intervals.interval_seconds(k) < d.intervals.interval_seconds(*best)) best = k;
  }
  return best.value_or(preferred);
}

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::kExceedance:
      return "exceedance";
    case EventKind::kSilence:
      return "silence";
    case EventKind::kFlagFault:
      return "flag_fault";
    case EventKind::kStandardCheck:
      return "standard_check";
    case EventKind::kFurnaceTemperature:
      return "furnace_temperature";
    case EventKind::kDustExceedance:
      return "dust_exceedance";
    case EventKind::kDustSilence:
      return "dust_silence";
    case EventKind::kTreatmentNotRunning:
      return "treatment_not_running";
    case EventKind::kProductionDuringStop:
      return "production_during_stop";
  }
  return "?";
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
  for (EventKind k :
       {EventKind::kExceedance, EventKind::kSilence, EventKind::kFlagFault, EventKind::kStandardCheck,
        EventKind::kFurnaceTemperature, EventKind::kDustExceedance, EventKind::kDustSilence,
        EventKind::kTreatmentNotRunning, EventKind::kProductionDuringStop}) {
    if (event_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

bool is_power_event(EventKind k) {
  return k == EventKind::kTreatmentNotRunning || k == EventKind::kProductionDuringStop;
}

std::string describe(const EventTransition& t) {
  std::string s = t.transition == Transition::kOpen ? "open " : "close ";
  s += event_kind_name(t.key.kind);
  s += " " + t.key.mn;
  if (!t.key.pollutant.empty()) s += " " + t.key.pollutant;
  if (t.key.kind == EventKind::kFlagFault) s += std::string(" ") + flag_letter(t.key.flag);
  s += " at " + t.at.to_string();
  if (t.transition == Transition::kOpen && t.key.kind == EventKind::kStandardCheck) {
    s += " (SampleRd " + (t.value ? t.value->to_string() : "-") + ", StandardValue " +
         (t.limit ? t.limit->to_string() : "-") + ")";
  }
  if (t.transition == Transition::kOpen && t.key.kind == EventKind::kFurnaceTemperature && t.value &&
      t.limit) {
    s += " (a01901-Avg " + t.value->to_string() + " < " + t.limit->to_string() + ")";
  }
  if (t.transition == Transition::kOpen && t.key.kind == EventKind::kDustExceedance && t.value && t.limit) {
    s += " (mean " + t.value->to_string() + " > " + t.limit->to_string() + ")";
  }
  if (t.transition == Transition::kOpen && is_power_event(t.key.kind) && t.value && t.limit) {
    s += " (" + t.value->to_string() + " kW, running at " + t.limit->to_string() + " kW)";
  }
  if (t.transition == Transition::kOpen && t.key.kind == EventKind::kExceedance) {
    const char* field = t.basis == LimitBasis::kStandardised ? "ZsAvg" : "Avg";
    switch (t.cause) {
      case ExceedanceCause::kAboveLimit:
        s += std::string(" (") + field + " " + t.value->to_string() + " > " + t.limit->to_string() + ")";
        break;
      case ExceedanceCause::kBelowLimit:
        s += std::string(" (") + field + " " + t.value->to_string() + " < " + t.limit->to_string() + ")";
        break;
      case ExceedanceCause::kOverRange:
        s += " (flag T)";
        break;
      case ExceedanceCause::kNone:
        break;
    }
  }
  if (t.backfill) s += " [backfill]";
  return s;
}

Status validate_event_params(const EventParams& p) {
  if (p.silent_intervals < 1) {
    return invalid_argument("silent intervals must be at least 1, got " + std::to_string(p.silent_intervals));
  }
  if (p.fault_flags.contains(DataFlag::kNormal)) return invalid_argument("N cannot be a fault flag");
  if (p.extra_valid_flags.contains(DataFlag::kStopped) ||
      p.extra_valid_flags.contains(DataFlag::kOverRange)) {
    return invalid_argument("F and T values cannot be judged against limits");
  }
  return Status();
}

bool EventTracker::note_cn(DeviceState& state, int cn, SourceTime data_time, bool* late) {
  if (!state.seen_cn.insert({cn, data_time.seconds}).second) return false;
  auto newest = state.latest_cn.find(cn);
  *late = newest != state.latest_cn.end() && data_time < newest->second;
  if (!*late) state.latest_cn[cn] = data_time;
  return true;
}

StatusOr<std::vector<EventTransition>> EventTracker::feed_standard_check(const SourceRegistry& registry,
                                                                         const StandardCheckRecord& r) {
  if (!registry.find_device(r.mn)) return not_found("device " + r.mn + " is not registered");
  std::vector<EventTransition> out;
  bool late = false;
  if (!note_cn(devices_[r.mn], 2062, r.data_time, &late)) return out;
  constexpr int64_t kCheckPeriod = 3600;  // a late failed check outside known events: an hour's event
  for (const StandardCheck& c : r.checks) {
    std::optional<bool> failed;
    if (c.result) {
      failed = *c.result == params_.standard_check_fail_result;
    } else if (params_.standard_check_missing_result_fails) {
      failed = true;
    }
    EventTransition detail;
    detail.data_time = r.data_time;
    detail.value = c.measured;
    detail.limit = c.nominal;
    judge({r.mn, EventKind::kStandardCheck, c.code, DataFlag::kNormal}, r.data_time, kCheckPeriod, late,
          failed, detail, out);
  }
  return out;
}

StatusOr<std::vector<EventTransition>> EventTracker::feed_furnace_temperature(
    const SourceRegistry& registry, const FurnaceTemperatureRecord& r) {
  if (!registry.find_device(r.mn)) return not_found("device " + r.mn + " is not registered");
  std::vector<EventTransition> out;
  bool late = false;
  if (!note_cn(devices_[r.mn], 2111, r.data_time, &late)) return out;
  constexpr int64_t kWindow = 300;  // the 5-minute mean's window
  EventTransition detail;
  detail.data_time = r.data_time;
  detail.value = r.mean;
  detail.limit = params_.furnace_min_celsius;
  std::optional<bool> below;
  if (r.mean) below = *r.mean < params_.furnace_min_celsius;
  if (below && *below) detail.cause = ExceedanceCause::kBelowLimit;
  judge({r.mn, EventKind::kFurnaceTemperature, "a01901", DataFlag::kNormal}, r.data_time, kWindow, late,
        below, detail, out);
  return out;
}

StatusOr<std::vector<EventTransition>> EventTracker::feed(const SourceRegistry& registry,
                                                          const MonitoringRecord& r) {
  const Device* device = registry.find_device(r.mn);
  if (!device) return not_found("device " + r.mn + " is not registered");
  std::vector<EventTransition> out;
  DeviceState& state = devices_[r.mn];
  if (!state.seen.insert({r.kind, r.data_time.seconds}).second) return out;  // fed before: idempotent
  auto newest = state.latest.find(r.kind);
  const bool late = newest != state.latest.end() && r.data_time < newest->second;
  if (!late) state.latest[r.kind] = r.data_time;

  // Silence: judged on the device's silence kind, in DataTime order only.
  const DataKind quiet_kind = silence_data_kind(*device, params_.silence_data);
  if (r.kind == quiet_kind && !late && device->active) {
    const int64_t interval = device->intervals.interval_seconds(quiet_kind);
    if (state.covered_until) check_silence(*device, state, r.data_time, out);
    const SourceTime end = r.data_time + interval;
    const EventKey key{r.mn, EventKind::kSilence, "", DataFlag::kNormal};
    auto it = streams_.find(key);
    if (it != streams_.end() && it->second.open) {
      EventTransition close = *it->second.open;
      close.transition = Transition::kClose;
      close.at = std::max(it->second.open->at, r.received_at.value_or(record_end(r, interval)));
      close.data_time = r.data_time;
      it->second.closed.push_back({it->second.open->at, close.at});
      it->second.open.reset();
      out.push_back(close);
    }
    if (!state.covered_until || *state.covered_until < end) state.covered_until = end;
  }

  const int64_t period = device->intervals.interval_seconds(r.kind);
  for (const PollutantValue& v : r.values) {
    if (!device->pollutant(v.code)) continue;  // not monitored by this device: no events

    if (r.kind == DataKind::kHourly) {
      const EmissionLimit* limit = registry.limit_for(device->outlet_id, v.code, r.data_time.day());
      EventTransition detail;
      detail.data_time = r.data_time;
      std::optional<bool> exceeded;
      if (limit) {
        detail.basis = limit->basis;
        detail.value = limit->basis == LimitBasis::kStandardised ? v.zs_avg : v.avg;
      }
      const bool judged = v.flag == DataFlag::kNormal || params_.extra_valid_flags.contains(v.flag);
      if (v.flag == DataFlag::kOverRange && params_.over_range_is_exceedance) {
        exceeded = true;
        detail.cause = ExceedanceCause::kOverRange;
      } else if (judged && !limit) {
        exceeded = false;
      } else if (judged && detail.value) {
        if (*detail.value > limit->upper) {
          exceeded = true;
          detail.cause = ExceedanceCause::kAboveLimit;
          detail.limit = limit->upper;
        } else if (limit->lower && *detail.value < *limit->lower) {
          exceeded = true;
          detail.cause = ExceedanceCause::kBelowLimit;
          detail.limit = limit->lower;
        } else {
          exceeded = false;
        }
      }
      if (detail.cause == ExceedanceCause::kOverRange && limit) detail.limit = limit->upper;
      judge({r.mn, EventKind::kExceedance, v.code, DataFlag::kNormal}, r.data_time, period, late, exceeded,
            detail, out);
    }

    if (r.kind == params_.fault_data) {
      for (DataFlag f : kFlagOrder) {
        if (!params_.fault_flags.contains(f)) continue;
        EventTransition detail;
        detail.data_time = r.data_time;
        judge({r.mn, EventKind::kFlagFault, v.code, f}, r.data_time, period, late, v.flag == f, detail, out);
      }
    }
  }
  return out;
}

void EventTracker::judge(const EventKey& key, SourceTime data_time, int64_t period, bool late,
                         std::optional<bool> condition, const EventTransition& detail,
                         std::vector<EventTransition>& out) {
  if (!condition) return;  // the record says nothing about this event
  auto it = streams_.find(key);
  if (it == streams_.end()) {
    if (!*condition) return;
    it = streams_.emplace(key, Stream{}).first;
  }
  Stream& s = it->second;
  EventTransition t = detail;
  t.key = key;
  if (!late) {
    if (*condition && !s.open) {
      t.transition = Transition::kOpen;
      t.at = data_time;
      s.open = t;
      out.push_back(t);
    } else if (!*condition && s.open) {
      t.transition = Transition::kClose;
      t.at = data_time;
      t.cause = ExceedanceCause::kNone;
      s.closed.push_back({s.open->at, data_time});
      s.open.reset();
      out.push_back(t);
    }
    return;
  }
  // A late (补传) record: it never reopens or splits what is known; a bad period outside every known event
  // becomes an event of its own, opened at its DataTime and closed at the end of its period.
  if (!*condition) return;
  const bool covered =
      (s.open && data_time >= s.open->at) ||
      std::any_of(s.closed.begin(), s.closed.end(), [&](const TimeSpan& c) { return c.contains(data_time); });
  if (covered) return;
  t.backfill = true;
  t.transition = Transition::kOpen;
  t.at = data_time;
  out.push_back(t);
  t.transition = Transition::kClose;
  t.at = data_time + period;
  t.cause = ExceedanceCause::kNone;
  out.push_back(t);
  s.closed.push_back({data_time, data_time + period});
}

void EventTracker::check_silence(const Device& device, DeviceState& state, SourceTime now,
                                 std::vector<EventTransition>& out) {
  const DataKind kind = silence_data_kind(device, params_.silence_data);
  const int64_t interval = device.intervals.interval_seconds(kind);
  SourceTime baseline = state.covered_until.value_or(device.registered_at);
  if (state.heard_at && baseline < *state.heard_at) baseline = *state.heard_at;  // online by its heartbeat
  const EventKey key{device.mn, EventKind::kSilence, "", DataFlag::kNormal};
  auto it = streams_.find(key);
  if (it != streams_.end() && it->second.open) return;
  if (state.silence_reported_for == baseline) return;
  const SourceTime due = overdue_time(baseline, interval * params_.silent_intervals, device.stops);
  if (now < due) return;
  EventTransition t;
  t.transition = Transition::kOpen;
  t.key = key;
  t.at = due;
  // The last DataTime seen.
  t.data_time = state.covered_until ? *state.covered_until - interval : device.registered_at;
  if (it == streams_.end()) it = streams_.emplace(key, Stream{}).first;
  it->second.open = t;
  state.silence_reported_for = baseline;
  out.push_back(t);
}

std::vector<EventTransition> EventTracker::heartbeat(const SourceRegistry& registry, std::string_view mn,
                                                     SourceTime at) {
  std::vector<EventTransition> out;
  const Device* device = registry.find_device(mn);
  if (!device || !device->active) return out;
  DeviceState& state = devices_[std::string(mn)];
  if (!state.heard_at || *state.heard_at < at) state.heard_at = at;
  auto it = streams_.find(EventKey{std::string(mn), EventKind::kSilence, "", DataFlag::kNormal});
  if (it != streams_.end() && it->second.open) {
    EventTransition close = *it->second.open;
    close.transition = Transition::kClose;
    close.at = std::max(it->second.open->at, at);
    it->second.closed.push_back({it->second.open->at, close.at});
    it->second.open.reset();
    out.push_back(close);
  }
  return out;
}

std::vector<EventTransition> EventTracker::evaluate(const SourceRegistry& registry, SourceTime now) {
  std::vector<EventTransition> out;
  for (const Device* d : registry.devices()) {
    if (!d->active) continue;
    check_silence(*d, devices_[d->mn], now, out);
  }
  return out;
}

std::vector<EventTransition> EventTracker::open_events() const {
  std::vector<EventTransition> out;
  for (const auto& [key, s] : streams_) {
    if (s.open) out.push_back(*s.open);
  }
  return out;
}

void EventTracker::restore(const EventTransition& open, std::optional<SourceTime> closed_at) {
  Stream& s = streams_[open.key];
  if (closed_at) {
    s.closed.push_back({open.at, *closed_at});
    return;
  }
  EventTransition t = open;
  t.transition = Transition::kOpen;
  s.open = t;
}

void EventTracker::forget_before(SourceTime t) {
  for (auto& [mn, state] : devices_) {
    std::erase_if(state.seen, [&](const std::pair<DataKind, int64_t>& k) { return k.second < t.seconds; });
  }
  for (auto& [key, s] : streams_) {
    std::erase_if(s.closed, [&](const TimeSpan& c) { return c.end < t; });
  }
}

std::string_view exceedance_cause_name(ExceedanceCause c) {
  switch (c) {
    case ExceedanceCause::kAboveLimit:
      return "above_limit";
    case ExceedanceCause::kBelowLimit:
      return "below_limit";
    case ExceedanceCause::kOverRange:
      return "over_range";
    case ExceedanceCause::kNone:
      break;
  }
  return "";
}

}  // namespace ecomon::sources
