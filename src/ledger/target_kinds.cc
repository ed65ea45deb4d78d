#include "ledger/target_kinds.h"

namespace ecomon {

std::string_view level_state_name(const LevelResult& r) {
  return r.state ? target_state_name(*r.state) : std::string_view("not-computed");
}

bool level_meets(const Rational& value, Bound bound, const Rational& target) {
  // a/b against c/d with positive denominators: compare a·d with c·b (128-bit, no overflow).
  const int128 l = static_cast<int128>(value.num) * target.den;
  const int128 r = static_cast<int128>(target.num) * value.den;
  switch (bound) {
    case Bound::kAtMost:
      return l <= r;
    case Bound::kAtLeast:
      return l >= r;
    case Bound::kLessThan:
      return l < r;
    case Bound::kMoreThan:
      return l > r;
    case Bound::kExactly:
      return l == r;
  }
  return false;
}

LevelResult evaluate_level(const std::optional<Rational>& value, Bound bound, const Rational& target,
                           const DayRange& period, CivilDay as_of) {
  LevelResult r;
  r.value = value;
  r.period_over = !(as_of < period.last);
  if (!value) {
    r.state = TargetState::kNoData;
    r.reason = "no data in the period up to the as-of date";
    return r;
  }
  const bool meets = level_meets(*value, bound, target);
  if (r.period_over) {
    r.state = meets ? TargetState::kMet : TargetState::kMissed;
  } else {
    r.state = meets ? TargetState::kOnTrack : TargetState::kAtRisk;
  }
  return r;
}

int32_t gb3095_class_reached(const Rational& value, const Rational& class1_limit,
                             const Rational& class2_limit) {
  if (level_meets(value, Bound::kAtMost, class1_limit)) return 1;
  if (level_meets(value, Bound::kAtMost, class2_limit)) return 2;
  return 3;
}

LevelResult not_computed(std::string reason) {
  LevelResult r;
  r.reason = std::move(reason);
  return r;
}

}  // namespace ecomon
