// List checks (减排清单核算): per warning level, each pollutant's reduction across the list against the
// list's baseline, whether the level's required share is reached (spec 08 §2: >= 10 / 20 / 30 % at yellow /
// orange / red, PARTIAL: a parameter), which entries carry it; and what-if lists (a grade change, added
// enterprises). The control roster (管控清单) of a declared warning: per county, each enterprise and line,
// what it must do from when.
//
//   ListCheck c = check_list(list, {});
//   const LevelCheck& red = c.levels[level_index(WarningLevel::kRed)];
//   red.pollutants[0].reached;   // SO2 reduction >= 30 % of the list's SO2 baseline
//   StatusOr<ReductionList> w = with_grade(list, "JC007", Grade::kA, {}, {});   // what if JC007 became A
//
// Arithmetic is exact (grams per day, fractions); shares are reported rounded half-even to 2 decimals.
// Pure: no clock, no store.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "emergency/registry.h"

namespace ecomon::emergency {

struct ListCheckParams {
  std::array<int, kLevelCount> required_percent = {10, 20, 30};  // yellow, orange, red (spec 08 §2, PARTIAL)
  // Whether 保障类 entries count in the list's baseline and reduction. They are listed (seed 003) and
  // "treated apart": default yes, they count with what their entry says (usually little or nothing).
  bool include_guarantee = true;
  // Seed 003 (三、全面实施绩效分级差异化减排): an enterprise outside the grading (未分级), unless 保障类,
  // "采取停产或最严级别限产措施，以生产线计" during every response. Checked when true: each of its lines must
  // stop or cut production at red (停产, 限产 or 停止工序), and emit at yellow and orange no more than at
  // red. Reading "最严级别限产" as the line's own red-level measure is UNCONFIRMED (docs/emergency.md).
  bool ungraded_strictest = true;
};

// A line of the list that breaks a rule the list check enforces (the list is still counted as it is).
struct RuleFinding {
  std::string rule;  // "ungraded-strictest"
  std::string enterprise, name, county, line;
  WarningLevel level = WarningLevel::kRed;
  std::string message;  // in Chinese, naming the line, the level, what it does and what it must do
};

struct PollutantShare {
  Pollutant pollutant = Pollutant::kSO2;
  int64_t baseline = 0;                  // g/d over the entries counted
  int64_t at_level = 0;                  // g/d with every measure of the level in force
  int64_t reduction = 0;                 // baseline - at_level
  std::optional<Rational> share;         // reduction / baseline (nullopt when the baseline is 0)
  std::optional<Decimal> share_percent;  // x 100, rounded to 2 decimals
  bool reached = false;  // reduction * 100 >= required * baseline (a pollutant the list does not emit: true)
};

// One entry's part in a level's reduction.
struct Carrier {
  std::string enterprise;
  std::string name;
  std::string county;
  Grade grade = Grade::kUngraded;
  bool guarantee = false;
  Emissions reduction{};  // g/d
  // Its share of the list's reduction of each pollutant, percent rounded to 2 decimals (nullopt: none
  // reduced).
  std::array<std::optional<Decimal>, kPollutantCount> share_of_reduction;
};

struct LevelCheck {
  WarningLevel level = WarningLevel::kYellow;
  int required_percent = 0;
  std::array<PollutantShare, kPollutantCount> pollutants;
  bool all_reached = false;
  // Entries that reduce anything at this level, the largest first (by the sum of their shares of the list's
  // reduction over the pollutants, then by id).
  std::vector<Carrier> carriers;
};

struct ListCheck {
  int enterprises = 0;        // entries counted
  int guarantee_entries = 0;  // 保障类 entries on the list (counted or not, per include_guarantee)
  int lines = 0;
  std::array<LevelCheck, kLevelCount> levels;
  std::vector<RuleFinding> findings;  // by enterprise id, line, level
};

ListCheck check_list(const ReductionList& list, const ListCheckParams& params);

// What-if parameters.
struct WhatIfParams {
  // When an entry becomes a voluntary grade (A, 引领性), its lines take voluntary measures; the bureau cannot
  // count on what it will choose, so the assumed production cut is a parameter, default 0 (no reduction
  // counted).
  int voluntary_assumed_cut_percent = 0;
};

// The list with entry `id`'s grade changed. To a grade of rules.voluntary_grades: every line's measure
// becomes voluntary with the assumed cut. To another grade: the entry keeps its measures, which must then be
// valid for the new grade (a formerly voluntary entry is refused: give its new measures with with_added).
// kNotFound for an unknown id.
StatusOr<ReductionList> with_grade(const ReductionList& list, const std::string& id, Grade grade,
                                   const ListRules& rules, const WhatIfParams& params);
// The list with `added` entries added (an id already listed is replaced), each validated.
StatusOr<ReductionList> with_added(const ReductionList& list, const std::vector<Enterprise>& added,
                                   const ListRules& rules);

// A what-if as asked (CLI options, an API request): the entries added first, then the grade changes.
struct WhatIf {
  std::vector<std::pair<std::string, Grade>> grades;  // entry id -> new grade
  std::vector<Enterprise> added;
  WhatIfParams params;
  bool empty() const { return grades.empty() && added.empty(); }
};
StatusOr<ReductionList> apply_what_if(const ReductionList& list, const WhatIf& w, const ListRules& rules);
// "JC0003=A" -> {"JC0003", A}; invalid_argument naming the text otherwise.
StatusOr<std::pair<std::string, Grade>> parse_grade_change(const std::string& text);
// "10/20/30" -> the required shares of yellow, orange and red in %, each 0..100; invalid_argument otherwise.
StatusOr<std::array<int, kLevelCount>> parse_required_percent(const std::string& text);

// ---- Control roster (管控清单) ----

struct RosterEntry {
  std::string county;
  std::string enterprise;
  std::string name;
  Grade grade = Grade::kUngraded;
  bool guarantee = false;
  std::string line;
  std::string line_name;
  std::string process;
  Measure measure;        // what the line does
  std::string from;       // from when ("YYYY-MM-DD hh:mm"): the warning's effective time
  Emissions reduction{};  // baseline - the measure's emission, g/d
};

// Every line of every entry at `level` (yellow..red), by county, enterprise id and line id; `county`
// non-empty keeps that county only.
std::vector<RosterEntry> roster(const ReductionList& list, WarningLevel level, const std::string& from,
                                const std::string& county = "");

}  // namespace ecomon::emergency
