// The demo city's soil data: byte-identical for a seed, every row imported, the deliberate cases judged as
// meant.
#include "demo/soil_demo.h"

#include <gtest/gtest.h>

#include "ingest/soil_csv.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon::demo {
namespace {

// The stores opened on one file, with the importer's entry points (ingest/soil_csv.h) and the soil reads.
class TestSoilStore {
 public:
  static StatusOr<std::unique_ptr<TestSoilStore>> open(const std::string& path) {
    auto s = open_sqlite_stores(path);
    if (!s.ok()) return s.status();
    auto t = std::make_unique<TestSoilStore>();
    t->stores_ = std::move(*s);
    return t;
  }
  StatusOr<ImportReport> import_file(SoilTemplate t, const std::string& path) {
    return import_soil_file(stores_->soil(), t, path);
  }
  StatusOr<ImportReport> import_path(const std::string& path) {
    return import_soil_path(stores_->soil(), path);
  }
  StatusOr<std::vector<soil::SoilPoint>> points(const std::string& c) { return stores_->soil().points(c); }
  StatusOr<std::vector<SoilPlotRow>> plots(const std::string& c) { return stores_->soil().plots(c); }
  StatusOr<std::vector<SoilParcelRow>> parcels(const std::string& c) { return stores_->soil().parcels(c); }

 private:
  std::unique_ptr<Stores> stores_;
};

TEST(SoilDemo, DeterministicAndImportedWhole) {
  testing::TempDir a("soil_demo_a"), b("soil_demo_b");
  auto ia = write_soil_demo(20240101, a.path());
  auto ib = write_soil_demo(20240101, b.path());
  ASSERT_TRUE(ia.ok() && ib.ok());
  for (const char* f : {"soil_samples.csv", "soil_plots.csv", "soil_parcels.csv"}) {
    EXPECT_EQ(testing::read_all(a.path() / f), testing::read_all(b.path() / f)) << f;
  }
  EXPECT_EQ(ia->farm_points, 60);
  EXPECT_EQ(ia->dev_points, 7);
  EXPECT_EQ(ia->plots, 8);
  EXPECT_EQ(ia->parcels, 36);

  auto store = TestSoilStore::open((a.path() / "store.db").string());
  ASSERT_TRUE(store.ok());
  auto r = (*store)->import_path(a.path().string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->issue_total(), 0) << r->summary();
  EXPECT_EQ(r->values, ia->sample_rows + ia->plots + ia->parcels);

  auto points = (*store)->points("");
  ASSERT_TRUE(points.ok());
  ASSERT_EQ(points->size(), 67u);
  int strict = 0, safe_use = 0, judged = 0;
  for (const soil::SoilPoint& p : *points) {
    auto x = soil::assess_point(p, soil::FarmParams{}, soil::DevParams{});
    EXPECT_TRUE(x.error.ok()) << p.id << ": " << x.error.message();
    if (x.farm || x.dev) ++judged;
    if (x.farm && x.farm->category == soil::FarmCategory::kStrictControl) ++strict;
    if (x.farm && x.farm->category == soil::FarmCategory::kSafeUse) ++safe_use;
    // The deliberate cases, 旱地 pH 8.10 (其他, pH>7.5): As 112 > control 100 → 严格管控类; Cd 0.82, 0.71,
    // 0.68 > screening 0.6, ≤ control 4.0 → 安全利用类 (unless another metal is worse).
    if (p.id == "TR-408") {
      EXPECT_EQ(x.farm->category, soil::FarmCategory::kStrictControl);
    }
    if (p.id == "TR-402" || p.id == "TR-405" || p.id == "TR-607") {
      EXPECT_NE(x.farm->category, soil::FarmCategory::kPriorityProtection) << p.id;
      EXPECT_EQ(x.farm->items[0].risk, soil::FarmRisk::kSafeUse) << p.id;
    }
  }
  EXPECT_EQ(judged, 67);
  EXPECT_GE(strict, 1);
  EXPECT_GE(safe_use, 3);
}

}  // namespace
}  // namespace ecomon::demo
