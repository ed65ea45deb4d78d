#include "ledger/plan_csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace ecomon {
namespace {

const std::filesystem::path kDemo = std::filesystem::path(ECOMON_SOURCE_DIR) / "demo" / "ledger";

std::vector<Plan> two_plans() {
  Plan air{"air-2021", "空气", "", std::nullopt, 2021, "", ""};
  Plan aw{"autumn-winter-2020", "秋冬季", "", std::nullopt, 2020, "", ""};
  return {air, aw};
}

const Task* find_task(const LedgerData& d, std::string_view plan, std::string_view no) {
  for (const Task& t : d.tasks) {
    if (t.plan == plan && t.no == no) return &t;
  }
  return nullptr;
}

TEST(LedgerDemo, LoadsEveryFileWithTheSeedsCounts) {
  StatusOr<LedgerData> d = load_ledger_dir(kDemo);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->plans.size(), 5u);
  std::map<std::string, int> per_file;
  for (const Task& t : d->tasks) ++per_file[t.source.substr(0, t.source.find(':'))];
  EXPECT_EQ(per_file["air-2021.tasks.csv"], 47);            // 002 附件2: 序号 1..47
  EXPECT_EQ(per_file["water-2021.projects.csv"], 32);       // 002 水 附件2: 序号 1..32
  EXPECT_EQ(per_file["water-2021.tasks.csv"], 28);          // 002 水 三、重点任务, dated commitments
  EXPECT_EQ(per_file["autumn-winter-2020.tasks.csv"], 39);  // 003 附件 任务清单
  EXPECT_EQ(per_file["soil-2021.tasks.csv"], 16);           // 002 土壤 二、主要任务 1..15 (12a, 12b)
  EXPECT_EQ(per_file["autumn-winter-2020-body.tasks.csv"], 13);  // 003 body: dated, not in the annex
  EXPECT_EQ(d->targets.size(), 38u);

  int with_deadline = 0;
  for (const Task& t : d->tasks) {
    EXPECT_FALSE(t.lead_units.empty() && t.responsible_units.empty()) << t.source;
    EXPECT_EQ(t.deadline.has_value(), !t.deadline_text.empty()) << t.source;
    if (t.deadline) ++with_deadline;
  }
  // Two water body items print no time limit; of the soil items only 2 (2021年9月底前) and 12
  // (2021年底前, 2025年底前) state a date; every row of 003's body has one.
  EXPECT_EQ(with_deadline, 47 + 32 + 26 + 39 + 3 + 13);
}

TEST(LedgerDemo, QuantitiesInBaseUnits) {
  StatusOr<LedgerData> d = load_ledger_dir(kDemo);
  ASSERT_TRUE(d.ok()) << d.status().message();

  const Task* trucks = find_task(*d, "air-2021", "21");
  ASSERT_NE(trucks, nullptr);
  ASSERT_EQ(trucks->quantities.size(), 1u);
  EXPECT_EQ(trucks->quantities[0], (Quantity{"淘汰", Bound::kExactly, Decimal{757, 0}, "辆"}));
  EXPECT_EQ(trucks->lead_units, (std::vector<std::string>{"市交通局"}));
  EXPECT_EQ(trucks->deadline->due, CivilDay::from_ymd(2021, 12, 31));

  const Task* dust = find_task(*d, "air-2021", "33");
  ASSERT_NE(dust, nullptr);
  EXPECT_EQ(dust->quantities.at(0), (Quantity{"降尘量", Bound::kAtMost, Decimal{9, 0}, "吨/月·平方公里"}));
  EXPECT_EQ(dust->deadline->kind, DeadlineKind::kOngoing);

  const Task* heating = find_task(*d, "autumn-winter-2020", "19");
  ASSERT_NE(heating, nullptr);
  ASSERT_EQ(heating->quantities.size(), 5u);
  EXPECT_EQ(heating->quantities[0], (Quantity{"清洁取暖改造", Bound::kExactly, Decimal{53258, 0}, "户"}));
  EXPECT_EQ(heating->quantities[4], (Quantity{"替代散煤", Bound::kExactly, Decimal{186000, 0}, "吨"}));
  EXPECT_EQ(heating->deadline->due, CivilDay::from_ymd(2020, 10, 31));

  const Task* villages = find_task(*d, "water-2021", "二.7a");
  ASSERT_NE(villages, nullptr);
  EXPECT_EQ(villages->quantities.at(0).value, (Decimal{60, 0}));
  EXPECT_EQ(villages->quantities.at(0).unit, "个");
  EXPECT_EQ(villages->deadline->kind, DeadlineKind::kRange);

  const Task* south = find_task(*d, "water-2021", "12");
  ASSERT_NE(south, nullptr);
  EXPECT_EQ(south->deadline->start, CivilDay::from_ymd(2021, 4, 1));
  EXPECT_EQ(south->deadline->due, CivilDay::from_ymd(2021, 4, 10));
}

TEST(LedgerDemo, TargetsOfThePlans) {
  StatusOr<LedgerData> d = load_ledger_dir(kDemo);
  ASSERT_TRUE(d.ok()) << d.status().message();
  auto find = [&](std::string_view plan, Indicator ind, CivilDay first) -> const Target* {
    for (const Target& t : d->targets) {
      if (t.plan == plan && t.indicator == ind && t.period.first == first) return &t;
    }
    return nullptr;
  };
  const Target* q4 = find("autumn-winter-2020", Indicator::kPm25Mean, CivilDay::from_ymd(2020, 10, 1));
  ASSERT_NE(q4, nullptr);
  EXPECT_EQ(q4->value, (Decimal{53, 0}));
  EXPECT_EQ(q4->period.last, CivilDay::from_ymd(2020, 12, 31));
  const Target* q1 = find("autumn-winter-2020", Indicator::kPm25Mean, CivilDay::from_ymd(2021, 1, 1));
  ASSERT_NE(q1, nullptr);
  EXPECT_EQ(q1->value, (Decimal{82, 0}));
  EXPECT_EQ(q1->period.last, CivilDay::from_ymd(2021, 3, 31));
  const Target* pm = find("province-2022", Indicator::kPm25Mean, CivilDay::from_ymd(2022, 1, 1));
  ASSERT_NE(pm, nullptr);
  EXPECT_EQ(pm->value, (Decimal{44, 0}));
  EXPECT_EQ(pm->bound, Bound::kAtMost);
  const Target* good = find("province-2022", Indicator::kGoodDayRatio, CivilDay::from_ymd(2022, 1, 1));
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->value, (Decimal{63, 0}));
  EXPECT_EQ(good->bound, Bound::kAtLeast);
  const Target* heavy = find("province-2022", Indicator::kHeavyDayRatio, CivilDay::from_ymd(2022, 1, 1));
  ASSERT_NE(heavy, nullptr);
  EXPECT_EQ(heavy->value, (Decimal{16, 1}));
  int sections = 0, set_by_province = 0;
  for (const Target& t : d->targets) {
    if (t.indicator != Indicator::kSectionClass) continue;
    ++sections;
    if (!t.value) ++set_by_province;
  }
  EXPECT_EQ(sections, 22);
  EXPECT_EQ(set_by_province, 9);
}

TEST(PlanCsv, Quantities) {
  EXPECT_EQ(*parse_quantity("5.3258 万户"), (Quantity{"", Bound::kExactly, Decimal{53258, 0}, "户"}));
  EXPECT_EQ(*parse_quantity("x:≥30 %"), (Quantity{"x", Bound::kAtLeast, Decimal{30, 0}, "%"}));
  EXPECT_EQ(*parse_quantity("<=1.5万吨"), (Quantity{"", Bound::kAtMost, Decimal{15000, 0}, "吨"}));
  EXPECT_EQ(*parse_quantity("2.1 万亩"), (Quantity{"", Bound::kExactly, Decimal{21000, 0}, "亩"}));
  EXPECT_EQ(*parse_quantity("44 ug/m3"), (Quantity{"", Bound::kExactly, Decimal{44, 0}, "µg/m³"}));
  EXPECT_EQ(parse_quantity("757 辆次").status().message(), "unknown unit '辆次' in '757 辆次'");
  EXPECT_EQ(parse_quantity("辆").status().message(), "no number in quantity '辆'");
  EXPECT_EQ(parse_quantity("757").status().message(), "no unit in quantity '757'");
}

const char* kHeader = "plan,category,no,task,lead_units,responsible_units,deadline,quantity\n";

TEST(PlanCsv, BadRowsAreListedWithFileLineColumnAndNothingIsLoaded) {
  std::string text = std::string("# comment\n") + kHeader +
                     "air-2021,c,1,good task,市交通局,,2021年底前,淘汰:757 辆\n"
                     "air-2021,c,2,no owner,,,2021年底前,\n"
                     "air-2021,c,3,bad unit,市交通局,,2021年底前,757 辆次\n"
                     "air-2021,c,4,bad phrase,市交通局,,赛前,\n"
                     "air-2022,c,5,unknown plan,市交通局,,,\n"
                     "air-2021,c,1,duplicate,市交通局,,,\n"
                     "air-2021,c,7,\"unclosed,市交通局,,,\n"
                     "air-2021,c,8,empty unit,市交通局||市公安局,,,\n"
                     "air-2021,c,9,too few cells\n";
  StatusOr<std::vector<Task>> t = parse_tasks_csv(text, "x.csv", two_plans());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "x.csv:4 [lead_units]: task has no owner (lead_units and responsible_units are both empty)\n"
            "x.csv:5 [quantity]: unknown unit '辆次' in '757 辆次'\n"
            "x.csv:6 [deadline]: not understood: '赛前': unexpected '赛前'\n"
            "x.csv:7 [plan]: unknown plan 'air-2022'\n"
            "x.csv:8 [no]: duplicate task number '1'\n"
            "x.csv:9: unclosed quote\n"
            "x.csv:10 [lead_units]: empty unit name in '市交通局||市公安局'\n"
            "x.csv:11: 4 cells, the header has 8");
}

TEST(PlanCsv, GoodFileLoads) {
  std::string text =
      std::string(kHeader) +
      "autumn-winter-2020,c,1,\"a, quoted \"\"task\"\"\",,市能源局|各县（市、区）人民政府,全年,"
      "清洁取暖改造:5.3258 万户|替代散煤:18.6 万吨\n";
  StatusOr<std::vector<Task>> t = parse_tasks_csv(text, "y.csv", two_plans());
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->size(), 1u);
  const Task& task = t->front();
  EXPECT_EQ(task.text, "a, quoted \"task\"");
  EXPECT_EQ(task.responsible_units, (std::vector<std::string>{"市能源局", "各县（市、区）人民政府"}));
  EXPECT_EQ(task.deadline->start, CivilDay::from_ymd(2020, 1, 1));  // 全年 of the plan's year
  EXPECT_EQ(task.quantities.size(), 2u);
  EXPECT_EQ(task.source, "y.csv:2");
}

TEST(PlanCsv, MissingAndUnknownColumns) {
  StatusOr<std::vector<Task>> t = parse_tasks_csv("plan,category,no,task,owner\n", "z.csv", two_plans());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("z.csv:1 [lead_units]: missing column"), std::string::npos);
  EXPECT_NE(t.status().message().find("z.csv:1 [owner]: unknown column"), std::string::npos);
}

TEST(PlanCsv, BadTargets) {
  std::string text =
      "plan,indicator,label,scope,comparison,value,unit,period,owner,note\n"
      "air-2021,pm25_mean,PM2.5,全市,<=,44,µg/m³,2021年,市政府,\n"
      "air-2021,pm25_mean,PM2.5,全市,<=,44,%,2021年,市政府,\n"
      "air-2021,pm26_mean,PM2.6,全市,<=,44,µg/m³,2021年,市政府,\n"
      "air-2021,pm25_mean,PM2.5,全市,~,44,µg/m³,2021年,市政府,\n"
      "air-2021,pm25_mean,PM2.5,全市,<=,44,µg/m³,2021年底前,市政府,\n"
      "air-2021,pm25_mean,PM2.5,全市,<=,,µg/m³,2021年,市政府,\n"
      "air-2021,section_class,断面,x,<=,VI,类,2021年,,\n";
  StatusOr<std::vector<Target>> t = parse_targets_csv(text, "t.csv", two_plans());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "t.csv:3 [unit]: unit '%' does not fit pm25_mean (expects µg/m³)\n"
            "t.csv:4 [indicator]: unknown indicator 'pm26_mean'\n"
            "t.csv:5 [comparison]: unknown comparison '~' (expected <=, >=, <, >, =)\n"
            "t.csv:6 [period]: '2021年底前' names no range of days\n"
            "t.csv:7 [value]: no value and no note saying where it is set\n"
            "t.csv:8 [value]: unknown water class 'VI' (expected I, II, III, IV, V, 劣V)\n"
            "t.csv:8 [owner]: target has no owner");
}

TEST(PlanCsv, DirectoryIsAllOrNothing) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "ecomon_ledger_test_dir";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; };
  write("plans.csv", "plan,title,year\nair-2021,空气,2021\n");
  write("a.tasks.csv", std::string(kHeader) + "air-2021,c,1,ok,市交通局,,2021年底前,\n");
  write("b.tasks.csv",
        std::string(kHeader) + "air-2021,c,2,ok,市交通局,,2021年底前,\nair-2021,c,3,bad,,,,\n");
  StatusOr<LedgerData> d = load_ledger_dir(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(
      d.status().message(),
      "b.tasks.csv:3 [lead_units]: task has no owner (lead_units and responsible_units are both empty)");

  write("b.tasks.csv", std::string(kHeader) + "air-2021,c,1,same number as a,市交通局,,,\n");
  d = load_ledger_dir(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "b.tasks.csv:2 [no]: task number '1' of plan 'air-2021' already used in another file");

  std::filesystem::remove(dir / "b.tasks.csv");
  write("notes.csv", "x\n");
  d = load_ledger_dir(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "notes.csv: unknown file (expected plans.csv, targets.csv, *.tasks.csv, *.projects.csv)");

  std::filesystem::remove(dir / "notes.csv");
  d = load_ledger_dir(dir);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->tasks.size(), 1u);
  std::filesystem::remove_all(dir);
}

// Text that is not UTF-8 is refused at file:line [column] with the byte (a cell, a last line cut in the
// middle of a character, a header); the file is refused whole, as any file with a bad row (docs/ledger.md).
TEST(PlanCsv, TextThatIsNotUtf8IsRefusedWithFileLineColumn) {
  const std::string header = "plan,category,no,task,lead_units,responsible_units,deadline,quantity\n";
  // Line 2: the task text ends in E6 99, the first two bytes of 晚 (E6 99 9A).
  StatusOr<std::vector<Task>> cell = parse_tasks_csv(
      header + "air-2021,类别,1,任务\xE6\x99,市生态环境局,,2021年底前,\n", "x.csv", two_plans());
  ASSERT_FALSE(cell.ok());
  EXPECT_EQ(cell.status().message(), "x.csv:2 [task]: byte 7 (0xE6) is not valid UTF-8");  // 任务 = 6 bytes
  // The last line cut in the middle of a character (no newline after it).
  StatusOr<std::vector<Task>> cut = parse_tasks_csv(
      header + "air-2021,类别,1,任务,市生态环境局,,2021年底前,\nair-2021,类别,2,任务,市生态\xE7\x8E", "y.csv",
      two_plans());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().message(),
            "y.csv:3 [lead_units]: byte 10 (0xE7) is not valid UTF-8");  // 市生态 = 9 bytes
  // A header cell: no column of the file can be trusted, so that is the only error.
  StatusOr<std::vector<Task>> head = parse_tasks_csv(
      "plan,category,no,\xFF\xFEtask,lead_units,responsible_units,deadline,quantity\n"
      "air-2021,类别,1,任务,市生态环境局,,2021年底前,\n",
      "z.csv", two_plans());
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().message(), "z.csv:1 [column 4]: header: byte 1 (0xFF) is not valid UTF-8");
}

}  // namespace
}  // namespace ecomon
