// `ecomon soil import|assess|plots` as a user runs them: the templates imported with bad rows reported at
// file:line [column] (text that is not UTF-8 included), the same files twice changing nothing, the points
// judged (GB 15618 categories, GB 36600 risks), the counts per county and both safe-use rates, exit codes
// (docs/soil.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using CmdResult = ecomon::testing::CommandResult;

CmdResult ecomon(const std::string& args, bool with_stderr = false) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, with_stderr);
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Worked out in the comments from GB 15618 Tables 1 and 3 and GB 36600 Table 1
// (tests/cases/soil_judgement.csv has the edges).
constexpr const char* kSamples =
    "point,county,land_use,ph,item,value,unit\n"
    "A-01,城区,水田,6.2,Cd,0.45,mg/kg\n"   // 水田 5.5<pH≤6.5: Cd 0.4 < 0.45 ≤ 2.0 → 安全利用类
    "A-01,城区,水田,6.2,Pb,60,mg/kg\n"     // Pb 60 ≤ 100
    "A-02,城区,旱地,8.0,As,110,mg/kg\n"    // 其他 pH>7.5: As 110 > control 100 → 严格管控类
    "B-01,阳城县,果园,7.0,Cu,190,mg/kg\n"  // Cu 果园 6.5<pH≤7.5: 190 ≤ 200 → 优先保护类
    "B-02,阳城县,旱地,6.5,Cd,300,ug/kg\n"  // 300 µg/kg = 0.3 ≤ 其他 0.3 (pH 6.5 in 5.5<pH≤6.5) → 优先保护类
    "D-01,阳城县,第二类用地,,苯,41,mg/kg\n"     // class 2: 苯 41 > control 40 → 需风险管控或修复
    "D-02,阳城县,用途不明确,,砷,21,mg/kg\n"     // unclear → class 1: As 20 < 21 ≤ 120 → 需详细调查
    "B-03,阳城县,旱地,,Cd,0.1,mg/kg\n"          // line 9: farmland without pH
    "B-04,阳\xff城县,旱地,6.0,Cd,0.1,mg/kg\n";  // line 10: not UTF-8

constexpr const char* kPlots =
    "plot,name,county,planned_use,area_m2,status,redeveloped\n"
    "DK-01,原焦化厂,城区,第一类用地,20000,安全利用,是\n"
    "DK-02,原化肥厂,城区,第二类用地,15000,已修复,是\n"
    "DK-03,原电镀厂,阳城县,第二类用地,8000,风险管控中,是\n"
    "DK-04,原农药厂,阳城县,第一类用地,5000,污染地块,否\n"
    "DK-05,原铸造厂,阳城县,第二类用地,2000,疑似污染地块,是\n";

constexpr const char* kParcels =
    "parcel,county,area_mu,category,light,measures,produce\n"
    "TB-01,城区,120,安全利用类,否,是,达标\n"
    "TB-02,城区,30,安全利用类,否,是,超标\n"
    "TB-03,阳城县,45,严格管控类,否,是,\n"
    "TB-04,阳城县,5,严格管控类,否,否,\n"
    "TB-05,阳城县,300,优先保护类,否,否,\n";

class SoilCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecomon_soil_cli_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    std::ofstream(dir_ / "in" / "soil_samples.csv", std::ios::binary) << kSamples;
    std::ofstream(dir_ / "in" / "soil_plots.csv", std::ios::binary) << kPlots;
    std::ofstream(dir_ / "in" / "soil_parcels.csv", std::ios::binary) << kParcels;
    db_ = "--db " + quoted(dir_ / "soil.db");
  }
  void TearDown() override { fs::remove_all(dir_); }
  json assess(const std::string& extra = "") {
    CmdResult r = ecomon(db_ + " soil assess --format json " + extra);
    EXPECT_EQ(r.code, 0) << r.out;
    return json::parse(r.out, nullptr, false);
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(SoilCli, ImportReportsBadRowsAndIsIdempotent) {
  CmdResult r = ecomon(db_ + " soil import " + quoted(dir_ / "in"));
  EXPECT_EQ(r.code, 1) << r.out;  // done, with rejected rows
  // 9 + 5 + 5 rows; 17 stored: 7 sample values (new), 5 plots, 5 parcels.
  EXPECT_NE(r.out.find("soil: 3 files, 19 rows, 17 stored (7 new values, 0 already stored, 0 conflicting"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("missing_ph: soil_samples.csv:9 [ph]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bad_utf8: soil_samples.csv:10 [county]: not UTF-8: byte 4 (0xFF)"), std::string::npos)
      << r.out;
  json before = assess();

  CmdResult again = ecomon(db_ + " soil import " + quoted(dir_ / "in"));
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.out.find("(0 new values, 7 already stored, 0 conflicting"), std::string::npos) << again.out;
  EXPECT_EQ(assess(), before);

  // One file by its header; a file that is no template, a missing path: exit 2, nothing stored.
  EXPECT_EQ(ecomon(db_ + " soil import " + quoted(dir_ / "in" / "soil_plots.csv")).code, 0);
  std::ofstream(dir_ / "other.csv") << "a,b\n1,2\n";
  CmdResult bad = ecomon(db_ + " soil import " + quoted(dir_ / "other.csv"), true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("other.csv:1: the header is none of the soil templates"), std::string::npos)
      << bad.out;
  EXPECT_EQ(ecomon(db_ + " soil import " + quoted(dir_ / "nothing")).code, 2);
  EXPECT_EQ(assess(), before);
}

TEST_F(SoilCli, AssessPointsCountsAndRates) {
  ASSERT_EQ(ecomon(db_ + " soil import " + quoted(dir_ / "in")).code, 1);
  json j = assess();
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["points"].size(), 6u);
  std::map<std::string, json> by;
  for (const json& p : j["points"]) by[p["point"].get<std::string>()] = p;
  EXPECT_EQ(by["A-01"]["farmland"]["category_name"], "安全利用类");
  EXPECT_EQ(by["A-01"]["farmland"]["ph_band"], "5.5<pH≤6.5");
  EXPECT_EQ(by["A-01"]["farmland"]["items"][0]["screening"], "0.4");
  EXPECT_EQ(by["A-01"]["farmland"]["items"][0]["control"], "2");
  EXPECT_EQ(by["A-01"]["farmland"]["items"][0]["index"],
            "1.12");  // Pi = 0.45 / 0.4 = 1.125 → 1.12 (half-even)
  EXPECT_EQ(by["A-02"]["farmland"]["category"], "strict");
  EXPECT_EQ(by["B-01"]["farmland"]["category"], "priority");
  EXPECT_EQ(by["B-02"]["farmland"]["items"][0]["value"], "0.3");
  EXPECT_EQ(by["B-02"]["farmland"]["category"], "priority");
  EXPECT_EQ(by["D-01"]["development"]["worst"], "control");
  EXPECT_EQ(by["D-01"]["development"]["class"], "class2");
  EXPECT_EQ(by["D-02"]["development"]["worst"], "investigate");
  EXPECT_EQ(by["D-02"]["development"]["class"], "class1");
  EXPECT_EQ(by["D-02"]["land_use_name"], "用途不明确");

  // Counts: 城区 2 farmland (安全利用 1, 严格管控 1); 阳城县 2 farmland (优先保护 2), 2 development; then the
  // total.
  const json& s = j["summary"];
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0]["county"], "城区");
  EXPECT_EQ(s[0]["safe_use"], 1);
  EXPECT_EQ(s[0]["strict"], 1);
  EXPECT_EQ(s[1]["priority"], 2);
  EXPECT_EQ(s[1]["investigate"], 1);
  EXPECT_EQ(s[1]["control"], 1);
  EXPECT_TRUE(s[2]["county"].is_null());
  EXPECT_EQ(s[2]["farmland_points"], 4);
  EXPECT_EQ(s[2]["development_points"], 2);

  // 受污染耕地安全利用率: E = 120 + 30 + 45 + 5 = 200; safe = 120 (measures, produce passing) + 45 (strict,
  // measures) = 165 → 82.5 %. 污染地块安全利用率: re-developed 20000 + 15000 + 8000 + 2000 = 45000, meeting
  // 35000 → 77.8 %.
  const json& farm = j["rates"]["farmland_safe_use"];
  EXPECT_EQ(farm["percent"], "82.5");
  EXPECT_EQ(farm["numerator"], "165");
  EXPECT_EQ(farm["denominator"], "200");
  EXPECT_EQ(farm["meets_target"], false);
  EXPECT_EQ(j["rates"]["plot_safe_use"]["percent"], "77.8");

  // 阳城县 alone: farmland 45 / 50 = 90.0 % (meets ≥ 90); plots 0 / 10000 = 0.0 %.
  json y = assess("--county 阳城县");
  EXPECT_EQ(y["county"], "阳城县");
  EXPECT_EQ(y["points"].size(), 4u);
  EXPECT_EQ(y["rates"]["farmland_safe_use"]["percent"], "90.0");
  EXPECT_EQ(y["rates"]["farmland_safe_use"]["meets_target"], true);
  EXPECT_EQ(y["rates"]["plot_safe_use"]["percent"], "0.0");

  CmdResult table = ecomon(db_ + " soil assess --county 城区");
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("受污染耕地安全利用率: 80.0% (120/150, 未达到 90%)"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("镉 0.45 (筛选值 0.4, 管制值 2)"), std::string::npos) << table.out;
  CmdResult csv = ecomon(db_ + " soil assess --format csv");
  EXPECT_EQ(csv.code, 0);
  EXPECT_EQ(csv.out.rfind("点位,区县,用地类型,pH,pH分档,判定,超筛选值项目\n", 0), 0u) << csv.out;
  EXPECT_EQ(ecomon(db_ + " soil assess --format xml").code, 2);
}

TEST_F(SoilCli, PlotRegistry) {
  ASSERT_EQ(ecomon(db_ + " soil import " + quoted(dir_ / "in" / "soil_plots.csv")).code, 0);
  CmdResult r = ecomon(db_ + " soil plots --format json");
  ASSERT_EQ(r.code, 0);
  json j = json::parse(r.out);
  ASSERT_EQ(j["plots"].size(), 5u);
  EXPECT_EQ(j["plots"][0]["status_name"], "安全利用");
  EXPECT_EQ(j["plots"][0]["meets_requirement"], true);
  EXPECT_EQ(j["plots"][2]["meets_requirement"], false);
  EXPECT_EQ(j["rate"]["percent"], "77.8");
  // DK-03 remediated: 43000 / 45000 = 95.555… → 95.6 %, meets 90.
  std::ofstream(dir_ / "update.csv") << "plot,name,county,planned_use,area_m2,status,redeveloped\n"
                                        "DK-03,原电镀厂,阳城县,第二类用地,8000,已修复,是\n";
  ASSERT_EQ(ecomon(db_ + " soil import " + quoted(dir_ / "update.csv")).code, 0);
  CmdResult t = ecomon(db_ + " soil plots");
  EXPECT_NE(t.out.find("污染地块安全利用率: 95.6% (43000/45000, 达到 90%)"), std::string::npos) << t.out;
}

}  // namespace
