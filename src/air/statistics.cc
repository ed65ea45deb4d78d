#include "air/statistics.h"

#include <algorithm>
#include <numeric>

namespace ecomon {

std::optional<Rational> percentile(std::span<const int64_t> values, int pct) {
  if (values.empty()) return std::nullopt;
  std::vector<int64_t> x(values.begin(), values.end());
  std::sort(x.begin(), x.end());
  const int64_t n = static_cast<int64_t>(x.size());
  constexpr int64_t kPercent = 100;
  // k - 1 = (n-1)*pct/100 = whole + frac/100
  int64_t scaled = (n - 1) * pct;
  int64_t whole = scaled / kPercent;  // s - 1 (0-based index of X(s))
  int64_t frac = scaled % kPercent;
  int64_t xs = x[static_cast<size_t>(whole)];
  if (frac == 0) return Rational{xs, 1};
  int64_t xs1 = x[static_cast<size_t>(whole + 1)];
  return Rational{xs * kPercent + (xs1 - xs) * frac, kPercent};
}

std::optional<Rational> mean(std::span<const int64_t> values) {
  if (values.empty()) return std::nullopt;
  int64_t sum = std::accumulate(values.begin(), values.end(), int64_t{0});
  return Rational{sum, static_cast<int64_t>(values.size())};
}

int64_t round_milli(Pollutant p, const Rational& v) {
  // v is in Milli; the reporting precision is 10^-d units = 10^(3-d) Milli.
  int d = report_decimals(p);
  Decimal r = round_half_even(Rational{v.num, v.den * kMilliPerUnit}, d);
  return r.to_milli();
}

Decimal reported(Pollutant p, int64_t milli) {
  return round_half_even(Rational{milli, kMilliPerUnit}, report_decimals(p));
}

}  // namespace ecomon
