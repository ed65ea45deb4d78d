// Micro-station hotspots worked by hand (air/hotspots.h).
#include "air/hotspots.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ecomon {
namespace {

constexpr Milli kNo = kMissing;

StationInfo station(const char* code, std::optional<double> lon, std::optional<double> lat, bool micro) {
  StationInfo s;
  s.code = code;
  s.longitude = lon;
  s.latitude = lat;
  s.kind = micro ? "micro" : "national";
  s.assessment = !micro;
  return s;
}

// PM2.5 of hours ending 1..5 of the day, µg/m³ (kNo: none).
StationHours pm25(CivilDay day, std::vector<Milli> ug) {
  StationHours h;
  h.first = Hour::first_of(day);
  for (auto& v : h.values) v.assign(24, kMissing);
  for (size_t i = 0; i < ug.size(); ++i)
    h.values[static_cast<size_t>(index_of(Pollutant::kPM25))][i] = ug[i] == kNo ? kMissing : ug[i] * 1000;
  return h;
}

class HotspotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // N1 and N2 0.05° of longitude apart at 35.5° N (4.53 km); N3 far to the east.
    d.stations = {station("N1", 112.85, 35.50, false), station("N2", 112.90, 35.50, false),
                  station("N3", 113.50, 35.50, false)};
    //                         h1  h2   h3   h4   h5
    d.hours = {pm25(day, {30, 40, kNo, 50, kNo}), pm25(day, {35, 45, 60, kNo, kNo}),
               pm25(day, {90, 90, 90, 90, 90})};
    d.non_assessment = {station("M1", 112.86, 35.50, true), station("M2", 112.90, 35.51, true),
                        station("M3", std::nullopt, std::nullopt, true)};
    d.non_assessment_hours = {pm25(day, {80, 40, 70, kNo, 55}), pm25(day, {20}), pm25(day, {99})};
  }
  const CivilDay day = *CivilDay::parse("2026-01-10");
  CityData d;
};

TEST_F(HotspotTest, NearestTwoStations) {
  auto h = micro_hotspots(d, DayRange{day, day}, {.nearest = 2});
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->size(), 3u);
  const Hotspot& m1 = (*h)[0];
  EXPECT_EQ(m1.station.code, "M1");
  // M1 is 0.01° of longitude east of N1: 6371.0088 km × 0.01 × π/180 × cos 35.5° = 0.905 km -> 0.91;
  // N2 0.04° west: 3.62 km; N3 (57.9 km) is not among the nearest two.
  ASSERT_EQ(m1.nearby.size(), 2u);
  EXPECT_EQ(m1.nearby[0].first, "N1");
  EXPECT_DOUBLE_EQ(m1.nearby[0].second, 0.91);
  EXPECT_EQ(m1.nearby[1].first, "N2");
  EXPECT_DOUBLE_EQ(m1.nearby[1].second, 3.62);
  const HotspotPollutant& p = m1.pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))];
  // Paired hours: h1 (M1 80; ref (30 + 35) / 2 = 32.5), h2 (40; 42.5), h3 (70; N2 alone 60). h4: M1 silent;
  // h5: neither N1 nor N2. Micro mean (80 + 40 + 70) / 3 = 63.333 -> 63.333; reference (32.5 + 42.5 + 60) / 3
  // = 45; difference 18.333; ratio 63.333 / 45 = 1.4074 -> 1.41; above in h1 and h3.
  EXPECT_EQ(p.paired_hours, 3);
  EXPECT_EQ(p.micro_mean, 63333);
  EXPECT_EQ(p.reference_mean, 45000);
  EXPECT_EQ(p.difference, 18333);
  ASSERT_TRUE(p.ratio.has_value());
  EXPECT_EQ(p.ratio->to_string(), "1.41");
  EXPECT_EQ(p.hours_above, 2);
  // No SO2 anywhere: nothing compared.
  const HotspotPollutant& so2 = m1.pollutants[static_cast<size_t>(index_of(Pollutant::kSO2))];
  EXPECT_EQ(so2.paired_hours, 0);
  EXPECT_FALSE(so2.difference.has_value());
  // M2 (h1 only: 20 against 32.5) is below its neighbours: −12.5, ranked second; M3 has no coordinates.
  EXPECT_EQ((*h)[1].station.code, "M2");
  EXPECT_EQ((*h)[1].pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))].difference, -12500);
  EXPECT_EQ((*h)[1].pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))].hours_above, 0);
  EXPECT_EQ((*h)[2].station.code, "M3");
  EXPECT_EQ((*h)[2].note, "no coordinates");
}

TEST_F(HotspotTest, WithinARadius) {
  auto h = micro_hotspots(d, DayRange{day, day}, {.radius_km = 1.0});
  ASSERT_TRUE(h.ok());
  const Hotspot& m1 = (*h)[0];
  EXPECT_EQ(m1.station.code, "M1");
  ASSERT_EQ(m1.nearby.size(), 1u);  // N1 only (0.91 km)
  const HotspotPollutant& p = m1.pollutants[static_cast<size_t>(index_of(Pollutant::kPM25))];
  // h1 80 vs 30, h2 40 vs 40 (not above); h3 N1 silent. Means 60 and 35: +25, ratio 1.714 -> 1.71.
  EXPECT_EQ(p.paired_hours, 2);
  EXPECT_EQ(p.difference, 25000);
  EXPECT_EQ(p.ratio->to_string(), "1.71");
  EXPECT_EQ(p.hours_above, 1);
  // M2's nearest (N2) is 0.01° of latitude away: 1.11 km, outside the radius.
  EXPECT_EQ((*h)[1].station.code, "M2");
  EXPECT_TRUE((*h)[1].nearby.empty());
  EXPECT_EQ((*h)[1].note, "no assessment station with coordinates within the radius");
}

TEST_F(HotspotTest, BadParameters) {
  EXPECT_EQ(micro_hotspots(d, DayRange{day, day}, {.nearest = 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(micro_hotspots(d, DayRange{day, day}, {.radius_km = -1.0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(micro_hotspots(d, DayRange{day, day}, {.radius_km = std::nan("")}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon
