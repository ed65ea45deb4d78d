// The stored ledger (目标与重点任务台账) in the same SQLite file as the main store: plans, categories, tasks,
// targets, and what happens to the tasks — status changes, progress reports, problems (五张清单), evidence —
// each with who did it and when (ld_* tables).
//
// LedgerStore opens its own sqlite3 connection (WAL, busy timeout) and uses parameterised SQL only. Every
// write takes the Actor that asks for it and checks it with ledger/tracking.h (check_task_write,
// check_import) before touching the store; a refused or invalid write stores nothing and returns a Status
// saying why. Every write runs in one transaction: nothing is ever half-written.
//
//   auto ls = LedgerStore::open("ecomon.db");
//   Who who{Actor::operator_cli(), "王科长", ""};
//   auto r = (*ls)->import_dir("demo/ledger", who);          // twice = no change
//   Status s = (*ls)->change_status("air-2021/14", TaskStatus::kInProgress, day, "已启动", who);
//   auto records = (*ls)->records();                           // TaskRecord per task, for view_task and
//   reports
//
// A LedgerStore is not thread-safe; use one per thread.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
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

struct LedgerImportResult {
  int32_t plans_new = 0, plans_changed = 0, plans_same = 0;
  int32_t tasks_new = 0, tasks_changed = 0, tasks_same = 0;
  int32_t targets_new = 0, targets_changed = 0, targets_same = 0;
  int32_t tasks_not_in_files = 0;  // stored tasks of the imported plans that the files no longer list (kept)
  bool changed() const {
    return plans_new + plans_changed + tasks_new + tasks_changed + targets_new + targets_changed > 0;
  }
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
// The metadata of a file to attach: its name (without directories), size and SHA-256 (libsodium).
StatusOr<EvidenceInput> attachment_metadata(const std::filesystem::path& path);

// One line of the audit trail: every write on a task (and every import that changed something).
struct HistoryEntry {
  std::string task;    // empty for an import
  std::string action;  // import, status, progress, problem, evidence
  std::string detail;
  WriteStamp change;
};

class LedgerStore {
 public:
  static StatusOr<std::unique_ptr<LedgerStore>> open(const std::string& path);
  ~LedgerStore();
  LedgerStore(const LedgerStore&) = delete;
  LedgerStore& operator=(const LedgerStore&) = delete;

  // Reads the plan CSV directory (load_ledger_dir: all-or-nothing, file:line [field] errors) and stores it in
  // one transaction. Plans, tasks (by plan and no) and targets are inserted or updated; rows the files no
  // longer list are kept (their history stays). Status, progress, problems and evidence are never touched.
  StatusOr<LedgerImportResult> import_dir(const std::filesystem::path& dir, const Who& who);
  StatusOr<LedgerImportResult> import_data(const LedgerData& data, const Who& who);

  StatusOr<std::vector<Plan>> plans();
  StatusOr<std::vector<Target>> targets();
  // Every task with its records, in plan and file order.
  StatusOr<std::vector<TaskRecord>> records();
  StatusOr<TaskRecord> record(const std::string& id);

  // Status change taking effect on `day` (not before the last change's day). Checks the role and the
  // transition; 销号 also needs at least one evidence record.
  Status change_status(const std::string& id, TaskStatus to, CivilDay day, const std::string& note,
                       const Who& who);
  // Progress report: `amount` as check_progress reads it ("120", "120 辆"), `label` picks the quantity.
  Status add_progress(const std::string& id, const std::string& label, const std::string& amount,
                      CivilDay day, const std::string& note, const Who& who);
  StatusOr<int64_t> add_problem(const std::string& id, const ProblemInput& p, const Who& who);
  StatusOr<int64_t> add_evidence(const std::string& id, const EvidenceInput& e, const Who& who);

  // The audit trail of a task (empty id: the whole ledger), oldest first.
  StatusOr<std::vector<HistoryEntry>> history(const std::string& id);

 private:
  class Impl;
  explicit LedgerStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
