#include "app/networks.h"

#include <map>
#include <set>

#include "app/clock.h"
#include "app/dust.h"
#include "app/emissions.h"
#include "core/decimal.h"

namespace ecomon::app {
namespace {

constexpr int64_t kMilliSecondsPerKwh = int64_t{1000} * 3600;  // kW in thousandths × seconds per kWh

nlohmann::json time_or_null(const std::optional<sources::SourceTime>& t) {
  return t ? nlohmann::json(t->to_string()) : nlohmann::json();
}

}  // namespace

StatusOr<EnterpriseNetworks> enterprise_networks(Stores& stores, const Actor& who,
                                                 const EnterpriseNetworksRequest& req) {
  if (!(req.span.begin < req.span.end)) return invalid_argument("from must be before to");
  if (who.role == Role::kPublic)
    return Status(StatusCode::kPermissionDenied, "an enterprise's monitoring is not public");
  auto load = stores.source_registry().load();
  if (!load.ok()) return load.status();
  const sources::SourceRegistry& registry = load->registry;
  const sources::Enterprise* e = registry.find_enterprise(req.enterprise);
  if (!e) return not_found("no enterprise '" + req.enterprise + "' in the source registry");
  if (!who.may_access_enterprise(e->id, e->county))
    return Status(StatusCode::kPermissionDenied, "enterprise " + e->id + " is not yours to see");
  // The bureau's view of this one enterprise (its access was checked above).
  const Actor& bureau = Actor::operator_cli();

  EnterpriseNetworks out;
  out.enterprise = e->id;
  out.name = e->name;
  out.county = e->county;
  out.span = req.span;

  // Emissions: the loads over the span's days, and its devices' exceedances.
  const DayRange days{req.span.begin.day(), (req.span.end - 1).day()};
  auto report = emission_totals(stores, bureau, {.period = days, .period_text = "", .county = e->county});
  if (!report.ok()) return report.status();
  for (const sources::LoadGroup& g : report->totals.enterprises) {
    if (g.key == e->id) out.loads = g;
  }
  std::set<std::string> mns;
  for (const sources::Device* d : registry.devices()) {
    const sources::Outlet* o = registry.find_outlet(d->outlet_id);
    if (o && o->enterprise_id == e->id) mns.insert(d->mn);
  }
  auto events = stores.source_events().events({.from = req.span.begin, .to = req.span.end});
  if (!events.ok()) return events.status();
  for (const StoredEvent& s : *events) {
    if (s.open.key.kind == sources::EventKind::kExceedance && mns.count(s.open.key.mn))
      out.exceedances.push_back(s);
  }

  // Power: the lines with their energy, and their live events.
  auto lines = power_lines(stores, bureau, e->id);
  if (!lines.ok()) return lines.status();
  std::vector<std::string> ids;
  std::map<std::string, size_t> index;
  for (const PowerLineRow& l : *lines) {
    index[l.line] = out.lines.size();
    ids.push_back(l.line);
    out.lines.push_back({l, 0, {0, 1}});
  }
  if (!ids.empty()) {
    auto readings = stores.power().readings(ids, req.span);
    if (!readings.ok()) return readings.status();
    std::map<std::string, int64_t> milli_seconds;
    for (const PowerReadingRow& r : *readings) {
      LineEnergy& le = out.lines[index.at(r.line)];
      auto kw = parse_milli(r.kw);
      if (!kw) continue;  // not a number: judged by `power check`, which names it
      ++le.readings;
      milli_seconds[r.line] += *kw * le.line.interval_s;
    }
    for (LineEnergy& le : out.lines) le.kwh = Rational{milli_seconds[le.line.line], kMilliSecondsPerKwh};
  }
  auto power = power_events(stores, bureau, {.span = req.span, .enterprise = e->id});
  if (!power.ok()) return power.status();
  out.power_events = std::move(*power);

  // TSP: its boundary points and their events.
  auto points = dust_points(stores, bureau, {.now = civil_now()});
  if (!points.ok()) return points.status();
  std::set<std::string> owned;
  for (dust::PointView& p : *points) {
    if (p.owner != e->id) continue;
    owned.insert(p.id);
    out.points.push_back(std::move(p));
  }
  if (!owned.empty()) {
    auto dust = dust_events(stores, bureau, {.span = req.span});
    if (!dust.ok()) return dust.status();
    for (dust::EventView& v : *dust) {
      if (owned.count(v.point)) out.dust_events.push_back(std::move(v));
    }
  }
  return out;
}

nlohmann::json networks_json(const EnterpriseNetworks& n) {
  using nlohmann::json;
  json loads = json::array();
  if (n.loads) {
    for (const auto& [code, p] : n.loads->pollutants) {
      const std::optional<double> c = p.completeness_percent();
      loads.push_back({{"pollutant", code},
                       {"kg", sources::round_text(p.kg, 3)},
                       {"completeness_percent", c ? json(sources::round_text(*c, 1)) : json()}});
    }
  }
  json exceedances = json::array();
  for (const StoredEvent& s : n.exceedances) {
    exceedances.push_back({{"mn", s.open.key.mn},
                           {"pollutant", s.open.key.pollutant},
                           {"opened", s.open.at.to_string()},
                           {"closed", time_or_null(s.closed_at)}});
  }
  json lines = json::array();
  for (const LineEnergy& l : n.lines) {
    lines.push_back({{"line", l.line.line},
                     {"name", l.line.name},
                     {"role", l.line.role},
                     {"readings", l.readings},
                     {"kwh", round_half_even(l.kwh, 1).to_string()}});
  }
  json power_events = json::array();
  for (const PowerEventView& e : n.power_events) {
    power_events.push_back({{"kind", e.kind},
                            {"line", e.line},
                            {"related", e.related.empty() ? json() : json(e.related)},
                            {"opened", e.opened.to_string()},
                            {"closed", time_or_null(e.closed)}});
  }
  json points = json::array();
  for (const dust::PointView& p : n.points)
    points.push_back({{"id", p.id}, {"name", p.name}, {"type", p.type}, {"state", p.state}});
  json dust_events = json::array();
  for (const dust::EventView& e : n.dust_events) {
    dust_events.push_back({{"point", e.point},
                           {"kind", e.kind},
                           {"opened", e.opened.to_string()},
                           {"closed", time_or_null(e.closed)}});
  }
  return {{"enterprise", n.enterprise},
          {"name", n.name},
          {"county", n.county},
          {"from", n.span.begin.to_string()},
          {"to", n.span.end.to_string()},
          {"emissions", {{"loads", loads}, {"exceedances", exceedances}}},
          {"power", {{"lines", lines}, {"events", power_events}}},
          {"tsp", {{"points", points}, {"events", dust_events}}}};
}

}  // namespace ecomon::app
