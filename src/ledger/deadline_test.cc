#include "ledger/deadline.h"

#include <gtest/gtest.h>

#include <charconv>

#include "testing/csv_cases.h"

namespace ecomon {
namespace {

using testing::CaseRow;
using testing::read_cases;

int32_t to_int(const std::string& s) {
  int32_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string day_or_empty(const std::optional<CivilDay>& d) { return d ? d->to_string() : ""; }

TEST(DeadlineGolden, EveryPhraseOfTheSeeds) {
  std::vector<CaseRow> rows = read_cases("deadlines.csv");
  ASSERT_GE(rows.size(), 100u);
  int32_t understood = 0, rejected = 0;
  for (const CaseRow& row : rows) {
    const std::string& phrase = row.get("phrase");
    StatusOr<Deadline> d = parse_deadline(phrase, to_int(row.get("plan_year")));
    if (row.get("kind") == "error") {
      ++rejected;
      ASSERT_FALSE(d.ok()) << row.where() << ": '" << phrase << "' should be rejected";
      const std::string& m = d.status().message();
      std::string head = "not understood: '" + phrase + "': ";
      EXPECT_EQ(m.substr(0, head.size()), head) << row.where();
      EXPECT_NE(m.find(row.get("error")), std::string::npos) << row.where() << ": " << m;
      continue;
    }
    ++understood;
    ASSERT_TRUE(d.ok()) << row.where() << ": " << d.status().message();
    EXPECT_EQ(deadline_kind_name(d->kind), row.get("kind")) << row.where();
    EXPECT_EQ(day_or_empty(d->start), row.get("start")) << row.where();
    EXPECT_EQ(day_or_empty(d->due), row.get("due")) << row.where();
    EXPECT_EQ(recurrence_period_name(d->recurrence.period), row.get("recurrence")) << row.where();
    EXPECT_EQ(d->recurrence.times, to_int(row.get("times"))) << row.where();
    EXPECT_EQ(d->recurrence.within_days, to_int(row.get("within_days"))) << row.where();
    EXPECT_EQ(d->milestone, row.get("milestone")) << row.where();
    EXPECT_EQ(d->year_from_plan, row.get("year_from_plan") == "yes") << row.where();
  }
  EXPECT_GE(understood, 90);
  EXPECT_GE(rejected, 20);
}

TEST(Deadline, OverdueOnlyAfterTheDueDay) {
  Deadline d = *parse_deadline("2021年4月底前", 2021);
  EXPECT_FALSE(is_overdue(d, CivilDay::from_ymd(2021, 4, 30)));
  EXPECT_TRUE(is_overdue(d, CivilDay::from_ymd(2021, 5, 1)));
  EXPECT_FALSE(is_overdue(*parse_deadline("长期坚持", 2021), CivilDay::from_ymd(2030, 1, 1)));
  EXPECT_FALSE(is_overdue(*parse_deadline("2021年10月1日起", 2021), CivilDay::from_ymd(2030, 1, 1)));
}

TEST(Deadline, CurrentPeriodOfARecurringTask) {
  Deadline q = *parse_deadline("每季度开展一次", 2021);
  std::optional<DayRange> p = current_period(q, CivilDay::from_ymd(2021, 5, 17));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->first, CivilDay::from_ymd(2021, 4, 1));
  EXPECT_EQ(p->last, CivilDay::from_ymd(2021, 6, 30));
  // 2021-04-08 was a Thursday: its week runs Monday 04-05 .. Sunday 04-11.
  std::optional<DayRange> w = current_period(*parse_deadline("每周", 2021), CivilDay::from_ymd(2021, 4, 8));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->first, CivilDay::from_ymd(2021, 4, 5));
  EXPECT_EQ(w->last, CivilDay::from_ymd(2021, 4, 11));
  EXPECT_FALSE(
      current_period(*parse_deadline("2021年底前", 2021), CivilDay::from_ymd(2021, 4, 8)).has_value());
}

TEST(Deadline, InvalidUtf8IsRejectedNotGuessed) {
  StatusOr<Deadline> d = parse_deadline("2021\xff年", 2021);
  EXPECT_FALSE(d.ok());
}

}  // namespace
}  // namespace ecomon

namespace ecomon {
namespace {

// Issue 21: a whole-period deadline (2021年5—9月, 2021年) is overdue the day after its period, like a due
// date.
TEST(DeadlineFidelity, WholePeriodDeadlinesAreOverdueAfterThePeriod) {
  const Deadline months = *parse_deadline("2021年5—9月", 2021);
  ASSERT_EQ(months.kind, DeadlineKind::kRange);
  EXPECT_FALSE(is_overdue(months, CivilDay::from_ymd(2021, 9, 30)));
  EXPECT_TRUE(is_overdue(months, CivilDay::from_ymd(2021, 10, 1)));
  const Deadline year = *parse_deadline("2021年", 2021);
  EXPECT_FALSE(is_overdue(year, CivilDay::from_ymd(2021, 12, 31)));
  EXPECT_TRUE(is_overdue(year, CivilDay::from_ymd(2022, 1, 1)));
}

// Issue 21: a recurrence written in a task's text (seed 002's 第15条 and 第18条).
TEST(DeadlineFidelity, RecurrenceInsideATasksText) {
  auto r = recurrence_in_text("重点整治散装物料运输车辆密闭不严（每季度最少开展一次专项行动），优化路线。");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->period, RecurrencePeriod::kQuarterly);
  EXPECT_EQ(r->times, 1);
  auto m = recurrence_in_text("推进淘汰；每季度开展一次非道路移动机械专项检查工作，对未登记的整治。");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->period, RecurrencePeriod::kQuarterly);
  // No count (每月…公开 has no 次), punctuation between the period and 次, nothing at all: none.
  EXPECT_FALSE(recurrence_in_text("入河排污口监测结果每月向社会公开。").has_value());
  EXPECT_FALSE(recurrence_in_text("每月检查，发现问题一次整改").has_value());
  EXPECT_FALSE(recurrence_in_text("").has_value());
}

}  // namespace
}  // namespace ecomon
