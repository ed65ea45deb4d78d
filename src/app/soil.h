// The soil services: `ecomon soil assess|plots` and GET /api/soil — the stored points judged (GB 15618
// farmland categories, GB 36600 development-land risks), the counts per county, 受污染耕地安全利用率 and
// 污染地块安全利用率, and the plot registry. A county user (Role::kCounty) gets its own county whatever it
// asks; the cut is made here, on the typed records. Formatting: soil/soil_format.h. Imports are ingest's
// (ingest/soil_csv.h: import_soil_path on stores.soil()).
//
//   auto r = app::soil_assessment(stores, who, "城区");   // StatusOr<soil::SurveyReport>
//   std::cout << soil::survey_text(*r, /*csv=*/false);
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "soil/soil_format.h"

namespace ecomon::app {

// The points of `county` ("" = all; a county user: its own) judged, the counts and both rates.
StatusOr<soil::SurveyReport> soil_assessment(Stores& stores, const Actor& who, const std::string& county);
// The development-land plots of `county` ("" = all; a county user: its own) and 污染地块安全利用率.
StatusOr<soil::PlotReport> soil_plots(Stores& stores, const Actor& who, const std::string& county);

// The registry rows as the rate functions take them (areas parsed exactly).
std::vector<soil::Plot> to_plots(const std::vector<SoilPlotRow>& rows);
std::vector<soil::FarmParcel> to_parcels(const std::vector<SoilParcelRow>& rows);

}  // namespace ecomon::app
