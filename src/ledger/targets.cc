#include "ledger/targets.h"

#include <algorithm>
#include <set>

namespace ecomon {
namespace {

constexpr int64_t kPercent = 100;
constexpr int32_t kMaxDigits = 6;

int128 gcd128(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// An exact fraction with 128-bit parts, always reduced, den > 0.
struct Frac {
  int128 n = 0;
  int128 d = 1;

  static Frac of(int128 n, int128 d = 1) {
    if (d < 0) {
      n = -n;
      d = -d;
    }
    int128 g = gcd128(n, d);
    if (g > 1) {
      n /= g;
      d /= g;
    }
    return {n, d};
  }
  static Frac of(const Rational& r) { return of(r.num, r.den); }
  Frac operator+(const Frac& o) const { return of(n * o.d + o.n * d, d * o.d); }
  Frac operator-(const Frac& o) const { return of(n * o.d - o.n * d, d * o.d); }
  Frac operator*(const Frac& o) const { return of(n * o.n, d * o.d); }
  Frac operator/(const Frac& o) const { return of(n * o.d, d * o.n); }
  bool operator<(const Frac& o) const { return n * o.d < o.n * d; }
  bool operator<=(const Frac& o) const { return n * o.d <= o.n * d; }
  bool operator==(const Frac& o) const { return n == o.n && d == o.d; }
  Rational to_rational() const { return {static_cast<int64_t>(n), static_cast<int64_t>(d)}; }
};

Frac pow10_frac(int32_t digits) {
  int128 p = 1;
  for (int32_t i = 0; i < digits; ++i) p *= 10;
  return Frac::of(1, p);
}

struct Judge {
  Bound bound;
  Frac value;
  int32_t digits;
  bool reported;

  // Whether a final value `f` meets the target (on its rounded value when `reported`).
  bool meets(const Frac& f) const {
    Frac x = f;
    if (reported) x = Frac::of(round_half_even(f.to_rational(), digits).to_rational());
    switch (bound) {
      case Bound::kAtMost:
        return x <= value;
      case Bound::kAtLeast:
        return value <= x;
      case Bound::kLessThan:
        return x < value;
      case Bound::kMoreThan:
        return value < x;
      case Bound::kExactly:
        return x == value;
    }
    return false;
  }
};

Status check(const BudgetTarget& t, const BudgetParams& p) {
  if (t.period.last < t.period.first) return invalid_argument("target period ends before it starts");
  if (t.value.den <= 0) return invalid_argument("target value has a non-positive denominator");
  if (t.digits < 0 || t.digits > kMaxDigits || p.budget_digits < 0 || p.budget_digits > kMaxDigits) {
    return invalid_argument("reporting digits out of range 0.." + std::to_string(kMaxDigits));
  }
  if (p.pace_days < 1) return invalid_argument("pace window must be at least one day");
  bool ok =
      t.measure == BudgetMeasure::kGoodDayRatio ? t.bound == Bound::kAtLeast : t.bound == Bound::kAtMost;
  if (!ok) {
    return invalid_argument(
        std::string("unsupported comparison ") + std::string(bound_symbol(t.bound)) +
        " for this measure (means, heavy ratio and heavy days take <=, the good ratio >=)");
  }
  return Status::ok_status();
}

}  // namespace

std::string_view target_state_name(TargetState state) {
  switch (state) {
    case TargetState::kMet:
      return "met";
    case TargetState::kOnTrack:
      return "on-track";
    case TargetState::kAtRisk:
      return "at-risk";
    case TargetState::kMissed:
      return "missed";
    case TargetState::kNoData:
      return "no-data";
    case TargetState::kNoTarget:
      return "no-target";
  }
  return "?";
}

StatusOr<BudgetResult> evaluate_budget(const BudgetTarget& target, const std::vector<DayFigure>& days,
                                       CivilDay as_of, const BudgetParams& params) {
  ECOMON_RETURN_IF_ERROR(check(target, params));
  const DayRange& period = target.period;
  const bool is_mean = target.measure == BudgetMeasure::kMean;
  const bool counts_good = target.measure == BudgetMeasure::kGoodDayRatio;
  const bool is_ratio = target.measure != BudgetMeasure::kMean && target.measure != BudgetMeasure::kHeavyDays;
  const Judge judge{target.bound, Frac::of(target.value), target.digits, params.judge_reported};
  const DayRange pace_window{as_of - (params.pace_days - 1), as_of};

  BudgetResult r;
  r.days_total = period.size();
  CivilDay elapsed_end = std::min(as_of, period.last);
  r.days_elapsed = elapsed_end < period.first ? 0 : elapsed_end - period.first + 1;
  r.days_remaining = r.days_total - r.days_elapsed;

  // Sums over the elapsed period days and over the pace window.
  int128 sum_milli = 0, pace_sum_milli = 0;
  int32_t pace_counted = 0;
  std::set<int32_t> seen;
  for (const DayFigure& f : days) {
    if (!seen.insert(f.day.days_since_epoch()).second) {
      return invalid_argument("day " + f.day.to_string() + " given twice");
    }
    bool in_elapsed = period.contains(f.day) && f.day <= as_of;
    bool in_pace = pace_window.contains(f.day);
    if (!in_elapsed && !in_pace) continue;
    bool valid = is_mean ? f.mean != kMissing : f.quality != DayQuality::kNoAqi;
    if (!valid) continue;
    if (is_mean && f.mean < 0) return invalid_argument("negative daily mean on " + f.day.to_string());
    bool counted = counts_good ? f.quality == DayQuality::kGood : f.quality == DayQuality::kHeavy;
    if (in_elapsed) {
      ++r.valid_days;
      sum_milli += f.mean;
      if (!is_mean && counted) ++r.counted_days;
    }
    if (in_pace) {
      ++r.pace_valid_days;
      pace_sum_milli += f.mean;
      if (!is_mean && counted) ++pace_counted;
    }
  }
  r.missing_days = r.days_elapsed - r.valid_days;

  const Frac milli = Frac::of(kMilliPerUnit);
  const Frac hundred = Frac::of(kPercent);
  const int32_t n = r.valid_days;
  const int32_t rem = r.days_remaining;

  // The final value if `k` of the remaining days are counted days (day measures), all remaining days valid.
  auto final_days = [&](int32_t k) -> Frac {
    if (!is_ratio) return Frac::of(r.counted_days + k);
    return Frac::of(r.counted_days + k) / Frac::of(n + rem) * hundred;
  };

  if (n > 0) {
    if (is_mean) {
      r.ytd = (Frac::of(sum_milli) / Frac::of(n) / milli).to_rational();
    } else if (is_ratio) {
      r.ytd = (Frac::of(r.counted_days) / Frac::of(n) * hundred).to_rational();
    }
  }
  if (target.measure == BudgetMeasure::kHeavyDays) r.ytd = Rational{r.counted_days, 1};
  if (r.ytd) r.ytd_reported = round_half_even(*r.ytd, target.digits);

  // Pace and forecast (a mean or a ratio needs at least one day to divide by).
  bool divisible = target.measure == BudgetMeasure::kHeavyDays || n + rem > 0;
  if (r.pace_valid_days > 0 && divisible) {
    Frac pace = is_mean ? Frac::of(pace_sum_milli) / Frac::of(r.pace_valid_days) / milli
                        : Frac::of(pace_counted) / Frac::of(r.pace_valid_days);
    r.pace = pace.to_rational();
    Frac forecast;
    if (is_mean) {
      forecast = (Frac::of(sum_milli) / milli + pace * Frac::of(rem)) / Frac::of(n + rem);
    } else {
      Frac counted = Frac::of(r.counted_days) + pace * Frac::of(rem);
      forecast = is_ratio ? counted / Frac::of(n + rem) * hundred : counted;
    }
    r.forecast = forecast.to_rational();
    r.forecast_reported = round_half_even(*r.forecast, target.digits);
  }

  // Period over: the year-to-date value is the final value.
  if (rem == 0) {
    r.state = r.ytd && judge.meets(Frac::of(*r.ytd)) ? TargetState::kMet : TargetState::kMissed;
    if (n == 0) r.state = TargetState::kNoData;  // no valid day in the whole period: nothing was measured
    return r;
  }

  bool achievable = false, secured = false;
  if (is_mean) {
    // Threshold on the final mean: the target value, or (judging the reported value) the value plus half a
    // reporting unit, which itself meets only when it rounds down to the target (half to even).
    Frac threshold = judge.value;
    if (judge.reported) threshold = judge.value + pow10_frac(target.digits) * Frac::of(1, 2);
    bool inclusive = judge.meets(threshold);
    Frac limit = (threshold * Frac::of(n + rem) - Frac::of(sum_milli) / milli) / Frac::of(rem);
    r.remaining_mean_limit = limit.to_rational();
    r.remaining_mean_limit_inclusive = inclusive;
    r.remaining_mean_reported = round_half_even(*r.remaining_mean_limit, params.budget_digits);
    Frac zero = Frac::of(0);
    achievable = inclusive ? zero <= limit : zero < limit;
  } else {
    // k counts the remaining days that are not good (good ratio) or heavy (heavy measures).
    auto meets_with = [&](int32_t k) {
      int32_t counted = counts_good ? rem - k : k;
      return judge.meets(final_days(counted));
    };
    int32_t affordable = -1;
    for (int32_t k = 0; k <= rem; ++k) {
      if (!meets_with(k)) break;
      affordable = k;
    }
    achievable = affordable >= 0;
    secured = affordable == rem;
    r.affordable_days = std::max(affordable, 0);
  }

  if (!achievable) {
    r.state = TargetState::kMissed;
  } else if (secured) {
    r.state = TargetState::kMet;
  } else if (r.forecast && judge.meets(Frac::of(*r.forecast))) {
    r.state = TargetState::kOnTrack;
  } else {
    r.state = TargetState::kAtRisk;
  }
  // No valid day so far: the budget and the forecast stand, but there is nothing to judge yet.
  if (n == 0) r.state = TargetState::kNoData;
  return r;
}

}  // namespace ecomon
