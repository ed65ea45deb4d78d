// The bulletin's service (app.h): the typed figures of the annual bulletin (docs/bulletin.md), gathered
// through the same services as the commands its footnotes name. src/report renders them.
//
//   auto air = app::bulletin_air(stores, who, "晋城", 2019);     // StatusOr<AirYearFigures>
//   auto q = app::bulletin_quality(stores, who, 2019);          // StatusOr<BulletinQuality>
//
// The transmission rates (自动监控, sources/year_rates.h) are not gathered yet: the bulletin uses the facts
// file's figure, as it always did.
#pragma once

#include <string>

#include "air/year_figures.h"
#include "app/app.h"
#include "noise/noise_format.h"
#include "rain/rain_format.h"
#include "water/water_format.h"

namespace ecomon::app {

// The air year of `city` in `year`: the annual assessment under the rules by date with the change from last
// year, and, when it has a valid day, last year's, the months of both years and the days. A query without
// data is left empty (its error kept where the bulletin notes it). Fails on a year out of 1900-2999 or an
// empty city, with the bulletin's messages.
StatusOr<AirYearFigures> bulletin_air(Stores& stores, const Actor& who, const std::string& city, int year);

// The year's water, groundwater, noise and acid-rain assessments (app/quality.h, the queries `ecomon
// water|groundwater|noise|rain assess --year Y --format json` of the footnotes). A failed query is left empty
// with its error (the bulletin notes it).
struct BulletinQuality {
  StatusOr<water::WaterReport> water;
  StatusOr<groundwater::GroundwaterReport> groundwater;
  StatusOr<noise::NoiseReport> noise;
  StatusOr<rain::RainReport> rain;
};
// Fails on a year out of 1900-2999, with the bulletin's message.
StatusOr<BulletinQuality> bulletin_quality(Stores& stores, const Actor& who, int year);

}  // namespace ecomon::app
