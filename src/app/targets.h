// The targets' use cases: where a city's targets stand as of a day — `ecomon targets status`, `ledger report
// targets` and GET /api/targets/status. Budget targets (PM2.5 mean, good-day and heavy-day ratios, heavy
// days: the flags' and the stored ones) get their year-to-date value, state, remaining budget and 30-day
// forecast from the city's daily air figures; level targets are read off the typed assessments of the period
// so far: a water section's class (water_assessment, app/quality.h), the city's rank by composite index
// (air/assessment.h rank_cities), a pollutant's GB 3095 class (the assessed statistic of assess_city).
// Formatting: ledger/targets_format.h.
//
//   app::TargetsRequest req{"晋城", CivilDay::from_ymd(2019, 10, 1)};
//   auto r = app::targets_status(stores, who, req);      // StatusOr<TargetsReport>
//   std::cout << targets_text(*r, "table");
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "ledger/targets_format.h"

namespace ecomon::app {

struct TargetsRequest {
  std::string city;
  CivilDay as_of;
  int year = 0;  // the flags' target year; 0: the as-of date's year (not after it: kInvalidArgument)
  // The flags' targets (--pm25 µg/m³ at most, --good-ratio % at least, --heavy-ratio % at most), evaluated
  // before the stored ones; none with stored_only. One not given defaults to the stored target of its
  // indicator (pm25_mean, good_day_ratio, heavy_day_ratio) over the whole year `year` (seed 001's 2022
  // provincial 44 / 63 / 1.6 are demo/ledger's province-2022 rows): listed once, among the stored targets
  // when its period holds the as-of date; the store holding none for the year, its row says "no target for
  // YEAR" (state no-target) and nothing is judged against another year's numbers.
  std::optional<Rational> pm25, good_ratio, heavy_ratio;
  bool stored_only = false;
};
// The flags' and the stored targets whose period contains the as-of date, evaluated in that order (level
// targets after the budgets). An unknown city is kNotFound; a period no rule set covers kFailedPrecondition.
StatusOr<TargetsReport> targets_status(Stores& stores, const Actor& who, const TargetsRequest& req);

// The stored targets at risk or missed as of the day (not the on-track, met or not-computed ones).
StatusOr<TargetsReport> targets_at_risk(Stores& stores, const Actor& who, const std::string& city,
                                        CivilDay as_of);

}  // namespace ecomon::app
