// The emergency list in the store: a hand-made list imported (twice: nothing changes), all-or-nothing on bad
// input with file:line [field], actor checks, the warnings history, the forecast template, the demo list. The
// import runs as the CLI runs it: the templates parsed (ingest/emergency_csv.h), the rows written by the
// service (app/emergency.h) into the SQLite store (store/emergency/sqlite_emergency_store.h).
#include "store/emergency/sqlite_emergency_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/emergency.h"
#include "demo/emergency_list_demo.h"
#include "emergency/list_check.h"
#include "ingest/emergency_csv.h"
#include "store/test_store_backends.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace em = emergency;
namespace fs = std::filesystem;

// JC1: B coke plant, one line SO2 0.1 t/d = 100 kg/d ...; JC2: A cement (voluntary); JC3 保障类 heat plant.
const char* kEnterprises =
    "id,name,county,industry,grade,guarantee,source_enterprise\n"
    "JC1,演示焦化,西山县,焦化,B,N,E03\n"
    "JC2,演示水泥,东阳县,水泥,A,N,\n"
    "# a comment line\n"
    "JC3,演示热力,城区,热力,未分级,Y,\n";
const char* kLines =
    "enterprise,line,name,process,unit,so2,nox,pm,vocs\n"
    "JC1,L1,1#焦炉,炼焦,t/d,0.1,0.2,0.05,0.01\n"
    "JC2,L1,熟料线,窑,kg/d,100,100,100,0\n"
    "JC3,L1,1#锅炉,燃烧,kg/d,50,80,10,\n";
const char* kMeasures =
    "enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note\n"
    "JC1,L1,yellow,cut,20,,,,,,,限产20%\n"
    "JC1,L1,orange,cut,50,,kg/d,50,100,25,5,限产50%\n"
    "JC1,L1,red,stop,,,,,,,,停产\n"
    "JC2,L1,yellow,voluntary,,,kg/d,90,90,90,0,\n"
    "JC2,L1,orange,voluntary,,,kg/d,80,80,80,0,\n"
    "JC2,L1,red,voluntary,,,kg/d,70,70,70,0,\n";

// The store's emergency concern with the use cases the tests drive.
class Emergency {
 public:
  explicit Emergency(Stores& stores) : stores_(&stores) {}
  StatusOr<ListImport> import_dir(const std::string& dir, const Actor& who) {
    auto stored = stores_->emergency().load_list();
    if (!stored.ok()) return stored.status();
    auto imp = parse_list_import(dir, who, *stored);
    if (!imp.ok() || !imp->written()) return imp;
    auto counts = app::write_emergency_list(*stores_, who, imp->enterprises, imp->inspections);
    if (!counts.ok()) return counts.status();
    imp->counts = *counts;
    return imp;
  }
  StatusOr<em::ReductionList> load_list() { return stores_->emergency().load_list(); }
  StatusOr<std::vector<em::WarningEvent>> warnings() { return stores_->emergency().warnings(); }
  StatusOr<std::vector<em::Inspection>> inspections() { return stores_->emergency().inspections(); }
  StatusOr<em::WarningEvent> declare(em::WarningLevel level, const std::string& from, const Actor& who,
                                     const std::string& reason) {
    return app::declare_warning(*stores_, who, level, from, reason);
  }
  StatusOr<em::WarningEvent> lift(const std::string& from, const Actor& who, const std::string& reason) {
    return app::lift_warning(*stores_, who, from, reason);
  }

 private:
  Stores* stores_;
};

// On every backend (store/test_store_backends.h).
class EmergencyStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = std::make_unique<Emergency>(ts_->stores());
    write("enterprises.csv", kEnterprises);
    write("lines.csv", kLines);
    write("measures.csv", kMeasures);
  }
  void write(const std::string& name, const std::string& text) {
    fs::create_directories(dir_.path() / "csv");
    std::ofstream(dir_.path() / "csv" / name, std::ios::binary) << text;
  }
  std::string csv() const { return (dir_.path() / "csv").string(); }
  std::vector<std::string> issues(const ListImport& r) {
    std::vector<std::string> out;
    for (const ImportIssue& i : r.report.issues) out.push_back(i.kind + " " + i.where());
    return out;
  }

  testing::TempDir dir_{"emergency_store"};
  std::unique_ptr<TestStores> ts_;
  std::unique_ptr<Emergency> store_;
};

TEST_P(EmergencyStoreTest, ImportsAndLoadsExactly) {
  auto imp = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_TRUE(imp.ok()) << imp.status().message();
  ASSERT_TRUE(imp->written()) << imp->report.summary();
  EXPECT_EQ(imp->counts.added, 3);
  auto list = store_->load_list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->enterprises.size(), 3U);
  const em::Enterprise& jc1 = *list->find("JC1");
  EXPECT_EQ(jc1.source_enterprise, "E03");
  // 0.1 t/d = 100 kg/d = 100000 g/d; yellow "cut 20" without values: 100 - 100*20/100 = 80 kg/d.
  EXPECT_EQ(jc1.lines[0].baseline, (em::Emissions{100'000, 200'000, 50'000, 10'000}));
  EXPECT_EQ(jc1.lines[0].measures[0].emission, (em::Emissions{80'000, 160'000, 40'000, 8'000}));
  EXPECT_EQ(jc1.lines[0].measures[2].kind, em::MeasureKind::kStop);
  EXPECT_EQ(jc1.lines[0].measures[2].emission, (em::Emissions{0, 0, 0, 0}));
  const em::Enterprise& jc3 = *list->find("JC3");
  EXPECT_TRUE(jc3.guarantee);
  EXPECT_EQ(jc3.lines[0].measures[2].kind, em::MeasureKind::kNone);  // no measure row: none, baseline
  EXPECT_EQ(jc3.lines[0].measures[2].emission, jc3.lines[0].baseline);
  // Red SO2 across the list: base 100+100+50 = 250, at red 0+70+50 = 120: 130/250 = 52.00 %.
  const em::ListCheck c = em::check_list(*list, {});
  EXPECT_EQ(c.levels[2].pollutants[0].share_percent->to_string(), "52.00");
}

TEST_P(EmergencyStoreTest, SecondImportChangesNothingAndChangesAreUpdates) {
  ASSERT_TRUE(store_->import_dir(csv(), Actor::operator_cli())->written());
  auto again = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_TRUE(again.ok() && again->written());
  EXPECT_EQ(again->counts.added, 0);
  EXPECT_EQ(again->counts.updated, 0);
  EXPECT_EQ(again->counts.unchanged, 3);
  std::string changed = kEnterprises;
  changed.replace(changed.find("JC2,演示水泥,东阳县,水泥,A"),
                  std::string("JC2,演示水泥,东阳县,水泥,A").size(), "JC2,演示水泥,东阳县,水泥,引领性");
  write("enterprises.csv", changed);
  auto upd = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_TRUE(upd->written()) << upd->report.summary();
  EXPECT_EQ(upd->counts.updated, 1);
  EXPECT_EQ(store_->load_list()->find("JC2")->grade, em::Grade::kLeading);
}

TEST_P(EmergencyStoreTest, BadInputIsReportedAndNothingIsWritten) {
  write("enterprises.csv", std::string(kEnterprises) + "JC4,坏等级,城区,铸造,E,N,\n");
  write("lines.csv", std::string(kLines) + "JC4,L1,x,y,kg/d,-5,1,1,1\n" + "JC9,L1,x,y,kg/d,1,1,1,1\n");
  write("measures.csv", std::string(kMeasures) + "JC3,L1,red,cut,10,,kg/d,60,70,9,0,\n");
  auto imp = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_TRUE(imp.ok());
  EXPECT_FALSE(imp->written());
  EXPECT_EQ(issues(*imp), (std::vector<std::string>{
                              "unknown_grade enterprises.csv:6 [grade]",
                              "unknown_enterprise lines.csv:5 [enterprise]",
                              "unknown_enterprise lines.csv:6 [enterprise]",
                              "exceeds_baseline measures.csv:8 [so2]",
                          }));
  EXPECT_NE(imp->report.issues[3].message.find("60.000 kg/d exceeds the line's baseline 50.000 kg/d"),
            std::string::npos);
  EXPECT_TRUE(store_->load_list()->enterprises.empty());  // the good rows did not land either
}

TEST_P(EmergencyStoreTest, NegativeAndEntryRulesNamed) {
  write("lines.csv",
        std::string(kLines).replace(std::string(kLines).find("100,100,100,0"), 13, "100,-1,100,0"));
  auto imp = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_TRUE(imp.ok());
  ASSERT_FALSE(imp->written());
  EXPECT_EQ(issues(*imp)[0], "negative_value lines.csv:3 [nox]");
  // A B-grade entry with voluntary measures: refused by the domain's rules, at the enterprise's line.
  write("lines.csv", kLines);
  write("enterprises.csv",
        std::string(kEnterprises).replace(std::string(kEnterprises).find("水泥,A"), 8, "水泥,B"));
  imp = store_->import_dir(csv(), Actor::operator_cli());
  ASSERT_FALSE(imp->written());
  EXPECT_EQ(issues(*imp), (std::vector<std::string>{"invalid_entry enterprises.csv:3"}));
  EXPECT_NE(imp->report.issues[0].message.find("grade B may not take voluntary measures"), std::string::npos);
}

TEST_P(EmergencyStoreTest, CountyUserWritesOnlyItsCounty) {
  const Actor county{"li", Role::kCounty, "西山县", ""};
  auto imp = store_->import_dir(csv(), county);
  ASSERT_TRUE(imp.ok());
  EXPECT_FALSE(imp->written());
  EXPECT_EQ(issues(*imp),
            (std::vector<std::string>{
                "permission_denied enterprises.csv:3 [county]",
                "permission_denied enterprises.csv:5 [county]", "unknown_enterprise lines.csv:3 [enterprise]",
                "unknown_enterprise lines.csv:4 [enterprise]", "unknown_line measures.csv:5 [line]",
                "unknown_line measures.csv:6 [line]", "unknown_line measures.csv:7 [line]"}));
  EXPECT_TRUE(store_->load_list()->enterprises.empty());
}

TEST_P(EmergencyStoreTest, InspectionsImportIdempotent) {
  ASSERT_TRUE(store_->import_dir(csv(), Actor::operator_cli())->written());
  fs::path only = dir_.path() / "ins";
  fs::create_directories(only);
  std::ofstream(only / "inspections.csv") << "enterprise,time,inspector,result,note\n"
                                             "JC1,2020-12-02 09:00,zhao,compliant,已限产\n"
                                             "JC2,2020-12-02 10:00,zhao,未落实,\n";
  auto imp = store_->import_dir(only.string(), Actor::operator_cli());
  ASSERT_TRUE(imp->written()) << imp->report.summary();
  EXPECT_EQ(imp->counts.inspections_added, 2);
  EXPECT_EQ(store_->import_dir(only.string(), Actor::operator_cli())->counts.inspections_added, 0);
  auto ins = store_->inspections();
  ASSERT_EQ(ins->size(), 2U);
  EXPECT_TRUE((*ins)[0].compliant);
  EXPECT_FALSE((*ins)[1].compliant);
  std::ofstream(only / "inspections.csv") << "enterprise,time,inspector,result,note\n"
                                             "JC7,2020-12-02 25:00,,maybe,\n";
  imp = store_->import_dir(only.string(), Actor::operator_cli());
  EXPECT_EQ(issues(*imp), (std::vector<std::string>{"missing_value inspections.csv:2 [inspector]",
                                                    "unknown_enterprise inspections.csv:2 [enterprise]",
                                                    "bad_time inspections.csv:2 [time]",
                                                    "bad_result inspections.csv:2 [result]"}));
}

TEST_P(EmergencyStoreTest, WarningsHistoryAndRefusedWrites) {
  const Actor analyst{"wang", Role::kAnalyst, "", ""};
  auto d = store_->declare(em::WarningLevel::kOrange, "2020-12-01 12:00", analyst, "预测3天AQI>200");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->id, 1);
  const Actor county{"li", Role::kCounty, "城区", ""};
  auto refused = store_->declare(em::WarningLevel::kRed, "2020-12-02 12:00", county, "");
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->lift("2020-12-03 12:00", county, "").status().code(), StatusCode::kPermissionDenied);
  ASSERT_EQ(store_->warnings()->size(), 1U);  // nothing stored by the refused writes
  ASSERT_TRUE(store_->declare(em::WarningLevel::kRed, "2020-12-02 00:00", analyst, "").ok());
  ASSERT_TRUE(store_->lift("2020-12-04 08:00", Actor::operator_cli(), "36 h").ok());
  auto h = store_->warnings();
  ASSERT_EQ(h->size(), 3U);
  EXPECT_EQ((*h)[1].action, em::WarningAction::kUpgrade);
  EXPECT_EQ((*h)[2].action, em::WarningAction::kLift);
  EXPECT_EQ((*h)[2].declared_by, "cli");
  EXPECT_EQ((*h)[0].declared_by, "wang");
  EXPECT_EQ((*h)[0].reason, "预测3天AQI>200");
  EXPECT_EQ(em::state_of(*h).level, em::WarningLevel::kNone);
}

TEST_P(EmergencyStoreTest, ForecastTemplate) {
  const fs::path f = dir_.path() / "forecast.csv";
  std::ofstream(f) << "date,aqi\n2020-12-01,150\n2020-12-02,230\n2020-12-03,260\n";
  auto ok = read_forecast_csv(f.string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->size(), 3U);
  EXPECT_EQ((*ok)[2].aqi, 260);
  std::ofstream(f, std::ios::trunc)
      << "date,aqi\n2020-12-01,150\n2020-12-01,230\n2020-12-04,260\n2020-12-05,x\n";
  auto bad = read_forecast_csv(f.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "forecast rejected:\n  forecast.csv:3 [date]: 2020-12-01 repeats line 2\n"
            "  forecast.csv:4 [date]: no forecast for 2 day(s) after 2020-12-01\n"
            "  forecast.csv:5 [aqi]: 'x' is not a whole AQI 0..2000");
  std::ofstream(f, std::ios::trunc) << "day,aqi\n2020-12-01,150\n";
  EXPECT_FALSE(read_forecast_csv(f.string()).ok());
}

TEST_P(EmergencyStoreTest, DemoListImportsAndReachesTheShares) {
  const fs::path demo = dir_.path() / "demo";
  ASSERT_TRUE(write_demo_list(demo.string()).ok());
  auto imp = store_->import_dir(demo.string(), Actor::operator_cli());
  ASSERT_TRUE(imp.ok());
  ASSERT_TRUE(imp->written()) << imp->report.summary();
  EXPECT_EQ(imp->counts.added, kDemoListEnterprises);
  EXPECT_EQ(imp->counts.inspections_added, 2);
  auto list = store_->load_list();
  std::map<em::Grade, int> grades;
  std::set<std::string> counties;
  for (const em::Enterprise& e : list->enterprises) {
    ++grades[e.grade];
    counties.insert(e.county);
  }
  EXPECT_EQ(counties.size(), 6U);
  EXPECT_GT(grades[em::Grade::kC], grades[em::Grade::kA]);  // a real list's spread: few A, many C/D
  EXPECT_GT(grades[em::Grade::kA] + grades[em::Grade::kLeading], 0);
  EXPECT_EQ(list->find("JC0003")->source_enterprise, "E03");
  const em::ListCheck c = em::check_list(*list, {});
  for (const em::LevelCheck& l : c.levels) EXPECT_TRUE(l.all_reached) << em::level_name(l.level);
  // Its 未分级 entries stop at every level (seed 003's rule): the check finds nothing.
  EXPECT_GT(grades[em::Grade::kUngraded], 0);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().message;
  // Deterministic: written again, the same files import as unchanged.
  ASSERT_TRUE(write_demo_list(demo.string()).ok());
  EXPECT_EQ(store_->import_dir(demo.string(), Actor::operator_cli())->counts.unchanged, kDemoListEnterprises);
  EXPECT_TRUE(read_forecast_csv((demo / "forecast.csv").string()).ok());
}

// The store alone: a write's counts, and a warning whose decision fails writes nothing.
class EmergencyStoreAlone : public ::testing::TestWithParam<StoreBackend> {};

TEST_P(EmergencyStoreAlone, WritesInOneTransaction) {
  std::unique_ptr<TestStores> ts;
  ECOMON_OPEN_TEST_STORES(ts);
  EmergencyStore* es = &ts->stores().emergency();
  em::Enterprise e{.id = "JC1", .name = "演示焦化", .county = "西山县"};
  e.lines.push_back(em::Line{.id = "L1", .name = "1#焦炉", .baseline = {100, 200, 0, 0}});
  auto c = es->write_list({e}, {{"JC1", "2020-12-01 10:00", "李", true, ""}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->added, 1);
  EXPECT_EQ(c->inspections_added, 1);
  c = es->write_list({e}, {{"JC1", "2020-12-01 10:00", "李", true, ""}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->unchanged, 1);
  EXPECT_EQ(c->inspections_added, 0);
  auto list = es->load_list();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->find("JC1")->lines.at(0).baseline, (em::Emissions{100, 200, 0, 0}));
  auto refused = es->append_warning([](const std::vector<em::WarningEvent>&) -> StatusOr<em::WarningEvent> {
    return permission_denied("no");
  });
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(es->warnings()->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, EmergencyStoreTest, store_backends(), store_backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, EmergencyStoreAlone, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
