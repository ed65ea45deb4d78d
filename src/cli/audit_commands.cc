// `ecomon audit invalidate|correct|flag|restore|history|close|reopen|months|assign`: the data audit
// (数据审核, issue 19) over app/audit.h. Every write is recorded in the audit log (users audit) with its
// outcome, refused ones included; the versions themselves (who, when, why, old and new value) are the trail
// `audit history` shows.
#include <iostream>
#include <nlohmann/json.hpp>

#include "air/audit_format.h"
#include "app/audit.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

// Records a write in the audit log; a failure to record it fails the verb.
Status log_write(Stores& stores, const Actor& who, const std::string& action, const std::string& target,
                 const Status& s, const std::string& detail) {
  AuditEntry e{.user = who.user,
               .role = std::string(role_name(who.role)),
               .action = action,
               .target = target,
               .outcome = audit_outcome(s),
               .detail = s.ok() ? detail : s.message(),
               .via = "cli"};
  return stores.accounts().audit(e);
}

struct RangeOpts {
  std::string station, pollutant, from, to, reason, note, value, as_user, format = "table";
};

int run_change(const std::string& db, AuditAction action, const RangeOpts& o) {
  app::AuditChange c{.action = action, .station = o.station, .reason = o.reason, .note = o.note};
  if (action == AuditAction::kFlag && c.reason.empty()) c.reason = std::string(kReasonExceptionalEvent);
  auto range = app::parse_audit_range(o.from, o.to, o.pollutant, false);
  if (!range.ok()) return fail(range.status());
  c.pollutant = range->pollutant;
  c.first = range->first;
  c.last = range->last;
  if (!o.value.empty()) {
    auto v = parse_milli(o.value);
    if (!v || *v < 0 || *v > std::numeric_limits<Milli>::max())
      return fail(invalid_argument("--value '" + o.value + "' is not a concentration (e.g. 35 or 1.2)"));
    c.value = static_cast<Milli>(*v);
  }
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = app::audit_change(**stores, *who, c);
  const std::string target = o.station + " " + (o.pollutant.empty() ? "all" : o.pollutant) + " " +
                             c.first.to_string() + ".." + c.last.to_string();
  const std::string detail =
      r.ok() ? "reason " + c.reason + "; " + std::to_string(r->recorded.size()) + " versions; note: " + c.note
             : "";
  if (Status a = log_write(**stores, *who, "audit." + std::string(audit_action_name(action)), target,
                           r.ok() ? Status() : r.status(), detail);
      !a.ok())
    return fail(a);
  if (!r.ok()) return fail(r.status());
  if (o.format == "json")
    std::cout << json_text(audit_change_json(o.station, r->recorded, r->unchanged), 2) << "\n";
  else
    std::cout << audit_change_table(o.station, r->recorded, r->unchanged);
  return kExitOk;
}

int run_history(const std::string& db, const RangeOpts& o) {
  auto range = app::parse_audit_range(o.from, o.to, o.pollutant, false);
  if (!range.ok()) return fail(range.status());
  app::AuditHistoryRequest req{o.station, range->pollutant, range->first, range->last};
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto trails = app::audit_history(**stores, *who, req);
  if (!trails.ok()) return fail(trails.status());
  if (o.format == "json")
    std::cout << json_text(audit_trails_json(o.station, *trails), 2) << "\n";
  else
    std::cout << audit_trails_table(*trails);
  return kExitOk;
}

struct MonthOpts {
  std::string month, reason, as_user, format = "table";
  int year = 0;
};

int run_month(const std::string& db, const MonthOpts& o, bool close) {
  auto m = app::parse_audit_month(o.month);
  if (!m.ok()) return fail(m.status().with_context("--month"));
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  Status s = close ? app::audit_close_month(**stores, *who, *m, o.reason)
                   : app::audit_reopen_month(**stores, *who, *m, o.reason);
  if (Status a = log_write(**stores, *who, close ? "audit.close" : "audit.reopen", o.month, s, o.reason);
      !a.ok())
    return fail(a);
  if (!s.ok()) return fail(s);
  std::cout << "month " << o.month << (close ? " closed" : " reopened") << "\n";
  return kExitOk;
}

int run_months(const std::string& db, const MonthOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto list = app::audit_months(**stores, *who, o.year);
  if (!list.ok()) return fail(list.status());
  if (o.format == "json")
    std::cout << json_text(month_closings_json(*list), 2) << "\n";
  else
    std::cout << month_closings_table(*list);
  return kExitOk;
}

struct AssignOpts {
  std::string station, county, as_user;
};

int run_assign(const std::string& db, const AssignOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  Status s = app::audit_assign_station(**stores, *who, o.station, o.county);
  if (Status a = log_write(**stores, *who, "audit.assign", o.station, s, "county " + o.county); !a.ok())
    return fail(a);
  if (!s.ok()) return fail(s);
  std::cout << "station " << o.station
            << (o.county.empty() ? " assigned to no county" : " assigned to " + o.county) << "\n";
  return kExitOk;
}

void add_range(CLI::App* c, RangeOpts& o) {
  c->add_option("--station", o.station, "the station's code, e.g. 2160A")->required();
  c->add_option("--from", o.from, "first hour, named by its end: \"2019-01-10 01:00\"")->required();
  c->add_option("--to", o.to, "last hour, named by its end: \"2019-01-11 00:00\" (default: --from)");
  c->add_option("--pollutant", o.pollutant, "SO2, NO2, PM10, PM2.5, CO or O3 (default: all six)");
  c->add_option("--as", o.as_user, "act as this stored user (its role and county are checked)");
  c->add_option("--format", o.format, "table or json")->check(CLI::IsMember({"table", "json"}));
}

}  // namespace

void register_audit(CLI::App& app, GlobalOptions& global) {
  CLI::App* audit =
      app.add_subcommand("audit", "data audit (数据审核): invalidate, correct, restore hours; months");
  audit->require_subcommand(1);
  const std::string reasons =
      "instrument-fault, calibration, maintenance, power-cut, communication-loss, exceptional-event or other";
  for (const app::AuditVerb& v : app::kAuditVerbs) {
    auto o = std::make_shared<RangeOpts>();
    CLI::App* c = audit->add_subcommand(std::string(v.name), std::string(v.summary));
    add_range(c, *o);
    c->add_option("--reason", o->reason,
                  v.action == AuditAction::kRestore ? "optional: " + reasons : reasons);
    c->add_option("--note", o->note, "what happened");
    if (v.action == AuditAction::kCorrect)
      c->add_option("--value", o->value, "the corrected value in the pollutant's unit")->required();
    const AuditAction action = v.action;
    c->callback([o, action, &global] { set_exit_code(run_change(global.db, action, *o)); });
  }
  auto h = std::make_shared<RangeOpts>();
  CLI::App* hist = audit->add_subcommand("history", "the trail of a station's audited hours");
  add_range(hist, *h);
  hist->callback([h, &global] { set_exit_code(run_history(global.db, *h)); });

  for (bool close : {true, false}) {
    auto o = std::make_shared<MonthOpts>();
    CLI::App* c = audit->add_subcommand(close ? "close" : "reopen",
                                        close ? "close a month: its figures stay as audited"
                                              : "reopen a closed month (a reason is recorded)");
    c->add_option("--month", o->month, "YYYY-MM")->required();
    auto* reason = c->add_option("--reason", o->reason, "why");
    if (!close) reason->required();
    c->add_option("--as", o->as_user, "act as this stored user");
    c->callback([o, close, &global] { set_exit_code(run_month(global.db, *o, close)); });
  }
  auto m = std::make_shared<MonthOpts>();
  CLI::App* months = audit->add_subcommand("months", "months closed and reopened");
  months->add_option("--year", m->year, "one year (default: all)");
  months->add_option("--as", m->as_user, "act as this stored user");
  months->add_option("--format", m->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  months->callback([m, &global] { set_exit_code(run_months(global.db, *m)); });

  auto a = std::make_shared<AssignOpts>();
  CLI::App* assign =
      audit->add_subcommand("assign", "assign a station to a county (whose users may audit it)");
  assign->add_option("--station", a->station, "the station's code")->required();
  assign->add_option("--county", a->county, "the county (区县); empty removes it")->required();
  assign->add_option("--as", a->as_user, "act as this stored user");
  assign->callback([a, &global] { set_exit_code(run_assign(global.db, *a)); });
}

}  // namespace ecomon::cli
