#include "core/decimal.h"

#include <cstdlib>
#include <iterator>

namespace ecomon {
namespace {

// 10^0 .. 10^18: every scale a Decimal can have (units is an int64, so at most 18 digits after the point).
constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1000,
                              10000,
                              100000,
                              1000000,
                              10000000,
                              100000000,
                              1000000000,
                              10000000000,
                              100000000000,
                              1000000000000,
                              10000000000000,
                              100000000000000,
                              1000000000000000,
                              10000000000000000,
                              100000000000000000,
                              1000000000000000000};
constexpr int kMaxScale = static_cast<int>(std::size(kPow10)) - 1;
static_assert(kMaxScale == 18);

}  // namespace

Rational Decimal::to_rational() const { return {units, kPow10[scale]}; }

double Decimal::to_double() const { return static_cast<double>(units) / static_cast<double>(kPow10[scale]); }

int64_t Decimal::to_milli() const {
  if (scale <= 3) return units * kPow10[3 - scale];
  return round_half_even(Rational{units, kPow10[scale - 3]}, 0).units;
}

std::string Decimal::to_string() const {
  bool neg = units < 0;
  uint64_t mag = neg ? static_cast<uint64_t>(-(units + 1)) + 1 : static_cast<uint64_t>(units);
  std::string digits = std::to_string(mag);
  std::string out = neg ? "-" : "";
  if (scale <= 0) return out + digits;
  size_t sc = static_cast<size_t>(scale);
  if (digits.size() <= sc) digits = std::string(sc + 1 - digits.size(), '0') + digits;
  out += digits.substr(0, digits.size() - sc);
  out += '.';
  out += digits.substr(digits.size() - sc);
  return out;
}

Decimal round_half_even(const Rational& value, int digits) {
  int128 num = static_cast<int128>(value.num) * kPow10[digits];
  int128 den = value.den;
  bool neg = num < 0;
  if (neg) num = -num;
  int128 q = num / den, rem = num % den;
  int128 twice = rem * 2;
  if (twice > den || (twice == den && (q % 2) == 1)) ++q;
  int64_t units = static_cast<int64_t>(q);
  return {neg ? -units : units, digits};
}

int64_t ceil_to_int(const Rational& v) {
  int64_t q = v.num / v.den, r = v.num % v.den;
  if (r != 0 && v.num > 0) ++q;
  return q;
}

std::optional<int64_t> parse_milli(std::string_view t) {
  if (t.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (t[0] == '-' || t[0] == '+') {
    neg = t[0] == '-';
    i = 1;
  }
  int64_t whole = 0;
  size_t int_digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++int_digits) {
    whole = whole * 10 + (t[i] - '0');
    if (whole > 1'000'000'000'000LL) return std::nullopt;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (frac_digits == 3) return std::nullopt;
      frac = frac * 10 + (t[i] - '0');
      ++frac_digits;
    }
    if (frac_digits == 0 && int_digits == 0) return std::nullopt;
  }
  if (i != t.size() || (int_digits == 0 && frac_digits == 0)) return std::nullopt;
  for (int k = frac_digits; k < 3; ++k) frac *= 10;
  int64_t v = whole * 1000 + frac;
  return neg ? -v : v;
}

std::optional<Rational> percent_change(const Decimal& current, const Decimal& previous) {
  Rational c = current.to_rational(), p = previous.to_rational();
  if (p.num == 0) return std::nullopt;
  // (c - p) / p * 100 with c = cn/cd, p = pn/pd  ->  (cn*pd - pn*cd) * 100 / (pn*cd)
  int128 num = (static_cast<int128>(c.num) * p.den - static_cast<int128>(p.num) * c.den) * 100;
  int128 den = static_cast<int128>(p.num) * c.den;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  // Reduce to fit int64 (values here are small; gcd keeps it exact).
  int128 a = num < 0 ? -num : num, b = den;
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  if (a > 1) {
    num /= a;
    den /= a;
  }
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

}  // namespace ecomon
