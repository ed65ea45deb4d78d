// Emission totals over a real store (app/emissions.h): a registry imported from its CSV templates, hourly HJ
// 212 uploads stored as the gateway keeps them (CP text, decoded again on read: the -Cou path goes through
// the codec), a base year, the role cut and the emission-change targets of a plan.
#include "app/emissions.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/bulletin.h"
#include "app/targets.h"
#include "app/test_targets_store.h"
#include "ingest/source_registry_csv.h"
#include "sources/stored_upload.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMn = "E0C000000000000000000A01";

// One gas outlet of 演示电厂 (城区, 火电) with SO2, NOx, NMHC (VOCs) and the flow, registered 2020-01-01.
void write_registry(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "enterprises.csv") << "id,name,county,industry\nP1,演示电厂,城区,火电\n";
  std::ofstream(dir / "outlets.csv") << "id,enterprise,kind,name\nP1-G1,P1,gas,1#排放口\n";
  std::ofstream(dir / "devices.csv")
      << "mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active\n"
      << kMn << ",123456,2017,P1-G1,30,10,Y,Y,2020-01-01 00:00:00,Y\n";
  std::ofstream(dir / "device_pollutants.csv") << "mn,pollutant,unit,rated\n"
                                               << kMn << ",a21026,mg/m3,Y\n"
                                               << kMn << ",a21002,mg/m3,Y\n"
                                               << kMn << ",a24088,mg/m3,Y\n"
                                               << kMn << ",a00000,m3/s,N\n";
}

// A day of hourly uploads (CN 2061): flow 10 m3/s, SO2 and NOx as concentrations, NMHC as the hour's -Cou
// (kg).
std::vector<SourceRecord> day_of_uploads(int64_t yyyymmdd, const std::string& so2, const std::string& nox,
                                         const std::string& nmhc_kg) {
  std::vector<SourceRecord> out;
  for (int h = 0; h < 24; ++h) {
    const int64_t t = yyyymmdd * 1'000'000 + h * 10'000;
    out.push_back({.mn = kMn,
                   .cn = 2061,
                   .data_time = t,
                   .cp = "DataTime=" + std::to_string(t) + ";a00000-Avg=10.0,a00000-Flag=N;a21026-Avg=" +
                         so2 + ",a21026-Flag=N;a21002-Avg=" + nox +
                         ",a21002-Flag=N;a24088-Avg=5.0,a24088-Cou=" + nmhc_kg + ",a24088-Flag=N"});
  }
  return out;
}

class EmissionsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "e.db").string();
    write_registry(dir_.path() / "registry");
    auto stores = open_sqlite_stores(db_);
    ASSERT_TRUE(stores.ok()) << stores.status().message();
    stores_ = std::move(*stores);
    auto imp = import_registry_dir(stores_->source_registry(), (dir_.path() / "registry").string());
    ASSERT_TRUE(imp.ok()) << imp.status().message();
    test_support::import_city_station(*stores_, dir_.path());  // the targets' city (no air data)
    // 2020-03-09: SO2 20 mg/m3 × 10 m3/s × 3600 s = 0.72 kg an hour, 17.28 kg the day; NOx 50: 1.8 kg an
    // hour, 43.2 kg; NMHC -Cou 0.5 kg an hour, 12 kg.
    // 2021-03-09: SO2 19.5: 0.702 kg an hour, 16.848 kg (-2.5 %: 0.432/17.28); NOx 50: 43.2 kg (0.0 %);
    // NMHC 0.49: 11.76 kg (-2.0 %: 0.24/12).
    std::vector<SourceRecord> recs = day_of_uploads(20200309, "20.0", "50.0", "0.5");
    for (SourceRecord& r : day_of_uploads(20210309, "19.5", "50.0", "0.49")) recs.push_back(std::move(r));
    auto n = stores_->sources().insert_source_records(recs);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(*n, 48);
  }
  testing::TempDir dir_{"emissions_store"};
  std::string db_;
  std::unique_ptr<Stores> stores_;
};

const nlohmann::json& pollutant(const nlohmann::json& group, const std::string& code) {
  for (const nlohmann::json& p : group["pollutants"]) {
    if (p["pollutant"] == code) return p;
  }
  throw std::runtime_error("no " + code);
}

TEST_F(EmissionsStoreTest, ADayAgainstTheBaseYear) {
  auto req = app::emissions_request({"", "", "2021-03-09", "2021-03-09", "2020", "", ""});
  ASSERT_TRUE(req.ok()) << req.status().message();
  auto r = app::emission_totals(*stores_, Actor::operator_cli(), *req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->undecodable, 0);
  nlohmann::json j = sources::emissions_json(*r);
  EXPECT_EQ(j["base_first_day"], "2020-03-09");
  const nlohmann::json& total = j["total"];
  EXPECT_EQ(pollutant(total, "a21026")["load_kg"], "16.848");
  EXPECT_EQ(pollutant(total, "a21026")["base_load_kg"], "17.280");
  EXPECT_EQ(pollutant(total, "a21026")["change_percent"], "-2.5");
  EXPECT_EQ(pollutant(total, "a21026")["method"], "concentration_x_flow");
  EXPECT_EQ(pollutant(total, "a21026")["completeness_percent"], "100.0");
  EXPECT_EQ(pollutant(total, "a21002")["change_percent"], "0.0");
  EXPECT_EQ(pollutant(total, "a24088")["load_kg"], "11.760");  // from -Cou, through the codec
  EXPECT_EQ(pollutant(total, "a24088")["method"], "cou");
  EXPECT_EQ(pollutant(total, "a24088")["change_percent"], "-2.0");
  EXPECT_EQ(pollutant(total, "a24088")["name"], "非甲烷总烃");
  EXPECT_EQ(j["counties"][0]["key"], "城区");
  EXPECT_EQ(j["industries"][0]["key"], "火电");
  EXPECT_EQ(pollutant(j["outlets"][0], "a21026")["load_t"], "0.017");  // 16.848 kg = 0.016848 t
  // The month: 2021-03 has the one day: 24 of 744 hours covered = 3.2 %.
  auto month = app::emission_totals(*stores_, Actor::operator_cli(),
                                    *app::emissions_request({"", "2021-03", "", "", "", "", ""}));
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(pollutant(sources::emissions_json(*month)["total"], "a21026")["completeness_percent"], "3.2");
}

TEST_F(EmissionsStoreTest, RolesAndBadRequests) {
  auto req = *app::emissions_request({"2021", "", "", "", "", "", ""});
  EXPECT_EQ(app::emission_totals(*stores_, Actor{"p", Role::kPublic, "", ""}, req).status().code(),
            StatusCode::kPermissionDenied);
  auto other = app::emission_totals(*stores_, Actor{"c", Role::kCounty, "高平市", ""}, req);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->totals.total.devices, 0);  // a county user sees its own county only
  req.county = "城区";
  EXPECT_EQ(app::emission_totals(*stores_, Actor{"c", Role::kCounty, "高平市", ""}, req).status().code(),
            StatusCode::kPermissionDenied);
  for (const app::EmissionsQuery& bad : {app::EmissionsQuery{"", "", "", "", "", "", ""},
                                         app::EmissionsQuery{"2021", "2021-03", "", "", "", "", ""},
                                         app::EmissionsQuery{"21", "", "", "", "", "", ""},
                                         app::EmissionsQuery{"", "2021-13", "", "", "", "", ""},
                                         app::EmissionsQuery{"", "", "2021-01-01", "", "", "", ""},
                                         app::EmissionsQuery{"2021", "", "", "", "20x0", "", ""},
                                         app::EmissionsQuery{"2021", "", "", "", "", "", "weekly"}}) {
    EXPECT_EQ(app::emissions_request(bad).status().code(), StatusCode::kInvalidArgument)
        << bad.year << "|" << bad.month << "|" << bad.from;
  }
  auto same = *app::emissions_request({"2021", "", "", "", "2021", "", ""});
  EXPECT_EQ(app::emission_totals(*stores_, Actor::operator_cli(), same).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      app::same_days_in(DayRange{CivilDay::from_ymd(2024, 2, 29), CivilDay::from_ymd(2024, 2, 29)}, 2021)
          .first.to_string(),
      "2021-02-28");
}

// The air plan's emission targets (SO2, NOx, VOCs ≥ 2 % below 2020) from the stored uploads, as of
// 2021-03-09: the period so far 2021-01-01..2021-03-09 against 2020-01-01..2020-03-09 (one day of data in
// each): SO2 -2.5 % ≤ -2: on-track; NOx 0.0 %: at-risk; VOCs -2.0 % ≤ -2 (inclusive): on-track.
TEST_F(EmissionsStoreTest, EmissionTargetsOfThePlan) {
  test_support::import_plan(
      *stores_, dir_.path() / "plan", "air-2021,空气质量巩固提升行动计划,,2021-04-08,2021,002,",
      "air-2021,emission_change,二氧化硫排放量较2020年下降2%以上,全市,<=,-2,%,2021年,市政府,\n"
      "air-2021,emission_change,氮氧化物排放量较2020年下降2%以上,全市,<=,-2,%,2021年,市政府,\n"
      "air-2021,emission_change,挥发性有机物排放量较2020年下降2%以上,全市,<=,-2,%,2021年,市政府,\n"
      "air-2021,emission_change,颗粒物排放量下降,全市,<=,-2,%,2021年,市政府,\n");
  app::TargetsRequest req{"演示市", CivilDay::from_ymd(2021, 3, 9)};
  req.stored_only = true;
  auto r = app::targets_status(*stores_, Actor::operator_cli(), req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->targets.size(), 4u);
  auto figures = [&](size_t i) { return std::get<EmissionChangeFigures>(r->targets[i].figures); };
  EXPECT_EQ(figures(0).change_percent, "-2.5");
  EXPECT_EQ(figures(0).load_t, "0.017");
  EXPECT_EQ(figures(0).base_from.to_string(), "2020-01-01");
  EXPECT_EQ(state_of(r->targets[0]), TargetState::kOnTrack);
  EXPECT_EQ(figures(1).change_percent, "0.0");
  EXPECT_EQ(state_of(r->targets[1]), TargetState::kAtRisk);
  EXPECT_EQ(figures(2).change_percent, "-2.0");
  EXPECT_EQ(state_of(r->targets[2]), TargetState::kOnTrack);
  // No pollutant with a load and no base year in the label: not computed, with the reason.
  ASSERT_TRUE(r->targets[3].level.has_value());
  EXPECT_FALSE(r->targets[3].level->state.has_value());
}

// The bulletin's 自动监控 figures from the same uploads (app::bulletin_rates over app::source_rates): 2021
// has the device expected every hour (registered 2020-01-01): 8760 expected, the 24 hourly uploads of
// 2021-03-09 received and valid (every item flagged N). 2019 has nothing expected (before the registration):
// no figure.
TEST_F(EmissionsStoreTest, BulletinTransmissionRatesOfTheYear) {
  auto y = app::bulletin_rates(*stores_, Actor::operator_cli(), 2021);
  ASSERT_TRUE(y.ok()) << y.status().message();
  ASSERT_TRUE(y->has_value());
  EXPECT_EQ((*y)->expected, 8760);
  EXPECT_EQ((*y)->received, 24);
  EXPECT_EQ((*y)->valid, 24);
  EXPECT_EQ((*y)->devices, (std::set<std::string>{kMn}));
  auto none = app::bulletin_rates(*stores_, Actor::operator_cli(), 2019);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(app::bulletin_rates(*stores_, Actor::operator_cli(), 1800).ok());
}

}  // namespace
}  // namespace ecomon
