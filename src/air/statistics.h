// Exact statistics on concentrations in Milli: means and HJ 663 Annex A percentiles, as fractions.
//
//   std::vector<int64_t> days = {30000, 45000, 52000, 61000};
//   Rational p95 = percentile(days, 95);   // k = 1 + (4-1)*0.95 = 3.85 -> X3 + (X4-X3)*0.85 = 59.65
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/decimal.h"
#include "standards/pollutant.h"

namespace ecomon {

// HJ 663-2013 Annex A: sort ascending, k = 1 + (n-1)*p, s = floor(k), m = X(s) + (X(s+1)-X(s))*(k-s).
// `values` need not be sorted (a sorted copy is made); pct in 1..100. nullopt when empty.
std::optional<Rational> percentile(std::span<const int64_t> values, int pct);
// Arithmetic mean (nullopt when empty).
std::optional<Rational> mean(std::span<const int64_t> values);
// Rounds a concentration fraction (in Milli) to the pollutant's reporting precision; returns Milli.
int64_t round_milli(Pollutant p, const Rational& milli_value);
// The reported Decimal of a Milli value at the pollutant's precision (45000 -> "45", CO 1300 -> "1.3").
Decimal reported(Pollutant p, int64_t milli);

}  // namespace ecomon
