// targets status on a store without air data for the as-of year (issue 21, fidelity): no target aborts the
// report; the budget targets say "no data" with the reason, the level targets have no value (at-risk) with
// it.
#include <gtest/gtest.h>

#include <fstream>

#include "app/targets.h"
#include "app/test_targets_store.h"
#include "ingest/soil_csv.h"
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
  test_support::import_city_station(**stores, dir.path());
  test_support::import_plan(**stores, dir.path() / "plan",
                            "air-2021,空气质量巩固提升行动计划,,2021-04-08,2021,002,",
                            "air-2021,pm25_mean,PM2.5平均浓度,全市,<=,44,µg/m³,2021年,市政府,\n"
                            "air-2021,pollutant_class,NO2达到二级标准,全市,<=,2,级,2021年,市政府,\n"
                            "air-2021,composite_rank,综合指数排名,全市,<=,148,位,2021年,市政府,\n");
  app::TargetsRequest req{"演示市", CivilDay::from_ymd(2021, 6, 30)};
  auto r = app::targets_status(**stores, Actor::operator_cli(), req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // The flags' defaults: PM2.5 is the stored 2021 target (listed once, as the stored one); the store holds no
  // good-day or heavy-day ratio target over 2021 — "no target for 2021". Then the stored PM2.5 budget and the
  // two level targets.
  ASSERT_EQ(r->targets.size(), 5u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r->targets[i].spec.missing, "no target for 2021");
    EXPECT_EQ(state_of(r->targets[i]), TargetState::kNoTarget);
  }
  {
    const EvaluatedTarget& e = r->targets[2];
    EXPECT_FALSE(e.level.has_value());
    EXPECT_EQ(e.no_data.rfind("no air data: ", 0), 0u) << e.no_data;
    EXPECT_EQ(e.budget.valid_days, 0);
    EXPECT_FALSE(e.budget.ytd.has_value());
  }
  for (size_t i = 3; i < 5; ++i) {
    const EvaluatedTarget& e = r->targets[i];
    ASSERT_TRUE(e.level.has_value());
    EXPECT_FALSE(e.level->value.has_value());
    EXPECT_EQ(state_of(e), TargetState::kNoData);
  }
  EXPECT_EQ(r->targets[3].level->reason.rfind("no air data: ", 0), 0u) << r->targets[3].level->reason;
  // The rank: the city is left out of the ranking (a warning), so it has no rank.
  EXPECT_EQ(r->targets[4].level->reason, "no data in the period up to the as-of date");
  EXPECT_EQ(r->warnings.size(), 1u);
  const std::string table = targets_text(*r, "table");
  EXPECT_NE(table.find("no data"), std::string::npos) << table;
  const std::string json = targets_text(*r, "json");
  EXPECT_NE(json.find("\"state\": \"no-data\""), std::string::npos) << json;
  // A city the store does not know is still an error.
  req.city = "无此市";
  EXPECT_EQ(app::targets_status(**stores, Actor::operator_cli(), req).status().code(), StatusCode::kNotFound);
}

// The soil plan's two rates (≥ 90 %) from the soil module: parcels S1 安全利用类 30 亩 with measures and
// produce passing (counted), S2 安全利用类 10 亩 without measures (not): 30/40 = 75.0 %, missed at the
// period's end; plots P1 安全利用 1000 m² and P2 风险管控中 2000 m², both redeveloped: 1000/3000 = 33.3 %,
// missed.
TEST(TargetsStatus, SoilSafeUseRatesFromTheSoilModule) {
  testing::TempDir dir("targets_soil");
  auto stores = open_sqlite_stores((dir.path() / "t.db").string());
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  test_support::import_city_station(**stores, dir.path());
  const fs::path soil = dir.path() / "soil";
  fs::create_directories(soil);
  std::ofstream(soil / "soil_parcels.csv")
      << "parcel,county,area_mu,category,light,measures,produce\n"
         "S1,城区,30,安全利用类,否,是,达标\nS2,城区,10,安全利用类,否,否,\n";
  std::ofstream(soil / "soil_plots.csv")
      << "plot,name,county,planned_use,area_m2,status,redeveloped\n"
         "P1,a,城区,第一类用地,1000,安全利用,是\nP2,b,城区,第二类用地,2000,风险管控中,是\n";
  auto imp = import_soil_path((*stores)->soil(), soil.string());
  ASSERT_TRUE(imp.ok()) << imp.status().message();
  ASSERT_EQ(imp->issue_total(), 0);
  test_support::import_plan(**stores, dir.path() / "plan",
                            "soil-2021,土壤污染防治行动计划,,2021-04-08,2021,002,",
                            "soil-2021,rate,受污染耕地安全利用率,全市,>=,90,%,2021年,市政府,\n"
                            "soil-2021,rate,污染地块安全利用率,全市,>=,90,%,2021年,市政府,\n"
                            "soil-2021,rate,农村地区清洁取暖覆盖率,全市,>=,70,%,2021年,市政府,\n");
  app::TargetsRequest req{"演示市", CivilDay::from_ymd(2021, 12, 31)};
  req.stored_only = true;
  auto r = app::targets_status(**stores, Actor::operator_cli(), req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->targets.size(), 3u);
  auto figures = [&](size_t i) { return std::get<SafeUseRateFigures>(r->targets[i].figures); };
  EXPECT_EQ(figures(0).rate, "farmland");
  EXPECT_EQ(figures(0).percent, "75.0");
  EXPECT_EQ(figures(0).numerator, "30");
  EXPECT_EQ(figures(0).denominator, "40");
  EXPECT_EQ(state_of(r->targets[0]), TargetState::kMissed);
  EXPECT_EQ(figures(1).percent, "33.3");
  EXPECT_EQ(state_of(r->targets[1]), TargetState::kMissed);
  EXPECT_FALSE(r->targets[2].level->state.has_value());  // 清洁取暖: not computed
}

// The defaults of --pm25, --good-ratio and --heavy-ratio are the stored targets of the year asked:
// demo/ledger's province-2022 rows (seed 001: "完成省定目标（44微克/立方米）", 优良天数比率 63 %,
// 重污染天数比率 1.6 %, over 2022年). The store holding none for a year, each default says "no target for
// YEAR" instead of judging that year against 2022's numbers.
TEST(TargetsStatus, DefaultsAreTheStoredTargetsOfTheYear) {
  testing::TempDir dir("targets_defaults");
  auto stores = open_sqlite_stores((dir.path() / "t.db").string());
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  test_support::import_city_station(**stores, dir.path());
  auto imp = app::ledger_import(**stores, Actor::operator_cli(), fs::path(ECOMON_SOURCE_DIR) / "demo/ledger");
  ASSERT_TRUE(imp.ok()) << imp.status().message();

  // 2022, as of 2022-06-30: the three province-2022 targets hold the day, so each default is that stored
  // target, listed once (no flag row beside it): 3 rows, 44 / 63 / 1.6, none with "no target".
  app::TargetsRequest in_year{"演示市", CivilDay::from_ymd(2022, 6, 30)};
  auto r = app::targets_status(**stores, Actor::operator_cli(), in_year);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->targets.size(), 3u) << targets_text(*r, "table");
  const std::vector<std::pair<std::string, Rational>> expected = {{"PM2.5平均浓度", Rational{44, 1}},
                                                                  {"优良天数比率", Rational{63, 1}},
                                                                  {"重污染天数比率", Rational{8, 5}}};
  for (size_t i = 0; i < 3; ++i) {
    const EvaluatedTarget& e = r->targets[i];
    EXPECT_EQ(e.spec.plan, "province-2022");
    EXPECT_EQ(e.spec.label, expected[i].first);
    EXPECT_EQ(e.spec.target.value, expected[i].second);
    EXPECT_EQ(e.spec.target.period, DayRange::year(2022));
    EXPECT_TRUE(e.spec.missing.empty());
    EXPECT_EQ(state_of(e), TargetState::kNoData);  // no air data in this store
  }

  // The 2022 targets asked after the year (--year 2022 --as-of 2023-01-10): no stored target holds the day,
  // so the defaults are flag rows carrying the stored 2022 values and plan.
  app::TargetsRequest after{"演示市", CivilDay::from_ymd(2023, 1, 10), 2022};
  auto a = app::targets_status(**stores, Actor::operator_cli(), after);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->targets.size(), 3u) << targets_text(*a, "table");
  EXPECT_EQ(a->targets[0].spec.name, "pm25");
  EXPECT_EQ(a->targets[0].spec.plan, "province-2022");
  EXPECT_EQ(a->targets[0].spec.target.value, (Rational{44, 1}));
  EXPECT_EQ(a->targets[2].spec.name, "heavy-ratio");
  EXPECT_EQ(a->targets[2].spec.target.value, (Rational{8, 5}));
  EXPECT_EQ(a->targets[0].budget.days_remaining, 0);  // 2022 is over on 2023-01-10

  // 2021: the store holds no PM2.5, good-day or heavy-day ratio target over 2021 (air-2021 states none; the
  // autumn-winter caps are over 2020-10..12 and 2021-01..03), so the three defaults say so, first and in the
  // flags' order, before the stored 2021 level targets.
  app::TargetsRequest no_year{"演示市", CivilDay::from_ymd(2021, 6, 30)};
  auto n = app::targets_status(**stores, Actor::operator_cli(), no_year);
  ASSERT_TRUE(n.ok()) << n.status().message();
  ASSERT_GE(n->targets.size(), 3u);
  const char* names[] = {"pm25", "good-ratio", "heavy-ratio"};
  for (size_t i = 0; i < 3; ++i) {
    const EvaluatedTarget& e = n->targets[i];
    EXPECT_EQ(e.spec.name, names[i]);
    EXPECT_EQ(e.spec.missing, "no target for 2021");
    EXPECT_EQ(state_of(e), TargetState::kNoTarget);
  }
  for (size_t i = 3; i < n->targets.size(); ++i) EXPECT_TRUE(n->targets[i].spec.missing.empty()) << i;
  const std::string json = targets_text(*n, "json");
  EXPECT_NE(json.find("\"state\": \"no-target\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"reason\": \"no target for 2021\""), std::string::npos) << json;
  EXPECT_NE(targets_text(*n, "table").find("no target for 2021"), std::string::npos);

  // A flag given is judged whatever the store holds: --pm25 50 over 2021 is a budget (no air data here).
  no_year.pm25 = Rational{50, 1};
  auto f = app::targets_status(**stores, Actor::operator_cli(), no_year);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(f->targets[0].spec.missing.empty());
  EXPECT_EQ(f->targets[0].spec.target.value, (Rational{50, 1}));
  EXPECT_EQ(state_of(f->targets[0]), TargetState::kNoData);
  EXPECT_EQ(f->targets[1].spec.missing, "no target for 2021");
}

}  // namespace
}  // namespace ecomon
