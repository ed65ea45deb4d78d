// Exact decimal arithmetic and rounding per GB/T 8170 (数值修约规则).
//
// Concentrations are kept as integers in thousandths of their unit (Milli: 45 ug/m3 = 45000, 0.9 mg/m3 =
// 900), so means and percentile interpolations are exact fractions (Rational) and rounding never sees a
// binary float. GB/T 8170 rounding is "四舍六入五成双": round half to even, decided on the exact decimal
// value.
//
//   Rational mean{45 + 46, 2};                       // 45.5
//   Decimal r = round_half_even(mean, 0);            // 46 (5 rounds to the even neighbour)
//   round_half_even(Rational{445, 10}, 0).units;     // 44: 44.5 -> 44
//   ceil_to_int(Rational{101, 2});                   // 51: IAQI values are always rounded up
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ecomon {

__extension__ using int128 = __int128;  // exact intermediates for fraction arithmetic

// A concentration in thousandths of its unit; kMissing marks no value.
using Milli = int32_t;
inline constexpr Milli kMissing = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kMilliPerUnit = 1000;

// An exact fraction num/den with den > 0.
struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  static Rational of_milli(int64_t milli_sum, int64_t count) { return {milli_sum, count * kMilliPerUnit}; }
  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }
  std::strong_ordering operator<=>(const Rational& o) const {
    int128 l = static_cast<int128>(num) * o.den, r = static_cast<int128>(o.num) * den;
    return l < r   ? std::strong_ordering::less
           : l > r ? std::strong_ordering::greater
                   : std::strong_ordering::equal;
  }
  bool operator==(const Rational& o) const { return (*this <=> o) == 0; }
};

// A decimal number units / 10^scale, as reported (e.g. 3.49 = {349, 2}).
struct Decimal {
  int64_t units = 0;
  int scale = 0;

  static Decimal of_int(int64_t v) { return {v, 0}; }
  static Decimal of_milli(Milli m) { return {m, 3}; }
  Rational to_rational() const;
  double to_double() const;
  // Value in thousandths, exact when scale <= 3 (rounded half-even otherwise).
  int64_t to_milli() const;
  // Plain decimal text with exactly `scale` digits after the point: "44", "1.3", "-11.4".
  std::string to_string() const;
  std::strong_ordering operator<=>(const Decimal& o) const { return to_rational() <=> o.to_rational(); }
  bool operator==(const Decimal& o) const { return (*this <=> o) == 0; }
};

// Rounds to `digits` digits after the decimal point, half to even (GB/T 8170). Negative values are rounded
// on their magnitude (the rule is symmetric). digits in 0..9.
Decimal round_half_even(const Rational& value, int digits);
// Smallest integer >= value (HJ 633: IAQI and AQI "全部进位取整数").
int64_t ceil_to_int(const Rational& value);
// Parses "45", "0.9", "-3.25", "1e2" is rejected; at most 3 decimals. Returns thousandths.
std::optional<int64_t> parse_milli(std::string_view text);
// Relative change (current - previous) / previous in percent, exact; nullopt when previous is zero.
std::optional<Rational> percent_change(const Decimal& current, const Decimal& previous);

}  // namespace ecomon
