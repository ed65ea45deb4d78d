#include "app/ledger.h"

#include <ctime>

#include "ledger/plan_csv.h"

namespace ecomon::app {
namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
  return s;
}

Who who_of(const Actor& actor, const std::string& by) { return Who{actor, by, ""}; }

// The stored tasks of the plan (all without one) the actor may read, and the counties of the whole ledger.
StatusOr<std::vector<TaskRecord>> readable(Stores& stores, const Actor& who, const std::string& plan,
                                           std::vector<std::string>& counties) {
  auto all = stores.ledger().records();
  if (!all.ok()) return all.status();
  counties = ledger_counties(*all);
  std::vector<TaskRecord> out;
  for (TaskRecord& r : *all)
    if ((plan.empty() || r.task.plan == plan) && task_readable_by(who, r.task)) out.push_back(std::move(r));
  return out;
}

}  // namespace

CivilDay today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  constexpr int kTmYearBase = 1900;
  return CivilDay::from_ymd(tm.tm_year + kTmYearBase, tm.tm_mon + 1, tm.tm_mday);
}

StatusOr<LedgerImportResult> ledger_import(Stores& stores, const Actor& who, const std::filesystem::path& dir,
                                           const std::string& by) {
  ECOMON_RETURN_IF_ERROR(check_import(who));
  auto data = load_ledger_dir(dir);
  if (!data.ok()) return data.status();
  return stores.ledger().import_data(*data, who_of(who, by));
}

StatusOr<std::vector<TaskRecord>> ledger_tasks(Stores* stores, const Actor& who, const TasksRequest& req) {
  std::vector<TaskRecord> records;
  if (!req.dir.empty()) {
    auto data = load_ledger_dir(req.dir);
    if (!data.ok()) return data.status();
    for (const Task& t : data->tasks) {
      TaskRecord r{task_id(t), t, std::nullopt, {}, {}, {}, {}};
      for (const Plan& p : data->plans)
        if (p.id == t.plan) r.plan_issued = p.issued;
      records.push_back(std::move(r));
    }
  } else {
    if (!stores) return invalid_argument("ledger tasks: no store and no plan directory");
    auto rs = stores->ledger().records();
    if (!rs.ok()) return rs.status();
    records = std::move(*rs);
  }
  std::vector<std::string> counties = ledger_counties(records);
  std::vector<TaskRecord> out;
  for (TaskRecord& r : records) {
    const Task& task = r.task;
    if (!req.plan.empty() && task.plan != req.plan) continue;
    if (!task_readable_by(who, task)) continue;
    // The units as printed and the report groups (各县（市、区）人民政府 reaches every county).
    std::string units = joined(task.lead_units) + " " + joined(task.responsible_units) + " " +
                        joined(task_groups(task, counties));
    if (!req.unit.empty() && units.find(req.unit) == std::string::npos) continue;
    TaskView v = view_task(r, req.as_of);
    if (req.overdue_only && !v.overdue) continue;
    if (req.status && v.status != *req.status) continue;
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<TaskDetail> ledger_task(Stores& stores, const Actor& who, const std::string& id, CivilDay as_of) {
  auto r = stores.ledger().record(id);
  if (!r.ok()) return r.status();
  if (!task_readable_by(who, r->task)) return permission_denied("task " + id + " is not of " + who.county);
  auto hist = stores.ledger().history(id);
  if (!hist.ok()) return hist.status();
  return TaskDetail{std::move(*r), std::move(*hist), as_of};
}

Status ledger_change_status(Stores& stores, const Actor& who, const StatusRequest& req) {
  return stores.ledger().change_status(req.id, req.to, req.day, req.note, who_of(who, req.by));
}

Status ledger_add_progress(Stores& stores, const Actor& who, const ProgressRequest& req) {
  return stores.ledger().add_progress(req.id, req.quantity, req.amount, req.day, req.note,
                                      who_of(who, req.by));
}

StatusOr<int64_t> ledger_add_problem(Stores& stores, const Actor& who, const std::string& id,
                                     const ProblemInput& p, const std::string& by) {
  return stores.ledger().add_problem(id, p, who_of(who, by));
}

StatusOr<int64_t> ledger_add_evidence(Stores& stores, const Actor& who, const std::string& id,
                                      const EvidenceInput& e, const std::string& by) {
  return stores.ledger().add_evidence(id, e, who_of(who, by));
}

StatusOr<std::vector<OverdueRow>> ledger_overdue(Stores& stores, const Actor& who, const ReportRequest& req) {
  std::vector<std::string> counties;
  auto records = readable(stores, who, req.plan, counties);
  if (!records.ok()) return records.status();
  return overdue_by_unit(*records, req.as_of, counties);
}

StatusOr<std::vector<ScoreRow>> ledger_scorecard(Stores& stores, const Actor& who, const ReportRequest& req) {
  std::vector<std::string> counties;
  auto records = readable(stores, who, req.plan, counties);
  if (!records.ok()) return records.status();
  return scorecard(*records, req.as_of, counties);
}

}  // namespace ecomon::app
