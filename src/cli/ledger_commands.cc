// `ecomon targets status` (target budgets from the computed air figures, for the
// --pm25/--good-ratio/--heavy-ratio flags and the stored targets) and `ecomon ledger ...` (the stored task
// ledger: import, tasks, show, status, progress, problem add, evidence add, report
// overdue|scorecard|targets). Writes run as Actor::operator_cli() with the operator's name from --by; the
// role rule itself is in ledger/tracking.h.
#include <fmt/format.h>

#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "air/city_data.h"
#include "app/ledger.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "cli/views.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "core/utf8.h"
#include "ledger/deadline.h"
#include "ledger/ledger_format.h"
#include "ledger/plan_csv.h"
#include "ledger/target_kinds.h"
#include "ledger/targets.h"
#include "ledger/tracking.h"
#include "standards/gb3095.h"
#include "standards/pollutant.h"
#include "standards/water/gb3838.h"
#include "store/ledger/ledger_store.h"
#include "store/sqlite_store.h"
#include "store/sqlite_stores.h"

namespace ecomon::cli {
namespace {

using nlohmann::json;

constexpr int32_t kPaceDays = 30;

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }
json opt_json(const std::optional<Decimal>& d) { return d ? json(d->to_double()) : json(); }

StatusOr<CivilDay> day_or_today(const std::string& text) {
  if (text.empty()) return app::today();
  return CivilDay::parse(text);
}

// A table printed as an aligned table, CSV or JSON (an array of objects keyed by `keys`).
struct Output {
  std::vector<std::string> header, keys;
  std::vector<std::vector<std::string>> rows;
  json objects = json::array();
  void add(std::vector<std::string> cells, json object) {
    rows.push_back(std::move(cells));
    objects.push_back(std::move(object));
  }
  // With `result`, the JSON objects go there instead of standard output.
  void print(const std::string& format, const std::string& title = "", json* result = nullptr) const {
    if (result) {
      *result = objects;
    } else if (format == "json") {
      std::cout << json_text(objects, 2) << "\n";
    } else if (format == "csv") {
      std::cout << csv_row(keys);
      for (const auto& r : rows) std::cout << csv_row(r);
    } else {
      TextTable t(header);
      for (const auto& r : rows) t.add(r);
      if (!title.empty()) std::cout << title << "\n";
      std::cout << t.render();
    }
  }
};

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

struct TargetSpec {
  std::string name, label, plan, scope, owner, unit;
  BudgetTarget target;             // level targets: bound, value and period only
  std::optional<Indicator> level;  // set for targets judged as a level (evaluate_level), not by a budget
  bool has_value = true;           // level targets: the plan prints a value
};

std::optional<BudgetTarget> budget_target(const Target& t) {
  if (!t.value) return std::nullopt;
  BudgetTarget b{BudgetMeasure::kMean, t.bound, t.value->to_rational(), t.period, 0};
  switch (t.indicator) {
    case Indicator::kPm25Mean:
      b.measure = BudgetMeasure::kMean;
      break;
    case Indicator::kGoodDayRatio:
      b.measure = BudgetMeasure::kGoodDayRatio, b.digits = 1;
      break;
    case Indicator::kHeavyDayRatio:
      b.measure = BudgetMeasure::kHeavyDayRatio, b.digits = 1;
      break;
    case Indicator::kHeavyDays:
      b.measure = BudgetMeasure::kHeavyDays;
      break;
    default:
      return std::nullopt;
  }
  if (b.bound != Bound::kAtMost && b.bound != Bound::kAtLeast) return std::nullopt;
  return b;
}

// Indicators judged as a level of the period so far (ledger/target_kinds.h) or reported not computed.
bool is_level(Indicator i) {
  return i == Indicator::kSectionClass || i == Indicator::kCompositeRank || i == Indicator::kPollutantClass ||
         i == Indicator::kEmissionChange || i == Indicator::kRate;
}

// The stored targets whose period contains `as_of`: those the air figures' budgets evaluate (with a value and
// a supported comparison) and every level kind.
StatusOr<std::vector<TargetSpec>> stored_specs(const std::string& db, CivilDay as_of) {
  auto stores = open_sqlite_stores(db);
  if (!stores.ok()) return stores.status();
  auto targets = (*stores)->ledger().targets();
  if (!targets.ok()) return targets.status();
  std::vector<TargetSpec> out;
  for (const Target& t : *targets) {
    if (!t.period.contains(as_of)) continue;
    TargetSpec spec{
        std::string(indicator_name(t.indicator)), t.label, t.plan, t.scope, t.owner, t.unit, {}, {}, true};
    if (is_level(t.indicator)) {
      spec.level = t.indicator;
      spec.has_value = t.value.has_value();
      spec.target = BudgetTarget{BudgetMeasure::kMean, t.bound,
                                 t.value ? t.value->to_rational() : Rational{0, 1}, t.period, 0};
    } else if (auto b = budget_target(t)) {
      spec.target = *b;
    } else {
      continue;
    }
    out.push_back(std::move(spec));
  }
  return out;
}

struct EvaluatedTarget {
  TargetSpec spec;
  BudgetResult r;
  std::optional<LevelResult> level;  // level targets (then `r` is unused)
  std::string limit_text, value_text;
  json detail = json::object();  // the level's figures: class and months, rank and composite index
};

std::string month_of(CivilDay d) { return d.to_string().substr(0, 7); }

std::string class_text(int64_t ordinal) {
  return ordinal >= 1 && ordinal <= water::kClassCount
             ? std::string(water::class_name(static_cast<water::WaterClass>(ordinal)))
             : std::to_string(ordinal);
}

std::optional<int64_t> class_ordinal(const json& text) {
  if (!text.is_string()) return std::nullopt;
  auto c = water::parse_class(text.get<std::string>());
  if (!c.ok()) return std::nullopt;
  return water::class_rank(*c);
}

// A water section's class over the target's months up to the as-of month (`water assess`: the period value of
// each item is the mean of its monthly values). The section is the target's scope, matched by exact name; the
// target class is the plan's, else the section's stored target (完成省定目标: the plan prints none).
StatusOr<EvaluatedTarget> section_class_target(const std::string& db, const TargetSpec& spec, CivilDay as_of,
                                               std::map<std::string, json>& cache) {
  EvaluatedTarget e{spec, {}, {}, "", "-", json::object()};
  const DayRange& p = spec.target.period;
  std::string months = month_of(p.first) + ".." + month_of(std::min(as_of, p.last));
  if (!cache.count(months)) {
    auto j = quality_assessment(db, "water", months);
    if (!j.ok()) return j.status();
    cache[months] = std::move(*j);
  }
  const json* section = nullptr;
  const json& assessed = cache[months];
  if (assessed.contains("sections")) {
    for (const json& s : assessed["sections"]) {
      if (s.value("section", "") == spec.scope) section = &s;
    }
  }
  std::optional<int64_t> target, value;
  std::string target_source = "plan";
  if (spec.has_value) {
    target = spec.target.value.num / spec.target.value.den;
  } else if (section && (target = class_ordinal((*section)["target"]))) {
    target_source = "section";
  }
  if (section) value = class_ordinal((*section)["class"]);
  e.detail = {{"months", months},
              {"months_with_data", section ? (*section)["months"] : json(0)},
              {"class", value ? json(class_text(*value)) : json()},
              {"target_class", target ? json(class_text(*target)) : json()},
              {"target_source", target ? json(target_source) : json()}};
  if (!target) {
    e.level = not_computed("no target class: the plan prints none (" + spec.scope +
                           ") and the water store holds no target for the section");
    return e;
  }
  e.limit_text = std::string(bound_symbol(spec.target.bound)) + " " + class_text(*target) + " 类" +
                 (target_source == "section" ? " (断面目标)" : "");
  e.level = evaluate_level(value ? std::optional<Rational>(Rational{*value, 1}) : std::nullopt,
                           spec.target.bound, Rational{*target, 1}, p, as_of);
  if (!section) e.level->reason = "section '" + spec.scope + "' is not in the water store";
  if (value) e.value_text = class_text(*value) + " 类";
  return e;
}

// The air query of the period's days up to the as-of date.
AirPeriodQuery so_far(const DayRange& p, CivilDay as_of) {
  AirPeriodQuery q;
  q.from = p.first.to_string();
  q.to = std::min(as_of, p.last).to_string();
  return q;
}

// "≤ 148 位": the comparison and the target's value (whole numbers: ranks, classes).
std::string number_limit(const TargetSpec& spec) {
  return std::string(bound_symbol(spec.target.bound)) + " " +
         round_half_even(spec.target.value, 0).to_string() + " " + spec.unit;
}

// The city's rank by composite index among the store's cities over the period up to the as-of date
// (`air rank`); rank 1 = best.
StatusOr<EvaluatedTarget> composite_rank_target(const std::string& db, const std::string& city,
                                                const TargetSpec& spec, CivilDay as_of) {
  EvaluatedTarget e{spec, {}, {}, "", "-", json::object()};
  const DayRange& p = spec.target.period;
  AirPeriodQuery q = so_far(p, as_of);
  auto j = air_report(db, "rank", city, "", q);
  if (!j.ok()) return j.status();
  const json& ranking = (*j)["ranking"];
  std::optional<int64_t> rank;
  json composite;
  for (const json& row : ranking) {
    if (row.value("city", "") != city) continue;
    if (row["rank"].is_number_integer()) rank = row["rank"].get<int64_t>();
    composite = row["composite_index"];
  }
  e.detail = {{"from", q.from},
              {"to", q.to},
              {"rank", rank ? json(*rank) : json()},
              {"cities_ranked", ranking.size()},
              {"composite_index", composite}};
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no rank");
    return e;
  }
  e.limit_text = number_limit(spec);
  e.level = evaluate_level(rank ? std::optional<Rational>(Rational{*rank, 1}) : std::nullopt,
                           spec.target.bound, spec.target.value, p, as_of);
  if (rank) {
    e.value_text = std::to_string(*rank) + "/" + std::to_string(ranking.size());
    if (composite.is_number()) e.value_text += fmt::format(" (综合指数 {})", json_text(composite));
  }
  return e;
}

// The GB 3095 class the city's assessed statistic of the pollutant the label names (SO2, NO2, PM10, PM2.5,
// CO, O3) reaches over the period up to the as-of date (`air period`: the statistic, its averaging and rule
// set).
StatusOr<EvaluatedTarget> pollutant_class_target(const std::string& db, const std::string& city,
                                                 const TargetSpec& spec, CivilDay as_of) {
  EvaluatedTarget e{spec, {}, {}, "", "-", json::object()};
  std::optional<Pollutant> pollutant;
  for (const char* code : {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}) {
    if (!pollutant && spec.label.find(code) != std::string::npos) pollutant = parse_pollutant(code);
  }
  if (!pollutant) {
    e.level = not_computed("the label names no pollutant (SO2, NO2, PM10, PM2.5, CO, O3)");
    return e;
  }
  const DayRange& p = spec.target.period;
  AirPeriodQuery q = so_far(p, as_of);
  auto j = air_report(db, "period", city, "", q);
  if (!j.ok()) return j.status();
  const std::string code(pollutant_code(*pollutant));
  const json& assessed = (*j)["pollutants"][code]["assessed"];
  std::optional<int64_t> cls;
  if (assessed.is_object() && assessed["value"].is_number() && assessed["limit_averaging"].is_string()) {
    auto set = limit_set_by_id(assessed.value("rule_set", ""));
    std::optional<Averaging> avg;
    for (Averaging a : {Averaging::kAnnual, Averaging::k24h, Averaging::k1h, Averaging::kMaxDaily8h}) {
      if (averaging_code(a) == assessed["limit_averaging"].get<std::string>()) avg = a;
    }
    auto value = parse_milli(json_text(assessed["value"]));
    if (set.ok() && avg && value) {
      auto c1 = (*set)->limit(*pollutant, *avg, ZoneClass::kClass1);
      auto c2 = (*set)->limit(*pollutant, *avg, ZoneClass::kClass2);
      if (c1 && c2)
        cls = gb3095_class_reached(Rational{*value, kMilliPerUnit}, c1->to_rational(), c2->to_rational());
    }
  }
  e.detail = {{"from", q.from},
              {"to", q.to},
              {"pollutant", code},
              {"statistic", assessed.is_object() ? assessed["statistic"] : json()},
              {"statistic_value", assessed.is_object() ? assessed["value"] : json()},
              {"rule_set", assessed.is_object() ? assessed["rule_set"] : json()},
              {"gb3095_class", cls ? json(*cls) : json()}};
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no class");
    return e;
  }
  e.limit_text = number_limit(spec);
  e.level = evaluate_level(cls ? std::optional<Rational>(Rational{*cls, 1}) : std::nullopt, spec.target.bound,
                           spec.target.value, p, as_of);
  if (cls) e.value_text = std::to_string(*cls) + " 级 (" + code + " " + json_text(assessed["value"]) + ")";
  return e;
}

StatusOr<EvaluatedTarget> level_target(const std::string& db, const std::string& city, const TargetSpec& spec,
                                       CivilDay as_of, std::map<std::string, json>& water_cache) {
  switch (*spec.level) {
    case Indicator::kSectionClass:
      return section_class_target(db, spec, as_of, water_cache);
    case Indicator::kCompositeRank:
      return composite_rank_target(db, city, spec, as_of);
    case Indicator::kPollutantClass:
      return pollutant_class_target(db, city, spec, as_of);
    case Indicator::kEmissionChange:
      return EvaluatedTarget{spec,
                             {},
                             not_computed("no module computes emissions or their change against a base "
                                          "year (no emission inventory is stored)"),
                             "",
                             "-",
                             json::object()};
    default:
      return EvaluatedTarget{
          spec,
          {},
          not_computed("no module computes this " + std::string(indicator_name(*spec.level)) +
                       " (its figures are not collected)"),
          "",
          "-",
          json::object()};
  }
}

StatusOr<std::vector<EvaluatedTarget>> evaluate_budgets(const std::string& db, const std::string& city,
                                                        CivilDay as_of,
                                                        const std::vector<TargetSpec>& specs) {
  if (specs.empty()) return std::vector<EvaluatedTarget>{};
  CivilDay first = specs[0].target.period.first;
  for (const TargetSpec& s : specs) first = std::min(first, s.target.period.first);
  DayRange range{first - (kPaceDays - 1), as_of};
  auto store = SqliteStore::open(db);
  if (!store.ok()) return store.status();
  RuleChoice choice;
  auto data = load_city(**store, **store, city, range, choice.params);
  if (!data.ok()) return data.status();
  std::vector<DayFigure> days;
  for (const DayReport& d : city_day_reports(*data, range, choice)) {
    DayFigure f;
    f.day = d.day;
    if (auto v = d.stats.mean[index_of(Pollutant::kPM25)]) f.mean = static_cast<Milli>(*v);
    if (d.valid) {
      int32_t aqi = *d.aqi.aqi;
      f.quality = aqi <= 100 ? DayQuality::kGood : aqi <= 200 ? DayQuality::kPolluted : DayQuality::kHeavy;
    }
    days.push_back(f);
  }
  std::vector<EvaluatedTarget> out;
  for (const TargetSpec& s : specs) {
    auto r = evaluate_budget(s.target, days, as_of);
    if (!r.ok()) return r.status();
    out.push_back({s, *r, std::nullopt, "", "", json::object()});
  }
  return out;
}

StatusOr<std::vector<EvaluatedTarget>> evaluate(const std::string& db, const std::string& city,
                                                CivilDay as_of, const std::vector<TargetSpec>& all) {
  std::vector<TargetSpec> specs;
  std::vector<EvaluatedTarget> levels;
  std::map<std::string, json> water_cache;
  for (const TargetSpec& s : all) {
    if (!s.level) {
      specs.push_back(s);
      continue;
    }
    auto e = level_target(db, city, s, as_of, water_cache);
    if (!e.ok()) return e.status();
    levels.push_back(std::move(*e));
  }
  auto budgets = evaluate_budgets(db, city, as_of, specs);
  if (!budgets.ok()) return budgets.status();
  for (EvaluatedTarget& e : levels) budgets->push_back(std::move(e));
  return budgets;
}

// The keys every target row shares.
json spec_json(const TargetSpec& spec) {
  const Bound b = spec.target.bound;
  return {{"target", spec.name},
          {"label", spec.label},
          {"plan", spec.plan},
          {"scope", spec.scope},
          {"owner", spec.owner},
          {"period", spec.target.period.to_string()},
          {"unit", spec.unit},
          {"bound", b == Bound::kAtMost     ? "at_most"
                    : b == Bound::kAtLeast  ? "at_least"
                    : b == Bound::kLessThan ? "less_than"
                    : b == Bound::kMoreThan ? "more_than"
                                            : "exactly"}};
}

// A level target's row: its value so far in place of the year-to-date figure, the reason in place of the
// budget.
void add_level_row(Output& o, const EvaluatedTarget& e) {
  const TargetSpec& spec = e.spec;
  const LevelResult& l = *e.level;
  json j = spec_json(spec);
  j.update({{"kind", "level"},
            {"limit", spec.has_value ? json(spec.target.value.to_double()) : json()},
            {"ytd", l.value ? json(l.value->to_double()) : json()},
            {"ytd_text", e.value_text},
            {"state", level_state_name(l)},
            {"period_over", l.period_over},
            {"reason", l.reason}});
  j.update(e.detail);
  std::string months =
      e.detail.contains("months_with_data") ? json_text(e.detail["months_with_data"]) + " 月" : "-";
  o.add({spec.label.empty() ? spec.name : spec.label, spec.plan, spec.scope,
         e.limit_text.empty() ? "-" : e.limit_text, e.value_text, std::string(level_state_name(l)), months,
         "-", l.reason.empty() ? "-" : l.reason, "-"},
        std::move(j));
}

// The level of a target (budget or level kind).
TargetState state_of(const EvaluatedTarget& e) {
  return e.level ? e.level->state.value_or(TargetState::kAtRisk) : e.r.state;
}

void print_targets(const std::vector<EvaluatedTarget>& ts, const std::string& city, CivilDay as_of, int year,
                   const std::string& format, json* result) {
  Output o;
  o.header = {"目标", "计划",   "范围",   "限值",     "截至当日",
              "状态", "有效天", "剩余天", "剩余额度", "近30天趋势预测"};
  o.keys = {"target", "plan",       "scope",          "limit",  "ytd",
            "state",  "valid_days", "days_remaining", "budget", "forecast"};
  for (const EvaluatedTarget& e : ts) {
    const TargetSpec& spec = e.spec;
    const BudgetResult& r = e.r;
    if (e.level) {
      add_level_row(o, e);
      continue;
    }
    bool mean = spec.target.measure == BudgetMeasure::kMean;
    std::string budget =
        mean ? opt_text(r.remaining_mean_reported) + " " + spec.unit + " (mean of the rest)"
             : (r.affordable_days ? std::to_string(*r.affordable_days) : "-") +
                   (spec.target.measure == BudgetMeasure::kGoodDayRatio ? " non-good days" : " heavy days");
    std::string limit = (spec.target.bound == Bound::kAtMost ? "<= " : ">= ") +
                        round_half_even(spec.target.value, spec.target.digits == 0 ? 0 : 1).to_string() +
                        " " + spec.unit;
    o.add({spec.label.empty() ? spec.name : spec.label, spec.plan.empty() ? "--flag" : spec.plan, spec.scope,
           limit, opt_text(r.ytd_reported), std::string(target_state_name(r.state)),
           std::to_string(r.valid_days), std::to_string(r.days_remaining), budget,
           opt_text(r.forecast_reported)},
          [&] {
            json j = spec_json(spec);
            j.update({{"limit", spec.target.value.to_double()},
                      {"ytd", opt_json(r.ytd_reported)},
                      {"ytd_exact", r.ytd ? json({{"num", r.ytd->num}, {"den", r.ytd->den}}) : json()},
                      {"state", target_state_name(r.state)},
                      {"valid_days", r.valid_days},
                      {"missing_days", r.missing_days},
                      {"days_elapsed", r.days_elapsed},
                      {"days_remaining", r.days_remaining},
                      {"remaining_mean_limit", opt_json(r.remaining_mean_reported)},
                      {"remaining_mean_limit_exact", r.remaining_mean_limit
                                                         ? json({{"num", r.remaining_mean_limit->num},
                                                                 {"den", r.remaining_mean_limit->den}})
                                                         : json()},
                      {"affordable_days", r.affordable_days ? json(*r.affordable_days) : json()},
                      {"forecast", opt_json(r.forecast_reported)}});
            return j;
          }());
  }
  json j{{"city", city}, {"as_of", as_of.to_string()}, {"year", year}, {"targets", o.objects}};
  if (result) {
    *result = std::move(j);
  } else if (format == "json") {
    std::cout << json_text(j, 2) << "\n";
  } else {
    o.print(format,
            format == "table" ? fmt::format("{} {} 年目标 截至 {}", city, year, as_of.to_string()) : "");
  }
}

struct TOpts {
  std::string city, as_of, format = "table", pm25 = "44", good = "63", heavy = "1.6";
  int year = 0;
  bool stored_only = false;
};

// `targets status`; with `result`, the JSON goes there instead of standard output.
int run_targets_status(const std::string& db, const TOpts& o, json* result) {
  auto as_of = CivilDay::parse(o.as_of);
  if (!as_of.ok()) return fail(as_of.status());
  int year = o.year ? o.year : as_of->year();
  DayRange period = DayRange::year(year);
  if (as_of->year() < year) return fail(invalid_argument("--as-of is before the target year"));
  std::vector<TargetSpec> specs;
  auto add = [&](const std::string& text, const char* name, const char* unit, BudgetMeasure m, Bound b,
                 int digits) -> Status {
    auto v = parse_milli(text);
    if (!v || *v < 0) return invalid_argument(std::string("--") + name + ": '" + text + "' is not a number");
    specs.push_back(
        {name, "", "", "", "", unit, BudgetTarget{m, b, Rational{*v, kMilliPerUnit}, period, digits}});
    return Status();
  };
  if (!o.stored_only) {
    for (Status s : {add(o.pm25, "pm25", "ug/m3", BudgetMeasure::kMean, Bound::kAtMost, 0),
                     add(o.good, "good-ratio", "%", BudgetMeasure::kGoodDayRatio, Bound::kAtLeast, 1),
                     add(o.heavy, "heavy-ratio", "%", BudgetMeasure::kHeavyDayRatio, Bound::kAtMost, 1)}) {
      if (!s.ok()) return fail(s);
    }
  }
  auto stored = stored_specs(db, *as_of);
  if (!stored.ok()) return fail(stored.status());
  for (TargetSpec& s : *stored) specs.push_back(std::move(s));
  auto evaluated = evaluate(db, o.city, *as_of, specs);
  if (!evaluated.ok()) return fail(evaluated.status());
  print_targets(*evaluated, o.city, *as_of, year, o.format, result);
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
  status->add_option("--pm25", o->pm25, "PM2.5 annual mean target, ug/m3, at most (default 44)");
  status->add_option("--good-ratio", o->good, "good-day ratio target, %, at least (default 63)");
  status->add_option("--heavy-ratio", o->heavy, "heavy-pollution day ratio target, %, at most (default 1.6)");
  status->add_flag("--stored-only", o->stored_only,
                   "only the stored targets (ecomon ledger import), not the flags'");
  add_format(status, o->format);
  status->callback([o, &global] { set_exit_code(run_targets_status(global.db, *o, nullptr)); });
}

// ---- ledger
// --------------------------------------------------------------------------------------------------

// The store's concerns for one verb (opened once, passed by reference to the services).
StatusOr<std::unique_ptr<Stores>> open_stores(const std::string& db) { return open_sqlite_stores(db); }

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
    auto records = app::ledger_tasks(*stores, Actor::operator_cli(), req);
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
    auto specs = stored_specs(global.db, *as_of);
    if (!specs.ok()) return set_exit_code(fail(specs.status()));
    auto evaluated = evaluate(global.db, t->city, *as_of, *specs);
    if (!evaluated.ok()) return set_exit_code(fail(evaluated.status()));
    std::vector<EvaluatedTarget> at_risk;
    for (const EvaluatedTarget& e : *evaluated)
      if ((!e.level || e.level->state) &&
          (state_of(e) == TargetState::kAtRisk || state_of(e) == TargetState::kMissed))
        at_risk.push_back(e);
    print_targets(at_risk, t->city, *as_of, as_of->year(), t->format, nullptr);
  });
}

}  // namespace

StatusOr<nlohmann::json> targets_status(const std::string& db, const std::string& city,
                                        const std::string& as_of) {
  TOpts o;
  o.city = city;
  o.as_of = as_of;
  nlohmann::json j;
  if (run_targets_status(db, o, &j) != 0) return last_view_error();
  return j;
}

void register_ledger(CLI::App& app, GlobalOptions& global) {
  register_targets(app, global);
  CLI::App* ledger = app.add_subcommand("ledger", "the action plans' task ledgers (目标与重点任务台账)");
  ledger->require_subcommand(1);
  register_ledger_reads(ledger, global);
  register_ledger_writes(ledger, global);
  register_ledger_reports(ledger, global);
}

}  // namespace ecomon::cli
