// The air services (app.h): the CNEMC archive's hourly, daily and period judgements of a city, the ranking of
// every city, the real-time AQI, the city and station lists and the monthly trend. The CLI's `ecomon air ...`
// verbs, the /api/air/... handlers and the bulletin call these; air/air_format.h formats the results.
//
//   app::AirRequest req{.city = "晋城", .range = DayRange::year(2019)};
//   auto r = app::air_period(stores, who, req);            // StatusOr<app::AirPeriod>
//   std::cout << period_table(r->assessment, r->year_on_year);
//
// Air data is public: every Actor may read it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "air/assessment.h"
#include "air/audit_view.h"
#include "air/city_data.h"
#include "air/moving_average.h"
#include "app/app.h"

namespace ecomon::app {

// The period the air verbs' options (and the API's parameters) name: exactly one of year, month (YYYY-MM),
// quarter (YYYY-Qn), ytd (as of YYYY-MM-DD), date, or from and to. Parsed by the adapters.
struct AirPeriodSpec {
  int year = 0;
  std::string month, quarter, ytd, date, from, to;
  // How the messages name the fields: as the CLI's flags ("--year 2019") or as the API's query parameters
  // ("query parameter year=2019").
  bool query_parameters = false;
};
StatusOr<DayRange> air_period_range(const AirPeriodSpec& spec);

// The rule options of the air verbs, as given; air_rule_choice turns them into a RuleChoice (syntax only).
struct AirRuleOptions {
  std::string rules, weights, limits;  // "" = by date / the defaults
  O3WindowSet o3_windows = O3WindowSet::kSameDay17;
  bool include_reference = false;
  ZoneClass zone = ZoneClass::kClass2;
  bool exclude_exceptional_events = false;  // HJ 663-2026 例外事件 (AssessmentParams)
};
StatusOr<RuleChoice> air_rule_choice(const AirRuleOptions& o);

// Whether rule sets cover the period (AQI on its first and last day; with `needs_limits`, the GB 3095 limits
// on its last day) or are forced: a kFailedPrecondition naming --rules otherwise. The services check it
// first; an adapter may check it before it opens the stores (hourly, daily: no limits; period, rank: limits).
Status air_rules_cover(const RuleChoice& choice, DayRange range, bool needs_limits);

// A city (or one of its assessment stations, for the hourly report) over a period, under a rule choice.
struct AirRequest {
  std::string city;
  std::string station;  // hourly only: one assessment station's code instead of the city
  DayRange range;
  RuleChoice choice;
  bool year_on_year = true;            // period only: compare with the same period last year
  DataView data = DataView::kAudited;  // audited figures (default) or the real-time values as imported
};

// The time series a request reads: the audited view over the stores' real-time series (air/audit_view.h),
// or the real-time one itself.
AuditedTimeSeries air_series(Stores& stores, DataView data, const RuleChoice& choice);

// Hourly (real-time) reports of the city or the station.
StatusOr<std::vector<HourReport>> air_hourly(Stores& stores, const Actor& who, const AirRequest& req);
// Daily reports of the city.
StatusOr<std::vector<DayReport>> air_daily(Stores& stores, const Actor& who, const AirRequest& req);

// The period's assessment and, when last year's same period has a valid day, the change from it.
struct AirPeriod {
  PeriodAssessment assessment;
  std::optional<YearOnYear> year_on_year;
};
StatusOr<AirPeriod> air_period(Stores& stores, const Actor& who, const AirRequest& req);

// HJ 663-2026's moving-average assessment of the `params.years` calendar years ending with req.range's last
// year (air/moving_average.h); a year without data counts as a year without statistics.
StatusOr<MovingAverage> air_moving_average(Stores& stores, const Actor& who, const AirRequest& req,
                                           const MovingAverageParams& params);

// The ranking of cities by composite index, or, with `counties_of`, of that city's counties (区县: the
// counties its stations are registered in, each assessed from its own assessment stations, air/city_data.h
// assess_county); the rows then name counties.
struct AirRankRequest {
  std::vector<std::string> cities;  // empty: every city in the store
  DayRange range;
  RuleChoice choice;
  DataView data = DataView::kAudited;
  std::string counties_of;  // non-empty: rank this city's counties (`cities` must be empty)
};
struct AirRanking {
  std::vector<RankRow> rows;
  // Cities (counties) without data in the period (kNotFound), left out of the ranking.
  std::vector<std::pair<std::string, Status>> left_out;
};
// With `workers`, the cities are assessed on every core, each thread on stores of its own.
StatusOr<AirRanking> air_rank(Stores& stores, const Actor& who, const AirRankRequest& req,
                              const StoresOpener* workers = nullptr);

// Real time (实时): the city's and each assessment station's hourly reports of one day (default: the newest
// day with data), under the rules in force that day.
struct AirToday {
  std::string city;
  CivilDay day;
  std::vector<HourReport> city_hours;
  std::vector<StationInfo> stations;                                  // the assessment stations
  std::vector<std::optional<std::vector<HourReport>>> station_hours;  // per station (nullopt: failed)
};
StatusOr<AirToday> air_today(Stores& stores, const Actor& who, const std::string& city,
                             std::optional<CivilDay> day, DataView data = DataView::kAudited);

// The cities in the store, each with its number of stations.
struct AirCity {
  std::string city;
  size_t stations = 0;
};
StatusOr<std::vector<AirCity>> air_cities(Stores& stores, const Actor& who);
// A city's stations.
StatusOr<std::vector<StationInfo>> air_stations(Stores& stores, const Actor& who, const std::string& city);

// The monthly trend of a year: each month's assessment (no year-on-year) under the rules by date; months no
// rule set covers or without data are left out; an unknown city is kNotFound.
struct AirMonth {
  std::string month;  // YYYY-MM
  PeriodAssessment assessment;
};
StatusOr<std::vector<AirMonth>> air_monthly(Stores& stores, const Actor& who, const std::string& city,
                                            int year, DataView data = DataView::kAudited);

}  // namespace ecomon::app
