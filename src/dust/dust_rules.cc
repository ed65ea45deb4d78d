#include "dust/dust_rules.h"

#include <utility>

namespace ecomon::dust {
namespace {

constexpr int64_t kSecondsPerMinute = 60;

sources::EventTransition transition(sources::Transition tr, const Point& p, sources::EventKind kind,
                                    SourceTime at, SourceTime data_time) {
  sources::EventTransition t;
  t.transition = tr;
  t.key.mn = p.mn;
  t.key.kind = kind;
  t.key.pollutant = kind == sources::EventKind::kDustExceedance ? kTspCode : "";
  t.at = at;
  t.data_time = data_time;
  return t;
}

}  // namespace

std::string_view point_type_name(PointType t) {
  switch (t) {
    case PointType::kBoundary:
      return "boundary";
    case PointType::kConstruction:
      return "construction";
    case PointType::kRoad:
      return "road";
    case PointType::kOther:
      return "other";
  }
  return "?";
}

std::optional<PointType> parse_point_type(std::string_view name) {
  if (name == "boundary" || name == "厂界" || name == "无组织") return PointType::kBoundary;
  if (name == "construction" || name == "工地" || name == "施工工地" || name == "建筑工地") {
    return PointType::kConstruction;
  }
  if (name == "road" || name == "道路") return PointType::kRoad;
  if (name == "other" || name == "其他") return PointType::kOther;
  return std::nullopt;
}

const Decimal& DustParams::threshold(PointType t) const {
  switch (t) {
    case PointType::kBoundary:
      return boundary_ug;
    case PointType::kConstruction:
      return construction_ug;
    case PointType::kRoad:
      return road_ug;
    case PointType::kOther:
      break;
  }
  return other_ug;
}

Status validate_dust_params(const DustParams& p) {
  const std::pair<const char*, const Decimal*> limits[] = {{"boundary_ug", &p.boundary_ug},
                                                           {"construction_ug", &p.construction_ug},
                                                           {"road_ug", &p.road_ug},
                                                           {"other_ug", &p.other_ug}};
  for (const auto& [name, d] : limits) {
    if (*d <= Decimal{}) return invalid_argument(std::string("dust ") + name + " must be above 0");
  }
  if (p.window_min < 1 || p.window_min > 1440) return invalid_argument("dust window_min must be in 1..1440");
  if (p.min_readings < 1 || p.min_readings > p.window_min) {
    return invalid_argument("dust min_readings must be in 1..window_min");
  }
  if (p.silence_min < 1 || p.silence_min > 10080)
    return invalid_argument("dust silence_min must be in 1..10080");
  return Status();
}

std::optional<UploadValues> upload_values(const sources::MonitoringRecord& m) {
  const bool realtime = m.kind == sources::DataKind::kRealtime;
  if (!realtime && m.kind != sources::DataKind::kMinute) return std::nullopt;
  UploadValues out;
  out.cn = realtime ? 2011 : 2051;
  out.at = m.data_time;
  bool any = false;
  auto take = [&](const char* code, std::string& into) {
    const sources::PollutantValue* v = m.find(code);
    if (v == nullptr || v->flag != sources::DataFlag::kNormal) return;
    const std::optional<Decimal>& d = realtime ? v->rtd : v->avg;
    if (!d) return;
    into = d->to_string();
    any = true;
  };
  take(kTspCode, out.tsp);
  take("a34002", out.pm10);
  take("a34004", out.pm25);
  take("LA", out.noise);
  take("a01007", out.wind_speed);
  take("a01008", out.wind_dir);
  if (!any) return std::nullopt;
  return out;
}

DustTracker::State& DustTracker::state(const Point& point) {
  State& s = by_mn_[point.mn];
  s.point = point;  // a registry change (type) applies from now on
  return s;
}

std::vector<sources::EventTransition> DustTracker::feed(const Point& point, const Reading& r) {
  std::vector<sources::EventTransition> out;
  State& s = state(point);
  if (s.newest && r.at <= *s.newest) return out;
  if (s.silence) {
    out.push_back(
        transition(sources::Transition::kClose, point, sources::EventKind::kDustSilence, r.at, r.at));
    s.silence.reset();
  }
  s.newest = r.at;
  s.window.push_back(r);
  const SourceTime window_start = r.at - int64_t{params_.window_min} * kSecondsPerMinute;
  while (!s.window.empty() && s.window.front().at <= window_start) s.window.pop_front();
  if (static_cast<int64_t>(s.window.size()) < params_.min_readings) return out;
  // The mean, exact: sum of thousandths over count × 1000 (readings have at most 3 decimals; more are rounded
  // half-even by to_milli).
  int64_t sum_milli = 0;
  for (const Reading& w : s.window) sum_milli += w.tsp.to_milli();
  const Rational mean = Rational::of_milli(sum_milli, static_cast<int64_t>(s.window.size()));
  const Decimal& limit = params_.threshold(point.type);
  const bool above = mean > limit.to_rational();
  if (above && !s.exceedance) {
    auto t = transition(sources::Transition::kOpen, point, sources::EventKind::kDustExceedance, r.at, r.at);
    t.value = round_half_even(mean, 1);
    t.limit = limit;
    t.cause = sources::ExceedanceCause::kAboveLimit;
    s.exceedance = t;
    out.push_back(std::move(t));
  } else if (!above && s.exceedance) {
    out.push_back(
        transition(sources::Transition::kClose, point, sources::EventKind::kDustExceedance, r.at, r.at));
    s.exceedance.reset();
  }
  return out;
}

std::vector<sources::EventTransition> DustTracker::evaluate(SourceTime now) {
  std::vector<sources::EventTransition> out;
  const int64_t after = int64_t{params_.silence_min} * kSecondsPerMinute;
  for (auto& [mn, s] : by_mn_) {
    if (!s.newest || s.silence || now < *s.newest + after) continue;
    auto t = transition(sources::Transition::kOpen, s.point, sources::EventKind::kDustSilence,
                        *s.newest + after, *s.newest);
    s.silence = t;
    out.push_back(std::move(t));
  }
  return out;
}

void DustTracker::restore(const Point& point, const sources::EventTransition& open) {
  State& s = state(point);
  if (open.key.kind == sources::EventKind::kDustExceedance) s.exceedance = open;
  if (open.key.kind == sources::EventKind::kDustSilence) s.silence = open;
}

void DustTracker::seen(const Point& point, SourceTime newest) {
  State& s = state(point);
  if (!s.newest || *s.newest < newest) s.newest = newest;
}

std::vector<sources::EventTransition> DustTracker::open_events() const {
  std::vector<sources::EventTransition> out;
  for (const auto& [mn, s] : by_mn_) {
    if (s.exceedance) out.push_back(*s.exceedance);
    if (s.silence) out.push_back(*s.silence);
  }
  return out;
}

}  // namespace ecomon::dust
