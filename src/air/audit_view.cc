#include "air/audit_view.h"

#include <algorithm>

namespace ecomon {

std::string_view data_view_name(DataView v) { return v == DataView::kAudited ? "audited" : "realtime"; }

std::optional<DataView> parse_data_view(std::string_view s) {
  if (s == "audited") return DataView::kAudited;
  if (s == "realtime") return DataView::kRealtime;
  return std::nullopt;
}

std::string_view audited_state_name(AuditedHour::State s) {
  switch (s) {
    case AuditedHour::State::kRealtime:
      return "realtime";
    case AuditedHour::State::kAudited:
      return "audited";
    case AuditedHour::State::kInvalidated:
      return "invalidated";
  }
  return "realtime";
}

AuditedHour apply_versions(Milli realtime, std::span<const AuditVersion> versions) {
  AuditedHour h{realtime, AuditedHour::State::kRealtime, false, nullptr};
  for (const AuditVersion& v : versions) {
    h.latest = &v;
    switch (v.action) {
      case AuditAction::kInvalidate:
        h.value = kMissing;
        h.state = AuditedHour::State::kInvalidated;
        h.exceptional = false;
        break;
      case AuditAction::kCorrect:
      case AuditAction::kRepublish:
        h.value = v.value;
        h.state = AuditedHour::State::kAudited;
        break;
      case AuditAction::kFlag:
        h.exceptional = true;
        if (h.state == AuditedHour::State::kRealtime) h.state = AuditedHour::State::kAudited;
        break;
      case AuditAction::kRestore:
        h.value = realtime;
        h.state = AuditedHour::State::kAudited;
        h.exceptional = false;
        break;
    }
  }
  return h;
}

Status AuditedTimeSeries::merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                                       std::vector<HourConflict>* conflicts) {
  return series_.merge_hourly(blocks, stats, conflicts);
}

Status AuditedTimeSeries::load(Hour first, Hour last) {
  if (loaded_ && loaded_->first <= first && last <= loaded_->second) return Status();
  auto all = audit_.versions({}, first, last);
  if (!all.ok()) return all.status();
  versions_.clear();
  for (AuditVersion& v : *all) versions_[{v.station_id, index_of(v.pollutant)}].push_back(std::move(v));
  loaded_ = {first, last};
  return Status();
}

Status AuditedTimeSeries::read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                                      std::vector<Milli>& out) {
  ECOMON_RETURN_IF_ERROR(series_.read_hourly(station_id, p, first, count, out));
  if (options_.data == DataView::kRealtime || count <= 0) return Status();
  if (!any_) {
    auto n = audit_.version_count();
    if (!n.ok()) return n.status();
    any_ = *n > 0;
  }
  if (!*any_) return Status();
  ECOMON_RETURN_IF_ERROR(load(first, first + (count - 1)));
  auto it = versions_.find({station_id, index_of(p)});
  if (it == versions_.end()) return Status();
  const std::vector<AuditVersion>& vs = it->second;  // by hour, then version
  for (size_t i = 0; i < vs.size();) {
    size_t j = i;
    while (j < vs.size() && vs[j].hour == vs[i].hour) ++j;
    const int64_t at = vs[i].hour - first;
    if (at >= 0 && at < count) {
      Milli& slot = out[static_cast<size_t>(at)];
      const AuditedHour h = apply_versions(slot, std::span(vs).subspan(i, j - i));
      slot = h.exceptional && options_.exclude_exceptional_events ? kMissing : h.value;
    }
    i = j;
  }
  return Status();
}

}  // namespace ecomon
