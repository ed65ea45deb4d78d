#include "air/moving_average.h"

namespace ecomon {

MovingAverage moving_average(const std::string& city, const std::vector<PeriodAssessment>& years,
                             const MovingAverageParams& params) {
  MovingAverage m;
  m.city = city;
  for (const PeriodAssessment& a : years) m.years.push_back(a.range.first.year());
  for (Pollutant p : kAllPollutants) {
    MovingAverageRow row;
    row.pollutant = p;
    Rational sum{0, 1};
    int have = 0;
    int scale = 0;
    for (const PeriodAssessment& a : years) {
      const auto& s = a.pollutants[static_cast<size_t>(index_of(p))].assessed;
      row.by_year.push_back(s ? std::optional(s->value) : std::nullopt);
      if (!s) continue;
      row.statistic = s->name;
      row.limit = s->limit;
      scale = s->value.scale;
      const Rational v = s->value.to_rational();
      sum = Rational{sum.num * v.den + v.num * sum.den, sum.den * v.den};
      ++have;
    }
    if (have >= params.min_years && have > 0) {
      row.value = round_half_even(Rational{sum.num, sum.den * have}, scale);
      if (row.limit) row.compliant = *row.value <= *row.limit;
    }
    m.rows.push_back(std::move(row));
  }
  return m;
}

}  // namespace ecomon
