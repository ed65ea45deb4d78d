// Emission totals (排放量) from the stored HJ 212 uploads: `ecomon emissions`, GET /api/emissions and the
// emission-change targets (app/targets.h). The loads of each device over the period (sources/emissions.h: the
// devices' -Cou where present, else concentration × flow) summed per outlet, enterprise, county and industry,
// with the completeness and the method, and, with a base year, the same for the same days of that year.
// County users get their county, enterprise users their enterprise (registry id), the public nothing.
// Formatting: sources/emissions_format.h.
//
//   app::EmissionsRequest req{DayRange::year(2025), "2025"};
//   req.base_year = 2020;
//   auto r = app::emission_totals(stores, who, req);     // StatusOr<sources::EmissionReport>
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "sources/emissions_format.h"

namespace ecomon::app {

struct EmissionsRequest {
  DayRange period;
  std::string period_text;       // as asked: "2025", "2025-03", "2025-01-01..2025-06-30"
  std::optional<int> base_year;  // compare with the same days of this year
  std::string county;            // "" = every county
  sources::DataKind kind = sources::DataKind::kHourly;
};
// The request from its text as the verb's options and the endpoint's parameters give it: exactly one of year
// (YYYY), month (YYYY-MM) or from/to (YYYY-MM-DD); base_year "" or a year; kind "" (hourly), "hourly",
// "minute", "daily" or "realtime". kInvalidArgument naming the option otherwise (quality_period's pattern).
struct EmissionsQuery {
  std::string year, month, from, to, base_year, county, kind;
};
StatusOr<EmissionsRequest> emissions_request(const EmissionsQuery& q);

// kInvalidArgument for a base year equal to the period's year or out of 1900-2999; kPermissionDenied for the
// public or another county's data.
StatusOr<sources::EmissionReport> emission_totals(Stores& stores, const Actor& who,
                                                  const EmissionsRequest& req);

// The same days one or more years earlier (29 February becomes the 28th).
DayRange same_days_in(const DayRange& period, int year);

}  // namespace ecomon::app
