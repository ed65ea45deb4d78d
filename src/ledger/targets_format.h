// Where a city's targets stand as of a day (`ecomon targets status`, `ledger report targets`, GET
// /api/targets/status): the typed result of app/targets.h and its formatting — the aligned table, CSV and
// JSON. One place, so the CLI's `--format json` and the API's body never drift apart.
//
//   TargetsReport r = *app::targets_status(stores, who, req);
//   std::cout << targets_text(r, "table");          // or "csv"; targets_json(r) is the JSON
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/decimal.h"
#include "core/time.h"
#include "ledger/ledger_format.h"
#include "ledger/plan_csv.h"
#include "ledger/target_kinds.h"
#include "ledger/targets.h"

namespace ecomon {

// A target to evaluate: one of the flags' (--pm25, --good-ratio, --heavy-ratio: no plan) or a stored one.
struct TargetSpec {
  std::string name, label, plan, scope, owner, unit;
  BudgetTarget target;             // level targets: bound, value and period only
  std::optional<Indicator> level;  // set for targets judged as a level (evaluate_level), not by a budget
  bool has_value = true;           // level targets: the plan prints a value
  // Set when there is no target to evaluate: a default of `targets status` (--pm25, --good-ratio,
  // --heavy-ratio not given) the store holds no target of the year for — "no target for 2021". Its row has
  // state "no-target" and this as the reason; nothing is judged.
  std::string missing;
};

// A section_class target's figures: the water section's class over the target's months up to the as-of
// month (classes as ordinals: Ⅰ..Ⅴ = 1..5, 劣Ⅴ = 6).
struct SectionClassFigures {
  std::string months;  // "2025-01..2025-03"
  int months_with_data = 0;
  std::optional<int64_t> cls, target_class;
  bool target_from_section = false;  // the section's stored target (the plan prints none)
};
// A composite_rank target's figures: the city's rank among the store's cities over the period so far.
struct RankFigures {
  CivilDay from, to;
  std::optional<int64_t> rank;
  size_t cities_ranked = 0;
  std::optional<Decimal> composite;
};
// A pollutant_class target's figures: the city's assessed statistic of the pollutant over the period so far
// and the GB 3095 class it reaches.
struct PollutantClassFigures {
  CivilDay from, to;
  std::string pollutant;                   // "NO2"
  std::optional<std::string> statistic;    // set when the pollutant has an assessed statistic
  std::optional<Decimal> statistic_value;  // likewise
  std::optional<std::string> rule_set;     // the limit set, when the statistic has a limit
  std::optional<int64_t> gb3095_class;
};
// An emission_change target's figures: the load of the pollutant over the period so far and over the same
// days of the base year (app/emissions.h), texts as `ecomon emissions` prints them (t, 3 decimals; %, 1
// decimal).
struct EmissionChangeFigures {
  CivilDay from, to, base_from, base_to;
  int base_year = 0;
  std::string pollutant;  // HJ 212 code, "a21026"
  std::string load_t, base_load_t;
  std::optional<std::string> change_percent, completeness_percent, base_completeness_percent;
};
// A soil safe-use rate target's figures (受污染耕地安全利用率 or 污染地块安全利用率, app/soil.h) as the store
// holds the soil data now (the survey and the plot registry are not dated): numerator / denominator (area),
// the parcels or plots counted, the percent as `soil assess|plots` prints it.
struct SafeUseRateFigures {
  std::string rate;  // "farmland" or "plots"
  std::string numerator, denominator;
  int64_t counted = 0;
  std::optional<std::string> percent;
};
using TargetFigures = std::variant<std::monostate, SectionClassFigures, RankFigures, PollutantClassFigures,
                                   EmissionChangeFigures, SafeUseRateFigures>;

struct EvaluatedTarget {
  TargetSpec spec;
  BudgetResult budget;               // budget targets
  std::optional<LevelResult> level;  // level targets (then `budget` is unused)
  TargetFigures figures;             // the level's figures, when it has any
  std::string no_data;  // budget targets: why there are no figures ("no air data for ..."); state "no-data"
};
// The level of a target (budget or level kind).
TargetState state_of(const EvaluatedTarget& e);

struct TargetsReport {
  std::string city;
  CivilDay as_of;
  int year = 0;
  std::vector<EvaluatedTarget> targets;
  std::vector<std::string> warnings;  // cities left out of a ranking ("city: why"), for standard error
};

// One row per target (the JSON objects are the API's items).
LedgerTable targets_table(const std::vector<EvaluatedTarget>& targets);
// {"city", "as_of", "year", "targets": [...]}.
nlohmann::json targets_json(const TargetsReport& r);
// "json": targets_json indented; "csv": the rows under the keys; else the aligned table under its title.
std::string targets_text(const TargetsReport& r, const std::string& format);

}  // namespace ecomon
