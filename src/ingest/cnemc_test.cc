// The CNEMC importers on small files written here: layout, the hour-0 convention, bad input of every kind
// (each reported with file, line and column, the good values around it kept), idempotence and conflicts.
#include "ingest/cnemc.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/utf8.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

class CnemcImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("ecomon_cnemc_test_" + std::to_string(::getpid()) + "_" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir / "archive");
    auto s = open_sqlite_stores(":memory:");
    ASSERT_TRUE(s.ok());
    stores = std::move(*s);
    write("sites.csv",
          "监测点编码,监测点名称,城市,经度,纬度,对照点\n"
          "1001A,甲站,测试市,112.1,35.1,N\n"
          "1002A,乙站(对照点),测试市,-,,Y\n");
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  void archive(const std::string& date, const std::string& body,
               const std::string& header = "date,hour,type,1001A,1002A\n") {
    write("archive/china_sites_" + date + ".csv", header + body);
  }
  StatusOr<ImportReport> run() {
    ImportOptions o;
    o.stations_file = dir / "sites.csv";
    o.threads = 2;
    return import_cnemc(stores->time_series(), stores->records(), dir / "archive", o);
  }
  std::vector<Milli> hours(const std::string& code, Pollutant p, Hour first, int n) {
    int64_t id = 0;
    auto all = stores->records().all_stations();
    for (const auto& s : *all) {
      if (s.code == code) id = s.id;
    }
    std::vector<Milli> out;
    EXPECT_TRUE(stores->time_series().read_hourly(id, p, first, n, out).ok());
    return out;
  }
  fs::path dir;
  std::unique_ptr<Stores> stores;
};

const CivilDay kJan1 = CivilDay::from_ymd(2019, 1, 1);

TEST_F(CnemcImport, HourZeroBelongsToThePreviousDayAndDerivedRowsAreSkipped) {
  archive("20190102",
          "20190102,0,AQI,50,60\n"
          "20190102,0,PM2.5,40,41\n"
          "20190102,0,PM2.5_24h,99,99\n"
          "20190102,1,PM2.5,42,\n"
          "20190102,1,CO,0.9,1.25\n");
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->values, 5);
  EXPECT_EQ(r->issue_total(), 0) << r->summary();
  // Hour 0 of Jan 2 = hour ending 24 of Jan 1; hour 1 of Jan 2 = hour ending 01 of Jan 2.
  EXPECT_EQ(hours("1001A", Pollutant::kPM25, Hour::ending(kJan1, 24), 2), (std::vector<Milli>{40000, 42000}));
  EXPECT_EQ(hours("1002A", Pollutant::kPM25, Hour::ending(kJan1, 24), 2),
            (std::vector<Milli>{41000, kMissing}));
  EXPECT_EQ(hours("1002A", Pollutant::kCO, Hour::ending(kJan1 + 1, 1), 1), std::vector<Milli>{1250});
  auto st = stores->records().stations_of_city("测试市");
  ASSERT_EQ(st->size(), 2u);
  EXPECT_TRUE((*st)[1].is_reference);
  EXPECT_FALSE((*st)[1].longitude.has_value());  // "-" in the list
}

TEST_F(CnemcImport, BadRowsAndCellsAreReportedWithPlaceAndGoodValuesKept) {
  archive("20190101",
          "20190101,1,PM2.5,40,41\n"    // line 2: good
          "20190101,2,PM2.5,40\n"       // line 3: truncated
          "20190101,3,PM2.5,abc,43\n"   // line 4: non-numeric cell in 1001A, 1002A kept
          "20190101,4,PM2.5,-5,44\n"    // line 5: negative
          "20190102,5,PM2.5,1,2\n"      // line 6: date of another day
          "20190101,25,PM2.5,1,2\n"     // line 7: hour out of range
          "20190101,6,PM3,1,2\n"        // line 8: unknown type
          "20190101,7,PM2.5,45,46\n");  // line 9: good
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 8);
  EXPECT_EQ(r->rows_rejected, 4);  // truncated, bad date, bad hour, unknown type
  EXPECT_EQ(r->cells_rejected, 2);
  EXPECT_EQ(r->values, 6);  // 2 + 1 + 1 + 2
  EXPECT_EQ(r->issue_counts.at("truncated_row"), 1);
  EXPECT_EQ(r->issue_counts.at("bad_number"), 1);
  EXPECT_EQ(r->issue_counts.at("bad_value"), 1);
  EXPECT_EQ(r->issue_counts.at("bad_date"), 1);
  EXPECT_EQ(r->issue_counts.at("bad_hour"), 1);
  EXPECT_EQ(r->issue_counts.at("unknown_type"), 1);
  bool found = false;
  for (const ImportIssue& i : r->issues) {
    if (i.kind != "bad_number") continue;
    found = true;
    EXPECT_EQ(i.where(), "china_sites_20190101.csv:4 [1001A]");
    EXPECT_NE(i.message.find("'abc' is not a number"), std::string::npos) << i.message;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(hours("1002A", Pollutant::kPM25, Hour::ending(kJan1, 1), 7),
            (std::vector<Milli>{41000, kMissing, 43000, 44000, kMissing, kMissing, 46000}));
  EXPECT_NE(r->summary().find("china_sites_20190101.csv:3"), std::string::npos);
}

TEST_F(CnemcImport, UnknownStationsAreKeptUnassigned) {
  archive("20190101", "20190101,1,SO2,5,6,7\n", "date,hour,type,1001A,1002A,1777A\n");
  auto r = run();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->issue_counts.at("unknown_station"), 1);
  EXPECT_EQ(r->issues[0].field, "1777A");
  bool kept = false;
  auto all = stores->records().all_stations();
  for (const auto& s : *all) {
    if (s.code == "1777A") {
      kept = true;
      EXPECT_EQ(s.city, "");
    }
  }
  EXPECT_TRUE(kept);
  EXPECT_EQ(hours("1777A", Pollutant::kSO2, Hour::ending(kJan1, 1), 1), std::vector<Milli>{7000});
}

TEST_F(CnemcImport, DuplicateHoursWithDifferentValuesAreConflictsNeverOverwrites) {
  archive("20190101",
          "20190101,1,NO2,30,31\n"
          "20190101,1,NO2,30,99\n");  // same row again: 1002A differs
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->issue_counts.at("conflict"), 1);
  EXPECT_EQ(r->issues[0].where(), "china_sites_20190101.csv:3 [1002A]");
  EXPECT_EQ(hours("1002A", Pollutant::kNO2, Hour::ending(kJan1, 1), 1), std::vector<Milli>{31000});
  // A later import with another value for a stored hour: reported, stored value kept.
  archive("20190101", "20190101,1,NO2,30,32\n");
  auto again = run();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_conflicting, 1);
  EXPECT_EQ(again->merge.values_same, 1);
  EXPECT_EQ(again->merge.values_new, 0);
  ASSERT_EQ(again->issue_counts.at("conflict"), 1);
  bool placed = false;
  for (const auto& i : again->issues) {
    if (i.kind == "conflict") {
      placed = true;
      EXPECT_EQ(i.where(), "china_sites_20190101.csv:2 [1002A]");
      EXPECT_NE(i.message.find("already stored"), std::string::npos);
    }
  }
  EXPECT_TRUE(placed);
  EXPECT_EQ(hours("1002A", Pollutant::kNO2, Hour::ending(kJan1, 1), 1), std::vector<Milli>{31000});
}

TEST_F(CnemcImport, DuplicateColumnsAreReportedAndCompared) {
  // The real 2019 archive names 3207A twice in many headers: same values are counted as repeated.
  archive("20190101", "20190101,1,SO2,5,6,5\n20190101,2,SO2,7,8,9\n", "date,hour,type,1001A,1002A,1001A\n");
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->issue_counts.at("duplicate_column"), 1);
  EXPECT_EQ(r->issue_counts.at("conflict"), 1);  // hour 2: 7 vs 9
  EXPECT_EQ(r->values, 6);
  EXPECT_EQ(r->values_repeated, 1);
  EXPECT_EQ(r->values_conflicting, 1);
  EXPECT_EQ(r->merge.values_new, 4);
  EXPECT_EQ(r->values, r->merge.values_new + r->values_repeated + r->values_conflicting);
}

TEST_F(CnemcImport, ImportingTwiceChangesNothing) {
  archive("20190101", "20190101,1,O3,30,31\n20190101,2,O3,32,33\n");
  ASSERT_TRUE(run().ok());
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->merge.values_new, 0);
  EXPECT_EQ(r->merge.values_same, 4);
  EXPECT_EQ(r->merge.blocks_written, 0);
  EXPECT_EQ(r->issue_total(), 0);
}

TEST_F(CnemcImport, EmptyDirectoryAndWrongLayoutAreClearErrors) {
  auto empty = run();
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no archive files"), std::string::npos);
  // A file with another layout is rejected whole and named; the good file beside it is imported.
  archive("20190101", "x,y,z\n1,2,3\n", "station,time,value,foo\n");
  archive("20190102", "20190102,1,SO2,5,6\n");
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files_rejected, 1);
  EXPECT_EQ(r->issue_counts.at("bad_layout"), 1);
  EXPECT_EQ(r->issues[0].where(), "china_sites_20190101.csv:1");
  EXPECT_EQ(r->values, 2);
  // An empty file.
  write("archive/china_sites_20190103.csv", "");
  auto r2 = run();
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->files_rejected, 2);
  // A station list with a wrong header fails the whole import: nothing half-stored.
  write("sites.csv", "code,name\n1001A,x\n");
  auto bad = run();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("not a station list"), std::string::npos);
}

TEST_F(CnemcImport, ANonexistentPathIsAClearError) {
  ImportOptions o;
  auto r = import_cnemc(stores->time_series(), stores->records(), dir / "nope", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope"), std::string::npos);
}

TEST_F(CnemcImport, CityLevelFilesBecomeCitySeries) {
  write("archive/china_cities_20190101.csv", "date,hour,type,北京,晋城\n20190101,1,PM2.5,30,50\n");
  auto r = run();
  ASSERT_TRUE(r.ok());
  auto bj = stores->records().stations_of_city("北京");
  ASSERT_EQ(bj->size(), 1u);
  EXPECT_EQ((*bj)[0].code, "city:北京");
  EXPECT_EQ(hours("city:晋城", Pollutant::kPM25, Hour::ending(kJan1, 1), 1), std::vector<Milli>{50000});
}

// The issue of a kind, or a failure naming the kinds there are.
const ImportIssue* issue_of(const ImportReport& r, const std::string& kind) {
  for (const ImportIssue& i : r.issues) {
    if (i.kind == kind) return &i;
  }
  ADD_FAILURE() << "no " << kind << " issue in:\n" << r.summary();
  return nullptr;
}

TEST_F(CnemcImport, ACellThatIsNotUtf8RejectsItsRowOnlyAndTheSecondImportChangesNothing) {
  archive("20190101",
          "20190101,1,PM2.5,40,41\n"         // line 2: good
          "20190101,2,PM2.5,4\xE6\x99,42\n"  // line 3: 1001A holds a character cut short (E6 99 of 晚)
          "20190101,3,PM2.5,43,44\n");       // line 4: good
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->rows_rejected, 1);
  EXPECT_EQ(r->values, 4);  // lines 2 and 4, two stations each
  EXPECT_EQ(r->issue_counts.at("bad_utf8"), 1);
  const ImportIssue* i = issue_of(*r, "bad_utf8");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where(), "china_sites_20190101.csv:3 [1001A]");
  EXPECT_EQ(i->message,
            "byte 2 (0xE6) is not valid UTF-8");  // the cell is "4\xE6\x99": its byte 2 starts the cut
  EXPECT_TRUE(r->has_rejections());
  // The whole row is dropped (42 of 1002A too): a row is taken whole or not at all.
  EXPECT_EQ(hours("1002A", Pollutant::kPM25, Hour::ending(kJan1, 1), 3),
            (std::vector<Milli>{41000, kMissing, 44000}));
  auto again = run();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 4);
  EXPECT_EQ(again->merge.blocks_written, 0);
}

TEST_F(CnemcImport, ALastLineCutInTheMiddleOfACharacterIsARejectedLastRow) {
  // The key column of the last row ends in the first two bytes of 晚 (E6 99 9A): the file was cut there.
  archive("20190101", "20190101,1,SO2,5,6\n20190101,2,SO\xE6\x99");
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->rows_rejected, 1);
  EXPECT_EQ(r->values, 2);
  const ImportIssue* i = issue_of(*r, "bad_utf8");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where(), "china_sites_20190101.csv:3 [type]");
  EXPECT_EQ(i->message, "byte 3 (0xE6) is not valid UTF-8");
  EXPECT_EQ(hours("1001A", Pollutant::kSO2, Hour::ending(kJan1, 1), 1), std::vector<Milli>{5000});
}

TEST_F(CnemcImport, AHeaderThatIsNotUtf8RejectsTheFileAndTheGoodFileBesideItIsKept) {
  archive("20190101", "20190101,1,SO2,5,6\n",
          "date,hour,type,1001A,\xFF\xFE"
          "BAD\n");
  archive("20190102", "20190102,1,SO2,7,8\n");
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->files, 2);
  EXPECT_EQ(r->files_rejected, 1);
  const ImportIssue* i = issue_of(*r, "bad_utf8");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where(), "china_sites_20190101.csv:1 [column 5]");
  EXPECT_EQ(i->message, "header: byte 1 (0xFF) is not valid UTF-8");
  EXPECT_EQ(r->values, 2);
  // The summary shows the report's text as it is: no byte of the file is passed on raw.
  EXPECT_TRUE(is_valid_utf8(r->summary()));
}

TEST_F(CnemcImport, AStationListRowThatIsNotUtf8IsRejectedAndTheOthersKept) {
  write("sites.csv",
        "监测点编码,监测点名称,城市,经度,纬度,对照点\n"
        "1001A,甲站,测试市,112.1,35.1,N\n"
        "1002A,乙站,\xB2\xE2\xCA\xD4,112.2,35.2,N\n");  // line 3: 测试 in GBK, not UTF-8
  archive("20190101", "20190101,1,SO2,5,6\n");
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->stations_listed, 1);
  EXPECT_EQ(r->rows_rejected, 1);
  const ImportIssue* i = issue_of(*r, "bad_utf8");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where(), "sites.csv:3 [城市]");
  EXPECT_EQ(i->message, "byte 1 (0xB2) is not valid UTF-8");
  EXPECT_EQ(stores->records().stations_of_city("测试市")->size(), 1u);
}

TEST_F(CnemcImport, AFileNamedForADayThatDoesNotExistIsAReportedRejectedFile) {
  archive("20190101", "20190101,1,SO2,5,6\n");
  write("archive/china_sites_20190230.csv", "date,hour,type,1001A,1002A\n20190230,1,SO2,1,2\n");
  write("archive/china_sites_2019.csv", "not an archive file: other names are not the importer's\n");
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->files, 1);
  EXPECT_EQ(r->files_rejected, 1);
  EXPECT_EQ(r->values, 2);
  EXPECT_TRUE(r->has_rejections());
  const ImportIssue* i = issue_of(*r, "bad_file_name");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->where(), "china_sites_20190230.csv");
  EXPECT_NE(i->message.find("named for 20190230, which is not a day"), std::string::npos) << i->message;
  // Given on its own, the file is reported the same way (not an error that stops the import).
  auto one = import_cnemc(stores->time_series(), stores->records(), dir / "archive/china_sites_20190230.csv",
                          ImportOptions{});
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->files_rejected, 1);
  EXPECT_EQ(one->issue_counts.at("bad_file_name"), 1);
}

TEST_F(CnemcImport, WarningsAloneAreNoRejection) {
  archive("20190101", "20190101,1,SO2,5,6,7\n", "date,hour,type,1001A,1002A,1777A\n");  // 1777A: not listed
  auto r = run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->issue_counts.at("unknown_station"), 1);
  EXPECT_FALSE(r->has_rejections());
}

// A long import writes in batches (a month once the files have moved past it): between them another
// connection writes and reads the store at once, where a single transaction would have kept it locked (10 s
// busy timeout, then "database is locked") until the end.
TEST_F(CnemcImport, AnotherConnectionWritesAndReadsBetweenBatches) {
  const fs::path db = dir / "store.db";
  auto file_store = open_sqlite_stores(db.string());
  ASSERT_TRUE(file_store.ok());
  archive("20190131", "20190131,1,PM10,60,61\n");
  archive("20190201", "20190201,1,PM10,62,63\n");  // hour 1 of Feb 1: February
  archive("20190301", "20190301,1,PM10,64,65\n");
  ImportOptions o;
  o.stations_file = dir / "sites.csv";
  o.threads = 1;
  std::vector<std::string> seen;  // per file: what the other connection read of 1001A, Jan 31 hour 1
  o.progress = [&](const ImportProgress& p) {
    auto other = open_sqlite_stores(db.string());
    ASSERT_TRUE(other.ok());
    Status w =
        (*other)->records().begin_write();  // fails after the busy timeout while the importer holds the lock
    ASSERT_TRUE(w.ok()) << "file " << p.files_done << ": " << w.message();
    (*other)->records().rollback();
    auto stations = (*other)->records().all_stations();
    ASSERT_TRUE(stations.ok());
    int64_t id = 0;
    for (const StationInfo& s : *stations) {
      if (s.code == "1001A") id = s.id;
    }
    std::vector<Milli> v;
    ASSERT_TRUE((*other)
                    ->time_series()
                    .read_hourly(id, Pollutant::kPM10, Hour::ending(CivilDay::from_ymd(2019, 1, 31), 1), 1, v)
                    .ok());
    seen.push_back(v.at(0) == kMissing ? "-" : std::to_string(v.at(0)));
  };
  auto r = import_cnemc((*file_store)->time_series(), (*file_store)->records(), dir / "archive", o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->values, 6);
  // After file 1 January is still being read (not stored yet); after file 2 (February's first) it is
  // committed.
  EXPECT_EQ(seen, (std::vector<std::string>{"-", "60000", "60000"}));
}

}  // namespace
}  // namespace ecomon
