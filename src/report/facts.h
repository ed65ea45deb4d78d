// The yearly facts file of the bulletin: registry-type figures that no monitoring computes (radiation, nature
// reserves, enforcement, online monitoring sets, emission-permit trading, solid waste, emissions by
// industry), filled in by the bureau as JSON (docs/bulletin.md; example demo/bulletin-facts-2019.json).
//
//   auto facts = read_facts_file("facts-2019.json");   // error names the file, the line or the field
//   if (facts.ok() && facts->enforcement) ...
//
// Every part is optional: a part the file leaves out is left out of the bulletin. Unknown keys are errors (a
// typo must not silently drop a figure). Decimal figures are JSON numbers or strings ("1234.5") and are kept
// exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::report {

struct Radiation {
  std::optional<Decimal> gamma_min, gamma_max;  // 环境γ辐射空气吸收剂量率, nGy/h
  std::optional<int64_t> sealed_sources;        // 放射源
  std::optional<int64_t> ray_devices;           // 射线装置
  std::string assessment;                       // e.g. "处于当地天然本底水平"
};
struct Reserve {
  std::string name, level;  // level: "国家级", "省级"
  Decimal area_km2;
};
struct Nature {
  std::vector<Reserve> reserves;
  std::optional<Decimal> forest_cover_percent;  // 森林覆盖率
};
struct Enforcement {
  int64_t cases = 0;  // 立案查处
  Decimal fines_10k_yuan;
  std::optional<int64_t> cases_previous;
  std::optional<Decimal> fines_previous_10k_yuan;
};
struct OnlineMonitoring {
  int64_t enterprises = 0;
  int64_t sets = 0;                     // 在线监测设备(套)
  Decimal effective_transmission_rate;  // 有效传输率, %
};
struct PermitTrading {
  int64_t deals = 0;
  Decimal amount_10k_yuan;
};
struct SolidWaste {
  Decimal industrial_generated_10k_t;  // 一般工业固体废物产生量, 万吨
  Decimal industrial_utilised_10k_t;   // 综合利用量
  std::optional<Decimal> hazardous_generated_t, hazardous_disposed_t;  // 危险废物, 吨
};
struct IndustryAmount {
  std::string industry;
  Decimal amount;
};
struct IndustryEmissions {
  std::string pollutant;  // "二氧化硫"
  std::string unit;       // "吨"
  std::vector<IndustryAmount> industries;
};

struct Facts {
  std::string file;
  int year = 0;
  std::string city;
  std::optional<Radiation> radiation;
  std::optional<Nature> nature;
  std::optional<Enforcement> enforcement;
  std::optional<OnlineMonitoring> online_monitoring;
  std::optional<PermitTrading> permit_trading;
  std::optional<SolidWaste> solid_waste;
  std::vector<IndustryEmissions> emissions;
};

// Parses the facts JSON text; `file` names it in errors ("f.json: line 3, column 5: ..." for syntax,
// "f.json: enforcement.cases: ..." for a field).
StatusOr<Facts> parse_facts(const std::string& text, const std::string& file);
StatusOr<Facts> read_facts_file(const std::string& path);

// Parses a plain decimal ("12", "-3.25", up to 9 decimals), keeping its scale; nullopt otherwise.
std::optional<Decimal> parse_decimal(const std::string& text);
// a / b x 100, rounded half-even to 1 decimal; nullopt when b is zero.
std::optional<Decimal> ratio_percent(const Decimal& a, const Decimal& b);

// Industries ranked by amount (largest first; ties by name) with each one's share of the total and the top
// three's combined share, rounded half-even to 1 decimal from the exact sums.
struct RankedIndustry {
  std::string industry;
  Decimal amount;
  std::optional<Decimal> share;
};
struct IndustryRanking {
  Decimal total;
  std::vector<RankedIndustry> ranked;
  std::optional<Decimal> top3_share;
};
IndustryRanking rank_industries(const IndustryEmissions& e);

}  // namespace ecomon::report
