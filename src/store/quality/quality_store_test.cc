// Import templates: good rows stored exactly, every bad row reported at file:line [column], references
// checked.
#include "ingest/quality_csv.h"
#include "store/quality/test_quality_store.h"
#include "store/test_store_backends.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace ecomon {
namespace {

// On every backend (store/test_store_backends.h).
class QualityStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ecomon-quality-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = TestQualityStore::over(ts_->stores());
  }
  void TearDown() override {
    store_.reset();
    ts_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream((dir_ / name).string()) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
  std::unique_ptr<TestStores> ts_;
  std::unique_ptr<TestQualityStore> store_;
};

TEST_P(QualityStoreTest, SectionsAndValues) {
  auto r =
      store_->import_file(QualityTemplate::kWaterSections, write("s.csv",
                                                                 "section,river,county,body,target,level\n"
                                                                 "赵庄,丹河,高平市,river,Ⅲ,国考\n"
                                                                 "张峰水库出口,沁河,沁水县,river,II类,国考\n"
                                                                 "无目标,丹河,城区,river,,市考\n"
                                                                 "坏水体,丹河,城区,sea,Ⅲ,市考\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->rows_rejected, 2);
  EXPECT_EQ(r->issue_counts.at("no_target"), 1);
  EXPECT_EQ(r->issue_counts.at("bad_body"), 1);
  EXPECT_EQ(r->issues[0].where(), "s.csv:4 [target]");
  auto sections = store_->water_sections();
  ASSERT_TRUE(sections.ok());
  ASSERT_EQ(sections->size(), 2u);
  EXPECT_EQ((*sections)[1].target, "Ⅱ");

  auto v = store_->import_file(QualityTemplate::kWaterValues,
                               write("v.csv",
                                     "section,month,item,value,unit\n"
                                     "赵庄,2025-01,氨氮,0.512,mg/L\n"
                                     "赵庄,2025-01,pH,7.8,\n"
                                     "赵庄,2025-01,叶绿素,3,mg/L\n"     // unknown item
                                     "赵庄,2025-01,COD,12,ug/L\n"       // unit does not fit
                                     "赵庄,2025-02,COD,-1,mg/L\n"       // negative
                                     "赵庄,2025-02,BOD5,abc,mg/L\n"     // not a number
                                     "某断面,2025-02,BOD5,2,mg/L\n"     // unknown section
                                     "赵庄,2025-13,BOD5,2,mg/L\n"       // bad month
                                     "赵庄,2025-01,氨氮,0.6,mg/L\n"));  // duplicate
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->rows, 9);
  EXPECT_EQ(v->values, 2);
  EXPECT_EQ(v->rows_rejected, 7);
  EXPECT_EQ(v->issue_counts.at("unknown_item"), 1);
  EXPECT_EQ(v->issue_counts.at("bad_unit"), 1);
  EXPECT_EQ(v->issue_counts.at("negative_value"), 1);
  EXPECT_EQ(v->issue_counts.at("bad_number"), 1);
  EXPECT_EQ(v->issue_counts.at("unknown_section"), 1);
  EXPECT_EQ(v->issue_counts.at("bad_date"), 1);
  EXPECT_EQ(v->issue_counts.at("duplicate"), 1);
  auto values = store_->water_values("2025-01", "2025-12");
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0].value, "0.512");  // exact text kept
}

TEST_P(QualityStoreTest, BadHeaderRejectsTheFile) {
  auto r =
      store_->import_file(QualityTemplate::kRainSamples, write("r.csv", "site,date,pH\nA,2025-01-01,5\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files_rejected, 1);
  EXPECT_EQ(r->issue_counts.at("bad_layout"), 1);
  EXPECT_FALSE(store_->import_file(QualityTemplate::kRainSamples, (dir_ / "absent.csv").string()).ok());
}

TEST_P(QualityStoreTest, WellsNoiseRainAndResults) {
  ASSERT_TRUE(
      store_->import_file(QualityTemplate::kWells, write("w.csv", "well,county,type\nJ1,城区,潜水\n")).ok());
  auto wv = store_->import_file(QualityTemplate::kWellValues,
                                write("wv.csv",
                                      "well,date,indicator,value,unit\n"
                                      "J1,2025-05-10,总硬度,451,mg/L\n"
                                      "J1,2025-05-10,砷,<0.001,mg/L\n"
                                      "J1,2025-05-10,嗅和味,无,\n"
                                      "J1,2025-05-10,苯,2,mg/L\n"));  // benzene is in ug/L
  ASSERT_TRUE(wv.ok());
  EXPECT_EQ(wv->values, 3);
  EXPECT_EQ(wv->issue_counts.at("bad_unit"), 1);
  auto values = store_->well_values("2025-01-01", "2025-12-31");
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 3u);
  EXPECT_TRUE((*values)[1].not_detected);

  ASSERT_TRUE(
      store_
          ->import_file(QualityTemplate::kNoisePoints,
                        write("np.csv", "point,kind,zone,length_km\nN1,zone,4a,\nR1,road,,2.5\nR2,road,,\n"))
          .ok());
  auto points = store_->noise_points();
  ASSERT_TRUE(points.ok());
  EXPECT_EQ(points->size(), 2u);  // R2 has no length
  auto rain = store_->import_file(
      QualityTemplate::kRainSamples,
      write("r.csv", "site,date,ph,rainfall_mm\nA,2025-06-01,5.12,10.5\nA,2025-06-02,15,3\n"));
  ASSERT_TRUE(rain.ok());
  EXPECT_EQ(rain->issue_counts.at("out_of_range"), 1);

  // The same file again changes nothing (q_result is no longer written: nothing read it).
  auto before = store_->rain_samples("2025-01-01", "2025-12-31");
  ASSERT_TRUE(before.ok());
  auto again = store_->import_file(
      QualityTemplate::kRainSamples,
      write("r.csv", "site,date,ph,rainfall_mm\nA,2025-06-01,5.12,10.5\nA,2025-06-02,15,3\n"));
  ASSERT_TRUE(again.ok());
  auto after = store_->rain_samples("2025-01-01", "2025-12-31");
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  EXPECT_EQ(after->front().ph, before->front().ph);
}

INSTANTIATE_TEST_SUITE_P(Backends, QualityStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
