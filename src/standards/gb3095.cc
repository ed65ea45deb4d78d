#include "standards/gb3095.h"

#include <cctype>
#include <span>
#include <string>

namespace ecomon {
namespace {

// One row of Table 1: class 1 and class 2 limits in the pollutant's unit (ug/m3, CO mg/m3). 0 = not set.
struct LimitRow {
  Pollutant pollutant;
  Averaging averaging;
  int32_t class1;
  int32_t class2;
};

constexpr LimitRow k2012[] = {
    {Pollutant::kSO2, Averaging::kAnnual, 20, 60},
    {Pollutant::kSO2, Averaging::k24h, 50, 150},
    {Pollutant::kSO2, Averaging::k1h, 150, 500},
    {Pollutant::kNO2, Averaging::kAnnual, 40, 40},
    {Pollutant::kNO2, Averaging::k24h, 80, 80},
    {Pollutant::kNO2, Averaging::k1h, 200, 200},
    {Pollutant::kCO, Averaging::k24h, 4, 4},
    {Pollutant::kCO, Averaging::k1h, 10, 10},
    {Pollutant::kO3, Averaging::kMaxDaily8h, 100, 160},
    {Pollutant::kO3, Averaging::k1h, 160, 200},
    {Pollutant::kPM10, Averaging::kAnnual, 40, 70},
    {Pollutant::kPM10, Averaging::k24h, 50, 150},
    {Pollutant::kPM25, Averaging::kAnnual, 15, 35},
    {Pollutant::kPM25, Averaging::k24h, 35, 75},
};
// GB 3095-2026 transition phase (2026-03-01 .. 2030-12-31): PM class-2 limits tightened.
constexpr LimitRow k2026T[] = {
    {Pollutant::kSO2, Averaging::kAnnual, 20, 60},
    {Pollutant::kSO2, Averaging::k24h, 50, 150},
    {Pollutant::kSO2, Averaging::k1h, 150, 500},
    {Pollutant::kNO2, Averaging::kAnnual, 40, 40},
    {Pollutant::kNO2, Averaging::k24h, 80, 80},
    {Pollutant::kNO2, Averaging::k1h, 200, 200},
    {Pollutant::kCO, Averaging::k24h, 4, 4},
    {Pollutant::kCO, Averaging::k1h, 10, 10},
    {Pollutant::kO3, Averaging::kMaxDaily8h, 100, 160},
    {Pollutant::kO3, Averaging::k1h, 160, 200},
    {Pollutant::kPM10, Averaging::kAnnual, 40, 60},
    {Pollutant::kPM10, Averaging::k24h, 50, 120},
    {Pollutant::kPM25, Averaging::kAnnual, 15, 30},
    {Pollutant::kPM25, Averaging::k24h, 35, 60},
};
// GB 3095-2026 final limits (from 2031-01-01).
constexpr LimitRow k2026F[] = {
    {Pollutant::kSO2, Averaging::kAnnual, 20, 20},
    {Pollutant::kSO2, Averaging::k24h, 50, 50},
    {Pollutant::kSO2, Averaging::k1h, 150, 150},
    {Pollutant::kNO2, Averaging::kAnnual, 30, 30},
    {Pollutant::kNO2, Averaging::k24h, 50, 50},
    {Pollutant::kNO2, Averaging::k1h, 200, 200},
    {Pollutant::kCO, Averaging::k24h, 4, 4},
    {Pollutant::kCO, Averaging::k1h, 10, 10},
    {Pollutant::kO3, Averaging::kMaxDaily8h, 100, 160},
    {Pollutant::kO3, Averaging::k1h, 160, 200},
    {Pollutant::kPM10, Averaging::kAnnual, 20, 50},
    {Pollutant::kPM10, Averaging::k24h, 50, 100},
    {Pollutant::kPM25, Averaging::kAnnual, 10, 25},
    {Pollutant::kPM25, Averaging::k24h, 25, 50},
};

struct LimitTable {
  LimitSet set;
  std::span<const LimitRow> rows;
};

const LimitTable kTables[] = {
    {{"GB3095-2012", "GB 3095-2012 环境空气质量标准", CivilDay::from_days(16801), CivilDay::from_days(20512)},
     k2012},
    {{"GB3095-2026T", "GB 3095-2026 环境空气质量标准（过渡阶段）", CivilDay::from_days(20513),
      CivilDay::from_days(22279)},
     k2026T},  // 2026-03-01 .. 2030-12-31
    {{"GB3095-2026", "GB 3095-2026 环境空气质量标准", CivilDay::from_days(22280), std::nullopt}, k2026F},
};

}  // namespace

std::string_view averaging_code(Averaging a) {
  switch (a) {
    case Averaging::kAnnual:
      return "annual";
    case Averaging::k24h:
      return "24h";
    case Averaging::k1h:
      return "1h";
    case Averaging::kMaxDaily8h:
      return "max_daily_8h";
  }
  return "?";
}

std::optional<Decimal> LimitSet::limit(Pollutant p, Averaging a, ZoneClass z) const {
  for (const LimitTable& t : kTables) {
    if (t.set.id != id) continue;
    for (const LimitRow& row : t.rows) {
      if (row.pollutant == p && row.averaging == a) {
        return Decimal::of_int(z == ZoneClass::kClass1 ? row.class1 : row.class2);
      }
    }
  }
  return std::nullopt;
}

const LimitSet& gb3095_2012() { return kTables[0].set; }
const LimitSet& gb3095_2026_transition() { return kTables[1].set; }
const LimitSet& gb3095_2026_final() { return kTables[2].set; }

StatusOr<const LimitSet*> limit_set_for(CivilDay d) {
  for (const LimitTable& t : kTables) {
    if (d >= t.set.valid_from && (!t.set.valid_to || d <= *t.set.valid_to)) return &t.set;
  }
  return not_found("no GB 3095 limit set is in force on " + d.to_string() +
                   " (GB 3095-2012 applies from 2016-01-01); choose one with --rules GB3095-2012");
}

StatusOr<const LimitSet*> limit_set_by_id(std::string_view id) {
  std::string n = normalise_rule_id(id);
  if (n == "GB3095-2012" || n == "2012") return &kTables[0].set;
  if (n == "GB3095-2026T" || n == "2026T") return &kTables[1].set;
  if (n == "GB3095-2026" || n == "2026" || n == "2026F") return &kTables[2].set;
  return not_found("unknown GB 3095 limit set '" + std::string(id) +
                   "' (known: GB3095-2012, GB3095-2026T, GB3095-2026)");
}

}  // namespace ecomon
