// The city composite index (环境空气质量综合指数) of the 2018 city ranking rule (环办监测〔2018〕19号):
// I_i = C_i / S_i over the six pollutants, I_sum = sum of w_i * I_i. C_i is the period mean for SO2, NO2,
// PM10, PM2.5, the 95th percentile of daily means for CO and the 90th percentile of daily max 8-h for O3. S_i
// (GB 3095-2012 class-2 limits) and the weights (all 1) are the default; after 2026-03-01 whether S_i and
// weights change is UNCONFIRMED, so both are parameters here.
//
//   CompositeRule r = composite_2018();
//   r.weight[index_of(Pollutant::kPM25)] = 3;   // a what-if weighting
#pragma once

#include <array>
#include <string>

#include "core/decimal.h"
#include "core/status.h"
#include "standards/pollutant.h"

namespace ecomon {

struct CompositeRule {
  std::string id;                               // "RANK-2018" (+ "/custom" when changed)
  std::array<Decimal, kPollutantCount> s;       // S_i, in the pollutant's unit
  std::array<int32_t, kPollutantCount> weight;  // w_i
  int index_decimals = 2;  // I_i and I_sum reported to 2 decimals (UNCONFIRMED in the text)
  // I_sum = sum of the rounded I_i, so the index always equals the sum of its displayed parts (UNCONFIRMED
  // whether the official figure sums rounded or exact parts; they differ by at most 0.01 per pollutant).
  bool sum_rounded_parts = true;
};

CompositeRule composite_2018();
// Applies "PM2.5=3,NO2=2,O3=2" style weights to a rule.
Status apply_composite_weights(CompositeRule& rule, std::string_view spec);
// Applies "SO2=60,PM2.5=30" style S_i values to a rule.
Status apply_composite_limits(CompositeRule& rule, std::string_view spec);

}  // namespace ecomon
