// 大事记 from the ledger: the first completion of each task within the year, dated, sorted.
#include "ledger/chronicle.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

TaskRecord task(const std::string& id, const std::string& title, const std::string& text,
                std::vector<std::pair<CivilDay, TaskStatus>> changes) {
  TaskRecord r;
  r.id = id;
  r.task.title = title;
  r.task.text = text;
  TaskStatus from = TaskStatus::kNotStarted;
  for (const auto& [day, to] : changes) {
    r.status_changes.push_back({day, from, to, "", {}});
    from = to;
  }
  return r;
}

TEST(Chronicle, FirstCompletionInTheYearSortedByDay) {
  const CivilDay d = CivilDay::from_ymd(2025, 1, 1);
  std::vector<TaskRecord> tasks = {
      // done 2025-06-01, reopened, done again 2025-08-01: once, on 06-01.
      task("a/1", "淘汰燃煤锅炉", "",
           {{d + 10, TaskStatus::kInProgress},
            {d + 151, TaskStatus::kDone},
            {d + 160, TaskStatus::kInProgress},
            {d + 212, TaskStatus::kDone}}),
      // closed on 2025-03-01 (done the year before): the close counts.
      task("a/2", "", "完成渣场整治。", {{d - 20, TaskStatus::kDone}, {d + 59, TaskStatus::kClosed}}),
      // in progress only: not an entry.
      task("a/3", "x", "", {{d + 1, TaskStatus::kInProgress}}),
      // done in 2026: outside.
      task("a/4", "y", "", {{d + 400, TaskStatus::kDone}}),
  };
  auto e = completed_milestones(tasks, DayRange::year(2025));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].day.to_string(), "2025-03-01");  // 2025-01-01 + 59 days
  EXPECT_EQ(e[0].text, "完成渣场整治（a/2，销号）");
  EXPECT_EQ(e[0].ref, "a/2");
  EXPECT_EQ(e[1].day.to_string(), "2025-06-01");  // + 151 days: 31 + 28 + 31 + 30 + 31 = 151
  EXPECT_EQ(e[1].text, "淘汰燃煤锅炉（a/1，完成）");
  EXPECT_EQ(e[1].source, "ledger");
}

TEST(Chronicle, LongTextIsCutAtACharacterNotAByte) {
  std::string text;
  for (int i = 0; i < 45; ++i) text += "治";  // 45 characters, 135 bytes
  std::vector<TaskRecord> tasks = {
      task("p/9", "", text, {{CivilDay::from_ymd(2025, 2, 1), TaskStatus::kDone}})};
  auto e = completed_milestones(tasks, DayRange::year(2025));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, text.substr(0, 40 * 3) + "…（p/9，完成）");
  EXPECT_TRUE(completed_milestones({}, DayRange::year(2025)).empty());
}

}  // namespace
}  // namespace ecomon
