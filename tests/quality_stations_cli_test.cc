// `ecomon stations register --type water|noise`, `ecomon water hourly` and `ecomon noise hourly` as a user
// runs them (issue 19): bad input refused with exit 2 naming the field and nothing stored, the station
// listed, and the hours a station's uploads left in the store (written here through the store interface, as
// the gateway's feed writes them) judged: GB 3838 classes per item and the hour's, as JSON and CSV.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ecomon::testing::CommandResult ecomon(const std::string& args) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, true);
}

class QualityStationsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecomon_qs_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = "--db '" + (dir_ / "q.db").string() + "'";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string db_;
};

TEST_F(QualityStationsCli, RegisterListAndReadAWaterStationsHours) {
  const std::string reg =
      db_ + " stations register --code W001 --city 晋城 --type water --mn W21000000000000000000001";
  auto r = ecomon(reg + " --county 泽州县");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "error: station W001: the water section it stands for (--site) is empty\n");
  r = ecomon(reg + " --site 赵庄");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "error: station W001: the county is empty\n");
  r = ecomon(reg + " --site 赵庄 --county 泽州县 --assessment yes");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "error: station W001: the assessment flag is for air stations, not water stations\n");
  r = ecomon(db_ + " stations list --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(json::parse(r.out), json::array());  // nothing stored by the refusals
  r = ecomon(reg + " --site 赵庄 --county 泽州县");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "registered station W001 (water 赵庄, MN W21000000000000000000001)\n");
  r = ecomon(db_ + " stations list --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(json::parse(r.out), json::parse(R"([{"code": "W001", "name": "", "city": "晋城", "type": "water",
      "site": "赵庄", "county": "泽州县", "mn": "W21000000000000000000001"}])"));

  // The hour ending 2026-01-10 10:00 as the gateway stores it: pH 7.62 (Ⅰ), NH3-N 0.512 (Ⅲ: > 0.5, <= 1.0),
  // TP 0.21 (the section unknown to the registry: a river, Ⅳ: > 0.2, <= 0.3) -> the hour Ⅳ.
  {
    auto stores = ecomon::open_sqlite_stores((dir_ / "q.db").string()).value();
    const ecomon::Hour h = ecomon::Hour::ending(*ecomon::CivilDay::parse("2026-01-10"), 10);
    ASSERT_TRUE(stores->quality_stations()
                    .write_hours(
                        {{"W001", h, "pH", "7.62"}, {"W001", h, "NH3_N", "0.512"}, {"W001", h, "TP", "0.21"}})
                    .ok());
  }
  r = ecomon(db_ + " water hourly --station W001 --from 2026-01-10 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["from"], "2026-01-10 01:00");
  EXPECT_EQ(j["to"], "2026-01-10 24:00");
  EXPECT_EQ(j["body"], "river");
  EXPECT_EQ(j["section_known"], false);
  ASSERT_EQ(j["hours"].size(), 1u);
  EXPECT_EQ(j["hours"][0], json::parse(R"({"hour": "2026-01-10 10:00", "class": "Ⅳ", "status": "轻度污染",
      "determining": ["TP"], "items": [
      {"item": "pH", "name": "pH值", "unit": "无量纲", "value": "7.62", "class": "Ⅰ", "evaluated": true},
      {"item": "NH3_N", "name": "氨氮", "unit": "mg/L", "value": "0.512", "class": "Ⅲ", "evaluated": true},
      {"item": "TP", "name": "总磷", "unit": "mg/L", "value": "0.21", "class": "Ⅳ", "evaluated": true}]})"));
  r = ecomon(db_ + " water hourly --station W001 --from \"2026-01-10 10:00\" --format csv");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2026-01-10 10:00,氨氮,0.512,mg/L,Ⅲ,是,Ⅳ\n"), std::string::npos) << r.out;

  r = ecomon(db_ + " water hourly --station W001 --from \"2026-01-10 25:00\"");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("error: --from: '2026-01-10 25:00' is not an hour named by its end"),
            std::string::npos)
      << r.out;
  r = ecomon(db_ + " noise hourly --station W001 --from 2026-01-10");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "error: station W001 is a water station, not a noise station\n");
}

}  // namespace
