#include "standards/water/exact.h"

#include <limits>
#include <numeric>

namespace ecomon::exact {
namespace {

constexpr int64_t kIntegerPartLimit = 1'000'000;           // |value| < 10^6 when it has decimals
constexpr int64_t kWholeLimit = 1'000'000'000'000'000LL;   // integers up to 10^18
constexpr int64_t kFallbackDen = 1'000'000'000'000'000LL;  // 10^15

int128 gcd128(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  constexpr int128 kU64 = static_cast<int128>(std::numeric_limits<uint64_t>::max());
  if (a <= kU64 && b <= kU64) {  // the common case: 64-bit division is far cheaper than 128-bit
    return static_cast<int128>(std::gcd(static_cast<uint64_t>(a), static_cast<uint64_t>(b)));
  }
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

bool fits(int128 v) {
  return v <= std::numeric_limits<int64_t>::max() && v >= std::numeric_limits<int64_t>::min() + 1;
}

// num/den reduced; rounded to 10^-15 steps (half even) when it does not fit 64 bits.
Rational make(int128 num, int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (fits(num) && fits(den)) return {static_cast<int64_t>(num), static_cast<int64_t>(den)};
  // Round num/den to a multiple of 10^-15, half to even.
  bool neg = num < 0;
  if (neg) num = -num;
  int128 scaled = num * kFallbackDen;  // num < 2^127 / 10^15 for any value this code meets
  int128 q = scaled / den, rem = scaled % den;
  if (rem * 2 > den || (rem * 2 == den && q % 2 == 1)) ++q;
  return make(neg ? -q : q, kFallbackDen);
}

}  // namespace

std::optional<Rational> parse(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (t[0] == '-' || t[0] == '+') {
    neg = t[0] == '-';
    i = 1;
  }
  int64_t whole = 0;
  int int_digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++int_digits) {
    whole = whole * 10 + (t[i] - '0');
    if (whole >= kWholeLimit) return std::nullopt;
  }
  int64_t frac = 0, den = 1;
  int frac_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (frac_digits == kMaxDecimals) return std::nullopt;
      frac = frac * 10 + (t[i] - '0');
      den *= 10;
      ++frac_digits;
    }
  }
  if (i != t.size() || (int_digits == 0 && frac_digits == 0)) return std::nullopt;
  if (frac_digits > 0 && whole >= kIntegerPartLimit) return std::nullopt;
  int128 num = static_cast<int128>(whole) * den + frac;
  return make(neg ? -num : num, den);
}

Rational add(const Rational& a, const Rational& b) {
  return make(static_cast<int128>(a.num) * b.den + static_cast<int128>(b.num) * a.den,
              static_cast<int128>(a.den) * b.den);
}
Rational sub(const Rational& a, const Rational& b) { return add(a, Rational{-b.num, b.den}); }
Rational mul(const Rational& a, const Rational& b) {
  return make(static_cast<int128>(a.num) * b.num, static_cast<int128>(a.den) * b.den);
}
Rational div(const Rational& a, const Rational& b) {
  return make(static_cast<int128>(a.num) * b.den, static_cast<int128>(a.den) * b.num);
}
Rational of_int(int64_t v) { return {v, 1}; }

std::optional<Rational> mean(std::span<const Rational> values) {
  Sum sum;
  for (const Rational& v : values) sum.add(v);
  return sum.mean();
}

void Sum::add(const Rational& v) {
  ++count_;
  // Over the least common denominator while it and the scaled numerators stay well inside 128 bits: |num_|
  // and |v.num| below 2^63 and both factors below 2^63 keep each product below 2^126.
  constexpr int128 kSmall = std::numeric_limits<int64_t>::max();
  const int64_t g = std::gcd(den_, v.den);
  const int64_t self_factor = v.den / g;
  const int128 lcm = static_cast<int128>(den_) * self_factor;
  if (lcm <= kSmall && num_ <= kSmall && num_ >= -kSmall) {
    num_ = num_ * self_factor + static_cast<int128>(v.num) * static_cast<int64_t>(lcm / v.den);
    den_ = static_cast<int64_t>(lcm);
    return;
  }
  const Rational r = exact::add(make(num_, den_), v);  // reduces (and rounds only if it cannot be exact)
  num_ = r.num;
  den_ = r.den;
}

std::optional<Rational> Sum::mean() const {
  if (count_ == 0) return std::nullopt;
  return make(num_, static_cast<int128>(den_) * count_);
}

std::string to_string(const Rational& v) {
  // A finite decimal when the reduced denominator has only the factors 2 and 5.
  int64_t d = v.den;
  int twos = 0, fives = 0;
  while (d % 2 == 0) {
    d /= 2;
    ++twos;
  }
  while (d % 5 == 0) {
    d /= 5;
    ++fives;
  }
  constexpr int kShownDecimals = 6;
  int digits = twos > fives ? twos : fives;
  constexpr int kMostDigits = 9;  // round_half_even's range
  if (d != 1) digits = kShownDecimals;
  if (digits > kMostDigits) digits = kMostDigits;
  return round_half_even(v, digits).to_string();
}

std::optional<Rational> percent(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  return make(static_cast<int128>(part) * 100, whole);
}

}  // namespace ecomon::exact
