#include "app/power.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/decimal.h"
#include "emergency/registry.h"
#include "emergency/warning.h"

namespace ecomon::app {
namespace {

using sources::SourceTime;
using sources::TimeSpan;

struct WarningPeriod {
  emergency::WarningLevel level;
  TimeSpan span;  // the end: the next event, or far ahead while in force
};

StatusOr<std::vector<WarningPeriod>> warning_periods(Stores& stores) {
  auto history = stores.emergency().warnings();
  if (!history.ok()) return history.status();
  std::vector<WarningPeriod> out;
  for (size_t i = 0; i < history->size(); ++i) {
    const emergency::WarningEvent& e = (*history)[i];
    if (e.level == emergency::WarningLevel::kNone) continue;
    auto begin = SourceTime::parse(e.effective_from);
    if (!begin.ok()) return begin.status().with_context("warning " + std::to_string(e.id));
    SourceTime end = SourceTime::of_seconds(int64_t{1} << 50);
    if (i + 1 < history->size()) {
      auto next = SourceTime::parse((*history)[i + 1].effective_from);
      if (!next.ok()) return next.status().with_context("warning " + std::to_string((*history)[i + 1].id));
      end = *next;
    }
    out.push_back({e.level, {*begin, end}});
  }
  return out;
}

const emergency::Enterprise* list_entry(const emergency::ReductionList& list, const std::string& id) {
  if (const emergency::Enterprise* e = list.find(id)) return e;
  for (const emergency::Enterprise& e : list.enterprises) {
    if (!e.source_enterprise.empty() && e.source_enterprise == id) return &e;
  }
  return nullptr;
}

// What the warnings overlapping `span` ask of the production lines linked to reduction-list lines: a stop
// order where the measure at the warning's level is 停产, a required cut where it is 限产 x %.
struct CutAsk {
  const power::MeteredLine* line;
  const emergency::Enterprise* entry;
  std::string list_line;
  emergency::WarningLevel level;
  TimeSpan during;
  int percent;
};
struct Demands {
  std::vector<power::StopOrder> orders;
  std::vector<CutAsk> asks;
};
Demands demands(const std::vector<power::MeteredLine>& lines,
                const std::map<std::string, const PowerLineRow*>& row_of,
                const emergency::ReductionList& list, const std::vector<WarningPeriod>& warnings,
                TimeSpan span, std::vector<std::string>& problems) {
  Demands out;
  for (const WarningPeriod& w : warnings) {
    const TimeSpan during{std::max(w.span.begin, span.begin), std::min(w.span.end, span.end)};
    if (!(during.begin < during.end)) continue;
    for (const power::MeteredLine& l : lines) {
      if (l.role != power::LineRole::kProduction) continue;
      const emergency::Enterprise* entry = list_entry(list, l.enterprise);
      if (entry == nullptr) continue;
      for (const std::string& list_line : row_of.at(l.id)->list_lines) {
        auto it = std::find_if(entry->lines.begin(), entry->lines.end(),
                               [&](const emergency::Line& x) { return x.id == list_line; });
        if (it == entry->lines.end()) {
          problems.push_back(l.id + ": list line '" + list_line + "' is not a line of " + entry->id +
                             " on the reduction list");
          continue;
        }
        const emergency::Measure& m = it->measures[emergency::level_index(w.level)];
        const std::string level_zh(emergency::level_name_zh(w.level));
        if (m.kind == emergency::MeasureKind::kStop) {
          out.orders.push_back({l.id, during, level_zh + "预警 停产 (" + list_line + ")"});
        } else if (m.kind == emergency::MeasureKind::kCutProduction) {
          out.asks.push_back({&l, entry, list_line, w.level, during, m.cut_percent});
        }
      }
    }
  }
  return out;
}

// The metered lines as the rules take them (a line whose threshold is no number: a problem, left out).
void metered_lines(const std::vector<PowerLineRow>& rows,
                   const std::function<bool(const PowerLineRow&)>& seen,
                   std::vector<power::MeteredLine>& lines, std::map<std::string, const PowerLineRow*>& row_of,
                   std::vector<std::string>& problems) {
  for (const PowerLineRow& r : rows) {
    if (!seen(r)) continue;
    auto kw = parse_milli(r.running_kw);
    if (!kw) {
      problems.push_back(r.line + ": running_kw '" + r.running_kw + "' is not a number");
      continue;
    }
    power::MeteredLine l;
    l.id = r.line;
    l.enterprise = r.enterprise;
    l.name = r.name;
    l.role = r.role == "treatment" ? power::LineRole::kTreatment : power::LineRole::kProduction;
    l.running_kw = Decimal::of_milli(*kw);
    l.interval_s = r.interval_s;
    l.serves = r.serves;
    lines.push_back(std::move(l));
    row_of[r.line] = &r;
  }
}

// The closed and 散乱污 sites the actor sees (a county user: its county's) drawing power on the grid
// company's daily figures of [first, last] (power::sites_drawing_power); `sites` (optional) gets them.
StatusOr<std::vector<power::PowerEvent>> site_events(Stores& stores, const Actor& who, CivilDay first,
                                                     CivilDay last, const power::SiteParams& params,
                                                     std::vector<std::string>& problems,
                                                     std::map<std::string, PowerSiteRow>* sites_seen) {
  auto sites = stores.power().sites();
  if (!sites.ok()) return sites.status();
  std::vector<power::ClosedSite> closed;
  std::vector<std::string> meters;
  for (const PowerSiteRow& s : *sites) {
    if (who.role == Role::kCounty && s.county != who.county) continue;
    auto since = SourceTime::parse(s.closed_since + " 00:00");
    if (!since.ok()) {
      problems.push_back("site " + s.site + ": closed_since '" + s.closed_since + "' is not a date");
      continue;
    }
    closed.push_back({s.site, s.name, s.meter, *since});
    meters.push_back(s.meter);
    if (sites_seen) (*sites_seen)[s.site] = s;
  }
  if (closed.empty()) return std::vector<power::PowerEvent>{};
  auto grid = stores.power().grid(meters, first.to_string(), last.to_string());
  if (!grid.ok()) return grid.status();
  std::vector<power::DailyEnergy> days;
  for (const GridEnergyRow& g : *grid) {
    if (g.period != "day") continue;
    auto d = CivilDay::parse(g.start);
    auto kwh = parse_milli(g.kwh);
    if (d.ok() && kwh) days.push_back({g.meter, *d, Decimal::of_milli(*kwh)});
  }
  return power::sites_drawing_power(closed, days, params);
}

// The enterprise an actor's request is about: "" = all it may see; an enterprise user's own (another named:
// kPermissionDenied); the public kPermissionDenied.
StatusOr<std::string> scoped_enterprise(const Actor& who, const std::string& enterprise) {
  if (who.role == Role::kPublic) return Status(StatusCode::kPermissionDenied, "power-use data is not public");
  if (who.role != Role::kEnterprise) return enterprise;
  if (!enterprise.empty() && enterprise != who.enterprise)
    return Status(StatusCode::kPermissionDenied, "an enterprise user sees only its own enterprise");
  return who.enterprise;
}

// Whether the actor sees a line of this enterprise (a county user: an enterprise of its county on the list).
bool sees_line(const Actor& who, const emergency::ReductionList& list, const PowerLineRow& r) {
  const emergency::Enterprise* entry = list_entry(list, r.enterprise);
  return who.role != Role::kCounty ||
         (entry != nullptr && who.may_access_enterprise(r.enterprise, entry->county));
}

}  // namespace

StatusOr<PowerCheck> power_check(Stores& stores, const Actor& who, const PowerCheckRequest& req) {
  if (!(req.span.begin < req.span.end)) return invalid_argument("the period judged is empty");
  auto scoped = scoped_enterprise(who, req.enterprise);
  if (!scoped.ok()) return scoped.status();
  const std::string& enterprise = *scoped;
  auto stored_lines = stores.power().lines(enterprise);
  if (!stored_lines.ok()) return stored_lines.status();
  auto list = stores.emergency().load_list();
  if (!list.ok()) return list.status();
  auto warnings = warning_periods(stores);
  if (!warnings.ok()) return warnings.status();

  PowerCheck out;
  // The lines the actor may see, as the rules take them.
  std::vector<power::MeteredLine> lines;
  std::map<std::string, const PowerLineRow*> row_of;
  metered_lines(
      *stored_lines, [&](const PowerLineRow& r) { return sees_line(who, *list, r); }, lines, row_of,
      out.problems);
  // A treatment line serving a line the actor does not see (another enterprise's) serves only the seen ones.
  for (power::MeteredLine& l : lines) {
    std::erase_if(l.serves, [&](const std::string& s) { return !row_of.count(s); });
  }

  // Stop orders and required cuts from the warnings overlapping the period.
  Demands demanded = demands(lines, row_of, *list, *warnings, req.span, out.problems);
  std::vector<power::StopOrder>& orders = demanded.orders;
  const std::vector<CutAsk>& asks = demanded.asks;

  // The readings of the period, of the lines the event rules read: the treatment lines, the production
  // lines they serve and the lines under a stop order. The required cuts need only each line's count and
  // sum over the baseline and the warning, which the store computes (no reading is read back for them).
  std::set<std::string> judged;
  for (const power::MeteredLine& l : lines) {
    if (l.role != power::LineRole::kTreatment) continue;
    judged.insert(l.id);
    judged.insert(l.serves.begin(), l.serves.end());
  }
  for (const power::StopOrder& o : orders) judged.insert(o.line);
  std::set<std::string> bad;  // unreadable readings, each reported once
  auto reading_of = [&](const PowerReadingRow& r) -> std::optional<power::Reading> {
    auto kw = parse_milli(r.kw);
    if (kw) return power::Reading{r.at, Decimal::of_milli(*kw)};
    const std::string problem =
        r.line + ": reading at " + std::to_string(r.at.to_digits()) + " '" + r.kw + "' is not a number";
    if (bad.insert(problem).second) out.problems.push_back(problem);
    return std::nullopt;
  };
  auto stored = stores.power().readings({judged.begin(), judged.end()}, req.span);
  if (!stored.ok()) return stored.status();
  power::Readings in_span;
  for (const PowerReadingRow& r : *stored) {
    if (auto reading = reading_of(r)) in_span[r.line].push_back(*reading);
  }

  auto treatment = power::treatment_not_running(lines, in_span, req.treatment);
  if (!treatment.ok()) return treatment.status();
  out.events = std::move(*treatment);
  auto stops = power::production_during_stop(lines, in_span, orders, req.stop);
  if (!stops.ok()) return stops.status();
  out.events.insert(out.events.end(), stops->begin(), stops->end());

  // Each cut's sums over its baseline and its warning, asked of the store by span (the lines of a warning
  // share both); readings the store could not sum are read here (or reported, as above).
  std::map<std::pair<int64_t, int64_t>, std::map<std::string, power::ReadingSum>> sums;
  for (const CutAsk& a : asks) {
    for (TimeSpan span : {power::cut_baseline(a.during, req.cut), a.during})
      sums[{span.begin.seconds, span.end.seconds}][a.line->id] = {};
  }
  for (auto& [key, by_line] : sums) {
    std::vector<std::string> ids;
    for (const auto& entry : by_line) ids.push_back(entry.first);
    const TimeSpan span{SourceTime::of_seconds(key.first), SourceTime::of_seconds(key.second)};
    auto got = stores.power().reading_sums(ids, span);
    if (!got.ok()) return got.status();
    for (const PowerReadingSum& g : *got) {
      power::ReadingSum& sum = by_line[g.line];
      sum = {g.readings, g.milli_kw};
      for (const PowerReadingRow& r : g.unsummed) {
        if (auto reading = reading_of(r)) {
          sum.milli_kw += reading->kw.to_milli();
          ++sum.readings;
        }
      }
    }
  }
  auto sum_of = [&](const power::MeteredLine* line, TimeSpan span) {
    return sums[{span.begin.seconds, span.end.seconds}][line->id];
  };
  for (const CutAsk& a : asks) {
    PowerCut c;
    c.enterprise = a.line->enterprise;
    c.line = a.line->id;
    c.list_line = a.list_line;
    c.list_enterprise = a.entry->id;
    c.county = a.entry->county;
    c.level = std::string(emergency::level_name(a.level));
    c.during = a.during;
    c.compliance = power::cut_compliance(*a.line, sum_of(a.line, power::cut_baseline(a.during, req.cut)),
                                         sum_of(a.line, a.during), a.during, a.percent, req.cut);
    out.cuts.push_back(std::move(c));
  }

  // Closed and 散乱污 sites: the bureau's and the counties' view (not an enterprise's).
  if (who.role != Role::kEnterprise && enterprise.empty()) {
    auto drawing = site_events(stores, who, req.span.begin.day(), (req.span.end - 1).day(), req.site,
                               out.problems, nullptr);
    if (!drawing.ok()) return drawing.status();
    out.events.insert(out.events.end(), drawing->begin(), drawing->end());
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const power::PowerEvent& a, const power::PowerEvent& b) {
                     return std::tie(a.rule, a.enterprise, a.line, a.opened.seconds) <
                            std::tie(b.rule, b.enterprise, b.line, b.opened.seconds);
                   });
  return out;
}

StatusOr<PowerCases> evaluate_power_cases(Stores& stores, const Actor& who, const PowerCasesRequest& req,
                                          int64_t now_ms) {
  if (!who.is_bureau() && who.role != Role::kCounty)
    return Status(StatusCode::kPermissionDenied, "enforcement cases are the bureau's and the counties'");
  auto first = CivilDay::parse(req.from);
  if (!first.ok()) return first.status().with_context("from");
  auto last = CivilDay::parse(req.to);
  if (!last.ok()) return last.status().with_context("to");
  if (*last < *first) return invalid_argument("from must not be after to");
  if (req.site.max_kwh_per_day < Decimal{0, 0})
    return invalid_argument("the threshold must not be negative, got " +
                            req.site.max_kwh_per_day.to_string());
  PowerCases out;
  std::map<std::string, PowerSiteRow> seen;
  auto drawing = site_events(stores, who, *first, *last, req.site, out.problems, &seen);
  if (!drawing.ok()) return drawing.status();
  std::vector<PowerCaseRow> rows;
  for (const power::PowerEvent& e : *drawing) {
    const PowerSiteRow& s = seen.at(e.enterprise);  // the rule names the site in `enterprise`
    rows.push_back({s.site, e.opened.day().to_string(), e.closed ? e.closed->day().to_string() : "", s.name,
                    s.county, s.meter, s.status, e.readings, req.site.max_kwh_per_day.to_string(), 0, 0});
  }
  out.found = static_cast<int64_t>(rows.size());
  auto changed = stores.power().write_cases(rows, now_ms);
  if (!changed.ok()) return changed.status();
  out.changed = *changed;
  auto listed = power_cases(stores, who);
  if (!listed.ok()) return listed.status();
  out.cases = std::move(*listed);
  return out;
}

StatusOr<std::vector<power::EnforcementCase>> power_cases(Stores& stores, const Actor& who) {
  if (!who.is_bureau() && who.role != Role::kCounty)
    return Status(StatusCode::kPermissionDenied, "enforcement cases are the bureau's and the counties'");
  auto rows = stores.power().cases(who.role == Role::kCounty ? who.county : "");
  if (!rows.ok()) return rows.status();
  std::vector<power::EnforcementCase> out;
  for (const PowerCaseRow& r : *rows) {
    out.push_back({r.site, r.opened, r.closed, r.name, r.county, r.meter, r.status, r.days, r.threshold_kwh,
                   r.found_ms, r.updated_ms});
  }
  return out;
}

StatusOr<std::vector<PowerLineRow>> power_lines(Stores& stores, const Actor& who,
                                                const std::string& enterprise) {
  auto scoped = scoped_enterprise(who, enterprise);
  if (!scoped.ok()) return scoped.status();
  auto rows = stores.power().lines(*scoped);
  if (!rows.ok()) return rows.status();
  if (who.role != Role::kCounty) return rows;
  auto list = stores.emergency().load_list();
  if (!list.ok()) return list.status();
  std::erase_if(*rows, [&](const PowerLineRow& r) { return !sees_line(who, *list, r); });
  return rows;
}

StatusOr<std::vector<PowerReadingRow>> power_readings(Stores& stores, const Actor& who,
                                                      const PowerReadingsRequest& req) {
  if (req.enterprise.empty() && req.line.empty()) return invalid_argument("enterprise or line is required");
  if (!(req.span.begin < req.span.end)) return invalid_argument("from must be before to");
  auto lines = power_lines(stores, who, req.enterprise);
  if (!lines.ok()) return lines.status();
  std::vector<std::string> ids;
  for (const PowerLineRow& l : *lines) {
    if (req.line.empty() || l.line == req.line) ids.push_back(l.line);
  }
  if (!req.line.empty() && ids.empty()) return not_found("no power line '" + req.line + "'");
  if (ids.empty()) return std::vector<PowerReadingRow>{};
  return stores.power().readings(ids, req.span);
}

StatusOr<std::vector<PowerEventView>> power_events(Stores& stores, const Actor& who,
                                                   const PowerEventsRequest& req) {
  auto lines = power_lines(stores, who, req.enterprise);
  if (!lines.ok()) return lines.status();
  std::map<std::string, const PowerLineRow*> by_line;
  for (const PowerLineRow& l : *lines) by_line[l.line] = &l;
  auto stored =
      stores.source_events().events({.from = req.span.begin, .to = req.span.end, .open_only = req.open_only});
  if (!stored.ok()) return stored.status();
  std::vector<PowerEventView> out;
  for (const StoredEvent& e : *stored) {
    if (!sources::is_power_event(e.open.key.kind)) continue;
    // The key's pollutant: "treatment>production" or the production line under the stop order.
    const std::string& p = e.open.key.pollutant;
    const size_t gt = p.find('>');
    const std::string line = p.substr(0, gt);
    auto it = by_line.find(line);
    if (it == by_line.end()) continue;
    PowerEventView v;
    v.kind = std::string(sources::event_kind_name(e.open.key.kind));
    v.enterprise = it->second->enterprise;
    v.line = line;
    if (gt != std::string::npos) v.related = p.substr(gt + 1);
    v.mn = e.open.key.mn;
    v.opened = e.open.at;
    v.closed = e.closed_at;
    if (e.open.value) v.kw = e.open.value->to_string();
    if (e.open.limit) v.running_kw = e.open.limit->to_string();
    out.push_back(std::move(v));
  }
  return out;
}

StatusOr<std::vector<power::StopOrder>> power_stop_orders(Stores& stores, sources::TimeSpan span) {
  auto stored_lines = stores.power().lines("");
  if (!stored_lines.ok()) return stored_lines.status();
  auto list = stores.emergency().load_list();
  if (!list.ok()) return list.status();
  auto warnings = warning_periods(stores);
  if (!warnings.ok()) return warnings.status();
  std::vector<power::MeteredLine> lines;
  std::map<std::string, const PowerLineRow*> row_of;
  std::vector<std::string> problems;
  metered_lines(
      *stored_lines, [](const PowerLineRow&) { return true; }, lines, row_of, problems);
  return demands(lines, row_of, *list, *warnings, span, problems).orders;
}

}  // namespace ecomon::app
