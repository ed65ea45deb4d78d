#include "noise/noise_format.h"

#include <nlohmann/json.hpp>

#include "core/text_table.h"
#include "standards/water/exact.h"

namespace ecomon::noise {
namespace {

std::string rate_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

// The rates in table order, with their zone's name ("1类", ..., "全部").
std::vector<std::pair<const ZoneRate*, std::string>> rates(const NoiseReport& r) {
  std::vector<std::pair<const ZoneRate*, std::string>> out;
  for (const auto& z : r.zones.by_zone) out.emplace_back(&z, std::string(zone_name(z.zone)) + "类");
  out.emplace_back(&r.zones.total_day, "全部");
  out.emplace_back(&r.zones.total_night, "全部");
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> zone_rows(const NoiseReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [z, name] : rates(r)) {
    rows.push_back({name, std::string(part_name(z->part)),
                    std::to_string(z->compliant) + "/" + std::to_string(z->measured),
                    rate_text(z->rate_percent) + "%"});
  }
  return rows;
}

std::vector<std::vector<std::string>> grade_rows(const NoiseReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (const GradeRow& g : r.grades) {
    rows.push_back({g.road ? "道路交通声环境" : "区域声环境", std::string(part_name(g.part)),
                    g.graded.value.to_string(), std::string(grade_name(g.graded.grade)),
                    std::string(grade_rating(g.graded.grade))});
  }
  return rows;
}

nlohmann::json noise_json(const NoiseReport& r) {
  nlohmann::json j = {{"period", r.period}};
  for (const auto& [z, name] : rates(r)) {
    j["zone_compliance"].push_back({{"zone", name},
                                    {"part", z->part == DayPart::kDay ? "day" : "night"},
                                    {"measured", z->measured},
                                    {"compliant", z->compliant},
                                    {"rate_percent", rate_text(z->rate_percent)}});
  }
  for (const GradeRow& g : r.grades) {
    j["grades"].push_back({{"kind", g.road ? "road" : "regional"},
                           {"part", g.part == DayPart::kDay ? "day" : "night"},
                           {"leq", g.graded.value.to_string()},
                           {"grade", std::string(grade_name(g.graded.grade))},
                           {"rating", std::string(grade_rating(g.graded.grade))}});
  }
  return j;
}

nlohmann::json noise_hourly_json(const NoiseHourly& h) {
  using nlohmann::json;
  json j = {{"station", h.station},
            {"name", h.name},
            {"point", h.point},
            {"county", h.county},
            {"mn", h.mn},
            {"point_known", h.point_known},
            {"zone", h.zone ? json(std::string(zone_name(*h.zone))) : json(nullptr)},
            {"from", h.first.to_string()},
            {"to", h.last.to_string()},
            {"hours", json::array()}};
  for (const NoiseHour& n : h.hours) {
    json indices = json::object();
    for (const auto& [index, text] : n.indices) indices[index] = text;
    j["hours"].push_back({{"hour", n.hour.to_string()},
                          {"part", n.part == DayPart::kDay ? "day" : "night"},
                          {"part_name", std::string(part_name(n.part))},
                          {"leq", n.leq ? json(*n.leq) : json(nullptr)},
                          {"limit", n.limit ? json(exact::to_string(*n.limit)) : json(nullptr)},
                          {"complies", n.complies ? json(*n.complies) : json(nullptr)},
                          {"indices", indices}});
  }
  return j;
}

std::string noise_hourly_text(const NoiseHourly& h, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (const NoiseHour& n : h.hours) {
    std::string others;
    for (const auto& [index, text] : n.indices) {
      if (index == "Leq") continue;
      others += (others.empty() ? "" : " ") + index + "=" + text;
    }
    rows.push_back({n.hour.to_string(), std::string(part_name(n.part)), n.leq.value_or("-"),
                    n.limit ? exact::to_string(*n.limit) : "-",
                    n.complies ? (*n.complies ? "是" : "否") : "-", others.empty() ? "-" : others});
  }
  const std::string title = "噪声自动站 " + h.station + " (" + h.point +
                            (h.zone ? ", " + std::string(zone_name(*h.zone)) + "类区" : ", 功能区未知") +
                            ") " + h.first.to_string() + " .. " + h.last.to_string();
  return rows_block(csv, title, {"时间", "时段", "Leq dB(A)", "限值", "达标", "其他指标"}, rows);
}

}  // namespace ecomon::noise
