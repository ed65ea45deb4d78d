// Fugitive-dust points' store and template (store/api/dust.h, ingest/dust_csv.h), on every backend: the
// point registry (bad rows at file:line [column], re-import changes nothing, an MN taken by another point),
// and the readings' merge (new / same / conflict) and half-open reads.
#include <gtest/gtest.h>

#include <fstream>

#include "demo/dust_demo.h"
#include "ingest/dust_csv.h"
#include "sources/demo_devices.h"
#include "store/test_store_backends.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

using sources::SourceTime;
using sources::TimeSpan;

class DustStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
  DustStore& dust() { return ts_->stores().dust(); }
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
  testing::TempDir dir_{"dust_store"};
};

constexpr const char* kPoints =
    "\xEF\xBB\xBFid,name,type,owner,county,lon,lat,mn\n"
    "T01,北区工地东,工地,城建一标段,城区,112.851,35.497,DUST0001\n"  // 2
    "B01,焦化厂界北,boundary,E01,泽州县,112.9,35.41,DUST0002\n"      // 3
    "T02,工地西,quarry,城建一标段,城区,112.8,35.4,DUST0003\n"        // 4: type
    "T03,工地南,工地,城建一标段,城区,181,35.4,DUST0004\n"            // 5: lon
    "T04,工地北,工地,城建一标段,城区,112.8,-90.5,DUST0005\n"         // 6: lat
    "T05,工地中,工地,城建一标段,城区,112.8,35.4,DUST0001\n"          // 7: MN of T01
    "T01,北区工地东,工地,城建一标段,城区,112.851,35.497,DUST0001\n"  // 8: id again
    "R01,,road,,城区,112.8,35.4,DUST0009\n"                          // 9: name, owner empty
    "R02,路,road,交通局,城区,112.8\n"                                // 10: 6 cells
    "R03,路,道路,交通局,城区,1e2,35,DUST0010\n";                     // 11: lon

TEST_P(DustStoreTest, PointRegistryReportsBadRowsAndReimportChangesNothing) {
  const std::string path = write("dust_points.csv", kPoints);
  auto r = import_dust_points(dust(), path);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  // Rows 2..11 = 10; kept 2 and 3; rejected 4, 5, 6, 7, 8, 9, 10, 11.
  EXPECT_EQ(r->rows, 10);
  EXPECT_EQ(r->values, 2);
  EXPECT_EQ(r->rows_rejected, 8);
  EXPECT_EQ(r->merge.values_new, 2);
  EXPECT_EQ(wheres(*r), (std::vector<std::string>{
                            "bad_value dust_points.csv:4 [type]",
                            "bad_number dust_points.csv:5 [lon]",
                            "bad_number dust_points.csv:6 [lat]",
                            "duplicate dust_points.csv:7 [mn]",
                            "duplicate dust_points.csv:8 [id]",
                            "missing_value dust_points.csv:9 [name]",
                            "missing_value dust_points.csv:9 [owner]",
                            "bad_row dust_points.csv:10",
                            "bad_number dust_points.csv:11 [lon]",
                        }));
  auto points = dust().points();
  ASSERT_TRUE(points.ok());
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ(points->at(0),
            (DustPointRow{"B01", "焦化厂界北", "boundary", "E01", "泽州县", "112.9", "35.41", "DUST0002"}));
  EXPECT_EQ(points->at(1).type, "construction");
  EXPECT_EQ(points->at(1).mn, "DUST0001");

  auto again = import_dust_points(dust(), path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 2);
  EXPECT_EQ(dust().points()->size(), 2u);

  // A changed point replaces the stored one; its old MN is free for another point in the same file.
  auto moved =
      import_dust_points(dust(), write("move.csv",
                                       "id,name,type,owner,county,lon,lat,mn\n"
                                       "T01,北区工地东,工地,城建一标段,城区,112.851,35.497,DUST0100\n"
                                       "T09,新工地,工地,城建二标段,城区,112.7,35.3,DUST0001\n"));
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(moved->issues.empty()) << wheres(*moved).at(0);
  EXPECT_EQ(moved->merge.values_new, 2);
  auto after = dust().points();
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ(after->at(1).mn, "DUST0100");
  EXPECT_EQ(after->at(2).mn, "DUST0001");

  auto bad = import_dust_points(dust(), write("x.csv", "a,b\n1,2\n"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->files_rejected, 1);
  EXPECT_EQ(import_dust_points(dust(), (dir_.path() / "none.csv").string()).status().code(),
            StatusCode::kNotFound);
}

TEST_P(DustStoreTest, ReadingsMergeAndHalfOpenReads) {
  const SourceTime t0 = SourceTime::of(CivilDay::from_ymd(2026, 12, 7), 10);
  DustReadingRow a{"T01", 2051, t0, "812.5", "120", "60", "", "2.1", "270"};
  DustReadingRow b{"T01", 2051, t0 + 60, "790", "", "", "", "", ""};
  DustReadingRow rt{"T01", 2011, t0, "830", "", "", "55.2", "", ""};  // same minute, real-time: its own row
  auto w = dust().write_readings({a, b, rt});
  ASSERT_TRUE(w.ok()) << w.status().to_string();
  EXPECT_EQ(w->fresh, 3);
  DustReadingRow b2 = b;
  b2.tsp = "791";
  auto w2 = dust().write_readings({a, b2, {"B01", 2051, t0, "100", "", "", "", "", ""}});
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ(w2->same, 1);
  EXPECT_EQ(w2->conflicts, 1);
  EXPECT_EQ(w2->conflicting, std::vector<size_t>{1});
  EXPECT_EQ(w2->fresh, 1);
  // [t0, t0 + 60) of T01: the minute and the real-time row of t0, ordered by CN.
  auto r = dust().readings({"T01"}, TimeSpan{t0, t0 + 60});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->at(0), rt);
  EXPECT_EQ(r->at(1), a);
  auto all = dust().readings({}, TimeSpan{t0, t0 + 120});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);  // B01 first, then T01 ×3
  EXPECT_EQ(all->at(0).point, "B01");
  EXPECT_EQ(all->at(3).tsp, "790");  // the stored value kept
  EXPECT_EQ(dust().write_readings({})->fresh, 0);
}

// The demo city's points (demo/dust_demo.h): 65 = 16 online devices × 69 / 17 (seed 004), rounded; one
// boundary point per demo enterprise (12), then construction and road points (every fourth of the 53 others a
// road: 13 roads, 40 sites); all import cleanly, MNs from sim_mn(100).
TEST_P(DustStoreTest, TheDemoCitysPointsImportCleanly) {
  auto r = import_dust_points(
      dust(),
      write("dust_points.csv", demo::dust_points_csv(demo::kDemoDustPoints, demo::kDemoDustFirstDevice)));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->issues.empty()) << wheres(*r).at(0);
  auto points = dust().points();
  ASSERT_EQ(points->size(), 65u);
  int boundary = 0, road = 0, site = 0;
  for (const DustPointRow& p : *points) {
    boundary += p.type == "boundary";
    road += p.type == "road";
    site += p.type == "construction";
  }
  EXPECT_EQ(boundary, 12);
  EXPECT_EQ(road, 13);
  EXPECT_EQ(site, 40);
  EXPECT_EQ(points->at(0).id, "T001");
  EXPECT_EQ(points->at(0).owner, "E01");
  EXPECT_EQ(points->at(0).mn, sim_mn(100));
}

INSTANTIATE_TEST_SUITE_P(Backends, DustStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
