// The `ecomon` command as a user runs it: the demo end to end, the documented JSON of an annual assessment
// (docs/air-json.md), what-if rules, the CSV and table forms, and clear errors for bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "testing/csv_cases.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;

using CmdResult = ecomon::testing::CommandResult;

// Runs ecomon with the given arguments (stderr folded into stdout when `with_stderr`).
CmdResult ecomon(const std::string& args, bool with_stderr = false) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, with_stderr);
}

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ecomon_cli_test_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    fs::create_directories(*dir);
    db = new std::string("--db " + (*dir / "demo.db").string());
    CmdResult r = ecomon(*db + " demo --out " + (*dir / "demo").string(), true);
    ASSERT_EQ(r.code, 0) << r.out;
    demo_output = new std::string(r.out);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
    delete db;
    delete demo_output;
  }
  static inline fs::path* dir = nullptr;
  static inline std::string* db = nullptr;
  static inline std::string* demo_output = nullptr;
};

TEST_F(Cli, DemoWritesAndImportsTwoYears) {
  EXPECT_NE(demo_output->find("演示市"), std::string::npos);
  EXPECT_NE(demo_output->find("rows_rejected") == std::string::npos ? demo_output->find("(0 rejected)") : 0,
            std::string::npos);
  // Importing the same files again changes nothing.
  CmdResult again = ecomon(*db + " import cnemc " + (*dir / "demo/cnemc").string() + " --format json");
  ASSERT_EQ(again.code, 0);
  auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["store"]["values_new"], 0);
  EXPECT_EQ(j["store"]["blocks_written"], 0);
  EXPECT_GT(j["store"]["values_same"].get<int64_t>(), 600000);
}

// `import cnemc` exit codes: 0 done (warnings allowed), 1 done with input rejected (a bad row, a file named
// for no day, text that is not UTF-8) or in conflict, 2 failed (nothing could be read); the report names each
// place.
TEST_F(Cli, ImportExitCodesSayWhatHappened) {
  const fs::path d = *dir / "exit_codes";
  const fs::path archive = d / "archive";
  fs::create_directories(archive);
  const std::string db_arg = "--db " + (d / "e.db").string();
  auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; };
  write(d / "sites.csv", "监测点编码,监测点名称,城市,经度,纬度,对照点\n1001A,甲站,测试市,112.1,35.1,N\n");
  write(archive / "china_sites_20190101.csv", "date,hour,type,1001A\n20190101,1,SO2,5\n");
  const std::string stations = " --stations " + (d / "sites.csv").string();

  CmdResult clean = ecomon(db_arg + " import cnemc " + archive.string() + stations, true);
  EXPECT_EQ(clean.code, 0) << clean.out;
  // A column not in the station list is a warning: still 0.
  write(archive / "china_sites_20190102.csv", "date,hour,type,1001A,9999A\n20190102,1,SO2,6,7\n");
  CmdResult warned = ecomon(db_arg + " import cnemc " + archive.string() + stations, true);
  EXPECT_EQ(warned.code, 0) << warned.out;
  EXPECT_NE(warned.out.find("unknown_station: china_sites_20190102.csv:1 [9999A]"), std::string::npos)
      << warned.out;
  // A file named for 30 February: reported as a rejected file, the others imported, exit 1.
  write(archive / "china_sites_20190230.csv", "date,hour,type,1001A\n20190230,1,SO2,8\n");
  CmdResult misnamed = ecomon(db_arg + " import cnemc " + archive.string() + " --format json", true);
  EXPECT_EQ(misnamed.code, 1) << misnamed.out;
  auto j = nlohmann::json::parse(misnamed.out.substr(misnamed.out.find('{')));
  EXPECT_EQ(j["files"], 2);
  EXPECT_EQ(j["files_rejected"], 1);
  EXPECT_EQ(j["issues"][0]["kind"], "bad_file_name");
  EXPECT_EQ(j["issues"][0]["file"], "china_sites_20190230.csv");
  fs::remove(archive / "china_sites_20190230.csv");
  // A row whose cell is not UTF-8 (and a last line cut in the middle of 晚): rows rejected, exit 1; twice the
  // same.
  write(archive / "china_sites_20190103.csv",
        "date,hour,type,1001A\n20190103,1,SO2,9\n20190103,2,SO2,1\xFF\n20190103,3,SO2\xE6\x99");
  for (int round = 0; round < 2; ++round) {
    CmdResult bad = ecomon(db_arg + " import cnemc " + archive.string(), true);
    EXPECT_EQ(bad.code, 1) << bad.out;
    EXPECT_NE(bad.out.find("bad_utf8: china_sites_20190103.csv:3 [1001A]: byte 2 (0xFF) is not valid UTF-8"),
              std::string::npos)
        << bad.out;
    EXPECT_NE(bad.out.find("bad_utf8: china_sites_20190103.csv:4 [type]: byte 4 (0xE6) is not valid UTF-8"),
              std::string::npos)
        << bad.out;
    // Three files, 1 + 1 + 3 rows of which 2 rejected; 5, 6 and 7 were stored before, 9 is new (round 0
    // only).
    EXPECT_NE(bad.out.find("rows: 5 (2 rejected)"), std::string::npos) << bad.out;
    EXPECT_NE(
        bad.out.find(round == 0 ? "store: 1 new values, 3 already stored" : "store: 0 new values, 4 already"),
        std::string::npos)
        << bad.out;
  }
  // Nothing to read: 2.
  CmdResult missing = ecomon(db_arg + " import cnemc " + (d / "nope").string(), true);
  EXPECT_EQ(missing.code, 2) << missing.out;
  CmdResult empty = ecomon(db_arg + " import cnemc " + d.string(), true);  // no archive file in it
  EXPECT_EQ(empty.code, 2) << empty.out;
}

TEST_F(Cli, AnnualJsonCarriesTheDocumentedKeys) {
  CmdResult r = ecomon(*db + " air annual --city 演示市 --year 2025 --format json");
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["city"], "演示市");
  EXPECT_EQ(j["period"]["kind"], "year");
  EXPECT_EQ(j["rules"]["aqi"], nlohmann::json::array({"HJ633-2012"}));
  EXPECT_EQ(j["rules"]["limits"], "GB3095-2012");
  EXPECT_EQ(j["excluded_stations"], nlohmann::json::array({"9165A"}));
  const std::map<std::string, std::string> assessed = {{"SO2", "mean"},          {"NO2", "mean"},
                                                       {"PM10", "mean"},         {"PM2.5", "mean"},
                                                       {"CO", "p95_daily_mean"}, {"O3", "p90_mda8"}};
  for (const auto& [p, stat] : assessed) {
    const auto& a = j["pollutants"][p]["assessed"];
    EXPECT_EQ(a["statistic"], stat) << p;
    EXPECT_TRUE(a["value"].is_number()) << p;
    EXPECT_EQ(a["unit"], p == "CO" ? "mg/m3" : "ug/m3");
    EXPECT_EQ(a["rule_set"], "GB3095-2012");
    EXPECT_TRUE(a["completeness"]["valid_days"].is_number());
  }
  const auto& d = j["days"];
  int sum = 0;
  for (auto& [lvl, n] : d["by_level"].items()) sum += n.get<int>();
  EXPECT_EQ(sum, d["valid"].get<int>());
  EXPECT_EQ(d["good"].get<int>(), d["by_level"]["1"].get<int>() + d["by_level"]["2"].get<int>());
  EXPECT_TRUE(j["composite_index"]["value"].is_number());
  // 2024 is in the store too: the year-on-year block is filled, and the demo's 2025 is cleaner.
  ASSERT_TRUE(j["year_on_year"].is_object());
  EXPECT_LT(j["pollutants"]["PM2.5"]["year_on_year"]["percent"].get<double>(), 0);
}

TEST_F(Cli, WhatIfRulesChangeTheJudgement) {
  CmdResult base = ecomon(*db + " air annual --city 演示市 --year 2025 --format json --no-yoy");
  CmdResult what_if =
      ecomon(*db + " air annual --city 演示市 --year 2025 --format json --no-yoy --rules 2026");
  ASSERT_EQ(base.code, 0);
  ASSERT_EQ(what_if.code, 0);
  auto a = nlohmann::json::parse(base.out), b = nlohmann::json::parse(what_if.out);
  EXPECT_EQ(b["rules"]["aqi"], nlohmann::json::array({"HJ633-2026"}));
  EXPECT_EQ(b["rules"]["limits"], "GB3095-2026");
  EXPECT_EQ(b["pollutants"]["PM2.5"]["assessed"]["limit"], 25);
  EXPECT_EQ(a["pollutants"]["PM2.5"]["assessed"]["limit"], 35);
  // The 2026 PM breakpoints are lower: never more good days than under 2012.
  EXPECT_LE(b["days"]["good"].get<int>(), a["days"]["good"].get<int>());
}

TEST_F(Cli, DailyHourlyPeriodAndRankFormats) {
  CmdResult daily = ecomon(*db + " air daily --city 演示市 --month 2025-01 --format csv");
  ASSERT_EQ(daily.code, 0);
  EXPECT_EQ(std::count(daily.out.begin(), daily.out.end(), '\n'), 32);  // header + 31 days
  CmdResult hourly = ecomon(*db + " air hourly --city 演示市 --date 2025-07-01 --format json");
  ASSERT_EQ(hourly.code, 0);
  EXPECT_EQ(nlohmann::json::parse(hourly.out)["hours"].size(), 24u);
  CmdResult q = ecomon(*db + " air period --city 演示市 --quarter 2025-Q3");
  ASSERT_EQ(q.code, 0);
  EXPECT_NE(q.out.find("2025-07-01..2025-09-30"), std::string::npos);
  CmdResult ytd = ecomon(*db + " air period --city 演示市 --ytd 2025-10-01 --format json");
  ASSERT_EQ(ytd.code, 0);
  EXPECT_EQ(nlohmann::json::parse(ytd.out)["period"]["to"], "2025-09-30");
  CmdResult rank = ecomon(*db + " air rank --year 2025 --format json");
  ASSERT_EQ(rank.code, 0);
  auto rj = nlohmann::json::parse(rank.out);
  ASSERT_EQ(rj["ranking"].size(), 1u);
  EXPECT_EQ(rj["ranking"][0]["rank"], 1);
}

TEST_F(Cli, BadArgumentsGetClearErrors) {
  CmdResult no_city = ecomon(*db + " air annual --city 无此城 --year 2025", true);
  EXPECT_EQ(no_city.code, 2);
  EXPECT_NE(no_city.out.find("no stations for city '无此城'"), std::string::npos) << no_city.out;
  EXPECT_NE(no_city.out.find("演示市"), std::string::npos) << "the error names the cities the store has";
  CmdResult bad_rules = ecomon(*db + " air annual --city 演示市 --year 2025 --rules 2099", true);
  EXPECT_EQ(bad_rules.code, 2);
  EXPECT_NE(bad_rules.out.find("unknown rule set '2099'"), std::string::npos) << bad_rules.out;
  CmdResult two_periods = ecomon(*db + " air period --city 演示市 --year 2025 --month 2025-01", true);
  EXPECT_EQ(two_periods.code, 2);
  EXPECT_NE(two_periods.out.find("exactly one of"), std::string::npos);
  CmdResult bad_date = ecomon(*db + " air daily --city 演示市 --from 2025-02-30 --to 2025-03-01", true);
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_NE(bad_date.out.find("invalid date '2025-02-30'"), std::string::npos);
  CmdResult before = ecomon(*db + " air annual --city 演示市 --year 2010", true);
  EXPECT_EQ(before.code, 2);
  EXPECT_NE(before.out.find("--rules"), std::string::npos) << before.out;
  CmdResult bad_import = ecomon(*db + " import cnemc " + (*dir / "nothing-here").string(), true);
  EXPECT_EQ(bad_import.code, 2);
  EXPECT_NE(bad_import.out.find("nothing-here"), std::string::npos);
}

// Exit codes (README "Exit codes"): 0 done, 1 done with rejected input, 2 failed; a warning alone is 0.
TEST_F(Cli, ExitCodesAreTheSameForEveryVerb) {
  // A city without data is left out of the ranking with a warning: still done, exit 0 (it was 1).
  CmdResult warned = ecomon(*db + " air rank --year 2025 --cities 演示市,无此城", true);
  EXPECT_EQ(warned.code, 0) << warned.out;
  EXPECT_NE(warned.out.find("warning: 无此城: no stations for city '无此城'"), std::string::npos)
      << warned.out;
  CmdResult ranked = ecomon(*db + " air rank --year 2025 --cities 演示市,无此城 --format json");
  ASSERT_EQ(ranked.code, 0);
  EXPECT_EQ(nlohmann::json::parse(ranked.out)["ranking"].size(), 1u);  // 演示市 only
  // Usage errors are 2 (CLI11's own codes were 105..114); --help is 0.
  CmdResult unknown_option = ecomon(*db + " air rank --year 2025 --bogus", true);
  EXPECT_EQ(unknown_option.code, 2) << unknown_option.out;
  EXPECT_NE(unknown_option.out.find("--bogus"), std::string::npos) << unknown_option.out;
  EXPECT_EQ(ecomon(*db + " users add", true).code, 2);  // login and --role are required
  EXPECT_EQ(ecomon(*db + " no-such-verb", true).code, 2);
  EXPECT_EQ(ecomon("--help").code, 0);
  EXPECT_EQ(ecomon("air rank --help").code, 0);
  // hj212 check: a line that is not an HJ 212 message is rejected input, the run is done: 1.
  CmdResult checked = ecomon("hj212 check < /dev/null");
  EXPECT_EQ(checked.code, 0);
  const fs::path lines = *dir / "not-hj212.txt";
  std::ofstream(lines) << "not a message\n";
  CmdResult rejected = ecomon("hj212 check " + lines.string());
  EXPECT_EQ(rejected.code, 1) << rejected.out;
}

// Arguments that are not UTF-8 are refused before the verb runs, naming the argument: exit 2, nothing done.
TEST_F(Cli, ArgumentsThatAreNotUtf8AreRefused) {
  // Argument 5 (after --db PATH users add) is "x\xFF\xFE" (0xFF never occurs in UTF-8); dash's printf
  // writes the octal escapes.
  CmdResult r =
      ecomon(*db + " users add \"$(printf 'x\\377\\376')\" --role analyst --password long-password", true);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("error: argument 5 'x\\xFF\\xFE': byte 2 (0xFF) is not valid UTF-8"),
            std::string::npos)
      << r.out;
  // Argument 6, after --city: 0xC3 starts a two-byte sequence that is cut off.
  CmdResult city = ecomon(*db + " air annual --city \"$(printf '\\303')\" --year 2025", true);
  EXPECT_EQ(city.code, 2) << city.out;
  EXPECT_NE(city.out.find("error: argument 6 '\\xC3': byte 1 (0xC3) is not valid UTF-8"), std::string::npos)
      << city.out;
  CmdResult users = ecomon(*db + " users list --format json");
  ASSERT_EQ(users.code, 0);
  EXPECT_EQ(nlohmann::json::parse(users.out), nlohmann::json::array()) << "nothing was added";
}

// Stored targets of every kind on the demo data (演示市, 2024-2025; water for the 22 sections of seed 002
// annex 1, whose names the demo and demo/ledger/targets.csv share: a section_class target's scope is matched
// to the water store's section by exact name).
TEST_F(Cli, StoredTargetKindsFromTheDemo) {
  fs::path plans = *dir / "plans-kinds";
  fs::create_directories(plans);
  std::ofstream(plans / "plans.csv") << "plan,title,document,issued,year,seed,note\n"
                                        "kinds-2025,各类目标测试,,2025-01-01,2025,test,\n";
  std::ofstream(plans / "targets.csv")
      << "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
         "kinds-2025,section_class,赵庄全年,赵庄,<=,,类,2025年,高平市政府,完成省定目标\n"
         "kinds-2025,section_class,金匠桥一季度,金匠桥,<=,IV,类,2025 年1-3月,城区政府,\n"
         "kinds-2025,section_class,无此断面,无此断面,<=,III,类,2025年,城区政府,\n"
         "kinds-2025,composite_rank,综合指数排名,全市,<=,1,位,2025年,市政府,\n"
         "kinds-2025,emission_change,二氧化硫排放量下降,全市,<=,-2,%,2025年,市政府,\n"
         "kinds-2025,rate,清洁取暖覆盖率,全市,>=,70,%,2025年,市政府,\n"
         "kinds-2025,pollutant_class,NO2达到二级标准,全市,<=,2,级,2025年,市政府,\n"
         "kinds-2025,pollutant_class,SO2达到一级标准,全市,<=,1,级,2025年,市政府,\n";
  CmdResult imp = ecomon(*db + " ledger import " + plans.string(), true);
  ASSERT_EQ(imp.code, 0) << imp.out;
  CmdResult st = ecomon(*db + " targets status --city 演示市 --as-of 2025-03-31 --stored-only --format json");
  ASSERT_EQ(st.code, 0) << st.out;
  std::map<std::string, nlohmann::json> by;
  const nlohmann::json status = nlohmann::json::parse(st.out);
  for (const auto& t : status["targets"]) by[t["label"].get<std::string>()] = t;
  ASSERT_EQ(by.size(), 8u) << st.out;

  // 赵庄, months 2025-01..2025-03 (demo water_values.csv), period values = means of the monthly values:
  // pH (7.48+7.53+7.76)/3 = 7.59 (6-9: I); DO (8.2+8.1+8.2)/3 = 8.17 (>= 7.5: I); CODMn (3.8+2.5+2.3)/3
  // = 2.87 (I <= 2, II <= 4: II); COD (12+10+10)/3 = 10.67 (<= 15: I); NH3-N (0.488+0.454+0.440)/3 = 0.461
  // (II <= 0.5); TP (0.057+0.065+0.083)/3 = 0.068 (II <= 0.1). Worst item: class II. The plan prints no class
  // (省定), so the section's stored target Ⅲ applies: 2 <= 3 and the year is open -> on-track.
  const auto& zz = by["赵庄全年"];
  EXPECT_EQ(zz["state"], "on-track");
  EXPECT_EQ(zz["class"], "Ⅱ");
  EXPECT_EQ(zz["ytd"], 2.0);
  EXPECT_EQ(zz["target_class"], "Ⅲ");
  EXPECT_EQ(zz["target_source"], "section");
  EXPECT_EQ(zz["months"], "2025-01..2025-03");
  EXPECT_EQ(zz["months_with_data"], 3);
  EXPECT_EQ(zz["period_over"], false);
  // 金匠桥 Jan-Mar: DO (2.1+2.1+2.3)/3 = 2.17 mg/L, below class IV's 3 but not class V's 2 -> class V; target
  // IV (printed), the period 2025-01-01..03-31 is over on the as-of date -> missed.
  const auto& jjq = by["金匠桥一季度"];
  EXPECT_EQ(jjq["state"], "missed");
  EXPECT_EQ(jjq["class"], "Ⅴ");
  EXPECT_EQ(jjq["target_source"], "plan");
  EXPECT_EQ(jjq["period_over"], true);
  // A scope that names no stored section: no value, no-data, and the reason says so.
  const auto& none = by["无此断面"];
  EXPECT_EQ(none["state"], "no-data");
  EXPECT_TRUE(none["ytd"].is_null());
  EXPECT_EQ(none["reason"], "section '无此断面' is not in the water store");
  // The demo store holds one city: rank 1 of 1 <= 1 -> on-track; its composite index is air rank's.
  const auto& rank = by["综合指数排名"];
  EXPECT_EQ(rank["state"], "on-track");
  EXPECT_EQ(rank["rank"], 1);
  EXPECT_EQ(rank["cities_ranked"], 1);
  CmdResult ar = ecomon(*db + " air rank --from 2025-01-01 --to 2025-03-31 --format json");
  ASSERT_EQ(ar.code, 0) << ar.out;
  EXPECT_EQ(rank["composite_index"], nlohmann::json::parse(ar.out)["ranking"][0]["composite_index"]);
  // pollutant_class: the assessed statistic of `air period` over 2025-01-01..03-31 (annual mean, GB3095-2012)
  // against GB 3095 Table 1 annual limits: NO2 38 <= 40 (class 1 = class 2 = 40) -> class 1 <= 2 -> on-track;
  // SO2 35: above class 1's 20, within class 2's 60 -> class 2 > 1 -> at-risk.
  CmdResult ap = ecomon(*db + " air period --city 演示市 --from 2025-01-01 --to 2025-03-31 --format json");
  ASSERT_EQ(ap.code, 0) << ap.out;
  const nlohmann::json period = nlohmann::json::parse(ap.out);
  EXPECT_EQ(period["pollutants"]["NO2"]["assessed"]["value"], 38);
  EXPECT_EQ(period["pollutants"]["SO2"]["assessed"]["value"], 35);
  EXPECT_EQ(period["pollutants"]["SO2"]["assessed"]["limit_averaging"], "annual");
  EXPECT_EQ(by["NO2达到二级标准"]["gb3095_class"], 1);
  EXPECT_EQ(by["NO2达到二级标准"]["state"], "on-track");
  EXPECT_EQ(by["NO2达到二级标准"]["statistic_value"], 38);
  EXPECT_EQ(by["SO2达到一级标准"]["gb3095_class"], 2);
  EXPECT_EQ(by["SO2达到一级标准"]["state"], "at-risk");
  // No module computes emissions or other rates: reported, never guessed.
  for (const char* label : {"二氧化硫排放量下降", "清洁取暖覆盖率"}) {
    EXPECT_EQ(by[label]["state"], "not-computed") << label;
    EXPECT_TRUE(by[label]["ytd"].is_null()) << label;
    EXPECT_FALSE(by[label]["reason"].get<std::string>().empty()) << label;
  }
  // The at-risk report lists the missed, the at-risk and the no-data level targets, not the on-track or
  // not-computed ones.
  CmdResult risk = ecomon(*db + " ledger report targets --city 演示市 --as-of 2025-03-31 --format json");
  ASSERT_EQ(risk.code, 0) << risk.out;
  std::set<std::string> listed;
  const nlohmann::json report = nlohmann::json::parse(risk.out);
  for (const auto& t : report["targets"]) listed.insert(t["label"].get<std::string>());
  EXPECT_EQ(listed, (std::set<std::string>{"金匠桥一季度", "无此断面", "SO2达到一级标准"}));
}

// The 2019 check of issue 6: a stored PM2.5 target (≤ 44 µg/m³ over 2019, ledger import) evaluated as of
// 2019-10-01 from the imported 晋城 data. The test recomputes the budget by hand: N valid days and their sum
// S (from the CLI's exact year-to-date mean, checked against its own `air daily` output), R = 91 remaining
// days (2019-10-02..12-31: 30 + 30 + 31), T = 44.5 (44 as reported: a mean up to 44.5 rounds to 44, GB/T
// 8170), and L = (T·(N+R) − S)/R.
void check_2019_pm25_budget(const std::string& db, const fs::path& d) {
  fs::path plans = d / "plans-2019";
  fs::create_directories(plans);
  std::ofstream(plans / "plans.csv") << "plan,title,document,issued,year,seed,note\n"
                                        "test-2019,晋城市2019年PM2.5测试目标,,2019-01-01,2019,test,\n";
  std::ofstream(plans / "targets.csv")
      << "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
         "test-2019,pm25_mean,PM2.5年均浓度,市区,<=,44,µg/m³,2019年,晋城市人民政府,\n";
  CmdResult imp = ecomon(db + " ledger import " + plans.string(), true);
  ASSERT_EQ(imp.code, 0) << imp.out;
  CmdResult st =
      ecomon(db + " targets status --city 晋城 --as-of 2019-10-01 --stored-only --format json", true);
  ASSERT_EQ(st.code, 0) << st.out;
  auto j = nlohmann::json::parse(st.out);
  ASSERT_EQ(j["targets"].size(), 1u) << st.out;
  const auto& t = j["targets"][0];
  EXPECT_EQ(t["plan"], "test-2019");
  EXPECT_EQ(t["days_elapsed"], 274);  // 31+28+31+30+31+30+31+31+30 + 1
  EXPECT_EQ(t["days_remaining"], 91);

  CmdResult daily = ecomon(db + " air daily --city 晋城 --from 2019-01-01 --to 2019-10-01 --format json");
  ASSERT_EQ(daily.code, 0);
  auto days = nlohmann::json::parse(daily.out)["days"];
  ASSERT_EQ(days.size(), 274u);
  int64_t n = 0;
  double rounded_sum = 0;
  for (const auto& day : days) {
    if (day["concentrations"]["PM2.5"].is_null()) continue;
    ++n;
    rounded_sum += day["concentrations"]["PM2.5"].get<double>();
  }
  EXPECT_EQ(n, 260);  // 274 days, 14 without a valid PM2.5 daily mean (HJ 663 completeness)
  EXPECT_EQ(t["valid_days"], n);
  EXPECT_EQ(t["missing_days"], 274 - n);
  // The exact mean S/N: the daily output rounds each day to 1 µg/m³, so its mean is within 0.5 of it.
  __extension__ using i128 = __int128;
  const int64_t num = t["ytd_exact"]["num"], den = t["ytd_exact"]["den"];
  const double ytd = static_cast<double>(num) / static_cast<double>(den);
  EXPECT_NEAR(rounded_sum / static_cast<double>(n), ytd, 0.5);
  EXPECT_EQ(t["ytd"].get<double>(), std::nearbyint(ytd));
  // L = (T(N+R) − S)/R with S = N·num/den and T = 89/2, compared exactly: L·R·2·den = 89(N+R)·den − 2·N·num.
  const int64_t r = 91;
  const int64_t lnum = t["remaining_mean_limit_exact"]["num"], lden = t["remaining_mean_limit_exact"]["den"];
  EXPECT_EQ(static_cast<i128>(lnum) * r * 2 * den,
            static_cast<i128>(lden) * (i128{89} * (n + r) * den - i128{2} * n * num));
  // With these data: S/N = 3551/65, so S = 14204 and L = (44.5 × 351 − 14204) / 91 = 1415.5 / 91 = 15.55…
  EXPECT_EQ(t["remaining_mean_limit"], 15.6);
  const double hand =
      (44.5 * static_cast<double>(n + r) - ytd * static_cast<double>(n)) / static_cast<double>(r);
  EXPECT_NEAR(t["remaining_mean_limit"].get<double>(), hand, 0.05 + 1e-9);  // reported at 1 decimal
  // From the rounded daily values alone the budget agrees within the rounding: N·0.5/R.
  const double from_daily = (44.5 * static_cast<double>(n + r) - rounded_sum) / static_cast<double>(r);
  EXPECT_NEAR(hand, from_daily, 0.5 * static_cast<double>(n) / static_cast<double>(r));
  // The --pm25 44 flag's target is the same target: the same figures. The ratios' defaults are the store's
  // targets over 2019, and it holds none: "no target for 2019".
  CmdResult flags = ecomon(db + " targets status --city 晋城 --as-of 2019-10-01 --pm25 44 --format json");
  ASSERT_EQ(flags.code, 0);
  auto fj = nlohmann::json::parse(flags.out);
  ASSERT_EQ(fj["targets"].size(), 4u);  // the pm25 flag, good-ratio, heavy-ratio + the stored target
  EXPECT_EQ(fj["targets"][0]["remaining_mean_limit"], t["remaining_mean_limit"]);
  EXPECT_EQ(fj["targets"][0]["state"], t["state"]);
  EXPECT_EQ(fj["targets"][1]["state"], "no-target");
  EXPECT_EQ(fj["targets"][2]["reason"], "no target for 2019");
  // Without --pm25 its default is the stored 2019 target itself, listed once.
  CmdResult defaults = ecomon(db + " targets status --city 晋城 --as-of 2019-10-01 --format json");
  ASSERT_EQ(defaults.code, 0);
  auto dj = nlohmann::json::parse(defaults.out);
  ASSERT_EQ(dj["targets"].size(), 3u) << defaults.out;
  EXPECT_EQ(dj["targets"][2]["plan"], "test-2019");
  EXPECT_EQ(dj["targets"][2]["remaining_mean_limit"], t["remaining_mean_limit"]);
  // The report of stored targets at risk lists it (at risk: L ≥ 0 but the 30-day pace forecasts more
  // than 44.5).
  CmdResult risk = ecomon(db + " ledger report targets --city 晋城 --as-of 2019-10-01 --format json");
  ASSERT_EQ(risk.code, 0);
  auto rj = nlohmann::json::parse(risk.out);
  ASSERT_EQ(rj["targets"].size(), 1u);
  EXPECT_EQ(rj["targets"][0]["state"], "at-risk");
  EXPECT_GT(rj["targets"][0]["forecast"].get<double>(), 44.5);
}

TEST(CliRealData, Jincheng2019AnnualFromTheArchive) {
  std::string why;
  auto shared = ecomon::testing::shared_dir(&why);
  if (!shared) GTEST_SKIP() << why;
  fs::path d = fs::temp_directory_path() / ("ecomon_cli_jc_" + std::to_string(::getpid()));
  fs::create_directories(d);
  std::string db = "--db " + (d / "jc.db").string();
  CmdResult imp = ecomon(db + " import cnemc " + (*shared / "data/cnemc-2019/jincheng").string() +
                         " --stations " + (*shared / "data/cnemc-2019/sites-2022.csv").string());
  ASSERT_EQ(imp.code, 0) << imp.out;
  CmdResult a = ecomon(db + " air annual --city 晋城 --year 2019 --format json");
  ASSERT_EQ(a.code, 0);
  auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["stations"], nlohmann::json::array({"2160A", "2161A", "2162A", "2163A", "2164A"}));
  EXPECT_EQ(j["excluded_stations"], nlohmann::json::array({"2165A"}));
  EXPECT_TRUE(j["year_on_year"].is_null());  // no 2018 data
  CmdResult b = ecomon(db + " air annual --city 晋城 --year 2019 --format json");
  EXPECT_EQ(a.out, b.out) << "deterministic";
  check_2019_pm25_budget(db, d);
  fs::remove_all(d);
}

}  // namespace
