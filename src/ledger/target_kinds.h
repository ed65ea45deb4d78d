// Targets on a level the assessment modules compute for the period so far — a water section's class (I..V =
// 1..5, 劣V = 6), a city's rank by composite index (1 = best), a pollutant's GB 3095 class (1 = 一级) — and
// targets no module computes (emission change, other rates).
//
// A level has no budget: it is read off the period's figures up to the as-of date (the water module's period
// value, the ranking of the year to date) and judged against the target. evaluate_level: the period over
// (as-of date on or after its last day): met / missed; still open: on-track when the value so far meets the
// target, at-risk when not; no value (no data in the period so far): no-data whatever the date. The rules are
// in docs/ledger.md "Level targets".
//
// Pure: no clock, no store.
//
//   LevelResult r = evaluate_level(Rational{4, 1}, Bound::kAtMost, Rational{3, 1}, DayRange::year(2021),
//                                  CivilDay::from_ymd(2021, 6, 30));   // class IV vs "at least III": at-risk
//   level_state_name(r);   // "at-risk"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.h"
#include "core/time.h"
#include "ledger/plan_csv.h"
#include "ledger/targets.h"

namespace ecomon {

struct LevelResult {
  std::optional<TargetState> state;  // nullopt: not computed (no module computes the indicator)
  std::optional<Rational> value;     // the value of the period so far; nullopt: none
  bool period_over = false;          // the as-of date is on or after the period's last day
  std::string reason;                // why there is no state or no value; empty otherwise
};
// "met", "on-track", "at-risk", "missed" or "not-computed".
std::string_view level_state_name(const LevelResult& r);

// Whether `value` meets `target` under `bound` (exact comparison).
bool level_meets(const Rational& value, Bound bound, const Rational& target);

// Judges the period-so-far `value` (nullopt: no data) against `bound target` as of `as_of`.
LevelResult evaluate_level(const std::optional<Rational>& value, Bound bound, const Rational& target,
                           const DayRange& period, CivilDay as_of);

// The GB 3095 class a pollutant's assessed statistic reaches (pollutant_class targets: 1 = 一级, 2 = 二级): 1
// within the class-1 limit, else 2 within the class-2 limit, else 3 (beyond class 2). "Within" is <= (GB 3095
// judges 达标 as not above the limit).
int32_t gb3095_class_reached(const Rational& value, const Rational& class1_limit,
                             const Rational& class2_limit);

// A target whose indicator no module computes: no state, no value, the reason given.
LevelResult not_computed(std::string reason);

}  // namespace ecomon
