#include "app/dust.h"

#include <algorithm>
#include <map>

namespace ecomon::app {
namespace {

constexpr int64_t kLookBackS = int64_t{24} * 3600;

Status may_read(const Actor& who) {
  if (who.role == Role::kPublic) return permission_denied("dust points are not public");
  return Status();
}

bool visible(const Actor& who, const DustPointRow& p) {
  if (who.is_bureau()) return true;
  if (who.role == Role::kCounty) return !who.county.empty() && p.county == who.county;
  if (who.role == Role::kEnterprise) return !who.enterprise.empty() && p.owner == who.enterprise;
  return false;
}

StatusOr<std::vector<DustPointRow>> visible_points(Stores& stores, const Actor& who) {
  ECOMON_RETURN_IF_ERROR(may_read(who));
  auto all = stores.dust().points();
  if (!all.ok()) return all.status();
  std::vector<DustPointRow> out;
  for (DustPointRow& p : *all) {
    if (visible(who, p)) out.push_back(std::move(p));
  }
  return out;
}

bool is_dust(sources::EventKind k) {
  return k == sources::EventKind::kDustExceedance || k == sources::EventKind::kDustSilence;
}

dust::EventView view_of(const DustPointRow& p, const sources::EventTransition& open,
                        std::optional<sources::SourceTime> closed) {
  dust::EventView e;
  e.point = p.id;
  e.mn = p.mn;
  e.kind = std::string(sources::event_kind_name(open.key.kind));
  e.opened = open.at;
  e.closed = closed;
  e.mean = open.value;
  e.limit = open.limit;
  e.data_time = open.data_time;
  return e;
}

}  // namespace

Status dust_may_import(const Actor& who) {
  if (!who.is_bureau()) return permission_denied("importing dust points is the bureau's (admin, analyst)");
  return Status();
}

StatusOr<std::vector<dust::PointView>> dust_points(Stores& stores, const Actor& who,
                                                   const DustPointsRequest& r) {
  auto points = visible_points(stores, who);
  if (!points.ok()) return points.status();
  auto open = stores.source_events().events({.open_only = true});
  if (!open.ok()) return open.status();
  std::map<std::string, std::string> state;  // MN -> exceedance | silent
  for (const StoredEvent& e : *open) {
    if (e.open.key.kind == sources::EventKind::kDustExceedance) state[e.open.key.mn] = "exceedance";
    if (e.open.key.kind == sources::EventKind::kDustSilence && !state.count(e.open.key.mn)) {
      state[e.open.key.mn] = "silent";
    }
  }
  auto recent = stores.dust().readings({}, {r.now - kLookBackS, r.now + 1});
  if (!recent.ok()) return recent.status();
  std::map<std::string, const DustReadingRow*> newest;
  for (const DustReadingRow& x : *recent) {
    if (x.cn == 2051 && !x.tsp.empty()) newest[x.point] = &x;  // by time within a point: the last wins
  }
  std::vector<dust::PointView> out;
  for (const DustPointRow& p : *points) {
    if (!r.county.empty() && p.county != r.county) continue;
    dust::PointView v{p.id, p.name, p.type, p.owner, p.county, p.lon, p.lat, p.mn, "no_data", {}, ""};
    if (auto it = newest.find(p.id); it != newest.end()) {
      v.state = "ok";
      v.last_at = it->second->at;
      v.last_tsp = it->second->tsp;
    }
    if (auto it = state.find(p.mn); it != state.end()) v.state = it->second;
    out.push_back(std::move(v));
  }
  return out;
}

StatusOr<std::vector<dust::ReadingView>> dust_readings(Stores& stores, const Actor& who,
                                                       const DustReadingsRequest& r) {
  auto points = visible_points(stores, who);
  if (!points.ok()) return points.status();
  bool found = false;
  for (const DustPointRow& p : *points) found = found || p.id == r.point;
  if (!found) return not_found("no dust point '" + r.point + "'");
  auto rows = stores.dust().readings({r.point}, r.span);
  if (!rows.ok()) return rows.status();
  std::vector<dust::ReadingView> out;
  for (const DustReadingRow& x : *rows) {
    out.push_back({x.point, x.cn, x.at, x.tsp, x.pm10, x.pm25, x.noise, x.wind_speed, x.wind_dir});
  }
  return out;
}

StatusOr<std::vector<dust::EventView>> dust_events(Stores& stores, const Actor& who,
                                                   const DustEventsRequest& r) {
  auto points = visible_points(stores, who);
  if (!points.ok()) return points.status();
  std::map<std::string, const DustPointRow*> by_mn;
  for (const DustPointRow& p : *points) by_mn[p.mn] = &p;
  auto stored =
      stores.source_events().events({.from = r.span.begin, .to = r.span.end, .open_only = r.open_only});
  if (!stored.ok()) return stored.status();
  std::vector<dust::EventView> out;
  for (const StoredEvent& e : *stored) {
    auto it = by_mn.find(e.open.key.mn);
    if (!is_dust(e.open.key.kind) || it == by_mn.end()) continue;
    out.push_back(view_of(*it->second, e.open, e.closed_at));
  }
  return out;
}

StatusOr<std::vector<dust::EventView>> dust_check(Stores& stores, const Actor& who,
                                                  const DustCheckRequest& r) {
  ECOMON_RETURN_IF_ERROR(dust::validate_dust_params(r.params));
  if (!(r.span.begin < r.span.end)) return invalid_argument("the period is empty");
  auto points = visible_points(stores, who);
  if (!points.ok()) return points.status();
  std::vector<std::string> ids;
  std::map<std::string, dust::Point> by_id;
  for (const DustPointRow& p : *points) {
    if (!r.point.empty() && p.id != r.point) continue;
    ids.push_back(p.id);
    by_id[p.id] = {p.id, p.mn, dust::parse_point_type(p.type).value_or(dust::PointType::kOther)};
  }
  if (!r.point.empty() && ids.empty()) return not_found("no dust point '" + r.point + "'");
  std::vector<dust::EventView> out;
  if (ids.empty()) return out;
  const sources::SourceTime from = r.span.begin - int64_t{r.params.window_min} * 60;
  auto rows = stores.dust().readings(ids, {from, r.span.end});
  if (!rows.ok()) return rows.status();
  std::map<std::string, const DustPointRow*> row_of;
  for (const DustPointRow& p : *points) row_of[p.mn] = &p;
  dust::DustTracker tracker(r.params);
  std::vector<sources::EventTransition> ts;
  for (const DustReadingRow& x : *rows) {
    if (x.cn != 2051 || x.tsp.empty()) continue;
    auto milli = parse_milli(x.tsp);
    if (!milli) continue;
    const dust::Point& p = by_id[x.point];
    // Silences due before this reading first, at their time.
    for (auto& t : tracker.evaluate(x.at)) ts.push_back(t);
    for (auto& t : tracker.feed(p, {x.at, Decimal::of_milli(*milli)})) ts.push_back(t);
  }
  for (auto& t : tracker.evaluate(r.span.end)) ts.push_back(t);
  // Pair opens and closes per key; keep events still open at span.begin or opened inside the span.
  std::map<std::pair<std::string, int>, size_t> open_index;
  for (const sources::EventTransition& t : ts) {
    const auto key = std::make_pair(t.key.mn, static_cast<int>(t.key.kind));
    if (t.transition == sources::Transition::kOpen) {
      open_index[key] = out.size();
      out.push_back(view_of(*row_of[t.key.mn], t, std::nullopt));
    } else if (auto it = open_index.find(key); it != open_index.end()) {
      out[it->second].closed = t.at;
      open_index.erase(it);
    }
  }
  std::vector<dust::EventView> kept;
  for (dust::EventView& e : out) {
    if (e.opened < r.span.end && (!e.closed || *e.closed > r.span.begin)) kept.push_back(std::move(e));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const dust::EventView& a, const dust::EventView& b) {
    return a.point != b.point ? a.point < b.point : a.opened < b.opened;
  });
  return kept;
}

}  // namespace ecomon::app
