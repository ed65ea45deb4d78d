// `ecomon audit ...` end to end (issue 19): a two-station city imported from files in the centre's layout,
// one hour invalidated and restored with the daily figures checked against the working below, `--data
// realtime` unchanged throughout, a county user refused with nothing stored, the trail and the audit log, a
// republished file recorded once as a version with its file, a closed month refusing changes and gap fills
// until reopened.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::CommandResult;
using nlohmann::json;

// 测试市 on 2019-01-10, PM2.5 only (HJ 633-2012):
//   T001A 40 every hour, 88 in the hour ending 01:00 -> (23 x 40 + 88) / 24 = 42
//   T002A 50 every hour                             -> 50
//   city (42 + 50) / 2 = 46, IAQI 50 + (46 - 35) x 50 / 40 = 63.75 -> 64
// Hour h of the file dated D is the hour ending D h:00; hour 0 is the previous day's 24:00, so the day's 24th
// hour is in the next day's file.
std::string day_file(const std::string& date, int first_hour, int last_hour, int t1_first, int t2_value,
                     int t2_hour5 = 50) {
  std::string s = "date,hour,type,T001A,T002A\n";
  for (int h = first_hour; h <= last_hour; ++h) {
    const int a = h == 1 ? t1_first : 40;
    const int b = h == 5 ? t2_hour5 : t2_value;
    s += date + "," + std::to_string(h) + ",PM2.5," + std::to_string(a) + "," + std::to_string(b) + "\n";
  }
  return s;
}

class AuditCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write(dir.path() / "sites.csv",
          "监测点编码,监测点名称,城市,经度,纬度,对照点\nT001A,甲站,测试市,112.1,35.1,N\nT002A,乙站,测试市,"
          "112.2,35.2,N\n");
    fs::create_directories(dir.path() / "a");
    write(dir.path() / "a/china_sites_20190110.csv", day_file("20190110", 1, 23, 88, 50));
    write(dir.path() / "a/china_sites_20190111.csv", day_file("20190111", 0, 0, 40, 50));
    db = "--db " + (dir.path() / "t.db").string();
    CommandResult r = run("import cnemc " + (dir.path() / "a").string() + " --stations " +
                          (dir.path() / "sites.csv").string());
    ASSERT_EQ(r.code, 0) << r.out;
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  CommandResult run(const std::string& args) {
    return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + db + " " + args, true);
  }
  // The city's PM2.5 daily mean and AQI on 2019-01-10 in a view.
  std::pair<int, int> day(const std::string& data = "audited") {
    CommandResult r = ecomon::testing::run_command(
        std::string(ECOMON_BIN) + " " + db +
            " air daily --city 测试市 --date 2019-01-10 --format json --data " + data,
        false);
    EXPECT_EQ(r.code, 0) << r.out;
    json j = json::parse(r.out);
    const json& d = j["days"][0];
    return {d["concentrations"]["PM2.5"].get<int>(), d["aqi"].get<int>()};
  }
  int versions() {
    CommandResult r =
        ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + db +
                                         " audit history --station T001A --from \"2019-01-01 01:00\" "
                                         "--to \"2019-02-01 00:00\" --format json",
                                     false);
    EXPECT_EQ(r.code, 0) << r.out;
    int n = 0;
    const json j = json::parse(r.out);  // kept: a range-for over a temporary's member would read freed memory
    for (const json& h : j["hours"]) n += static_cast<int>(h["versions"].size());
    return n;
  }
  ecomon::testing::TempDir dir{"audit_cli"};
  std::string db;
};

TEST_F(AuditCli, InvalidateThenRestoreMovesTheDayAsWorkedOut) {
  EXPECT_EQ(day(), (std::pair<int, int>{46, 64}));
  CommandResult inv =
      run("audit invalidate --station T001A --from \"2019-01-10 01:00\" --pollutant PM2.5 --reason "
          "instrument-fault "
          "--note \"纸带断裂\"");
  ASSERT_EQ(inv.code, 0) << inv.out;
  EXPECT_NE(inv.out.find("1 versions recorded, 0 hours unchanged"), std::string::npos) << inv.out;
  // T001A = 23 x 40 / 23 = 40; city (40 + 50) / 2 = 45; IAQI 50 + 10 x 1.25 = 62.5 -> 63.
  EXPECT_EQ(day(), (std::pair<int, int>{45, 63}));
  EXPECT_EQ(day("realtime"), (std::pair<int, int>{46, 64}));
  // The hourly report of the station: the hour has no value in the audited view, 88 in the real-time one.
  for (const std::string data : {"audited", "realtime"}) {
    CommandResult h =
        run("air hourly --city 测试市 --station T001A --date 2019-01-10 --format json --data " + data);
    ASSERT_EQ(h.code, 0) << h.out;
    const json first = json::parse(h.out)["hours"][0];
    EXPECT_EQ(first["concentrations"].contains("PM2.5") ? first["concentrations"]["PM2.5"] : json(nullptr),
              data == "audited" ? json(nullptr) : json(88))
        << first.dump();
  }
  CommandResult back =
      run("audit restore --station T001A --from \"2019-01-10 01:00\" --to \"2019-01-10 01:00\" "
          "--pollutant PM2.5 --note 复核有效 --format json");
  ASSERT_EQ(back.code, 0) << back.out;
  EXPECT_EQ(json::parse(back.out.substr(back.out.find('{')))["recorded"][0]["version"], 2);
  EXPECT_EQ(day(), (std::pair<int, int>{46, 64}));
  EXPECT_EQ(day("realtime"), (std::pair<int, int>{46, 64}));
  // The trail: both versions, old and new, who and why.
  CommandResult hist = run("audit history --station T001A --from \"2019-01-10 01:00\" --format json");
  ASSERT_EQ(hist.code, 0) << hist.out;
  const json hours = json::parse(hist.out.substr(hist.out.find('{')))["hours"];
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0]["realtime"], 88);
  EXPECT_EQ(hours[0]["audited"], 88);
  EXPECT_EQ(hours[0]["state"], "audited");
  ASSERT_EQ(hours[0]["versions"].size(), 2u);
  EXPECT_EQ(hours[0]["versions"][0]["action"], "invalidate");
  EXPECT_EQ(hours[0]["versions"][0]["old"], 88);
  EXPECT_EQ(hours[0]["versions"][0]["new"], nullptr);
  EXPECT_EQ(hours[0]["versions"][0]["reason"], "instrument-fault");
  EXPECT_EQ(hours[0]["versions"][0]["note"], "纸带断裂");
  EXPECT_EQ(hours[0]["versions"][0]["who"], "cli");
  EXPECT_EQ(hours[0]["versions"][1]["action"], "restore");
  EXPECT_EQ(hours[0]["versions"][1]["old"], nullptr);
  EXPECT_EQ(hours[0]["versions"][1]["new"], "realtime");
  // The audit log has both writes.
  CommandResult log = run("users audit --format json");
  EXPECT_NE(log.out.find("audit.invalidate"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("audit.restore"), std::string::npos) << log.out;
}

TEST_F(AuditCli, ACountyUserIsRefusedAnotherCountysStationAndNothingIsStored) {
  ASSERT_EQ(run("users add wang --role county --county 泽州县 --password long-password").code, 0);
  ASSERT_EQ(run("users add zhao --role county --county 城区 --password long-password").code, 0);
  ASSERT_EQ(run("audit assign --station T001A --county 城区").code, 0);
  EXPECT_EQ(run("audit assign --station T001A --county 泽州县 --as wang").code, 2);  // bureau only
  const std::string change =
      "audit invalidate --station T001A --from \"2019-01-10 01:00\" --reason power-cut --note 停电";
  CommandResult refused = run(change + " --as wang");
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("may not audit station T001A (of 城区)"), std::string::npos) << refused.out;
  EXPECT_EQ(versions(), 0);
  EXPECT_EQ(day(), (std::pair<int, int>{46, 64}));
  CommandResult log = run("users audit --format json");
  EXPECT_NE(log.out.find("\"denied\""), std::string::npos) << log.out;
  // The county's own user may: all six pollutants of the hour (only PM2.5 has a value).
  CommandResult own = run(change + " --as zhao");
  EXPECT_EQ(own.code, 0) << own.out;
  EXPECT_EQ(versions(), 6);
  EXPECT_EQ(day(), (std::pair<int, int>{45, 63}));
}

TEST_F(AuditCli, ARepublishedFileIsRecordedOnceWithItsSource) {
  // The centre republishes 2019-01-10 with T002A's hour 5 at 98: T002A = (23 x 50 + 98) / 24 = 1248 / 24 =
  // 52; city (42 + 52) / 2 = 47; IAQI 50 + 12 x 1.25 = 65.
  fs::create_directories(dir.path() / "b");
  write(dir.path() / "b/china_sites_20190110.csv", day_file("20190110", 1, 23, 88, 50, 98));
  for (int round = 0; round < 2; ++round) {
    CommandResult r = run("import cnemc " + (dir.path() / "b").string() + " --format json");
    ASSERT_EQ(r.code, 0) << r.out;  // not a conflict
    const json j = json::parse(r.out.substr(r.out.find('{')));
    EXPECT_EQ(j["values_republished"], round == 0 ? 1 : 0) << r.out;
    EXPECT_EQ(j["values_republished_before"], round == 0 ? 0 : 1) << r.out;
    EXPECT_EQ(j["store"]["values_conflicting"], 0) << r.out;
    EXPECT_EQ(day(), (std::pair<int, int>{47, 65}));
    EXPECT_EQ(day("realtime"), (std::pair<int, int>{46, 64}));
  }
  CommandResult hist = run("audit history --station T002A --from \"2019-01-10 05:00\" --format json");
  const json hours = json::parse(hist.out.substr(hist.out.find('{')))["hours"];
  ASSERT_EQ(hours.size(), 1u);
  ASSERT_EQ(hours[0]["versions"].size(), 1u);
  EXPECT_EQ(hours[0]["versions"][0]["action"], "republish");
  EXPECT_EQ(hours[0]["versions"][0]["old"], 50);
  EXPECT_EQ(hours[0]["versions"][0]["new"], 98);
  EXPECT_EQ(hours[0]["versions"][0]["source"], "china_sites_20190110.csv");
  EXPECT_EQ(hours[0]["versions"][0]["reason"], "republished");
}

TEST_F(AuditCli, AClosedMonthDoesNotMoveWithoutARecordedReopening) {
  ASSERT_EQ(run("audit close --month 2019-01 --reason 月度审核完成").code, 0);
  EXPECT_EQ(run("audit close --month 2019-01").code, 2);  // closed already
  CommandResult refused =
      run("audit invalidate --station T001A --from \"2019-01-10 01:00\" --reason calibration --note 校准");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.out.find("month 2019-01 is closed"), std::string::npos) << refused.out;
  // A late file filling a gap (SO2 was never imported) and a republished value: both refused, exit 1.
  fs::create_directories(dir.path() / "c");
  write(dir.path() / "c/china_sites_20190110.csv",
        day_file("20190110", 1, 23, 88, 50, 98) + "20190110,3,SO2,9,8\n");
  CommandResult late = run("import cnemc " + (dir.path() / "c").string() + " --format json");
  EXPECT_EQ(late.code, 1) << late.out;
  const json j = json::parse(late.out.substr(late.out.find('{')));
  EXPECT_EQ(j["values_closed_month"], 2);
  EXPECT_EQ(j["values_republished"], 0);
  EXPECT_EQ(j["store"]["values_conflicting"], 1);
  EXPECT_EQ(day(), (std::pair<int, int>{46, 64}));
  EXPECT_EQ(run("audit reopen --month 2019-01").code, 2) << "a reason is required";
  ASSERT_EQ(run("audit reopen --month 2019-01 --reason 省站复核").code, 0);
  EXPECT_EQ(run("audit invalidate --station T001A --from \"2019-01-10 01:00\" --pollutant PM2.5 --reason "
                "calibration")
                .code,
            0);
  EXPECT_EQ(day(), (std::pair<int, int>{45, 63}));
  CommandResult months = run("audit months --year 2019 --format json");
  const json closings = json::parse(months.out.substr(months.out.find('{')))["closings"];
  ASSERT_EQ(closings.size(), 2u);
  EXPECT_EQ(closings[0]["action"], "close");
  EXPECT_EQ(closings[1]["action"], "reopen");
  EXPECT_EQ(closings[1]["reason"], "省站复核");
}

TEST_F(AuditCli, BadArgumentsAreNamed) {
  CommandResult h = run("audit invalidate --station T001A --from \"2019-01-10 1:00\" --reason other");
  EXPECT_EQ(h.code, 2);
  EXPECT_NE(h.out.find("--from: '2019-01-10 1:00' is not an hour named by its end"), std::string::npos)
      << h.out;
  CommandResult p =
      run("audit invalidate --station T001A --from \"2019-01-10 01:00\" --pollutant PM1 --reason other");
  EXPECT_EQ(p.code, 2);
  EXPECT_NE(p.out.find("--pollutant 'PM1'"), std::string::npos) << p.out;
  CommandResult v =
      run("audit correct --station T001A --from \"2019-01-10 01:00\" --value abc --reason other");
  EXPECT_EQ(v.code, 2);
  EXPECT_NE(v.out.find("--value 'abc'"), std::string::npos) << v.out;
  CommandResult d = run("air daily --city 测试市 --date 2019-01-10 --data old");
  EXPECT_NE(d.code, 0);
  EXPECT_EQ(versions(), 0);
}

}  // namespace
