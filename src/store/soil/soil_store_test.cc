// Soil CSV templates into the store: good rows kept in mg/kg, every bad row at file:line [column] (text that
// is not UTF-8 included), stored values never overwritten, the same file twice changes nothing, registries
// replaced.
#include "app/soil.h"
#include "ingest/soil_csv.h"
#include "store/test_store_backends.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.h"

namespace ecomon {
namespace {

// The stores opened on one file, with the importer's entry points (ingest/soil_csv.h) and the soil reads.
class TestSoilStore {
 public:
  explicit TestSoilStore(Stores& stores) : stores_(&stores) {}
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
  Stores* stores_;
};

// On every backend (store/test_store_backends.h).
class SoilStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = std::make_unique<TestSoilStore>(ts_->stores());
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream((dir_.path() / name).string(), std::ios::binary) << text;
    return (dir_.path() / name).string();
  }
  std::vector<std::string> wheres(const ImportReport& r) {
    std::vector<std::string> out;
    for (const ImportIssue& i : r.issues) out.push_back(i.kind + " " + i.where());
    return out;
  }
  testing::TempDir dir_{"soil_store"};
  std::unique_ptr<TestStores> ts_;
  std::unique_ptr<TestSoilStore> store_;
};

constexpr const char* kSamples =
    "point,county,land_use,ph,item,value,unit\n"
    "TR-01,城区,水田,6.2,镉,0.45,mg/kg\n"                            // line 2: good
    "TR-01,城区,水田,6.2,Pb,60000,ug/kg\n"                           // 3: 60000 µg/kg = 60 mg/kg
    "TR-01,城区,水田,6.2,Cu,0.5L,mg/kg\n"                            // 4: 未检出, limit 0.5
    "TR-02,城区,旱地,,Cd,0.2,mg/kg\n"                                // 5: farmland without pH
    "TR-03,城区,林地,6.0,Cd,0.2,mg/kg\n"                             // 6: not a land use
    "TR-04,城区,旱地,6.0,铬（六价）,1,mg/kg\n"                       // 7: a GB 36600 item on farmland
    "TR-05,城区,旱地,6.0,Cd,abc,mg/kg\n"                             // 8: not a number
    "TR-06,城区,旱地,6.0,Cd,0.2,mg/L\n"                              // 9: not a soil unit
    "TR-01,城区,水田,6.3,Hg,0.1,mg/kg\n"                             // 10: TR-01 was pH 6.2 at line 2
    "TR-01,城区,水田,6.2,Cd,0.46,mg/kg\n"                            // 11: Cd again in this file
    "TR-07,城\xff区,旱地,6.0,Cd,0.2,mg/kg\n"                         // 12: county not UTF-8
    "TR-08,城区,旱地,15,Cd,0.2,mg/kg\n"                              // 13: pH above 14
    "TR-09,城区,旱地,6.0,Cd,0.2\n"                                   // 14: six cells
    "JS-01,城区,第二类用地,,苯,41,mg/kg\n"                           // 15: development land, pH optional
    "JS-02,城区,用途不明确,7.1,二噁英类(总毒性当量),12,ng TEQ/kg\n"  // 16: 12 ng = 0.000012 mg
    "JS-03,城区,class1,,苯,0.0000001,ng/kg\n";  // 17: 10^-13 mg/kg: more than 9 decimals, refused

TEST_P(SoilStoreTest, SamplesGoodRowsKeptBadRowsReported) {
  auto r = store_->import_file(SoilTemplate::kSamples, write("soil_samples.csv", kSamples));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows, 16);
  EXPECT_EQ(r->rows_rejected, 11);
  EXPECT_EQ(r->values, 5);
  EXPECT_EQ(r->merge.values_new, 5);
  std::vector<std::string> expected = {
      "missing_ph soil_samples.csv:5 [ph]",     "bad_land_use soil_samples.csv:6 [land_use]",
      "unknown_item soil_samples.csv:7 [item]", "bad_number soil_samples.csv:8 [value]",
      "bad_unit soil_samples.csv:9 [unit]",     "conflict soil_samples.csv:10 [ph]",
      "duplicate soil_samples.csv:11 [item]",   "bad_utf8 soil_samples.csv:12 [county]",
      "bad_ph soil_samples.csv:13 [ph]",        "bad_row soil_samples.csv:14",
      "bad_number soil_samples.csv:17 [value]",
  };
  EXPECT_EQ(wheres(*r), expected);
  EXPECT_NE(r->issues[7].message.find("0xFF"), std::string::npos) << r->issues[7].message;

  auto points = store_->points("");
  ASSERT_TRUE(points.ok());
  ASSERT_EQ(points->size(), 3u);
  const soil::SoilPoint& js2 = (*points)[1];
  EXPECT_EQ(js2.id, "JS-02");
  EXPECT_EQ(js2.land_use, "unclear");
  EXPECT_EQ(js2.values.at(0).item, "二噁英类(总毒性当量)");
  EXPECT_EQ(js2.values.at(0).value, "0.000012");
  const soil::SoilPoint& tr1 = (*points)[2];
  EXPECT_EQ(tr1.id, "TR-01");
  EXPECT_EQ(tr1.land_use, "paddy");
  EXPECT_EQ(tr1.ph, "6.2");
  ASSERT_EQ(tr1.values.size(), 3u);
  EXPECT_EQ(tr1.values[0].item, "Cd");
  EXPECT_EQ(tr1.values[1].value, "60");
  EXPECT_TRUE(tr1.values[2].not_detected);
  EXPECT_EQ(tr1.values[2].value, "0.5");
  // The stored point judged: 水田 pH 6.2: Cd 0.4 < 0.45 ≤ 2.0 → 安全利用类.
  auto a = soil::assess_point(tr1, soil::FarmParams{}, soil::DevParams{});
  ASSERT_TRUE(a.farm.has_value());
  EXPECT_EQ(a.farm->category, soil::FarmCategory::kSafeUse);
}

TEST_P(SoilStoreTest, SameFileTwiceChangesNothingAndStoredValuesAreKept) {
  std::string path = write("soil_samples.csv", kSamples);
  ASSERT_TRUE(store_->import_file(SoilTemplate::kSamples, path).ok());
  auto before = store_->points("");
  auto again = store_->import_path(path);  // by its header
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->merge.values_new, 0);
  EXPECT_EQ(again->merge.values_same, 5);
  EXPECT_EQ(again->merge.values_conflicting, 0);
  auto after = store_->points("");
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < after->size(); ++i) EXPECT_EQ((*before)[i].values.size(), (*after)[i].values.size());
  // Another value for a stored point and item: reported, the stored one kept; another pH: the row is refused.
  auto changed =
      store_->import_file(SoilTemplate::kSamples, write("fix.csv",
                                                        "point,county,land_use,ph,item,value,unit\n"
                                                        "TR-01,城区,水田,7.0,Zn,100,mg/kg\n"
                                                        "JS-01,城区,第二类用地,,苯,42,mg/kg\n"));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->merge.values_conflicting, 1);
  EXPECT_EQ(changed->rows_rejected, 1);
  EXPECT_EQ(wheres(*changed),
            (std::vector<std::string>{"conflict fix.csv:2 [ph]", "conflict fix.csv:3 [value]"}));
  EXPECT_EQ(store_->points("城区")->front().values[0].value, "41");
  EXPECT_EQ(store_->points("城区")->back().values.size(), 3u);  // no Zn added to TR-01
}

TEST_P(SoilStoreTest, PlotsAndParcels) {
  auto r = store_->import_path(write("soil_plots.csv",
                                     "plot,name,county,planned_use,area_m2,status,redeveloped\n"
                                     "DK-01,原焦化厂,城区,第一类用地,20000,安全利用,是\n"
                                     "DK-02,原化肥厂,城区,class2,15000,remediated,yes\n"
                                     "DK-03,原电镀厂,泽州县,class2,8000,under_control,no\n"
                                     "DK-04,农田,泽州县,水田,100,suspected,no\n"  // 5: farmland is not a plot
                                     "DK-05,某厂,泽州县,class2,0,suspected,no\n"  // 6: area 0
                                     "DK-06,某厂,泽州县,class2,10,待定,no\n"      // 7: unknown status
                                     "DK-07,某厂,泽州县,class2,10,suspected,maybe\n"));  // 8: not yes/no
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(wheres(*r),
            (std::vector<std::string>{
                "bad_land_use soil_plots.csv:5 [planned_use]", "bad_number soil_plots.csv:6 [area_m2]",
                "bad_status soil_plots.csv:7 [status]", "bad_flag soil_plots.csv:8 [redeveloped]"}));
  auto plots = store_->plots("");
  ASSERT_EQ(plots->size(), 3u);
  EXPECT_EQ((*plots)[0].status, "safely_used");
  // A plot's stage moves on: the registry row is replaced.
  ASSERT_TRUE(store_
                  ->import_path(write("soil_plots.csv",
                                      "plot,name,county,planned_use,area_m2,status,redeveloped\n"
                                      "DK-03,原电镀厂,泽州县,class2,8000,remediated,yes\n"))
                  .ok());
  auto rate = soil::plot_safe_use_rate(app::to_plots(*store_->plots("")), soil::PlotRateParams{});
  // 20000 + 15000 + 8000 re-developed, all meeting: 100 %.
  EXPECT_EQ(rate.shown->to_string(), "100.0");

  auto p = store_->import_path(write("soil_parcels.csv",
                                     "parcel,county,area_mu,category,light,measures,produce\n"
                                     "TB-01,城区,120,安全利用类,no,yes,达标\n"
                                     "TB-02,城区,30,safe_use,no,yes,fail\n"
                                     "TB-03,城区,50,strict,no,yes,\n"
                                     "TB-04,城区,10,优先,no,yes,\n"));  // 5: not a category
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(wheres(*p), (std::vector<std::string>{"bad_category soil_parcels.csv:5 [category]"}));
  // (120 + 50) / (120 + 30 + 50) = 85.0 %.
  auto farm = soil::farmland_safe_use_rate(app::to_parcels(*store_->parcels("")), soil::FarmRateParams{});
  EXPECT_EQ(farm.shown->to_string(), "85.0");
}

TEST_P(SoilStoreTest, LayoutAndDirectory) {
  auto bad = store_->import_file(SoilTemplate::kSamples, write("x.csv", "point,county\nA,B\n"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->files_rejected, 1);
  EXPECT_FALSE(store_->import_path(write("y.csv", "a,b,c\n")).ok());  // no template's header
  EXPECT_FALSE(store_->import_path((dir_.path() / "missing.csv").string()).ok());
  std::filesystem::create_directories(dir_.path() / "d");
  write("d/soil_samples.csv", kSamples);
  write("d/soil_plots.csv",
        "plot,name,county,planned_use,area_m2,status,redeveloped\nDK-01,厂,城区,class1,1,suspected,no\n");
  auto all = store_->import_path((dir_.path() / "d").string());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->files, 2);
  EXPECT_EQ(all->values, 6);
  EXPECT_FALSE(store_->import_path((dir_.path() / "empty").string()).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, SoilStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
