// The task ledgers (目标与重点任务台账) as a storage concern: plans, tasks, targets, and what happens to the
// tasks — status changes, progress reports, problems (五张清单), evidence — each with who did it and when.
// Reads come in batches (every task with all its records in one call); each write use case runs in one
// transaction of the backend and is checked there against the Actor (ledger/tracking.h: check_task_write,
// check_import) and the stored state (the transition, the last change's day) before anything is written; a
// refused or invalid write stores nothing and returns a Status saying why.
//
//   LedgerStore& ls = stores.ledger();
//   auto r = ls.import_data(data, Who{actor, "王科长", ""});          // twice = no change
//   Status s = ls.change_status("air-2021/14", TaskStatus::kInProgress, day, "已启动", who);
//   auto records = ls.records();                                     // TaskRecord per task
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/plan_csv.h"
#include "ledger/tracking.h"

namespace ecomon {

// Who writes: the actor (checked), the operator's name recorded in the history (--by; defaults to actor.user)
// and the time of the write (UTC "YYYY-MM-DDTHH:MM:SSZ"; empty: now).
struct Who {
  Actor actor;
  std::string name;
  std::string at;
};

struct ProblemInput {
  std::string problem, responsibility, measure, deadline_text;  // deadline: a phrase of the deadline grammar
};
struct EvidenceInput {
  std::string note;
  std::string file_name;  // empty for a note only
  int64_t size = 0;
  std::string sha256;
};

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // Stores the parsed plan files (ledger/plan_csv.h) in one transaction: plans, tasks (by plan and no) and
  // targets are inserted or updated; rows the files no longer list are kept (their history stays). Status,
  // progress, problems and evidence are never touched. Bureau only (check_import).
  virtual StatusOr<LedgerImportResult> import_data(const LedgerData& data, const Who& who) = 0;

  virtual StatusOr<std::vector<Plan>> plans() = 0;
  virtual StatusOr<std::vector<Target>> targets() = 0;
  // Every task with its records, in plan and file order.
  virtual StatusOr<std::vector<TaskRecord>> records() = 0;
  // One task with its records; kNotFound for an unknown id.
  virtual StatusOr<TaskRecord> record(const std::string& id) = 0;
  // The audit trail of a task (empty id: the whole ledger), oldest first.
  virtual StatusOr<std::vector<HistoryEntry>> history(const std::string& id) = 0;

  // Status change taking effect on `day` (not before the last change's day). Checks the role and the
  // transition; 销号 also needs at least one evidence record.
  virtual Status change_status(const std::string& id, TaskStatus to, CivilDay day, const std::string& note,
                               const Who& who) = 0;
  // Progress report: `amount` as check_progress reads it ("120", "120 辆"), `label` picks the quantity.
  virtual Status add_progress(const std::string& id, const std::string& label, const std::string& amount,
                              CivilDay day, const std::string& note, const Who& who) = 0;
  // The new row's id.
  virtual StatusOr<int64_t> add_problem(const std::string& id, const ProblemInput& p, const Who& who) = 0;
  virtual StatusOr<int64_t> add_evidence(const std::string& id, const EvidenceInput& e, const Who& who) = 0;
};

}  // namespace ecomon
