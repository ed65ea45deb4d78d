// `ecomon ledger ...` as a user runs it: the demo plans imported (twice: nothing changes), overdue tasks
// derived from the as-of date, status changes, progress, problems and evidence with their refusals, the
// reports in their three formats, and a bad plan directory that stores nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using CmdResult = ecomon::testing::CommandResult;

class LedgerCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = "--db " + (dir_.path() / "ledger.db").string();
    CmdResult r = run("ledger import " + demo_ + " --by 王科长 --format json");
    ASSERT_EQ(r.code, 0) << r.out;
    json j = json::parse(r.out);
    ASSERT_EQ(j["tasks"]["new"], 175);
  }
  CmdResult run(const std::string& args, bool with_stderr = false) {
    // ECOMON_PWHASH=min: test accounts hash with libsodium's minimum limits (fast, tests only).
    return ecomon::testing::run_command(
        "ECOMON_PWHASH=min " + std::string(ECOMON_BIN) + " " + db_ + " " + args, with_stderr);
  }
  std::set<std::string> ids(const std::string& args) {
    CmdResult r = run(args);
    EXPECT_EQ(r.code, 0) << r.out;
    std::set<std::string> out;
    for (const json& t : json::parse(r.out)) out.insert(t["id"].get<std::string>());
    return out;
  }
  ecomon::testing::TempDir dir_{"ledger_cli"};
  std::string db_;
  std::string demo_ = (fs::path(ECOMON_SOURCE_DIR) / "demo/ledger").string();
};

TEST_F(LedgerCli, ImportTwiceChangesNothing) {
  CmdResult r = run("ledger import " + demo_ + " --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  json j = json::parse(r.out);
  EXPECT_EQ(j["tasks"]["new"], 0);
  EXPECT_EQ(j["tasks"]["changed"], 0);
  EXPECT_EQ(j["tasks"]["same"], 175);
  EXPECT_EQ(j["plans"]["same"], 5);
  EXPECT_EQ(j["targets"]["same"], 38);
}

TEST_F(LedgerCli, OverdueIsDerivedFromTheAsOfDate) {
  // air-2021 deadlines up to 2021-04-30 (demo/ledger/air-2021.tasks.csv): 1月底前 no 36; 2月底前 no 4;
  // 3月底前 nos 6, 38, 45; 4月底前 nos 3, 9, 10, 28, 40, 41, 42. "X月底前" is overdue from the 1st of the
  // next month.
  std::set<std::string> march = {"air-2021/36", "air-2021/4", "air-2021/6", "air-2021/38", "air-2021/45"};
  EXPECT_EQ(ids("ledger tasks --plan air-2021 --overdue --as-of 2021-04-30 --format json"), march);
  std::set<std::string> april = march;
  for (const char* n : {"3", "9", "10", "28", "40", "41", "42"}) april.insert(std::string("air-2021/") + n);
  EXPECT_EQ(ids("ledger tasks --plan air-2021 --overdue --as-of 2021-05-01 --format json"), april);
  // Done on 2021-04-28: no longer overdue; the status filter sees it as of the date only.
  ASSERT_EQ(run("ledger status air-2021/3 --to 完成 --date 2021-04-28 --by 李四").code, 0);
  april.erase("air-2021/3");
  EXPECT_EQ(ids("ledger tasks --plan air-2021 --overdue --as-of 2021-05-01 --format json"), april);
  EXPECT_EQ(ids("ledger tasks --status 完成 --as-of 2021-04-28 --format json"),
            std::set<std::string>{"air-2021/3"});
  EXPECT_TRUE(ids("ledger tasks --status done --as-of 2021-04-27 --format json").empty());
  // Reading the CSV directory directly still works (no status there).
  EXPECT_EQ(
      ids("ledger tasks --dir " + demo_ + " --plan air-2021 --overdue --as-of 2021-04-30 --format json"),
      march);
}

// Seed 002's soil plan (《晋城市2021年土壤污染防治行动计划》 二、主要任务): its 15 numbered items, item 12 in
// two rows for its two dates — 16 tasks (demo/ledger/soil-2021.tasks.csv).
TEST_F(LedgerCli, SoilPlanTasksFromSeed002) {
  CmdResult r = run("ledger tasks --plan soil-2021 --as-of 2021-12-31 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  json tasks = json::parse(r.out);
  ASSERT_EQ(tasks.size(), 16u);
  std::map<std::string, json> by;
  std::set<std::string> items;
  for (const json& t : tasks) {
    const std::string no = t["no"];
    by[no] = t;
    items.insert(no.substr(0, no.find_first_not_of("0123456789")));
  }
  EXPECT_EQ(items.size(), 15u);  // "1" .. "15"
  EXPECT_TRUE(items.count("1") && items.count("15"));
  // Item 2: "配合省级完成国家土壤环境监测网基础点位监测任务、省级土壤环境监测网风险监控点位监测，2021 年 9
  // 月底前完成全部监测工作和数据上传。〔责任单位：市生态环境局、市规划和自然资源局、市农业农村局，相关县（市、
  // 区）人民政府、开发区管委会〕" — 9月底前 = by the last day of September: due 2021-09-30, overdue from
  // 10-01.
  const json& two = by["2"];
  EXPECT_EQ(two["deadline"], "2021 年 9 月底前");
  EXPECT_EQ(two["due"], "2021-09-30");
  EXPECT_EQ(two["overdue"], true);
  EXPECT_EQ(two["responsible_units"], json::array({"市生态环境局", "市规划和自然资源局", "市农业农村局",
                                                   "相关县（市、区）人民政府", "开发区管委会"}));
  // Item 12's two dates: "2021年底前，土壤污染重点监管单位应开展一次全面、系统的土壤污染隐患排查" and
  // "2025年底前，全部安装使用水、大气污染物排放自动监测设备" (a printed year beats the plan's 2021).
  EXPECT_EQ(by["12a"]["due"], "2021-12-31");
  EXPECT_EQ(by["12b"]["due"], "2025-12-31");
  EXPECT_EQ(by["12b"]["overdue"], false);
  // Item 1's "在省级规定时间内" names no day: no deadline, never overdue by date.
  EXPECT_EQ(by["1"]["deadline"], "");
  EXPECT_EQ(by["1"]["overdue"], false);
  // Item 15's bracket, printed [ ] by the OCR: seven units.
  EXPECT_EQ(by["15"]["responsible_units"].size(), 7u);
}

// Seed 003's body: the dated commitments that are not rows of its annex
// (demo/ledger/autumn-winter-2020-body.tasks.csv), read with the plan's year 2020.
TEST_F(LedgerCli, AutumnWinterBodyCommitmentsFromSeed003) {
  CmdResult r = run("ledger tasks --plan autumn-winter-2020 --as-of 2021-01-15 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  std::map<std::string, json> by;
  for (const json& t : json::parse(r.out)) by[t["no"]] = t;
  EXPECT_EQ(by.size(), 39u + 13u);  // the annex's 39 rows and the body's 13
  // (十二) "抓好汽车排放检验与维护(I/M)制度落地见效，2021 年 3 月底前，力争柴油货车检验合格率达到 90%以上。"
  // 〔责任单位：市交通局、市交警支队、市市场监管局、市商务局、市住建局、市财政局、市生态环境局，各县（市、区）
  // 人民政府、开发区管委会〕: a printed year, so 3月底前 = 2021-03-31 (not the plan's 2020); not overdue on
  // 2021-01-15.
  const json& rate = by["十二b"];
  EXPECT_EQ(rate["deadline"], "2021 年 3 月底前");
  EXPECT_EQ(rate["due"], "2021-03-31");
  EXPECT_EQ(rate["overdue"], false);
  EXPECT_EQ(rate["responsible_units"].size(), 9u);
  EXPECT_EQ(rate["responsible_units"][1], "市交警支队");
  // (十) "2020 年 12
  // 月底前，各县（市、区）完成一轮无组织排放排查整治。〔责任单位：市生态环境局、市工信局，各县
  // （市、区）人民政府、开发区管委会〕": due 2020-12-31, overdue from 2021-01-01.
  const json& sweep = by["十"];
  EXPECT_EQ(sweep["due"], "2020-12-31");
  EXPECT_EQ(sweep["overdue"], true);
  EXPECT_EQ(sweep["responsible_units"],
            json::array({"市生态环境局", "市工信局", "各县（市、区）人民政府", "开发区管委会"}));
  // (八) "自2020年9月起，开展秋收阶段秸秆禁烧专项巡查": in force from 2020-09-01 on, no due day, never
  // overdue.
  EXPECT_EQ(by["八"]["due"], "-");
  EXPECT_EQ(by["八"]["overdue"], false);
  // (二十) "市电力部门每月初10日内将相关企业上个月用电量等相关数据报市生态环境局": monthly, within the first
  // 10 days; the sentence's subject is the unit (保障措施 print no bracket).
  EXPECT_EQ(by["二十"]["recurrence"]["period"], "monthly");
  EXPECT_EQ(by["二十"]["recurrence"]["within_days"], 10);
  EXPECT_EQ(by["二十"]["responsible_units"], json::array({"市电力部门"}));
}

TEST_F(LedgerCli, StatusProgressEvidenceAndHistory) {
  CmdResult early = run("ledger status air-2021/21 --to 销号 --date 2021-05-01", true);
  EXPECT_EQ(early.code, 2);
  EXPECT_NE(early.out.find("only a 完成 (done) task can be closed"), std::string::npos) << early.out;
  ASSERT_EQ(run("ledger status air-2021/21 --to 进行中 --date 2021-05-01 --by 李四 --note 已部署").code, 0);
  CmdResult p = run("ledger progress air-2021/21 --amount '300 辆' --date 2021-06-30 --by 李四");
  ASSERT_EQ(p.code, 0) << p.out;
  // 300 / 757 = 39.63 % → 39.6 %
  EXPECT_NE(p.out.find("300/757辆 (39.6%)"), std::string::npos) << p.out;
  CmdResult unit = run("ledger progress air-2021/21 --amount '3 户' --date 2021-06-30", true);
  EXPECT_EQ(unit.code, 2);
  EXPECT_NE(unit.out.find("unit '户' does not match the task's quantity unit '辆'"), std::string::npos)
      << unit.out;
  CmdResult none = run("ledger progress air-2021/1 --amount 3 --date 2021-06-30", true);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.out.find("has no quantity"), std::string::npos);
  fs::path f = dir_.path() / "台账.txt";
  std::ofstream(f, std::ios::binary) << "abc";
  CmdResult ev = run("ledger evidence add air-2021/21 --note 验收材料 --file " + f.string());
  ASSERT_EQ(ev.code, 0) << ev.out;
  EXPECT_NE(ev.out.find("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            std::string::npos);
  CmdResult pb =
      run("ledger problem add air-2021/21 --problem 进度滞后 --responsibility 市交通局 --measure 加快淘汰 "
          "--deadline 2021年9月底前");
  ASSERT_EQ(pb.code, 0) << pb.out;
  CmdResult bad_deadline =
      run("ledger problem add air-2021/21 --problem x --responsibility y --measure z --deadline 赛前", true);
  EXPECT_EQ(bad_deadline.code, 2);
  EXPECT_NE(bad_deadline.out.find("not understood: '赛前'"), std::string::npos) << bad_deadline.out;

  CmdResult show = run("ledger show air-2021/21 --as-of 2021-06-30 --format json");
  ASSERT_EQ(show.code, 0) << show.out;
  json j = json::parse(show.out);
  EXPECT_EQ(j["status"], "in-progress");
  EXPECT_EQ(j["overdue"], false);
  EXPECT_EQ(j["progress"][0]["done"], "300");
  EXPECT_EQ(j["progress"][0]["share_percent"], 39.6);
  // 300 done over 2021-04-08..06-30 (84 days), 184 days left: 300 × 268 / 84 = 957.1 ≥ 757: on pace.
  EXPECT_EQ(j["progress"][0]["projected"], "957.1");
  EXPECT_EQ(j["on_pace"], true);
  ASSERT_EQ(j["status_history"].size(), 1u);
  EXPECT_EQ(j["status_history"][0]["by"], "李四");
  EXPECT_EQ(j["evidence"][0]["size"], 3);
  EXPECT_EQ(j["problems"][0]["due"], "2021-09-30");
  ASSERT_EQ(j["history"].size(), 4u) << "status, progress, evidence, problem; refusals leave no trace";
  EXPECT_EQ(j["history"][1]["action"], "progress");
  EXPECT_EQ(j["history"][1]["user"], "cli");
  EXPECT_EQ(j["history"][1]["role"], "admin");

  ASSERT_EQ(run("ledger status air-2021/21 --to 完成 --date 2021-11-30").code, 0);
  ASSERT_EQ(run("ledger status air-2021/21 --to 销号 --date 2021-12-05 --by 王科长").code, 0);
  CmdResult table = run("ledger show air-2021/21 --as-of 2021-12-31");
  EXPECT_NE(table.out.find("截至 2021-12-31: 销号"), std::string::npos) << table.out;
  CmdResult unknown = run("ledger show air-2021/999", true);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("no task 'air-2021/999'"), std::string::npos);
}

TEST_F(LedgerCli, ReportsInThreeFormats) {
  ASSERT_EQ(run("ledger status air-2021/3 --to 完成 --date 2021-04-28").code, 0);
  // Scorecard of air-2021 as of 2021-05-01. 44 of its 47 tasks name 各县（市、区）人民政府 (not 13, 43, 44);
  // 13 names 城区人民政府 and 泽州县人民政府. So 城区 and 泽州县 have 45 tasks, 高平市 44. The 11 overdue
  // tasks (see OverdueIsDerivedFromTheAsOfDate) all name 各县; task 3 is done.
  CmdResult sc = run("ledger report scorecard --plan air-2021 --as-of 2021-05-01 --format json");
  ASSERT_EQ(sc.code, 0) << sc.out;
  std::map<std::string, json> by;
  for (const json& r : json::parse(sc.out)) by[r["unit"]] = r;
  EXPECT_EQ(by["城区"]["total"], 45);
  EXPECT_EQ(by["泽州县"]["total"], 45);
  EXPECT_EQ(by["高平市"]["total"], 44);
  EXPECT_EQ(by["高平市"]["overdue"], 11);
  EXPECT_EQ(by["高平市"]["done"], 1);
  // 市生态环境局 leads or is responsible for every air task but 14, 15, 16, 17 and 24: 42.
  EXPECT_EQ(by["市生态环境局"]["total"], 42);
  // 高平市: 44 tasks, 43 not started, task 3 done, 11 overdue; task 21 (757 trucks) is its only amount of
  // work and with nothing reported 24 days after the plan's issue it is behind pace.
  CmdResult sc_csv = run("ledger report scorecard --plan air-2021 --as-of 2021-05-01 --format csv");
  EXPECT_EQ(
      sc_csv.out.rfind(
          "unit,total,not_started,in_progress,done,closed,overdue,with_quantity,on_pace,behind_pace\n", 0),
      0u)
      << sc_csv.out;
  EXPECT_NE(sc_csv.out.find("\n高平市,44,43,0,1,0,11,1,0,1\n"), std::string::npos) << sc_csv.out;
  // A county's tasks: those naming it (13: 泽州县人民政府) and those of 各县（市、区）人民政府 — 44 + 1 = 45.
  std::set<std::string> zezhou =
      ids("ledger tasks --plan air-2021 --unit 泽州县 --as-of 2021-05-01 --format json");
  EXPECT_EQ(zezhou.size(), 45u);
  EXPECT_EQ(zezhou.count("air-2021/13"), 1u);
  EXPECT_EQ(zezhou.count("air-2021/43"), 0u);
  // 市能源局 is named by tasks 9-12 and 14-17.
  EXPECT_EQ(ids("ledger tasks --plan air-2021 --unit 市能源局 --as-of 2021-05-01 --format json").size(), 8u);
  CmdResult csv = run("ledger report overdue --plan air-2021 --as-of 2021-05-01 --format csv");
  ASSERT_EQ(csv.code, 0);
  EXPECT_EQ(csv.out.rfind("unit,task,text,due,days_late,status\n", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("城区,air-2021/36,"), std::string::npos);
  // 2021 年 1 月底前 → due 2021-01-31; as of 2021-05-01 that is 28 + 31 + 30 + 1 = 90 days late.
  EXPECT_NE(csv.out.find(",2021-01-31,90,未开始\n"), std::string::npos) << csv.out;
  CmdResult table = run("ledger report overdue --plan air-2021 --as-of 2021-05-01");
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("逾期任务 截至 2021-05-01"), std::string::npos);
}

TEST_F(LedgerCli, BadPlanDirectoryStoresNothing) {
  fs::path bad = dir_.path() / "bad";
  fs::create_directories(bad);
  fs::copy_file(fs::path(demo_) / "plans.csv", bad / "plans.csv");
  std::ofstream(bad / "x.tasks.csv")
      << "plan,category,no,task,lead_units,responsible_units,deadline,quantity\n"
         "air-2021,新类别,900,新任务,市生态环境局,,2021年底前,\n"
         "air-2021,新类别,901,任务,,,2021年底前,\n";
  CmdResult r = run("ledger import " + bad.string(), true);
  EXPECT_EQ(r.code, 1) << "done, with input refused (reported)";
  EXPECT_NE(r.out.find("x.tasks.csv:3 [lead_units]: task has no owner"), std::string::npos) << r.out;
  EXPECT_EQ(run("ledger show air-2021/900", true).code, 2) << "the good row of the bad file is not stored";
  CmdResult again = run("ledger import " + demo_ + " --format json");
  EXPECT_EQ(json::parse(again.out)["tasks"]["same"], 175);
  CmdResult bad_status = run("ledger status air-2021/3 --to 逾期", true);
  EXPECT_EQ(bad_status.code, 2);
  EXPECT_NE(bad_status.out.find("unknown status '逾期'"), std::string::npos);
}

// A plan file with text that is not UTF-8 (a cell; a last line cut in the middle of a character) is refused
// at file:line [column], stores nothing (exit 1), and says the same the second time.
TEST_F(LedgerCli, TextThatIsNotUtf8IsRefusedAtFileLineColumn) {
  fs::path bad = dir_.path() / "bad_utf8";
  fs::create_directories(bad);
  fs::copy_file(fs::path(demo_) / "plans.csv", bad / "plans.csv");
  std::ofstream(bad / "x.tasks.csv", std::ios::binary)
      << "plan,category,no,task,lead_units,responsible_units,deadline,quantity\n"
         "air-2021,新类别,900,新任务,市生态环境局,,2021年底前,\n"
         "air-2021,新类别,901,任务\xE6\x99,市生态环境局,,2021年底前,\n"  // 任务 then E6 99 of 晚: byte 7
         "air-2021,新类别,902,任务,市生态\xE7\x8E";                      // cut in 环 (E7 8E AF): byte 10
  for (int round = 0; round < 2; ++round) {
    CmdResult r = run("ledger import " + bad.string(), true);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("x.tasks.csv:3 [task]: byte 7 (0xE6) is not valid UTF-8"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("x.tasks.csv:4 [lead_units]: byte 10 (0xE7) is not valid UTF-8"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("nothing stored"), std::string::npos) << r.out;
  }
  EXPECT_EQ(run("ledger show air-2021/900", true).code, 2)
      << "the good row of the refused file is not stored";
}

// A store written by an older version may hold task text with bytes that are not UTF-8: `ledger tasks` still
// answers, the JSON with U+FFFD and the table with \xHH.
TEST_F(LedgerCli, BadBytesStoredByAnOlderVersionAreReplacedInJsonAndEscapedInTables) {
  const std::string db_file = (dir_.path() / "ledger.db").string();
  CmdResult sql = ecomon::testing::run_command(
      "sqlite3 '" + db_file + "' \"UPDATE ld_task SET text = 'ab' || X'E699' WHERE id = 'air-2021/3'\"",
      true);
  ASSERT_EQ(sql.code, 0) << sql.out;
  CmdResult j = run("ledger tasks --plan air-2021 --as-of 2021-05-01 --format json", true);
  ASSERT_EQ(j.code, 0) << j.out;
  const json tasks = json::parse(j.out, nullptr, false);
  ASSERT_FALSE(tasks.is_discarded()) << j.out;
  ASSERT_EQ(tasks.size(), 47u);
  EXPECT_NE(j.out.find("ab\xEF\xBF\xBD"), std::string::npos);  // E6 99: one maximal bad part, one U+FFFD
  CmdResult t = run("ledger tasks --plan air-2021 --as-of 2021-05-01", true);
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("ab\\xE6\\x99"), std::string::npos) << t.out;
  CmdResult csv = run("ledger tasks --plan air-2021 --as-of 2021-05-01 --format csv", true);
  ASSERT_EQ(csv.code, 0) << csv.out;
  EXPECT_NE(csv.out.find("ab\\xE6\\x99"), std::string::npos) << csv.out;
  CmdResult show = run("ledger show air-2021/3 --as-of 2021-05-01", true);
  ASSERT_EQ(show.code, 0) << show.out;
  EXPECT_NE(show.out.find("\nab\\xE6\\x99\n"), std::string::npos) << show.out;
  CmdResult show_json = run("ledger show air-2021/3 --as-of 2021-05-01 --format json", true);
  ASSERT_EQ(show_json.code, 0) << show_json.out;
  EXPECT_FALSE(json::parse(show_json.out, nullptr, false).is_discarded()) << show_json.out;
}

}  // namespace

// --as USER acts as a stored account: its role and county come from `ecomon users add`, never from the
// command line. air-2021/28's lead unit is 城区政府: a 城区 county user may move it, a 泽州县 one may not
// (nothing stored).
TEST_F(LedgerCli, AsUserTakesTheStoredAccountsRole) {
  for (const char* u : {"zz --role county --county 泽州县", "cq --role county --county 城区"})
    ASSERT_EQ(run(std::string("users add ") + u + " --password ledger-test-pw").code, 0);
  auto history = [&] {
    CmdResult r = run("ledger show air-2021/28 --format json");
    EXPECT_EQ(r.code, 0) << r.out;
    return json::parse(r.out)["history"];
  };
  const json before = history();
  CmdResult refused = run("ledger status air-2021/28 --to 进行中 --date 2021-05-01 --as zz", true);
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_EQ(history(), before);
  CmdResult unknown = run("ledger status air-2021/28 --to 进行中 --date 2021-05-01 --as nobody", true);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("no user 'nobody'"), std::string::npos) << unknown.out;
  EXPECT_EQ(history(), before);
  ASSERT_EQ(run("ledger status air-2021/28 --to 进行中 --date 2021-05-01 --as cq").code, 0);
  const json after = history();
  ASSERT_EQ(after.size(), before.size() + 1);
  int by_cq = 0;
  for (const json& e : after) by_cq += e["user"] == "cq" && e["role"] == "county" && e["by"] == "cq";
  EXPECT_EQ(by_cq, 1) << after.dump(1);
}
