// Tracking the plans' tasks (台账): status with its history, progress against a task's quantity, the 五张清单
// problems, evidence, who may change what, and the reports (overdue by unit, scorecards) as of a date.
//
// Pure: plain values in, values out. The store (store/ledger/ledger_store.h) keeps the records; this header
// decides what they mean. The rules (transitions, roles, pace) are documented in docs/ledger.md.
//
//   Status s = check_transition(TaskStatus::kNotStarted, TaskStatus::kClosed);   // 销号 before 完成: refused
//   Status w = check_task_write(actor, task, TaskWrite::kStatus);               // the role rule
//   TaskView v = view_task(record, CivilDay::from_ymd(2021, 6, 1));             // status, overdue, pace
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.h"
#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/plan_csv.h"

namespace ecomon {

// A task's status. Overdue is not a status: it is derived from the deadline and the as-of date.
enum class TaskStatus : uint8_t {
  kNotStarted,  // 未开始
  kInProgress,  // 进行中
  kDone,        // 完成 (reported done by the responsible unit)
  kClosed,      // 销号 (checked and closed by the bureau)
};
std::string_view task_status_code(TaskStatus s);     // "not-started", "in-progress", "done", "closed"
std::string_view task_status_chinese(TaskStatus s);  // 未开始, 进行中, 完成, 销号
// Accepts the code or the Chinese word.
std::optional<TaskStatus> parse_task_status(std::string_view text);

// The allowed transitions: 未开始 → 进行中 | 完成; 进行中 → 完成; 完成 → 销号 | 进行中 (reopened when the
// check fails); 销号 is final. Anything else (including a change to the same status) is FailedPrecondition.
Status check_transition(TaskStatus from, TaskStatus to);

// The unit printed for "every county's government": a task assigned to it is every county's.
inline constexpr std::string_view kEveryCounty = "各县（市、区）人民政府";
// The county a unit belongs to for the role rule: the unit's name starts with the county's name
// ("泽州县人民政府", "泽州县政府" belong to 泽州县). Empty county never matches.
bool unit_of_county(std::string_view unit, std::string_view county);
// The county whose government a unit is: "<name>(县|区|市)(人民政府|政府)" → "<name>县" etc.; nullopt for
// departments (市生态环境局), 开发区管委会, enterprises and kEveryCounty.
std::optional<std::string> county_government(std::string_view unit);

enum class TaskWrite : uint8_t {
  kStatus,    // a status change other than 销号
  kClose,     // 销号
  kProgress,  // a progress report
  kProblem,   // a problem (五张清单)
  kEvidence,  // an evidence note or attachment's metadata
};

// The role rule for writes on a task (docs/ledger.md "Who may write"):
// - admin and analyst (the bureau) may do anything; only they may 销号 (close) a task;
// - a county user may change the status of, and report on, a task whose lead or responsible units name its
//   county (unit_of_county); on a task shared only through kEveryCounty it may report progress, problems and
//   evidence for its own county but not change the city-wide status;
// - enterprise and public users may never write.
// A refusal is PermissionDenied and says why.
Status check_task_write(const Actor& actor, const Task& task, std::string_view task_id, TaskWrite write);
// Who may read a task (the API's lists and reports): the bureau every task; a county user the tasks whose
// lead or responsible units name its county (unit_of_county) or are kEveryCounty; nobody else.
bool task_readable_by(const Actor& actor, const Task& task);
// Importing plans is the bureau's.
Status check_import(const Actor& actor);
// The county a county user's report is recorded for; empty for the bureau (city-wide).
std::string report_county(const Actor& actor);

// Records kept for a task (what the store holds), in the order they were made.
struct WriteStamp {           // who did it and when
  std::string user;           // Actor::user
  std::string role;           // role_name
  std::string operator_name;  // --by NAME, or the user
  std::string at;             // UTC timestamp of the write, "2021-05-01T08:00:00Z"
};
struct StatusChange {
  CivilDay day;  // the day the status took effect
  TaskStatus from = TaskStatus::kNotStarted, to = TaskStatus::kNotStarted;
  std::string note;
  WriteStamp change;
};
struct ProgressReport {
  int32_t quantity = 0;  // index into Task::quantities
  CivilDay day;
  Decimal amount;      // in the quantity's base unit
  std::string county;  // the county reporting (county users), empty for the bureau
  std::string note;
  WriteStamp change;
};
struct Problem {  // one row of the 五张清单: 问题、责任、措施、时限 for a task
  int64_t id = 0;
  std::string problem, responsibility, measure, deadline_text;
  std::optional<CivilDay> due;
  std::string county;
  WriteStamp change;
};
struct Evidence {  // a note, or an attachment's metadata (the bytes are kept elsewhere)
  int64_t id = 0;
  std::string note;
  std::string file_name;
  int64_t size = 0;
  std::string sha256;  // hex
  std::string county;
  WriteStamp change;
};

struct TaskRecord {
  std::string id;  // "<plan>/<no>", e.g. "air-2021/14"
  Task task;
  std::optional<CivilDay> plan_issued;
  std::vector<StatusChange> status_changes;  // in order
  std::vector<ProgressReport> progress;
  std::vector<Problem> problems;
  std::vector<Evidence> evidence;
};

// What an import of the plan files did (the store's import_data).
struct LedgerImportResult {
  int32_t plans_new = 0, plans_changed = 0, plans_same = 0;
  int32_t tasks_new = 0, tasks_changed = 0, tasks_same = 0;
  int32_t targets_new = 0, targets_changed = 0, targets_same = 0;
  int32_t tasks_not_in_files = 0;  // stored tasks of the imported plans that the files no longer list (kept)
  bool changed() const {
    return plans_new + plans_changed + tasks_new + tasks_changed + targets_new + targets_changed > 0;
  }
};

// One line of the audit trail: every write on a task (and every import that changed something).
struct HistoryEntry {
  std::string task;    // empty for an import
  std::string action;  // import, status, progress, problem, evidence
  std::string detail;
  WriteStamp change;
};

// The task id of a task: plan + "/" + no.
std::string task_id(const Task& t);
// "淘汰:757 辆", "≥30 %" (no mark for an exact amount) — the form parse_quantity reads back.
std::string quantity_text(const Quantity& q);

// Checks a progress report before it is stored: the task must have a quantity that is an amount of work
// (bound =, ≥ or >, not a level such as % or µg/m³); `label` picks one when the task has several; `amount` is
// "120", "120 辆" or "1.2 万户" (unit, when given, must be the quantity's); it must be > 0.
struct ProgressAmount {
  int32_t quantity = 0;
  Decimal amount;
};
StatusOr<ProgressAmount> check_progress(const Task& task, std::string_view label, std::string_view amount);

// Progress on one quantity as of a date.
struct QuantityProgress {
  Quantity quantity;
  Decimal done;    // sum of the reports up to the as-of date
  Rational share;  // done / target (1 = all of it)
  std::optional<CivilDay>
      pace_start;  // the deadline's start, else the plan's issue date, else the first report
  // Linear projection to the due date: done × (elapsed + remaining) / elapsed; nullopt without a due date or
  // before pace_start.
  std::optional<Rational> projected;
  std::optional<bool> on_pace;  // projected ≥ target (done ≥ target always is); nullopt when not judged
};

struct TaskView {
  TaskStatus status = TaskStatus::kNotStarted;  // as of the date
  // A deadline passed (the day after due, or after a whole period) and not done or closed as of the date;
  // never before the plan's issue date.
  bool overdue = false;
  // The deadline's recurrence, else one written in the task's text (recurrence_in_text).
  std::optional<Recurrence> recurrence;
  bool recurrence_from_text = false;
  std::vector<QuantityProgress> progress;  // one per quantity that is an amount of work
  std::optional<bool> on_pace;             // all judged quantities on pace; nullopt when none is judged
};

// The status as of `day`: the last change that took effect on or before it (未开始 without one).
TaskStatus status_as_of(const std::vector<StatusChange>& changes, CivilDay day);
TaskView view_task(const TaskRecord& r, CivilDay as_of);

// The groups a task is reported under: each lead and responsible unit; a county government is grouped under
// its county (泽州县政府 and 泽州县人民政府 → 泽州县), and kEveryCounty under each of `counties`.
std::vector<std::string> task_groups(const Task& t, const std::vector<std::string>& counties);
// The counties named by county governments among all tasks' units, sorted.
std::vector<std::string> ledger_counties(const std::vector<TaskRecord>& records);

struct OverdueRow {
  std::string unit;
  std::string task_id;
  std::string text;
  CivilDay due;
  int32_t days_late = 0;
  TaskStatus status = TaskStatus::kNotStarted;
};
// Overdue tasks as of a date, one row per (group, task), sorted by group then days late (most first).
// `counties` are what kEveryCounty expands to (ledger_counties of the whole ledger, also when `records` is a
// selection).
std::vector<OverdueRow> overdue_by_unit(const std::vector<TaskRecord>& records, CivilDay as_of,
                                        const std::vector<std::string>& counties);

struct ScoreRow {
  std::string unit;
  int32_t total = 0, not_started = 0, in_progress = 0, done = 0, closed = 0, overdue = 0;
  int32_t with_quantity = 0, on_pace = 0, behind_pace = 0;
};
// Per group (county or department), sorted by group name.
std::vector<ScoreRow> scorecard(const std::vector<TaskRecord>& records, CivilDay as_of,
                                const std::vector<std::string>& counties);

}  // namespace ecomon
