// `ecomon water|groundwater|noise|rain assess|import`.
#include "cli/quality_commands.h"
#include "cli/table_output.h"
#include "cli/views.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text_table.h"
#include "core/time.h"
#include "core/utf8.h"
#include "noise/noise.h"
#include "rain/acid_rain.h"
#include "standards/water/exact.h"
#include "standards/water/gb14848.h"
#include "store/quality/quality_store.h"
#include "water/assessment.h"

namespace ecomon::cli {
namespace {

using nlohmann::json;

enum class Format : uint8_t { kTable, kCsv, kJson };

struct QualityOpts {
  std::string period, format = "table", vocabulary = "2011", dir;
  int year = 0;
};

// A period of whole months: "2025", "2025-Q3", "2025-03", "2024-07..2025-06" (or --year).
struct MonthPeriod {
  MonthKey first, last;
  std::string label;
  MonthPeriod previous() const {
    return {MonthKey{first.ordinal - 12}, MonthKey{last.ordinal - 12}, label + " (previous year)"};
  }
  std::string first_month() const { return month_text(first); }
  std::string last_month() const { return month_text(last); }
  std::string first_day() const { return first_month() + "-01"; }
  std::string last_day() const { return last_month() + "-" + std::to_string(last.days()); }
  static std::string month_text(MonthKey k) {
    std::string m = std::to_string(k.month());
    return std::to_string(k.year()) + "-" + (m.size() == 1 ? "0" + m : m);
  }
};

StatusOr<MonthKey> parse_month(const std::string& s) {
  auto d = CivilDay::parse(s + "-01");
  if (s.size() != 7 || !d.ok()) return invalid_argument("'" + s + "' is not YYYY-MM");
  return MonthKey::of(d->year(), d->month());
}

StatusOr<MonthPeriod> resolve(const QualityOpts& o) {
  if ((o.year != 0) == !o.period.empty())
    return invalid_argument("name the period with exactly one of --year Y, --period P");
  std::string p = o.year != 0 ? std::to_string(o.year) : o.period;
  constexpr size_t kYearLen = 4, kQuarterLen = 7, kMonthLen = 7;
  if (size_t dots = p.find(".."); dots != std::string::npos) {
    auto a = parse_month(p.substr(0, dots));
    auto b = parse_month(p.substr(dots + 2));
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    if (*b < *a) return invalid_argument("--period " + p + " ends before it starts");
    return MonthPeriod{*a, *b, p};
  }
  if (p.size() == kYearLen) {
    auto d = CivilDay::parse(p + "-01-01");
    if (!d.ok()) return invalid_argument("'" + p + "' is not a year");
    return MonthPeriod{MonthKey::of(d->year(), 1), MonthKey::of(d->year(), 12), p};
  }
  if (p.size() == kQuarterLen && (p[5] == 'Q' || p[5] == 'q') && p[6] >= '1' && p[6] <= '4') {
    auto d = CivilDay::parse(p.substr(0, 4) + "-01-01");
    if (!d.ok()) return invalid_argument("'" + p + "' is not YYYY-Qn");
    int q = p[6] - '0';
    return MonthPeriod{MonthKey::of(d->year(), q * 3 - 2), MonthKey::of(d->year(), q * 3), p};
  }
  if (p.size() == kMonthLen) {
    auto m = parse_month(p);
    if (!m.ok()) return m.status();
    return MonthPeriod{*m, *m, p};
  }
  return invalid_argument("--period '" + p + "' is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM");
}

StatusOr<Format> parse_format(const std::string& f) {
  if (f == "table") return Format::kTable;
  if (f == "csv") return Format::kCsv;
  if (f == "json") return Format::kJson;
  return invalid_argument("--format must be table, csv or json");
}

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

void print(Format f, const std::string& title, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows) {
  print_rows(f == Format::kCsv, title, header, rows);
}

// ---- surface water ----

std::string items_text(const std::vector<water::Exceedance>& ex) {
  std::string s;
  for (const auto& e : ex) {
    s += (s.empty() ? "" : "、") + std::string(water::item_info(e.item).name_cn);
    if (e.multiple) s += "(" + e.multiple->to_string() + ")";
  }
  return s.empty() ? "-" : s;
}

StatusOr<std::vector<water::SectionAssessment>> assess_sections(QualityStore& qs, const MonthPeriod& p,
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
StatusOr<std::vector<water::SourceSample>> source_samples(QualityStore& qs, const MonthPeriod& p) {
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

// With `result`, the JSON goes there instead of standard output and is not stored.
int run_water(const std::string& db, const QualityOpts& o, nlohmann::json* result = nullptr) {
  auto period = resolve(o);
  if (!period.ok()) return fail(period.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  water::Vocabulary vocab =
      o.vocabulary == "bulletin" ? water::Vocabulary::kBulletin : water::Vocabulary::kMethod2011;
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  water::AssessParams params;
  water::ChangeParams change;
  auto cur = assess_sections(**qs, *period, params);
  if (!cur.ok()) return fail(cur.status());
  auto prev = assess_sections(**qs, period->previous(), params);
  if (!prev.ok()) return fail(prev.status());
  std::map<std::string, const water::SectionAssessment*> prev_by_name;
  for (const auto& a : *prev) prev_by_name[a.name] = &a;

  json j = {{"period", period->label},
            {"first_month", period->first_month()},
            {"last_month", period->last_month()}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : *cur) {
    const water::SectionAssessment* pa = prev_by_name.count(a.name) ? prev_by_name[a.name] : nullptr;
    std::optional<water::Change> ch;
    if (pa && pa->result.cls && a.result.cls)
      ch = water::section_change(*pa->result.cls, *a.result.cls, change);
    std::string cls = a.result.cls ? std::string(water::class_name(*a.result.cls)) : "-";
    std::string target = a.target ? std::string(water::class_name(*a.target)) : "-";
    std::string meets = a.meets_target ? (*a.meets_target ? "是" : "否") : "-";
    std::string main;
    for (water::Item i : a.main_pollutants)
      main += (main.empty() ? "" : "、") + std::string(water::item_info(i).name_cn);
    rows.push_back({a.name, a.river, target, std::to_string(a.samples), cls,
                    a.status ? std::string(water::status_name(*a.status)) : "-", meets,
                    items_text(a.over_target), main.empty() ? "-" : main,
                    pa && pa->result.cls ? std::string(water::class_name(*pa->result.cls)) : "-",
                    ch ? std::string(water::change_name(*ch, vocab)) : "-"});
    json items = json::array();
    for (const auto& v : a.period_values) {
      items.push_back({{"item", water::item_info(v.item).key},
                       {"value", round_half_even(v.value, 4).to_string()},
                       {"class", [&] {
                          auto c = water::item_class(v.item, v.value, a.body, params.rules);
                          return c ? std::string(water::class_name(*c)) : std::string();
                        }()}});
    }
    json over = json::array();
    for (const auto& e : a.over_target) {
      over.push_back(
          {{"item", water::item_info(e.item).key}, {"multiple", e.multiple ? e.multiple->to_string() : ""}});
    }
    j["sections"].push_back({{"section", a.name},
                             {"river", a.river},
                             {"target", target},
                             {"months", a.samples},
                             {"class", cls},
                             {"status", rows.back()[5]},
                             {"meets_target", meets},
                             {"over_target", over},
                             {"main_pollutants", rows.back()[8]},
                             {"previous_class", rows.back()[9]},
                             {"change", rows.back()[10]},
                             {"items", items}});
  }
  if (*format != Format::kJson) {
    print(*format, "断面水质 " + period->label,
          {"断面", "河流", "目标", "月数", "类别", "水质状况", "达标", "超标项目(倍数)", "主要污染指标",
           "上年同期", "变化"},
          rows);
  }

  auto rivers_prev = by_river(*prev);
  std::vector<std::vector<std::string>> river_rows;
  for (const auto& [river, list] : by_river(*cur)) {
    water::RiverAssessment r = water::assess_river(river, list, params);
    water::RiverAssessment pr = water::assess_river(river, rivers_prev[river], params);
    auto ch = water::river_change(pr, r, change);
    std::string cls = r.mean_class ? std::string(water::class_name(*r.mean_class)) : "-";
    river_rows.push_back({river, std::to_string(r.sections), std::string(water::method_name(r.method)), cls,
                          r.good_share_rounded.to_string() + "%", r.worse_v_share_rounded.to_string() + "%",
                          r.status ? std::string(water::status_name(*r.status)) : "-",
                          ch ? std::string(water::change_name(*ch, vocab)) : "-"});
    j["rivers"].push_back({{"river", river},
                           {"sections", r.sections},
                           {"method", river_rows.back()[2]},
                           {"mean_class", cls},
                           {"good_share_percent", r.good_share_rounded.to_string()},
                           {"worse_v_share_percent", r.worse_v_share_rounded.to_string()},
                           {"status", river_rows.back()[6]},
                           {"change", river_rows.back()[7]}});
  }
  if (*format != Format::kJson) {
    print(*format, "河流水质",
          {"河流", "断面数", "方法", "均值类别", "Ⅰ–Ⅲ类比例", "劣Ⅴ类比例", "水质状况", "变化"}, river_rows);
  }

  auto samples = source_samples(**qs, *period);
  if (!samples.ok()) return fail(samples.status());
  if (!samples->empty()) {
    std::vector<std::vector<std::string>> src_rows;
    for (const auto& c : water::source_compliance(*samples)) {
      std::string name = c.source.empty() ? "全市" : c.source;
      src_rows.push_back({name, std::to_string(c.compliant_samples) + "/" + std::to_string(c.samples),
                          opt_text(c.sample_rate_percent) + "%",
                          exact::to_string(c.compliant_volume) + "/" + exact::to_string(c.volume),
                          opt_text(c.volume_rate_percent) + "%"});
      j["drinking_sources"].push_back({{"source", name},
                                       {"samples", c.samples},
                                       {"compliant_samples", c.compliant_samples},
                                       {"sample_rate_percent", opt_text(c.sample_rate_percent)},
                                       {"volume", exact::to_string(c.volume)},
                                       {"compliant_volume", exact::to_string(c.compliant_volume)},
                                       {"volume_rate_percent", opt_text(c.volume_rate_percent)}});
    }
    if (*format != Format::kJson) {
      print(*format, "集中式饮用水水源地", {"水源地", "达标次数", "达标率", "达标水量/总水量", "水量达标率"},
            src_rows);
    }
  }
  if (result) {
    *result = std::move(j);
    return 0;
  }
  if (*format == Format::kJson) std::cout << json_text(j, 2) << "\n";
  if (Status s = (*qs)->put_result("water", period->label, json_text(j)); !s.ok()) return fail(s);
  return 0;
}

// ---- groundwater ----

int run_groundwater(const std::string& db, const QualityOpts& o, nlohmann::json* result = nullptr) {
  auto period = resolve(o);
  if (!period.ok()) return fail(period.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  auto wells = (*qs)->wells();
  if (!wells.ok()) return fail(wells.status());
  auto values = (*qs)->well_values(period->first_day(), period->last_day());
  if (!values.ok()) return fail(values.status());
  groundwater::GwParams params;
  // Period value per indicator: the mean of the samplings; not detected only when every sampling was.
  std::map<std::string, std::map<std::string, std::pair<std::vector<Rational>, bool>>> by;
  for (const ValueRecord& v : *values) {
    auto& cell = by[v.subject][v.item];
    if (cell.first.empty()) cell.second = true;
    cell.first.push_back(*exact::parse(v.value));
    cell.second = cell.second && v.not_detected;
  }
  json j = {{"period", period->label}};
  std::vector<std::vector<std::string>> rows;
  for (const SiteRecord& w : *wells) {
    std::vector<groundwater::GwMeasurement> m;
    for (const auto& [key, cell] : by[w.name]) {
      if (auto i = groundwater::indicator_by_name(key))
        m.push_back({*i, *exact::mean(cell.first), cell.second});
    }
    std::sort(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.indicator < b.indicator; });
    auto r = groundwater::classify_well(m, params);
    auto f = groundwater::f_value(r, params);
    std::string over;
    for (const auto& ir : r.indicators) {
      if (groundwater::class_rank(ir.cls) <= groundwater::class_rank(groundwater::GwClass::kIII)) continue;
      over += (over.empty() ? "" : "、") + std::string(groundwater::indicator_info(ir.indicator).name_cn);
      if (ir.multiple) over += "(" + ir.multiple->to_string() + ")";
    }
    std::string cls = r.cls ? std::string(groundwater::class_name(*r.cls)) : "-";
    rows.push_back({w.name, w.county, std::to_string(m.size()), cls, over.empty() ? "-" : over,
                    f ? f->f.to_string() : "-", f ? std::string(groundwater::grade_name(f->grade)) : "-"});
    j["wells"].push_back({{"well", w.name},
                          {"county", w.county},
                          {"indicators", m.size()},
                          {"class", cls},
                          {"over_class_three", rows.back()[4]},
                          {"f_value", rows.back()[5]},
                          {"f_grade", rows.back()[6]}});
  }
  if (result) {
    *result = std::move(j);
    return 0;
  }
  if (*format == Format::kJson) {
    std::cout << json_text(j, 2) << "\n";
  } else {
    print(*format, "地下水 " + period->label,
          {"监测井", "县区", "指标数", "类别", "超Ⅲ类指标(倍数)", "F值", "F分级"}, rows);
  }
  if (Status s = (*qs)->put_result("groundwater", period->label, json_text(j)); !s.ok()) return fail(s);
  return 0;
}

// ---- noise ----

int run_noise(const std::string& db, const QualityOpts& o, nlohmann::json* result = nullptr) {
  auto period = resolve(o);
  if (!period.ok()) return fail(period.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  auto points = (*qs)->noise_points();
  if (!points.ok()) return fail(points.status());
  auto values = (*qs)->noise_values(period->first_day(), period->last_day());
  if (!values.ok()) return fail(values.status());
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
  noise::ZoneCompliance zc = noise::zone_compliance(zone, params);
  json j = {{"period", period->label}};
  std::vector<std::vector<std::string>> rows;
  auto add_rate = [&](const noise::ZoneRate& r, const std::string& zname) {
    rows.push_back({zname, std::string(noise::part_name(r.part)),
                    std::to_string(r.compliant) + "/" + std::to_string(r.measured),
                    opt_text(r.rate_percent) + "%"});
    j["zone_compliance"].push_back({{"zone", zname},
                                    {"part", r.part == noise::DayPart::kDay ? "day" : "night"},
                                    {"measured", r.measured},
                                    {"compliant", r.compliant},
                                    {"rate_percent", opt_text(r.rate_percent)}});
  };
  for (const auto& r : zc.by_zone) add_rate(r, std::string(noise::zone_name(r.zone)) + "类");
  add_rate(zc.total_day, "全部");
  add_rate(zc.total_night, "全部");
  std::vector<std::vector<std::string>> grades;
  for (int pi = 0; pi < 2; ++pi) {
    noise::DayPart part = pi == 0 ? noise::DayPart::kDay : noise::DayPart::kNight;
    for (int kind = 0; kind < 2; ++kind) {
      auto g = kind == 0 ? noise::regional_grade(part, grid[pi], params)
                         : noise::road_grade(part, road[pi], params);
      std::string what = kind == 0 ? "区域声环境" : "道路交通声环境";
      if (!g) continue;
      grades.push_back({what, std::string(noise::part_name(part)), g->value.to_string(),
                        std::string(noise::grade_name(g->grade)),
                        std::string(noise::grade_rating(g->grade))});
      j["grades"].push_back({{"kind", kind == 0 ? "regional" : "road"},
                             {"part", pi == 0 ? "day" : "night"},
                             {"leq", g->value.to_string()},
                             {"grade", grades.back()[3]},
                             {"rating", grades.back()[4]}});
    }
  }
  if (result) {
    *result = std::move(j);
    return 0;
  }
  if (*format == Format::kJson) {
    std::cout << json_text(j, 2) << "\n";
  } else {
    print(*format, "功能区声环境达标率 " + period->label, {"功能区", "时段", "达标点次/监测点次", "达标率"},
          rows);
    print(*format, "声环境质量等级", {"类型", "时段", "等效声级dB(A)", "等级", "评价"}, grades);
  }
  if (Status s = (*qs)->put_result("noise", period->label, json_text(j)); !s.ok()) return fail(s);
  return 0;
}

// ---- acid rain ----

int run_rain(const std::string& db, const QualityOpts& o, nlohmann::json* result = nullptr) {
  auto period = resolve(o);
  if (!period.ok()) return fail(period.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  auto samples = (*qs)->rain_samples(period->first_day(), period->last_day());
  if (!samples.ok()) return fail(samples.status());
  std::map<std::string, std::vector<rain::RainSample>> by;
  std::vector<rain::RainSample> all;
  for (const RainRecord& r : *samples) {
    rain::RainSample s{*exact::parse(r.ph), *exact::parse(r.rainfall)};
    by[r.site].push_back(s);
    all.push_back(s);
  }
  json j = {{"period", period->label}};
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const std::string& site, const std::vector<rain::RainSample>& s) {
    auto r = rain::summarise(s);
    if (!r) return;
    rows.push_back({site, std::to_string(r->samples), r->mean_ph.to_string(), exact::to_string(r->min_ph),
                    r->frequency_percent.to_string() + "%", r->heavier_frequency_percent.to_string() + "%",
                    r->heavy_frequency_percent.to_string() + "%",
                    std::string(rain::city_class_name(r->city_class))});
    j["sites"].push_back({{"site", site},
                          {"samples", r->samples},
                          {"mean_ph", rows.back()[2]},
                          {"min_ph", rows.back()[3]},
                          {"acid_frequency_percent", r->frequency_percent.to_string()},
                          {"heavier_frequency_percent", r->heavier_frequency_percent.to_string()},
                          {"heavy_frequency_percent", r->heavy_frequency_percent.to_string()},
                          {"class", rows.back()[7]}});
  };
  for (const auto& [site, s] : by) add(site, s);
  if (by.size() > 1) add("全市", all);
  if (result) {
    *result = std::move(j);
    return 0;
  }
  if (*format == Format::kJson) {
    std::cout << json_text(j, 2) << "\n";
  } else {
    print(*format, "降水 " + period->label,
          {"站点", "样品数", "雨量加权pH", "最低pH", "酸雨频率", "较重酸雨频率", "重酸雨频率", "类别"}, rows);
  }
  if (Status s = (*qs)->put_result("rain", period->label, json_text(j)); !s.ok()) return fail(s);
  return 0;
}

// ---- import ----

// "water_values.csv: 3168 rows stored, 0 rejected", then each listed issue as "  kind: file:line [column]:
// message".
void print_file_report(const std::string& file, const ImportReport& r) {
  std::cout << file << ": " << r.values << " rows stored, " << r.rows_rejected + r.files_rejected
            << " rejected";
  if (r.files_rejected > 0) std::cout << " (the whole file: its header is not the template's)";
  std::cout << "\n";
  for (const ImportIssue& i : r.issues) {
    std::cout << "  " << i.kind << ": " << escape_invalid_utf8(i.where()) << ": "
              << escape_invalid_utf8(i.message) << "\n";
  }
  for (const auto& [kind, n] : r.issue_counts) {
    if (static_cast<size_t>(n) > ImportReport::kMaxListedPerKind) {
      std::cout << "  (" << static_cast<size_t>(n) - ImportReport::kMaxListedPerKind << " more " << kind
                << " not listed)\n";
    }
  }
}

int run_import(const std::string& db, const std::string& path, std::vector<QualityTemplate> templates) {
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  ImportReport total;
  bool any = false;
  if (std::filesystem::is_directory(path)) {
    for (QualityTemplate t : templates) {
      std::filesystem::path p = std::filesystem::path(path) / template_file_name(t);
      if (!std::filesystem::exists(p)) continue;
      any = true;
      auto r = (*qs)->import_file(t, p.string());
      if (!r.ok()) return fail(r.status());
      print_file_report(template_file_name(t), *r);
      total.rows_rejected += r->rows_rejected + r->files_rejected;
    }
    if (!any) return fail(not_found("no template file in '" + path + "'"));
    return total.rows_rejected > 0 ? 1 : 0;
  }
  // One file: the template is the one whose header the file has.
  std::ifstream in(path);
  std::string header;
  if (!in || !std::getline(in, header)) return fail(not_found("cannot read '" + path + "'"));
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);
  while (!header.empty() && header.back() == '\r') header.pop_back();
  for (QualityTemplate t : templates) {
    if (header != template_header(t)) continue;
    auto r = (*qs)->import_file(t, path);
    if (!r.ok()) return fail(r.status());
    print_file_report(std::filesystem::path(path).filename().string(), *r);
    return r->rows_rejected + r->files_rejected > 0 ? 1 : 0;
  }
  std::string known;
  for (QualityTemplate t : templates) known += std::string("\n  ") + template_header(t);
  return fail(invalid_argument("'" + path + "': header '" + escape_invalid_utf8(header) +
                               "' is none of the templates:" + known));
}

// The template files each verb imports, in dependency order (registries before the values that name them).
struct KindTemplates {
  const char* kind;
  std::vector<QualityTemplate> templates;
};
const std::vector<KindTemplates>& kinds() {
  using T = QualityTemplate;
  static const std::vector<KindTemplates> kKinds = {
      {"water", {T::kWaterSections, T::kWaterValues, T::kSources, T::kSourceSamples}},
      {"groundwater", {T::kWells, T::kWellValues}},
      {"noise", {T::kNoisePoints, T::kNoiseValues}},
      {"rain", {T::kRainSamples}},
  };
  return kKinds;
}
const std::vector<QualityTemplate>& templates_of(std::string_view kind) {
  for (const KindTemplates& k : kinds()) {
    if (kind == k.kind) return k.templates;
  }
  static const std::vector<QualityTemplate> kNone;
  return kNone;
}

void add_assess(CLI::App* parent, GlobalOptions& global, const char* help,
                int (*run)(const std::string&, const QualityOpts&, nlohmann::json*)) {
  auto opts = std::make_shared<QualityOpts>();
  CLI::App* a = parent->add_subcommand("assess", help);
  a->add_option("--year", opts->year, "calendar year");
  a->add_option("--period", opts->period, "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM");
  a->add_option("--format", opts->format, "table|csv|json");
  if (run == run_water) a->add_option("--vocabulary", opts->vocabulary, "change words: 2011|bulletin");
  a->callback([opts, run, &global] { set_exit_code(run(global.db, *opts, nullptr)); });
}

void add_import(CLI::App* parent, GlobalOptions& global, std::vector<QualityTemplate> templates) {
  auto path = std::make_shared<std::string>();
  CLI::App* i = parent->add_subcommand(
      "import", "import CSV templates: one file, or every template file in a directory");
  i->add_option("path", *path, "file or directory (docs/quality-import.md)")->required();
  i->callback([path, templates, &global] { set_exit_code(run_import(global.db, *path, templates)); });
}

}  // namespace

StatusOr<nlohmann::json> quality_assessment(const std::string& db, std::string_view kind,
                                            const std::string& period) {
  QualityOpts o;
  o.period = period;
  o.format = "json";
  if (auto p = resolve(o); !p.ok()) return p.status();
  int (*run)(const std::string&, const QualityOpts&, nlohmann::json*) = kind == "water" ? run_water
                                                                        : kind == "groundwater"
                                                                            ? run_groundwater
                                                                        : kind == "noise" ? run_noise
                                                                        : kind == "rain"  ? run_rain
                                                                                          : nullptr;
  if (!run) return invalid_argument("no quality assessment '" + std::string(kind) + "'");
  nlohmann::json j;
  if (run(db, o, &j) != 0) return last_view_error();
  return j;
}

int import_quality_files(const std::string& db, const std::string& dir) {
  auto qs = QualityStore::open(db);
  if (!qs.ok()) return fail(qs.status());
  bool any = false, rejected = false;
  for (const KindTemplates& k : kinds()) {
    int64_t files = 0, stored = 0, rows_rejected = 0;
    std::vector<ImportIssue> issues;
    for (QualityTemplate t : k.templates) {
      std::filesystem::path p = std::filesystem::path(dir) / template_file_name(t);
      if (!std::filesystem::exists(p)) continue;
      auto r = (*qs)->import_file(t, p.string());
      if (!r.ok()) return fail(r.status());
      ++files;
      stored += r->values;
      rows_rejected += r->rows_rejected + r->files_rejected;
      issues.insert(issues.end(), r->issues.begin(), r->issues.end());
    }
    if (files == 0) continue;
    any = true;
    rejected = rejected || rows_rejected > 0;
    std::cout << "quality " << k.kind << ": " << files << " files, " << stored << " rows stored, "
              << rows_rejected << " rejected\n";
    for (const ImportIssue& i : issues)
      std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  }
  if (!any) return fail(not_found("no quality template file in '" + dir + "'"));
  return rejected ? 1 : 0;
}

void register_quality(CLI::App& app, GlobalOptions& global) {
  CLI::App* w = app.add_subcommand("water", "surface water (GB 3838-2002) and drinking-water sources");
  w->require_subcommand(1);
  add_assess(w, global, "section classes, status, targets, rivers, change, drinking-water sources",
             run_water);
  add_import(w, global, templates_of("water"));

  CLI::App* g = app.add_subcommand("groundwater", "groundwater (GB/T 14848-2017)");
  g->require_subcommand(1);
  add_assess(g, global, "well classes, indicators over class III, F value", run_groundwater);
  add_import(g, global, templates_of("groundwater"));

  CLI::App* n = app.add_subcommand("noise", "environmental noise (GB 3096-2008, HJ 640-2012)");
  n->require_subcommand(1);
  add_assess(n, global, "functional-zone compliance, regional and road-traffic grades", run_noise);
  add_import(n, global, templates_of("noise"));

  CLI::App* r = app.add_subcommand("rain", "acid rain");
  r->require_subcommand(1);
  add_assess(r, global, "rainfall-weighted pH, acid-rain frequency, class", run_rain);
  add_import(r, global, templates_of("rain"));
}

}  // namespace ecomon::cli
