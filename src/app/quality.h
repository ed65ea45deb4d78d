// The quality services: the surface-water, groundwater, noise and acid-rain assessments of a period, as
// `ecomon water|groundwater|noise|rain assess --period P` and GET /api/water/sections,
// /api/groundwater/wells, /api/noise, /api/rain compute them, and as the annual bulletin's water,
// groundwater, noise and rain sections need them. Typed results (water/water_format.h, noise/noise_format.h,
// rain/rain_format.h, where they are also rendered). Imports are ingest's (ingest/quality_csv.h:
// import_quality_file).
//
//   auto period = app::quality_period(0, "2025");                         // the adapter parses
//   auto water = app::water_assessment(stores, who, *period);             // StatusOr<water::WaterReport>
//   auto wells = app::groundwater_assessment(stores, who, *period);       // a county user: its own wells
//
// The bulletin's queries, one typed call each (what `ecomon water|groundwater|noise|rain assess --year Y
// --format json` printed): water_assessment(stores, who, quality_period(Y, "")) for the sections, rivers and
// drinking-water sources; groundwater_assessment for the wells; noise_assessment for the zones and grades;
// rain_assessment for the sites. A bulletin wanting the JSON formats the result with water_json,
// groundwater_json, noise_json or rain_json.
//
// Assessments only read: the results are not stored (q_result is no longer written; nothing read it).
#pragma once

#include <string>

#include "app/app.h"
#include "core/time.h"
#include "noise/noise_format.h"
#include "rain/rain_format.h"
#include "water/water_format.h"

namespace ecomon::app {

// A period of whole months: "2025", "2025-Q3", "2025-03", "2024-07..2025-06".
struct QualityPeriod {
  MonthKey first, last;
  std::string label;
  QualityPeriod previous() const;  // the same months a year before
  std::string first_month() const;
  std::string last_month() const;
  std::string first_day() const;
  std::string last_day() const;
};
// Exactly one of `year` (non-zero) and `period`; invalid_argument otherwise (the messages name --year and
// --period).
StatusOr<QualityPeriod> quality_period(int year, const std::string& period);

StatusOr<water::WaterReport> water_assessment(Stores& stores, const Actor& who, const QualityPeriod& period);
// A county user (Role::kCounty) gets the wells of its own county only.
StatusOr<groundwater::GroundwaterReport> groundwater_assessment(Stores& stores, const Actor& who,
                                                                const QualityPeriod& period);
StatusOr<noise::NoiseReport> noise_assessment(Stores& stores, const Actor& who, const QualityPeriod& period);
StatusOr<rain::RainReport> rain_assessment(Stores& stores, const Actor& who, const QualityPeriod& period);

}  // namespace ecomon::app
