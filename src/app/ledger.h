// The task ledgers' use cases (台账): import the plan files, list and show tasks as of a date, the writes on
// a task (status, progress, problem, evidence) and the reports (overdue by unit, scorecard). The reader's cut
// (task_readable_by, ledger/tracking.h) is made here on typed records; the writes are checked against the
// Actor (check_import; check_task_write inside the store's transaction) before anything is written.
// Formatting: ledger/ledger_format.h.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "ledger/tracking.h"

namespace ecomon::app {

// The local calendar day now: the default as-of date of the ledger's reads.
CivilDay today();

// `ledger import DIR`: parse the plan directory (all-or-nothing; kInvalidArgument with file:line [field]) and
// store it. `by` names the operator in the history (default: the actor's user).
StatusOr<LedgerImportResult> ledger_import(Stores& stores, const Actor& who, const std::filesystem::path& dir,
                                           const std::string& by = "");

struct TasksRequest {
  std::filesystem::path dir;  // set: read the plan files instead of the store (no status kept there)
  CivilDay as_of;
  std::string plan, unit;  // unit: part of a lead or responsible unit's name, or of a report group
  std::optional<TaskStatus> status;
  bool overdue_only = false;
};
// The tasks (records in plan and file order) the actor may read, filtered as of the date. `stores` may be
// null when req.dir is set (the plan files are read, no store is needed); otherwise kInvalidArgument.
StatusOr<std::vector<TaskRecord>> ledger_tasks(Stores* stores, const Actor& who, const TasksRequest& req);

struct TaskDetail {
  TaskRecord record;
  std::vector<HistoryEntry> history;
  CivilDay as_of;
};
// One task; kNotFound when unknown, kPermissionDenied when the actor may not read it.
StatusOr<TaskDetail> ledger_task(Stores& stores, const Actor& who, const std::string& id, CivilDay as_of);

struct StatusRequest {
  std::string id;
  TaskStatus to = TaskStatus::kInProgress;
  CivilDay day;
  std::string note, by;
};
Status ledger_change_status(Stores& stores, const Actor& who, const StatusRequest& req);

struct ProgressRequest {
  std::string id, quantity, amount;  // quantity: the label when the task has several
  CivilDay day;
  std::string note, by;
};
Status ledger_add_progress(Stores& stores, const Actor& who, const ProgressRequest& req);

// The new problem's or evidence's id.
StatusOr<int64_t> ledger_add_problem(Stores& stores, const Actor& who, const std::string& id,
                                     const ProblemInput& p, const std::string& by = "");
StatusOr<int64_t> ledger_add_evidence(Stores& stores, const Actor& who, const std::string& id,
                                      const EvidenceInput& e, const std::string& by = "");

struct ReportRequest {
  CivilDay as_of;
  std::string plan;  // empty: every plan
};
// Overdue tasks by responsible unit, and the scorecard per county or department, of the tasks the actor may
// read (每县 expands to the counties of the whole ledger).
StatusOr<std::vector<OverdueRow>> ledger_overdue(Stores& stores, const Actor& who, const ReportRequest& req);
StatusOr<std::vector<ScoreRow>> ledger_scorecard(Stores& stores, const Actor& who, const ReportRequest& req);

}  // namespace ecomon::app
