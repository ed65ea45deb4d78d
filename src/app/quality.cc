#include "app/quality.h"

#include <algorithm>
#include <map>

#include "standards/water/exact.h"

namespace ecomon::app {
namespace {

std::string month_text(MonthKey k) {
  std::string m = std::to_string(k.month());
  return std::to_string(k.year()) + "-" + (m.size() == 1 ? "0" + m : m);
}

StatusOr<MonthKey> parse_month(const std::string& s) {
  auto d = CivilDay::parse(s + "-01");
  if (s.size() != 7 || !d.ok()) return invalid_argument("'" + s + "' is not YYYY-MM");
  return MonthKey::of(d->year(), d->month());
}

StatusOr<std::vector<water::SectionAssessment>> assess_sections(QualityStore& qs, const QualityPeriod& p,
                                                                const water::AssessParams& params) {
  auto sections = qs.water_sections();
  if (!sections.ok()) return sections.status();
  auto values = qs.water_values(p.first_month(), p.last_month());
  if (!values.ok()) return values.status();
  // section -> month -> measurements
  std::map<std::string, std::map<std::string, std::vector<water::Measurement>>> by;
  for (const ValueRecord& v : *values) {
    auto item = water::item_by_name(v.item);
    auto x = exact::parse(v.value);
    if (item && x) by[v.subject][v.period].push_back({*item, *x});
  }
  std::vector<water::SectionAssessment> out;
  for (const WaterSectionRecord& s : *sections) {
    water::SectionInput in;
    in.name = s.name;
    in.river = s.river;
    in.body = water::parse_body(s.body).ok() ? *water::parse_body(s.body) : water::WaterBody::kRiver;
    if (auto t = water::parse_class(s.target); t.ok()) in.target = *t;
    for (auto& [month, m] : by[s.name]) in.samples.push_back(m);
    out.push_back(water::assess_section(in, params));
  }
  return out;
}

std::map<std::string, std::vector<water::SectionAssessment>> by_river(
    const std::vector<water::SectionAssessment>& s) {
  std::map<std::string, std::vector<water::SectionAssessment>> out;
  for (const auto& a : s) out[a.river].push_back(a);
  return out;
}

// Drinking-water samples of one source and month judged: GB 3838 Ⅲ + Table 2 (surface), GB/T 14848 Ⅲ
// (ground).
StatusOr<std::vector<water::SourceSample>> source_samples(QualityStore& qs, const QualityPeriod& p) {
  auto sources = qs.sources();
  if (!sources.ok()) return sources.status();
  auto values = qs.source_values(p.first_month(), p.last_month());
  if (!values.ok()) return values.status();
  std::map<std::string, std::string> kind;
  for (const SiteRecord& s : *sources) kind[s.name] = s.kind;
  std::map<std::pair<std::string, std::string>, std::vector<const ValueRecord*>> groups;
  std::vector<std::pair<std::string, std::string>> order;
  for (const ValueRecord& v : *values) {
    auto key = std::make_pair(v.subject, v.period);
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(&v);
  }
  std::vector<water::SourceSample> out;
  for (const auto& key : order) {
    const auto& g = groups[key];
    water::SourceSample s{key.first, true, exact::parse(g.front()->volume).value_or(Rational{})};
    if (kind[key.first] == "ground") {
      std::vector<groundwater::GwMeasurement> m;
      for (const ValueRecord* v : g) {
        if (auto i = groundwater::indicator_by_name(v->item))
          m.push_back({*i, *exact::parse(v->value), false});
      }
      auto w = groundwater::classify_well(m, groundwater::GwParams{});
      s.compliant =
          !w.cls || groundwater::class_rank(*w.cls) <= groundwater::class_rank(groundwater::GwClass::kIII);
    } else {
      std::vector<water::Measurement> m;
      for (const ValueRecord* v : g) {
        Rational x = *exact::parse(v->value);
        if (auto i = water::item_by_name(v->item)) {
          m.push_back({*i, x});
        } else if (auto sup = water::supplementary_by_name(v->item);
                   sup && x > water::supplementary_limit(*sup)) {
          s.compliant = false;
        }
      }
      auto r = water::classify_section(m, water::WaterBody::kLakeReservoir, water::Gb3838Params{});
      if (r.cls && !water::meets_target(*r.cls, water::WaterClass::kIII)) s.compliant = false;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

QualityPeriod QualityPeriod::previous() const {
  return {MonthKey{first.ordinal - 12}, MonthKey{last.ordinal - 12}, label + " (previous year)"};
}
std::string QualityPeriod::first_month() const { return month_text(first); }
std::string QualityPeriod::last_month() const { return month_text(last); }
std::string QualityPeriod::first_day() const { return first_month() + "-01"; }
std::string QualityPeriod::last_day() const { return last_month() + "-" + std::to_string(last.days()); }

StatusOr<QualityPeriod> quality_period(int year, const std::string& period) {
  if ((year != 0) == !period.empty())
    return invalid_argument("name the period with exactly one of --year Y, --period P");
  std::string p = year != 0 ? std::to_string(year) : period;
  constexpr size_t kYearLen = 4, kQuarterLen = 7, kMonthLen = 7;
  if (size_t dots = p.find(".."); dots != std::string::npos) {
    auto a = parse_month(p.substr(0, dots));
    auto b = parse_month(p.substr(dots + 2));
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    if (*b < *a) return invalid_argument("--period " + p + " ends before it starts");
    return QualityPeriod{*a, *b, p};
  }
  if (p.size() == kYearLen) {
    auto d = CivilDay::parse(p + "-01-01");
    if (!d.ok()) return invalid_argument("'" + p + "' is not a year");
    return QualityPeriod{MonthKey::of(d->year(), 1), MonthKey::of(d->year(), 12), p};
  }
  if (p.size() == kQuarterLen && (p[5] == 'Q' || p[5] == 'q') && p[6] >= '1' && p[6] <= '4') {
    auto d = CivilDay::parse(p.substr(0, 4) + "-01-01");
    if (!d.ok()) return invalid_argument("'" + p + "' is not YYYY-Qn");
    int q = p[6] - '0';
    return QualityPeriod{MonthKey::of(d->year(), q * 3 - 2), MonthKey::of(d->year(), q * 3), p};
  }
  if (p.size() == kMonthLen) {
    auto m = parse_month(p);
    if (!m.ok()) return m.status();
    return QualityPeriod{*m, *m, p};
  }
  return invalid_argument("--period '" + p + "' is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM");
}

StatusOr<water::WaterReport> water_assessment(Stores& stores, const Actor& /*who: public data*/,
                                              const QualityPeriod& period) {
  QualityStore& qs = stores.quality();
  water::WaterReport report;
  report.period = period.label;
  report.first_month = period.first_month();
  report.last_month = period.last_month();
  water::ChangeParams change;
  auto cur = assess_sections(qs, period, report.params);
  if (!cur.ok()) return cur.status();
  auto prev = assess_sections(qs, period.previous(), report.params);
  if (!prev.ok()) return prev.status();
  std::map<std::string, const water::SectionAssessment*> prev_by_name;
  for (const auto& a : *prev) prev_by_name[a.name] = &a;
  for (const auto& a : *cur) {
    water::SectionRow row{a, std::nullopt, std::nullopt};
    auto p = prev_by_name.find(a.name);
    if (p != prev_by_name.end() && p->second->result.cls) {
      row.previous_class = p->second->result.cls;
      if (a.result.cls) row.change = water::section_change(*row.previous_class, *a.result.cls, change);
    }
    report.sections.push_back(std::move(row));
  }
  auto rivers_prev = by_river(*prev);
  for (const auto& [river, list] : by_river(*cur)) {
    water::RiverAssessment r = water::assess_river(river, list, report.params);
    water::RiverAssessment pr = water::assess_river(river, rivers_prev[river], report.params);
    report.rivers.push_back({r, water::river_change(pr, r, change)});
  }
  auto samples = source_samples(qs, period);
  if (!samples.ok()) return samples.status();
  if (!samples->empty()) report.sources = water::source_compliance(*samples);
  return report;
}

StatusOr<groundwater::GroundwaterReport> groundwater_assessment(Stores& stores, const Actor& who,
                                                                const QualityPeriod& period) {
  QualityStore& qs = stores.quality();
  auto wells = qs.wells();
  if (!wells.ok()) return wells.status();
  auto values = qs.well_values(period.first_day(), period.last_day());
  if (!values.ok()) return values.status();
  groundwater::GwParams params;
  // Period value per indicator: the mean of the samplings; not detected only when every sampling was.
  std::map<std::string, std::map<std::string, std::pair<std::vector<Rational>, bool>>> by;
  for (const ValueRecord& v : *values) {
    auto& cell = by[v.subject][v.item];
    if (cell.first.empty()) cell.second = true;
    cell.first.push_back(*exact::parse(v.value));
    cell.second = cell.second && v.not_detected;
  }
  groundwater::GroundwaterReport report;
  report.period = period.label;
  for (const SiteRecord& w : *wells) {
    if (who.role == Role::kCounty && w.county != who.county) continue;  // a county user: its own wells
    std::vector<groundwater::GwMeasurement> m;
    for (const auto& [key, cell] : by[w.name]) {
      if (auto i = groundwater::indicator_by_name(key))
        m.push_back({*i, *exact::mean(cell.first), cell.second});
    }
    std::sort(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.indicator < b.indicator; });
    groundwater::WellRow row{w.name, w.county, m.size(), groundwater::classify_well(m, params), std::nullopt};
    row.f = groundwater::f_value(row.result, params);
    report.wells.push_back(std::move(row));
  }
  return report;
}

StatusOr<noise::NoiseReport> noise_assessment(Stores& stores, const Actor& /*who*/,
                                              const QualityPeriod& period) {
  QualityStore& qs = stores.quality();
  auto points = qs.noise_points();
  if (!points.ok()) return points.status();
  auto values = qs.noise_values(period.first_day(), period.last_day());
  if (!values.ok()) return values.status();
  std::map<std::string, SiteRecord> point;
  for (const SiteRecord& s : *points) point[s.name] = s;
  noise::NoiseParams params;
  std::vector<noise::ZoneMeasurement> zone;
  std::vector<Rational> grid[2];
  std::vector<noise::RoadSection> road[2];
  for (const NoiseRecord& v : *values) {
    const SiteRecord& s = point[v.point];
    noise::DayPart part = v.part == "day" ? noise::DayPart::kDay : noise::DayPart::kNight;
    Rational leq = *exact::parse(v.leq);
    int pi = part == noise::DayPart::kDay ? 0 : 1;
    if (s.kind == "zone") {
      zone.push_back({v.point, *noise::parse_zone(s.zone), part, leq, exact::parse(v.lmax)});
    } else if (s.kind == "regional") {
      grid[pi].push_back(leq);
    } else if (s.kind == "road") {
      road[pi].push_back({*exact::parse(s.length), leq});
    }
  }
  noise::NoiseReport report;
  report.period = period.label;
  report.zones = noise::zone_compliance(zone, params);
  for (int pi = 0; pi < 2; ++pi) {
    noise::DayPart part = pi == 0 ? noise::DayPart::kDay : noise::DayPart::kNight;
    for (int kind = 0; kind < 2; ++kind) {
      auto g = kind == 0 ? noise::regional_grade(part, grid[pi], params)
                         : noise::road_grade(part, road[pi], params);
      if (g) report.grades.push_back({kind == 1, part, *g});
    }
  }
  return report;
}

StatusOr<rain::RainReport> rain_assessment(Stores& stores, const Actor& /*who*/,
                                           const QualityPeriod& period) {
  auto samples = stores.quality().rain_samples(period.first_day(), period.last_day());
  if (!samples.ok()) return samples.status();
  std::map<std::string, std::vector<rain::RainSample>> by;
  std::vector<rain::RainSample> all;
  for (const RainRecord& r : *samples) {
    rain::RainSample s{*exact::parse(r.ph), *exact::parse(r.rainfall)};
    by[r.site].push_back(s);
    all.push_back(s);
  }
  rain::RainReport report;
  report.period = period.label;
  auto add = [&](const std::string& site, const std::vector<rain::RainSample>& s) {
    if (auto r = rain::summarise(s)) report.sites.push_back({site, *r});
  };
  for (const auto& [site, s] : by) add(site, s);
  if (by.size() > 1) add("全市", all);
  return report;
}

}  // namespace ecomon::app
