#include "sources/station_upload.h"

#include <gtest/gtest.h>

namespace ecomon::sources {
namespace {

PollutantValue avg(std::string code, Decimal v, DataFlag flag = DataFlag::kNormal) {
  PollutantValue p;
  p.code = std::move(code);
  p.avg = v;
  p.flag = flag;
  return p;
}

MonitoringRecord hourly(SourceTime t, std::vector<PollutantValue> values) {
  MonitoringRecord r;
  r.mn = "AIR0000000000000000000A1";
  r.kind = DataKind::kHourly;
  r.data_time = t;
  r.values = std::move(values);
  return r;
}

TEST(StationUpload, HourlyValuesInTheStoresUnits) {
  const CivilDay day = *CivilDay::parse("2026-12-07");
  // DataTime 09:00 is the start of the hour 09:00..10:00, which the platform names by its end: 10.
  auto obs = station_hourly_observations(
      hourly(SourceTime::of(day, 9),
             {
                 avg("a21026", {12, 3}),                                               // SO2 0.012 mg/m³
                 avg("a21004", {40, 3}, DataFlag::kFault), avg("a34004", {35000, 0}),  // PM2.5 35000 ng/m³
                 avg("a34002", {455, 1}),                                              // PM10 45.5 ng/m³
                 avg("a34002", {445, 1}),                                              // PM10 44.5 ng/m³
                 avg("a21005", {9, 1}),                                                // CO 0.9 mg/m³
                 avg("a05024", {8, 2}),                                                // O3 0.08 mg/m³
                 avg("a01001", {125, 1}),  // temperature: not an AQI item
                 avg("a21026", {-1, 0}),   // negative
             }));
  ASSERT_TRUE(obs.ok()) << obs.status().message();
  EXPECT_EQ(obs->hour, Hour::ending(day, 10));
  ASSERT_EQ(obs->values.size(), 6u);
  // 0.012 mg/m³ × 1000 = 12 µg/m³ = 12000 thousandths.
  EXPECT_EQ(obs->values[0].pollutant, Pollutant::kSO2);
  EXPECT_EQ(obs->values[0].value, 12000);
  // 35000 ng/m³ ÷ 1000 = 35 µg/m³.
  EXPECT_EQ(obs->values[1].pollutant, Pollutant::kPM25);
  EXPECT_EQ(obs->values[1].value, 35000);
  // 45.5 ng/m³ = 0.0455 µg/m³ -> 0.046 (half to even: 5 is odd); 44.5 -> 0.0445 -> 0.044.
  EXPECT_EQ(obs->values[2].value, 46);
  EXPECT_EQ(obs->values[3].value, 44);
  // CO stays in mg/m³: 0.9 -> 900.
  EXPECT_EQ(obs->values[4].pollutant, Pollutant::kCO);
  EXPECT_EQ(obs->values[4].value, 900);
  // O3 0.08 mg/m³ -> 80 µg/m³.
  EXPECT_EQ(obs->values[5].pollutant, Pollutant::kO3);
  EXPECT_EQ(obs->values[5].value, 80000);
  // NO2 flagged D (fault) and the negative SO2 are skipped; the temperature is not counted.
  EXPECT_EQ(obs->skipped, 2);
}

TEST(StationUpload, HourEndingTwentyFourAndRefusals) {
  const CivilDay day = *CivilDay::parse("2026-12-31");
  auto last = station_hourly_observations(hourly(SourceTime::of(day, 23), {avg("a21005", {1, 0})}));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->hour, Hour::ending(day, 24));

  auto off = station_hourly_observations(hourly(SourceTime::of(day, 9, 30), {}));
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.status().message().find("not on the hour"), std::string::npos) << off.status().message();

  MonitoringRecord minute = hourly(SourceTime::of(day, 9), {});
  minute.kind = DataKind::kMinute;
  auto m = station_hourly_observations(minute);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("minute"), std::string::npos);
}

TEST(StationUpload, ValuesBeyondTheStoreAreSkipped) {
  // int32 thousandths end at 2147483.647: 2147484 mg/m³ of CO does not fit; a huge mantissa neither.
  EXPECT_FALSE(station_value_milli({2147484, 0}, *station_air_code("a21005")).has_value());
  EXPECT_FALSE(station_value_milli({int64_t{1} << 50, 0}, *station_air_code("a21005")).has_value());
  EXPECT_EQ(station_value_milli({2147483, 0}, *station_air_code("a21005")), 2147483000);
  EXPECT_FALSE(station_air_code("w01001").has_value());
  EXPECT_EQ(station_air_code_of(Pollutant::kPM25).code, "a34004");
}

}  // namespace
}  // namespace ecomon::sources
