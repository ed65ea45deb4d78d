// HJ 663-2026's moving average (air/moving_average.h) on three hand-made years.
#include "air/moving_average.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

PeriodAssessment year(int y, std::optional<Decimal> pm25, std::optional<Decimal> co,
                      std::optional<Decimal> o3, std::optional<Decimal> so2) {
  PeriodAssessment a;
  a.city = "测试市";
  a.range = DayRange::year(y);
  auto set = [&](Pollutant p, const char* name, std::optional<Decimal> v, Decimal limit) {
    if (!v) return;
    a.pollutants[static_cast<size_t>(index_of(p))].assessed = Statistic{name, *v, limit, "", *v <= limit, {}};
  };
  set(Pollutant::kPM25, "annual_mean", pm25, Decimal{35, 0});
  set(Pollutant::kCO, "p95_daily_mean", co, Decimal{40, 1});
  set(Pollutant::kO3, "p90_mda8", o3, Decimal{160, 0});
  set(Pollutant::kSO2, "annual_mean", so2, Decimal{60, 0});
  return a;
}

TEST(MovingAverage, MeansOfTheYearsStatisticsRoundedHalfToEven) {
  const std::vector<PeriodAssessment> years = {
      year(2017, Decimal{44, 0}, Decimal{13, 1}, Decimal{160, 0}, Decimal{20, 0}),
      year(2018, Decimal{41, 0}, Decimal{12, 1}, Decimal{161, 0}, std::nullopt),
      year(2019, Decimal{38, 0}, Decimal{12, 1}, Decimal{161, 0}, Decimal{10, 0})};
  const MovingAverage m = moving_average("测试市", years, {});
  EXPECT_EQ(m.years, (std::vector<int>{2017, 2018, 2019}));
  const auto& pm = m.rows[static_cast<size_t>(index_of(Pollutant::kPM25))];
  // (44 + 41 + 38) / 3 = 41 > 35.
  EXPECT_EQ(pm.value->to_string(), "41");
  EXPECT_EQ(pm.statistic, "annual_mean");
  EXPECT_EQ(pm.compliant, false);
  ASSERT_EQ(pm.by_year.size(), 3u);
  EXPECT_EQ(pm.by_year[1]->to_string(), "41");
  // CO (1.3 + 1.2 + 1.2) / 3 = 1.2333 -> 1.2 <= 4.0.
  const auto& co = m.rows[static_cast<size_t>(index_of(Pollutant::kCO))];
  EXPECT_EQ(co.value->to_string(), "1.2");
  EXPECT_EQ(co.compliant, true);
  // O3 (160 + 161 + 161) / 3 = 160.67 -> 161 > 160 (each year but the first exceeds too).
  const auto& o3 = m.rows[static_cast<size_t>(index_of(Pollutant::kO3))];
  EXPECT_EQ(o3.value->to_string(), "161");
  EXPECT_EQ(o3.compliant, false);
  // SO2 lacks 2018: no moving average with every year required; with two of three, (20 + 10) / 2 = 15.
  EXPECT_FALSE(m.rows[static_cast<size_t>(index_of(Pollutant::kSO2))].value);
  const MovingAverage two = moving_average("测试市", years, {.years = 3, .min_years = 2});
  EXPECT_EQ(two.rows[static_cast<size_t>(index_of(Pollutant::kSO2))].value->to_string(), "15");
  // NO2 has no statistic in any year: nothing, and no division by zero.
  EXPECT_FALSE(m.rows[static_cast<size_t>(index_of(Pollutant::kNO2))].value);
  EXPECT_FALSE(moving_average("测试市", years, {.years = 3, .min_years = 0})
                   .rows[static_cast<size_t>(index_of(Pollutant::kNO2))]
                   .value);
}

TEST(MovingAverage, HalfIsRoundedToEven) {
  // (40 + 41) / 2 = 40.5 -> 40 (even); (41 + 42) / 2 = 41.5 -> 42.
  const MovingAverageParams two{.years = 2, .min_years = 2};
  auto pm = [](const MovingAverage& m) {
    return m.rows[static_cast<size_t>(index_of(Pollutant::kPM25))].value;
  };
  EXPECT_EQ(
      pm(moving_average("x", {year(2018, Decimal{40, 0}, {}, {}, {}), year(2019, Decimal{41, 0}, {}, {}, {})},
                        two))
          ->to_string(),
      "40");
  EXPECT_EQ(
      pm(moving_average("x", {year(2018, Decimal{41, 0}, {}, {}, {}), year(2019, Decimal{42, 0}, {}, {}, {})},
                        two))
          ->to_string(),
      "42");
}

}  // namespace
}  // namespace ecomon
