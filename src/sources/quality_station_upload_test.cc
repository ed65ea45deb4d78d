#include "sources/quality_station_upload.h"

#include <gtest/gtest.h>

namespace ecomon::sources {
namespace {

PollutantValue value(std::string code, Decimal v, bool realtime, DataFlag flag = DataFlag::kNormal) {
  PollutantValue p;
  p.code = std::move(code);
  (realtime ? p.rtd : p.avg) = v;
  p.flag = flag;
  return p;
}

MonitoringRecord record(DataKind kind, SourceTime t, std::vector<PollutantValue> values) {
  MonitoringRecord r;
  r.mn = "W21000000000000000000001";
  r.kind = kind;
  r.data_time = t;
  r.values = std::move(values);
  return r;
}

std::string text(const QualityObservation& o) { return o.item + "=" + o.value.to_string(); }

// A water station's hourly upload, DataTime 2025-07-01 08:00 (the hour 08:00..09:00, named 09):
//   w01001 pH 7.62 -> pH 7.62; w01009 DO 6.8 mg/L -> 6.8; w21003 NH3-N 0.312 mg/L -> 0.312;
//   w20111 总汞 0.05 µg/L -> Hg 0.00005 mg/L (÷ 1000: scale 2 + 3); w01010 water temperature -1.5 ℃ kept
//   (a water temperature may be below zero); w21011 TP flagged D (fault) and w01019 CODMn -0.2 (negative):
//   skipped 2; w01014 conductivity: not a GB 3838 item, ignored (not counted).
TEST(QualityStationUpload, WaterHourlyValuesInTheTemplatesUnits) {
  const CivilDay day = *CivilDay::parse("2025-07-01");
  auto obs = quality_station_observations(
      record(DataKind::kHourly, SourceTime::of(day, 8),
             {value("w01001", {762, 2}, false), value("w01009", {68, 1}, false),
              value("w21003", {312, 3}, false), value("w20111", {5, 2}, false),
              value("w01010", {-15, 1}, false), value("w21011", {5, 2}, false, DataFlag::kFault),
              value("w01019", {-2, 1}, false), value("w01014", {4500, 1}, false)}),
      QualityStationKind::kWater);
  ASSERT_TRUE(obs.ok()) << obs.status().message();
  EXPECT_EQ(obs->hour, Hour::ending(day, 9));
  EXPECT_FALSE(obs->provisional);
  std::vector<std::string> got;
  for (const auto& o : obs->values) got.push_back(text(o));
  EXPECT_EQ(got, (std::vector<std::string>{"pH=7.62", "DO=6.8", "NH3_N=0.312", "Hg=0.00005",
                                           "water_temperature=-1.5"}));
  EXPECT_EQ(obs->skipped, 2);
}

// A noise station's real-time upload at 2025-07-01 22:17:30 is provisional for the hour 22:00..23:00 (named
// 23): Leq 56.3 dB, LMx 71.0 -> Lmax, L90 48.2; its minute upload is not read; an hourly one at 22:30 is
// refused (not on the hour).
TEST(QualityStationUpload, NoiseRealtimeIsProvisionalForItsHour) {
  const CivilDay day = *CivilDay::parse("2025-07-01");
  auto obs =
      quality_station_observations(record(DataKind::kRealtime, SourceTime::of(day, 22, 17, 30),
                                          {value("Leq", {563, 1}, true), value("LMx", {710, 1}, true),
                                           value("L90", {482, 1}, true), value("w01001", {7, 0}, true)}),
                                   QualityStationKind::kNoise);
  ASSERT_TRUE(obs.ok()) << obs.status().message();
  EXPECT_TRUE(obs->provisional);
  EXPECT_EQ(obs->hour, Hour::ending(day, 23));
  std::vector<std::string> got;
  for (const auto& o : obs->values) got.push_back(text(o));
  EXPECT_EQ(got, (std::vector<std::string>{"Leq=56.3", "Lmax=71.0", "L90=48.2"}));
  EXPECT_EQ(obs->skipped, 0);
  auto minute = quality_station_observations(record(DataKind::kMinute, SourceTime::of(day, 22), {}),
                                             QualityStationKind::kNoise);
  EXPECT_EQ(minute.status().code(), StatusCode::kInvalidArgument);
  auto off_hour = quality_station_observations(record(DataKind::kHourly, SourceTime::of(day, 22, 30), {}),
                                               QualityStationKind::kNoise);
  EXPECT_EQ(off_hour.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(off_hour.status().message().find("not on the hour"), std::string::npos);
}

// The table: the UNCONFIRMED pairs are marked, the others confirmed; codes of the other kind are unknown.
TEST(QualityStationUpload, CodeTableMarksTheUnconfirmedPairs) {
  EXPECT_TRUE(quality_station_code(QualityStationKind::kWater, "w21003")->confirmed);
  EXPECT_FALSE(
      quality_station_code(QualityStationKind::kWater, "w20144")->confirmed);  // 铅 mg/L vs 总铅 µg/L
  EXPECT_EQ(quality_station_code(QualityStationKind::kWater, "w20120")->den, 1000);
  EXPECT_EQ(quality_station_code(QualityStationKind::kWater, "w20144")->den, 1);
  EXPECT_FALSE(quality_station_code(QualityStationKind::kWater, "Leq").has_value());
  EXPECT_FALSE(quality_station_code(QualityStationKind::kNoise, "w01001").has_value());
  EXPECT_EQ(quality_station_code(QualityStationKind::kNoise, "LMx")->item, "Lmax");
}

}  // namespace
}  // namespace ecomon::sources
