// The targets service (app/targets.h) on typed data: the figures of `targets status` computed from the typed
// air assessment, ranking and water assessment equal the stored expectations of
// Cli.StoredTargetKindsFromTheDemo (tests/cli_test.cc), and formatted (ledger/targets_format.h) they are what
// the CLI prints.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <variant>

#include "app/targets.h"
#include "ledger/targets_format.h"
#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using namespace ecomon;

ecomon::testing::CommandResult ecomon_cli(const std::string& args) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, true);
}

class TargetsService : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ecomon_targets_service_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    fs::create_directories(*dir / "plans");
    db = new std::string((*dir / "demo.db").string());
    auto demo = ecomon_cli("--db " + *db + " demo --out " + (*dir / "demo").string());
    ASSERT_EQ(demo.code, 0) << demo.out;
    std::ofstream(*dir / "plans" / "plans.csv") << "plan,title,document,issued,year,seed,note\n"
                                                   "kinds-2025,各类目标测试,,2025-01-01,2025,test,\n";
    std::ofstream(*dir / "plans" / "targets.csv")
        << "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
           "kinds-2025,section_class,赵庄全年,赵庄,<=,,类,2025年,高平市政府,完成省定目标\n"
           "kinds-2025,section_class,金匠桥一季度,金匠桥,<=,IV,类,2025 年1-3月,城区政府,\n"
           "kinds-2025,section_class,无此断面,无此断面,<=,III,类,2025年,城区政府,\n"
           "kinds-2025,composite_rank,综合指数排名,全市,<=,1,位,2025年,市政府,\n"
           "kinds-2025,emission_change,二氧化硫排放量下降,全市,<=,-2,%,2025年,市政府,\n"
           "kinds-2025,rate,清洁取暖覆盖率,全市,>=,70,%,2025年,市政府,\n"
           "kinds-2025,pollutant_class,NO2达到二级标准,全市,<=,2,级,2025年,市政府,\n"
           "kinds-2025,pollutant_class,SO2达到一级标准,全市,<=,1,级,2025年,市政府,\n";
    auto imp = ecomon_cli("--db " + *db + " ledger import " + (*dir / "plans").string());
    ASSERT_EQ(imp.code, 0) << imp.out;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
    delete db;
  }
  static inline fs::path* dir = nullptr;
  static inline std::string* db = nullptr;
};

const CivilDay kAsOf = CivilDay::from_ymd(2025, 3, 31);

TEST_F(TargetsService, TypedFiguresAreTheStoredExpectations) {
  auto stores = open_sqlite_stores(*db);
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  app::TargetsRequest req{"演示市", kAsOf};
  req.stored_only = true;
  auto r = app::targets_status(**stores, Actor::operator_cli(), req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::map<std::string, const EvaluatedTarget*> by;
  for (const EvaluatedTarget& e : r->targets) by[e.spec.label] = &e;
  ASSERT_EQ(by.size(), 8u);
  for (const auto& [label, e] : by) ASSERT_TRUE(e->level) << label;

  // 赵庄: class Ⅱ over 2025-01..03 against the section's stored target Ⅲ, the year open: on-track.
  const EvaluatedTarget& zz = *by["赵庄全年"];
  const auto& zf = std::get<SectionClassFigures>(zz.figures);
  EXPECT_EQ(zf.months, "2025-01..2025-03");
  EXPECT_EQ(zf.months_with_data, 3);
  EXPECT_EQ(zf.cls, 2);
  EXPECT_EQ(zf.target_class, 3);
  EXPECT_TRUE(zf.target_from_section);
  EXPECT_EQ(zz.level->state, TargetState::kOnTrack);
  EXPECT_FALSE(zz.level->period_over);
  // 金匠桥: class Ⅴ against the plan's Ⅳ, the quarter over: missed.
  const EvaluatedTarget& jjq = *by["金匠桥一季度"];
  EXPECT_EQ(std::get<SectionClassFigures>(jjq.figures).cls, 5);
  EXPECT_FALSE(std::get<SectionClassFigures>(jjq.figures).target_from_section);
  EXPECT_EQ(jjq.level->state, TargetState::kMissed);
  EXPECT_TRUE(jjq.level->period_over);
  // No such section: no value, no data (not at risk: nothing to judge), the reason says so.
  const EvaluatedTarget& none = *by["无此断面"];
  EXPECT_FALSE(none.level->value);
  EXPECT_EQ(none.level->state, TargetState::kNoData);
  EXPECT_EQ(none.level->reason, "section '无此断面' is not in the water store");
  // One city in the demo store: rank 1 of 1, on-track.
  const EvaluatedTarget& rank = *by["综合指数排名"];
  const auto& rf = std::get<RankFigures>(rank.figures);
  EXPECT_EQ(rf.rank, 1);
  EXPECT_EQ(rf.cities_ranked, 1u);
  EXPECT_TRUE(rf.composite);
  EXPECT_EQ(rank.level->state, TargetState::kOnTrack);
  // NO2 38 (annual mean) reaches class 1: on-track; SO2 35 reaches class 2 only: at-risk.
  const auto& no2 = std::get<PollutantClassFigures>(by["NO2达到二级标准"]->figures);
  EXPECT_EQ(no2.gb3095_class, 1);
  ASSERT_TRUE(no2.statistic_value);
  EXPECT_EQ(no2.statistic_value->to_string(), "38");
  EXPECT_EQ(by["NO2达到二级标准"]->level->state, TargetState::kOnTrack);
  const auto& so2 = std::get<PollutantClassFigures>(by["SO2达到一级标准"]->figures);
  EXPECT_EQ(so2.gb3095_class, 2);
  EXPECT_EQ(so2.statistic_value->to_string(), "35");
  EXPECT_EQ(by["SO2达到一级标准"]->level->state, TargetState::kAtRisk);
  for (const char* label : {"二氧化硫排放量下降", "清洁取暖覆盖率"}) {
    EXPECT_FALSE(by[label]->level->state) << label;
    EXPECT_FALSE(by[label]->level->value) << label;
    EXPECT_FALSE(by[label]->level->reason.empty()) << label;
  }

  // Formatted, the typed result is what the CLI prints.
  auto cli = ecomon_cli("--db " + *db +
                        " targets status --city 演示市 --as-of 2025-03-31 --stored-only --format json");
  ASSERT_EQ(cli.code, 0) << cli.out;
  EXPECT_EQ(targets_json(*r), nlohmann::json::parse(cli.out));
}

TEST_F(TargetsService, AtRiskListsTheMissedAndAtRiskLevels) {
  auto stores = open_sqlite_stores(*db);
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  auto r = app::targets_at_risk(**stores, Actor::operator_cli(), "演示市", kAsOf);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::set<std::string> listed;
  for (const EvaluatedTarget& e : r->targets) listed.insert(e.spec.label);
  EXPECT_EQ(listed, (std::set<std::string>{"金匠桥一季度", "无此断面", "SO2达到一级标准"}));
}

TEST_F(TargetsService, UnknownCityIsNotFound) {
  auto stores = open_sqlite_stores(*db);
  ASSERT_TRUE(stores.ok()) << stores.status().message();
  auto r = app::targets_status(**stores, Actor::operator_cli(), app::TargetsRequest{"无此市", kAsOf});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().message();
}

}  // namespace
