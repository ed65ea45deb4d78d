// Assessment of a city's air for any period (month, quarter, year, year-to-date, custom range) per HJ 663,
// GB 3095 and HJ 633, from the city's daily values: per-pollutant statistics with completeness, compliance
// and 超标倍数, day counts by level and primary pollutant, the composite index, and the change from last
// year.
//
// Pure: takes DayReports (air/city_data.h builds them from the store) and returns values.
//
//   PeriodAssessment a = assess_period(days, request);
//   a.pollutants[index_of(Pollutant::kPM25)].assessed->value;   // annual mean PM2.5, e.g. 44 ug/m3
//   a.days.good; a.composite->value;
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "air/daily.h"
#include "air/params.h"
#include "core/decimal.h"
#include "core/time.h"
#include "standards/aqi.h"
#include "standards/composite.h"
#include "standards/gb3095.h"

namespace ecomon {

// What the caller fixes; the rest is chosen by the data's date.
struct RuleChoice {
  const AqiRuleSet* aqi = nullptr;  // nullptr: the rule set in force on each day
  const LimitSet* limits =
      nullptr;  // nullptr: the set in force on the period's last day (daily checks: each day's)
  CompositeRule composite = composite_2018();
  ZoneClass zone = ZoneClass::kClass2;
  AssessmentParams params;
};
// Parses --rules: a comma list of rule-set ids ("HJ633-2026", "GB3095-2026T") or a shorthand that sets both:
// "2012" (HJ633-2012 + GB3095-2012), "2026T" (HJ633-2026 + GB3095-2026T), "2026" (HJ633-2026 + GB3095-2026).
Status apply_rules_option(RuleChoice& choice, std::string_view spec);

// One city day: its statistics and its AQI under the day's rule set.
struct DayReport {
  CivilDay day;
  DayStats stats;
  const AqiRuleSet* rules = nullptr;
  AqiResult aqi;
  bool valid = false;  // counts as a valid day for day-based indicators (params.valid_day)
};
// Builds the AQI of each day from its statistics.
DayReport make_day_report(CivilDay day, const DayStats& stats, const RuleChoice& choice);

struct Statistic {
  std::string name;  // "annual_mean", "mean", "p98_daily_mean", "p95_daily_mean", "p90_mda8"
  Decimal value;     // at the reporting precision
  std::optional<Decimal> limit;
  std::string limit_averaging;  // "annual", "24h", "max_daily_8h"
  std::optional<bool> compliant;
  std::optional<Decimal> exceed_multiple;  // 超标倍数 (C-S)/S, 2 decimals, only when C > S
};

struct Completeness {
  int valid_days = 0;
  int total_days = 0;
  int months_meeting = 0;  // months with >= 27 valid days (February 25)
  int months_total = 0;    // calendar months the period touches wholly
  // Whether the period meets the Table 4 minimum for its kind (year: >= 324 days; month: >= 27/25);
  // nullopt for periods the standard sets no minimum for.
  std::optional<bool> meets_minimum;
};

struct PollutantAssessment {
  Pollutant pollutant = Pollutant::kSO2;
  Completeness completeness;
  std::optional<Statistic> assessed;  // the statistic the standard judges the pollutant by
  std::vector<Statistic> statistics;  // every statistic computed (mean, percentile)
  std::optional<bool> compliant;      // all statistics with limits met
  int exceed_days = 0;                // days over the 24-h limit (O3: MDA8 over the 8-h limit)
  std::optional<Decimal> max_daily;   // highest daily value (O3: MDA8)
};

struct DaysSummary {
  int total = 0;                          // days in the period
  int valid = 0;                          // days counting for the day-based indicators
  int good = 0;                           // 优良: AQI <= 100
  std::array<int, 6> by_level{};          // levels 1..6
  int heavy = 0;                          // 重污染: AQI > 200
  std::optional<Decimal> good_ratio;      // % with 1 decimal
  std::optional<Decimal> heavy_ratio;     // % with 1 decimal
  std::map<std::string, int> by_primary;  // 首要污染物 days (a tie counts for each)
  std::map<std::string, int> exceed;      // days with the pollutant's IAQI > 100
};

struct CompositePart {
  Pollutant pollutant = Pollutant::kSO2;
  Decimal concentration;  // C_i
  Decimal limit;          // S_i
  int32_t weight = 1;
  Decimal index;  // I_i (2 decimals)
  Decimal share;  // % of the sum (1 decimal)
};
struct CompositeIndex {
  std::string rule;
  Decimal value;  // I_sum (2 decimals)
  std::vector<CompositePart> parts;
};

struct PeriodAssessment {
  std::string city;
  DayRange range;
  std::vector<std::string> stations;           // station codes that entered the city values
  std::vector<std::string> excluded_stations;  // reference stations (对照点) left out
  std::vector<std::string> silent_stations;    // listed for the city but without data in the period
  std::vector<std::string> aqi_rules;          // rule sets the days were judged by (usually one)
  std::string limit_rules;
  std::array<PollutantAssessment, kPollutantCount> pollutants;
  DaysSummary days;
  std::optional<CompositeIndex> composite;
  std::vector<DayReport> daily;  // one per day, for calendars and traces
};

enum class PeriodKind : uint8_t { kYear, kMonth, kOther };
PeriodKind period_kind(DayRange r);

PeriodAssessment assess_period(const std::string& city, DayRange range, std::vector<DayReport> days,
                               const RuleChoice& choice);

// Change from the same period last year (同比): per pollutant and for the index, in % (1 decimal); for the
// good-day ratio in percentage points; for day counts in days.
struct Change {
  std::optional<Decimal> percent;  // (cur - prev)/prev x 100
  std::optional<Decimal> delta;    // cur - prev (points or days)
};
struct YearOnYear {
  DayRange previous_range;
  std::array<Change, kPollutantCount> assessed;
  Change good_days, good_ratio, heavy_days, composite;
};
YearOnYear compare(const PeriodAssessment& current, const PeriodAssessment& previous);

// Ranking of cities by composite index, smallest (best) first; equal indices share a rank (并列).
struct RankRow {
  int rank = 0;
  std::string city;
  std::optional<Decimal> composite;  // cities without a valid index come last, unranked (rank 0)
  std::string primary_share;         // pollutant with the largest share of the index
};
std::vector<RankRow> rank_cities(const std::vector<PeriodAssessment>& assessments);

}  // namespace ecomon
