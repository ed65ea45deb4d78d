// targets status on a store without air data for the as-of year (issue 21, fidelity): no target aborts the
// report; the budget targets say "no data" with the reason, the level targets have no value (at-risk) with
// it.
#include <gtest/gtest.h>

#include <fstream>

#include "app/ledger.h"
#include "app/targets.h"
#include "ingest/cnemc.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

TEST(TargetsStatus, WithoutAirDataEveryTargetSaysSo) {
  testing::TempDir dir("targets_no_air");
  auto stores = open_sqlite_stores((dir.path() / "t.db").string());
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  // The city's stations are known (their list imported), its air data is not in the store.
  std::ofstream(dir.path() / "sites.csv") << "监测点编码,监测点名称,城市,经度,纬度,对照点\n"
                                             "9160A,市监测站,演示市,112.8502,35.4981,N\n";
  ImportReport report;
  ASSERT_TRUE(import_station_list((*stores)->records(), dir.path() / "sites.csv", report).ok());
  const fs::path plan = dir.path() / "plan";
  fs::create_directories(plan);
  std::ofstream(plan / "plans.csv") << "plan,title,document,issued,year,seed,note\n"
                                       "air-2021,空气质量巩固提升行动计划,,2021-04-08,2021,002,\n";
  std::ofstream(plan / "targets.csv")
      << "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
         "air-2021,pm25_mean,PM2.5平均浓度,全市,<=,44,µg/m³,2021年,市政府,\n"
         "air-2021,pollutant_class,NO2达到二级标准,全市,<=,2,级,2021年,市政府,\n"
         "air-2021,composite_rank,综合指数排名,全市,<=,148,位,2021年,市政府,\n";
  ASSERT_TRUE(app::ledger_import(**stores, Actor::operator_cli(), plan).ok());
  app::TargetsRequest req{"演示市", CivilDay::from_ymd(2021, 6, 30)};
  auto r = app::targets_status(**stores, Actor::operator_cli(), req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // The three flags, the stored PM2.5 budget, then the two level targets.
  ASSERT_EQ(r->targets.size(), 6u);
  for (size_t i = 0; i < 4; ++i) {
    const EvaluatedTarget& e = r->targets[i];
    EXPECT_FALSE(e.level.has_value());
    EXPECT_EQ(e.no_data.rfind("no air data: ", 0), 0u) << e.no_data;
    EXPECT_EQ(e.budget.valid_days, 0);
    EXPECT_FALSE(e.budget.ytd.has_value());
  }
  for (size_t i = 4; i < 6; ++i) {
    const EvaluatedTarget& e = r->targets[i];
    ASSERT_TRUE(e.level.has_value());
    EXPECT_FALSE(e.level->value.has_value());
    EXPECT_EQ(state_of(e), TargetState::kAtRisk);
  }
  EXPECT_EQ(r->targets[4].level->reason.rfind("no air data: ", 0), 0u) << r->targets[4].level->reason;
  // The rank: the city is left out of the ranking (a warning), so it has no rank.
  EXPECT_EQ(r->targets[5].level->reason, "no data in the period up to the as-of date");
  EXPECT_EQ(r->warnings.size(), 1u);
  const std::string table = targets_text(*r, "table");
  EXPECT_NE(table.find("no data"), std::string::npos) << table;
  const std::string json = targets_text(*r, "json");
  EXPECT_NE(json.find("\"state\": \"no-data\""), std::string::npos) << json;
  // A city the store does not know is still an error.
  req.city = "无此市";
  EXPECT_EQ(app::targets_status(**stores, Actor::operator_cli(), req).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ecomon
