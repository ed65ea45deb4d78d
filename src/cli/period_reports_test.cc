// The report scheduler's run stops between two reports once asked to (a stopping `serve` waits for the
// report in progress at most, not for every city's).
#include "cli/period_reports.h"

#include <gtest/gtest.h>

#include "core/status.h"

namespace ecomon::cli {
namespace {

// An opener that fails: every report due is then one failure, so the failures count the reports tried.
StatusOr<std::unique_ptr<Stores>> no_store() { return Status(StatusCode::kUnavailable, "no store here"); }

ReportSchedule two_cities(const std::filesystem::path& dir) {
  ReportSchedule s;
  s.dir = dir;
  s.cities = {"甲市", "乙市"};
  s.months_back = 2;
  s.quarters_back = 1;
  return s;
}

TEST(ReportSchedule, EveryReportDueIsTriedWhenNotStopping) {
  const auto dir = std::filesystem::temp_directory_path() / "ecomon_period_reports_test";
  // As of 2026-05-10: months 2026-04 and 2026-03, quarter 2026-Q1, for each of two cities: 6 reports.
  ScheduleRun run = run_report_schedule(no_store, two_cities(dir), CivilDay::from_ymd(2026, 5, 10));
  EXPECT_TRUE(run.written.empty());
  ASSERT_EQ(run.failed.size(), 6u);
  EXPECT_EQ(run.failed[0], "甲市/2026-04: no store here");
}

TEST(ReportSchedule, AStopEndsTheRunBeforeTheNextReport) {
  const auto dir = std::filesystem::temp_directory_path() / "ecomon_period_reports_test";
  int asked = 0;
  // Asked before each report: false, false, then true — two reports tried, the third not begun.
  ScheduleRun run = run_report_schedule(no_store, two_cities(dir), CivilDay::from_ymd(2026, 5, 10),
                                        [&asked] { return ++asked > 2; });
  EXPECT_EQ(asked, 3);
  ASSERT_EQ(run.failed.size(), 2u);
  EXPECT_EQ(run.failed[1], "甲市/2026-03: no store here");
  ScheduleRun none =
      run_report_schedule(no_store, two_cities(dir), CivilDay::from_ymd(2026, 5, 10), [] { return true; });
  EXPECT_TRUE(none.failed.empty() && none.written.empty());
}

}  // namespace
}  // namespace ecomon::cli
