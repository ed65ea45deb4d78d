// Tracking rules: status transitions, the role rule, progress amounts and pace, overdue, the reports.
#include "ledger/tracking.h"

#include <gtest/gtest.h>

#include <set>

namespace ecomon {
namespace {

CivilDay day(int y, int m, int d) { return CivilDay::from_ymd(y, m, d); }

Task make_task(std::string no, std::vector<std::string> lead, std::vector<std::string> resp,
               std::string deadline, std::vector<std::string> quantities = {}) {
  Task t;
  t.plan = "air-2021";
  t.no = std::move(no);
  t.text = "任务" + t.no;
  t.lead_units = std::move(lead);
  t.responsible_units = std::move(resp);
  t.deadline_text = deadline;
  if (!deadline.empty()) {
    auto d = parse_deadline(deadline, 2021);
    EXPECT_TRUE(d.ok()) << d.status().message();
    t.deadline = *d;
  }
  for (const std::string& q : quantities) t.quantities.push_back(*parse_quantity(q));
  return t;
}

TEST(TaskStatus, NamesRoundTrip) {
  for (TaskStatus s :
       {TaskStatus::kNotStarted, TaskStatus::kInProgress, TaskStatus::kDone, TaskStatus::kClosed}) {
    EXPECT_EQ(parse_task_status(task_status_code(s)), s);
    EXPECT_EQ(parse_task_status(task_status_chinese(s)), s);
  }
  EXPECT_EQ(parse_task_status("逾期"), std::nullopt) << "overdue is derived, never a status";
}

TEST(TaskStatus, OnlyTheDocumentedTransitions) {
  using enum TaskStatus;
  const std::set<std::pair<TaskStatus, TaskStatus>> allowed = {{kNotStarted, kInProgress},
                                                               {kNotStarted, kDone},
                                                               {kInProgress, kDone},
                                                               {kDone, kClosed},
                                                               {kDone, kInProgress}};
  int n_ok = 0;
  for (TaskStatus from : {kNotStarted, kInProgress, kDone, kClosed}) {
    for (TaskStatus to : {kNotStarted, kInProgress, kDone, kClosed}) {
      Status s = check_transition(from, to);
      EXPECT_EQ(s.ok(), allowed.count({from, to}) == 1)
          << task_status_code(from) << "->" << task_status_code(to);
      if (!s.ok()) {
        EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
      }
      n_ok += s.ok();
    }
  }
  EXPECT_EQ(n_ok, 5);
  EXPECT_EQ(check_transition(kInProgress, kClosed).message(),
            "status 进行中 → 销号 refused: only a 完成 (done) task can be closed (销号)");
  EXPECT_EQ(check_transition(kClosed, kInProgress).message(), "status 销号 → 进行中 refused: 销号 is final");
}

TEST(Roles, CountyGovernments) {
  EXPECT_EQ(county_government("泽州县人民政府"), "泽州县");
  EXPECT_EQ(county_government("泽州县政府"), "泽州县");
  EXPECT_EQ(county_government("高平市政府"), "高平市");
  EXPECT_EQ(county_government("城区人民政府"), "城区");
  EXPECT_EQ(county_government("市生态环境局"), std::nullopt);
  EXPECT_EQ(county_government(kEveryCounty), std::nullopt);
  EXPECT_EQ(county_government("开发区管委会"), std::nullopt);
  EXPECT_TRUE(unit_of_county("泽州县政府", "泽州县"));
  EXPECT_FALSE(unit_of_county("泽州县政府", ""));
  EXPECT_FALSE(unit_of_county("高平市政府", "泽州县"));
}

TEST(Roles, WhoMayWriteWhat) {
  Task own = make_task("1", {}, {"泽州县政府", "市水务局"}, "2021年6月底");
  Task other = make_task("2", {}, {"高平市政府"}, "2021年6月底");
  Task shared = make_task("3", {"市生态环境局"}, {std::string(kEveryCounty)}, "2021年6月底");
  Actor admin{"a", Role::kAdmin, "", ""}, analyst{"b", Role::kAnalyst, "", ""};
  Actor zz{"z", Role::kCounty, "泽州县", ""}, ent{"e", Role::kEnterprise, "", "E1"},
      pub{"p", Role::kPublic, "", ""};
  for (TaskWrite w : {TaskWrite::kStatus, TaskWrite::kClose, TaskWrite::kProgress, TaskWrite::kProblem,
                      TaskWrite::kEvidence}) {
    for (const Task* t : {&own, &other, &shared}) {
      EXPECT_TRUE(check_task_write(admin, *t, task_id(*t), w).ok());
      EXPECT_TRUE(check_task_write(analyst, *t, task_id(*t), w).ok());
      EXPECT_EQ(check_task_write(ent, *t, task_id(*t), w).code(), StatusCode::kPermissionDenied);
      EXPECT_EQ(check_task_write(pub, *t, task_id(*t), w).code(), StatusCode::kPermissionDenied);
      EXPECT_EQ(check_task_write(zz, *t, task_id(*t), TaskWrite::kClose).code(),
                StatusCode::kPermissionDenied);
    }
  }
  EXPECT_TRUE(check_task_write(zz, own, "air-2021/1", TaskWrite::kStatus).ok());
  EXPECT_TRUE(check_task_write(zz, own, "air-2021/1", TaskWrite::kProgress).ok());
  Status s = check_task_write(zz, other, "air-2021/2", TaskWrite::kProgress);
  EXPECT_EQ(s.message(), "user 'z' (county) may not change task air-2021/2: none of its units is of 泽州县");
  // A task every county shares: each county reports its own part, the city-wide status is the bureau's.
  EXPECT_TRUE(check_task_write(zz, shared, "air-2021/3", TaskWrite::kProgress).ok());
  EXPECT_TRUE(check_task_write(zz, shared, "air-2021/3", TaskWrite::kEvidence).ok());
  EXPECT_TRUE(check_task_write(zz, shared, "air-2021/3", TaskWrite::kProblem).ok());
  EXPECT_EQ(check_task_write(zz, shared, "air-2021/3", TaskWrite::kStatus).code(),
            StatusCode::kPermissionDenied);
  Actor nocounty{"n", Role::kCounty, "", ""};
  EXPECT_FALSE(check_task_write(nocounty, own, "air-2021/1", TaskWrite::kProgress).ok());
  EXPECT_TRUE(check_import(admin).ok());
  EXPECT_EQ(check_import(zz).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(report_county(zz), "泽州县");
  EXPECT_EQ(report_county(admin), "");
}

// Reading (the API's lists): the bureau every task; a county user its county's tasks and the every-county
// ones.
TEST(Roles, WhoMayReadWhat) {
  Task own = make_task("1", {}, {"泽州县政府", "市水务局"}, "2021年6月底");
  Task other = make_task("2", {}, {"高平市政府"}, "2021年6月底");
  Task shared = make_task("3", {"市生态环境局"}, {std::string(kEveryCounty)}, "2021年6月底");
  Task department = make_task("4", {"市生态环境局"}, {}, "2021年6月底");
  Actor analyst{"b", Role::kAnalyst, "", ""}, zz{"z", Role::kCounty, "泽州县", ""},
      nocounty{"n", Role::kCounty, "", ""}, ent{"e", Role::kEnterprise, "", "E1"};
  for (const Task* t : {&own, &other, &shared, &department}) {
    EXPECT_TRUE(task_readable_by(analyst, *t));
    EXPECT_FALSE(task_readable_by(nocounty, *t));
    EXPECT_FALSE(task_readable_by(ent, *t));
  }
  EXPECT_TRUE(task_readable_by(zz, own));
  EXPECT_TRUE(task_readable_by(zz, shared));
  EXPECT_FALSE(task_readable_by(zz, other));
  EXPECT_FALSE(task_readable_by(zz, department));
}

TEST(Progress, AmountsAndUnits) {
  Task t = make_task("9", {"市公安局"}, {}, "2021年底前", {"淘汰:757 辆"});
  auto a = check_progress(t, "", "120");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->amount, Decimal::of_int(120));
  EXPECT_EQ(check_progress(t, "", "120 辆")->amount, Decimal::of_int(120));
  EXPECT_EQ(check_progress(t, "淘汰", "120")->quantity, 0);
  EXPECT_EQ(quantity_text(t.quantities[0]), "淘汰:757 辆");
  EXPECT_EQ(quantity_text(*parse_quantity("≥30 %")), "≥30 %");
  EXPECT_EQ(*parse_quantity(quantity_text(*parse_quantity("清洁取暖改造:5.3258 万户"))),
            *parse_quantity("清洁取暖改造:53258 户"));
  EXPECT_EQ(check_progress(t, "", "120 辆次").status().message(),
            "amount: unknown unit '辆次' in '120 辆次'");
  EXPECT_EQ(check_progress(t, "", "3 户").status().message(),
            "amount '3 户': unit '户' does not match the task's quantity unit '辆'");
  EXPECT_EQ(check_progress(t, "", "0").status().message(), "amount '0' must be more than 0");
  EXPECT_FALSE(check_progress(t, "", "-5").ok());
  EXPECT_FALSE(check_progress(t, "", "≥5").ok());
  EXPECT_EQ(check_progress(t, "改造", "5").status().message(),
            "task air-2021/9 has no quantity labelled '改造'");

  Task none = make_task("10", {"市公安局"}, {}, "2021年底前");
  EXPECT_EQ(check_progress(none, "", "5").status().message(),
            "task air-2021/10 has no quantity to report progress against");
  Task limit = make_task("11", {"市住建局"}, {}, "2021年底前", {"降尘量:≤9 吨/月·平方公里"});
  EXPECT_EQ(check_progress(limit, "", "5").status().code(), StatusCode::kFailedPrecondition);
  // 5.3258万户 is kept as 53258 户; a report in 万户 is multiplied out the same way: 1.2 万户 = 12000 户.
  Task heat = make_task("12", {"市住建局"}, {}, "2020年10月底前", {"气代煤:16738 户", "电代煤:13175 户"});
  EXPECT_FALSE(check_progress(heat, "", "5").ok()) << "two quantities: the label is needed";
  auto h = check_progress(heat, "电代煤", "1.2 万户");
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->quantity, 1);
  EXPECT_EQ(h->amount, Decimal::of_int(12000));
}

TaskRecord truck_record() {
  TaskRecord r;
  r.task = make_task("9", {"市公安局"}, {}, "2021年底前", {"淘汰:757 辆"});
  r.id = task_id(r.task);
  r.plan_issued = day(2021, 4, 8);
  r.progress.push_back({0, day(2021, 6, 30), Decimal::of_int(200), "", "", {}});
  r.progress.push_back({0, day(2021, 7, 15), Decimal::of_int(150), "", "", {}});
  return r;
}

TEST(Progress, ShareAndLinearPace) {
  TaskRecord r = truck_record();
  // As of 2021-06-30: 200 done. Elapsed from the plan's issue 2021-04-08: 23 (Apr 8-30) + 31 + 30 = 84 days;
  // remaining to 2021-12-31: 184 days. Projected 200 × 268 / 84 = 638.1 < 757: behind pace.
  TaskView v = view_task(r, day(2021, 6, 30));
  ASSERT_EQ(v.progress.size(), 1u);
  EXPECT_EQ(v.progress[0].done, Decimal::of_int(200));
  EXPECT_EQ(v.progress[0].share, (Rational{200, 757}));
  EXPECT_EQ(v.progress[0].pace_start, day(2021, 4, 8));
  EXPECT_EQ(v.progress[0].projected, (Rational{200 * 268, 84}));
  EXPECT_EQ(v.on_pace, false);
  // As of 2021-07-15: 350 done over 99 days, 169 remain: 350 × 268 / 99 = 947.5 ≥ 757: on pace.
  v = view_task(r, day(2021, 7, 15));
  EXPECT_EQ(v.progress[0].done, Decimal::of_int(350));
  EXPECT_EQ(v.progress[0].projected, (Rational{350 * 268, 99}));
  EXPECT_EQ(v.on_pace, true);
  // Reports after the as-of date do not count; before the pace start nothing is judged.
  EXPECT_EQ(view_task(r, day(2021, 6, 29)).progress[0].done, Decimal::of_int(0));
  EXPECT_EQ(view_task(r, day(2021, 4, 7)).on_pace, std::nullopt);
  // At the due date with 350 of 757: not on pace; done ≥ target always is.
  EXPECT_EQ(view_task(r, day(2021, 12, 31)).on_pace, false);
  r.progress.push_back({0, day(2021, 9, 1), Decimal{4070, 1}, "泽州县", "", {}});
  v = view_task(r, day(2021, 9, 1));
  EXPECT_EQ(v.progress[0].done, (Decimal{7570, 1}));
  EXPECT_EQ(v.progress[0].share, (Rational{1, 1}));
  EXPECT_EQ(v.on_pace, true);
}

TEST(Progress, LevelsAreNotJudged) {
  TaskRecord r;
  r.task = make_task("11", {"市住建局"}, {}, "2021年底前", {"降尘量:≤9 吨/月·平方公里"});
  EXPECT_TRUE(view_task(r, day(2021, 6, 1)).progress.empty());
  EXPECT_EQ(view_task(r, day(2021, 6, 1)).on_pace, std::nullopt);
}

TEST(Overdue, DerivedFromTheDateAndTheStatus) {
  TaskRecord r = truck_record();
  EXPECT_FALSE(view_task(r, day(2021, 12, 31)).overdue);
  EXPECT_TRUE(view_task(r, day(2022, 1, 1)).overdue);
  r.status_changes.push_back({day(2021, 5, 1), TaskStatus::kNotStarted, TaskStatus::kInProgress, "", {}});
  r.status_changes.push_back({day(2022, 1, 5), TaskStatus::kInProgress, TaskStatus::kDone, "", {}});
  EXPECT_EQ(view_task(r, day(2021, 4, 30)).status, TaskStatus::kNotStarted);
  EXPECT_EQ(view_task(r, day(2021, 5, 1)).status, TaskStatus::kInProgress);
  EXPECT_TRUE(view_task(r, day(2022, 1, 4)).overdue);
  EXPECT_FALSE(view_task(r, day(2022, 1, 5)).overdue) << "done: no longer overdue";
  TaskRecord ongoing;
  ongoing.task = make_task("15", {"市能源局"}, {}, "长期坚持");
  EXPECT_FALSE(view_task(ongoing, day(2030, 1, 1)).overdue);
}

TEST(Reports, OverdueByUnitAndScorecard) {
  TaskRecord a, b, c;
  a.task = make_task("1", {"市生态环境局"}, {"泽州县政府"}, "2021年4月底前");
  b.task = make_task("2", {}, {std::string(kEveryCounty), "高平市人民政府"}, "2021年6月30日前");
  c.task = make_task("3", {"市能源局"}, {}, "长期坚持");
  for (TaskRecord* r : {&a, &b, &c}) r->id = task_id(r->task);
  b.status_changes.push_back({day(2021, 6, 1), TaskStatus::kNotStarted, TaskStatus::kDone, "", {}});
  std::vector<TaskRecord> all = {a, b, c};
  EXPECT_EQ(ledger_counties(all), (std::vector<std::string>{"泽州县", "高平市"}));
  EXPECT_EQ(task_groups(b.task, ledger_counties(all)), (std::vector<std::string>{"泽州县", "高平市"}));
  // As of 2021-07-01 only task 1 is overdue: 2021-04-30 + 62 days (May 31, June 30, July 1).
  std::vector<OverdueRow> od = overdue_by_unit(all, day(2021, 7, 1), ledger_counties(all));
  ASSERT_EQ(od.size(), 2u);
  EXPECT_EQ(od[0].unit, "市生态环境局");
  EXPECT_EQ(od[1].unit, "泽州县");
  EXPECT_EQ(od[1].task_id, "air-2021/1");
  EXPECT_EQ(od[1].days_late, 62);
  std::vector<ScoreRow> sc = scorecard(all, day(2021, 7, 1), ledger_counties(all));
  ASSERT_EQ(sc.size(), 4u);  // 市生态环境局, 市能源局, 泽州县, 高平市 (byte order)
  auto find = [&](const std::string& u) {
    for (const ScoreRow& s : sc)
      if (s.unit == u) return s;
    ADD_FAILURE() << u;
    return ScoreRow{};
  };
  ScoreRow zz = find("泽州县");
  EXPECT_EQ(zz.total, 2);  // task 1 by name, task 2 through 各县（市、区）人民政府
  EXPECT_EQ(zz.not_started, 1);
  EXPECT_EQ(zz.done, 1);
  EXPECT_EQ(zz.overdue, 1);
  ScoreRow gp = find("高平市");
  EXPECT_EQ(gp.total, 1) << "named twice (高平市人民政府 and 各县), counted once";
  EXPECT_EQ(gp.done, 1);
  EXPECT_EQ(find("市能源局").overdue, 0);
  EXPECT_TRUE(overdue_by_unit(all, day(2021, 4, 30), ledger_counties(all)).empty());
}

// Issue 21: nothing is overdue before its plan is issued (a task due 2021-03-31 in a plan issued 2021-04-08
// is not overdue on 2021-04-07, and is on 2021-04-08); a whole-period task (2021年5—9月) after its period; a
// recurrence written in the text is kept in the view.
TEST(View, OverdueOnlyFromThePlansIssueDateAndAfterAWholePeriod) {
  TaskRecord r;
  r.task = make_task("3", {"市生态环境局"}, {}, "2021年3月底前");
  r.id = task_id(r.task);
  r.plan_issued = day(2021, 4, 8);
  EXPECT_FALSE(view_task(r, day(2021, 4, 7)).overdue);
  EXPECT_TRUE(view_task(r, day(2021, 4, 8)).overdue);
  r.status_changes.push_back({day(2021, 4, 20), TaskStatus::kNotStarted, TaskStatus::kDone, "", {}});
  EXPECT_FALSE(view_task(r, day(2021, 5, 1)).overdue);  // done
  TaskRecord w;
  w.task = make_task("4", {"市生态环境局"}, {}, "2021年5—9月");
  w.task.text = "开展专项检查（每季度最少开展一次专项行动）";
  w.plan_issued = day(2021, 4, 8);
  EXPECT_FALSE(view_task(w, day(2021, 9, 30)).overdue);
  TaskView v = view_task(w, day(2021, 10, 1));
  EXPECT_TRUE(v.overdue);
  ASSERT_TRUE(v.recurrence.has_value());
  EXPECT_EQ(v.recurrence->period, RecurrencePeriod::kQuarterly);
  EXPECT_TRUE(v.recurrence_from_text);
  TaskRecord q;
  q.task = make_task("5", {"市生态环境局"}, {}, "每月");
  EXPECT_FALSE(view_task(q, day(2021, 10, 1)).recurrence_from_text);
  EXPECT_EQ(view_task(q, day(2021, 10, 1)).recurrence->period, RecurrencePeriod::kMonthly);
}

}  // namespace
}  // namespace ecomon
