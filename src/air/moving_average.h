// HJ 663-2026's three-year moving-average assessment (三年滑动平均评价): each pollutant's assessed statistic
// (annual mean, 24-h percentile, O3's MDA8 percentile) averaged over the last `years` calendar years, each
// year assessed as usual, and judged against the last year's limit.
//
// UNCONFIRMED (docs/air-rules.md; the standard's text was not read here): whether the percentiles are the
// mean of the annual percentiles (what this does, as US EPA design values do) or one percentile over the
// pooled daily values; whether a year without the statistic voids the result (it does: MovingAverageParams)
// or the other years suffice; the rounding (each year's statistic at its reporting precision, then the mean
// rounded half to even to the same precision).
//
//   std::vector<PeriodAssessment> years = {a2017, a2018, a2019};   // oldest first, each assess_period
//   MovingAverage m = moving_average("晋城", years, {});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "air/assessment.h"

namespace ecomon {

struct MovingAverageParams {
  int years = 3;      // the window (UNCONFIRMED: 3 per the MEE briefing)
  int min_years = 3;  // years that must have the statistic (UNCONFIRMED: all of them)
};

struct MovingAverageRow {
  Pollutant pollutant = Pollutant::kSO2;
  std::string statistic;  // the assessed statistic's name ("annual_mean", "p95_daily_mean")
  std::vector<std::optional<Decimal>> by_year;  // oldest first
  std::optional<Decimal> value;                 // the mean, at the statistic's precision
  std::optional<Decimal> limit;                 // the last year's
  std::optional<bool> compliant;
};

struct MovingAverage {
  std::string city;
  std::vector<int> years;              // oldest first
  std::vector<MovingAverageRow> rows;  // the six pollutants
};

// `years`: one assessment per calendar year, oldest first (a year without data: an assessment with no
// statistics).
MovingAverage moving_average(const std::string& city, const std::vector<PeriodAssessment>& years,
                             const MovingAverageParams& params);

}  // namespace ecomon
