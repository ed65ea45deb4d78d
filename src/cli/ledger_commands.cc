// `ecomon targets status` (target budgets from the computed air figures, for the
// --pm25/--good-ratio/--heavy-ratio flags and the stored targets) and `ecomon ledger ...` (the stored task
// ledger: import, tasks, show, status, progress, problem add, evidence add, report
// overdue|scorecard|targets). Writes run as Actor::operator_cli() with the operator's name from --by; the
// role rule itself is in ledger/tracking.h.
#include <iostream>
#include <optional>
#include <tuple>

#include "app/ledger.h"
#include "app/targets.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "core/utf8.h"
#include "ledger/deadline.h"
#include "ledger/ledger_format.h"
#include "ledger/plan_csv.h"
#include "ledger/targets_format.h"
#include "ledger/tracking.h"
#include "store/ledger/ledger_store.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

StatusOr<CivilDay> day_or_today(const std::string& text) {
  if (text.empty()) return app::today();
  return CivilDay::parse(text);
}

void add_format(CLI::App* c, std::string& format) {
  c->add_option("--format", format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
}

// The console operator, or the stored account of --as (cli/cli_actor.h); --by names the operator in the
// history.
StatusOr<Who> cli_who(const std::string& db, const std::string& as, const std::string& by) {
  auto actor = cli_actor(db, as);
  if (!actor.ok()) return actor.status();
  return Who{*actor, by.empty() && !as.empty() ? as : by, ""};
}

// ---- targets
// -------------------------------------------------------------------------------------------------

struct TOpts {
  std::string city, as_of, format = "table";
  std::optional<std::string> pm25, good, heavy;  // not given: the stored target of the year
  int year = 0;
  bool stored_only = false;
};

// The ranking's warnings (cities left out), then the report.
void print_targets(const TargetsReport& r, const std::string& format) {
  for (const std::string& w : r.warnings) std::cerr << "warning: " << w << "\n";
  std::cout << targets_text(r, format);
}

// `targets status`: the options parsed into the request, the service called, the report printed.
int run_targets_status(const std::string& db, const TOpts& o) {
  auto as_of = CivilDay::parse(o.as_of);
  if (!as_of.ok()) return fail(as_of.status());
  app::TargetsRequest req{o.city, *as_of, o.year};
  if (as_of->year() < (o.year ? o.year : as_of->year()))
    return fail(invalid_argument("--as-of is before the target year"));
  req.stored_only = o.stored_only;
  if (!o.stored_only) {
    for (auto [text, name, value] :
         {std::tuple{&o.pm25, "pm25", &req.pm25}, std::tuple{&o.good, "good-ratio", &req.good_ratio},
          std::tuple{&o.heavy, "heavy-ratio", &req.heavy_ratio}}) {
      if (!*text) continue;  // the stored target of the year (app/targets.h)
      auto v = parse_milli(**text);
      if (!v || *v < 0)
        return fail(invalid_argument(std::string("--") + name + ": '" + **text + "' is not a number"));
      *value = Rational{*v, kMilliPerUnit};
    }
  }
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = app::targets_status(**stores, Actor::operator_cli(), req);
  if (!r.ok()) return fail(r.status());
  print_targets(*r, o.format);
  return 0;
}

void register_targets(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<TOpts>();
  CLI::App* targets =
      app.add_subcommand("targets", "targets: where they stand and what the rest of the period may afford");
  targets->require_subcommand(1);
  CLI::App* status = targets->add_subcommand(
      "status", "year-to-date value and state of the flags' and the stored targets (budgets and levels)");
  status->add_option("--city", o->city, "city name")->required();
  status->add_option("--as-of", o->as_of, "evaluate as of this day, YYYY-MM-DD (the day counts)")->required();
  status->add_option("--year", o->year, "the flags' target year (default: the as-of date's year)");
  status->add_option("--pm25", o->pm25,
                     "PM2.5 annual mean target, ug/m3, at most (default: the stored pm25_mean target of the "
                     "year; none stored: 'no target for YEAR')");
  status->add_option(
      "--good-ratio", o->good,
      "good-day ratio target, %, at least (default: the stored good_day_ratio target of the year)");
  status->add_option(
      "--heavy-ratio", o->heavy,
      "heavy-pollution day ratio target, %, at most (default: the stored heavy_day_ratio target "
      "of the year)");
  status->add_flag("--stored-only", o->stored_only,
                   "only the stored targets (ecomon ledger import), not the flags'");
  add_format(status, o->format);
  status->callback([o, &global] { set_exit_code(run_targets_status(global.db, *o)); });
}

// ---- ledger
// --------------------------------------------------------------------------------------------------

// The store's concerns for one verb (opened once, passed by reference to the services).

// Runs `body` with the opened stores; an error opening them is the verb's failure (exit 2).
template <typename F>
void with_stores(const std::string& db, F&& body) {
  auto stores = open_stores(db);
  if (!stores.ok()) return set_exit_code(fail(stores.status()));
  body(**stores);
}

struct LOpts {
  std::string dir, as_of, unit, plan, status, format = "table";
  bool overdue_only = false;
};

void register_ledger_reads(CLI::App* ledger, GlobalOptions& global) {
  auto l = std::make_shared<LOpts>();
  CLI::App* tasks =
      ledger->add_subcommand("tasks", "tasks with their status, deadline, overdue and pace as of a date");
  tasks->add_option("--dir", l->dir,
                    "read the plan CSV directory instead of the store (no status is kept there)");
  tasks->add_option("--as-of", l->as_of, "judge deadlines and pace as of this day (default: today)");
  tasks->add_option("--plan", l->plan, "only this plan's tasks");
  tasks->add_option("--unit", l->unit,
                    "only tasks this unit or county leads or is responsible for (part of its name; a county "
                    "includes the tasks of 各县（市、区）人民政府)");
  tasks->add_option("--status", l->status,
                    "only tasks with this status as of the date (未开始 进行中 完成 销号 or code)");
  tasks->add_flag("--overdue", l->overdue_only, "only overdue tasks");
  add_format(tasks, l->format);
  tasks->callback([l, &global] {
    auto as_of = day_or_today(l->as_of);
    if (!as_of.ok()) return set_exit_code(fail(as_of.status()));
    app::TasksRequest req{l->dir, *as_of, l->plan, l->unit, std::nullopt, l->overdue_only};
    if (!l->status.empty()) {
      req.status = parse_task_status(l->status);
      if (!req.status)
        return set_exit_code(fail(invalid_argument("--status: unknown status '" + l->status + "'")));
    }
    // --dir reads no store: the stores are opened only for the store's tasks.
    std::unique_ptr<Stores> stores;
    if (l->dir.empty()) {
      auto opened = open_stores(global.db);
      if (!opened.ok()) return set_exit_code(fail(opened.status()));
      stores = std::move(*opened);
    }
    auto records = app::ledger_tasks(stores.get(), Actor::operator_cli(), req);
    if (!records.ok()) return set_exit_code(fail(records.status()));
    std::cout << tasks_table(*records, *as_of, l->format == "table").render(l->format);
  });

  struct SOpts {
    std::string id, as_of, format = "table";
  };
  auto s = std::make_shared<SOpts>();
  CLI::App* show = ledger->add_subcommand("show",
                                          "one task: its text, units, deadline, status history, progress, "
                                          "problems, evidence and audit trail");
  show->add_option("task", s->id, "task id, plan/no (e.g. air-2021/21)")->required();
  show->add_option("--as-of", s->as_of, "judge overdue and pace as of this day (default: today)");
  show->add_option("--format", s->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  show->callback([s, &global] {
    auto as_of = day_or_today(s->as_of);
    if (!as_of.ok()) return set_exit_code(fail(as_of.status()));
    with_stores(global.db, [&](Stores& stores) {
      auto d = app::ledger_task(stores, Actor::operator_cli(), s->id, *as_of);
      if (!d.ok()) return set_exit_code(fail(d.status()));
      if (s->format == "json") {
        std::cout << json_text(task_detail_json(d->record, d->history, *as_of), 2) << "\n";
      } else {
        std::cout << task_detail_text(d->record, d->history, *as_of);
      }
    });
  });
}

void register_ledger_writes(CLI::App* ledger, GlobalOptions& global) {
  struct WOpts {
    std::string dir, id, to, note, by, as, date, amount, quantity, format = "table";
    std::string problem, responsibility, measure, deadline, file;
  };
  auto w = std::make_shared<WOpts>();
  auto add_by = [w](CLI::App* c) {
    c->add_option("--by", w->by, "the operator's name, recorded in the history");
    c->add_option("--as", w->as, "act as this stored user (ecomon users add; default: the console operator)");
  };

  CLI::App* imp = ledger->add_subcommand(
      "import", "store the plan CSV directory (plans, tasks, targets); twice = no change");
  imp->add_option("dir", w->dir, "directory of plan CSV files (docs/ledger.md)")->required();
  add_by(imp);
  imp->add_option("--format", w->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  imp->callback([w, &global] {
    auto who = cli_who(global.db, w->as, w->by);
    if (!who.ok()) return set_exit_code(fail(who.status()));
    with_stores(global.db, [&](Stores& stores) {
      auto r = app::ledger_import(stores, who->actor, w->dir, who->name);
      if (!r.ok() && r.status().code() == StatusCode::kInvalidArgument) {
        // Rows refused (each at file:line [column]); a file with a bad row is stored not at all
        // (docs/ledger.md).
        std::cerr << "error: " << escape_invalid_utf8(r.status().message()) << "\nnothing stored\n";
        return set_exit_code(kExitRejected);
      }
      if (!r.ok()) return set_exit_code(fail(r.status()));
      std::cout << (w->format == "json" ? json_text(import_json(*r), 2) + "\n" : import_text(*r));
    });
  });

  CLI::App* st = ledger->add_subcommand("status", "change a task's status (未开始 → 进行中 → 完成 → 销号)");
  st->add_option("task", w->id, "task id, plan/no")->required();
  st->add_option("--to", w->to, "new status: 进行中|in-progress, 完成|done, 销号|closed")->required();
  st->add_option("--note", w->note, "why, what was done");
  st->add_option("--date", w->date, "the day the status takes effect (default: today)");
  add_by(st);
  st->callback([w, &global] {
    auto who = cli_who(global.db, w->as, w->by);
    if (!who.ok()) return set_exit_code(fail(who.status()));
    auto to = parse_task_status(w->to);
    if (!to) return set_exit_code(fail(invalid_argument("--to: unknown status '" + w->to + "'")));
    auto d = day_or_today(w->date);
    if (!d.ok()) return set_exit_code(fail(d.status()));
    with_stores(global.db, [&](Stores& stores) {
      Status s = app::ledger_change_status(stores, who->actor, {w->id, *to, *d, w->note, who->name});
      if (!s.ok()) return set_exit_code(fail(s));
      std::cout << w->id << ": " << task_status_chinese(*to) << " (" << d->to_string() << ")\n";
    });
  });

  CLI::App* pg = ledger->add_subcommand("progress", "report progress against a task's quantity");
  pg->add_option("task", w->id, "task id, plan/no")->required();
  pg->add_option("--amount", w->amount, "amount done in this report: 120, '120 辆', '1.2 万户'")->required();
  pg->add_option("--date", w->date, "the day of the report")->required();
  pg->add_option("--quantity", w->quantity, "the quantity's label when the task has several (e.g. 电代煤)");
  pg->add_option("--note", w->note, "note");
  add_by(pg);
  pg->callback([w, &global] {
    auto who = cli_who(global.db, w->as, w->by);
    if (!who.ok()) return set_exit_code(fail(who.status()));
    auto d = CivilDay::parse(w->date);
    if (!d.ok()) return set_exit_code(fail(d.status()));
    with_stores(global.db, [&](Stores& stores) {
      Status s = app::ledger_add_progress(stores, who->actor,
                                          {w->id, w->quantity, w->amount, *d, w->note, who->name});
      if (!s.ok()) return set_exit_code(fail(s));
      auto r = stores.ledger().record(w->id);
      if (!r.ok()) return set_exit_code(fail(r.status()));
      std::cout << w->id << ": " << share_text(view_task(*r, *d)) << "\n";
    });
  });

  CLI::App* problem = ledger->add_subcommand("problem", "problems of a task (五张清单)");
  problem->require_subcommand(1);
  CLI::App* padd =
      problem->add_subcommand("add", "add a problem: problem, responsibility, measure, deadline");
  padd->add_option("task", w->id, "task id, plan/no")->required();
  padd->add_option("--problem", w->problem, "the problem found (问题)")->required();
  padd->add_option("--responsibility", w->responsibility, "who is responsible (责任)")->required();
  padd->add_option("--measure", w->measure, "the measure taken (措施)")->required();
  padd->add_option("--deadline", w->deadline, "the deadline phrase (时限), e.g. 2021年8月底前")->required();
  add_by(padd);
  padd->callback([w, &global] {
    auto who = cli_who(global.db, w->as, w->by);
    if (!who.ok()) return set_exit_code(fail(who.status()));
    with_stores(global.db, [&](Stores& stores) {
      auto id = app::ledger_add_problem(stores, who->actor, w->id,
                                        ProblemInput{w->problem, w->responsibility, w->measure, w->deadline},
                                        who->name);
      if (!id.ok()) return set_exit_code(fail(id.status()));
      std::cout << w->id << ": problem #" << *id << "\n";
    });
  });

  CLI::App* evidence =
      ledger->add_subcommand("evidence", "evidence of a task: notes and attachments' metadata");
  evidence->require_subcommand(1);
  CLI::App* eadd = evidence->add_subcommand("add",
                                            "add a note and/or an attachment (its name, size and SHA-256 are "
                                            "stored, not its bytes)");
  eadd->add_option("task", w->id, "task id, plan/no")->required();
  eadd->add_option("--note", w->note, "the evidence note");
  eadd->add_option("--file", w->file, "a file to attach");
  add_by(eadd);
  eadd->callback([w, &global] {
    auto who = cli_who(global.db, w->as, w->by);
    if (!who.ok()) return set_exit_code(fail(who.status()));
    EvidenceInput e;
    if (!w->file.empty()) {
      auto m = attachment_metadata(w->file);
      if (!m.ok()) return set_exit_code(fail(m.status()));
      e = *m;
    }
    e.note = w->note;
    with_stores(global.db, [&](Stores& stores) {
      auto id = app::ledger_add_evidence(stores, who->actor, w->id, e, who->name);
      if (!id.ok()) return set_exit_code(fail(id.status()));
      std::cout << w->id << ": evidence #" << *id << (e.sha256.empty() ? "" : " sha256 " + e.sha256) << "\n";
    });
  });
}

// `ledger report overdue|scorecard` of the selected plan's tasks (all without a plan).
int run_ledger_report(const std::string& db, std::string_view kind, const LOpts& q) {
  auto as_of = CivilDay::parse(q.as_of);
  if (!as_of.ok()) return fail(as_of.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  app::ReportRequest req{*as_of, q.plan};
  if (kind == "overdue") {
    auto rows = app::ledger_overdue(**stores, Actor::operator_cli(), req);
    if (!rows.ok()) return fail(rows.status());
    std::cout
        << overdue_table(*rows, q.format == "table").render(q.format, "逾期任务 截至 " + as_of->to_string());
    return 0;
  }
  auto rows = app::ledger_scorecard(**stores, Actor::operator_cli(), req);
  if (!rows.ok()) return fail(rows.status());
  std::cout << scorecard_table(*rows).render(q.format, "任务计分卡 截至 " + as_of->to_string());
  return 0;
}

void register_ledger_reports(CLI::App* ledger, GlobalOptions& global) {
  auto o = std::make_shared<LOpts>();
  CLI::App* report =
      ledger->add_subcommand("report", "reports: overdue tasks by unit, scorecards, targets at risk");
  report->require_subcommand(1);
  CLI::App* overdue =
      report->add_subcommand("overdue", "overdue tasks by responsible unit (county or department)");
  overdue->add_option("--as-of", o->as_of, "as of this day")->required();
  overdue->add_option("--plan", o->plan, "only this plan's tasks");
  add_format(overdue, o->format);
  overdue->callback([o, &global] { set_exit_code(run_ledger_report(global.db, "overdue", *o)); });

  CLI::App* score =
      report->add_subcommand("scorecard", "tasks per county / department: total, status, overdue, pace");
  score->add_option("--as-of", o->as_of, "as of this day")->required();
  score->add_option("--plan", o->plan, "only this plan's tasks");
  add_format(score, o->format);
  score->callback([o, &global] { set_exit_code(run_ledger_report(global.db, "scorecard", *o)); });

  auto t = std::make_shared<TOpts>();
  CLI::App* risk = report->add_subcommand("targets", "stored targets at risk or missed as of a date");
  risk->add_option("--city", t->city, "city whose air figures the targets are evaluated on")->required();
  risk->add_option("--as-of", t->as_of, "as of this day")->required();
  add_format(risk, t->format);
  risk->callback([t, &global] {
    auto as_of = CivilDay::parse(t->as_of);
    if (!as_of.ok()) return set_exit_code(fail(as_of.status()));
    with_stores(global.db, [&](Stores& stores) {
      auto r = app::targets_at_risk(stores, Actor::operator_cli(), t->city, *as_of);
      if (!r.ok()) return set_exit_code(fail(r.status()));
      print_targets(*r, t->format);
    });
  });
}

}  // namespace

void register_ledger(CLI::App& app, GlobalOptions& global) {
  register_targets(app, global);
  CLI::App* ledger = app.add_subcommand("ledger", "the action plans' task ledgers (目标与重点任务台账)");
  ledger->require_subcommand(1);
  register_ledger_reads(ledger, global);
  register_ledger_writes(ledger, global);
  register_ledger_reports(ledger, global);
}

}  // namespace ecomon::cli
