// `ecomon emergency import|warnings|declare|lift|check-list|roster|compliance|demo-registry`: heavy-pollution
// weather response (docs/emergency.md). Thin adapters: each verb reads its options (the list templates
// through ingest/emergency_csv.h), calls the services of app/emergency.h on the store and prints the typed
// results with emergency/emergency_format.h.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "air/city_data.h"
#include "app/emergency.h"
#include "app/sources.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "demo/emergency_list_demo.h"
#include "emergency/emergency_format.h"
#include "ingest/emergency_csv.h"
#include "power/power_format.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

namespace em = emergency;

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// Who runs the command: the console operator, or --as USER, a stored account (cli/cli_actor.h).
struct ActorOpts {
  std::string user;
  StatusOr<Actor> actor(Stores& stores) const { return cli_actor(stores, user); }
  void add_to(CLI::App* c) {
    c->add_option("--as", user, "act as this stored user (ecomon users add; default: the console operator)");
  }
};

void print(const std::string& format, const nlohmann::json& j, const em::Table& t) {
  if (format == "json") {
    std::cout << json_text(j, 2) << "\n";
  } else if (format == "csv") {
    std::cout << t.render_csv();
  } else {
    std::cout << t.render_text();
  }
}

CLI::Option* add_format(CLI::App* c, std::string& f) {
  return c->add_option("--format", f, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

// The console operator's view of the store (the verbs without --as run as Actor::operator_cli()).
const Actor kOperator = Actor::operator_cli();

StatusOr<std::unique_ptr<Stores>> open_stores(const GlobalOptions& g) { return ecomon::open_stores(g.db); }

// The episodes of a city's computed daily AQI (air module, HJ 633 rules by date) over [from, to]. Days
// without an AQI (too few valid hours) count as not heavy and are reported.
int run_hindsight(Stores& stores, const std::string& city, const std::string& from, const std::string& to,
                  const em::WarningRules& rules, const std::string& format) {
  auto first = CivilDay::parse(from), last = CivilDay::parse(to);
  if (!first.ok() || !last.ok() || *last < *first)
    return fail(invalid_argument("--city needs --from and --to, YYYY-MM-DD, from <= to"));
  const DayRange range{*first, *last};
  RuleChoice choice;
  auto data = load_city(stores.time_series(), stores.records(), city, range, choice.params);
  if (!data.ok()) return fail(data.status());
  std::vector<em::ForecastDay> series;
  std::vector<std::string> missing;
  for (const DayReport& d : city_day_reports(*data, range, choice)) {
    if (!d.aqi.aqi) missing.push_back(d.day.to_string());
    series.push_back({d.day, d.aqi.aqi.value_or(0)});
  }
  auto eps = em::episodes(series, rules);
  if (!eps.ok()) return fail(eps.status());
  em::Table t{{"级别", "起", "止", "重污染天数", ">300天数", "依据"}, {}};
  nlohmann::json list = nlohmann::json::array();
  for (const em::LevelDecision& e : *eps) {
    t.rows.push_back({std::string(em::level_name_zh(e.level)), e.first->to_string(), e.last->to_string(),
                      std::to_string(e.heavy_days), std::to_string(e.severe_days), e.reason});
    list.push_back({{"level", em::level_name(e.level)},
                    {"first", e.first->to_string()},
                    {"last", e.last->to_string()},
                    {"heavy_days", e.heavy_days},
                    {"severe_days", e.severe_days},
                    {"extreme", e.extreme},
                    {"reason", e.reason}});
  }
  if (format == "table")
    std::cout << fmt::format("{} {} .. {}: {} episode(s); {} day(s) without AQI counted as not heavy\n", city,
                             from, to, eps->size(), missing.size());
  print(format,
        {{"city", city}, {"from", from}, {"to", to}, {"days_without_aqi", missing}, {"episodes", list}}, t);
  return 0;
}

void register_import(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string dir, format = "table";
    ActorOpts as;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand("import", "import the list templates of a directory (all or nothing)");
  c->add_option("dir", o->dir, "directory with enterprises.csv, lines.csv, measures.csv, inspections.csv")
      ->required();
  c->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  o->as.add_to(c);
  c->callback([o, &global] {
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto actor = o->as.actor(**stores);
    if (!actor.ok()) return set_exit_code(fail(actor.status()));
    auto stored = (*stores)->emergency().load_list();
    if (!stored.ok()) return set_exit_code(fail(stored.status()));
    auto imp = parse_list_import(o->dir, *actor, *stored);
    if (!imp.ok()) return set_exit_code(fail(imp.status()));
    if (imp->written()) {  // all or nothing: written only when every row is good
      auto counts = app::write_emergency_list(**stores, *actor, imp->enterprises, imp->inspections);
      if (!counts.ok()) return set_exit_code(fail(counts.status()));
      imp->counts = *counts;
    }
    const ListImport& r = *imp;
    if (o->format == "json") {
      nlohmann::json issues = nlohmann::json::array();
      for (const ImportIssue& i : r.report.issues)
        issues.push_back({{"kind", i.kind},
                          {"file", i.file},
                          {"line", i.line},
                          {"field", i.field},
                          {"message", i.message}});
      std::cout << json_text(nlohmann::json{{"written", r.written()},
                                            {"rows", r.report.rows},
                                            {"issues_total", r.report.issue_total()},
                                            {"issues", issues},
                                            {"added", r.counts.added},
                                            {"updated", r.counts.updated},
                                            {"unchanged", r.counts.unchanged},
                                            {"inspections_added", r.counts.inspections_added}},
                             2)
                << "\n";
    } else {
      if (r.written()) {
        std::cout << fmt::format(
            "imported: {} added, {} updated, {} unchanged entries; {} inspections added\n", r.counts.added,
            r.counts.updated, r.counts.unchanged, r.counts.inspections_added);
      } else {
        std::cout << "nothing imported: " << r.report.issue_total() << " problem(s)\n" << r.report.summary();
      }
    }
    set_exit_code(r.written() ? 0 : 1);
  });
}

void register_warnings(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string forecast, format = "table", city, from, to;
    std::vector<std::string> rules;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand(
      "warnings", "the warning history and in force; with --forecast the level it calls for and the advice");
  c->add_option("--forecast", o->forecast, "forecast CSV (date,aqi), today first");
  c->add_option("--city", o->city,
                "hindsight: the episodes of the city's computed daily AQI (with --from, --to)");
  c->add_option("--from", o->from, "hindsight: first day, YYYY-MM-DD");
  c->add_option("--to", o->to, "hindsight: last day, YYYY-MM-DD");
  c->add_option("--rule", o->rules,
                "override a warning rule, NAME=VALUE (e.g. orange_severe_days=1, lift_hours=24)");
  add_format(c, o->format);
  c->callback([o, &global] {
    em::WarningRules rules;
    for (const std::string& kv : o->rules) {
      const size_t eq = kv.find('=');
      Status s = eq == std::string::npos ? invalid_argument("--rule '" + kv + "' is not NAME=VALUE")
                                         : em::set_rule(rules, kv.substr(0, eq), kv.substr(eq + 1));
      if (!s.ok()) return set_exit_code(fail(s));
    }
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto history = app::warnings_history(**stores, kOperator);
    if (!history.ok()) return set_exit_code(fail(history.status()));
    const std::vector<em::WarningEvent>* h = &*history;
    if (!o->city.empty())
      return set_exit_code(run_hindsight(**stores, o->city, o->from, o->to, rules, o->format));
    const em::WarningState state = em::state_of(*h);
    if (o->forecast.empty()) {
      nlohmann::json j = {{"in_force", {{"level", em::level_name(state.level)}, {"since", state.since}}},
                          {"history", em::to_json(*h)}};
      if (o->format == "table")
        std::cout << fmt::format("in force: {}{}\n", em::level_name_zh(state.level),
                                 state.level == em::WarningLevel::kNone ? "" : " since " + state.since);
      return print(o->format, j, em::warnings_table(*h));
    }
    auto f = read_forecast_csv(o->forecast);
    if (!f.ok()) return set_exit_code(fail(f.status()));
    auto adv = app::warning_advice(**stores, kOperator, *f, rules);
    if (!adv.ok()) return set_exit_code(fail(adv.status()));
    const em::LevelDecision* d = &adv->decision;
    const em::Advice& a = adv->advice;
    em::Table t{{"在施", "预报级别", "过程", "建议", "建议级别", "自", "依据"},
                {{std::string(em::level_name_zh(state.level)), std::string(em::level_name_zh(d->level)),
                  d->first ? d->first->to_string() + ".." + d->last->to_string() : "-",
                  std::string(em::advice_name(a.kind)), std::string(em::level_name_zh(a.level)),
                  a.from ? a.from->to_string() : "-", a.reason}}};
    print(o->format, em::to_json(*d, a, state), t);
  });
}

void register_declare_lift(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string level, from, reason, format = "table";
    ActorOpts as;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand("declare", "declare, upgrade or downgrade the warning (bureau only)");
  c->add_option("--level", o->level, "yellow, orange or red")->required();
  c->add_option("--from", o->from, "effective from, YYYY-MM-DD hh:mm")->required();
  c->add_option("--reason", o->reason, "why (recorded in the history)");
  c->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  o->as.add_to(c);
  auto run = [&global](const Opts& x, bool lift) {
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto actor = x.as.actor(**stores);
    if (!actor.ok()) return set_exit_code(fail(actor.status()));
    StatusOr<em::WarningEvent> ev = em::WarningEvent{};
    if (lift) {
      ev = app::lift_warning(**stores, *actor, x.from, x.reason);
    } else {
      std::optional<em::WarningLevel> l = em::parse_level(x.level);
      if (!l || *l == em::WarningLevel::kNone)
        return set_exit_code(
            fail(invalid_argument("--level '" + x.level + "' is not yellow, orange or red")));
      ev = app::declare_warning(**stores, *actor, *l, x.from, x.reason);
    }
    if (!ev.ok()) return set_exit_code(fail(ev.status()));
    if (x.format == "json") {
      std::cout << json_text(em::to_json(std::vector<em::WarningEvent>{*ev})[0], 2) << "\n";
    } else {
      std::cout << fmt::format("#{} {} {} from {} by {}\n", ev->id, em::action_name(ev->action),
                               em::level_name(ev->level), ev->effective_from, ev->declared_by);
    }
  };
  c->callback([o, run] { run(*o, false); });
  auto l = std::make_shared<Opts>();
  CLI::App* lc = em_cmd->add_subcommand("lift", "lift the warning in force (bureau only)");
  lc->add_option("--at", l->from, "effective at, YYYY-MM-DD hh:mm")->required();
  lc->add_option("--reason", l->reason, "why (recorded in the history)");
  lc->add_option("--format", l->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  l->as.add_to(lc);
  lc->callback([l, run] { run(*l, true); });
}

void register_check_list(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string format = "table", add, required = "10/20/30";
    std::vector<std::string> grades;
    int assumed_cut = 0;
    size_t top = 5;
    bool exclude_guarantee = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand(
      "check-list",
      "per level each pollutant's reduction across the list and whether the required share is reached");
  c->add_option("--what-if-grade", o->grades, "what if entry ID had grade G: ID=G (repeatable)");
  c->add_option("--what-if-add", o->add, "what if the entries in this directory (list templates) were added");
  c->add_option("--assumed-cut", o->assumed_cut,
                "what-if: production cut assumed for voluntary entries, % (default 0)");
  c->add_option("--required", o->required, "required shares yellow/orange/red, % (default 10/20/30)");
  c->add_flag("--exclude-guarantee", o->exclude_guarantee,
              "leave 保障类 entries out of baseline and reduction");
  c->add_option("--top", o->top, "carriers listed per level in the table (default 5, 0 = all)");
  add_format(c, o->format);
  c->callback([o, &global] {
    em::ListCheckParams params;
    params.include_guarantee = !o->exclude_guarantee;
    auto required = em::parse_required_percent(o->required);
    if (!required.ok()) return set_exit_code(fail(required.status()));
    params.required_percent = *required;
    em::WhatIf w{.params = {.voluntary_assumed_cut_percent = o->assumed_cut}};
    for (const std::string& g : o->grades) {
      auto change = em::parse_grade_change(g);
      if (!change.ok()) return set_exit_code(fail(change.status()));
      w.grades.push_back(*change);
    }
    if (!o->add.empty()) {
      ImportReport rep;
      auto added = read_list_dir(o->add, {}, &rep);
      if (!added.ok()) return set_exit_code(fail(added.status()));
      if (rep.issue_total() > 0) {  // the what-if cannot run on part of the list: failed, not "done"
        std::cerr << rep.summary();
        return set_exit_code(
            fail(invalid_argument("--what-if-add " + o->add + ": " + std::to_string(rep.issue_total()) +
                                  " problem(s); nothing checked")));
      }
      w.added = std::move(*added);
    }
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto checked = app::check_emergency_list(**stores, kOperator, params, w);
    if (!checked.ok()) return set_exit_code(fail(checked.status()));
    const bool what_if = checked->what_if.has_value();
    const em::ListCheck& base = checked->list;
    const em::ListCheck& after = what_if ? *checked->what_if : checked->list;
    if (o->format == "json") {
      nlohmann::json j = {{"list", em::to_json(base)}};
      if (what_if) j["what_if"] = em::to_json(after);
      std::cout << json_text(j, 2) << "\n";
      return;
    }
    const em::ListCheck& shown = what_if ? after : base;
    if (o->format == "table") {
      std::cout << fmt::format("{} entries ({} 保障类), {} lines{}\n", shown.enterprises,
                               shown.guarantee_entries, shown.lines, what_if ? " — what-if" : "");
      if (what_if) {
        for (size_t i = 0; i < base.levels.size(); ++i)
          std::cout << fmt::format("{}: list {} -> what-if {}\n", em::level_name_zh(base.levels[i].level),
                                   base.levels[i].all_reached ? "reached" : "NOT reached",
                                   after.levels[i].all_reached ? "reached" : "NOT reached");
      }
      std::cout << em::list_check_table(shown).render_text() << "\n"
                << em::carriers_table(shown, o->top).render_text();
      if (!shown.findings.empty()) {
        std::cout << fmt::format("\n{} line(s) break a rule of the list:\n", shown.findings.size());
        for (const em::RuleFinding& f : shown.findings) std::cout << "  " << f.message << "\n";
      }
    } else {
      std::cout << em::list_check_table(shown).render_csv();
    }
  });
}

void register_roster(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string level, from, county, format = "table";
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand(
      "roster", "the control roster: per county, each enterprise and line, what it must do from when");
  c->add_option("--level", o->level, "yellow, orange or red (default: the warning in force)");
  c->add_option("--from", o->from, "from when, YYYY-MM-DD hh:mm (default: since the warning in force)");
  c->add_option("--county", o->county, "one county only");
  add_format(c, o->format);
  c->callback([o, &global] {
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto r = app::control_roster(**stores, kOperator, {o->level, o->from, o->county});
    if (!r.ok()) return set_exit_code(fail(r.status()));
    print(o->format,
          nlohmann::json{
              {"level", em::level_name(r->level)}, {"from", r->from}, {"entries", em::to_json(r->entries)}},
          em::roster_table(r->entries));
  });
}

void register_compliance(CLI::App* em_cmd, GlobalOptions& global) {
  struct Opts {
    std::string level, from, to, baseline_from, baseline_to, format = "table";
    double tolerance = 0;
    int min_hours = 1;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = em_cmd->add_subcommand(
      "compliance",
      "who cuts as required during a warning: monitored loads against a baseline, else inspections");
  c->add_option("--level", o->level, "the warning level (default: the highest of the last warning)");
  c->add_option("--from", o->from, "warning period start, YYYY-MM-DD hh:mm (default: the last warning's)");
  c->add_option("--to", o->to, "warning period end (exclusive; default: the last warning's lift)");
  c->add_option("--baseline-from", o->baseline_from,
                "baseline start (default: as long before --from as the warning)");
  c->add_option("--baseline-to", o->baseline_to, "baseline end, exclusive (default: --from)");
  c->add_option("--tolerance", o->tolerance, "percentage points a cut may fall short (default 0)");
  c->add_option("--min-hours", o->min_hours, "valid hours each period needs per device (default 1)");
  add_format(c, o->format);
  c->callback([o, &global] {
    auto stores = open_stores(global);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto checked = app::emergency_compliance(
        **stores, kOperator,
        {.query = {o->level, o->from, o->to, o->baseline_from, o->baseline_to},
         .params = {.tolerance_points = o->tolerance, .min_valid_hours = o->min_hours}},
        app::hj212_monitoring(**stores));
    if (!checked.ok()) return set_exit_code(fail(checked.status()));
    const CompliancePeriod* p = &checked->period;
    const ComplianceReport* r = &checked->report;
    nlohmann::json j = compliance_json(*p, *r);
    power::attach_cuts(j["enterprises"], checked->power);  // the electricity verdicts beside (docs/power.md)
    if (o->format == "table")
      std::cout << fmt::format("{} warning {} .. {}, baseline {} .. {}: {} flagged, {} uploads read\n",
                               em::level_name_zh(p->level), p->warning.begin.to_string(),
                               p->warning.end.to_string(), p->baseline.begin.to_string(),
                               p->baseline.end.to_string(), flagged_count(*r), r->records);
    for (const std::string& pr : r->problems) std::cerr << "warning: " << pr << "\n";
    em::Table t = em::compliance_table(r->results);
    t.header.push_back("用电 限产");
    for (std::vector<std::string>& row : t.rows) {
      std::string cell;
      for (const app::PowerCut& cut : checked->power) {
        if (cut.list_enterprise == row[0]) cell += (cell.empty() ? "" : "; ") + power::cut_summary(cut);
      }
      row.push_back(cell.empty() ? "-" : cell);
    }
    print(o->format, j, t);
  });
}

}  // namespace

void register_emergency(CLI::App& app, GlobalOptions& global) {
  CLI::App* em_cmd = app.add_subcommand("emergency", "heavy-pollution weather response (重污染天气应急)");
  em_cmd->require_subcommand(1);
  register_import(em_cmd, global);
  register_warnings(em_cmd, global);
  register_declare_lift(em_cmd, global);
  register_check_list(em_cmd, global);
  register_roster(em_cmd, global);
  register_compliance(em_cmd, global);
  auto out = std::make_shared<std::string>();
  CLI::App* demo =
      em_cmd->add_subcommand("demo-registry", "write the demo city's emergency list as CSV templates");
  demo->add_option("--out", *out, "directory to write")->required();
  demo->callback([out] {
    if (Status s = write_demo_list(*out); !s.ok()) return set_exit_code(fail(s));
    std::cout << "demo emergency list (" << kDemoListEnterprises << " entries) and forecast written to "
              << *out << "\n";
  });
}

}  // namespace ecomon::cli
