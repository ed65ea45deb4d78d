// Period reports (月报, 季报) for the CLI and the server's schedule: their figures gathered from the services
// (the same calls as the verbs their footnotes name), and a report written as files. `ecomon bulletin
// --month|--quarter` writes one; `ecomon serve` writes each closed period's on the first day after it closes
// (ReportSchedule) into its reports directory, which the API lists and serves (docs/bulletin.md).
//
//   auto p = report::parse_report_period("2019-Q1");
//   auto req = gather_period_report(stores, who, "晋城", *p);        // report::PeriodReportRequest
//   auto b = report::build_period_report(req);
//   write_report_files(*b, "out/晋城/2019-Q1", {.pdf = false});     // bulletin.html, .json, .xlsx
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/actor.h"
#include "report/bulletin.h"
#include "report/pdf.h"
#include "report/period_report.h"
#include "store/api/stores.h"

namespace ecomon::cli {

// Each part's query result; a part whose query failed carries the error (noted in the report).
report::PeriodReportRequest gather_period_report(Stores& stores, const Actor& who, const std::string& city,
                                                 const report::ReportPeriod& period);

struct ReportFileOptions {
  bool pdf = true;                 // print bulletin.pdf with Chromium
  report::PdfOptions pdf_options;  // which Chromium
  std::string store;               // the store named in the notes ("" = not named)
};
// Writes bulletin.html, bulletin.json and bulletin.xlsx (its tables; skipped when it has none), then
// bulletin.pdf, into `dir` (created), each through a temporary file renamed when complete. The files written.
StatusOr<std::vector<std::filesystem::path>> write_report_files(const report::Bulletin& b,
                                                                const std::filesystem::path& dir,
                                                                const ReportFileOptions& options);

// The reports `ecomon serve` keeps: DIR/<city>/<period>/bulletin.{html,json,xlsx,pdf}, one directory per
// closed month and quarter, written the first time the schedule runs after the period closes. A period
// already written is not written again (delete its directory to have it rewritten).
struct ReportSchedule {
  std::filesystem::path dir;
  std::vector<std::string> cities;         // the cities reported on; empty: every city in the store
  int months_back = 1, quarters_back = 1;  // how many closed periods of each kind it keeps written
  ReportFileOptions files;
  std::optional<CivilDay> as_of;  // the scheduler's day instead of today (back-filling, tests)
};
struct ScheduleRun {
  std::vector<std::string> written;  // "晋城/2026-11"
  std::vector<std::string> failed;   // "晋城/2026-11: why" (also nothing to publish)
};
// Writes the reports due as of `today` (Beijing civil day) that are missing. Each is built in
// DIR/<city>/.<period>.partial and renamed into place when complete, so that a reader never sees half a
// report and a crash leaves nothing that counts as written. `stopping`, when given, is asked before each
// report: once it says true the run ends there (a stopping server waits for one report at most, not for
// every city's).
ScheduleRun run_report_schedule(const StoresOpener& open, const ReportSchedule& schedule, CivilDay today,
                                const std::function<bool()>& stopping = {});

// `ecomon serve`'s schedule on a thread of its own: runs at start, then every `every_seconds`, each time
// with today's Beijing date, and prints what it wrote and (once each) what failed. stop() (also the
// destructor) returns within a moment, after the report being written, if any.
class ReportScheduler {
 public:
  ReportScheduler(StoresOpener open, ReportSchedule schedule, double every_seconds);
  ~ReportScheduler();
  ReportScheduler(const ReportScheduler&) = delete;
  ReportScheduler& operator=(const ReportScheduler&) = delete;
  void stop();

 private:
  void loop();
  StoresOpener open_;
  ReportSchedule schedule_;
  double every_seconds_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace ecomon::cli
