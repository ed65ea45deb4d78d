// The bulletin's service (app.h): the typed figures of the annual bulletin (docs/bulletin.md), gathered
// through the same services as the commands its footnotes name. src/report renders them.
//
//   auto air = app::bulletin_air(stores, who, "晋城", 2019);     // StatusOr<AirYearFigures>
//
// The water, groundwater, noise, acid-rain and transmission-rate sections still come from their verbs' JSON
// (cli/bulletin_commands.cc) until app/quality.h serves them.
#pragma once

#include <string>

#include "air/year_figures.h"
#include "app/app.h"

namespace ecomon::app {

// The air year of `city` in `year`: the annual assessment under the rules by date with the change from last
// year, and, when it has a valid day, last year's, the months of both years and the days. A query without
// data is left empty (its error kept where the bulletin notes it). Fails on a year out of 1900-2999 or an
// empty city, with the bulletin's messages.
StatusOr<AirYearFigures> bulletin_air(Stores& stores, const Actor& who, const std::string& city, int year);

}  // namespace ecomon::app
