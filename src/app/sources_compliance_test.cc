// Compliance on simulated HJ 212 data read by app::hj212_monitoring over the stores: the demo source
// registry, hourly uploads (CN 2061) of a baseline day and a warning day, a small list where one enterprise
// cuts, one does not and one has no monitoring but an inspection.
#include <gtest/gtest.h>

#include <fstream>

#include "app/emergency.h"
#include "app/sources.h"
#include "demo/demo_registry.h"
#include "gateway/simulator.h"
#include "ingest/emergency_csv.h"
#include "ingest/source_registry_csv.h"
#include "sources/stored_upload.h"
#include "store/sources/registry_store.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace em = emergency;
namespace fs = std::filesystem;

constexpr int kCoke = 4;    // sim_mn(4): E03-G1 焦炉烟囱 (the only device of E03)
constexpr int kBoiler = 7;  // sim_mn(7): E05-G1 1#锅炉排放口 (the only device of E05)

// The CP of an hourly upload: flow (a00000) and SO2, NOx, PM measured (Avg) with flag N.
std::string cp(int64_t data_time, const std::string& flow, const std::string& so2, const std::string& nox,
               const std::string& pm) {
  return "DataTime=" + std::to_string(data_time) + ";a00000-Avg=" + flow +
         ",a00000-Flag=N;a21026-Avg=" + so2 + ",a21026-ZsAvg=" + so2 + ",a21026-Flag=N;a21002-Avg=" + nox +
         ",a21002-Flag=N;a34013-Avg=" + pm + ",a34013-Flag=N";
}

class ComplianceDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "c.db").string();
    ASSERT_TRUE(write_demo_registry((dir_.path() / "registry").string()).ok());
    auto rs = SourceRegistryStore::open(db_);
    ASSERT_TRUE(rs.ok());
    auto ri = import_registry_dir(**rs, (dir_.path() / "registry").string());
    ASSERT_TRUE(ri.ok()) << ri.status().message();
    // JC1 -> E03 (B, orange cut 50 %), JC2 -> E05 (B, orange cut 30 %), JC3 no monitoring (C, orange stop).
    fs::create_directories(dir_.path() / "list");
    std::ofstream(dir_.path() / "list" / "enterprises.csv")
        << "id,name,county,industry,grade,guarantee,source_enterprise\n"
           "JC1,演示焦化有限公司,西山县,焦化,B,N,E03\nJC2,演示热力有限公司,城区,热力,B,N,E05\n"
           "JC3,演示涂装,城区,工业涂装,C,N,\n";
    std::ofstream(dir_.path() / "list" / "lines.csv")
        << "enterprise,line,name,process,unit,so2,nox,pm,vocs\n"
           "JC1,L1,焦炉,炼焦,kg/d,100,200,50,0\nJC2,L1,锅炉,燃烧,kg/d,100,200,50,0\nJC3,L1,涂装线,喷涂,kg/"
           "d,0,0,5,50\n";
    std::ofstream(dir_.path() / "list" / "measures.csv")
        << "enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note\n"
           "JC1,L1,orange,cut,50,,,,,,,\nJC1,L1,red,stop,,,,,,,,\n"
           "JC2,L1,orange,cut,30,,,,,,,\nJC2,L1,red,stop,,,,,,,,\n"
           "JC3,L1,orange,stop,,,,,,,,\nJC3,L1,red,stop,,,,,,,,\n";
    std::ofstream(dir_.path() / "list" / "inspections.csv")
        << "enterprise,time,inspector,result,note\nJC3,2025-03-10 10:00,zhao,not-compliant,喷涂未停\n";
    auto stores = open_sqlite_stores(db_);
    ASSERT_TRUE(stores.ok());
    stores_ = std::move(*stores);
    auto imp = parse_list_import((dir_.path() / "list").string(), Actor::operator_cli(), {});
    ASSERT_TRUE(imp.ok() && imp->written()) << imp->report.summary();
    ASSERT_TRUE(
        app::write_emergency_list(*stores_, Actor::operator_cli(), imp->enterprises, imp->inspections).ok());

    // Baseline day 2025-03-09: both devices at flow 100, SO2 20, NOx 40, PM 10 (loads 2000, 4000, 1000 per
    // hour). Warning day 2025-03-10: the coke oven halves its flow (loads halve: 50 % cut); the boiler runs
    // as before.
    std::vector<SourceRecord> recs;
    for (int day : {9, 10}) {
      for (int h = 0; h < 24; ++h) {
        const int64_t t = (int64_t{20250300} + day) * 1'000'000 + h * 10'000;
        const bool warning = day == 10;
        recs.push_back({.mn = sim_mn(kCoke),
                        .cn = 2061,
                        .data_time = t,
                        .cp = cp(t, warning ? "50.0" : "100.0", "20.0", "40.0", "10.0")});
        recs.push_back({.mn = sim_mn(kBoiler),
                        .cn = 2061,
                        .data_time = t,
                        .cp = cp(t, "100.0", "20.0", "40.0", "10.0")});
      }
    }
    auto n = stores_->sources().insert_source_records(recs);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(*n, 96);
  }

  StatusOr<ComplianceReport> compliance(const CompliancePeriod& p) {
    return app::judge_compliance(*stores_, Actor::operator_cli(), p, {}, app::hj212_monitoring(*stores_));
  }
  testing::TempDir dir_{"emergency_compliance"};
  std::string db_;
  std::unique_ptr<Stores> stores_;
};

CompliancePeriod orange_period() {
  return {em::WarningLevel::kOrange,
          {*sources::SourceTime::parse("2025-03-10 00:00"), *sources::SourceTime::parse("2025-03-11 00:00")},
          {*sources::SourceTime::parse("2025-03-09 00:00"), *sources::SourceTime::parse("2025-03-10 00:00")}};
}

TEST_F(ComplianceDataTest, SomeCutSomeDoNot) {
  auto r = compliance(orange_period());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records, 96);
  EXPECT_EQ(r->undecodable, 0);
  EXPECT_TRUE(r->problems.empty());
  ASSERT_EQ(r->results.size(), 3U);
  const em::ComplianceResult& coke = r->results[0];
  EXPECT_EQ(coke.enterprise, "JC1");
  EXPECT_EQ(coke.verdict, em::Verdict::kCompliant) << coke.reason;
  EXPECT_EQ(coke.baseline.valid_hours, 24);
  EXPECT_DOUBLE_EQ(coke.baseline.flow, 100.0);
  EXPECT_DOUBLE_EQ(coke.warning.flow, 50.0);
  // Load 20*50 = 1000 vs 20*100 = 2000: 50 % cut, exactly the 50 % required.
  EXPECT_DOUBLE_EQ(*coke.pollutants[0].achieved_percent, 50.0);
  EXPECT_DOUBLE_EQ(*coke.pollutants[0].required_percent, 50.0);
  const em::ComplianceResult& boiler = r->results[1];
  EXPECT_EQ(boiler.verdict, em::Verdict::kNotCutting);
  EXPECT_DOUBLE_EQ(*boiler.pollutants[1].achieved_percent, 0.0);
  EXPECT_DOUBLE_EQ(*boiler.pollutants[1].required_percent, 30.0);
  const em::ComplianceResult& coating = r->results[2];
  EXPECT_FALSE(coating.monitored);
  EXPECT_EQ(coating.verdict, em::Verdict::kInspectedNot);
  // At red (stop: 100 % required) even the coke oven's 50 % falls short.
  CompliancePeriod red = orange_period();
  red.level = em::WarningLevel::kRed;
  EXPECT_EQ(compliance(red)->results[0].verdict, em::Verdict::kNotCutting);
}

TEST_F(ComplianceDataTest, StoredRecordsDecodeAgain) {
  SourceRecord r{.mn = sim_mn(kCoke),
                 .cn = 2061,
                 .data_time = 20250310010000,
                 .cp = cp(20250310010000, "50.0", "20.0", "40.0", "10.0")};
  auto m = monitoring_record(r, "123456");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_NE(m->find("a00000"), nullptr);
  EXPECT_EQ(m->find("a00000")->avg->to_string(), "50.0");
  EXPECT_EQ(m->data_time.to_string(), "2025-03-10 01:00:00");
}

TEST_F(ComplianceDataTest, EmptyPeriodRefused) {
  CompliancePeriod p = orange_period();
  p.warning.end = p.warning.begin;
  EXPECT_FALSE(compliance(p).ok());
  p = orange_period();
  p.level = em::WarningLevel::kNone;
  EXPECT_FALSE(compliance(p).ok());
}

}  // namespace
}  // namespace ecomon

namespace ecomon {
namespace {

namespace em = emergency;

// The period of a compliance check from the warnings history: yellow declared 12-01 08:00, upgraded to orange
// 12-02 00:00, lifted 12-04 08:00 -> level orange (the highest reached), warning 12-01 08:00 .. 12-04 08:00
// (72 h), baseline the 72 h before: 11-28 08:00 .. 12-01 08:00.
TEST(CompliancePeriod, DefaultsFromTheLastWarning) {
  const std::vector<em::WarningEvent> h = {
      {1, em::WarningAction::kDeclare, em::WarningLevel::kYellow, "2025-12-01 08:00", "ana", "analyst", ""},
      {2, em::WarningAction::kUpgrade, em::WarningLevel::kOrange, "2025-12-02 00:00", "ana", "analyst", ""},
      {3, em::WarningAction::kLift, em::WarningLevel::kNone, "2025-12-04 08:00", "ana", "analyst", ""}};
  auto p = resolve_compliance_period(h, {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->level, em::WarningLevel::kOrange);
  EXPECT_EQ(p->warning.begin.to_string(), "2025-12-01 08:00:00");
  EXPECT_EQ(p->warning.end.to_string(), "2025-12-04 08:00:00");
  EXPECT_EQ(p->baseline.begin.to_string(), "2025-11-28 08:00:00");
  EXPECT_EQ(p->baseline.end.to_string(), "2025-12-01 08:00:00");
  // Given times win; a given `from` without `to` does not borrow the episode's end.
  auto q =
      resolve_compliance_period(h, {"red", "2025-12-02 00:00", "2025-12-03 00:00", "2025-11-01 00:00", ""});
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->level, em::WarningLevel::kRed);
  EXPECT_EQ(q->baseline.begin.to_string(), "2025-11-01 00:00:00");
  EXPECT_EQ(q->baseline.end.to_string(), "2025-12-02 00:00:00");
  EXPECT_EQ(resolve_compliance_period(h, {"", "2025-12-02 00:00", "", "", ""}).status().code(),
            StatusCode::kFailedPrecondition);
  // Still in force (no lift): no end to default to.
  const std::vector<em::WarningEvent> open(h.begin(), h.begin() + 2);
  EXPECT_EQ(resolve_compliance_period(open, {}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(resolve_compliance_period({}, {}).status().code(), StatusCode::kFailedPrecondition);
  // Bad input.
  EXPECT_EQ(resolve_compliance_period(h, {"purple", "", "", "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      resolve_compliance_period(h, {"red", "2025-12-03 00:00", "2025-12-02 00:00", "", ""}).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(resolve_compliance_period(h, {"red", "2025-12-02", "2025-12-03 00:00", "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      resolve_compliance_period(h, {"", "", "", "2025-12-01 00:00", "2025-11-30 00:00"}).status().code(),
      StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon
