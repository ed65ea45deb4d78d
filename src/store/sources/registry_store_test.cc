// The source registry in the store: put/load round trip, the demo registry imported twice (nothing changes
// the second time), bad rows reported at file:line [column] while the good rows land, and source_device kept
// in sync.
#include "store/sources/registry_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "demo/demo_registry.h"
#include "ingest/source_registry_csv.h"
#include "sources/demo_devices.h"
#include "store/test_store_backends.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;
using sources::SourceTime;

// On every backend (store/test_store_backends.h): SQLite, and PostgreSQL in the cluster binary.
class RegistryStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecomon_registry_store_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = &ts_->stores().source_registry();
  }
  // The stores on a connection of their own to the same store (as the stores of another process are).
  void reopen() {
    ASSERT_TRUE(ts_->reopen().ok());
    store_ = &ts_->stores().source_registry();
  }
  void TearDown() override {
    ts_.reset();
    fs::remove_all(dir_);
  }
  void write(const std::string& name, const std::string& text) {
    fs::create_directories(dir_ / "csv");
    std::ofstream(dir_ / "csv" / name, std::ios::binary) << text;
  }
  std::vector<std::string> issues(const RegistryImport& r) {
    std::vector<std::string> out;
    for (const ImportIssue& i : r.report.issues) out.push_back(i.kind + " " + i.where());
    return out;
  }
  SourceStore& devices() { return ts_->stores().sources(); }
  int64_t revision() { return ts_->registry_revision().value(); }

  fs::path dir_;
  std::unique_ptr<TestStores> ts_;
  SourceRegistryStore* store_ = nullptr;
};

sources::Device gas_device() {
  sources::Device d{.mn = "010000A8900016F000169DC0", .password = "ab#123", .outlet_id = "G1"};
  d.protocol = sources::ProtocolYear::k2017;
  d.intervals = {
      .realtime = false, .realtime_s = 60, .minute = true, .minute_min = 5, .hourly = true, .daily = false};
  d.registered_at = *SourceTime::parse("2024-03-01 08:30");
  d.active = false;
  d.stops = {{{*SourceTime::parse("2024-04-01 10:30"), *SourceTime::parse("2024-04-01 12:15")}, "检修"}};
  d.pollutants = {{.code = "a21026", .unit = "mg/m3"}, {.code = "a19001", .unit = "%", .rated = false}};
  return d;
}

TEST_P(RegistryStoreTest, PutAndLoadRoundTrip) {
  ASSERT_TRUE(store_->put_enterprise({"E1", "晋城某电厂", "泽州县", "火电"}).ok());
  ASSERT_TRUE(store_->put_outlet({"G1", "E1", sources::OutletKind::kGas, "1#脱硫出口"}).ok());
  ASSERT_TRUE(store_
                  ->put_limit({.outlet_id = "G1",
                               .pollutant = "a21026",
                               .upper = {35, 0},
                               .lower = Decimal{5, 1},
                               .unit = "mg/m3",
                               .basis = sources::LimitBasis::kStandardised,
                               .valid_from = CivilDay::from_ymd(2020, 1, 1),
                               .valid_to = CivilDay::from_ymd(2030, 12, 31),
                               .source = "GB 13223-2011"})
                  .ok());
  ASSERT_TRUE(store_->put_device(gas_device()).ok());
  // References must be stored: an outlet of an unknown enterprise is refused.
  EXPECT_EQ(store_->put_outlet({"G2", "E9", sources::OutletKind::kGas, "x"}).code(), StatusCode::kNotFound);
  // A unit that differs from the outlet's limit is refused by the registry's own rule.
  sources::Device wrong = gas_device();
  wrong.pollutants[0].unit = "ug/m3";
  EXPECT_FALSE(store_->put_device(wrong).ok());

  auto load = store_->load();
  ASSERT_TRUE(load.ok()) << load.status().message();
  EXPECT_TRUE(load->problems.empty()) << load->problems.front();
  const sources::SourceRegistry& reg = load->registry;
  const sources::Enterprise* e = reg.find_enterprise("E1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->county, "泽州县");
  EXPECT_EQ(e->industry, "火电");
  const sources::Device* d = reg.find_device("010000A8900016F000169DC0");
  ASSERT_NE(d, nullptr);
  const sources::Device want = gas_device();
  EXPECT_EQ(d->password, want.password);
  EXPECT_FALSE(d->active);
  EXPECT_EQ(d->registered_at, want.registered_at);
  EXPECT_FALSE(d->intervals.realtime);
  EXPECT_EQ(d->intervals.minute_min, 5);
  EXPECT_FALSE(d->intervals.daily);
  ASSERT_EQ(d->stops.size(), 1U);
  EXPECT_EQ(d->stops[0].span, want.stops[0].span);
  EXPECT_EQ(d->stops[0].reason, "检修");
  ASSERT_EQ(d->pollutants.size(), 2U);
  EXPECT_EQ(d->pollutants[1].code, "a19001");
  EXPECT_FALSE(d->pollutants[1].rated);
  const sources::EmissionLimit* l = reg.limit_for("G1", "a21026", CivilDay::from_ymd(2024, 3, 1));
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->upper.to_string(), "35");
  EXPECT_EQ(l->lower->to_string(), "0.5");
  EXPECT_EQ(l->basis, sources::LimitBasis::kStandardised);
  EXPECT_EQ(*l->valid_to, CivilDay::from_ymd(2030, 12, 31));
  EXPECT_EQ(l->source, "GB 13223-2011");
  EXPECT_EQ(reg.limit_for("G1", "a21026", CivilDay::from_ymd(2031, 1, 1)), nullptr);

  // The gateway's table holds the same password, protocol and active flag, and the names for display.
  auto devs = devices().devices();
  ASSERT_TRUE(devs.ok());
  ASSERT_EQ(devs->size(), 1U);
  EXPECT_EQ(devs->at(0).password, "ab#123");
  EXPECT_FALSE(devs->at(0).active);
  EXPECT_EQ(devs->at(0).enterprise, "晋城某电厂");
  EXPECT_EQ(devs->at(0).outlet, "1#脱硫出口");
  EXPECT_EQ(devs->at(0).county, "泽州县");
  EXPECT_EQ(devs->at(0).min_interval_min, 5);

  // A password changed through the gateway's table (`ecomon sources register`) is what the loader sees.
  DeviceRecord changed = devs->at(0);
  changed.password = "zz9999";
  ASSERT_TRUE(devices().upsert_device(changed).ok());
  // A device the gateway knows without registry details is listed, not judged.
  ASSERT_TRUE(devices().upsert_device({.mn = "E0C0000000000000000000FF", .password = "123456"}).ok());
  auto again = store_->load();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->registry.find_device("010000A8900016F000169DC0")->password, "zz9999");
  EXPECT_EQ(again->devices_without_details, std::vector<std::string>{"E0C0000000000000000000FF"});
}

TEST_P(RegistryStoreTest, EveryRegistryChangeMovesTheRevision) {
  EXPECT_EQ(revision(), 0);  // a new store
  ASSERT_TRUE(store_->put_enterprise({"E1", "晋城某电厂", "泽州县", "火电"}).ok());
  EXPECT_EQ(revision(), 1);  // one row inserted into sr_enterprise
  ASSERT_TRUE(store_->put_enterprise({"E1", "晋城某电厂", "泽州县", "热电"}).ok());
  EXPECT_EQ(revision(), 2);  // the same row updated
  ASSERT_TRUE(store_->put_outlet({"G1", "E1", sources::OutletKind::kGas, "1#脱硫出口"}).ok());
  EXPECT_EQ(revision(), 3);
  ASSERT_TRUE(store_->put_device(gas_device()).ok());  // sr_device, its pollutants and stop, source_device
  const int64_t after_device = revision();
  EXPECT_GE(after_device, 3 + 4);
  // Any program writing the tables moves it too (the triggers are in the file): a delete by plain SQL.
  ASSERT_TRUE(ts_->exec("DELETE FROM sr_stop").ok());
  EXPECT_EQ(revision(), after_device + 1);
  // Opening the stores again keeps the triggers and the number.
  reopen();
  EXPECT_EQ(revision(), after_device + 1);
}

TEST_P(RegistryStoreTest, DemoRegistryImportsOnceAndAgainChangesNothing) {
  const std::string csv = (dir_ / "demo").string();
  ASSERT_TRUE(write_demo_registry(csv).ok());
  auto first = import_registry_dir(*store_, csv);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->report.files, kRegistryTemplateCount);
  EXPECT_EQ(first->report.rows_rejected, 0) << first->report.summary();
  EXPECT_GT(first->counts.added, 0);
  EXPECT_EQ(first->counts.added, first->report.rows);
  EXPECT_EQ(first->counts.updated + first->counts.unchanged, 0);

  // The registry's revision (triggers on every registry table) moved with the first import and, the second
  // changing nothing, stays where it was: the gateway and its live events reload nothing then.
  const int64_t before = revision();
  EXPECT_GT(before, 0);
  auto second = import_registry_dir(*store_, csv);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(revision(), before);
  EXPECT_EQ(second->counts.added, 0);
  EXPECT_EQ(second->counts.updated, 0);
  EXPECT_EQ(second->counts.unchanged, first->report.rows);

  auto load = store_->load();
  ASSERT_TRUE(load.ok());
  EXPECT_TRUE(load->problems.empty()) << load->problems.front();
  const sources::SourceRegistry& reg = load->registry;
  EXPECT_EQ(reg.enterprises().size(), 12U);
  EXPECT_EQ(reg.devices().size(), static_cast<size_t>(kDemoRegistryDevices));
  std::set<std::string> counties;
  for (const sources::Enterprise* e : reg.enterprises()) counties.insert(e->county);
  EXPECT_GE(counties.size(), 4U);
  for (int i = 0; i < kDemoRegistryDevices; ++i) {
    const sources::Device* d = reg.find_device(sim_mn(i));
    ASSERT_NE(d, nullptr) << i;
    EXPECT_EQ(d->password, "123456");
    const sources::Outlet* o = reg.find_outlet(d->outlet_id);
    ASSERT_NE(o, nullptr);
    if (o->kind != sources::OutletKind::kGas) continue;
    for (const char* code : {"a21026", "a21002", "a34013"}) {
      EXPECT_NE(reg.limit_for(o->id, code, CivilDay::from_ymd(2025, 3, 10)), nullptr) << o->id << " " << code;
    }
  }
  EXPECT_EQ(reg.find_device(sim_mn(5))->stops.size(), 1U);
  EXPECT_EQ(devices().devices()->size(), static_cast<size_t>(kDemoRegistryDevices));
}

TEST_P(RegistryStoreTest, BadRowsAreReportedAndGoodRowsStored) {
  write("enterprises.csv",
        "id,name,county,industry\n"
        "E1,晋城某电厂,泽州县,火电\n"
        "E2,,城区,化工\n"  // 3: no name
        "E3,晋城某污水处理厂,城区,污水处理\n"
        "E1,again,泽州县,火电\n");  // 5: duplicate
  write("outlets.csv",
        "id,enterprise,kind,name\n"
        "G1,E1,gas,1#脱硫出口\n"
        "W1,E3,water,总排口\n"
        "G9,E9,gas,x\n"    // 4: unknown enterprise
        "G8,E1,smoke,x\n"  // 5: bad kind
        "G7,E1,gas\n");    // 6: 3 cells
  write("devices.csv",
        "mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active\n"
        "010000A8900016F000169DC0,123456,2017,G1,30,10,Y,Y,2024-01-01 00:00,Y\n"
        "0200001234567890ABCDEF01,654321,,W1,-,-,Y,N,2024-01-01 00:00:00,\n"
        "XYZ,123456,2017,G1,30,10,Y,Y,2024-01-01 00:00,Y\n"                         // 4: bad MN
        "010000A8900016F000169DC2,12345,2017,G1,30,10,Y,Y,2024-01-01 00:00,Y\n"     // 5: short password
        "010000A8900016F000169DC3,123456,2017,G1,20,7,Y,Y,2024-01-01 00:00,Y\n"     // 6: intervals
        "010000A8900016F000169DC4,123456,2017,G5,30,10,Y,Y,2024-01-01 00:00,Y\n"    // 7: unknown outlet
        "010000A8900016F000169DC5,123456,2017,G1,30,10,Y,Y,2024-02-30 00:00,Y\n");  // 8: bad time
  // Limits are imported after the device pollutants (template order) and checked against them.
  write("limits.csv",
        "outlet,pollutant,upper,lower,unit,basis,valid_from,valid_to,source\n"
        "G1,a21026,35,,mg/m3,standardised,2020-01-01,,GB 13223-2011\n"
        "W1,w01018,50,,mg/L,standardised,2020-01-01,,x\n"      // 3: 折算 on water
        "G1,a21026,50,,mg/m3,standardised,2024-01-01,,x\n"     // 4: overlaps line 2
        "G1,a21002,abc,,mg/m3,measured,2020-01-01,,x\n"        // 5: not a number
        "W1,w01001,9,10,无量纲,measured,2020-01-01,,x\n"       // 6: lower above upper
        "G1,w01018,50,,mg/L,measured,2020-01-01,,x\n"          // 7: water code on a gas outlet
        "W1,w01018,50,,mg/L,measured,2020-01-01,,GB 18918\n"   // accepted (line 3 was refused)
        "W1,w21003,5,,mg/L,measured,2020-01-01,,GB 18918\n");  // 9: the device reports it in g/L
  write("device_pollutants.csv",
        "mn,pollutant,unit,rated\n"
        "010000A8900016F000169DC0,a21026,mg/m3,Y\n"
        "010000A8900016F000169DC0,a21002,ug/m3,Y\n"
        "010000A8900016F000169DC0,a99999,mg/m3,Y\n"  // 4: unknown code
        "0200001234567890ABCDEF01,w01018,mg/L,Y\n"
        "0200001234567890ABCDEF01,w21003,g/L,Y\n"      // accepted: no limit yet (limits.csv:9 then conflicts)
        "0200001234567890ABCDEF01,a21026,mg/m3,Y\n"    // 7: gas code on a water device
        "FFFF,w01018,mg/L,Y\n"                         // 8: unknown device
        "010000A8900016F000169DC0,a21026,mg/m3,Y\n");  // 9: accepted at line 2 already
  write("stop_periods.csv",
        "mn,begin,end,reason\n"
        "010000A8900016F000169DC0,2024-04-01 10:30,2024-04-01 12:15,检修\n"
        "010000A8900016F000169DC0,2024-05-01 10:00,2024-05-01 09:00,x\n");  // 3: reversed
  auto r = import_registry_dir(*store_, (dir_ / "csv").string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<std::string> want = {
      "missing_value enterprises.csv:3 [name]",
      "duplicate enterprises.csv:5",
      "unknown_enterprise outlets.csv:4 [enterprise]",
      "bad_value outlets.csv:5 [kind]",
      "bad_row outlets.csv:6",
      "bad_mn devices.csv:4 [mn]",
      "bad_password devices.csv:5 [password]",
      "bad_interval devices.csv:6 [realtime_s]",
      "bad_interval devices.csv:6 [minute_min]",
      "unknown_outlet devices.csv:7 [outlet]",
      "bad_time devices.csv:8 [registered_at]",
      "unknown_pollutant device_pollutants.csv:4 [pollutant]",
      "duplicate device_pollutants.csv:9",
      "conflict limits.csv:9 [unit]",
      "conflict device_pollutants.csv:7 [pollutant]",
      "unknown_device device_pollutants.csv:8 [mn]",
      "conflict limits.csv:3 [basis]",
      "overlap limits.csv:4 [valid_from]",
      "bad_number limits.csv:5 [upper]",
      "bad_value limits.csv:6 [lower]",
      "conflict limits.csv:7 [pollutant]",
      "bad_value stop_periods.csv:3 [end]",
  };
  std::vector<std::string> got = issues(*r);
  std::sort(got.begin(), got.end());
  std::vector<std::string> sorted = want;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(got, sorted);
  EXPECT_EQ(r->report.rows_rejected, 21);  // devices.csv:6 has two problems in one row

  auto load = store_->load();
  ASSERT_TRUE(load.ok());
  EXPECT_TRUE(load->problems.empty()) << load->problems.front();
  const sources::SourceRegistry& reg = load->registry;
  EXPECT_EQ(reg.enterprises().size(), 2U);
  EXPECT_EQ(reg.outlets().size(), 2U);
  ASSERT_EQ(reg.devices().size(), 2U);
  const sources::Device* w = reg.find_device("0200001234567890ABCDEF01");
  EXPECT_FALSE(w->intervals.realtime);
  EXPECT_FALSE(w->intervals.minute);
  EXPECT_FALSE(w->intervals.daily);
  EXPECT_EQ(w->pollutants.size(), 2U);
  EXPECT_EQ(reg.find_device("010000A8900016F000169DC0")->pollutants.size(), 2U);
  EXPECT_EQ(reg.find_device("010000A8900016F000169DC0")->stops.size(), 1U);
  EXPECT_NE(reg.limit_for("W1", "w01018", CivilDay::from_ymd(2024, 1, 1)), nullptr);

  // A file with the wrong header is rejected whole.
  write("outlets.csv", "id,kind,name\nG2,gas,x\n");
  auto bad =
      import_registry_file(*store_, RegistryTemplate::kOutlets, (dir_ / "csv" / "outlets.csv").string());
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->report.files_rejected, 1);
  EXPECT_EQ(issues(*bad), std::vector<std::string>{"bad_layout outlets.csv:1"});
}

// Permitted amounts (permits.csv): bad rows at file:line [column], the good ones stored and loaded; the
// same file again changes nothing; a changed amount is one update.
TEST_P(RegistryStoreTest, PermittedAmountsImportOnceWithBadRowsReported) {
  write("enterprises.csv", "id,name,county,industry\nE1,某电厂,城区,火电\nE2,某污水厂,城区,污水处理\n");
  write("outlets.csv", "id,enterprise,kind,name\nG1,E1,gas,1#出口\nW1,E2,water,总排口\n");
  write("permits.csv",
        "enterprise,outlet,pollutant,year,tonnes,licence\n"
        "E1,,a21026,2025,120.5,91140500MA0001X001P\n"  // whole enterprise
        "E1,G1,a21002,2025,80,91140500MA0001X001P\n"   // one outlet
        "E9,,a21026,2025,1,x\n"                        // 4: unknown enterprise
        "E1,W1,w01018,2025,1,x\n"                      // 5: another enterprise's outlet
        "E1,,a99999,2025,1,x\n"                        // 6: unknown pollutant
        "E1,,a21026,25,1,x\n"                          // 7: not a year
        "E1,,a21002,2025,abc,x\n"                      // 8: not a number
        "E1,,a21002,2025,0,x\n"                        // 9: not positive
        "E1,G1,w01018,2025,1,x\n"                      // 10: water pollutant on a gas outlet
        "E1,,a21002,2025,5,\n"                         // 11: no licence number
        "E1,,a21002,1800,5,x\n"                        // 12: year out of range
        "E1,,a21026,2025,99,x\n"                       // 13: duplicate of line 2
        "E2,W1,w01018,2025,36.5,91140500MA0002X001P\n"
        "E2,W1\n");  // 15: 2 cells
  auto r = import_registry_dir(*store_, (dir_ / "csv").string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> got = issues(*r);
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = {"unknown_enterprise permits.csv:4 [enterprise]",
                                   "unknown_outlet permits.csv:5 [outlet]",
                                   "unknown_pollutant permits.csv:6 [pollutant]",
                                   "bad_value permits.csv:7 [year]",
                                   "bad_number permits.csv:8 [tonnes]",
                                   "bad_value permits.csv:9 [tonnes]",
                                   "bad_value permits.csv:10 [pollutant]",
                                   "missing_value permits.csv:11 [licence]",
                                   "bad_value permits.csv:12 [year]",
                                   "duplicate permits.csv:13",
                                   "bad_row permits.csv:15"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(r->report.rows_rejected, 11);
  auto load = store_->load();
  ASSERT_TRUE(load.ok());
  EXPECT_TRUE(load->problems.empty()) << load->problems.front();
  const std::vector<const sources::PermittedAmount*> p = load->registry.permits_of(2025);
  ASSERT_EQ(p.size(), 3U);  // by enterprise, outlet ("" first), pollutant
  EXPECT_EQ(p[0]->enterprise_id, "E1");
  EXPECT_EQ(p[0]->outlet_id, "");
  EXPECT_EQ(p[0]->tonnes.to_string(), "120.5");
  EXPECT_EQ(p[0]->licence, "91140500MA0001X001P");
  EXPECT_EQ(p[1]->outlet_id, "G1");
  EXPECT_EQ(p[1]->pollutant, "a21002");
  EXPECT_EQ(p[2]->enterprise_id, "E2");
  EXPECT_EQ(p[2]->tonnes.to_string(), "36.5");
  EXPECT_TRUE(load->registry.permits_of(2024).empty());

  // Again: nothing changes. Then one amount changed: one update.
  auto again =
      import_registry_file(*store_, RegistryTemplate::kPermits, (dir_ / "csv" / "permits.csv").string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.added + again->counts.updated, 0);
  EXPECT_EQ(again->counts.unchanged, 3);
  write("permits.csv",
        "enterprise,outlet,pollutant,year,tonnes,licence\nE1,,a21026,2025,100,91140500MA0001X001P\n");
  auto changed =
      import_registry_file(*store_, RegistryTemplate::kPermits, (dir_ / "csv" / "permits.csv").string());
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->counts.updated, 1);
  EXPECT_EQ(store_->load()->registry.permits_of(2025)[0]->tonnes.to_string(), "100");
}

TEST_P(RegistryStoreTest, AnUpdatedRowIsCountedAndStored) {
  write("enterprises.csv", "id,name,county,industry\nE1,某厂,城区,火电\nE2,某二厂,城区,火电\n");
  ASSERT_TRUE(import_registry_dir(*store_, (dir_ / "csv").string()).ok());
  write("enterprises.csv", "id,name,county,industry\nE1,某厂,泽州县,火电\nE2,某二厂,城区,火电\n");
  auto r = import_registry_dir(*store_, (dir_ / "csv").string());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->counts.updated, 1);
  EXPECT_EQ(r->counts.unchanged, 1);
  auto load = store_->load();
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load->registry.find_enterprise("E1")->county, "泽州县");
}

TEST_P(RegistryStoreTest, NoTemplateInDirectory) {
  fs::create_directories(dir_ / "empty");
  EXPECT_EQ(import_registry_dir(*store_, (dir_ / "empty").string()).status().code(), StatusCode::kNotFound);
}

// A batch is one transaction: an entry the store refuses (an outlet of an enterprise not stored) leaves
// nothing of the batch behind, and the counts say what a good batch did, again unchanged.
TEST_P(RegistryStoreTest, ABatchIsWrittenWholeOrNotAtAll) {
  const std::vector<RegistryEntry> bad = {sources::Enterprise{"E1", "晋城某电厂", "泽州县", "火电"},
                                          sources::Outlet{"G1", "E9", sources::OutletKind::kGas, "1#"}};
  EXPECT_FALSE(store_->write(bad).ok());
  EXPECT_TRUE(store_->snapshot()->enterprises.empty());
  const std::vector<RegistryEntry> good = {sources::Enterprise{"E1", "晋城某电厂", "泽州县", "火电"},
                                           sources::Outlet{"G1", "E1", sources::OutletKind::kGas, "1#"}};
  auto first = store_->write(good);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->added, 2);
  auto again = store_->write(good);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->added + again->updated, 0);
}

// One batch holding an enterprise, its outlet and a device: the gateway's row of the device names the
// enterprise, outlet and county written before it in the same batch.
TEST_P(RegistryStoreTest, ADeviceIsNamedAfterTheEntriesBeforeItInItsBatch) {
  sources::Device d = gas_device();
  d.stops.clear();
  const std::vector<RegistryEntry> batch = {
      sources::Enterprise{"E1", "晋城某电厂", "泽州县", "火电"},
      sources::Outlet{"G1", "E1", sources::OutletKind::kGas, "1#脱硫出口"}, d};
  auto r = store_->write(batch);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->added, 3);
  auto devs = devices().devices();
  ASSERT_EQ(devs->size(), 1U);
  EXPECT_EQ(devs->at(0).enterprise, "晋城某电厂");
  EXPECT_EQ(devs->at(0).outlet, "1#脱硫出口");
  EXPECT_EQ(devs->at(0).county, "泽州县");
  EXPECT_EQ(devs->at(0).min_interval_min, 5);
}

// The stores of one process share one connection: a device the registry writes is known to the command
// queue and its events are read back through the same bundle.
TEST_P(RegistryStoreTest, TheStoresBundleSharesTheConnection) {
  Stores* stores = &ts_->stores();
  SourceRegistryStore& rs = stores->source_registry();
  ASSERT_TRUE(rs.put_enterprise({"E1", "晋城某电厂", "泽州县", "火电"}).ok());
  ASSERT_TRUE(rs.put_outlet({"G1", "E1", sources::OutletKind::kGas, "1#脱硫出口"}).ok());
  ASSERT_TRUE(rs.put_device(gas_device()).ok());
  auto c = stores->source_commands().add(*command_of({gas_device().mn, "get-time", {}}), "wang", 5);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(stores->source_commands().command(c->id)->created_by, "wang");
  EXPECT_EQ(stores->source_commands()
                .add(*command_of({"E0C0000000000000000000FF", "get-time", {}}), "wang", 6)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(stores->source_events().events({}).value().empty());
  EXPECT_EQ(stores->source_registry().load()->registry.find_device(gas_device().mn)->outlet_id, "G1");
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
