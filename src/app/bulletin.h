// The bulletin's service (app.h): the typed figures of the annual bulletin (docs/bulletin.md), gathered
// through the same services as the commands its footnotes name. src/report renders them.
//
//   auto air = app::bulletin_air(stores, who, "晋城", 2019);     // StatusOr<AirYearFigures>
//   auto q = app::bulletin_quality(stores, who, 2019);          // StatusOr<BulletinQuality>
//
//   auto rates = app::bulletin_rates(stores, who, 2019);        // StatusOr<optional<YearTransmission>>
//   auto soil = app::bulletin_soil(stores, who);                // points judged, plots
//   auto events = app::bulletin_chronicle(stores, who, 2019);   // 大事记: completed tasks, warnings
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "air/year_figures.h"
#include "app/app.h"
#include "ledger/chronicle.h"
#include "noise/noise_format.h"
#include "rain/rain_format.h"
#include "soil/soil_format.h"
#include "sources/year_rates.h"
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
  StatusOr<noise::NoiseReport> noise_previous;  // last year's, for the changes
};
// Fails on a year out of 1900-2999, with the bulletin's message.
StatusOr<BulletinQuality> bulletin_quality(Stores& stores, const Actor& who, int year);

// The year's 有效传输率 of the source devices (自动监控): the twelve months of `ecomon sources rates --month
// Y-MM` (hourly data, app::source_rates) summed over the devices expected to upload (expected > 0), with
// their MNs and named enterprises. nullopt when no device was expected to upload in the year or none of them
// uploaded anything (the store does not hold the year's monitoring: the facts file's figure is used then).
StatusOr<std::optional<sources::YearTransmission>> bulletin_rates(Stores& stores, const Actor& who, int year);

// The soil figures (`ecomon soil assess|plots --format json`): the whole city's points judged with both
// rates, and the plot registry. A failed query is left empty with its error.
struct BulletinSoil {
  StatusOr<soil::SurveyReport> survey;
  StatusOr<soil::PlotReport> plots;
};
BulletinSoil bulletin_soil(Stores& stores, const Actor& who);

// 大事记: the ledger's tasks completed (完成 or 销号) in the year (ledger/chronicle.h) and the
// heavy-pollution warnings declared, changed or lifted in it (the emergency history), sorted by day. Fails on
// a year out of 1900-2999 or a store error.
StatusOr<std::vector<ChronicleEntry>> bulletin_chronicle(Stores& stores, const Actor& who, int year);

}  // namespace ecomon::app
