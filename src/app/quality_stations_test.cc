// Water and noise stations over HJ 212 (issue 19) in the services: registering them (app/stations.h) with
// every bad field refused by name and nothing written, MNs unique across air, water and noise stations and
// pollution sources; the hourly request's parsing; who may read; the water hours' classes with the section's
// water body (river, lake, or not registered: river) and the noise hours' day/night parts, worked out by
// hand.
#include "app/quality_stations.h"

#include <gtest/gtest.h>

#include <map>

#include "app/stations.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon::app {
namespace {

const CivilDay kDay = CivilDay::from_ymd(2026, 1, 10);

class QualityStationServices : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_stores((dir_.path() / "q.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores_ = std::move(*s);
    QualityBatch registry;
    registry.water_sections.push_back({"赵庄", "丹河", "泽州县", "river", "III", "national"});
    registry.water_sections.push_back({"张峰水库", "沁河", "沁水县", "lake", "II", "provincial"});
    registry.noise_points.push_back({"文化广场", "", "zone", "1", ""});
    registry.noise_points.push_back({"二环路", "", "road", "", "2.5"});
    ASSERT_TRUE(stores_->quality().write(registry).ok());
  }
  StationRegistration water(std::string code, std::string site, std::string mn) const {
    return {.code = std::move(code),
            .name = "水站",
            .city = "晋城",
            .kind = "water",
            .site = std::move(site),
            .county = "泽州县",
            .mn = std::move(mn)};
  }
  Status reg(const StationRegistration& r, const Actor& who = Actor::operator_cli()) {
    return register_station(*stores_, who, r).status();
  }
  std::unique_ptr<Stores> stores_;
  testing::TempDir dir_{"app_quality_stations"};
};

// The message of a refused registration, or "ok".
std::string refusal(const Status& s) { return s.ok() ? "ok" : s.message(); }

TEST_F(QualityStationServices, RegistrationRefusesBadFieldsByNameAndWritesNothing) {
  StationRegistration r = water("W001", "赵庄", "W21000000000000000000001");
  StationRegistration bad = r;
  bad.site = "";
  EXPECT_EQ(refusal(reg(bad)), "station W001: the water section it stands for (--site) is empty");
  bad = r;
  bad.kind = "noise";
  bad.site = "";
  EXPECT_EQ(refusal(reg(bad)), "station W001: the noise point it stands for (--site) is empty");
  bad = r;
  bad.county = "";
  EXPECT_EQ(refusal(reg(bad)), "station W001: the county is empty");
  bad = r;
  bad.assessment = true;
  EXPECT_EQ(refusal(reg(bad)), "station W001: the assessment flag is for air stations, not water stations");
  bad = r;
  bad.latitude = 35.5;
  EXPECT_EQ(refusal(reg(bad)), "station W001: longitude and latitude are kept for air stations only");
  bad = r;
  bad.mn = "W21-1";
  EXPECT_EQ(refusal(reg(bad)), "station W001: MN 'W21-1' is not 1..24 letters or digits");
  bad = r;
  bad.password = "12345";
  EXPECT_EQ(refusal(reg(bad)), "station W001: the password (PW) has 6 characters, not 5");
  bad = r;
  bad.protocol = 2018;
  EXPECT_EQ(refusal(reg(bad)), "station W001: protocol 2018 is not 2005, 2017 or 2025");
  bad = r;
  bad.kind = "lake";
  EXPECT_EQ(refusal(reg(bad)),
            "station W001: type 'lake' is not one of national, provincial, county, micro, water, noise");
  bad = r;
  bad.city = "";
  EXPECT_EQ(refusal(reg(bad)), "station W001: the city is empty");
  EXPECT_EQ(reg(r, Actor{"c", Role::kCounty, "泽州县", ""}).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(stores_->quality_stations().stations()->empty());
  EXPECT_FALSE(*stores_->sources().device("W21000000000000000000001"));  // no device either

  ASSERT_EQ(refusal(reg(r)), "ok");
  auto all = stores_->quality_stations().stations();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->at(0), (QualityStationRow{"W001", "水站", "water", "赵庄", "晋城", "泽州县",
                                           "W21000000000000000000001"}));
  auto device = stores_->sources().device("W21000000000000000000001");
  ASSERT_TRUE(device.ok() && *device);
  EXPECT_EQ((*device)->protocol, 2017);
  ASSERT_EQ(refusal(reg(r)), "ok");  // again: the same station
  EXPECT_EQ(stores_->quality_stations().stations()->size(), 1u);
}

TEST_F(QualityStationServices, MnsAndCodesAreUniqueAcrossTheRegistries) {
  ASSERT_EQ(refusal(reg(water("W001", "赵庄", "W21000000000000000000001"))), "ok");
  ASSERT_EQ(
      refusal(register_station(
                  *stores_, Actor::operator_cli(),
                  {.code = "A001", .city = "晋城", .kind = "national", .mn = "A22000000000000000000001"})
                  .status()),
      "ok");
  // A noise station on W001's MN; a water station on the air station's MN or code.
  StationRegistration n = water("S001", "文化广场", "W21000000000000000000001");
  n.kind = "noise";
  EXPECT_EQ(refusal(reg(n)), "station S001: MN W21000000000000000000001 belongs to water station W001");
  EXPECT_EQ(reg(n).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(refusal(reg(water("W002", "赵庄", "A22000000000000000000001"))),
            "station W002: MN A22000000000000000000001 belongs to air station A001");
  EXPECT_EQ(refusal(reg(water("A001", "赵庄", "W21000000000000000000009"))),
            "station A001: the code is an air station's");
  // An air station on W001's MN or code.
  EXPECT_EQ(refusal(register_station(
                        *stores_, Actor::operator_cli(),
                        {.code = "A002", .city = "晋城", .kind = "micro", .mn = "W21000000000000000000001"})
                        .status()),
            "station A002: MN W21000000000000000000001 belongs to water station W001");
  EXPECT_EQ(refusal(register_station(
                        *stores_, Actor::operator_cli(),
                        {.code = "W001", .city = "晋城", .kind = "micro", .mn = "A22000000000000000000002"})
                        .status()),
            "station W001: the code is a water station's");
  EXPECT_EQ(refusal(register_station(
                        *stores_, Actor::operator_cli(),
                        {.code = "A003", .city = "晋城", .kind = "national", .site = "赵庄", .mn = "A3"})
                        .status()),
            "station A003: --site is for water and noise stations");
  // A pollution source's device.
  ASSERT_TRUE(stores_->sources().upsert_device({.mn = "SRC0001", .enterprise = "E01"}).ok());
  EXPECT_EQ(refusal(reg(water("W003", "赵庄", "SRC0001"))),
            "station W003: MN SRC0001 is a pollution source's device (E01)");
  EXPECT_EQ(stores_->quality_stations().stations()->size(), 1u);
}

TEST(QualityHourlyRequest, ParsesHoursAndDaysAndNamesTheBadField) {
  auto r = quality_hourly_request("W001", "2026-01-10", "", false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->first, Hour::ending(kDay, 1));  // a day: 01:00 .. 24:00
  EXPECT_EQ(r->last, Hour::ending(kDay, 24));
  r = quality_hourly_request("W001", "2026-01-10 00:00", "2026-01-10 10:00", true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, Hour::ending(kDay - 1, 24));  // 00:00 is the day before's 24:00
  EXPECT_EQ(r->last, Hour::ending(kDay, 10));
  EXPECT_EQ(
      quality_hourly_request("W001", "2026-01-10 25:00", "", false).status().message(),
      "--from: '2026-01-10 25:00' is not an hour named by its end, YYYY-MM-DD HH:00 (HH 01..24, or 00 for "
      "the previous day's 24:00)");
  EXPECT_EQ(quality_hourly_request("W001", "2026-01-10", "2026-02-30", true).status().message(),
            "to: '2026-02-30' is not a day YYYY-MM-DD");
  EXPECT_EQ(quality_hourly_request("W001", "2026-01-10 10:00", "2026-01-10 09:00", false).status().message(),
            "--to: 2026-01-10 09:00 is before --from 2026-01-10 10:00");
  // 2026-01-01 01:00 .. 2027-01-03 24:00 is 368 days = 8,832 hours > 8,808.
  EXPECT_EQ(quality_hourly_request("W001", "2026-01-01", "2027-01-03", false).status().message(),
            "--to: at most 8808 hours in one request, not 8832");
  EXPECT_TRUE(quality_hourly_request("W001", "2026-01-01", "2027-01-02", false).ok());  // 367 days
  EXPECT_EQ(quality_hourly_request("", "2026-01-10", "", true).status().message(),
            "station: the station's code is empty");
  EXPECT_EQ(quality_hourly_request("W001", "", "", false).status().message(),
            "--from: the first hour is missing");
}

// TP 0.21 mg/L is Ⅳ in a river (0.2 < 0.21 <= 0.3) and 劣Ⅴ in a lake (0.21 > 0.2, class Ⅴ's limit): the
// hour's class follows the section's water body; a section not in the registry is judged as a river.
TEST_F(QualityStationServices, WaterHoursFollowTheSectionsBody) {
  ASSERT_EQ(refusal(reg(water("W001", "赵庄", "W21000000000000000000001"))), "ok");
  ASSERT_EQ(refusal(reg(water("W002", "张峰水库", "W21000000000000000000002"))), "ok");
  ASSERT_EQ(refusal(reg(water("W003", "未登记断面", "W21000000000000000000003"))), "ok");
  const Hour h = Hour::ending(kDay, 10);
  std::vector<QualityHourRow> rows;
  for (const char* code : {"W001", "W002", "W003"}) {
    rows.push_back({code, h, "TP", "0.21"});
    rows.push_back({code, h, "NH3_N", "0.15"});  // Ⅰ (<= 0.15)
  }
  ASSERT_TRUE(stores_->quality_stations().write_hours(rows).ok());
  const QualityHourlyRequest req{.station = "", .first = h, .last = h};
  std::map<std::string, std::pair<std::optional<water::WaterClass>, bool>> got;
  for (const char* code : {"W001", "W002", "W003"}) {
    QualityHourlyRequest q = req;
    q.station = code;
    auto w = water_hourly(*stores_, Actor{}, q);  // public may read
    ASSERT_TRUE(w.ok()) << code << ": " << w.status().message();
    ASSERT_EQ(w->hours.size(), 1u);
    got[code] = {w->hours[0].result.cls, w->section_known};
    EXPECT_EQ(w->hours[0].result.items[0].item, water::Item::kNH3N);  // the standard's order: NH3-N before TP
    EXPECT_EQ(w->hours[0].result.items[0].cls, water::WaterClass::kI);
  }
  EXPECT_EQ(got["W001"], std::pair(std::optional(water::WaterClass::kIV), true));
  EXPECT_EQ(got["W002"], std::pair(std::optional(water::WaterClass::kWorseThanV), true));
  EXPECT_EQ(got["W003"], std::pair(std::optional(water::WaterClass::kIV), false));
  // A code that is no water station; a noise station's code asked as water.
  QualityHourlyRequest q = req;
  q.station = "W404";
  EXPECT_EQ(water_hourly(*stores_, Actor{}, q).status().message(),
            "no water station 'W404' (ecomon stations register --type water)");
  StationRegistration n = water("S001", "文化广场", "N23000000000000000000001");
  n.kind = "noise";
  ASSERT_EQ(refusal(reg(n)), "ok");
  q.station = "S001";
  EXPECT_EQ(water_hourly(*stores_, Actor{}, q).status().message(),
            "station S001 is a noise station, not a water station");
  // A stored value that is not a decimal (only a hand-edited store has one) is data loss, named.
  ASSERT_TRUE(stores_->quality_stations().write_hours({{"W001", h + 1, "DO", "x"}}).ok());
  q.station = "W001";
  q.last = h + 1;
  auto broken = water_hourly(*stores_, Actor{}, q);
  EXPECT_EQ(broken.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(broken.status().message(),
            "water station W001: hour 2026-01-10 11:00, item DO: value 'x' is not a decimal");
}

// GB 3096's parts by the hour's end: 07:00 .. 22:00 day; 23:00, 24:00, 01:00 .. 06:00 night. Zone 1: 55 by
// day, 45 at night; a road point (no zone): no limit.
TEST_F(QualityStationServices, NoiseHoursHaveTheirPartAndTheZonesLimitForStaffOnly) {
  for (int e = 1; e <= 24; ++e) {
    EXPECT_EQ(noise::part_of_hour(Hour::ending(kDay, e)),
              e >= 7 && e <= 22 ? noise::DayPart::kDay : noise::DayPart::kNight)
        << e;
  }
  StationRegistration n = water("S001", "文化广场", "N23000000000000000000001");
  n.kind = "noise";
  ASSERT_EQ(refusal(reg(n)), "ok");
  StationRegistration road = water("S002", "二环路", "N23000000000000000000002");
  road.kind = "noise";
  ASSERT_EQ(refusal(reg(road)), "ok");
  // Hour ending 07:00 (06:00–07:00, day) 55.0 = the limit: complies; 06:00 (night) 45.1 > 45: fails.
  ASSERT_TRUE(stores_->quality_stations()
                  .write_hours({{"S001", Hour::ending(kDay, 6), "Leq", "45.1"},
                                {"S001", Hour::ending(kDay, 7), "Leq", "55.0"},
                                {"S001", Hour::ending(kDay, 7), "L10", "58.0"},
                                {"S001", Hour::ending(kDay, 8), "L90", "41.0"},
                                {"S002", Hour::ending(kDay, 7), "Leq", "66.2"}})
                  .ok());
  const QualityHourlyRequest q{
      .station = "S001", .first = Hour::ending(kDay, 1), .last = Hour::ending(kDay, 24)};
  EXPECT_EQ(noise_hourly(*stores_, Actor{}, q).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(noise_hourly(*stores_, Actor{"e", Role::kEnterprise, "", "E01"}, q).status().code(),
            StatusCode::kPermissionDenied);
  auto r = noise_hourly(*stores_, Actor{"c", Role::kCounty, "城区", ""}, q);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->zone, noise::ZoneClass::k1);
  ASSERT_EQ(r->hours.size(), 3u);
  EXPECT_EQ(r->hours[0].part, noise::DayPart::kNight);
  EXPECT_EQ(r->hours[0].limit, (Rational{45, 1}));
  EXPECT_EQ(r->hours[0].complies, false);
  EXPECT_EQ(r->hours[1].part, noise::DayPart::kDay);
  EXPECT_EQ(r->hours[1].limit, (Rational{55, 1}));
  EXPECT_EQ(r->hours[1].complies, true);
  EXPECT_EQ(r->hours[2].leq, std::nullopt);  // an hour with L90 only: no L_eq, nothing judged
  EXPECT_EQ(r->hours[2].complies, std::nullopt);
  auto rd =
      noise_hourly(*stores_, Actor::operator_cli(), {.station = "S002", .first = q.first, .last = q.last});
  ASSERT_TRUE(rd.ok());
  EXPECT_TRUE(rd->point_known);
  EXPECT_EQ(rd->zone, std::nullopt);
  EXPECT_EQ(rd->hours[0].limit, std::nullopt);
  EXPECT_EQ(rd->hours[0].leq, "66.2");
}

}  // namespace
}  // namespace ecomon::app
