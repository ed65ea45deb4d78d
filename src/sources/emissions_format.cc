#include "sources/emissions_format.h"

#include "core/text_table.h"
#include "ingest/hj212/codes.h"

namespace ecomon::sources {
namespace {

using nlohmann::json;

constexpr int kLoadDigits = 3, kPercentDigits = 1;
constexpr double kKgPerTonne = 1000;

const std::vector<LoadGroup>& groups_of(const EmissionTotals& t, const std::string& by) {
  if (by == "outlet") return t.outlets;
  if (by == "enterprise") return t.enterprises;
  if (by == "industry") return t.industries;
  return t.counties;
}

const LoadGroup* find_group(const std::vector<LoadGroup>& groups, const std::string& key) {
  for (const LoadGroup& g : groups) {
    if (g.key == key) return &g;
  }
  return nullptr;
}

json opt(const std::optional<double>& v, int digits) {
  return v ? json(round_text(*v, digits)) : json(nullptr);
}

json load_json(const PollutantLoad& p, const PollutantLoad* base) {
  json j = {{"pollutant", p.pollutant},
            {"name", pollutant_name(p.pollutant)},
            {"load_kg", round_text(p.kg, kLoadDigits)},
            {"load_t", round_text(p.kg / kKgPerTonne, kLoadDigits)},
            {"method", std::string(load_method_key(p.method()))},
            {"intervals",
             {{"cou", p.intervals_cou},
              {"concentration_x_flow", p.intervals_flow},
              {"missing", p.intervals_missing}}},
            {"hours_covered", round_text(static_cast<double>(p.covered_seconds) / 3600, kPercentDigits)},
            {"hours_expected", round_text(static_cast<double>(p.period_seconds) / 3600, kPercentDigits)},
            {"completeness_percent", opt(p.completeness_percent(), kPercentDigits)}};
  if (base) {
    j["base_load_kg"] = round_text(base->kg, kLoadDigits);
    j["base_completeness_percent"] = opt(base->completeness_percent(), kPercentDigits);
    j["change_percent"] = opt(change_percent(p.kg, base->kg), kPercentDigits);
  }
  return j;
}

json group_json(const LoadGroup& g, const LoadGroup* base, bool has_base) {
  json pollutants = json::array();
  for (const auto& [code, p] : g.pollutants) {
    const PollutantLoad* b = nullptr;
    PollutantLoad none;
    none.pollutant = code;
    if (has_base) {
      b = &none;  // nothing in the base period: a load of 0
      if (base) {
        if (auto it = base->pollutants.find(code); it != base->pollutants.end()) b = &it->second;
      }
    }
    pollutants.push_back(load_json(p, b));
  }
  return {{"key", g.key}, {"name", g.name}, {"devices", g.devices}, {"pollutants", pollutants}};
}

json level_json(const std::vector<LoadGroup>& groups, const std::vector<LoadGroup>* base) {
  json out = json::array();
  for (const LoadGroup& g : groups)
    out.push_back(group_json(g, base ? find_group(*base, g.key) : nullptr, base));
  return out;
}

json permits_json(const EmissionReport& r) {
  json out = json::array();
  for (const PermitUse& u : r.permits) {
    const PermittedAmount& p = u.permit;
    out.push_back({{"enterprise", p.enterprise_id},
                   {"outlet", p.outlet_id.empty() ? json(nullptr) : json(p.outlet_id)},
                   {"name", u.name},
                   {"pollutant", p.pollutant},
                   {"pollutant_name", pollutant_name(p.pollutant)},
                   {"year", p.year},
                   {"licence", p.licence},
                   {"permitted_t", p.tonnes.to_string()},
                   {"load_t", u.kg ? json(round_text(*u.kg / kKgPerTonne, kLoadDigits)) : json(nullptr)},
                   {"share_percent", opt(u.share_percent(), kPercentDigits)},
                   {"over", u.over()}});
  }
  return out;
}

std::string permits_text(const EmissionReport& r, bool csv) {
  std::vector<std::vector<std::string>> rows;
  for (const PermitUse& u : r.permits) {
    const PermittedAmount& p = u.permit;
    auto share = u.share_percent();
    rows.push_back({p.enterprise_id, p.outlet_id.empty() ? "全厂" : p.outlet_id, u.name,
                    pollutant_name(p.pollutant), p.licence, p.tonnes.to_string(),
                    u.kg ? round_text(*u.kg / kKgPerTonne, kLoadDigits) : "-",
                    share ? round_text(*share, kPercentDigits) : "-", u.over() ? "超许可" : ""});
  }
  return rows_block(csv, "许可排放量 " + std::to_string(*r.permit_year) + "年",
                    {"企业", "排放口", "名称", "污染物", "许可证编号", "许可量(t)", "排放量(t)", "占比%", ""},
                    rows);
}

}  // namespace

std::string pollutant_name(const std::string& code) {
  const hj212::PollutantCode* p = hj212::find_pollutant(code);
  return p ? std::string(p->name) : code;
}

json emissions_json(const EmissionReport& r) {
  const EmissionTotals* b = r.base ? &*r.base : nullptr;
  json j = {{"period", r.period},
            {"first_day", r.first_day},
            {"last_day", r.last_day},
            {"kind", r.kind},
            {"county", r.county.empty() ? json(nullptr) : json(r.county)},
            {"base_year", r.base_year ? json(*r.base_year) : json(nullptr)},
            {"undecodable", r.undecodable},
            {"total", group_json(r.totals.total, b ? &b->total : nullptr, b)},
            {"outlets", level_json(r.totals.outlets, b ? &b->outlets : nullptr)},
            {"enterprises", level_json(r.totals.enterprises, b ? &b->enterprises : nullptr)},
            {"counties", level_json(r.totals.counties, b ? &b->counties : nullptr)},
            {"industries", level_json(r.totals.industries, b ? &b->industries : nullptr)}};
  if (r.base_year) {
    j["base_first_day"] = r.base_first_day;
    j["base_last_day"] = r.base_last_day;
  }
  j["permit_year"] = r.permit_year ? json(*r.permit_year) : json(nullptr);
  j["permits"] = permits_json(r);
  return j;
}

std::string emissions_text(const EmissionReport& r, const std::string& by, bool csv) {
  std::vector<std::string> header = {"分组", "名称", "污染物", "排放量(t)", "方法", "覆盖小时", "完整率%"};
  if (r.base_year) {
    header.push_back(std::to_string(*r.base_year) + "年同期(t)");
    header.push_back("变化%");
  }
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const LoadGroup& g, const LoadGroup* base) {
    for (const auto& [code, p] : g.pollutants) {
      auto c = p.completeness_percent();
      std::vector<std::string> row = {
          g.key.empty() ? "合计" : g.key,
          g.name,
          pollutant_name(code),
          round_text(p.kg / kKgPerTonne, kLoadDigits),
          std::string(load_method_name(p.method())),
          round_text(static_cast<double>(p.covered_seconds) / 3600, kPercentDigits),
          c ? round_text(*c, kPercentDigits) : "-"};
      if (r.base_year) {
        double base_kg = 0;
        if (base && base->pollutants.count(code)) base_kg = base->pollutants.at(code).kg;
        auto ch = change_percent(p.kg, base_kg);
        row.push_back(round_text(base_kg / kKgPerTonne, kLoadDigits));
        row.push_back(ch ? round_text(*ch, kPercentDigits) : "-");
      }
      rows.push_back(std::move(row));
    }
  };
  const std::vector<LoadGroup>* base_groups = r.base ? &groups_of(*r.base, by) : nullptr;
  for (const LoadGroup& g : groups_of(r.totals, by))
    add(g, base_groups ? find_group(*base_groups, g.key) : nullptr);
  add(r.totals.total, r.base ? &r.base->total : nullptr);
  std::string title = "排放量 " + r.period + "（" + r.first_day + ".." + r.last_day + "，" + r.kind + "数据" +
                      (r.county.empty() ? "" : "，" + r.county) + "）";
  std::string out = rows_block(csv, title, header, rows);
  if (r.permit_year && !r.permits.empty()) out += permits_text(r, csv);
  if (!csv && r.undecodable > 0)
    out += "undecodable uploads skipped: " + std::to_string(r.undecodable) + "\n";
  return out;
}

}  // namespace ecomon::sources
