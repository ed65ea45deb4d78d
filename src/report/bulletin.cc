#include "report/bulletin.h"

#include <fmt/format.h>

#include <array>
#include <map>
#include <set>

#include "core/json_text.h"
#include "report/bulletin_builder.h"
#include "report/charts.h"
#include "report/phrases.h"
#include "sources/emissions_format.h"
#include "standards/aqi.h"
#include "standards/water/exact.h"

namespace ecomon::report {
namespace internal {

using nlohmann::json;

constexpr int kMonths = 12, kLevels = 6;
constexpr int kWaterClasses = 6;  // Ⅰ..劣Ⅴ
const std::array<std::string, kWaterClasses> kWaterClassNames = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
constexpr int kGoodWaterClasses = 3;   // Ⅰ–Ⅲ
constexpr int kGroundwaterGrades = 5;  // F value: 优良, 良好, 较好, 较差, 极差

// A rounded percentage as the modules print it: "-" when there is none.
std::string percent_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

std::string city_name(const std::string& city) {
  const std::string shi = "市";
  return city.size() >= shi.size() && city.compare(city.size() - shi.size(), shi.size(), shi) == 0
             ? city
             : city + shi;
}

int water_class_index(const std::string& name) {
  for (int i = 0; i < kWaterClasses; ++i) {
    if (kWaterClassNames[static_cast<size_t>(i)] == name) return i;
  }
  return -1;
}

// ---- air ----

constexpr Pollutant kPollutants[] = {Pollutant::kPM25, Pollutant::kPM10, Pollutant::kO3,
                                     Pollutant::kSO2,  Pollutant::kNO2,  Pollutant::kCO};
std::string pollutant_words(Pollutant p) {
  switch (p) {
    case Pollutant::kPM25:
      return "细颗粒物（PM2.5）";
    case Pollutant::kPM10:
      return "可吸入颗粒物（PM10）";
    case Pollutant::kO3:
      return "臭氧（O3）";
    case Pollutant::kSO2:
      return "二氧化硫（SO2）";
    case Pollutant::kNO2:
      return "二氧化氮（NO2）";
    case Pollutant::kCO:
      return "一氧化碳（CO）";
  }
  return std::string(pollutant_code(p));
}

std::string statistic_words(const std::string& s, const PeriodWords& w) {
  if (s == "mean") return w.mean;
  if (s == "p95_daily_mean") return "日均值第95百分位数浓度";
  if (s == "p90_mda8") return "日最大8小时平均第90百分位数浓度";
  if (s == "p98_daily_mean") return "日均值第98百分位数浓度";
  return s;
}
std::string unit_words(std::string_view u) { return u == "mg/m3" ? "毫克/立方米" : "微克/立方米"; }

// A figure of the air module as its documented JSON (docs/air-json.md) prints it: a whole number as is, any
// other as the shortest decimal of its double (5.90 prints 5.9), which the footnoted command shows.
Decimal printed(const Decimal& d) {
  if (d.scale == 0) return d;
  return parse_decimal(json(d.to_double()).dump()).value_or(d);
}
std::optional<Decimal> printed(const std::optional<Decimal>& d) {
  return d ? std::optional(printed(*d)) : std::nullopt;
}
// A change in whole days (a change in JSON is a whole number only then).
std::optional<int64_t> whole_days(const std::optional<Decimal>& d) {
  return d && d->scale == 0 ? std::optional(d->units) : std::nullopt;
}
const PollutantAssessment& of(const PeriodAssessment& a, Pollutant p) {
  return a.pollutants[static_cast<size_t>(index_of(p))];
}

std::vector<std::string> air_args(const std::string& verb, const std::string& city, const std::string& flag,
                                  const std::string& value) {
  return {"air", verb, "--city", city, flag, value, "--format", "json"};
}
// A failed query as the verb reported it (its exit code and what it printed on standard error).
std::string query_failure(const Status& s) { return "exit code 2: error: " + s.message() + "\n"; }

void air_days_paragraph(Builder& bd, Section& s, const PeriodAssessment& a,
                        const std::optional<YearOnYear>& yoy, int qa, const PeriodAssessment* prev, int qp) {
  const DaysSummary& days = a.days;
  Para p;
  p.t(bd.period().name + "，" + bd.city());
  if (a.composite) {
    p.t("环境空气质量综合指数为").f(printed(a.composite->value).to_string(), qa);
    if (auto pc = yoy ? printed(yoy->composite.percent) : std::nullopt)
      p.t("，").f(rounded_percent_phrase(*pc), qa);
    p.t("；");
  }
  p.t(bd.period().whole + "有效监测").f(std::to_string(days.valid), qa).t("天，优良天数");
  p.f(std::to_string(days.good), qa).t("天（一级");
  p.f(std::to_string(days.by_level[0]), qa).t("天、二级").f(std::to_string(days.by_level[1]), qa).t("天）");
  if (auto r = printed(days.good_ratio)) {
    p.t("，优良天数比率为").f(r->to_string() + "%", qa);
    bd.highlight({{"环境空气优良天数比率为", 0}, {r->to_string() + "%", qa}});
  }
  if (auto d = yoy ? whole_days(yoy->good_days.delta) : std::nullopt) {
    p.t("；优良天数").f(days_change_phrase(*d), qa);
    if (auto pts = printed(yoy->good_ratio.delta)) p.t("，优良天数比率").f(points_change_phrase(*pts), qa);
  }
  if (prev) {
    for (size_t level : {0u, 1u}) {
      int64_t delta = days.by_level[level] - prev->days.by_level[level];
      p.t(std::string("，") + (level == 0 ? "一级天数" : "二级天数"));
      p.f(days_change_phrase(delta), qp);
    }
  }
  p.t("；重污染天数").f(std::to_string(days.heavy), qa).t("天");
  if (auto d = yoy ? whole_days(yoy->heavy_days.delta) : std::nullopt)
    p.t("，").f(days_change_phrase(*d), qa);
  p.t("。");
  s.blocks.emplace_back(p.p);
}

void air_pollutants(Builder& bd, Section& s, const PeriodAssessment& a, const std::optional<YearOnYear>& yoy,
                    int qa) {
  const bool any_yoy = yoy.has_value();
  Para p;
  Table t{bd.period().name + bd.city() + "环境空气主要污染物浓度",
          {"污染物", "评价指标", "浓度", "二级标准限值", "达标情况"},
          {}};
  if (any_yoy) t.header.push_back("同比");
  bool first = true;
  for (Pollutant pol : kPollutants) {
    const PollutantAssessment& pa = of(a, pol);
    if (!pa.assessed) continue;
    const Statistic& as = *pa.assessed;
    Decimal v = printed(as.value);
    const std::string key(pollutant_code(pol));
    std::string unit = unit_words(pollutant_unit(pol));
    p.t(first ? "" : "；").t(pollutant_words(pol) + statistic_words(as.name, bd.period()) + "为");
    first = false;
    p.f(v.to_string(), qa).t(unit);
    auto pc = yoy ? printed(yoy->assessed[static_cast<size_t>(index_of(pol))].percent) : std::nullopt;
    if (pol == Pollutant::kPM25) {
      Paragraph h = {{"细颗粒物（PM2.5）" + bd.period().mean + "为", 0}, {v.to_string(), qa}, {unit, 0}};
      if (pc) h.insert(h.end(), {{"，", 0}, {rounded_percent_phrase(*pc), qa}});
      bd.highlight(h);
    }
    if (pc) p.t("，").f(rounded_percent_phrase(*pc), qa);
    std::string compliance;
    if (as.compliant) {
      compliance = limit_phrase(*as.compliant ? std::nullopt : printed(as.exceed_multiple));
      p.t("，").f(compliance, qa);
    }
    auto limit = printed(as.limit);
    std::vector<Run> row = {{key, 0},
                            {statistic_words(as.name, bd.period()), 0},
                            {v.to_string(), qa},
                            {limit ? limit->to_string() : "—", limit ? qa : 0},
                            {compliance.empty() ? "—" : compliance, compliance.empty() ? 0 : qa}};
    if (any_yoy)
      row.push_back({pc ? rounded_percent_phrase(*pc).substr(std::string("同比").size()) : "—", pc ? qa : 0});
    t.rows.push_back(row);
  }
  if (first) return;
  p.t("。");
  s.blocks.emplace_back(p.p);
  t.caption += "（单位：CO为毫克/立方米，其余为微克/立方米）";
  s.blocks.emplace_back(t);
}

void air_monthly_chart(Builder& bd, Section& s, const AirYearFigures& f) {
  std::array<Series, 4> series = {Series{"PM2.5 " + bd.year(), "#c0392b", false, {}},
                                  Series{"PM10 " + bd.year(), "#2471a3", false, {}},
                                  Series{"PM2.5 " + bd.previous_year(), "#c0392b", true, {}},
                                  Series{"PM10 " + bd.previous_year(), "#2471a3", true, {}}};
  bool any[2] = {false, false};
  for (int y = 0; y < 2; ++y) {
    const auto& months = y == 0 ? f.months : f.previous_months;
    for (int m = 1; m <= kMonths; ++m) {
      const auto& a = months[static_cast<size_t>(m - 1)];
      if (!a) continue;
      for (int k = 0; k < 2; ++k) {
        const auto& as = of(*a, k == 0 ? Pollutant::kPM25 : Pollutant::kPM10).assessed;
        if (!as) continue;
        series[static_cast<size_t>(y * 2 + k)].values[static_cast<size_t>(m - 1)] =
            printed(as->value).to_double();
        any[y] = true;
      }
    }
  }
  if (!any[0]) return;
  std::vector<Series> shown(series.begin(), series.begin() + (any[1] ? 4 : 2));
  Query q{air_args("period", bd.req().city, "--month", bd.year() + "-01"),
          "ecomon air period --city " + bd.req().city + " --month " + bd.year() +
              "-MM --format json（MM = 01…12" +
              (any[1] ? "；上年同期 " + bd.previous_year() + "-MM" : std::string()) + "）"};
  s.blocks.emplace_back(
      Chart{bd.year() + "年PM2.5、PM10月均浓度" + (any[1] ? "与上年同期对比" : std::string()),
            monthly_line_chart(shown, "微克/立方米"), bd.ref(q)});
}

void air_calendar_and_levels(Builder& bd, Section& s, const AirYearFigures& f, const PeriodAssessment& a,
                             int qa) {
  auto args = air_args("daily", bd.req().city, "--year", bd.year());
  if (f.daily) {
    std::vector<CalendarDay> days;
    for (const DayReport& day : *f.daily) {
      days.push_back({day.day, day.valid && day.aqi.aqi ? aqi_level(*day.aqi.aqi).level : 0});
    }
    if (!days.empty()) {
      s.blocks.emplace_back(Chart{bd.year() + "年逐日空气质量级别", level_calendar(bd.req().year, days),
                                  bd.ref(Query{args, ""})});
    }
  } else {
    bd.note(Query{args, ""}.command_line() + ": " + query_failure(f.daily_error));
  }
  const DaysSummary& days = a.days;
  int64_t valid = days.valid;
  std::vector<LevelShare> parts;
  for (int l = 1; l <= kLevels; ++l) {
    int64_t n = days.by_level[static_cast<size_t>(l - 1)];
    auto share = share_percent(n, valid);
    parts.push_back(
        {l, static_cast<int>(n),
         fmt::format("{} {}天 {}%", level_name(l), n, share ? share->to_string() : std::string("0.0"))});
  }
  if (valid > 0) {
    s.blocks.emplace_back(
        Chart{bd.year() + "年各级别天数占比（占有效监测天数）", level_share_bar(parts), qa});
  }
}

void acid_rain(Builder& bd, Section& s) {
  std::vector<std::string> args = {"rain", "assess", "--year", bd.year(), "--format", "json"};
  const rain::RainReport* r = bd.figures(bd.req().rain, args);
  if (!r) return;
  const rain::SiteRow* site = nullptr;
  for (const rain::SiteRow& x : r->sites) {
    if (x.site == "全市" || !site) site = &x;
  }
  if (!site) return bd.note("rain: no samples in " + bd.year());
  int q = bd.ref(Query{args, ""});
  const rain::RainSummary& x = site->summary;
  Para p;
  p.t("降水：全市降水pH均值（雨量加权）为").f(x.mean_ph.to_string(), q).t("，酸雨频率为");
  p.f(x.frequency_percent.to_string() + "%", q)
      .t("，")
      .f(std::string(rain::city_class_name(x.city_class)), q);
  p.t("。");
  s.blocks.emplace_back(p.p);
}

void air_section(Builder& bd) {
  Section s{"air", "环境空气", {}};
  auto annual_args = air_args("annual", bd.req().city, "--year", bd.year());
  const AirYearFigures* f = bd.req().air ? &*bd.req().air : nullptr;
  if (f && !f->annual) bd.note(Query{annual_args, ""}.command_line() + ": " + query_failure(f->annual_error));
  if (!f || !f->annual || f->annual->days.valid == 0) {
    bd.note("air: no valid day for " + bd.req().city + " in " + bd.year());
  } else {
    const PeriodAssessment& a = *f->annual;
    int qa = bd.ref(Query{annual_args, ""});
    auto prev_args = air_args("annual", bd.req().city, "--year", bd.previous_year());
    const PeriodAssessment* prev = f->previous && f->previous->days.valid > 0 ? &*f->previous : nullptr;
    if (!prev) bd.note("air: no data for " + bd.previous_year() + ", changes from last year left out");
    int qp = prev ? bd.ref(Query{prev_args, ""}) : 0;
    air_days_paragraph(bd, s, a, f->annual_year_on_year, qa, prev, qp);
    air_pollutants(bd, s, a, f->annual_year_on_year, qa);
    air_monthly_chart(bd, s, *f);
    air_calendar_and_levels(bd, s, *f, a, qa);
  }
  acid_rain(bd, s);
  bd.add(std::move(s));
}

// ---- water ----

// The change from last year in the bulletin's words ("水质好转", "无明显变化", "水质恶化"); "" without one.
std::string change_text(const water::SectionRow& x) {
  return x.change ? std::string(change_name(*x.change, water::Vocabulary::kBulletin)) : std::string();
}

void surface_water(Builder& bd, Section& s) {
  std::vector<std::string> args = {
      "water",           "assess",       bd.period().flag == "--year" ? "--year" : "--period",
      bd.period().label, "--vocabulary", "bulletin",
      "--format",        "json"};
  const water::WaterReport* w = bd.figures(bd.req().water, args);
  if (!w) return;
  std::vector<const water::SectionRow*> sections;
  for (const water::SectionRow& x : w->sections) {
    if (x.current.result.cls) sections.push_back(&x);
  }
  if (sections.empty()) return bd.note("water: no assessed section in " + bd.period().label);
  int q = bd.ref(Query{args, ""});
  std::array<int, kWaterClasses> now{}, before{};
  int with_target = 0, meeting = 0, with_previous = 0;
  std::map<std::string, int> changes;
  for (const water::SectionRow* x : sections) {
    ++now[static_cast<size_t>(water_class_index(std::string(class_name(*x->current.result.cls))))];
    if (x->previous_class) {
      ++before[static_cast<size_t>(water_class_index(std::string(class_name(*x->previous_class))))];
      ++with_previous;
      ++changes[change_text(*x)];
    }
    if (x->current.meets_target) {
      ++with_target;
      if (*x->current.meets_target) ++meeting;
    }
  }
  int n = static_cast<int>(sections.size());
  int good = now[0] + now[1] + now[2], worse_v = now[kWaterClasses - 1];
  Para p;
  p.t(bd.period().name + "，全市")
      .f(std::to_string(n), q)
      .t("个地表水监测断面中，水质" + attainment_phrase("Ⅲ") + "的断面");
  p.f(std::to_string(good), q).t("个，占").f(share_percent(good, n)->to_string() + "%", q);
  bd.highlight(
      {{"地表水监测断面中水质达到或优于Ⅲ类的占", 0}, {share_percent(good, n)->to_string() + "%", q}});
  p.t("；劣Ⅴ类断面").f(std::to_string(worse_v), q).t("个");
  if (worse_v > 0) p.t("，占").f(share_percent(worse_v, n)->to_string() + "%", q);
  if (with_target > 0) {
    p.t("。设有水质目标的").f(std::to_string(with_target), q).t("个断面中，").f(std::to_string(meeting), q);
    p.t("个达到目标，达标率").f(share_percent(meeting, with_target)->to_string() + "%", q);
  }
  if (with_previous > 0) {
    p.t("。" + bd.period().compared + "，");
    bool first = true;
    for (const char* c : {"水质好转", "无明显变化", "水质恶化"}) {
      int k = changes.count(c) ? changes[c] : 0;
      p.t(first ? "" : "，").f(std::to_string(k), q).t(std::string("个断面") + c);
      first = false;
    }
  }
  p.t("。");
  s.blocks.emplace_back(p.p);

  Table t{bd.period().name + "地表水监测断面水质", {"河流", "断面"}, {}};
  if (with_previous > 0) t.header.push_back(bd.period().previous + "类别");
  for (const std::string& h :
       {bd.period().current, std::string("水质状况"), std::string("目标"), std::string("是否达标")})
    t.header.push_back(h);
  if (with_previous > 0) t.header.push_back("变化");
  for (const water::SectionRow* x : sections) {
    auto cell = [&](const std::string& text) -> Run {
      return text.empty() || text == "-" ? Run{"—", 0} : Run{text, q};
    };
    const water::SectionAssessment& a = x->current;
    std::vector<Run> row = {{a.river, 0}, {a.name, 0}};
    if (with_previous > 0)
      row.push_back(cell(x->previous_class ? std::string(class_name(*x->previous_class)) : ""));
    row.push_back(cell(std::string(class_name(*a.result.cls))));
    row.push_back(cell(a.status ? std::string(status_name(*a.status)) : ""));
    row.push_back(cell(a.target ? std::string(class_name(*a.target)) : ""));
    row.push_back(cell(a.meets_target ? (*a.meets_target ? "是" : "否") : ""));
    if (with_previous > 0) row.push_back(cell(change_text(*x)));
    t.rows.push_back(row);
  }
  s.blocks.emplace_back(t);

  std::vector<std::string> cats(kWaterClassNames.begin(), kWaterClassNames.end());
  std::vector<BarSeries> series = {{bd.period().name, "#2471a3", {now.begin(), now.end()}}};
  if (with_previous > 0)
    series.insert(series.begin(), {bd.period().previous, "#a9cce3", {before.begin(), before.end()}});
  s.blocks.emplace_back(
      Chart{"地表水监测断面水质类别（断面数）", grouped_bar_chart(cats, series, "断面数"), q});

  // Drinking-water sources (集中式饮用水水源地), by volume.
  const water::SourceCompliance* total = nullptr;
  std::vector<const water::SourceCompliance*> sources;
  for (const water::SourceCompliance& x : w->sources) {
    if (x.source.empty() || x.source == "全市") {
      total = &x;
    } else {
      sources.push_back(&x);
    }
  }
  if (total && !sources.empty() && total->volume_rate_percent) {
    // Volumes as the template holds them (its unit, 万吨 in the demo and docs/quality-import.md).
    Para d;
    d.t("集中式饮用水水源地：全市")
        .f(std::to_string(sources.size()), q)
        .t("个集中式饮用水水源地" + bd.period().whole + "取水总量");
    d.f(exact::to_string(total->volume), q)
        .t("万吨，其中达标水量")
        .f(exact::to_string(total->compliant_volume), q);
    d.t("万吨，按取水量计水质达标率为").f(total->volume_rate_percent->to_string() + "%", q);
    d.t("；监测")
        .f(std::to_string(total->samples), q)
        .t("次，达标")
        .f(std::to_string(total->compliant_samples), q);
    d.t("次，按监测次数计达标率为").f(percent_text(total->sample_rate_percent) + "%", q).t("。");
    bd.highlight({{"集中式饮用水水源地水质达标率（按取水量）为", 0},
                  {total->volume_rate_percent->to_string() + "%", q}});
    s.blocks.emplace_back(d.p);
    Table st{
        bd.period().name + "集中式饮用水水源地水质达标情况",
        {"水源地", "取水量（万吨）", "达标水量（万吨）", "水量达标率", "达标次数/监测次数", "次数达标率"},
        {}};
    for (const water::SourceCompliance* x : sources) {
      st.rows.push_back({{x->source, 0},
                         {exact::to_string(x->volume), q},
                         {exact::to_string(x->compliant_volume), q},
                         {percent_text(x->volume_rate_percent) + "%", q},
                         {fmt::format("{}/{}", x->compliant_samples, x->samples), q},
                         {percent_text(x->sample_rate_percent) + "%", q}});
    }
    st.rows.push_back({{"全市", 0},
                       {exact::to_string(total->volume), q},
                       {exact::to_string(total->compliant_volume), q},
                       {percent_text(total->volume_rate_percent) + "%", q},
                       {fmt::format("{}/{}", total->compliant_samples, total->samples), q},
                       {percent_text(total->sample_rate_percent) + "%", q}});
    s.blocks.emplace_back(st);
  }
}

// The indicators of a well worse than class Ⅲ with their multiples: "氟化物(0.52)、..."
std::string over_class_three(const groundwater::WellRow& w) {
  std::string over;
  for (const auto& ir : w.result.indicators) {
    if (groundwater::class_rank(ir.cls) <= groundwater::class_rank(groundwater::GwClass::kIII)) continue;
    over += (over.empty() ? "" : "、") + std::string(groundwater::indicator_info(ir.indicator).name_cn);
    if (ir.multiple) over += "(" + ir.multiple->to_string() + ")";
  }
  return over;
}

void groundwater(Builder& bd, Section& s) {
  std::vector<std::string> args = {"groundwater", "assess", "--year", bd.year(), "--format", "json"};
  const groundwater::GroundwaterReport* g = bd.figures(bd.req().groundwater, args);
  if (!g) return;
  std::vector<const groundwater::WellRow*> wells;
  for (const groundwater::WellRow& x : g->wells) {
    if (x.result.cls) wells.push_back(&x);
  }
  if (wells.empty()) return bd.note("groundwater: no assessed well in " + bd.year());
  int q = bd.ref(Query{args, ""});
  std::map<std::string, int> by_class;
  for (const groundwater::WellRow* x : wells)
    ++by_class[std::string(groundwater::class_name(*x->result.cls))];
  const int n = static_cast<int>(wells.size());
  const int good = by_class["Ⅰ"] + by_class["Ⅱ"] + by_class["Ⅲ"];
  auto share = [&](int k) { return share_percent(k, n)->to_string() + "%"; };
  Para p;
  p.t("地下水：全市").f(std::to_string(n), q).t("个地下水监测井中，水质" + attainment_phrase("Ⅲ") + "的");
  p.f(std::to_string(good), q).t("个，占").f(share(good), q);
  p.t("；Ⅳ类").f(std::to_string(by_class["Ⅳ"]), q).t("个，占").f(share(by_class["Ⅳ"]), q);
  p.t("；Ⅴ类").f(std::to_string(by_class["Ⅴ"]), q).t("个，占").f(share(by_class["Ⅴ"]), q);
  // By the F value's grade (优良 … 极差), over the wells that have one.
  std::array<int, kGroundwaterGrades> by_grade{};
  int graded = 0;
  for (const groundwater::WellRow* x : wells) {
    if (!x->f) continue;
    ++by_grade[static_cast<size_t>(x->f->grade)];
    ++graded;
  }
  if (graded > 0) {
    p.t("。按综合评价F值，").f(std::to_string(graded), q).t("个监测井中");
    bool first = true;
    for (int gi = 0; gi < kGroundwaterGrades; ++gi) {
      const int k = by_grade[static_cast<size_t>(gi)];
      if (k == 0) continue;
      p.t(first ? "" : "，")
          .t(std::string(groundwater::grade_name(static_cast<groundwater::FGrade>(gi))) + "级");
      p.f(std::to_string(k), q).t("个，占").f(share_percent(k, graded)->to_string() + "%", q);
      first = false;
    }
  }
  p.t("。");
  s.blocks.emplace_back(p.p);
  Table t{bd.year() + "年地下水监测井水质",
          {"监测井", "县（区）", "F值", "水质级别", "类别", "超Ⅲ类指标（超标倍数）"},
          {}};
  for (const groundwater::WellRow* x : wells) {
    auto c = [&](const std::string& v) -> Run { return v.empty() || v == "-" ? Run{"—", 0} : Run{v, q}; };
    t.rows.push_back({{x->name, 0},
                      {x->county, 0},
                      c(x->f ? x->f->f.to_string() : ""),
                      c(x->f ? std::string(groundwater::grade_name(x->f->grade)) : ""),
                      c(std::string(groundwater::class_name(*x->result.cls))),
                      c(over_class_three(*x))});
  }
  s.blocks.emplace_back(t);
}

// ---- noise ----

void noise_section(Builder& bd) {
  std::vector<std::string> args = {"noise", "assess", "--year", bd.year(), "--format", "json"};
  const noise::NoiseReport* nr = bd.figures(bd.req().noise, args);
  if (!nr) return;
  Section s{"noise", "声环境", {}};
  int q = 0;
  auto qref = [&] { return q ? q : (q = bd.ref(Query{args, ""})); };
  // Last year's report for the changes (noise assess --year Y-1); none: no change is written.
  std::vector<std::string> prev_args = {"noise", "assess", "--year", bd.previous_year(), "--format", "json"};
  const noise::NoiseReport* prev = bd.req().noise_previous.ok() ? &*bd.req().noise_previous : nullptr;
  if (!prev) bd.note("noise: no report for " + bd.previous_year() + ", changes from last year left out");
  int qp = 0;
  auto qprev = [&] { return qp ? qp : (qp = bd.ref(Query{prev_args, ""})); };
  auto previous_grade = [&](const noise::GradeRow& g) -> const noise::GradeRow* {
    if (!prev) return nullptr;
    for (const noise::GradeRow& x : prev->grades) {
      if (x.road == g.road && x.part == g.part) return &x;
    }
    return nullptr;
  };
  auto previous_total = [&](noise::DayPart part) -> const noise::ZoneRate* {
    if (!prev) return nullptr;
    const noise::ZoneRate& r = part == noise::DayPart::kDay ? prev->zones.total_day : prev->zones.total_night;
    return r.measured > 0 && r.rate_percent ? &r : nullptr;
  };
  Para p;
  for (bool road : {false, true}) {
    for (const noise::GradeRow& g : nr->grades) {
      if (g.road != road) continue;
      bool day = g.part == noise::DayPart::kDay;
      std::string grade(noise::grade_name(g.graded.grade)), rating(noise::grade_rating(g.graded.grade));
      p.t(p.p.empty() ? "" : "；");
      p.t(std::string(road ? "道路交通声环境" : "城市区域声环境") + (day ? "昼间" : "夜间") +
          "平均等效声级为");
      p.f(g.graded.value.to_string(), qref()).t("分贝");
      if (const noise::GradeRow* before = previous_grade(g)) {
        p.t("（").f(decibel_change_phrase(g.graded.value, before->graded.value), qref());
        p.t("，" + bd.previous_year() + "年").f(before->graded.value.to_string(), qprev()).t("分贝）");
      }
      p.t("，质量等级为").f(grade, qref());
      p.t("（").f(rating, qref()).t("）");
      if (day && !road) {
        bd.highlight(
            {{"城市区域声环境昼间质量等级为", 0}, {grade, qref()}, {"（", 0}, {rating, qref()}, {"）", 0}});
      }
    }
  }
  if (!p.p.empty()) {
    p.t("。");
    s.blocks.emplace_back(p.p);
  }
  // Functional zones: totals in the text, each zone in the table.
  std::map<std::string, std::map<std::string, const noise::ZoneRate*>> zones;  // zone -> part -> rate
  std::vector<std::string> order;
  std::vector<std::pair<const noise::ZoneRate*, std::string>> rates;  // each zone, then all by day and night
  for (const noise::ZoneRate& z : nr->zones.by_zone)
    rates.emplace_back(&z, std::string(zone_name(z.zone)) + "类");
  rates.emplace_back(&nr->zones.total_day, "全部");
  rates.emplace_back(&nr->zones.total_night, "全部");
  for (const auto& [z, name] : rates) {
    if (z->measured == 0) continue;
    if (!zones.count(name)) order.push_back(name);
    zones[name][z->part == noise::DayPart::kDay ? "day" : "night"] = z;
  }
  if (zones.count("全部")) {
    Para z;
    z.t("功能区声环境：");
    bool first = true;
    for (const char* part : {"day", "night"}) {
      const noise::ZoneRate* r = zones["全部"][part];
      if (!r) continue;
      z.t(first ? "" : "，").t(std::string(part[0] == 'd' ? "昼间" : "夜间") + "监测");
      z.f(std::to_string(r->measured), qref()).t("点次，达标率为");
      z.f(percent_text(r->rate_percent) + "%", qref());
      const noise::ZoneRate* before = previous_total(r->part);
      if (before && r->rate_percent) {
        z.t("，").f(points_change_phrase(difference(*r->rate_percent, *before->rate_percent)), qprev());
      }
      first = false;
    }
    z.t("。");
    s.blocks.emplace_back(z.p);
    Table t{bd.year() + "年功能区声环境达标率",
            {"功能区", "昼间达标/监测（点次）", "昼间达标率", "夜间达标/监测（点次）", "夜间达标率"},
            {}};
    for (const std::string& name : order) {
      std::vector<Run> row = {{name == "全部" ? "全部功能区" : name + "区", 0}};
      for (const char* part : {"day", "night"}) {
        const noise::ZoneRate* r = zones[name][part];
        if (!r) {
          row.insert(row.end(), {{"—", 0}, {"—", 0}});
          continue;
        }
        row.push_back({fmt::format("{}/{}", r->compliant, r->measured), qref()});
        row.push_back({percent_text(r->rate_percent) + "%", qref()});
      }
      t.rows.push_back(row);
    }
    s.blocks.emplace_back(t);
  }
  if (s.blocks.empty()) bd.note("noise: no measurement in " + bd.year());
  bd.add(std::move(s));
}

// ---- soil ----

// "达到" / "未达到" the target of a rate, with the target.
std::string target_words(const soil::SafeUseRate& r, int64_t target) {
  return std::string(r.meets_target ? "，达到" : "，未达到") + std::to_string(target) + "%的目标";
}

void soil_points(Builder& bd, Section& s) {
  std::vector<std::string> args = {"soil", "assess", "--format", "json"};
  const soil::SurveyReport* r = bd.figures(bd.req().soil, args);
  if (!r) return;
  if (r->summary.empty() || r->summary.back().farm_points + r->summary.back().dev_points == 0)
    return bd.note("soil: no monitoring point in the store");
  int q = bd.ref(Query{args, ""});
  const soil::SurveySummary& all = r->summary.back();
  Para p;
  p.t("土壤：");
  if (all.farm_points > 0) {
    p.t("全市").f(std::to_string(all.farm_points), q).t("个农用地土壤监测点位中，");
    for (int c = 0; c < 3; ++c) {
      const int64_t k = all.by_category[c];
      p.t(std::string(c == 0 ? "" : "，") +
          std::string(soil::category_name(static_cast<soil::FarmCategory>(c))));
      p.f(std::to_string(k), q).t("个，占").f(share_percent(k, all.farm_points)->to_string() + "%", q);
    }
    p.t("；");
  }
  if (all.dev_points > 0) {
    p.t("建设用地土壤监测点位").f(std::to_string(all.dev_points), q).t("个，其中");
    constexpr int kRisks = 4;
    bool first = true;
    for (int k = 0; k < kRisks; ++k) {
      const int64_t n = all.by_dev_risk[k];
      if (n == 0) continue;
      p.t(first ? "" : "、").t(std::string(soil::dev_risk_name(static_cast<soil::DevRisk>(k))));
      p.f(std::to_string(n), q).t("个");
      first = false;
    }
    p.t("；");
  }
  if (r->farmland_rate.shown) {
    const std::string rate = r->farmland_rate.shown->to_string() + "%";
    p.t("受污染耕地安全利用率为").f(rate, q).t(target_words(r->farmland_rate, r->farmland_target_percent));
    bd.highlight({{"受污染耕地安全利用率为", 0}, {rate, q}});
  } else {
    p.t("受污染耕地安全利用率未核算（无受污染耕地图斑）");
  }
  p.t("。");
  s.blocks.emplace_back(p.p);
  if (r->summary.size() < 2) return;
  Table t{"土壤监测点位评价结果（按区县）",
          {"区县", "农用地点位", "优先保护类", "安全利用类", "严格管控类", "建设用地点位"},
          {}};
  for (const soil::SurveySummary& c : r->summary) {
    auto n = [&](int64_t v) { return Run{std::to_string(v), q}; };
    t.rows.push_back({{c.county.empty() ? "全市" : c.county, 0},
                      n(c.farm_points),
                      n(c.by_category[0]),
                      n(c.by_category[1]),
                      n(c.by_category[2]),
                      n(c.dev_points)});
  }
  s.blocks.emplace_back(t);
}

void soil_plots(Builder& bd, Section& s) {
  std::vector<std::string> args = {"soil", "plots", "--format", "json"};
  const soil::PlotReport* r = bd.figures(bd.req().plots, args);
  if (!r) return;
  if (r->plots.empty()) return bd.note("soil: no development-land plot in the registry");
  int q = bd.ref(Query{args, ""});
  std::array<int64_t, soil::kPlotStatusCount> by_status{};
  for (const soil::PlotEntry& e : r->plots) {
    if (auto st = soil::parse_plot_status(e.status)) ++by_status[static_cast<size_t>(*st)];
  }
  Para p;
  p.t("建设用地：全市地块名录共").f(std::to_string(r->plots.size()), q).t("个地块，其中");
  bool first = true;
  for (int k = 0; k < soil::kPlotStatusCount; ++k) {
    const int64_t n = by_status[static_cast<size_t>(k)];
    if (n == 0) continue;
    p.t(first ? "" : "、").t(std::string(soil::plot_status_name(static_cast<soil::PlotStatus>(k))));
    p.f(std::to_string(n), q).t("个");
    first = false;
  }
  if (r->rate.shown) {
    const std::string rate = r->rate.shown->to_string() + "%";
    p.t("；污染地块安全利用率为").f(rate, q).t(target_words(r->rate, r->target_percent));
    bd.highlight({{"污染地块安全利用率为", 0}, {rate, q}});
  }
  p.t("。");
  s.blocks.emplace_back(p.p);
}

void soil_section(Builder& bd) {
  Section s{"soil", "土壤环境", {}};
  soil_points(bd, s);
  soil_plots(bd, s);
  bd.add(std::move(s));
}

// ---- chronicle (大事记) ----

void chronicle_section(Builder& bd) {
  if (bd.req().chronicle.empty())
    return bd.note("chronicle: no task completed and no warning in " + bd.year());
  Section s{"chronicle", "大事记", {}};
  // A task's entry cites its status history (ledger show), a warning's the warnings history.
  Query warnings_q{{"emergency", "warnings", "--format", "json"}, ""};
  Table t{bd.year() + "年大事记", {"日期", "事项"}, {}};
  for (const ChronicleEntry& e : bd.req().chronicle) {
    int q = bd.ref(e.source == "emergency" ? warnings_q
                                           : Query{{"ledger", "show", e.ref, "--format", "json"}, ""});
    const std::string day = e.day.to_string();
    const std::string md = std::to_string(std::stoi(day.substr(5, 2))) + "月" +
                           std::to_string(std::stoi(day.substr(8, 2))) + "日";
    t.rows.push_back({{md, q}, {e.text, q}});
  }
  s.blocks.emplace_back(t);
  bd.add(std::move(s));
}

// ---- facts ----

Query facts_query(const Facts& f) { return Query{{}, "年度事实文件 " + f.file + "（生态环境局填报）"}; }

void radiation_and_nature(Builder& bd, const Facts& f) {
  if (f.radiation) {
    const Radiation& r = *f.radiation;
    Section s{"radiation", "辐射环境", {}};
    int q = bd.ref(facts_query(f));
    Para p;
    if (r.gamma_min && r.gamma_max) {
      p.t("全市环境γ辐射空气吸收剂量率在")
          .f(r.gamma_min->to_string(), q)
          .t("～")
          .f(r.gamma_max->to_string(), q);
      p.t("纳戈瑞/小时之间").t(r.assessment.empty() ? "" : "，" + r.assessment).t("。");
    } else if (!r.assessment.empty()) {
      p.t("全市辐射环境质量").t(r.assessment).t("。");
    }
    if (r.sealed_sources || r.ray_devices) {
      p.t("全市在用");
      if (r.sealed_sources) p.t("放射源").f(std::to_string(*r.sealed_sources), q).t("枚");
      if (r.sealed_sources && r.ray_devices) p.t("、");
      if (r.ray_devices) p.t("射线装置").f(std::to_string(*r.ray_devices), q).t("台");
      p.t("。");
    }
    if (!p.p.empty()) s.blocks.emplace_back(p.p);
    bd.add(std::move(s));
  }
  if (f.nature) {
    Section s{"nature", "自然生态", {}};
    int q = bd.ref(facts_query(f));
    Para p;
    if (!f.nature->reserves.empty()) {
      std::map<std::string, int> by_level;
      Decimal area{};
      for (const Reserve& r : f.nature->reserves) {
        ++by_level[r.level];
        int sc = std::max(area.scale, r.area_km2.scale);
        auto up = [](Decimal d, int to) {
          for (; d.scale < to; ++d.scale) d.units *= 10;
          return d;
        };
        area = Decimal{up(area, sc).units + up(r.area_km2, sc).units, sc};
      }
      p.t("全市共有自然保护区").f(std::to_string(f.nature->reserves.size()), q).t("个");
      std::string sep = "，其中";
      for (const auto& [level, n] : by_level) {
        p.t(sep + level).f(std::to_string(n), q).t("个");
        sep = "、";
      }
      p.t("，总面积").f(area.to_string(), q).t("平方公里。");
    }
    if (f.nature->forest_cover_percent)
      p.t("全市森林覆盖率为").f(f.nature->forest_cover_percent->to_string() + "%", q).t("。");
    if (!p.p.empty()) s.blocks.emplace_back(p.p);
    if (!f.nature->reserves.empty()) {
      Table t{"自然保护区", {"名称", "级别", "面积（平方公里）"}, {}};
      for (const Reserve& r : f.nature->reserves)
        t.rows.push_back({{r.name, 0}, {r.level, q}, {r.area_km2.to_string(), q}});
      s.blocks.emplace_back(t);
    }
    bd.add(std::move(s));
  }
}

void permits_table(Builder& bd, Section& s, const std::vector<sources::PermitUse>& permits,
                   const PermitWords& w) {
  if (permits.empty()) return;
  const int q = bd.ref(w.query);
  int over = 0, ahead = 0;
  constexpr double kKgPerTonne = 1000;
  constexpr int kLoadDigits = 3, kShareDigits = 1;
  Table t{w.period + "重点排污单位许可排放量执行情况",
          {"单位（排放口）", "污染物", "许可排放量（吨）", w.load_column, "占许可量（%）", "情况"},
          {}};
  for (const sources::PermitUse& u : permits) {
    const sources::PermittedAmount& p = u.permit;
    auto share = u.share_percent();
    // Ahead of the year's elapsed time (时间进度), below the amount: a warning, not an excess.
    const bool is_ahead = !u.over() && share && w.elapsed_percent && *share > *w.elapsed_percent;
    over += u.over() ? 1 : 0;
    ahead += is_ahead ? 1 : 0;
    const std::string who =
        p.outlet_id.empty() ? u.enterprise_name : u.enterprise_name + "（" + u.name + "）";
    t.rows.push_back({{who, 0},
                      {sources::pollutant_name(p.pollutant), 0},
                      {p.tonnes.to_string(), q},
                      {u.kg ? sources::round_text(*u.kg / kKgPerTonne, kLoadDigits) : "—", q},
                      {share ? sources::round_text(*share, kShareDigits) : "—", q},
                      {!u.kg      ? "无监测数据"
                       : u.over() ? "超许可"
                       : is_ahead ? "高于时间进度"
                                  : "未超许可",
                       q}});
  }
  Para para;
  para.t(w.period + "，按自动监测数据核算，").f(std::to_string(permits.size()), q).t("项许可排放量中");
  if (over == 0) {
    para.t("无排放量超过许可量的情况");
  } else {
    para.f(std::to_string(over), q).t("项排放量超过许可量");
  }
  if (w.elapsed_percent) {
    para.t("；时间进度为" + sources::round_text(*w.elapsed_percent, kShareDigits) + "%，");
    if (ahead == 0) {
      para.t("无占许可量高于时间进度的情况");
    } else {
      para.f(std::to_string(ahead), q).t("项占许可量高于时间进度");
    }
  }
  para.t("。");
  s.blocks.emplace_back(para.p);
  s.blocks.emplace_back(t);
}

void pollution_and_waste(Builder& bd, const Facts& f) {
  Section s{"pollution", "污染物排放与固体废物", {}};
  for (const IndustryEmissions& e : f.emissions) {
    IndustryRanking r = rank_industries(e);
    int q = bd.ref(facts_query(f));
    Para p;
    p.t(bd.year() + "年，全市工业" + e.pollutant + "排放量为").f(r.total.to_string(), q).t(e.unit);
    size_t top = std::min<size_t>(3, r.ranked.size());
    if (top > 0 && r.top3_share) {
      p.t("，排放量居前" + std::to_string(top) + "位的行业依次为");
      for (size_t i = 0; i < top; ++i) p.t(i ? "、" : "").f(r.ranked[i].industry, q);
      p.t("，分别占");
      for (size_t i = 0; i < top; ++i) p.t(i ? "、" : "").f(r.ranked[i].share->to_string() + "%", q);
      p.t("，合计占").f(r.top3_share->to_string() + "%", q);
    }
    p.t("。");
    s.blocks.emplace_back(p.p);
  }
  if (f.solid_waste) {
    const SolidWaste& w = *f.solid_waste;
    int q = bd.ref(facts_query(f));
    Para p;
    p.t("全市一般工业固体废物产生量").f(w.industrial_generated_10k_t.to_string(), q).t("万吨，综合利用量");
    p.f(w.industrial_utilised_10k_t.to_string(), q).t("万吨");
    if (auto r = ratio_percent(w.industrial_utilised_10k_t, w.industrial_generated_10k_t)) {
      p.t("，综合利用率").f(r->to_string() + "%", q);
    }
    if (w.hazardous_generated_t) p.t("；危险废物产生量").f(w.hazardous_generated_t->to_string(), q).t("吨");
    if (w.hazardous_disposed_t) p.t("，利用处置量").f(w.hazardous_disposed_t->to_string(), q).t("吨");
    p.t("。");
    s.blocks.emplace_back(p.p);
  }
  // The year's loads from the online monitoring against the permitted amounts (许可排放量): `ecomon emissions
  // --year Y --format json`'s "permits", one row per amount; the share to 1 decimal (GB/T 8170), over ones
  // marked 超许可.
  permits_table(bd, s, bd.req().permits,
                {bd.year() + "年", Query{{"emissions", "--year", bd.year(), "--format", "json"}, ""},
                 "排放量（吨）", std::nullopt});
  bd.add(std::move(s));
}

// 自动监控 from the sources module when the store holds the year's uploads: the twelve months of
// `ecomon sources rates --month Y-MM` (hourly data), summed over the devices; 有效传输率 = valid / expected,
// the ratio of the sums as the module aggregates outlets and enterprises (spec 10), to 1 decimal (GB/T 8170).
// False when no device was expected to upload that year (the facts file's figure is used then).
bool online_monitoring_from_rates(Builder& bd, Section& s) {
  if (!bd.req().rates) return false;
  const sources::YearTransmission& y = *bd.req().rates;
  const int64_t expected = y.expected, valid = y.valid;
  const std::set<std::string>&devices = y.devices, &enterprises = y.enterprises;
  std::optional<Decimal> rate = share_percent(valid, expected);
  if (expected == 0 || !rate) return false;
  Query q{{"sources", "rates", "--month", bd.year() + "-01", "--format", "json"},
          "ecomon sources rates --month " + bd.year() + "-MM --format json（MM = 01…12）"};
  int qr = bd.ref(q);
  Para p;
  p.t("自动监控：全市").f(std::to_string(enterprises.size()), qr).t("家企业的");
  p.f(std::to_string(devices.size()), qr).t("套污染源自动监测设备联网上传数据，全年数据有效传输率为");
  p.f(rate->to_string() + "%", qr).t("。");
  s.blocks.emplace_back(p.p);
  return true;
}

void year_work(Builder& bd, const Facts& f) {
  Section s{"work", "年度生态环境保护工作", {}};
  if (f.enforcement) {
    const Enforcement& e = *f.enforcement;
    int q = bd.ref(facts_query(f));
    Para p;
    p.t("环境执法：全年立案查处环境违法案件").f(std::to_string(e.cases), q).t("件");
    if (e.cases_previous) {
      p.t("，").f(count_change_phrase(e.cases - *e.cases_previous, "件"), q);
    }
    p.t("，罚没款").f(e.fines_10k_yuan.to_string(), q).t("万元");
    if (e.fines_previous_10k_yuan) {
      std::string ph = percent_change_phrase(e.fines_10k_yuan, *e.fines_previous_10k_yuan);
      if (!ph.empty()) p.t("，").f(ph, q);
    }
    p.t("。");
    s.blocks.emplace_back(p.p);
  }
  if (!online_monitoring_from_rates(bd, s) && f.online_monitoring) {
    const OnlineMonitoring& o = *f.online_monitoring;
    int q = bd.ref(facts_query(f));
    Para p;
    p.t("自动监控：全市").f(std::to_string(o.enterprises), q).t("家重点排污单位安装污染源自动监测设备");
    p.f(std::to_string(o.sets), q)
        .t("套，数据有效传输率为")
        .f(o.effective_transmission_rate.to_string() + "%", q)
        .t("。");
    s.blocks.emplace_back(p.p);
  }
  if (f.permit_trading) {
    int q = bd.ref(facts_query(f));
    Para p;
    p.t("排污权交易：全年完成排污权交易").f(std::to_string(f.permit_trading->deals), q).t("宗，成交金额");
    p.f(f.permit_trading->amount_10k_yuan.to_string(), q).t("万元。");
    s.blocks.emplace_back(p.p);
  }
  bd.add(std::move(s));
}

// ---- numbering ----

// 表N and 图N in the order the tables and charts appear, so the numbers follow what is present.
void number_tables_and_charts(Bulletin& b) {
  int tables = 0, charts = 0;
  for (Section& s : b.sections) {
    for (Block& block : s.blocks) {
      if (auto* t = std::get_if<Table>(&block))
        t->caption = "表" + std::to_string(++tables) + " " + t->caption;
      if (auto* c = std::get_if<Chart>(&block))
        c->caption = "图" + std::to_string(++charts) + " " + c->caption;
    }
  }
}

// ---- overview ----

// The key statements of the sections in one paragraph, each figure keeping its query.
Section overview(const Builder& bd) {
  Section s{"overview", "综述", {}};
  if (bd.highlights().empty()) return s;
  Para p;
  p.t(bd.period().name + "，" + city_name(bd.req().city));
  for (size_t i = 0; i < bd.highlights().size(); ++i) {
    p.t(i == 0 ? "" : "；");
    for (const Run& r : bd.highlights()[i]) r.query ? p.f(r.text, r.query) : p.t(r.text);
  }
  p.t("。");
  s.blocks.emplace_back(p.p);
  return s;
}

}  // namespace internal

using namespace internal;  // NOLINT: the builder's parts, internal to src/report

std::string Query::command_line() const {
  if (!display.empty()) return display;
  std::string s = "ecomon";
  for (const std::string& a : args) s += " " + a;
  return s;
}

const Section* Bulletin::section(const std::string& id) const {
  for (const Section& s : sections) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string plain_text(const std::vector<Run>& runs) {
  std::string s;
  for (const Run& r : runs) s += r.text;
  return s;
}

std::string section_text(const Section& s) {
  std::string out;
  for (const Block& b : s.blocks) {
    if (const auto* p = std::get_if<Paragraph>(&b)) out += plain_text(*p) + "\n";
  }
  return out;
}

StatusOr<Bulletin> build_bulletin(const BulletinRequest& request) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  if (request.year < kMinYear || request.year > kMaxYear) {
    return invalid_argument("--year " + std::to_string(request.year) + " is out of range");
  }
  if (request.city.empty()) return invalid_argument("--city is empty");
  if (request.facts && request.facts->year != request.year) {
    return invalid_argument(request.facts->file + ": year " + std::to_string(request.facts->year) +
                            " is not the bulletin's year " + std::to_string(request.year));
  }
  if (request.facts && city_name(request.facts->city) != city_name(request.city)) {
    return invalid_argument(request.facts->file + ": city '" + request.facts->city +
                            "' is not the bulletin's city '" + request.city + "' (--city)");
  }
  Builder bd(request);
  air_section(bd);
  Section water{"water", "水环境", {}};
  surface_water(bd, water);
  groundwater(bd, water);
  bd.add(std::move(water));
  noise_section(bd);
  soil_section(bd);
  if (request.facts) radiation_and_nature(bd, *request.facts);
  pollution_and_waste(bd, request.facts ? *request.facts : Facts{});
  year_work(bd, request.facts ? *request.facts : Facts{});
  chronicle_section(bd);
  Section o = overview(bd);
  Bulletin b = std::move(bd.bulletin());
  number_tables_and_charts(b);
  if (b.sections.empty()) {
    return not_found("no data for " + request.city + " in " + std::to_string(request.year) +
                     " (air, water, noise) and no facts file: nothing to publish");
  }
  if (!o.blocks.empty()) b.sections.insert(b.sections.begin(), std::move(o));
  return b;
}

}  // namespace ecomon::report
