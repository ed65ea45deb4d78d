#include "air/air_format.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "air/statistics.h"
#include "core/text_table.h"

namespace ecomon {
namespace {

using nlohmann::json;

json num(const Decimal& d) {
  if (d.scale == 0) return d.units;
  return d.to_double();
}
json num_or_null(const std::optional<Decimal>& d) { return d ? num(*d) : json(nullptr); }
json milli_json(Pollutant p, const std::optional<int64_t>& v) {
  return v ? num(reported(p, *v)) : json(nullptr);
}
std::string milli_text(Pollutant p, const std::optional<int64_t>& v) {
  return v ? reported(p, *v).to_string() : "-";
}

std::string kind_name(PeriodKind k) {
  switch (k) {
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kOther:
      return "range";
  }
  return "range";
}

std::string primary_text(const AqiResult& r) {
  std::string s;
  for (Pollutant p : r.primary) s += (s.empty() ? "" : ",") + std::string(pollutant_code(p));
  return s.empty() ? "-" : s;
}

// IAQI per pollutant (the value that speaks for it in this report).
json iaqi_json(const AqiResult& r) {
  json j = json::object();
  for (Pollutant p : kAllPollutants) {
    const auto& v = r.pollutant_iaqi[static_cast<size_t>(index_of(p))];
    j[std::string(pollutant_code(p))] = v ? json(*v) : json(nullptr);
  }
  return j;
}

json primary_json(const AqiResult& r) {
  json a = json::array();
  for (Pollutant p : r.primary) a.push_back(std::string(pollutant_code(p)));
  return a;
}

json stat_json(const Statistic& s, Pollutant p, const std::string& limit_rules, const Completeness& c) {
  json j = {{"statistic", s.name}, {"value", num(s.value)}, {"unit", std::string(pollutant_unit(p))}};
  j["limit"] = num_or_null(s.limit);
  j["limit_averaging"] = s.limit ? json(s.limit_averaging) : json(nullptr);
  j["compliant"] = s.compliant ? json(*s.compliant) : json(nullptr);
  j["exceed_multiple"] = num_or_null(s.exceed_multiple);
  j["rule_set"] = s.limit ? json(limit_rules) : json(nullptr);
  (void)c;
  return j;
}

json completeness_json(const Completeness& c) {
  return {{"valid_days", c.valid_days},
          {"total_days", c.total_days},
          {"months_meeting", c.months_meeting},
          {"months_total", c.months_total},
          {"meets_minimum", c.meets_minimum ? json(*c.meets_minimum) : json(nullptr)}};
}

json change_json(const Change& c) {
  return {{"percent", num_or_null(c.percent)}, {"delta", num_or_null(c.delta)}};
}

std::string change_text(const Change& c) {
  if (c.percent) return (c.percent->units > 0 ? "+" : "") + c.percent->to_string() + "%";
  return "-";
}

std::string statistic_label(const std::string& name, PeriodKind kind) {
  if (name == "mean") return kind == PeriodKind::kYear ? "年平均" : "平均";
  if (name == "p98_daily_mean") return "日均值第98百分位";
  if (name == "p95_daily_mean") return "日均值第95百分位";
  if (name == "p90_mda8") return "日最大8小时第90百分位";
  if (name == "mean_mda8") return "日最大8小时平均";
  return name;
}

}  // namespace

StatusOr<OutputFormat> parse_output_format(std::string_view t) {
  if (t == "table") return OutputFormat::kTable;
  if (t == "csv") return OutputFormat::kCsv;
  if (t == "json") return OutputFormat::kJson;
  return invalid_argument("--format must be table, csv or json, not '" + std::string(t) + "'");
}

json to_json(const PeriodAssessment& a, const RuleChoice& choice, const std::optional<YearOnYear>& yoy) {
  json j;
  j["city"] = a.city;
  j["period"] = {{"from", a.range.first.to_string()},
                 {"to", a.range.last.to_string()},
                 {"kind", kind_name(period_kind(a.range))},
                 {"days", a.range.size()}};
  const AssessmentParams& pr = choice.params;
  j["rules"] = {{"aqi", a.aqi_rules},
                {"limits", a.limit_rules},
                {"composite", choice.composite.id},
                {"zone_class", static_cast<int>(choice.zone)},
                {"params",
                 {{"o3_windows", pr.o3_windows == O3WindowSet::kSameDay17 ? "same_day_17" : "rolling_24"},
                  {"exclude_reference_stations", pr.exclude_reference_stations},
                  {"min_stations_for_city_value", pr.min_stations_for_city_value},
                  {"round_each_level", pr.round_each_level},
                  {"valid_day", pr.valid_day == ValidDayRule::kCompleteOrPolluted ? "complete_or_polluted"
                                : pr.valid_day == ValidDayRule::kComplete         ? "complete"
                                                                                  : "any_aqi"}}}};
  j["stations"] = a.stations;
  j["excluded_stations"] = a.excluded_stations;
  j["silent_stations"] = a.silent_stations;
  json pols = json::object();
  for (const PollutantAssessment& pa : a.pollutants) {
    Pollutant p = pa.pollutant;
    json pj;
    pj["unit"] = std::string(pollutant_unit(p));
    pj["completeness"] = completeness_json(pa.completeness);
    if (pa.assessed) {
      pj["assessed"] = stat_json(*pa.assessed, p, a.limit_rules, pa.completeness);
      pj["assessed"]["completeness"] = completeness_json(pa.completeness);
    } else {
      pj["assessed"] = nullptr;
    }
    json stats = json::array();
    for (const Statistic& s : pa.statistics) stats.push_back(stat_json(s, p, a.limit_rules, pa.completeness));
    pj["statistics"] = stats;
    pj["compliant"] = pa.compliant ? json(*pa.compliant) : json(nullptr);
    pj["exceed_days"] = pa.exceed_days;
    pj["max_daily"] = num_or_null(pa.max_daily);
    if (yoy) pj["year_on_year"] = change_json(yoy->assessed[static_cast<size_t>(index_of(p))]);
    pols[std::string(pollutant_code(p))] = pj;
  }
  j["pollutants"] = pols;
  const DaysSummary& d = a.days;
  json levels = json::object();
  for (int l = 1; l <= 6; ++l) levels[std::to_string(l)] = d.by_level[static_cast<size_t>(l - 1)];
  j["days"] = {{"total", d.total},
               {"valid", d.valid},
               {"good", d.good},
               {"good_ratio", num_or_null(d.good_ratio)},
               {"by_level", levels},
               {"heavy", d.heavy},
               {"heavy_ratio", num_or_null(d.heavy_ratio)},
               {"by_primary", d.by_primary},
               {"exceed", d.exceed}};
  if (a.composite) {
    json parts = json::array();
    for (const CompositePart& p : a.composite->parts) {
      parts.push_back({{"pollutant", std::string(pollutant_code(p.pollutant))},
                       {"concentration", num(p.concentration)},
                       {"limit", num(p.limit)},
                       {"weight", p.weight},
                       {"index", num(p.index)},
                       {"share", num(p.share)}});
    }
    j["composite_index"] = {
        {"value", num(a.composite->value)}, {"rule", a.composite->rule}, {"parts", parts}};
  } else {
    j["composite_index"] = {{"value", nullptr}, {"rule", choice.composite.id}, {"parts", json::array()}};
  }
  if (yoy) {
    j["year_on_year"] = {
        {"previous_period",
         {{"from", yoy->previous_range.first.to_string()}, {"to", yoy->previous_range.last.to_string()}}},
        {"good_days", change_json(yoy->good_days)},
        {"good_ratio_points", num_or_null(yoy->good_ratio.delta)},
        {"heavy_days", change_json(yoy->heavy_days)},
        {"composite_index", change_json(yoy->composite)}};
  } else {
    j["year_on_year"] = nullptr;
  }
  return j;
}

json day_to_json(const DayReport& d) {
  const DayStats& s = d.stats;
  json c = json::object();
  for (Pollutant p : kAllPollutants) {
    if (p == Pollutant::kO3) continue;
    c[std::string(pollutant_code(p))] = milli_json(p, s.mean[static_cast<size_t>(index_of(p))]);
  }
  c["O3_8h"] = milli_json(Pollutant::kO3, s.o3_mda8);
  c["O3_1h"] = milli_json(Pollutant::kO3, s.o3_max_1h);
  json j = {{"date", d.day.to_string()}, {"concentrations", c}, {"valid", d.valid}};
  j["aqi"] = d.aqi.aqi ? json(*d.aqi.aqi) : json(nullptr);
  if (d.aqi.aqi) {
    const AqiLevel& l = aqi_level(*d.aqi.aqi);
    j["level"] = l.level;
    j["category"] = std::string(l.category);
    j["colour"] = std::string(l.hex);
  } else {
    j["level"] = nullptr;
    j["category"] = nullptr;
    j["colour"] = nullptr;
  }
  j["primary"] = primary_json(d.aqi);
  j["iaqi"] = iaqi_json(d.aqi);
  j["complete"] = d.aqi.complete;
  j["rule_set"] = d.rules ? json(std::string(d.rules->id)) : json(nullptr);
  return j;
}

json hour_to_json(const HourReport& h) {
  json c = json::object();
  for (Pollutant p : kAllPollutants)
    c[std::string(pollutant_code(p))] = milli_json(p, h.value[static_cast<size_t>(index_of(p))]);
  c["O3_8h"] = milli_json(Pollutant::kO3, h.o3_8h);
  json j = {{"hour", h.hour.to_string()}, {"concentrations", c}};
  j["aqi"] = h.aqi.aqi ? json(*h.aqi.aqi) : json(nullptr);
  j["level"] = h.aqi.aqi ? json(aqi_level(*h.aqi.aqi).level) : json(nullptr);
  j["category"] = h.aqi.aqi ? json(std::string(aqi_level(*h.aqi.aqi).category)) : json(nullptr);
  j["colour"] = h.aqi.aqi ? json(std::string(aqi_level(*h.aqi.aqi).hex)) : json(nullptr);
  j["primary"] = primary_json(h.aqi);
  j["iaqi"] = iaqi_json(h.aqi);
  j["complete"] = h.aqi.complete;
  j["rule_set"] = h.rules ? json(std::string(h.rules->id)) : json(nullptr);
  return j;
}

json ranking_to_json(const std::vector<RankRow>& rows, DayRange range, RankArea area) {
  json a = json::array();
  for (const RankRow& r : rows) {
    a.push_back({{"rank", r.rank ? json(r.rank) : json(nullptr)},
                 {area == RankArea::kCounty ? "county" : "city", r.city},
                 {"composite_index", num_or_null(r.composite)},
                 {"largest_share", r.primary_share}});
  }
  return {{"period", {{"from", range.first.to_string()}, {"to", range.last.to_string()}}}, {"ranking", a}};
}

json days_json(const std::string& city, const std::vector<DayReport>& days) {
  json a = json::array();
  for (const DayReport& d : days) a.push_back(day_to_json(d));
  return json{{"city", city}, {"days", a}};
}

json hours_json(const std::string& city, const std::string& station, const std::vector<HourReport>& hours) {
  json a = json::array();
  for (const HourReport& h : hours) a.push_back(hour_to_json(h));
  return json{{"city", city}, {"station", station}, {"hours", a}};
}

json station_json(const StationInfo& s) {
  return {{"code", s.code},
          {"name", s.name},
          {"city", s.city},
          {"longitude", s.longitude ? json(*s.longitude) : json()},
          {"latitude", s.latitude ? json(*s.latitude) : json()},
          {"reference", s.is_reference},
          {"type", s.kind.empty() ? json() : json(s.kind)},
          {"assessment", s.assessment}};
}

json hotspots_json(const std::string& city, DayRange range, const HotspotParams& params,
                   const std::vector<Hotspot>& hotspots) {
  json items = json::array();
  for (const Hotspot& h : hotspots) {
    json nearby = json::array();
    for (const auto& [code, km] : h.nearby) nearby.push_back({{"station", code}, {"km", km}});
    json pollutants = json::object();
    for (Pollutant p : kAllPollutants) {
      const HotspotPollutant& r = h.pollutants[static_cast<size_t>(index_of(p))];
      if (r.paired_hours == 0) continue;
      const auto unit = [](std::optional<int64_t> v) {
        return v ? json(Decimal{*v, 3}.to_double()) : json();
      };
      pollutants[std::string(pollutant_code(p))] = {{"hours", r.paired_hours},
                                                    {"micro_mean", unit(r.micro_mean)},
                                                    {"nearby_mean", unit(r.reference_mean)},
                                                    {"difference", unit(r.difference)},
                                                    {"ratio", r.ratio ? json(r.ratio->to_double()) : json()},
                                                    {"hours_above", r.hours_above}};
    }
    json j = {{"station", h.station.code},
              {"name", h.station.name},
              {"nearby", nearby},
              {"pollutants", pollutants}};
    if (!h.note.empty()) j["note"] = h.note;
    items.push_back(j);
  }
  json j = {{"city", city},
            {"from", range.first.to_string()},
            {"to", range.last.to_string()},
            {"ranked_by", std::string(pollutant_code(params.rank_by))},
            {"items", items}};
  if (params.radius_km)
    j["radius_km"] = *params.radius_km;
  else
    j["nearest"] = params.nearest;
  return j;
}

std::string hotspots_table(const std::vector<Hotspot>& hotspots, Pollutant p) {
  TextTable t({"station", "name", "nearby", "hours", "micro", "nearby mean", "difference", "ratio",
               "hours above", "note"});
  for (const Hotspot& h : hotspots) {
    std::string nearby;
    for (const auto& [code, km] : h.nearby)
      nearby += (nearby.empty() ? "" : " ") + code + fmt::format("({:.2f}km)", km);
    const HotspotPollutant& r = h.pollutants[static_cast<size_t>(index_of(p))];
    const auto cell = [](std::optional<int64_t> v) {
      return v ? Decimal{*v, 3}.to_string() : std::string("-");
    };
    t.add({h.station.code, h.station.name, nearby, std::to_string(r.paired_hours), cell(r.micro_mean),
           cell(r.reference_mean), cell(r.difference), r.ratio ? r.ratio->to_string() : "-",
           std::to_string(r.hours_above), h.note});
  }
  return std::string(pollutant_code(p)) + " (" + std::string(pollutant_unit(p)) + ")\n" + t.render();
}

json latest_hour_json(const std::vector<HourReport>& hours) {
  for (auto it = hours.rbegin(); it != hours.rend(); ++it) {
    if (!it->aqi.aqi) continue;
    json j = hour_to_json(*it);
    const AqiLevel& l = aqi_level(*it->aqi.aqi);
    j["level_name"] = std::string(l.level_name);
    j["category_en"] = std::string(l.category_en);
    j["health_effect"] = std::string(l.health_effect);
    j["advice"] = std::string(l.advice);
    return j;
  }
  return json();
}

json month_json(const std::string& month, const PeriodAssessment& a, const RuleChoice& choice) {
  const json j = to_json(a, choice, std::nullopt);
  json row = {{"month", month},
              {"valid_days", j["days"].value("valid", 0)},
              {"good_ratio", j["days"].value("good_ratio", json())},
              {"composite_index", j["composite_index"].value("value", json())}};
  for (const auto& [p, v] : j["pollutants"].items()) {
    const json& as = v.value("assessed", json::object());
    row[p] = as.value("value", json());
    row[p + "_limit"] = as.value("limit", json());
  }
  return row;
}

std::string period_table(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy) {
  std::string out;
  std::string rules;
  for (const auto& r : a.aqi_rules) rules += r + ", ";
  rules += a.limit_rules;
  out += fmt::format("{} 环境空气质量评价 {} ({} 天)  规则: {}\n", a.city, a.range.to_string(),
                     a.range.size(), rules);
  std::string st;
  for (const auto& s : a.stations) st += (st.empty() ? "" : ", ") + s;
  out += fmt::format("评价点位 {}: {}", a.stations.size(), st);
  auto joined = [](const std::vector<std::string>& v) {
    std::string text;
    for (const auto& code : v) text += (text.empty() ? "" : ", ") + code;
    return text;
  };
  if (!a.excluded_stations.empty()) out += fmt::format("  (对照点不参与: {})", joined(a.excluded_stations));
  if (!a.silent_stations.empty()) out += fmt::format("  (本期无数据: {})", joined(a.silent_stations));
  out += "\n\n";
  PeriodKind kind = period_kind(a.range);
  TextTable t(
      {"污染物", "统计量", "浓度", "单位", "标准限值", "达标", "超标倍数", "有效天数", "超标天数", "同比"});
  for (const PollutantAssessment& pa : a.pollutants) {
    Pollutant p = pa.pollutant;
    std::string valid = fmt::format("{}/{}", pa.completeness.valid_days, pa.completeness.total_days);
    if (pa.completeness.meets_minimum && !*pa.completeness.meets_minimum) valid += " 不足";
    if (pa.statistics.empty()) {
      t.add({std::string(pollutant_code(p)), "-", "-", std::string(pollutant_unit(p)), "-", "-", "-", valid,
             "-", "-"});
      continue;
    }
    bool first = true;
    for (const Statistic& s : pa.statistics) {
      std::string change = first && yoy ? change_text(yoy->assessed[static_cast<size_t>(index_of(p))]) : "";
      t.add({first ? std::string(pollutant_code(p)) : "", statistic_label(s.name, kind), s.value.to_string(),
             std::string(pollutant_unit(p)), s.limit ? s.limit->to_string() : "",
             s.compliant ? (*s.compliant ? "是" : "否") : "",
             s.exceed_multiple ? s.exceed_multiple->to_string() : "", first ? valid : "",
             first ? std::to_string(pa.exceed_days) : "", change});
      first = false;
    }
  }
  out += t.render();
  const DaysSummary& d = a.days;
  out += fmt::format("\n有效天数 {} / {} 天; 优良天数 {} ({}%)", d.valid, d.total, d.good,
                     d.good_ratio ? d.good_ratio->to_string() : "-");
  if (yoy && yoy->good_days.delta) {
    out += fmt::format(", 同比 {}{} 天", yoy->good_days.delta->units >= 0 ? "+" : "",
                       yoy->good_days.delta->to_string());
  }
  out += fmt::format("; 重污染天数 {} ({}%)\n", d.heavy, d.heavy_ratio ? d.heavy_ratio->to_string() : "-");
  static constexpr const char* kLevelNames[] = {"优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"};
  out += "各级别天数:";
  for (size_t l = 0; l < 6; ++l) out += fmt::format(" {} {}", kLevelNames[l], d.by_level[l]);
  out += "\n首要污染物天数:";
  if (d.by_primary.empty()) out += " -";
  for (const auto& [p, n] : d.by_primary) out += fmt::format(" {} {}", p, n);
  out += "\n超标天数 (IAQI>100):";
  if (d.exceed.empty()) out += " -";
  for (const auto& [p, n] : d.exceed) out += fmt::format(" {} {}", p, n);
  out += "\n";
  if (a.composite) {
    out += fmt::format("综合指数 {} ({})", a.composite->value.to_string(), a.composite->rule);
    if (yoy && yoy->composite.percent) out += fmt::format(", 同比 {}", change_text(yoy->composite));
    out += ":";
    for (const CompositePart& p : a.composite->parts) {
      out +=
          fmt::format(" {} {} ({}%)", pollutant_code(p.pollutant), p.index.to_string(), p.share.to_string());
    }
    out += "\n";
  } else {
    out += "综合指数: - (a pollutant has no valid statistic)\n";
  }
  return out;
}

std::string period_csv(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy) {
  std::string out =
      csv_row({"city", "from", "to", "pollutant", "statistic", "value", "unit", "limit", "compliant",
               "exceed_multiple", "valid_days", "total_days", "exceed_days", "yoy_percent"});
  for (const PollutantAssessment& pa : a.pollutants) {
    for (const Statistic& s : pa.statistics) {
      const Change* ch = yoy && &s == &pa.statistics.front()
                             ? &yoy->assessed[static_cast<size_t>(index_of(pa.pollutant))]
                             : nullptr;
      out += csv_row({a.city, a.range.first.to_string(), a.range.last.to_string(),
                      std::string(pollutant_code(pa.pollutant)), s.name, s.value.to_string(),
                      std::string(pollutant_unit(pa.pollutant)), s.limit ? s.limit->to_string() : "",
                      s.compliant ? (*s.compliant ? "true" : "false") : "",
                      s.exceed_multiple ? s.exceed_multiple->to_string() : "",
                      std::to_string(pa.completeness.valid_days), std::to_string(pa.completeness.total_days),
                      std::to_string(pa.exceed_days), ch && ch->percent ? ch->percent->to_string() : ""});
    }
  }
  return out;
}

namespace {
std::vector<std::string> day_cells(const DayReport& d) {
  const DayStats& s = d.stats;
  auto m = [&](Pollutant p) { return milli_text(p, s.mean[static_cast<size_t>(index_of(p))]); };
  std::string aqi = d.aqi.aqi ? std::to_string(*d.aqi.aqi) : "NA";
  std::string cat = d.aqi.aqi ? std::string(aqi_level(*d.aqi.aqi).category) : "-";
  return {d.day.to_string(),
          aqi,
          cat,
          primary_text(d.aqi),
          m(Pollutant::kSO2),
          m(Pollutant::kNO2),
          m(Pollutant::kPM10),
          m(Pollutant::kPM25),
          m(Pollutant::kCO),
          milli_text(Pollutant::kO3, s.o3_mda8),
          milli_text(Pollutant::kO3, s.o3_max_1h),
          d.valid ? "Y" : "N"};
}
const std::vector<std::string> kDayHeader = {"date", "AQI",   "类别", "首要污染物", "SO2",   "NO2",
                                             "PM10", "PM2.5", "CO",   "O3_8h",      "O3_1h", "valid"};
std::vector<std::string> hour_cells(const HourReport& h) {
  auto v = [&](Pollutant p) { return milli_text(p, h.value[static_cast<size_t>(index_of(p))]); };
  std::string aqi = h.aqi.aqi ? std::to_string(*h.aqi.aqi) : "NA";
  std::string cat = h.aqi.aqi ? std::string(aqi_level(*h.aqi.aqi).category) : "-";
  return {h.hour.to_string(),
          aqi,
          cat,
          primary_text(h.aqi),
          v(Pollutant::kSO2),
          v(Pollutant::kNO2),
          v(Pollutant::kPM10),
          v(Pollutant::kPM25),
          v(Pollutant::kCO),
          v(Pollutant::kO3),
          milli_text(Pollutant::kO3, h.o3_8h)};
}
const std::vector<std::string> kHourHeader = {"hour", "AQI",   "类别", "首要污染物", "SO2",  "NO2",
                                              "PM10", "PM2.5", "CO",   "O3",         "O3_8h"};
}  // namespace

std::string days_table(const std::vector<DayReport>& days) {
  TextTable t(kDayHeader);
  for (const DayReport& d : days) t.add(day_cells(d));
  return t.render();
}

std::string days_csv(const std::vector<DayReport>& days) {
  std::string out = csv_row(kDayHeader);
  for (const DayReport& d : days) out += csv_row(day_cells(d));
  return out;
}

std::string hours_table(const std::vector<HourReport>& hours) {
  TextTable t(kHourHeader);
  for (const HourReport& h : hours) t.add(hour_cells(h));
  return t.render();
}

std::string hours_csv(const std::vector<HourReport>& hours) {
  std::string out = csv_row(kHourHeader);
  for (const HourReport& h : hours) out += csv_row(hour_cells(h));
  return out;
}

std::string ranking_table(const std::vector<RankRow>& rows, DayRange range, RankArea area) {
  const char* words = area == RankArea::kCounty ? "区县" : "城市";
  std::string out = fmt::format("{}环境空气质量综合指数排名 {}\n", words, range.to_string());
  TextTable t({"排名", words, "综合指数", "最大分指数"});
  for (const RankRow& r : rows) {
    t.add({r.rank ? std::to_string(r.rank) : "-", r.city, r.composite ? r.composite->to_string() : "-",
           r.primary_share.empty() ? "-" : r.primary_share});
  }
  return out + t.render();
}

std::string ranking_csv(const std::vector<RankRow>& rows, RankArea area) {
  std::string out =
      csv_row({"rank", area == RankArea::kCounty ? "county" : "city", "composite_index", "largest_share"});
  for (const RankRow& r : rows) {
    out += csv_row({r.rank ? std::to_string(r.rank) : "", r.city, r.composite ? r.composite->to_string() : "",
                    r.primary_share});
  }
  return out;
}

nlohmann::json moving_average_json(const MovingAverage& m) {
  auto dec = [](const std::optional<Decimal>& d) { return d ? json(d->to_string()) : json(nullptr); };
  json rows = json::array();
  for (const MovingAverageRow& r : m.rows) {
    json by = json::array();
    for (const auto& v : r.by_year) by.push_back(dec(v));
    rows.push_back({{"pollutant", pollutant_code(r.pollutant)},
                    {"statistic", r.statistic},
                    {"by_year", by},
                    {"value", dec(r.value)},
                    {"limit", dec(r.limit)},
                    {"compliant", r.compliant ? json(*r.compliant) : json(nullptr)}});
  }
  return {{"city", m.city}, {"years", m.years}, {"pollutants", rows}};
}

std::string moving_average_table(const MovingAverage& m) {
  std::vector<std::string> head = {"污染物", "统计量"};
  for (int y : m.years) head.push_back(std::to_string(y));
  for (const char* h : {"滑动平均", "标准", "达标"}) head.emplace_back(h);
  TextTable t(head);
  for (const MovingAverageRow& r : m.rows) {
    std::vector<std::string> row = {std::string(pollutant_code(r.pollutant)), r.statistic};
    for (const auto& v : r.by_year) row.push_back(v ? v->to_string() : "-");
    row.push_back(r.value ? r.value->to_string() : "-");
    row.push_back(r.limit ? r.limit->to_string() : "-");
    row.push_back(r.compliant ? (*r.compliant ? "是" : "否") : "-");
    t.add(std::move(row));
  }
  return m.city + " " + std::to_string(m.years.front()) + "-" + std::to_string(m.years.back()) +
         " 三年滑动平均 (HJ 663-2026)\n" + t.render();
}

}  // namespace ecomon
