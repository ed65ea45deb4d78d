// `ecomon emergency ...` as a user runs it: the demo list imported (twice: nothing changes), the list check,
// the forecast's advice, declaring (refused for a county user, nothing stored), the roster, and compliance on
// simulated HJ 212 hourly uploads stored through the store API (the demo source registry's devices: E03's
// coke oven stops during the warning, E01's two units run on as before), bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo/demo_registry.h"
#include "gateway/simulator.h"
#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using CmdResult = ecomon::testing::CommandResult;

CmdResult ecomon(const std::string& args, bool with_stderr = false) {
  // ECOMON_PWHASH=min: the test accounts' password hashes use libsodium's minimum limits (fast, test only).
  return ecomon::testing::run_command("ECOMON_PWHASH=min " + std::string(ECOMON_BIN) + " " + args,
                                      with_stderr);
}

// Demo source registry devices (sim_mn(i)): 0 and 1 are E01's units (linked from JC0001), 4 is E03's coke
// oven (JC0003).
constexpr int kUnits[] = {0, 1};
constexpr int kCoke = 4;

std::string fmt_month(int m) { return "2025-" + std::string(m < 10 ? "0" : "") + std::to_string(m); }

std::string hourly_cp(int64_t t, bool stopped) {
  const std::string flag = stopped ? "F" : "N";
  const std::string v = stopped ? "0.0" : "20.0";
  return "DataTime=" + std::to_string(t) + ";a00000-Avg=" + (stopped ? "0.0" : "100.0") +
         ",a00000-Flag=" + flag + ";a21026-Avg=" + v + ",a21026-Flag=" + flag + ";a21002-Avg=" + v +
         ",a21002-Flag=" + flag + ";a34013-Avg=" + v + ",a34013-Flag=" + flag;
}

class EmergencyCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ecomon_emergency_cli_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    fs::create_directories(*dir);
    db = new std::string("--db " + (*dir / "e.db").string());
    CmdResult demo = ecomon(*db + " emergency demo-registry --out " + (*dir / "list").string());
    ASSERT_EQ(demo.code, 0) << demo.out;
    CmdResult imp = ecomon(*db + " emergency import " + (*dir / "list").string() + " --format json");
    ASSERT_EQ(imp.code, 0) << imp.out;
    first_import = new nlohmann::json(nlohmann::json::parse(imp.out));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
    delete db;
    delete first_import;
  }
  static inline fs::path* dir = nullptr;
  static inline std::string* db = nullptr;
  static inline nlohmann::json* first_import = nullptr;
};

TEST_F(EmergencyCli, ImportTwiceChangesNothing) {
  EXPECT_EQ((*first_import)["written"], true);
  EXPECT_EQ((*first_import)["added"], 253);
  EXPECT_EQ((*first_import)["inspections_added"], 2);
  CmdResult again = ecomon(*db + " emergency import " + (*dir / "list").string() + " --format json");
  ASSERT_EQ(again.code, 0);
  auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["added"], 0);
  EXPECT_EQ(j["updated"], 0);
  EXPECT_EQ(j["unchanged"], 253);
  EXPECT_EQ(j["inspections_added"], 0);
}

TEST_F(EmergencyCli, CheckListAndWhatIf) {
  CmdResult c = ecomon(*db + " emergency check-list --format json");
  ASSERT_EQ(c.code, 0) << c.out;
  auto j = nlohmann::json::parse(c.out);
  ASSERT_EQ(j["list"]["levels"].size(), 3U);
  for (const auto& l : j["list"]["levels"]) EXPECT_EQ(l["all_reached"], true) << l["level"];
  EXPECT_FALSE(j.contains("what_if"));
  // What-if: an unknown grade is refused with exit 2.
  CmdResult bad = ecomon(*db + " emergency check-list --what-if-grade JC0001=E", true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("is not ID=GRADE"), std::string::npos);
  CmdResult w = ecomon(*db + " emergency check-list --what-if-grade JC0003=A --format json");
  ASSERT_EQ(w.code, 0) << w.out;
  auto wj = nlohmann::json::parse(w.out);
  ASSERT_TRUE(wj.contains("what_if"));
  // JC0003 (the coke plant) as A with no assumed cut reduces less: the what-if red SO2 reduction is smaller.
  EXPECT_LT(std::stod(wj["what_if"]["levels"][2]["pollutants"][0]["reduction_kg_d"].get<std::string>()),
            std::stod(wj["list"]["levels"][2]["pollutants"][0]["reduction_kg_d"].get<std::string>()));
  // A what-if list with a bad row: the what-if cannot run on part of it, so nothing is checked: exit 2 (it
  // was 1, which means "done with rejected input").
  const fs::path bad_add = *dir / "bad-add";
  fs::create_directories(bad_add);
  {
    std::ifstream in(*dir / "list" / "enterprises.csv");
    std::string header;
    std::getline(in, header);
    std::ofstream(bad_add / "enterprises.csv") << header << "\nnot,a,valid,row\n";
  }
  CmdResult bad_what_if = ecomon(*db + " emergency check-list --what-if-add " + bad_add.string(), true);
  EXPECT_EQ(bad_what_if.code, 2) << bad_what_if.out;
  EXPECT_NE(bad_what_if.out.find("error: --what-if-add " + bad_add.string()), std::string::npos)
      << bad_what_if.out;
  CmdResult csv = ecomon(*db + " emergency check-list --format csv");
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "级别,污染物,基准 kg/d,预警时 kg/d,减排 kg/d,减排比例%,要求%,达到");
  EXPECT_EQ(csv.out.find("\n\n"), std::string::npos);               // no blank lines
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 13);  // header + 3 levels x 4 pollutants
}

TEST_F(EmergencyCli, WarningsDeclareRosterCompliance) {
  // The demo forecast: 120 160 215 240 265 190 ... from 2025-12-01: 3 days > 200 from 12-03 = orange.
  CmdResult f = ecomon(*db + " emergency warnings --forecast " + (*dir / "list" / "forecast.csv").string() +
                       " --format json");
  ASSERT_EQ(f.code, 0) << f.out;
  auto fj = nlohmann::json::parse(f.out);
  EXPECT_EQ(fj["decision"]["level"], "orange");
  EXPECT_EQ(fj["decision"]["first"], "2025-12-03");
  EXPECT_EQ(fj["advice"]["action"], "raise");
  // The 2017 variant (orange needs a day > 300): only yellow.
  CmdResult fv = ecomon(*db + " emergency warnings --rule orange_severe_days=1 --forecast " +
                        (*dir / "list" / "forecast.csv").string() + " --format json");
  EXPECT_EQ(nlohmann::json::parse(fv.out)["decision"]["level"], "yellow");

  // Stored accounts: --as takes the role from the account, never from the command line.
  for (const char* u : {"li --role county --county 城区", "wang --role analyst", "x --role public"})
    ASSERT_EQ(
        ecomon("--db " + (*dir / "e.db").string() + " users add " + u + " --password emergency-pw").code, 0);
  EXPECT_EQ(
      ecomon(*db + " emergency declare --level orange --from '2025-12-03 00:00' --as nobody", true).code, 2);

  // A county user may not declare: refused, nothing stored.
  CmdResult refused =
      ecomon(*db + " emergency declare --level orange --from '2025-12-03 00:00' --as li", true);
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.out.find("declaring a warning is the bureau's: user 'li' (role county) may not"),
            std::string::npos);
  CmdResult none = ecomon(*db + " emergency warnings --format json");
  EXPECT_EQ(nlohmann::json::parse(none.out)["history"].size(), 0U);

  ASSERT_EQ(
      ecomon(*db + " emergency declare --level orange --from '2025-12-03 00:00' --reason '预测3天AQI>200'"
                   " --as wang")
          .code,
      0);
  CmdResult h = ecomon(*db + " emergency warnings --format json");
  auto hj = nlohmann::json::parse(h.out);
  EXPECT_EQ(hj["in_force"]["level"], "orange");
  EXPECT_EQ(hj["history"][0]["declared_by"], "wang");
  EXPECT_EQ(hj["history"][0]["role"], "analyst");
  EXPECT_EQ(hj["history"][0]["reason"], "预测3天AQI>200");

  CmdResult r = ecomon(*db + " emergency roster --county 西山县 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto rj = nlohmann::json::parse(r.out);
  EXPECT_EQ(rj["level"], "orange");
  EXPECT_EQ(rj["from"], "2025-12-03 00:00");
  ASSERT_FALSE(rj["entries"].empty());
  for (const auto& e : rj["entries"]) EXPECT_EQ(e["county"], "西山县");

  // Public may not lift; the bureau lifts after three days.
  EXPECT_EQ(ecomon(*db + " emergency lift --at '2025-12-06 00:00' --as x").code, 2);
  ASSERT_EQ(ecomon(*db + " emergency lift --at '2025-12-06 00:00' --reason 36h").code, 0);
  // No warning in force: the roster needs --level and --from.
  EXPECT_EQ(ecomon(*db + " emergency roster --level red").code, 2);
  EXPECT_EQ(ecomon(*db + " emergency roster --level red --from '2025-12-10 08:00' --format json").code, 0);

  // Uploads: baseline 11-30..12-02 (72 h) and warning 12-03..12-05 (72 h) for E01's two units and E03's oven.
  ASSERT_TRUE(ecomon::write_demo_registry((*dir / "registry").string()).ok());
  ASSERT_EQ(ecomon(*db + " sources import " + (*dir / "registry").string()).code, 0);
  auto store = ecomon::open_sqlite_stores((*dir / "e.db").string());
  ASSERT_TRUE(store.ok());
  std::vector<ecomon::SourceRecord> recs;
  const ecomon::CivilDay first = ecomon::CivilDay::from_ymd(2025, 11, 30);
  for (int d = 0; d < 6; ++d) {
    const ecomon::CivilDay day = first + d;
    for (int hr = 0; hr < 24; ++hr) {
      const int64_t t = static_cast<int64_t>(std::stoll(day.to_compact())) * 1'000'000 + hr * 10'000;
      const bool warning = d >= 3;
      for (int u : kUnits)
        recs.push_back({.mn = ecomon::sim_mn(u), .cn = 2061, .data_time = t, .cp = hourly_cp(t, false)});
      recs.push_back({.mn = ecomon::sim_mn(kCoke), .cn = 2061, .data_time = t, .cp = hourly_cp(t, warning)});
    }
  }
  ASSERT_EQ(*(*store)->sources().insert_source_records(recs), 432);

  CmdResult c = ecomon(*db + " emergency compliance --format json");
  ASSERT_EQ(c.code, 0) << c.out;
  auto cj = nlohmann::json::parse(c.out);
  EXPECT_EQ(cj["level"], "orange");
  EXPECT_EQ(cj["warning"]["from"], "2025-12-03 00:00:00");
  EXPECT_EQ(cj["baseline"]["from"], "2025-11-30 00:00:00");  // as long before as the warning lasted
  EXPECT_EQ(cj["records"], 432);
  std::map<std::string, std::string> verdict;
  for (const auto& e : cj["enterprises"]) verdict[e["enterprise"]] = e["verdict"];
  EXPECT_EQ(verdict["JC0001"], "not-cutting");    // E01 ran as before: 0 % cut
  EXPECT_EQ(verdict["JC0003"], "compliant");      // E03 stopped (flag F): 100 %
  EXPECT_EQ(verdict["JC0011"], "inspected-ok");   // 2025-12-03 10:30 compliant
  EXPECT_EQ(verdict["JC0012"], "inspected-not");  // 2025-12-04 09:00 not
  EXPECT_EQ(verdict["JC0020"], "not-inspected");
  CmdResult table = ecomon(*db + " emergency compliance");
  EXPECT_NE(table.out.find("not-cutting"), std::string::npos);
}

TEST_F(EmergencyCli, BadForecastAndBadListRejected) {
  const fs::path f = *dir / "bad_forecast.csv";
  std::ofstream(f) << "date,aqi\n2025-12-01,150\n2025-12-01,230\n2025-12-03,-5\n";
  CmdResult r = ecomon(*db + " emergency warnings --forecast " + f.string(), true);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("bad_forecast.csv:3 [date]: 2025-12-01 repeats line 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bad_forecast.csv:4 [aqi]"), std::string::npos) << r.out;
  const fs::path bad = *dir / "bad_list";
  fs::create_directories(bad);
  std::ofstream(bad / "enterprises.csv")
      << "id,name,county,industry,grade,guarantee,source_enterprise\nX1,x,城区,铸造,Z,N,\n";
  CmdResult b = ecomon(*db + " emergency import " + bad.string());
  EXPECT_EQ(b.code, 1);
  EXPECT_NE(b.out.find("enterprises.csv:2 [grade]"), std::string::npos) << b.out;
}

// Text that is not UTF-8 in a list template (a cell; a header) is refused at file:line [column] with the
// byte; the list is all or nothing, so nothing is stored (exit 1), and the second time says the same.
TEST_F(EmergencyCli, TextThatIsNotUtf8IsRefusedAtFileLineColumn) {
  const fs::path bad = *dir / "bad_utf8_list";
  fs::create_directories(bad);
  std::ofstream(bad / "enterprises.csv", std::ios::binary)
      << "id,name,county,industry,grade,guarantee,source_enterprise\nX1,\xB2\xE2\xCA\xD4,城区,铸造,B,N,\n";
  for (int round = 0; round < 2; ++round) {
    CmdResult b = ecomon(*db + " emergency import " + bad.string());
    EXPECT_EQ(b.code, 1) << b.out;
    EXPECT_NE(b.out.find("bad_utf8: enterprises.csv:2 [name]: byte 1 (0xB2) is not valid UTF-8"),
              std::string::npos)
        << b.out;
    EXPECT_NE(b.out.find("nothing imported"), std::string::npos) << b.out;
  }
  std::ofstream(bad / "enterprises.csv", std::ios::binary)
      << "id,n\xC3,county,industry,grade,guarantee,source_enterprise\nX1,x,城区,铸造,B,N,\n";  // C3: cut
  CmdResult h = ecomon(*db + " emergency import " + bad.string());
  EXPECT_EQ(h.code, 1) << h.out;
  EXPECT_NE(h.out.find("bad_utf8: enterprises.csv:1 [column 2]: header: byte 2 (0xC3) is not valid UTF-8"),
            std::string::npos)
      << h.out;
}

// Hindsight: the episodes of the demo city's computed daily AQI agree with `ecomon air daily`: with
// yellow_days=1 every run of days > 200 in the air module's daily AQI is one episode, with its first and last
// day.
TEST(EmergencyCliHindsight, EpisodesOfTheComputedDailyAqi) {
  const fs::path dir =
      fs::temp_directory_path() / ("ecomon_emergency_hindsight_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string db = "--db " + (dir / "d.db").string();
  ASSERT_EQ(ecomon(db + " demo --first-year 2025 --last-year 2025 --out " + (dir / "demo").string()).code, 0);
  std::vector<std::string> heavy;  // days with AQI > 200, in order
  for (int m = 1; m <= 12; ++m) {
    CmdResult d = ecomon(db + " air daily --city 演示市 --month " + fmt_month(m) + " --format json");
    ASSERT_EQ(d.code, 0) << d.out;
    const nlohmann::json month = nlohmann::json::parse(d.out);
    for (const auto& day : month["days"])
      if (day["aqi"].is_number() && day["aqi"].get<int>() > 200) heavy.push_back(day["date"]);
  }
  ASSERT_FALSE(heavy.empty());
  // Runs of consecutive heavy days.
  std::vector<std::pair<std::string, std::string>> runs;
  for (const std::string& d : heavy) {
    const auto day = ecomon::CivilDay::parse(d);
    if (!runs.empty() && *ecomon::CivilDay::parse(runs.back().second) + 1 == *day) {
      runs.back().second = d;
    } else {
      runs.emplace_back(d, d);
    }
  }
  CmdResult r =
      ecomon(db +
             " emergency warnings --city 演示市 --from 2025-01-01 --to 2025-12-31 --rule yellow_days=1"
             " --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["episodes"].size(), runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(j["episodes"][i]["first"], runs[i].first);
    EXPECT_EQ(j["episodes"][i]["last"], runs[i].second);
  }
  // With the default rules only runs of >= 2 days remain.
  size_t two = 0;
  for (const auto& run : runs) two += run.first != run.second ? 1 : 0;
  CmdResult dflt =
      ecomon(db + " emergency warnings --city 演示市 --from 2025-01-01 --to 2025-12-31 --format json");
  EXPECT_EQ(nlohmann::json::parse(dflt.out)["episodes"].size(), two);
  fs::remove_all(dir);
}

}  // namespace
