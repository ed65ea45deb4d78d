#include "ledger/targets_format.h"

#include <fmt/format.h>

#include "core/json_text.h"
#include "standards/water/gb3838.h"

namespace ecomon {
namespace {

using nlohmann::json;

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }
json opt_json(const std::optional<Decimal>& d) { return d ? json(d->to_double()) : json(); }

// A figure as the air JSON gives it: whole numbers as integers, others as numbers with decimals.
json figure_json(const Decimal& d) { return d.scale == 0 ? json(d.units) : json(d.to_double()); }
json figure_json(const std::optional<Decimal>& d) { return d ? figure_json(*d) : json(nullptr); }

std::string class_text(int64_t ordinal) {
  return ordinal >= 1 && ordinal <= water::kClassCount
             ? std::string(water::class_name(static_cast<water::WaterClass>(ordinal)))
             : std::to_string(ordinal);
}

// "≤ 148 位": the comparison and the target's value (whole numbers: ranks, classes).
std::string number_limit(const TargetSpec& spec) {
  return std::string(bound_symbol(spec.target.bound)) + " " +
         round_half_even(spec.target.value, 0).to_string() + " " + spec.unit;
}

// A level target's limit and value as the table shows them, and its figures as JSON.
struct LevelTexts {
  std::string limit, value = "-";
  json detail = json::object();
};

LevelTexts level_texts(const EvaluatedTarget& e) {
  const TargetSpec& spec = e.spec;
  LevelTexts t;
  if (const auto* s = std::get_if<SectionClassFigures>(&e.figures)) {
    const char* source = s->target_from_section ? "section" : "plan";
    t.detail = {{"months", s->months},
                {"months_with_data", s->months_with_data},
                {"class", s->cls ? json(class_text(*s->cls)) : json()},
                {"target_class", s->target_class ? json(class_text(*s->target_class)) : json()},
                {"target_source", s->target_class ? json(source) : json()}};
    if (s->target_class) {
      t.limit = std::string(bound_symbol(spec.target.bound)) + " " + class_text(*s->target_class) + " 类" +
                (s->target_from_section ? " (断面目标)" : "");
      if (s->cls) t.value = class_text(*s->cls) + " 类";
    }
  } else if (const auto* r = std::get_if<RankFigures>(&e.figures)) {
    t.detail = {{"from", r->from.to_string()},
                {"to", r->to.to_string()},
                {"rank", r->rank ? json(*r->rank) : json()},
                {"cities_ranked", r->cities_ranked},
                {"composite_index", figure_json(r->composite)}};
    if (spec.has_value) {
      t.limit = number_limit(spec);
      if (r->rank) {
        t.value = std::to_string(*r->rank) + "/" + std::to_string(r->cities_ranked);
        if (r->composite) t.value += fmt::format(" (综合指数 {})", json_text(figure_json(*r->composite)));
      }
    }
  } else if (const auto* p = std::get_if<PollutantClassFigures>(&e.figures)) {
    t.detail = {{"from", p->from.to_string()},
                {"to", p->to.to_string()},
                {"pollutant", p->pollutant},
                {"statistic", p->statistic ? json(*p->statistic) : json()},
                {"statistic_value", figure_json(p->statistic_value)},
                {"rule_set", p->rule_set ? json(*p->rule_set) : json()},
                {"gb3095_class", p->gb3095_class ? json(*p->gb3095_class) : json()}};
    if (spec.has_value) {
      t.limit = number_limit(spec);
      if (p->gb3095_class && p->statistic_value)
        t.value = std::to_string(*p->gb3095_class) + " 级 (" + p->pollutant + " " +
                  json_text(figure_json(*p->statistic_value)) + ")";
    }
  } else if (const auto* u = std::get_if<SafeUseRateFigures>(&e.figures)) {
    t.detail = {{"rate", u->rate},
                {"numerator", u->numerator},
                {"denominator", u->denominator},
                {"counted", u->counted},
                {"percent", u->percent ? json(*u->percent) : json()}};
    if (spec.has_value) {
      t.limit = number_limit(spec);
      if (u->percent) t.value = *u->percent + " % (" + u->numerator + "/" + u->denominator + ")";
    }
  } else if (const auto* m = std::get_if<EmissionChangeFigures>(&e.figures)) {
    auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
    t.detail = {{"from", m->from.to_string()},
                {"to", m->to.to_string()},
                {"base_year", m->base_year},
                {"base_from", m->base_from.to_string()},
                {"base_to", m->base_to.to_string()},
                {"pollutant", m->pollutant},
                {"load_t", m->load_t},
                {"base_load_t", m->base_load_t},
                {"change_percent", opt(m->change_percent)},
                {"completeness_percent", opt(m->completeness_percent)},
                {"base_completeness_percent", opt(m->base_completeness_percent)}};
    if (spec.has_value) {
      t.limit = number_limit(spec);
      if (m->change_percent)
        t.value = *m->change_percent + " % (" + m->load_t + " t / " + std::to_string(m->base_year) + "年 " +
                  m->base_load_t + " t)";
    }
  }
  return t;
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
void add_level_row(LedgerTable& o, const EvaluatedTarget& e) {
  const TargetSpec& spec = e.spec;
  const LevelResult& l = *e.level;
  LevelTexts t = level_texts(e);
  json j = spec_json(spec);
  j.update({{"kind", "level"},
            {"limit", spec.has_value ? json(spec.target.value.to_double()) : json()},
            {"ytd", l.value ? json(l.value->to_double()) : json()},
            {"ytd_text", t.value},
            {"state", level_state_name(l)},
            {"period_over", l.period_over},
            {"reason", l.reason}});
  j.update(t.detail);
  std::string months =
      t.detail.contains("months_with_data") ? json_text(t.detail["months_with_data"]) + " 月" : "-";
  o.add({spec.label.empty() ? spec.name : spec.label, spec.plan, spec.scope, t.limit.empty() ? "-" : t.limit,
         t.value, std::string(level_state_name(l)), months, "-", l.reason.empty() ? "-" : l.reason, "-"},
        std::move(j));
}

json exact_json(const std::optional<Rational>& r) {
  return r ? json({{"num", r->num}, {"den", r->den}}) : json();
}

void add_budget_row(LedgerTable& o, const EvaluatedTarget& e) {
  const TargetSpec& spec = e.spec;
  const BudgetResult& r = e.budget;
  bool mean = spec.target.measure == BudgetMeasure::kMean;
  std::string budget =
      mean ? opt_text(r.remaining_mean_reported) + " " + spec.unit + " (mean of the rest)"
           : (r.affordable_days ? std::to_string(*r.affordable_days) : "-") +
                 (spec.target.measure == BudgetMeasure::kGoodDayRatio ? " non-good days" : " heavy days");
  std::string limit = (spec.target.bound == Bound::kAtMost ? "<= " : ">= ") +
                      round_half_even(spec.target.value, spec.target.digits == 0 ? 0 : 1).to_string() + " " +
                      spec.unit;
  json j = spec_json(spec);
  j.update({{"limit", spec.target.value.to_double()},
            {"ytd", opt_json(r.ytd_reported)},
            {"ytd_exact", exact_json(r.ytd)},
            {"state", e.no_data.empty() ? target_state_name(r.state) : "no-data"},
            {"reason", e.no_data.empty() ? json() : json(e.no_data)},
            {"valid_days", r.valid_days},
            {"missing_days", r.missing_days},
            {"days_elapsed", r.days_elapsed},
            {"days_remaining", r.days_remaining},
            {"remaining_mean_limit", opt_json(r.remaining_mean_reported)},
            {"remaining_mean_limit_exact", exact_json(r.remaining_mean_limit)},
            {"affordable_days", r.affordable_days ? json(*r.affordable_days) : json()},
            {"forecast", opt_json(r.forecast_reported)}});
  o.add(
      {spec.label.empty() ? spec.name : spec.label, spec.plan.empty() ? "--flag" : spec.plan, spec.scope,
       limit, opt_text(r.ytd_reported),
       e.no_data.empty() ? std::string(target_state_name(r.state)) : "no data", std::to_string(r.valid_days),
       std::to_string(r.days_remaining), budget, opt_text(r.forecast_reported)},
      std::move(j));
}

// A default target the store does not hold for the year: no limit, no figures, the reason in place of the
// budget.
void add_missing_row(LedgerTable& o, const TargetSpec& spec) {
  json j = spec_json(spec);
  j.update({{"limit", json()},
            {"ytd", json()},
            {"state", target_state_name(TargetState::kNoTarget)},
            {"reason", spec.missing}});
  o.add({spec.label.empty() ? spec.name : spec.label, spec.plan.empty() ? "--flag" : spec.plan, spec.scope,
         "-", "-", "no target", "-", "-", spec.missing, "-"},
        std::move(j));
}

}  // namespace

TargetState state_of(const EvaluatedTarget& e) {
  if (!e.spec.missing.empty()) return TargetState::kNoTarget;
  return e.level ? e.level->state.value_or(TargetState::kAtRisk) : e.budget.state;
}

LedgerTable targets_table(const std::vector<EvaluatedTarget>& targets) {
  LedgerTable o;
  o.header = {"目标", "计划",   "范围",   "限值",     "截至当日",
              "状态", "有效天", "剩余天", "剩余额度", "近30天趋势预测"};
  o.keys = {"target", "plan",       "scope",          "limit",  "ytd",
            "state",  "valid_days", "days_remaining", "budget", "forecast"};
  for (const EvaluatedTarget& e : targets) {
    if (!e.spec.missing.empty()) {
      add_missing_row(o, e.spec);
    } else if (e.level) {
      add_level_row(o, e);
    } else {
      add_budget_row(o, e);
    }
  }
  return o;
}

json targets_json(const TargetsReport& r) {
  return {{"city", r.city},
          {"as_of", r.as_of.to_string()},
          {"year", r.year},
          {"targets", std::move(targets_table(r.targets).objects)}};
}

std::string targets_text(const TargetsReport& r, const std::string& format) {
  if (format == "json") return json_text(targets_json(r), 2) + "\n";
  return targets_table(r.targets).render(
      format,
      format == "table" ? fmt::format("{} {} 年目标 截至 {}", r.city, r.year, r.as_of.to_string()) : "");
}

}  // namespace ecomon
