// The emission totals of `ecomon emissions` and GET /api/emissions (app/emissions.h): the typed report and
// its table, CSV and JSON, one place for the CLI and the API.
//
//   std::cout << sources::emissions_text(report, "county", /*csv=*/false);
//   nlohmann::json j = sources::emissions_json(report);
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sources/emissions.h"

namespace ecomon::sources {

struct EmissionReport {
  std::string period, first_day, last_day;  // as asked, and its days
  std::string kind;                         // hourly, minute, daily, realtime
  std::string county;                       // "" = every county
  std::optional<int> base_year;
  std::string base_first_day, base_last_day;
  EmissionTotals totals;
  std::optional<EmissionTotals> base;  // with a base year
  int64_t undecodable = 0;             // stored uploads the codec could not read again
  // The loads against the permitted amounts (许可排放量) of the period's year (a period within one year).
  std::optional<int> permit_year;
  std::vector<PermitUse> permits;
};

// The pollutant's Chinese name from HJ 212's code table, else the code.
std::string pollutant_name(const std::string& code);

// The loads of one group of `level` ("outlet", "enterprise", "county", "industry", "total") with the base
// period's when there is one. Loads in kg and t to 3 decimals, completeness to 1 decimal, change to 1 decimal
// (half to even).
nlohmann::json emissions_json(const EmissionReport& r);
// "permits": each amount with the load (t, 3 decimals), the share used (%, 1 decimal) and `over`.
// The groups of `by` (outlet, enterprise, county, industry) then the total: one row per group and pollutant;
// then the permitted amounts, over ones marked 超许可.
std::string emissions_text(const EmissionReport& r, const std::string& by, bool csv);

}  // namespace ecomon::sources
