#include "water/water_format.h"

#include <nlohmann/json.hpp>

#include "core/text_table.h"
#include "standards/water/exact.h"

namespace ecomon::water {
namespace {

using nlohmann::json;

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

std::string items_text(const std::vector<Exceedance>& ex) {
  std::string s;
  for (const auto& e : ex) {
    s += (s.empty() ? "" : "、") + std::string(item_info(e.item).name_cn);
    if (e.multiple) s += "(" + e.multiple->to_string() + ")";
  }
  return s.empty() ? "-" : s;
}

// 断面, 河流, 目标, 月数, 类别, 水质状况, 达标, 超标项目(倍数), 主要污染指标, 上年同期, 变化
std::vector<std::string> section_cells(const SectionRow& row, Vocabulary vocab) {
  const SectionAssessment& a = row.current;
  std::string main;
  for (Item i : a.main_pollutants) main += (main.empty() ? "" : "、") + std::string(item_info(i).name_cn);
  return {a.name,
          a.river,
          a.target ? std::string(class_name(*a.target)) : "-",
          std::to_string(a.samples),
          a.result.cls ? std::string(class_name(*a.result.cls)) : "-",
          a.status ? std::string(status_name(*a.status)) : "-",
          a.meets_target ? (*a.meets_target ? "是" : "否") : "-",
          items_text(a.over_target),
          main.empty() ? "-" : main,
          row.previous_class ? std::string(class_name(*row.previous_class)) : "-",
          row.change ? std::string(change_name(*row.change, vocab)) : "-"};
}

// 河流, 断面数, 方法, 均值类别, Ⅰ–Ⅲ类比例, 劣Ⅴ类比例, 水质状况, 变化
std::vector<std::string> river_cells(const RiverRow& row, Vocabulary vocab) {
  const RiverAssessment& r = row.current;
  return {r.river,
          std::to_string(r.sections),
          std::string(method_name(r.method)),
          r.mean_class ? std::string(class_name(*r.mean_class)) : "-",
          r.good_share_rounded.to_string() + "%",
          r.worse_v_share_rounded.to_string() + "%",
          r.status ? std::string(status_name(*r.status)) : "-",
          row.change ? std::string(change_name(*row.change, vocab)) : "-"};
}

std::string source_name(const SourceCompliance& c) { return c.source.empty() ? "全市" : c.source; }

}  // namespace

json water_json(const WaterReport& r, Vocabulary vocab) {
  json j = {{"period", r.period}, {"first_month", r.first_month}, {"last_month", r.last_month}};
  for (const SectionRow& row : r.sections) {
    const SectionAssessment& a = row.current;
    const std::vector<std::string> c = section_cells(row, vocab);
    json items = json::array();
    for (const auto& v : a.period_values) {
      items.push_back({{"item", item_info(v.item).key},
                       {"value", round_half_even(v.value, 4).to_string()},
                       {"class", [&] {
                          auto cls = item_class(v.item, v.value, a.body, r.params.rules);
                          return cls ? std::string(class_name(*cls)) : std::string();
                        }()}});
    }
    json over = json::array();
    for (const auto& e : a.over_target) {
      over.push_back(
          {{"item", item_info(e.item).key}, {"multiple", e.multiple ? e.multiple->to_string() : ""}});
    }
    j["sections"].push_back({{"section", a.name},
                             {"river", a.river},
                             {"target", c[2]},
                             {"months", a.samples},
                             {"class", c[4]},
                             {"status", c[5]},
                             {"meets_target", c[6]},
                             {"over_target", over},
                             {"main_pollutants", c[8]},
                             {"previous_class", c[9]},
                             {"change", c[10]},
                             {"items", items}});
  }
  for (const RiverRow& row : r.rivers) {
    const std::vector<std::string> c = river_cells(row, vocab);
    j["rivers"].push_back({{"river", row.current.river},
                           {"sections", row.current.sections},
                           {"method", c[2]},
                           {"mean_class", c[3]},
                           {"good_share_percent", row.current.good_share_rounded.to_string()},
                           {"worse_v_share_percent", row.current.worse_v_share_rounded.to_string()},
                           {"status", c[6]},
                           {"change", c[7]}});
  }
  for (const SourceCompliance& c : r.sources) {
    j["drinking_sources"].push_back({{"source", source_name(c)},
                                     {"samples", c.samples},
                                     {"compliant_samples", c.compliant_samples},
                                     {"sample_rate_percent", opt_text(c.sample_rate_percent)},
                                     {"volume", exact::to_string(c.volume)},
                                     {"compliant_volume", exact::to_string(c.compliant_volume)},
                                     {"volume_rate_percent", opt_text(c.volume_rate_percent)}});
  }
  return j;
}

std::string water_text(const WaterReport& r, bool csv, Vocabulary vocab) {
  std::vector<std::vector<std::string>> rows;
  for (const SectionRow& row : r.sections) rows.push_back(section_cells(row, vocab));
  std::string out = rows_block(csv, "断面水质 " + r.period,
                               {"断面", "河流", "目标", "月数", "类别", "水质状况", "达标", "超标项目(倍数)",
                                "主要污染指标", "上年同期", "变化"},
                               rows);
  rows.clear();
  for (const RiverRow& row : r.rivers) rows.push_back(river_cells(row, vocab));
  out +=
      rows_block(csv, "河流水质",
                 {"河流", "断面数", "方法", "均值类别", "Ⅰ–Ⅲ类比例", "劣Ⅴ类比例", "水质状况", "变化"}, rows);
  if (r.sources.empty()) return out;
  rows.clear();
  for (const SourceCompliance& c : r.sources) {
    rows.push_back({source_name(c), std::to_string(c.compliant_samples) + "/" + std::to_string(c.samples),
                    opt_text(c.sample_rate_percent) + "%",
                    exact::to_string(c.compliant_volume) + "/" + exact::to_string(c.volume),
                    opt_text(c.volume_rate_percent) + "%"});
  }
  return out + rows_block(csv, "集中式饮用水水源地",
                          {"水源地", "达标次数", "达标率", "达标水量/总水量", "水量达标率"}, rows);
}

namespace {

std::string class_text(const std::optional<WaterClass>& c) { return c ? std::string(class_name(*c)) : "-"; }

}  // namespace

json water_hourly_json(const WaterHourly& h) {
  json j = {{"station", h.station},
            {"name", h.name},
            {"section", h.section},
            {"county", h.county},
            {"mn", h.mn},
            {"body", h.body == WaterBody::kRiver ? "river" : "lake"},
            {"section_known", h.section_known},
            {"from", h.first.to_string()},
            {"to", h.last.to_string()},
            {"hours", json::array()}};
  for (const WaterHour& w : h.hours) {
    json items = json::array(), determining = json::array();
    for (size_t i = 0; i < w.result.items.size(); ++i) {
      const ItemResult& r = w.result.items[i];
      const ItemInfo& info = item_info(r.item);
      items.push_back({{"item", std::string(info.key)},
                       {"name", std::string(info.name_cn)},
                       {"unit", std::string(info.unit)},
                       {"value", w.texts[i]},
                       {"class", r.cls ? json(std::string(class_name(*r.cls))) : json(nullptr)},
                       {"evaluated", r.evaluated}});
    }
    for (Item d : w.result.determining) determining.push_back(std::string(item_info(d).key));
    j["hours"].push_back(
        {{"hour", w.hour.to_string()},
         {"class", w.result.cls ? json(std::string(class_name(*w.result.cls))) : json(nullptr)},
         {"status", w.result.cls ? json(std::string(status_name(status_of(*w.result.cls)))) : json(nullptr)},
         {"determining", determining},
         {"items", items}});
  }
  return j;
}

std::string water_hourly_text(const WaterHourly& h, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (const WaterHour& w : h.hours) {
    for (size_t i = 0; i < w.result.items.size(); ++i) {
      const ItemResult& r = w.result.items[i];
      const ItemInfo& info = item_info(r.item);
      rows.push_back({w.hour.to_string(), std::string(info.name_cn), w.texts[i], std::string(info.unit),
                      class_text(r.cls), r.evaluated ? "是" : "否", class_text(w.result.cls)});
    }
  }
  const std::string title = "水质自动站 " + h.station + " (" + h.section + ", " +
                            std::string(body_name(h.body)) + (h.section_known ? "" : ", 断面未登记: 按河流") +
                            ") " + h.first.to_string() + " .. " + h.last.to_string();
  return rows_block(csv, title, {"时间", "项目", "值", "单位", "类别", "参评", "小时类别"}, rows);
}

}  // namespace ecomon::water

namespace ecomon::groundwater {
namespace {

// 监测井, 县区, 指标数, 类别, 超Ⅲ类指标(倍数), F值, F分级
std::vector<std::string> well_cells(const WellRow& w) {
  std::string over;
  for (const auto& ir : w.result.indicators) {
    if (class_rank(ir.cls) <= class_rank(GwClass::kIII)) continue;
    over += (over.empty() ? "" : "、") + std::string(indicator_info(ir.indicator).name_cn);
    if (ir.multiple) over += "(" + ir.multiple->to_string() + ")";
  }
  return {w.name,
          w.county,
          std::to_string(w.indicators),
          w.result.cls ? std::string(class_name(*w.result.cls)) : "-",
          over.empty() ? "-" : over,
          w.f ? w.f->f.to_string() : "-",
          w.f ? std::string(grade_name(w.f->grade)) : "-"};
}

}  // namespace

nlohmann::json groundwater_json(const GroundwaterReport& r) {
  nlohmann::json j = {{"period", r.period}};
  for (const WellRow& w : r.wells) {
    const std::vector<std::string> c = well_cells(w);
    j["wells"].push_back({{"well", w.name},
                          {"county", w.county},
                          {"indicators", w.indicators},
                          {"class", c[3]},
                          {"over_class_three", c[4]},
                          {"f_value", c[5]},
                          {"f_grade", c[6]}});
  }
  return j;
}

std::string groundwater_text(const GroundwaterReport& r, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (const WellRow& w : r.wells) rows.push_back(well_cells(w));
  return rows_block(csv, "地下水 " + r.period,
                    {"监测井", "县区", "指标数", "类别", "超Ⅲ类指标(倍数)", "F值", "F分级"}, rows);
}

}  // namespace ecomon::groundwater
