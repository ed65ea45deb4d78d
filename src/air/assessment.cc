#include "air/assessment.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "air/statistics.h"

namespace ecomon {
namespace {

constexpr int kPercentDecimals = 1;   // ratios and changes in % with one decimal
constexpr int kMultipleDecimals = 2;  // 超标倍数 with two decimals
constexpr int32_t kGoodMax = 100;
constexpr int32_t kHeavyAbove = 200;
constexpr int kP98 = 98, kP95 = 95, kP90 = 90;

std::optional<int64_t> day_value(const DayStats& s, Pollutant p) {
  return p == Pollutant::kO3 ? s.o3_mda8 : s.mean[static_cast<size_t>(index_of(p))];
}

Decimal percent_of(int part, int whole) {
  return round_half_even(Rational{int64_t{part} * 100, whole}, kPercentDecimals);
}

Statistic make_stat(std::string name, Pollutant p, const Rational& milli_value, const LimitSet* limits,
                    std::optional<Averaging> averaging, ZoneClass zone) {
  Statistic s;
  s.name = std::move(name);
  s.value = reported(p, round_milli(p, milli_value));
  if (limits && averaging) {
    s.limit = limits->limit(p, *averaging, zone);
    s.limit_averaging = std::string(averaging_code(*averaging));
    if (s.limit) {
      s.compliant = s.value <= *s.limit;
      if (!*s.compliant) {
        // B = (C - S) / S on the reported value.
        Rational c = s.value.to_rational(), lim = s.limit->to_rational();
        s.exceed_multiple =
            round_half_even(Rational{c.num * lim.den - lim.num * c.den, lim.num * c.den}, kMultipleDecimals);
      }
    }
  }
  return s;
}

Completeness completeness_of(const std::vector<DayReport>& days, Pollutant p, DayRange range,
                             const AssessmentParams& params) {
  Completeness c;
  c.total_days = range.size();
  std::map<int32_t, int> per_month;
  for (const DayReport& d : days) {
    if (day_value(d.stats, p)) {
      ++c.valid_days;
      ++per_month[MonthKey::of(d.day).ordinal];
    }
  }
  for (MonthKey m = MonthKey::of(range.first); m <= MonthKey::of(range.last); m.ordinal++) {
    DayRange mr{m.first_day(), m.first_day() + (m.days() - 1)};
    if (mr.first < range.first || mr.last > range.last) continue;
    ++c.months_total;
    int need = m.month() == 2 ? params.min_days_per_february : params.min_days_per_month;
    if (per_month[m.ordinal] >= need) ++c.months_meeting;
  }
  switch (period_kind(range)) {
    case PeriodKind::kYear:
      c.meets_minimum = c.valid_days >= params.min_days_per_year;
      break;
    case PeriodKind::kMonth:
      c.meets_minimum = c.months_meeting == 1;
      break;
    case PeriodKind::kOther:
      break;
  }
  return c;
}

const LimitSet* limits_for_day(const RuleChoice& choice, CivilDay d) {
  if (choice.limits) return choice.limits;
  auto l = limit_set_for(d);
  return l.ok() ? *l : nullptr;
}

}  // namespace

Status apply_rules_option(RuleChoice& choice, std::string_view spec) {
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t end = spec.find(',', pos);
    if (end == std::string_view::npos) end = spec.size();
    std::string item(spec.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    std::string up = normalise_rule_id(item);
    if (up == "2012" || up == "2026" || up == "2026T") {
      choice.aqi = *aqi_rules_by_id(up == "2012" ? "2012" : "2026");
      choice.limits = *limit_set_by_id(up);
      continue;
    }
    if (up.rfind("HJ", 0) == 0) {
      auto a = aqi_rules_by_id(item);
      if (!a.ok()) return a.status();
      choice.aqi = *a;
      continue;
    }
    if (up.rfind("GB", 0) == 0) {
      auto l = limit_set_by_id(item);
      if (!l.ok()) return l.status();
      choice.limits = *l;
      continue;
    }
    return invalid_argument(
        "--rules: unknown rule set '" + item +
        "' (use 2012, 2026T, 2026, HJ633-2012, HJ633-2026, GB3095-2012, GB3095-2026T, GB3095-2026)");
  }
  return Status();
}

DayReport make_day_report(CivilDay day, const DayStats& stats, const RuleChoice& choice) {
  DayReport r;
  r.day = day;
  r.stats = stats;
  if (choice.aqi) {
    r.rules = choice.aqi;
  } else {
    auto a = aqi_rules_for(day);
    if (!a.ok()) return r;  // no rule set: the day has no AQI (the caller reports the rule gap)
    r.rules = *a;
  }
  IndicatorValues v;
  auto set = [&](AqiIndicator i, const std::optional<int64_t>& x) {
    v[static_cast<size_t>(index_of(i))] = x;
  };
  set(AqiIndicator::kSO2_24h, stats.mean[index_of(Pollutant::kSO2)]);
  set(AqiIndicator::kNO2_24h, stats.mean[index_of(Pollutant::kNO2)]);
  set(AqiIndicator::kPM10_24h, stats.mean[index_of(Pollutant::kPM10)]);
  set(AqiIndicator::kPM25_24h, stats.mean[index_of(Pollutant::kPM25)]);
  set(AqiIndicator::kCO_24h, stats.mean[index_of(Pollutant::kCO)]);
  set(AqiIndicator::kO3_8h, stats.o3_mda8);
  set(AqiIndicator::kO3_1h, stats.o3_max_1h);
  r.aqi = compute_aqi(*r.rules, AqiMode::kDaily, v);
  switch (choice.params.valid_day) {
    case ValidDayRule::kAnyAqi:
      r.valid = r.aqi.aqi.has_value();
      break;
    case ValidDayRule::kComplete:
      r.valid = r.aqi.aqi && r.aqi.complete;
      break;
    case ValidDayRule::kCompleteOrPolluted:
      r.valid = r.aqi.aqi && (r.aqi.complete || *r.aqi.aqi > kGoodMax);
      break;
  }
  return r;
}

PeriodKind period_kind(DayRange r) {
  if (r == DayRange::year(r.first.year())) return PeriodKind::kYear;
  if (r == DayRange::month(r.first.year(), r.first.month())) return PeriodKind::kMonth;
  return PeriodKind::kOther;
}

PeriodAssessment assess_period(const std::string& city, DayRange range, std::vector<DayReport> days,
                               const RuleChoice& choice) {
  PeriodAssessment a;
  a.city = city;
  a.range = range;
  const LimitSet* limits = limits_for_day(choice, range.last);
  a.limit_rules = limits ? std::string(limits->id) : "";
  std::set<std::string> aqi_ids;
  for (const DayReport& d : days) {
    if (d.rules) aqi_ids.insert(std::string(d.rules->id));
  }
  a.aqi_rules.assign(aqi_ids.begin(), aqi_ids.end());

  for (Pollutant p : kAllPollutants) {
    PollutantAssessment& pa = a.pollutants[static_cast<size_t>(index_of(p))];
    pa.pollutant = p;
    pa.completeness = completeness_of(days, p, range, choice.params);
    std::vector<int64_t> values;
    for (const DayReport& d : days) {
      auto v = day_value(d.stats, p);
      if (!v) continue;
      values.push_back(*v);
      const LimitSet* dl = limits_for_day(choice, d.day);
      auto lim =
          dl ? dl->limit(p, p == Pollutant::kO3 ? Averaging::kMaxDaily8h : Averaging::k24h, choice.zone)
             : std::nullopt;
      if (lim && *v > lim->to_milli()) ++pa.exceed_days;
    }
    if (values.empty()) continue;
    pa.max_daily = reported(p, *std::max_element(values.begin(), values.end()));
    Rational m = *mean(values);
    switch (p) {
      case Pollutant::kSO2:
      case Pollutant::kNO2:
        pa.statistics.push_back(make_stat("mean", p, m, limits, Averaging::kAnnual, choice.zone));
        pa.statistics.push_back(
            make_stat("p98_daily_mean", p, *percentile(values, kP98), limits, Averaging::k24h, choice.zone));
        break;
      case Pollutant::kPM10:
      case Pollutant::kPM25:
        pa.statistics.push_back(make_stat("mean", p, m, limits, Averaging::kAnnual, choice.zone));
        pa.statistics.push_back(
            make_stat("p95_daily_mean", p, *percentile(values, kP95), limits, Averaging::k24h, choice.zone));
        break;
      case Pollutant::kCO:
        pa.statistics.push_back(
            make_stat("p95_daily_mean", p, *percentile(values, kP95), limits, Averaging::k24h, choice.zone));
        pa.statistics.push_back(make_stat("mean", p, m, nullptr, std::nullopt, choice.zone));
        break;
      case Pollutant::kO3:
        pa.statistics.push_back(
            make_stat("p90_mda8", p, *percentile(values, kP90), limits, Averaging::kMaxDaily8h, choice.zone));
        pa.statistics.push_back(make_stat("mean_mda8", p, m, nullptr, std::nullopt, choice.zone));
        break;
    }
    pa.assessed = pa.statistics.front();
    bool any_limit = false, all_ok = true;
    for (const Statistic& s : pa.statistics) {
      if (!s.compliant) continue;
      any_limit = true;
      all_ok = all_ok && *s.compliant;
    }
    if (any_limit) pa.compliant = all_ok;
  }

  DaysSummary& ds = a.days;
  ds.total = range.size();
  for (const DayReport& d : days) {
    if (!d.valid) continue;
    ++ds.valid;
    int32_t aqi = *d.aqi.aqi;
    ++ds.by_level[static_cast<size_t>(aqi_level(aqi).level - 1)];
    if (aqi <= kGoodMax) ++ds.good;
    if (aqi > kHeavyAbove) ++ds.heavy;
    for (Pollutant p : d.aqi.primary) ++ds.by_primary[std::string(pollutant_code(p))];
    for (Pollutant p : d.aqi.exceeding) ++ds.exceed[std::string(pollutant_code(p))];
  }
  if (ds.valid > 0) {
    ds.good_ratio = percent_of(ds.good, ds.valid);
    ds.heavy_ratio = percent_of(ds.heavy, ds.valid);
  }

  // Composite index: C_i = the assessed statistic (means; CO p95; O3 p90) at reporting precision.
  CompositeIndex ci;
  ci.rule = choice.composite.id;
  bool all = true;
  Rational sum_exact{0, 1};
  int64_t sum_rounded = 0;  // in 10^-decimals
  const int dec = choice.composite.index_decimals;
  for (Pollutant p : kAllPollutants) {
    size_t i = static_cast<size_t>(index_of(p));
    const auto& assessed = a.pollutants[i].assessed;
    if (!assessed) {
      all = false;
      break;
    }
    CompositePart part;
    part.pollutant = p;
    part.concentration = assessed->value;
    part.limit = choice.composite.s[i];
    part.weight = choice.composite.weight[i];
    Rational c = part.concentration.to_rational(), s = part.limit.to_rational();
    Rational idx{c.num * s.den * part.weight, c.den * s.num};  // w_i * C_i / S_i
    part.index = round_half_even(idx, dec);
    sum_rounded += part.index.units;
    sum_exact = Rational{sum_exact.num * idx.den + idx.num * sum_exact.den, sum_exact.den * idx.den};
    // keep the fraction small
    int64_t g = std::gcd(sum_exact.num, sum_exact.den);
    if (g > 1) sum_exact = {sum_exact.num / g, sum_exact.den / g};
    ci.parts.push_back(part);
  }
  if (all) {
    ci.value =
        choice.composite.sum_rounded_parts ? Decimal{sum_rounded, dec} : round_half_even(sum_exact, dec);
    for (CompositePart& part : ci.parts) {
      part.share = ci.value.units == 0
                       ? Decimal{0, kPercentDecimals}
                       : round_half_even(Rational{part.index.units * 100, ci.value.units}, kPercentDecimals);
    }
    a.composite = std::move(ci);
  }

  a.daily = std::move(days);
  return a;
}

namespace {

Change change_of(const std::optional<Decimal>& cur, const std::optional<Decimal>& prev) {
  Change c;
  if (!cur || !prev) return c;
  int scale = std::max(cur->scale, prev->scale);
  Rational d{
      cur->to_rational().num * prev->to_rational().den - prev->to_rational().num * cur->to_rational().den,
      cur->to_rational().den * prev->to_rational().den};
  c.delta = round_half_even(d, scale);
  if (auto pc = percent_change(*cur, *prev)) c.percent = round_half_even(*pc, kPercentDecimals);
  return c;
}

}  // namespace

YearOnYear compare(const PeriodAssessment& current, const PeriodAssessment& previous) {
  YearOnYear y;
  y.previous_range = previous.range;
  for (size_t i = 0; i < kPollutantCount; ++i) {
    const auto& c = current.pollutants[i].assessed;
    const auto& p = previous.pollutants[i].assessed;
    y.assessed[i] =
        change_of(c ? std::optional(c->value) : std::nullopt, p ? std::optional(p->value) : std::nullopt);
  }
  y.good_days = change_of(Decimal::of_int(current.days.good), Decimal::of_int(previous.days.good));
  y.good_ratio = change_of(current.days.good_ratio, previous.days.good_ratio);
  y.good_ratio.percent.reset();  // a ratio changes in percentage points
  y.heavy_days = change_of(Decimal::of_int(current.days.heavy), Decimal::of_int(previous.days.heavy));
  y.composite = change_of(current.composite ? std::optional(current.composite->value) : std::nullopt,
                          previous.composite ? std::optional(previous.composite->value) : std::nullopt);
  return y;
}

std::vector<RankRow> rank_cities(const std::vector<PeriodAssessment>& assessments) {
  std::vector<RankRow> rows;
  for (const PeriodAssessment& a : assessments) {
    RankRow r;
    r.city = a.city;
    if (a.composite) {
      r.composite = a.composite->value;
      const CompositePart* top = nullptr;
      for (const CompositePart& p : a.composite->parts) {
        if (!top || p.index > top->index) top = &p;
      }
      if (top) r.primary_share = std::string(pollutant_code(top->pollutant));
    }
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const RankRow& x, const RankRow& y) {
    if (x.composite.has_value() != y.composite.has_value()) return x.composite.has_value();
    if (!x.composite) return x.city < y.city;
    if (*x.composite != *y.composite) return *x.composite < *y.composite;
    return x.city < y.city;
  });
  int rank = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].composite) break;
    rank = (i > 0 && rows[i - 1].composite && *rows[i - 1].composite == *rows[i].composite)
               ? rank
               : static_cast<int>(i) + 1;
    rows[i].rank = rank;
  }
  return rows;
}

}  // namespace ecomon
