// Power-use monitoring's store and CSV templates (store/api/power.h, ingest/power_csv.h), on every backend:
// the metered-line registry (bad rows at file:line [column], re-import changes nothing), the grid company's
// energy file (daily and monthly periods, a repeated period with the same and with another kWh, conflicts
// with the stored figure), the readings' merge (new / same / conflict) and their half-open time reads.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "demo/emergency_list_demo.h"
#include "demo/power_demo.h"
#include "ingest/power_csv.h"
#include "ingest/power_uploads.h"
#include "sources/demo_devices.h"
#include "store/test_store_backends.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

using sources::SourceTime;
using sources::TimeSpan;

class PowerStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
  PowerStore& power() { return ts_->stores().power(); }
  std::string write(const std::string& name, const std::string& text) {
    std::string p = (dir_.path() / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  static std::vector<std::string> wheres(const ImportReport& r) {
    std::vector<std::string> out;
    for (const ImportIssue& i : r.issues) out.push_back(i.kind + " " + i.where());
    return out;
  }
  std::unique_ptr<TestStores> ts_;
  testing::TempDir dir_{"power_store"};
};

constexpr const char* kLines =
    "\xEF\xBB\xBFline,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n"
    "E01/P1,E01,烧结机,生产设施,50,60,PM01,d20101,,,烧结\n"             // 2
    "E01/T1,E01,脱硫,treatment,20.5,,PM01,d30101,E01/P1,E01-G1,烧结\n"  // 3
    "E01/T2,E01,除尘,治污,10,60,PM01,d20102,E01/P1,,\n"                 // 4: d2 on treatment
    "E01/T3,E01,脱硝,treatment,x,60,,,E01/P9,,\n"                       // 5: kW, serves
    "E01/P2,E01,球团,production,5,0,,,,,\n"                             // 6: interval 0
    "E01/P1,E01,烧结机,production,50,60,PM01,d20101,,,\n"               // 7: duplicate
    "E02/P1,E02,窑,production,5\n"                                      // 8: 5 cells
    "E02/P1,E02,窑,cooling,5,60,,,,,\n";                                // 9: role

TEST_P(PowerStoreTest, LineRegistryReportsBadRowsAndReimportChangesNothing) {
  const std::string path = write("power_lines.csv", kLines);
  ASSERT_EQ(*power_template_of(path), PowerTemplate::kLines);
  auto r = import_power_file(power(), PowerTemplate::kLines, path);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  // Rows 2..9 = 8 rows; kept: lines 2 and 3; rejected: 4 (code), 5 (kW + serves), 6, 7, 8, 9.
  EXPECT_EQ(r->rows, 8);
  EXPECT_EQ(r->values, 2);
  EXPECT_EQ(r->rows_rejected, 6);
  EXPECT_EQ(r->merge.values_new, 2);
  EXPECT_EQ(wheres(*r), (std::vector<std::string>{
                            "bad_value power_lines.csv:4 [code]",
                            "bad_number power_lines.csv:5 [running_kw]",
                            "unknown_line power_lines.csv:5 [serves]",
                            "bad_number power_lines.csv:6 [interval_s]",
                            "duplicate power_lines.csv:7 [line]",
                            "bad_row power_lines.csv:8",
                            "bad_value power_lines.csv:9 [role]",
                        }));
  auto lines = power().lines("E01");
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 2u);
  const PowerLineRow& t1 = (*lines)[1];
  EXPECT_EQ(t1.line, "E01/T1");
  EXPECT_EQ(t1.role, "treatment");
  EXPECT_EQ(t1.running_kw, "20.5");
  EXPECT_EQ(t1.interval_s, 60);  // empty: the default minute
  EXPECT_EQ(t1.serves, std::vector<std::string>{"E01/P1"});
  EXPECT_EQ(t1.outlets, std::vector<std::string>{"E01-G1"});
  EXPECT_EQ(t1.list_lines, std::vector<std::string>{"烧结"});
  EXPECT_EQ((*lines)[0].role, "production");
  EXPECT_TRUE((*lines)[0].outlets.empty());

  // Again: the two good rows are the same as stored, nothing written.
  auto again = import_power_file(power(), PowerTemplate::kLines, path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 2);
  EXPECT_EQ(power().lines("")->size(), 2u);

  // A later file may serve a production line stored before.
  auto more = import_power_file(
      power(), PowerTemplate::kLines,
      write("more.csv",
            "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n"
            "E01/T4,E01,脱硝,treatment,8,60,PM01,d30102,E01/P1;E01/T1,,\n"
            "E01/T5,E01,脱硝,treatment,8,60,PM01,d30103,E01/P1,,\n"));
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(wheres(*more), std::vector<std::string>{"bad_value more.csv:2 [serves]"});  // T1 is treatment
  EXPECT_EQ(more->values, 1);
}

// The demo city's power modules (`power demo-lines`, demo/power_demo.h): 50 modules, 100 lines, import
// cleanly; a second import of the same file changes nothing. The spread: E01's six modules are devices
// 200..205, E01/P1 emits through E01-G1 and names the reduction list's first line of E01's entry; E01/T2
// serves E01/P2 through E01-G2 (E01's outlets in turn); E06 has a gas and a water outlet: its lines take the
// gas one; the sewage plants (E11, E12: water outlets only, not on the list) name no list line; the last
// module (49) is E12's second, device 249.
TEST_P(PowerStoreTest, TheDemoCitysModulesImportCleanlyTwice) {
  const std::string path =
      write("power_lines.csv", demo::power_lines_csv(demo::kDemoPowerModules, demo::kDemoPowerFirstDevice));
  auto r = import_power_file(power(), PowerTemplate::kLines, path);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->issues.empty()) << wheres(*r).at(0);
  EXPECT_FALSE(r->has_rejections());
  EXPECT_EQ(r->rows, 100);
  EXPECT_EQ(r->merge.values_new, 100);
  auto again = import_power_file(power(), PowerTemplate::kLines, path);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_rejections());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 100);
  EXPECT_EQ(power().lines("")->size(), 100u);

  const std::string e01_first_list_line = demo_list_linked_lines().at("E01").at(0);
  auto e01 = power().lines("E01").value();
  ASSERT_EQ(e01.size(), 12u);
  const std::vector<PowerLineRow> all = power().lines("").value();
  std::map<std::string, PowerLineRow> by_id;
  for (const PowerLineRow& l : all) by_id[l.line] = l;
  const PowerLineRow& p1 = by_id.at("E01/P1");
  EXPECT_EQ(p1.role, "production");
  EXPECT_EQ(p1.mn, sim_mn(200));
  EXPECT_EQ(p1.code, "d20101");
  EXPECT_EQ(p1.running_kw, "50");
  EXPECT_EQ(p1.interval_s, 60);
  EXPECT_EQ(p1.outlets, std::vector<std::string>{"E01-G1"});
  EXPECT_EQ(p1.list_lines, std::vector<std::string>{e01_first_list_line});
  const PowerLineRow& t2 = by_id.at("E01/T2");
  EXPECT_EQ(t2.role, "treatment");
  EXPECT_EQ(t2.mn, sim_mn(201));
  EXPECT_EQ(t2.code, "d30101");
  EXPECT_EQ(t2.running_kw, "10");
  EXPECT_EQ(t2.serves, std::vector<std::string>{"E01/P2"});
  EXPECT_EQ(t2.outlets, std::vector<std::string>{"E01-G2"});
  EXPECT_TRUE(t2.list_lines.empty());
  EXPECT_EQ(by_id.at("E06/P2").outlets, std::vector<std::string>{"E06-G1"});
  EXPECT_EQ(by_id.at("E11/P1").outlets, std::vector<std::string>{"E11-W1"});
  EXPECT_TRUE(by_id.at("E11/P1").list_lines.empty());
  EXPECT_EQ(by_id.at("E12/T2").mn, sim_mn(249));
  EXPECT_EQ(by_id.count("E12/T3"), 0u);
}

TEST_P(PowerStoreTest, GridFileDailyMonthlyRepeatsConflictsAndReimport) {
  const std::string path = write("grid-2026-11.csv",
                                 "enterprise,meter,period,kwh\n"
                                 "E01,M1,2026-11-01,1200.5\n"   // 2 day
                                 "E01,M1,2026-11-02,1180\n"     // 3 day
                                 "E01,M1,2026-11,35000\n"       // 4 month
                                 "E01,M1,2026-11-01,1200.50\n"  // 5 same day again, same kWh: a repeat
                                 "E01,M1,2026-11-02,999\n"      // 6 same day, other kWh: conflict with line 3
                                 "E01,M2,2026-11-31,5\n"        // 7 no such day
                                 "E01,M2,2026-13,5\n"           // 8 no such month
                                 "E01,M2,2026-11-03,-1\n"       // 9 negative
                                 "E01,,2026-11-03,1\n");        // 10 no meter
  ASSERT_EQ(*power_template_of(path), PowerTemplate::kGrid);
  auto r = import_power_file(power(), PowerTemplate::kGrid, path);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->rows, 9);
  EXPECT_EQ(r->values, 3);
  EXPECT_EQ(r->values_repeated, 1);
  EXPECT_EQ(r->values_conflicting, 1);
  EXPECT_EQ(r->rows_rejected, 4);
  EXPECT_TRUE(r->has_rejections());
  EXPECT_EQ(r->merge.values_new, 3);
  EXPECT_EQ(wheres(*r), (std::vector<std::string>{
                            "conflict grid-2026-11.csv:6 [kwh]",
                            "bad_date grid-2026-11.csv:7 [period]",
                            "bad_date grid-2026-11.csv:8 [period]",
                            "bad_number grid-2026-11.csv:9 [kwh]",
                            "missing_value grid-2026-11.csv:10 [meter]",
                        }));
  auto g = power().grid({"M1"}, "2026-11", "2026-11-30");
  ASSERT_TRUE(g.ok());
  // Ordered by meter, period ("day" < "month"), start.
  ASSERT_EQ(g->size(), 3u);
  EXPECT_EQ((*g)[0].start, "2026-11-01");
  EXPECT_EQ((*g)[0].kwh, "1200.5");
  EXPECT_EQ((*g)[1].kwh, "1180");
  EXPECT_EQ((*g)[2].period, "month");
  EXPECT_EQ((*g)[2].kwh, "35000");

  // Re-import: every kept row is the same, nothing new.
  auto again = import_power_file(power(), PowerTemplate::kGrid, path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 3);
  // The grid company's corrected file: the stored figure is kept and the difference reported.
  auto corrected =
      import_power_file(power(), PowerTemplate::kGrid,
                        write("grid-fix.csv", "enterprise,meter,period,kwh\nE01,M1,2026-11-02,1181\n"));
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->merge.values_conflicting, 1);
  EXPECT_EQ(wheres(*corrected), std::vector<std::string>{"conflict grid-fix.csv:2 [kwh]"});
  EXPECT_EQ(power().grid({"M1"}, "2026-11-02", "2026-11-02")->at(0).kwh, "1180");
}

TEST_P(PowerStoreTest, BadHeaderAndSites) {
  EXPECT_EQ(power_template_of(write("x.csv", "a,b\n")).status().code(), StatusCode::kInvalidArgument);
  auto bad = import_power_file(power(), PowerTemplate::kGrid, write("y.csv", "a,b\n1,2\n"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->files_rejected, 1);
  auto sites = import_power_file(power(), PowerTemplate::kSites,
                                 write("power_sites.csv",
                                       "site,name,county,meter,status,closed_since\n"
                                       "S1,小作坊,城区,M9,散乱污,2026-10-01\n"
                                       "S2,砖厂,城区,M10,open,2026-10-01\n"
                                       "S3,砖厂,城区,M11,关停,2026-10-32\n"));
  ASSERT_TRUE(sites.ok());
  EXPECT_EQ(wheres(*sites), (std::vector<std::string>{"bad_value power_sites.csv:3 [status]",
                                                      "bad_date power_sites.csv:4 [closed_since]"}));
  auto stored = power().sites();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->at(0).status, "scattered");
  EXPECT_EQ(stored->at(0).meter, "M9");
}

TEST_P(PowerStoreTest, ReadingsMergeAndHalfOpenReads) {
  const SourceTime t0 = SourceTime::of(CivilDay::from_ymd(2026, 12, 1), 8);
  std::vector<PowerReadingRow> rows = {
      {"E01/P1", t0, "52.3"}, {"E01/P1", t0 + 60, "51"}, {"E01/T1", t0, "0"}};
  auto w = power().write_readings(rows);
  ASSERT_TRUE(w.ok()) << w.status().to_string();
  for (const PowerWriteOutcome& o : *w) EXPECT_EQ(o.kind, PowerWriteOutcome::Kind::kNew);
  // Again, one changed and a repeat inside the batch: same, conflict (stored 51 kept), new, same.
  auto w2 = power().write_readings({{"E01/P1", t0, "52.3"},
                                    {"E01/P1", t0 + 60, "49"},
                                    {"E01/P1", t0 + 120, "50"},
                                    {"E01/P1", t0 + 120, "50"}});
  ASSERT_TRUE(w2.ok());
  ASSERT_EQ(w2->size(), 4u);
  EXPECT_EQ((*w2)[0].kind, PowerWriteOutcome::Kind::kSame);
  EXPECT_EQ((*w2)[1].kind, PowerWriteOutcome::Kind::kConflict);
  EXPECT_EQ((*w2)[1].stored, "51");
  EXPECT_EQ((*w2)[2].kind, PowerWriteOutcome::Kind::kNew);
  EXPECT_EQ((*w2)[3].kind, PowerWriteOutcome::Kind::kSame);
  // [t0+60, t0+120): one reading of P1; T1's only reading is at t0, outside.
  auto r = power().readings({"E01/T1", "E01/P1"}, TimeSpan{t0 + 60, t0 + 120});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->at(0).line, "E01/P1");
  EXPECT_EQ(r->at(0).kw, "51");
  auto all = power().readings({"E01/P1", "E01/T1"}, TimeSpan{t0, t0 + 180});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);  // P1 ×3 then T1
  EXPECT_EQ(all->back().line, "E01/T1");
  EXPECT_TRUE(power().write_readings({})->empty());
}

// The sums of the readings (reading_sums), in SQL on each backend: over [t0, t0+180) E01/P1 has 10.5, an
// unreadable "n/a" (not summed: returned as text) and −2.25 → 2 readings, 10,500 − 2,250 = 8,250 thousandths;
// the reading at t0+180 is outside. A line without readings has 0 and 0; a line asked twice comes once.
TEST_P(PowerStoreTest, ReadingSumsCountAndSumInTheStore) {
  const SourceTime t0 = SourceTime::of(CivilDay::from_ymd(2026, 12, 1), 8);
  ASSERT_TRUE(power()
                  .write_readings({{"E01/P1", t0, "10.5"},
                                   {"E01/P1", t0 + 60, "n/a"},
                                   {"E01/P1", t0 + 120, "-2.25"},
                                   {"E01/P1", t0 + 180, "1000"}})
                  .ok());
  auto s = power().reading_sums({"E01/T1", "E01/P1", "E01/T1"}, TimeSpan{t0, t0 + 180});
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  ASSERT_EQ(s->size(), 2u);
  const PowerReadingSum& p1 = (*s)[0];
  EXPECT_EQ(p1.line, "E01/P1");
  EXPECT_EQ(p1.readings, 2);
  EXPECT_EQ(p1.milli_kw, 8250);
  ASSERT_EQ(p1.unsummed.size(), 1u);
  EXPECT_EQ(p1.unsummed[0].at, t0 + 60);
  EXPECT_EQ(p1.unsummed[0].kw, "n/a");
  const PowerReadingSum& t1 = (*s)[1];
  EXPECT_EQ(t1.line, "E01/T1");
  EXPECT_EQ(t1.readings, 0);
  EXPECT_EQ(t1.milli_kw, 0);
  EXPECT_TRUE(t1.unsummed.empty());
  // The last minute alone: 1000 kW.
  auto last = power().reading_sums({"E01/P1"}, TimeSpan{t0 + 180, t0 + 240});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->at(0).readings, 1);
  EXPECT_EQ(last->at(0).milli_kw, 1000000);
}

// A power module's ST 44 real-time uploads (CN 2011) become its lines' readings: the production line's d20101
// and the treatment line's d30101 at each DataTime; a value flagged D (not N) and a code the upload lacks are
// skipped; a second run changes nothing; an upload outside [from, to) is not read.
TEST_P(PowerStoreTest, ReadingsFromElectricityUploads) {
  ASSERT_TRUE(import_power_file(
                  power(), PowerTemplate::kLines,
                  write("power_lines.csv",
                        "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n"
                        "E01/P1,E01,烧结机,production,50,60,PM01,d20101,,,\n"
                        "E01/T1,E01,脱硫,treatment,20,60,PM01,d30101,E01/P1,,\n"))
                  .ok());
  DeviceRecord d;
  d.mn = "PM01";
  d.password = "123456";
  d.protocol = 2025;
  ASSERT_TRUE(ts_->stores().sources().upsert_device(d).ok());
  auto rec = [](int64_t time, std::string cp) {
    SourceRecord r;
    r.mn = "PM01";
    r.cn = 2011;
    r.data_time = time;
    r.qn = std::to_string(time) + "000";
    r.flag = 9;
    r.cp = "DataTime=" + std::to_string(time) + ";" + cp;
    return r;
  };
  std::vector<SourceRecord> ups = {
      rec(20261201080000, "d20101-Rtd=52.3,d20101-Flag=N;d30101-Rtd=0.0,d30101-Flag=N"),
      rec(20261201080100, "d20101-Rtd=51.0,d20101-Flag=N;d30101-Rtd=25.1,d30101-Flag=D"),
      rec(20261201080200, "d20101-Rtd=49.5,d20101-Flag=N"),
      rec(20261201090000, "d20101-Rtd=1.0,d20101-Flag=N"),  // at `to`: outside
  };
  ASSERT_TRUE(ts_->stores().sources().insert_source_records(ups).ok());
  const SourceTime from = SourceTime::of(CivilDay::from_ymd(2026, 12, 1), 8);
  auto r = power_readings_from_uploads(ts_->stores(), from, from + 3600);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->uploads, 3);
  EXPECT_EQ(r->readings_new, 4);    // P1 x3, T1 at 08:00
  EXPECT_EQ(r->values_skipped, 2);  // T1 flagged D at 08:01, absent at 08:02
  EXPECT_TRUE(r->problems.empty());
  auto got = power().readings({"E01/P1", "E01/T1"}, TimeSpan{from, from + 3600});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ(got->at(1).at, from + 60);
  EXPECT_EQ(got->at(1).kw, "51.0");
  EXPECT_EQ(got->at(3).line, "E01/T1");
  EXPECT_EQ(got->at(3).kw, "0.0");
  auto again = power_readings_from_uploads(ts_->stores(), from, from + 3600);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->readings_new, 0);
  EXPECT_EQ(again->readings_same, 4);
}

// Enforcement cases keyed by (site, opened): a new key is added with found_ms = updated_ms = now; the same
// rows again change nothing; a case that closed (closed, days) is updated (updated_ms only); listed by
// opened, then site, and by county.
TEST_P(PowerStoreTest, CasesAreKeyedBySiteAndOpeningAndChangeOnlyWhenTheyDo) {
  const PowerCaseRow s1{"S1", "2026-12-01", "", "砖厂", "城区", "M1", "closed", 3, "5", 0, 0};
  const PowerCaseRow s2{"S2", "2026-11-28", "2026-11-30", "洗煤点", "东阳县", "M2", "scattered", 2, "5", 0,
                        0};
  auto w = power().write_cases({s1, s2}, 1000);
  ASSERT_TRUE(w.ok()) << w.status().to_string();
  EXPECT_EQ(*w, 2);
  EXPECT_EQ(*power().write_cases({s1, s2}, 2000), 0);
  PowerCaseRow closed = s1;
  closed.closed = "2026-12-05";
  closed.days = 4;
  EXPECT_EQ(*power().write_cases({closed, s2}, 3000), 1);
  auto all = power().cases("");
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).site, "S2");  // opened 11-28 before 12-01
  EXPECT_EQ(all->at(0).found_ms, 1000);
  EXPECT_EQ(all->at(0).updated_ms, 1000);
  const PowerCaseRow& c = all->at(1);
  EXPECT_EQ(c.closed, "2026-12-05");
  EXPECT_EQ(c.days, 4);
  EXPECT_EQ(c.name, "砖厂");
  EXPECT_EQ(c.found_ms, 1000);
  EXPECT_EQ(c.updated_ms, 3000);
  auto county = power().cases("城区");
  ASSERT_TRUE(county.ok());
  ASSERT_EQ(county->size(), 1u);
  EXPECT_EQ(county->at(0).site, "S1");
  EXPECT_TRUE(power().cases("泽州县")->empty());
  EXPECT_EQ(*power().write_cases({}, 4000), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PowerStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
