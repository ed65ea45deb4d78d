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
#include "store/api/source_day_loads.h"
#include "store/test_store_backends.h"
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
  // Permitted amounts: the enterprise's SO2 and the outlet's NOx of 2021, particulate (not monitored) of
  // 2021, and SO2 of 2020 (another year).
  std::ofstream(dir / "permits.csv") << "enterprise,outlet,pollutant,year,tonnes,licence\n"
                                        "P1,,a21026,2021,0.015,91140500MA0001X001P\n"
                                        "P1,P1-G1,a21002,2021,0.05,91140500MA0001X001P\n"
                                        "P1,,a34013,2021,3,91140500MA0001X001P\n"
                                        "P1,,a21026,2020,20,91140500MA0001X001P\n";
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

// On every backend (store/test_store_backends.h): SQLite here (app_emissions_test), the cluster — the uploads
// through PostgreSQL's spool into ClickHouse, the day-loads on PostgreSQL — in app_emissions_cluster_test
// (label `cluster`).
class EmissionsStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    write_registry(dir_.path() / "registry");
    ECOMON_OPEN_TEST_STORES(ts_);
    stores_ = &ts_->stores();
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
  std::unique_ptr<TestStores> ts_;
  Stores* stores_ = nullptr;
};

const nlohmann::json& pollutant(const nlohmann::json& group, const std::string& code) {
  for (const nlohmann::json& p : group["pollutants"]) {
    if (p["pollutant"] == code) return p;
  }
  throw std::runtime_error("no " + code);
}

TEST_P(EmissionsStoreTest, ADayAgainstTheBaseYear) {
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

// The totals as `emissions --format json` gives them, from the stored day-loads or (from_uploads) from the
// uploads.
nlohmann::json totals_json(Stores& stores, app::EmissionsQuery q, bool from_uploads) {
  auto req = app::emissions_request(q);
  EXPECT_TRUE(req.ok()) << req.status().message();
  req->from_uploads = from_uploads;
  auto r = app::emission_totals(stores, Actor::operator_cli(), *req);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? sources::emissions_json(*r) : nlohmann::json();
}

// The day-loads (store/api/source_day_loads.h) give the numbers the uploads give, and follow the uploads:
//   - the fixture's 48 uploads marked their two days stale; the first read computes and stores them (a day's
//     own row and one per pollutant: 4 rows a day) and clears the marks;
//   - a late upload for 2021-03-10 00:00 (SO2 20 mg/m3 × 10 m3/s × 3600 s = 0.72 kg) marks its day: the next
//     read adds it, 16.848 + 0.72 = 17.568 kg;
//   - a correction re-sent for 2021-03-09 10:00 with another CP (SO2 100) is kept as another version; the
//     stored record is the first one (store.h), so neither the marks nor the loads change;
//   - a stop period registered over 2021-03-10 changes the device's fingerprint: its rows are recomputed and
//     the late hour, now in a stop period, is not counted (16.848 kg again).
// Every step: the day-loads' JSON equals the uploads' (the base year 2020 and the permits included).
TEST_P(EmissionsStoreTest, DayLoadsGiveTheUploadsNumbers) {
  SourceDayLoadStore* days = day_loads_of(stores_->sources());
  ASSERT_NE(days, nullptr);
  const app::EmissionsQuery year{"2021", "", "", "", "2020", "", ""};
  auto stale = days->stale_days(2061, 20200101, 20211231);
  ASSERT_TRUE(stale.ok());
  ASSERT_EQ(stale->size(), 2u);
  EXPECT_EQ((*stale)[0].day, 20200309);
  EXPECT_EQ((*stale)[1].day, 20210309);
  EXPECT_EQ((*stale)[1].mark, 1);  // one batch of the day: marked once
  nlohmann::json stored = totals_json(*stores_, year, false);
  EXPECT_EQ(stored, totals_json(*stores_, year, true));
  EXPECT_EQ(pollutant(stored["total"], "a21026")["load_kg"], "16.848");
  EXPECT_TRUE(days->stale_days(2061, 20200101, 20211231)->empty());
  auto rows = days->day_loads(kMn, 2061, 20210309, 20210309);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].pollutant, "");  // the day's own row: no undecodable upload
  EXPECT_EQ((*rows)[0].intervals_missing, 0);
  EXPECT_EQ((*rows)[1].pollutant, "a21002");
  EXPECT_EQ(sources::round_text((*rows)[1].kg, 3), "43.200");
  EXPECT_EQ((*rows)[2].pollutant, "a21026");
  EXPECT_EQ((*rows)[2].intervals_flow, 24);
  EXPECT_EQ((*rows)[2].covered_seconds, 86400);
  EXPECT_EQ((*rows)[3].pollutant, "a24088");
  EXPECT_EQ((*rows)[3].intervals_cou, 24);

  const int64_t late = 20210310'000000;
  const std::string cp =
      "DataTime=20210310000000;a00000-Avg=10.0,a00000-Flag=N;a21026-Avg=20.0,a21026-Flag=N";
  ASSERT_EQ(*stores_->sources().insert_source_records(
                std::vector<SourceRecord>{{.mn = kMn, .cn = 2061, .data_time = late, .cp = cp}}),
            1);
  stale = days->stale_days(2061, 20200101, 20211231);
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].day, 20210310);
  stored = totals_json(*stores_, year, false);
  EXPECT_EQ(stored, totals_json(*stores_, year, true));
  EXPECT_EQ(pollutant(stored["total"], "a21026")["load_kg"], "17.568");

  const int64_t ten = 20210309'100000;
  ASSERT_EQ(
      *stores_->sources().insert_source_records(std::vector<SourceRecord>{
          {.mn = kMn,
           .cn = 2061,
           .data_time = ten,
           .cp = "DataTime=20210309100000;a00000-Avg=10.0,a00000-Flag=N;a21026-Avg=100.0,a21026-Flag=N"}}),
      0);
  EXPECT_TRUE(days->stale_days(2061, 20200101, 20211231)->empty());
  stored = totals_json(*stores_, year, false);
  EXPECT_EQ(stored, totals_json(*stores_, year, true));
  EXPECT_EQ(pollutant(stored["total"], "a21026")["load_kg"], "17.568");

  std::ofstream(dir_.path() / "registry" / "stop_periods.csv")
      << "mn,begin,end,reason\n"
      << kMn << ",2021-03-10 00:00,2021-03-11 00:00,检修\n";
  auto imp = import_registry_dir(stores_->source_registry(), (dir_.path() / "registry").string());
  ASSERT_TRUE(imp.ok()) << imp.status().message();
  stored = totals_json(*stores_, year, false);
  EXPECT_EQ(stored, totals_json(*stores_, year, true));
  EXPECT_EQ(pollutant(stored["total"], "a21026")["load_kg"], "16.848");
}

// `emissions rebuild`: the bureau's, audited, idempotent. The fixture's two days of hourly uploads (the other
// kinds have none): 2 device-days, 4 rows each; the first run replaces both (marked stale by their
// uploads), the second nothing. A row damaged behind the service's back is replaced by the next run.
TEST_P(EmissionsStoreTest, RebuildIsIdempotentAndAudited) {
  SourceDayLoadStore* days = day_loads_of(stores_->sources());
  ASSERT_NE(days, nullptr);
  auto first = app::rebuild_day_loads(*stores_, Actor::operator_cli(), {}, "cli");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->device_days, 2);
  EXPECT_EQ(first->replaced, 2);
  EXPECT_EQ(first->rows, 8);
  EXPECT_EQ(first->undecodable, 0);
  EXPECT_TRUE(days->stale_days(2061, 20200101, 20211231)->empty());
  const auto before = *days->day_loads("", 2061, 20200101, 20211231);
  ASSERT_EQ(before.size(), 8u);
  auto second = app::rebuild_day_loads(*stores_, Actor::operator_cli(), {}, "cli");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->device_days, 2);
  EXPECT_EQ(second->replaced, 0);
  EXPECT_EQ(*days->day_loads("", 2061, 20200101, 20211231), before);

  StoredDayLoad damaged = before[2];  // 2020-03-09's a21026
  ASSERT_EQ(damaged.pollutant, "a21026");
  damaged.kg = 1;
  const SourceDay day{kMn, 2061, 20200309, 0};
  ASSERT_TRUE(days->replace_day_loads(std::span(&day, 1), std::span(&damaged, 1)).ok());
  auto third = app::rebuild_day_loads(
      *stores_, Actor{"ana", Role::kAnalyst, "", ""},
      {.from = CivilDay::from_ymd(2020, 3, 1), .to = CivilDay::from_ymd(2020, 3, 31), .mn = kMn},
      "http 127.0.0.1");
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(third->device_days, 1);
  EXPECT_EQ(third->replaced, 1);
  EXPECT_EQ(*days->day_loads("", 2061, 20200101, 20211231), before);

  const Actor county{"chengqu", Role::kCounty, "城区", ""};
  EXPECT_EQ(app::rebuild_day_loads(*stores_, county, {}, "cli").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      app::rebuild_day_loads(*stores_, Actor::operator_cli(), {.mn = "NOSUCHDEVICE"}, "cli").status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(app::rebuild_day_loads(
                *stores_, Actor::operator_cli(),
                {.from = CivilDay::from_ymd(2021, 1, 2), .to = CivilDay::from_ymd(2021, 1, 1)}, "cli")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  auto log = stores_->accounts().audit_log(10, 0);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 6u);  // newest first
  EXPECT_EQ((*log)[0].outcome, "invalid");
  EXPECT_EQ((*log)[1].outcome, "error");
  EXPECT_EQ((*log)[2].outcome, "denied");
  EXPECT_EQ((*log)[2].user, "chengqu");
  EXPECT_EQ((*log)[3].action, "emissions.rebuild");
  EXPECT_EQ((*log)[3].user, "ana");
  EXPECT_EQ((*log)[3].target, std::string(kMn) + " 2020-03-01..2020-03-31");
  EXPECT_EQ((*log)[3].detail, "1 device-days recomputed, 1 replaced");
  EXPECT_EQ((*log)[3].via, "http 127.0.0.1");
  EXPECT_EQ((*log)[4].detail, "2 device-days recomputed, 0 replaced");
  EXPECT_EQ((*log)[5].detail, "2 device-days recomputed, 2 replaced");
  EXPECT_EQ((*log)[5].target, "every device …..…");
}

// The loads against the permitted amounts of the period's year. 2021-03-09 (the one day of 2021 with data):
// the enterprise's SO2 16.848 kg against 0.015 t = 15 kg: 16.848 / 15 = 112.32 % -> "112.3", over; the
// outlet's NOx 43.2 kg against 0.05 t = 50 kg: 86.4 %, not over; particulate permitted 3 t but not monitored:
// no load, no share. 2020's amount is not 2021's. A period across two years compares with none.
TEST_P(EmissionsStoreTest, LoadsAgainstPermittedAmounts) {
  auto r = app::emission_totals(*stores_, Actor::operator_cli(),
                                *app::emissions_request({"2021", "", "", "", "", "", ""}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  nlohmann::json j = sources::emissions_json(*r);
  EXPECT_EQ(j["permit_year"], 2021);
  ASSERT_EQ(j["permits"].size(), 3u);  // by enterprise, outlet ("" first), pollutant
  const nlohmann::json& so2 = j["permits"][0];
  EXPECT_EQ(so2["pollutant"], "a21026");
  EXPECT_EQ(so2["outlet"], nullptr);
  EXPECT_EQ(so2["name"], "演示电厂");
  EXPECT_EQ(so2["licence"], "91140500MA0001X001P");
  EXPECT_EQ(so2["permitted_t"], "0.015");
  EXPECT_EQ(so2["load_t"], "0.017");
  EXPECT_EQ(so2["share_percent"], "112.3");
  EXPECT_EQ(so2["over"], true);
  const nlohmann::json& dust = j["permits"][1];
  EXPECT_EQ(dust["pollutant"], "a34013");
  EXPECT_EQ(dust["load_t"], nullptr);
  EXPECT_EQ(dust["share_percent"], nullptr);
  EXPECT_EQ(dust["over"], false);
  const nlohmann::json& nox = j["permits"][2];
  EXPECT_EQ(nox["outlet"], "P1-G1");
  EXPECT_EQ(nox["name"], "1#排放口");
  EXPECT_EQ(nox["share_percent"], "86.4");
  EXPECT_EQ(nox["over"], false);
  const std::string text = sources::emissions_text(*r, "enterprise", false);
  EXPECT_NE(text.find("许可排放量 2021年"), std::string::npos) << text;
  EXPECT_NE(text.find("超许可"), std::string::npos) << text;

  // Another county's user sees none of them; a period across two years compares with no year.
  auto county = app::emission_totals(*stores_, Actor{"c", Role::kCounty, "高平市", ""},
                                     *app::emissions_request({"2021", "", "", "", "", "", ""}));
  ASSERT_TRUE(county.ok());
  EXPECT_TRUE(county->permits.empty());
  auto across =
      app::emission_totals(*stores_, Actor::operator_cli(),
                           *app::emissions_request({"", "", "2020-12-01", "2021-03-09", "", "", ""}));
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(sources::emissions_json(*across)["permit_year"], nullptr);
  EXPECT_TRUE(across->permits.empty());
}

TEST_P(EmissionsStoreTest, RolesAndBadRequests) {
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
TEST_P(EmissionsStoreTest, EmissionTargetsOfThePlan) {
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
TEST_P(EmissionsStoreTest, BulletinTransmissionRatesOfTheYear) {
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

INSTANTIATE_TEST_SUITE_P(Backends, EmissionsStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
