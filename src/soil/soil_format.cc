#include "soil/soil_format.h"

#include "core/text_table.h"
#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

using nlohmann::json;

json county_json(const std::string& county) { return county.empty() ? json(nullptr) : json(county); }

std::string value_text(const Rational& v, bool not_detected) {
  return not_detected ? exact::to_string(v) + "L" : exact::to_string(v);
}

json rate_json(const SafeUseRate& r, int64_t target) {
  return {{"numerator", exact::to_string(r.numerator)},
          {"denominator", exact::to_string(r.denominator)},
          {"counted", r.parcels_counted},
          {"percent", r.shown ? json(r.shown->to_string()) : json(nullptr)},
          {"target_percent", target},
          {"meets_target", r.meets_target}};
}

std::string rate_text(const SafeUseRate& r, int64_t target) {
  if (!r.shown) return "- (nothing counted)";
  return r.shown->to_string() + "% (" + exact::to_string(r.numerator) + "/" +
         exact::to_string(r.denominator) + ", " + (r.meets_target ? "达到" : "未达到") + " " +
         std::to_string(target) + "%)";
}

// One farmland point: its items and the point's judgement.
json farm_json(const FarmPointResult& f) {
  json items = json::array();
  for (const FarmItemResult& r : f.items) {
    items.push_back({{"item", farm_item_info(r.item).key},
                     {"name", farm_item_info(r.item).name_cn},
                     {"value", exact::to_string(r.value)},
                     {"not_detected", r.not_detected},
                     {"screening", exact::to_string(r.screening)},
                     {"control", r.control ? json(exact::to_string(*r.control)) : json(nullptr)},
                     {"index", r.index.to_string()},
                     {"risk", risk_key(r.risk)},
                     {"risk_name", risk_name(r.risk)}});
  }
  return {{"ph_band", ph_band_name(f.band)},
          {"category", category_key(f.category)},
          {"category_name", category_name(f.category)},
          {"worst", risk_key(f.worst)},
          {"items", items}};
}

json dev_json(const DevPointResult& d) {
  json items = json::array();
  for (const DevItemResult& r : d.items) {
    items.push_back({{"item", dev_item_info(r.item).name_cn},
                     {"value", exact::to_string(r.value)},
                     {"not_detected", r.not_detected},
                     {"screening", exact::to_string(r.screening)},
                     {"control", exact::to_string(r.control)},
                     {"risk", dev_risk_key(r.risk)},
                     {"risk_name", dev_risk_name(r.risk)}});
  }
  return {{"class", dev_class_key(d.cls)}, {"worst", dev_risk_key(d.worst)}, {"items", items}};
}

// The items at the point's worst level, "Cd 0.45 (筛选值 0.4)".
std::string determining_text(const PointAssessment& a) {
  std::string s;
  if (a.farm) {
    for (const FarmItemResult& r : a.farm->items) {
      if (r.risk != a.farm->worst || r.risk == FarmRisk::kLow) continue;
      s += (s.empty() ? "" : "、") + std::string(farm_item_info(r.item).name_cn) + " " +
           value_text(r.value, r.not_detected) + " (筛选值 " + exact::to_string(r.screening) +
           (r.control ? ", 管制值 " + exact::to_string(*r.control) : "") + ")";
    }
  } else if (a.dev) {
    for (const DevItemResult& r : a.dev->items) {
      if (r.risk != a.dev->worst || r.risk == DevRisk::kNegligible) continue;
      s += (s.empty() ? "" : "、") + std::string(dev_item_info(r.item).name_cn) + " " +
           value_text(r.value, r.not_detected) + " (筛选值 " + exact::to_string(r.screening) + ", 管制值 " +
           exact::to_string(r.control) + ")";
    }
  }
  return s.empty() ? "-" : s;
}

// 水田, 第一类用地, ... (the stored key when it is not one).
std::string land_use_text(const std::string& key) {
  auto use = parse_land_use(key);
  return use.ok() ? std::string(land_use_name(*use)) : key;
}

std::string verdict(const PointAssessment& r) {
  return r.farm  ? std::string(category_name(r.farm->category))
         : r.dev ? std::string(dev_risk_name(r.dev->worst))
                 : "未判定";
}

// 疑似污染地块, ... (the stored key when it is not one) and whether the stage meets the planned use's
// requirement.
std::string plot_status_text(const PlotEntry& p) {
  auto status = parse_plot_status(p.status);
  return status ? std::string(plot_status_name(*status)) : p.status;
}
bool plot_meets(const PlotEntry& p) {
  auto status = parse_plot_status(p.status);
  return status && plot_meets_requirement(*status);
}

}  // namespace

json survey_json(const SurveyReport& r) {
  json j = {{"county", county_json(r.county)}, {"points", json::array()}};
  for (size_t i = 0; i < r.points.size(); ++i) {
    const SoilPoint& p = r.points[i];
    const PointAssessment& a = r.results[i];
    json pj = {{"point", p.id},
               {"county", p.county},
               {"land_use", p.land_use},
               {"land_use_name", land_use_text(p.land_use)},
               {"ph", p.ph.empty() ? json(nullptr) : json(p.ph)}};
    // Every point has the same keys (the API's CSV takes its columns from the first item).
    pj["verdict"] = verdict(a);
    pj["farmland"] = a.farm ? farm_json(*a.farm) : json(nullptr);
    pj["development"] = a.dev ? dev_json(*a.dev) : json(nullptr);
    pj["error"] = a.error.ok() ? json(nullptr) : json(a.error.message());
    j["points"].push_back(pj);
  }
  j["summary"] = json::array();
  for (const SurveySummary& s : r.summary) {
    j["summary"].push_back({{"county", county_json(s.county)},
                            {"farmland_points", s.farm_points},
                            {"priority", s.by_category[0]},
                            {"safe_use", s.by_category[1]},
                            {"strict", s.by_category[2]},
                            {"development_points", s.dev_points},
                            {"negligible", s.by_dev_risk[0]},
                            {"below_background", s.by_dev_risk[1]},
                            {"investigate", s.by_dev_risk[2]},
                            {"control", s.by_dev_risk[3]},
                            {"not_judged", s.not_judged}});
  }
  j["rates"] = {{"farmland_safe_use", rate_json(r.farmland_rate, r.farmland_target_percent)},
                {"plot_safe_use", rate_json(r.plot_rate, r.plot_target_percent)}};
  return j;
}

std::string survey_text(const SurveyReport& r, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < r.points.size(); ++i) {
    const SoilPoint& p = r.points[i];
    const PointAssessment& a = r.results[i];
    std::string band = a.farm ? std::string(ph_band_name(a.farm->band)) : "-";
    std::string v = verdict(a);
    if (!a.error.ok()) v += ": " + a.error.message();
    rows.push_back(
        {p.id, p.county, land_use_text(p.land_use), p.ph.empty() ? "-" : p.ph, band, v, determining_text(a)});
  }
  std::string out = rows_block(csv, "土壤监测点位" + (r.county.empty() ? std::string() : " " + r.county),
                               {"点位", "区县", "用地类型", "pH", "pH分档", "判定", "超筛选值项目"}, rows);
  std::vector<std::vector<std::string>> sums;
  for (const SurveySummary& s : r.summary) {
    sums.push_back({s.county.empty() ? "合计" : s.county, std::to_string(s.farm_points),
                    std::to_string(s.by_category[0]), std::to_string(s.by_category[1]),
                    std::to_string(s.by_category[2]), std::to_string(s.dev_points),
                    std::to_string(s.by_dev_risk[2]), std::to_string(s.by_dev_risk[3]),
                    std::to_string(s.not_judged)});
  }
  out += rows_block(csv, "点位统计",
                    {"区县", "农用地点位", "优先保护类", "安全利用类", "严格管控类", "建设用地点位",
                     "需详细调查", "需管控修复", "未判定"},
                    sums);
  if (!csv) {
    out += "受污染耕地安全利用率: " + rate_text(r.farmland_rate, r.farmland_target_percent) + "\n" +
           "污染地块安全利用率: " + rate_text(r.plot_rate, r.plot_target_percent) + "\n";
  }
  return out;
}

json plots_json(const PlotReport& r) {
  json j = {{"county", county_json(r.county)},
            {"plots", json::array()},
            {"rate", rate_json(r.rate, r.target_percent)}};
  for (const PlotEntry& p : r.plots) {
    j["plots"].push_back({{"plot", p.plot},
                          {"name", p.name},
                          {"county", p.county},
                          {"planned_use", p.planned_use},
                          {"area_m2", p.area},
                          {"status", p.status},
                          {"status_name", plot_status_text(p)},
                          {"redeveloped", p.redeveloped},
                          {"meets_requirement", plot_meets(p)}});
  }
  return j;
}

std::string plots_text(const PlotReport& r, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (const PlotEntry& p : r.plots) {
    rows.push_back({p.plot, p.name, p.county, land_use_text(p.planned_use), p.area, plot_status_text(p),
                    p.redeveloped ? "是" : "否", plot_meets(p) ? "是" : "否"});
  }
  std::string out =
      rows_block(csv, "建设用地地块名录",
                 {"地块", "名称", "区县", "规划用途", "面积(m²)", "阶段", "再开发利用", "达到要求"}, rows);
  if (!csv) out += "污染地块安全利用率: " + rate_text(r.rate, r.target_percent) + "\n";
  return out;
}

}  // namespace ecomon::soil
