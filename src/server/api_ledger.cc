// /api/ledger/...: the task ledger (台账), an adapter over the ledger services (app/ledger.h) formatted as
// `ecomon ledger tasks|show|report --format json` (ledger/ledger_format.h). The services cut the reads to
// what the caller may read: the bureau every task, a county user the tasks whose units name its county or are
// 各县（市、区）人民政府 (task_readable_by, ledger/tracking.h); another county's task is 403. Writes (status
// change, progress report) run as the caller's Actor; the role rule (check_task_write) decides: a refusal is
// 403 and stores nothing.
#include "app/ledger.h"
#include "ledger/ledger_format.h"
#include "ledger/tracking.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

constexpr size_t kMaxNoteBytes = 2000;  // a note in a write's body

// The day of a query parameter; `fallback` when absent.
StatusOr<CivilDay> param_day(const ApiRequest& req, const std::string& name, CivilDay fallback) {
  const std::string v = req.param(name);
  if (v.empty()) return fallback;
  auto d = CivilDay::parse(v);
  if (!d.ok()) return invalid_argument(name + ": " + d.status().message());
  return *d;
}

// The task id of the path: /api/ledger/tasks/{plan}/{no}.
std::string path_task(const ApiRequest& req) {
  return req.path_params.at("plan") + "/" + req.path_params.at("no");
}

StatusOr<ApiReply> tasks(ApiContext& ctx, const ApiRequest& req) {
  auto as_of = param_day(req, "as_of", app::today());
  if (!as_of.ok()) return as_of.status();
  const std::string overdue = req.param("overdue", "false");
  if (overdue != "true" && overdue != "false") return invalid_argument("overdue must be true or false");
  const std::string status = req.param("status");
  app::TasksRequest q{{}, *as_of, req.param("plan"), req.param("unit"), std::nullopt, overdue == "true"};
  if (!status.empty() && !(q.status = parse_task_status(status)))
    return invalid_argument("status: unknown status '" + status +
                            "' (not-started, in-progress, done, closed)");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto records = app::ledger_tasks(*stores, req.actor, q);
  if (!records.ok()) return records.status();
  return items_reply(std::move(tasks_table(*records, *as_of, false).objects));
}

// The task as of the day, cut to what the caller may read.
StatusOr<ApiReply> task_reply(ApiContext& ctx, const Actor& who, const std::string& id, CivilDay as_of) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto d = app::ledger_task(**stores, who, id, as_of);
  if (!d.ok()) return d.status();
  ApiReply r;
  r.body = task_detail_json(d->record, d->history, as_of);
  return r;
}

StatusOr<ApiReply> task(ApiContext& ctx, const ApiRequest& req) {
  auto as_of = param_day(req, "as_of", app::today());
  if (!as_of.ok()) return as_of.status();
  return task_reply(ctx, req.actor, path_task(req), *as_of);
}

StatusOr<ApiReply> report(ApiContext& ctx, const ApiRequest& req, std::string_view kind) {
  if (req.param("as_of").empty()) return invalid_argument("as_of is required");
  auto as_of = param_day(req, "as_of", app::today());
  if (!as_of.ok()) return as_of.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  app::ReportRequest q{*as_of, req.param("plan")};
  json items;
  if (kind == "overdue") {
    auto rows = app::ledger_overdue(**stores, req.actor, q);
    if (!rows.ok()) return rows.status();
    items = std::move(overdue_table(*rows, false).objects);
  } else {
    auto rows = app::ledger_scorecard(**stores, req.actor, q);
    if (!rows.ok()) return rows.status();
    items = std::move(scorecard_table(*rows).objects);
  }
  ApiReply r = items_reply(std::move(items));
  r.body["as_of"] = as_of->to_string();
  return r;
}

// A write's body: the day (YYYY-MM-DD) and the note checked; 422 for a wrong value.
StatusOr<CivilDay> body_day(const json& b, const std::string& name) {
  auto d = CivilDay::parse(b.value(name, ""));
  if (!d.ok()) return failed_precondition(name + ": " + d.status().message());
  return *d;
}

Status check_note(const json& b) {
  if (b.value("note", "").size() > kMaxNoteBytes)
    return failed_precondition("note: longer than " + std::to_string(kMaxNoteBytes) + " bytes");
  return Status();
}

// The task as it is after a write (the body of a write's reply).
StatusOr<ApiReply> written(ApiContext& ctx, const std::string& id, CivilDay day) {
  auto r = task_reply(ctx, Actor::operator_cli(), id, day);
  if (!r.ok()) return r.status();
  r->audit_target = id;
  return r;
}

StatusOr<ApiReply> change_status(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"to", "day"}, {"note"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  auto to = parse_task_status(b["to"].get<std::string>());
  if (!to)
    return failed_precondition("to: not-started, in-progress, done or closed (or 未开始 进行中 完成 销号)");
  auto day = body_day(b, "day");
  if (!day.ok()) return day.status();
  ECOMON_RETURN_IF_ERROR(check_note(b));
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const std::string id = path_task(req);
  ECOMON_RETURN_IF_ERROR(
      app::ledger_change_status(**stores, req.actor, {id, *to, *day, b.value("note", ""), req.actor.user}));
  return written(ctx, id, *day);
}

StatusOr<ApiReply> add_progress(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"amount", "day"}, {"quantity", "note"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  auto day = body_day(b, "day");
  if (!day.ok()) return day.status();
  ECOMON_RETURN_IF_ERROR(check_note(b));
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const std::string id = path_task(req);
  Status s = app::ledger_add_progress(**stores, req.actor,
                                      {id, b.value("quantity", ""), b["amount"].get<std::string>(), *day,
                                       b.value("note", ""), req.actor.user});
  // A wrong amount or quantity label is a well-formed body with wrong content.
  if (s.code() == StatusCode::kInvalidArgument) return failed_precondition(s.message());
  ECOMON_RETURN_IF_ERROR(s);
  return written(ctx, id, *day);
}

}  // namespace

void add_ledger_routes(Router& r) {
  r.add(
      {.method = "GET",
       .pattern = "/api/ledger/tasks",
       .access = Access::kStaff,
       .summary =
           "ledger tasks with status, deadline, overdue and pace as of a date (county users: their county's)",
       .params = {{"plan", "only this plan's tasks"},
                  {"unit", "only tasks this unit or county leads or is responsible for (part of its name)"},
                  {"status", "only this status as of the date: not-started, in-progress, done, closed"},
                  {"overdue", "true: only overdue tasks"},
                  {"as_of", "YYYY-MM-DD (default: today)"}},
       .paged = true,
       .handler = tasks});
  r.add({.method = "GET",
         .pattern = "/api/ledger/tasks/{plan}/{no}",
         .access = Access::kStaff,
         .summary = "one task: status history, progress, problems, evidence and audit trail",
         .params = {{"as_of", "YYYY-MM-DD (default: today)"}},
         .handler = task});
  r.add({.method = "POST",
         .pattern = "/api/ledger/tasks/{plan}/{no}/status",
         .access = Access::kStaff,
         .summary = "change a task's status (the ledger's role rule decides)",
         .action = "ledger.status",
         .handler = change_status});
  r.add({.method = "POST",
         .pattern = "/api/ledger/tasks/{plan}/{no}/progress",
         .access = Access::kStaff,
         .summary = "report progress against a task's quantity",
         .action = "ledger.progress",
         .handler = add_progress});
  r.add({.method = "GET",
         .pattern = "/api/ledger/reports/overdue",
         .access = Access::kStaff,
         .summary = "overdue tasks by responsible unit as of a date",
         .params = {{"as_of", "YYYY-MM-DD", true}, {"plan", "only this plan's tasks"}},
         .paged = true,
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return report(ctx, req, "overdue"); }});
  r.add({.method = "GET",
         .pattern = "/api/ledger/reports/scorecard",
         .access = Access::kStaff,
         .summary = "tasks per county or department: total, status, overdue, pace",
         .params = {{"as_of", "YYYY-MM-DD", true}, {"plan", "only this plan's tasks"}},
         .paged = true,
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return report(ctx, req, "scorecard"); }});
}

}  // namespace ecomon::server
