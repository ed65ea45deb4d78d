// Exact measured values for the water, noise and rain rules: decimal text in, exact fractions out.
//
// Water quality limits go down to 0.00005 mg/L (汞, class I) and automatic stations publish raw values with
// up to ten decimals, so the core's thousandths (Milli) are too coarse. A measured value here is a core
// Rational whose denominator is a power of ten (as parsed) or a small multiple of one (a mean). Comparisons
// against limits are exact (128-bit cross multiplication); no binary float ever decides a class.
//
//   auto v = exact::parse("0.05281");          // 5281/100000
//   exact::mean({*v, *exact::parse("0.1")});   // (0.05281 + 0.1) / 2, exact
//   round_half_even(*v, 3).to_string();        // "0.053"  (GB/T 8170)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/decimal.h"

namespace ecomon::exact {

// The most decimals a value may carry (automatic stations publish ten).
inline constexpr int kMaxDecimals = 12;

// Parses plain decimal text ("8.03", "-0.5", "1284.811", "12"); no exponent, no thousands separators, at most
// kMaxDecimals decimals, magnitude below 10^6 when it has decimals. nullopt when the text is not such a
// number.
std::optional<Rational> parse(std::string_view text);

// Exact arithmetic, reduced by the gcd. Results that would not fit are rounded to 15 decimals (never reached
// by measured data with six decimals or fewer; documented in docs/quality-rules.md).
Rational add(const Rational& a, const Rational& b);
Rational sub(const Rational& a, const Rational& b);
Rational mul(const Rational& a, const Rational& b);
// b must not be zero.
Rational div(const Rational& a, const Rational& b);
Rational of_int(int64_t v);
// Arithmetic mean; nullopt for no values.
std::optional<Rational> mean(std::span<const Rational> values);

// A running exact sum for means without keeping the values (no allocation). Values with power-of-ten
// denominators are added over their common denominator without reducing; the result is reduced once. Same
// results as mean().
//   Sum s; s.add(a); s.add(b); s.mean();   // == mean({a, b})
class Sum {
 public:
  void add(const Rational& v);
  int64_t count() const { return count_; }
  std::optional<Rational> mean() const;  // nullopt for no values

 private:
  int128 num_ = 0;
  int64_t den_ = 1;
  int64_t count_ = 0;
};
// Shortest plain decimal text of an exact decimal value ("0.05281"); for values that are not finite decimals,
// the value rounded half-even to 6 decimals.
std::string to_string(const Rational& v);
// A percentage part/whole*100 as an exact fraction; nullopt when whole is zero.
std::optional<Rational> percent(int64_t part, int64_t whole);

}  // namespace ecomon::exact
