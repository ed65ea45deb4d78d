// Target budget arithmetic (目标余量测算): how a period's target stands on a given day, and what the rest of
// the period may still afford — "一天一天算，一微克一微克扣".
//
// Given a target on a mean (PM2.5 mean ≤ 44 µg/m³ over 2022), on a ratio of days (优良天数比率 ≥ 63 %,
// 重污染天数比率 ≤ 1.6 %) or on a count of days (重度及以上污染天数 ≤ 2 over Oct–Dec), the daily figures so
// far and an as-of date, evaluate_budget returns the year-to-date value, the state (met / on track / at risk
// / missed), the budget for the remaining days (the highest mean they may average; the number of non-good or
// heavy days still affordable) and the forecast if the pace of the last 30 days holds.
//
// All arithmetic is exact (fractions); reported figures are rounded half-to-even (GB/T 8170). The rules —
// how missing days count, when a value "meets", what each state means — are in docs/ledger.md.
//
// Pure: no clock, no store.
//
//   BudgetTarget t{BudgetMeasure::kMean, Bound::kAtMost, Rational{44, 1}, DayRange::year(2022), 0};
//   StatusOr<BudgetResult> r = evaluate_budget(t, days, CivilDay::from_ymd(2022, 9, 30));
//   r->ytd_reported;            // 38 (µg/m³, year to date)
//   r->remaining_mean_limit;    // the mean Oct 1 – Dec 31 may have and still meet 44
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/plan_csv.h"

namespace ecomon {

enum class BudgetMeasure : uint8_t {
  kMean,           // mean of the valid daily means (PM2.5 年均浓度 as the mean of daily values), µg/m³
  kGoodDayRatio,   // good days / valid days x 100 (优良天数比率), %
  kHeavyDayRatio,  // heavy days / valid days x 100 (重污染天数比率), %
  kHeavyDays,      // number of heavy days (重度及以上污染天数), days
};

// A day as the air assessment classes it by AQI (HJ 633).
enum class DayQuality : uint8_t {
  kNoAqi,     // no valid AQI that day
  kGood,      // 优良: AQI <= 100
  kPolluted,  // 轻度/中度: 100 < AQI <= 200
  kHeavy,     // 重度/严重 (重污染): AQI > 200
};

struct DayFigure {
  CivilDay day;
  Milli mean = kMissing;  // daily mean of the target's pollutant; kMissing: no valid value
  DayQuality quality = DayQuality::kNoAqi;
};

struct BudgetTarget {
  BudgetMeasure measure = BudgetMeasure::kMean;
  Bound bound = Bound::kAtMost;  // kAtMost for means, heavy ratio and heavy days; kAtLeast for the good ratio
  Rational value;                // 44 (µg/m³), 63 (%), 1.6 (%), 2 (days)
  DayRange period;
  int32_t digits = 0;  // decimals the figure is reported and judged at: 0 for PM2.5, 1 for ratios
};

struct BudgetParams {
  int32_t pace_days = 30;     // the forecast window: the days ending on the as-of date
  int32_t budget_digits = 1;  // decimals of the reported remaining-mean budget
  bool judge_reported =
      true;  // judge the value rounded to `digits` (as reported) rather than the exact value
};

enum class TargetState : uint8_t {
  kMet,       // the period is over and the target met, or it is met whatever the remaining days bring
  kOnTrack,   // still open and the forecast (last-30-day pace) meets it
  kAtRisk,    // still open and achievable, but the forecast misses it (or there is no pace to forecast from)
  kMissed,    // over and not met, or no longer achievable even if every remaining day is perfect
  kNoData,    // no valid day (no value) in the period up to the as-of date: nothing to judge yet
  kNoTarget,  // no target for the year (a default of `targets status` the store does not hold): nothing to
              // judge
};
// "met", "on-track", "at-risk", "missed", "no-data", "no-target"
std::string_view target_state_name(TargetState state);

struct BudgetResult {
  TargetState state = TargetState::kAtRisk;
  int32_t days_total = 0;      // days in the period
  int32_t days_elapsed = 0;    // period days up to and including the as-of date
  int32_t days_remaining = 0;  // period days after the as-of date
  int32_t valid_days = 0;      // elapsed days with a value (mean measures) or a valid AQI (day measures)
  int32_t missing_days = 0;    // elapsed days without
  int32_t counted_days = 0;    // day measures: good days (good ratio) or heavy days so far

  std::optional<Rational> ytd;  // year-to-date value (exact); nullopt without a valid day
  std::optional<Decimal> ytd_reported;

  // Mean measures: the remaining days' mean must stay below `remaining_mean_limit` (or equal to it when
  // `remaining_mean_limit_inclusive`). Nullopt when no day remains.
  std::optional<Rational> remaining_mean_limit;
  bool remaining_mean_limit_inclusive = true;
  std::optional<Decimal> remaining_mean_reported;

  // Day measures: how many of the remaining days may still be non-good (good ratio) or heavy (heavy
  // measures) with the target met; 0 when missed. Nullopt when no day remains.
  std::optional<int32_t> affordable_days;

  // Pace of the last pace_days days (mean, or share of good/heavy valid days) and the final value it leads
  // to.
  int32_t pace_valid_days = 0;
  std::optional<Rational> pace;
  std::optional<Rational> forecast;
  std::optional<Decimal> forecast_reported;
};

// Evaluates `target` on `as_of` from `days` (any order; days outside the period count only for the pace
// window; a day given twice is an error). Every remaining day is assumed to be valid.
StatusOr<BudgetResult> evaluate_budget(const BudgetTarget& target, const std::vector<DayFigure>& days,
                                       CivilDay as_of, const BudgetParams& params = {});

}  // namespace ecomon
