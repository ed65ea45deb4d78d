// `ecomon targets status` (target budgets from the computed air figures) and `ecomon ledger tasks` (the plans'
// task tables with their deadlines as of a date).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "air/city_data.h"
#include "cli/commands.h"
#include "cli/views.h"
#include "core/text_table.h"
#include "ledger/deadline.h"
#include "ledger/plan_csv.h"
#include "ledger/targets.h"
#include "store/sqlite_store.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

struct TargetSpec {
  std::string name, unit;
  BudgetTarget target;
};

struct TOpts {
  std::string city, as_of, format = "table", pm25 = "44", good = "63", heavy = "1.6";
  int year = 0;
};

// `targets status`; with `result`, the JSON goes there instead of standard output.
int run_targets_status(const std::string& db, const TOpts& o, nlohmann::json* result) {
  auto as_of = CivilDay::parse(o.as_of);
  if (!as_of.ok()) return fail(as_of.status());
  int year = o.year ? o.year : as_of->year();
  DayRange period = DayRange::year(year);
  std::vector<TargetSpec> specs;
  auto add = [&](const std::string& text, const char* name, const char* unit, BudgetMeasure m, Bound b,
                 int digits) -> Status {
    auto v = parse_milli(text);
    if (!v || *v < 0) return invalid_argument(std::string("--") + name + ": '" + text + "' is not a number");
    specs.push_back({name, unit, BudgetTarget{m, b, Rational{*v, kMilliPerUnit}, period, digits}});
    return Status();
  };
  for (Status s : {add(o.pm25, "pm25", "ug/m3", BudgetMeasure::kMean, Bound::kAtMost, 0),
                   add(o.good, "good-ratio", "%", BudgetMeasure::kGoodDayRatio, Bound::kAtLeast, 1),
                   add(o.heavy, "heavy-ratio", "%", BudgetMeasure::kHeavyDayRatio, Bound::kAtMost, 1)}) {
    if (!s.ok()) return fail(s);
  }
  auto store = SqliteStore::open(db);
  if (!store.ok()) return fail(store.status());
  RuleChoice choice;
  DayRange upto{period.first, std::min(*as_of, period.last)};
  if (upto.last < upto.first) return fail(invalid_argument("--as-of is before the target year"));
  auto data = load_city(**store, **store, o.city, upto, choice.params);
  if (!data.ok()) return fail(data.status());
  std::vector<DayFigure> days;
  for (const DayReport& d : city_day_reports(*data, upto, choice)) {
    DayFigure f;
    f.day = d.day;
    if (auto v = d.stats.mean[index_of(Pollutant::kPM25)]) f.mean = static_cast<Milli>(*v);
    if (d.valid) {
      int32_t aqi = *d.aqi.aqi;
      f.quality = aqi <= 100 ? DayQuality::kGood : aqi <= 200 ? DayQuality::kPolluted : DayQuality::kHeavy;
    }
    days.push_back(f);
  }
  nlohmann::json out = nlohmann::json::array();
  TextTable t({"目标", "限值", "截至当日", "状态", "有效天", "剩余天", "剩余额度", "近30天趋势预测"});
  for (const TargetSpec& spec : specs) {
    auto r = evaluate_budget(spec.target, days, *as_of);
    if (!r.ok()) return fail(r.status());
    std::string budget = spec.target.measure == BudgetMeasure::kMean
                             ? opt_text(r->remaining_mean_reported) + " " + spec.unit + " (mean of the rest)"
                             : (r->affordable_days ? std::to_string(*r->affordable_days) : "-") +
                                   (spec.target.measure == BudgetMeasure::kGoodDayRatio ? " non-good days"
                                                                                       : " heavy days");
    std::string limit = (spec.target.bound == Bound::kAtMost ? "<= " : ">= ") +
                        round_half_even(spec.target.value, spec.target.digits == 0 ? 0 : 1).to_string() + " " +
                        spec.unit;
    t.add({spec.name, limit, opt_text(r->ytd_reported), std::string(target_state_name(r->state)),
           std::to_string(r->valid_days), std::to_string(r->days_remaining), budget, opt_text(r->forecast_reported)});
    out.push_back({{"target", spec.name},
                   {"unit", spec.unit},
                   {"limit", spec.target.value.to_double()},
                   {"bound", spec.target.bound == Bound::kAtMost ? "at_most" : "at_least"},
                   {"ytd", r->ytd_reported ? nlohmann::json(r->ytd_reported->to_double()) : nlohmann::json()},
                   {"ytd_exact", r->ytd ? nlohmann::json({{"num", r->ytd->num}, {"den", r->ytd->den}})
                                        : nlohmann::json()},
                   {"state", target_state_name(r->state)},
                   {"valid_days", r->valid_days},
                   {"missing_days", r->missing_days},
                   {"days_elapsed", r->days_elapsed},
                   {"days_remaining", r->days_remaining},
                   {"remaining_mean_limit",
                    r->remaining_mean_reported ? nlohmann::json(r->remaining_mean_reported->to_double())
                                               : nlohmann::json()},
                   {"affordable_days", r->affordable_days ? nlohmann::json(*r->affordable_days) : nlohmann::json()},
                   {"forecast", r->forecast_reported ? nlohmann::json(r->forecast_reported->to_double())
                                                     : nlohmann::json()}});
  }
  nlohmann::json j = {{"city", o.city}, {"as_of", as_of->to_string()}, {"year", year}, {"targets", out}};
  if (result) {
    *result = std::move(j);
  } else if (o.format == "json") {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{} {} 年目标 截至 {}\n", o.city, year, as_of->to_string()) << t.render();
  }
  return 0;
}

}  // namespace

StatusOr<nlohmann::json> targets_status(const std::string& db, const std::string& city, const std::string& as_of) {
  TOpts o;
  o.city = city;
  o.as_of = as_of;
  nlohmann::json j;
  if (run_targets_status(db, o, &j) != 0) return last_view_error();
  return j;
}

void register_ledger(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<TOpts>();
  CLI::App* targets = app.add_subcommand("targets", "targets: where they stand and what the rest of the period may afford");
  targets->require_subcommand(1);
  CLI::App* status = targets->add_subcommand("status", "year-to-date value, state and remaining budget of the air targets");
  status->add_option("--city", o->city, "city name")->required();
  status->add_option("--as-of", o->as_of, "evaluate as of this day, YYYY-MM-DD (the day counts)")->required();
  status->add_option("--year", o->year, "the target year (default: the as-of date's year)");
  status->add_option("--pm25", o->pm25, "PM2.5 annual mean target, ug/m3, at most (default 44)");
  status->add_option("--good-ratio", o->good, "good-day ratio target, %, at least (default 63)");
  status->add_option("--heavy-ratio", o->heavy, "heavy-pollution day ratio target, %, at most (default 1.6)");
  status->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  status->callback([o, &global] { set_exit_code(run_targets_status(global.db, *o, nullptr)); });

  struct LOpts {
    std::string dir = "demo/ledger", as_of, unit, format = "table";
    bool overdue_only = false;
  };
  auto l = std::make_shared<LOpts>();
  CLI::App* ledger = app.add_subcommand("ledger", "the action plans' task ledgers (目标与重点任务台账)");
  ledger->require_subcommand(1);
  CLI::App* tasks = ledger->add_subcommand("tasks", "tasks with their deadlines as of a date");
  tasks->add_option("--dir", l->dir, "directory of plan CSV files (default demo/ledger)");
  tasks->add_option("--as-of", l->as_of, "judge deadlines as of this day (default: no overdue check)");
  tasks->add_option("--unit", l->unit, "only tasks this unit leads or is responsible for");
  tasks->add_flag("--overdue", l->overdue_only, "only tasks whose deadline has passed (no status is kept yet)");
  tasks->add_option("--format", l->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  tasks->callback([l] {
    auto data = load_ledger_dir(l->dir);
    if (!data.ok()) return set_exit_code(fail(data.status()));
    std::optional<CivilDay> as_of;
    if (!l->as_of.empty()) {
      auto d = CivilDay::parse(l->as_of);
      if (!d.ok()) return set_exit_code(fail(d.status()));
      as_of = *d;
    }
    TextTable t({"计划", "序号", "任务", "牵头单位", "完成时限", "截止", "逾期"});
    nlohmann::json out = nlohmann::json::array();
    for (const Task& task : data->tasks) {
      auto joined = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
        return s;
      };
      std::string units = joined(task.lead_units) + " " + joined(task.responsible_units);
      if (!l->unit.empty() && units.find(l->unit) == std::string::npos) continue;
      bool overdue = as_of && task.deadline && is_overdue(*task.deadline, *as_of);
      if (l->overdue_only && !overdue) continue;
      std::string due = task.deadline && task.deadline->due ? task.deadline->due->to_string() : "-";
      std::string text = truncate_utf8(task.text, 60);
      t.add({task.plan, task.no, text, joined(task.lead_units), task.deadline_text, due, overdue ? "是" : ""});
      out.push_back({{"plan", task.plan}, {"no", task.no}, {"text", task.text}, {"lead_units", task.lead_units},
                     {"responsible_units", task.responsible_units}, {"deadline", task.deadline_text},
                     {"due", due}, {"overdue", overdue}, {"source", task.source}});
    }
    if (l->format == "json") {
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << t.render();
    }
  });
}

}  // namespace ecomon::cli
