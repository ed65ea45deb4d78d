#include "app/targets.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "air/assessment.h"
#include "air/city_data.h"
#include "app/air.h"
#include "app/emissions.h"
#include "app/quality.h"
#include "app/soil.h"
#include "standards/aqi.h"
#include "standards/gb3095.h"
#include "standards/pollutant.h"
#include "standards/water/exact.h"
#include "standards/water/gb3838.h"

namespace ecomon::app {
namespace {

constexpr int32_t kPaceDays = 30;

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
StatusOr<std::vector<TargetSpec>> stored_specs(Stores& stores, CivilDay as_of) {
  auto targets = stores.ledger().targets();
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

std::string month_of(CivilDay d) { return d.to_string().substr(0, 7); }

// What the level targets of one evaluation share: the water assessments by months, the ranking warnings.
struct LevelContext {
  Stores& stores;
  const Actor& who;
  std::string city;
  CivilDay as_of;
  std::map<std::string, water::WaterReport> water;
  std::vector<std::string> warnings;
};

// A water section's class over the target's months up to the as-of month (the period value of each item is
// the mean of its monthly values). The section is the target's scope, matched by exact name; the target class
// is the plan's, else the section's stored target (完成省定目标: the plan prints none).
StatusOr<EvaluatedTarget> section_class_target(LevelContext& ctx, const TargetSpec& spec) {
  EvaluatedTarget e{spec, {}, {}, {}};
  const DayRange& p = spec.target.period;
  SectionClassFigures f;
  f.months = month_of(p.first) + ".." + month_of(std::min(ctx.as_of, p.last));
  if (!ctx.water.count(f.months)) {
    auto period = quality_period(0, f.months);
    if (!period.ok()) return period.status();
    auto report = water_assessment(ctx.stores, ctx.who, *period);
    if (!report.ok()) return report.status();
    ctx.water.emplace(f.months, std::move(*report));
  }
  const water::SectionAssessment* section = nullptr;
  for (const water::SectionRow& row : ctx.water.at(f.months).sections) {
    if (row.current.name == spec.scope) section = &row.current;
  }
  if (spec.has_value) {
    f.target_class = spec.target.value.num / spec.target.value.den;
  } else if (section && section->target) {
    f.target_class = water::class_rank(*section->target);
    f.target_from_section = true;
  }
  if (section) {
    f.months_with_data = section->samples;
    if (section->result.cls) f.cls = water::class_rank(*section->result.cls);
  }
  e.figures = f;
  if (!f.target_class) {
    e.level = not_computed("no target class: the plan prints none (" + spec.scope +
                           ") and the water store holds no target for the section");
    return e;
  }
  e.level = evaluate_level(f.cls ? std::optional<Rational>(Rational{*f.cls, 1}) : std::nullopt,
                           spec.target.bound, Rational{*f.target_class, 1}, p, ctx.as_of);
  if (!section) e.level->reason = "section '" + spec.scope + "' is not in the water store";
  return e;
}

// The period's days up to the as-of date, checked to be covered by the rule sets (AQI and limits) in force.
StatusOr<DayRange> so_far(const DayRange& p, CivilDay as_of) {
  DayRange range{p.first, std::min(as_of, p.last)};
  for (CivilDay d : {range.first, range.last}) ECOMON_RETURN_IF_ERROR(aqi_rules_for(d).status());
  ECOMON_RETURN_IF_ERROR(limit_set_for(range.last).status());
  return range;
}

// The ranking of the store's cities by composite index over `range`; a city without data in the period is
// left out with a warning, a city that could not be assessed fails the ranking.
StatusOr<std::vector<RankRow>> ranking(LevelContext& ctx, DayRange range) {
  auto cities = ctx.stores.records().cities();
  if (!cities.ok()) return cities.status();
  if (cities->empty()) return not_found("no cities in the store");
  RuleChoice choice;
  std::vector<PeriodAssessment> assessed;
  for (const std::string& city : *cities) {
    AuditedTimeSeries series = air_series(ctx.stores, DataView::kAudited, choice);  // published: audited
    auto a = assess_city(series, ctx.stores.records(), city, range, choice);
    if (a.ok()) {
      a->daily.clear();
      assessed.push_back(std::move(*a));
    } else if (a.status().code() == StatusCode::kNotFound) {
      ctx.warnings.push_back(city + ": " + a.status().message());
    } else {
      return a.status().with_context(city);
    }
  }
  return rank_cities(assessed);
}

// The city's rank by composite index among the store's cities over the period up to the as-of date; rank 1 =
// best.
StatusOr<EvaluatedTarget> composite_rank_target(LevelContext& ctx, const TargetSpec& spec) {
  EvaluatedTarget e{spec, {}, {}, {}};
  const DayRange& p = spec.target.period;
  auto range = so_far(p, ctx.as_of);
  if (!range.ok()) return range.status();
  auto rows = ranking(ctx, *range);
  if (!rows.ok() && rows.status().code() == StatusCode::kNotFound && spec.has_value) {
    e.level = evaluate_level(std::nullopt, spec.target.bound, spec.target.value, p, ctx.as_of);
    e.level->reason = "no air data: " + rows.status().message();
    return e;
  }
  if (!rows.ok()) return rows.status();
  RankFigures f{range->first, range->last, std::nullopt, rows->size(), std::nullopt};
  for (const RankRow& row : *rows) {
    if (row.city != ctx.city) continue;
    f.rank = row.rank ? std::optional<int64_t>(row.rank) : std::nullopt;
    f.composite = row.composite;
  }
  e.figures = f;
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no rank");
    return e;
  }
  e.level = evaluate_level(f.rank ? std::optional<Rational>(Rational{*f.rank, 1}) : std::nullopt,
                           spec.target.bound, spec.target.value, p, ctx.as_of);
  return e;
}

// The GB 3095 class the city's assessed statistic of the pollutant the label names (SO2, NO2, PM10, PM2.5,
// CO, O3) reaches over the period up to the as-of date (the statistic, its averaging and rule set).
StatusOr<EvaluatedTarget> pollutant_class_target(LevelContext& ctx, const TargetSpec& spec) {
  EvaluatedTarget e{spec, {}, {}, {}};
  std::optional<Pollutant> pollutant;
  for (const char* code : {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}) {
    if (!pollutant && spec.label.find(code) != std::string::npos) pollutant = parse_pollutant(code);
  }
  if (!pollutant) {
    e.level = not_computed("the label names no pollutant (SO2, NO2, PM10, PM2.5, CO, O3)");
    return e;
  }
  const DayRange& p = spec.target.period;
  auto range = so_far(p, ctx.as_of);
  if (!range.ok()) return range.status();
  RuleChoice choice;
  AuditedTimeSeries series = air_series(ctx.stores, DataView::kAudited, choice);
  auto a = assess_city(series, ctx.stores.records(), ctx.city, *range, choice);
  if (!a.ok() && a.status().code() == StatusCode::kNotFound) {  // no air data: no value, not an abort
    e.level = evaluate_level(std::nullopt, spec.target.bound, spec.target.value, p, ctx.as_of);
    e.level->reason = "no air data: " + a.status().message();
    return e;
  }
  if (!a.ok()) return a.status();
  PollutantClassFigures f{range->first, range->last, std::string(pollutant_code(*pollutant)), {}, {}, {}, {}};
  const PollutantAssessment& pa = a->pollutants[static_cast<size_t>(index_of(*pollutant))];
  if (pa.assessed) {
    const Statistic& s = *pa.assessed;
    f.statistic = s.name;
    f.statistic_value = s.value;
    if (s.limit) {
      f.rule_set = a->limit_rules;
      auto set = limit_set_by_id(a->limit_rules);
      std::optional<Averaging> avg;
      for (Averaging x : {Averaging::kAnnual, Averaging::k24h, Averaging::k1h, Averaging::kMaxDaily8h}) {
        if (averaging_code(x) == s.limit_averaging) avg = x;
      }
      if (set.ok() && avg) {
        auto c1 = (*set)->limit(*pollutant, *avg, ZoneClass::kClass1);
        auto c2 = (*set)->limit(*pollutant, *avg, ZoneClass::kClass2);
        if (c1 && c2)
          f.gb3095_class = gb3095_class_reached(s.value.to_rational(), c1->to_rational(), c2->to_rational());
      }
    }
  }
  e.figures = f;
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no class");
    return e;
  }
  e.level =
      evaluate_level(f.gb3095_class ? std::optional<Rational>(Rational{*f.gb3095_class, 1}) : std::nullopt,
                     spec.target.bound, spec.target.value, p, ctx.as_of);
  return e;
}

// The pollutant an emission target's label names: 二氧化硫/SO2 (a21026), 氮氧化物/NOx (a21002),
// 挥发性有机物/VOCs (a24088 非甲烷总烃, the online monitors' VOCs measure: UNCONFIRMED as the plan's
// accounting).
std::optional<std::string> emission_pollutant(const std::string& label) {
  for (const auto& [word, code] : {std::pair<const char*, const char*>{"二氧化硫", "a21026"},
                                   {"SO2", "a21026"},
                                   {"氮氧化物", "a21002"},
                                   {"NOx", "a21002"},
                                   {"挥发性有机物", "a24088"},
                                   {"VOCs", "a24088"}}) {
    if (label.find(word) != std::string::npos) return code;
  }
  return std::nullopt;
}

// The base year a label names: the four digits before "年" ("较2020年下降2%" → 2020).
std::optional<int> base_year_of(const std::string& label) {
  const std::string nian = "年";
  constexpr size_t kDigits = 4;
  for (size_t at = label.find(nian); at != std::string::npos; at = label.find(nian, at + 1)) {
    if (at < kDigits) continue;
    const std::string y = label.substr(at - kDigits, kDigits);
    if (std::all_of(y.begin(), y.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::stoi(y);
  }
  return std::nullopt;
}

// The change of the pollutant's load over the period so far against the same days of the base year, from the
// stored HJ 212 uploads (app/emissions.h), in % (exact to 0.001 for the comparison).
StatusOr<EvaluatedTarget> emission_change_target(LevelContext& ctx, const TargetSpec& spec) {
  EvaluatedTarget e{spec, {}, {}, {}};
  const std::optional<std::string> pollutant = emission_pollutant(spec.label);
  const std::optional<int> base_year = base_year_of(spec.label);
  if (!pollutant || !base_year) {
    e.level = not_computed(!pollutant
                               ? "the label names no pollutant with a load (二氧化硫, 氮氧化物, 挥发性有机物)"
                               : "the label names no base year (较YYYY年)");
    return e;
  }
  const DayRange& p = spec.target.period;
  const DayRange range{p.first, std::min(ctx.as_of, p.last)};
  EmissionsRequest req{range, range.to_string(), *base_year, "", sources::DataKind::kHourly};
  auto r = emission_totals(ctx.stores, ctx.who, req);
  if (!r.ok()) return r.status();
  const DayRange base = same_days_in(range, *base_year);
  sources::PollutantLoad now, then;
  if (auto it = r->totals.total.pollutants.find(*pollutant); it != r->totals.total.pollutants.end())
    now = it->second;
  if (auto it = r->base->total.pollutants.find(*pollutant); it != r->base->total.pollutants.end())
    then = it->second;
  constexpr int kLoadDigits = 3, kPercentDigits = 1;
  constexpr double kKgPerTonne = 1000;
  auto percent = [](const std::optional<double>& v) {
    return v ? std::optional(sources::round_text(*v, kPercentDigits)) : std::nullopt;
  };
  const bool counted = now.covered_seconds > 0, base_counted = then.covered_seconds > 0;
  std::optional<double> change;
  if (counted && then.kg != 0) change = (now.kg - then.kg) / then.kg * 100;  // sources::change_percent
  e.figures = EmissionChangeFigures{range.first,
                                    range.last,
                                    base.first,
                                    base.last,
                                    *base_year,
                                    *pollutant,
                                    sources::round_text(now.kg / kKgPerTonne, kLoadDigits),
                                    sources::round_text(then.kg / kKgPerTonne, kLoadDigits),
                                    percent(change),
                                    percent(now.completeness_percent()),
                                    percent(then.completeness_percent())};
  if (!base_counted || then.kg == 0) {
    e.level = not_computed("no emission data of " + *pollutant + " in " + base.to_string() +
                           " (the base year's uploads are not stored)");
    return e;
  }
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no change");
    return e;
  }
  constexpr int64_t kMilli = 1000;
  std::optional<Rational> value;
  if (change.has_value()) value = Rational{std::llround(*change * kMilli), kMilli};
  e.level = evaluate_level(value, spec.target.bound, spec.target.value, p, ctx.as_of);
  return e;
}

// 受污染耕地安全利用率 and 污染地块安全利用率 (soil-2021: ≥ 90 %) from the soil module over the whole store
// (app/soil.h: the survey and the plot registry are not dated, so the value is the store's now, whatever the
// as-of date). Other rates are not computed.
StatusOr<EvaluatedTarget> safe_use_rate_target(LevelContext& ctx, const TargetSpec& spec) {
  EvaluatedTarget e{spec, {}, {}, {}};
  const bool farmland = spec.label.find("耕地") != std::string::npos;
  const bool plots = spec.label.find("地块") != std::string::npos;
  if (farmland == plots) {
    e.level = not_computed("the label names neither 受污染耕地 nor 污染地块");
    return e;
  }
  soil::SafeUseRate rate;
  if (farmland) {
    auto r = soil_assessment(ctx.stores, ctx.who, "");
    if (!r.ok()) return r.status();
    rate = r->farmland_rate;
  } else {
    auto r = soil_plots(ctx.stores, ctx.who, "");
    if (!r.ok()) return r.status();
    rate = r->rate;
  }
  e.figures = SafeUseRateFigures{farmland ? "farmland" : "plots", exact::to_string(rate.numerator),
                                 exact::to_string(rate.denominator), rate.parcels_counted,
                                 rate.shown ? std::optional(rate.shown->to_string()) : std::nullopt};
  if (!spec.has_value) {
    e.level = not_computed("the plan prints no rate");
    return e;
  }
  e.level = evaluate_level(rate.percent, spec.target.bound, spec.target.value, spec.target.period, ctx.as_of);
  return e;
}

StatusOr<EvaluatedTarget> level_target(LevelContext& ctx, const TargetSpec& spec) {
  switch (*spec.level) {
    case Indicator::kSectionClass:
      return section_class_target(ctx, spec);
    case Indicator::kCompositeRank:
      return composite_rank_target(ctx, spec);
    case Indicator::kPollutantClass:
      return pollutant_class_target(ctx, spec);
    case Indicator::kEmissionChange:
      return emission_change_target(ctx, spec);
    case Indicator::kRate:
      if (spec.label.find("安全利用率") != std::string::npos) return safe_use_rate_target(ctx, spec);
      [[fallthrough]];
    default:
      return EvaluatedTarget{
          spec,
          {},
          not_computed("no module computes this " + std::string(indicator_name(*spec.level)) +
                       " (its figures are not collected)"),
          {}};
  }
}

// The budget targets on the city's daily figures (PM2.5 daily mean, the day's class by AQI), from the pace
// window before the earliest period up to the as-of date.
StatusOr<std::vector<EvaluatedTarget>> evaluate_budgets(Stores& stores, const std::string& city,
                                                        CivilDay as_of,
                                                        const std::vector<TargetSpec>& specs) {
  if (specs.empty()) return std::vector<EvaluatedTarget>{};
  CivilDay first = specs[0].target.period.first;
  for (const TargetSpec& s : specs) first = std::min(first, s.target.period.first);
  DayRange range{first - (kPaceDays - 1), as_of};
  RuleChoice choice;
  AuditedTimeSeries series = air_series(stores, DataView::kAudited, choice);
  auto data = load_city(series, stores.records(), city, range, choice.params);
  std::string no_data;
  if (!data.ok() && data.status().code() != StatusCode::kNotFound) return data.status();
  if (!data.ok()) no_data = "no air data: " + data.status().message();  // each target says so, none aborts
  std::vector<DayFigure> days;
  for (const DayReport& d : data.ok() ? city_day_reports(*data, range, choice) : std::vector<DayReport>{}) {
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
    out.push_back({s, *r, std::nullopt, {}, no_data});
  }
  return out;
}

// The targets evaluated: the budgets in their order, then the levels in theirs.
StatusOr<TargetsReport> evaluate(Stores& stores, const Actor& who, const std::string& city, CivilDay as_of,
                                 int year, const std::vector<TargetSpec>& all) {
  // An unknown city is an error; a known one without air data in the period is not (each target says so).
  auto cities = stores.records().cities();
  if (!cities.ok()) return cities.status();
  if (std::find(cities->begin(), cities->end(), city) == cities->end())
    return not_found("no stations for city '" + city + "' in the store");
  std::vector<TargetSpec> specs;
  std::vector<EvaluatedTarget> levels;
  LevelContext ctx{stores, who, city, as_of, {}, {}};
  for (const TargetSpec& s : all) {
    if (!s.level) {
      if (s.missing.empty()) specs.push_back(s);
      continue;
    }
    auto e = level_target(ctx, s);
    if (!e.ok()) return e.status();
    levels.push_back(std::move(*e));
  }
  auto budgets = evaluate_budgets(stores, city, as_of, specs);
  if (!budgets.ok()) return budgets.status();
  TargetsReport r{city, as_of, year, {}, std::move(ctx.warnings)};
  size_t next = 0;  // the budgets in their order, a target-less default in its place among them
  for (const TargetSpec& s : all) {
    if (s.level) continue;
    r.targets.push_back(s.missing.empty() ? std::move((*budgets)[next++])
                                          : EvaluatedTarget{s, {}, {}, {}, {}});
  }
  for (EvaluatedTarget& e : levels) r.targets.push_back(std::move(e));
  return r;
}

}  // namespace

StatusOr<TargetsReport> targets_status(Stores& stores, const Actor& who, const TargetsRequest& req) {
  const int year = req.year ? req.year : req.as_of.year();
  if (req.as_of.year() < year) return invalid_argument("--as-of is before the target year");
  const DayRange period = DayRange::year(year);
  std::vector<TargetSpec> specs;
  if (!req.stored_only) {
    auto targets = stores.ledger().targets();
    if (!targets.ok()) return targets.status();
    auto flag = [&](const char* name, const char* unit, BudgetMeasure m, Bound b,
                    const std::optional<Rational>& value, Indicator indicator) {
      const int digits = m == BudgetMeasure::kMean ? 0 : 1;
      if (value) {
        specs.push_back({name, "", "", "", "", unit, BudgetTarget{m, b, *value, period, digits}});
        return;
      }
      // The stored target of the indicator over the whole year (the first in store order).
      for (const Target& t : *targets) {
        if (t.indicator != indicator || !(t.period == period)) continue;
        auto stored = budget_target(t);
        if (!stored) continue;
        if (t.period.contains(req.as_of)) return;  // it is among the stored targets below
        specs.push_back({name, t.label, t.plan, t.scope, t.owner, t.unit, *stored});
        return;
      }
      TargetSpec none{name, "", "", "", "", unit, BudgetTarget{m, b, Rational{0, 1}, period, digits}};
      none.missing = "no target for " + std::to_string(year);
      specs.push_back(std::move(none));
    };
    flag("pm25", "ug/m3", BudgetMeasure::kMean, Bound::kAtMost, req.pm25, Indicator::kPm25Mean);
    flag("good-ratio", "%", BudgetMeasure::kGoodDayRatio, Bound::kAtLeast, req.good_ratio,
         Indicator::kGoodDayRatio);
    flag("heavy-ratio", "%", BudgetMeasure::kHeavyDayRatio, Bound::kAtMost, req.heavy_ratio,
         Indicator::kHeavyDayRatio);
  }
  auto stored = stored_specs(stores, req.as_of);
  if (!stored.ok()) return stored.status();
  for (TargetSpec& s : *stored) specs.push_back(std::move(s));
  return evaluate(stores, who, req.city, req.as_of, year, specs);
}

StatusOr<TargetsReport> targets_at_risk(Stores& stores, const Actor& who, const std::string& city,
                                        CivilDay as_of) {
  auto specs = stored_specs(stores, as_of);
  if (!specs.ok()) return specs.status();
  auto r = evaluate(stores, who, city, as_of, as_of.year(), *specs);
  if (!r.ok()) return r.status();
  std::vector<EvaluatedTarget> at_risk;
  for (EvaluatedTarget& e : r->targets) {
    if ((!e.level || e.level->state) &&
        (state_of(e) == TargetState::kAtRisk || state_of(e) == TargetState::kMissed ||
         state_of(e) == TargetState::kNoData))
      at_risk.push_back(std::move(e));
  }
  r->targets = std::move(at_risk);
  return r;
}

}  // namespace ecomon::app
