// `ecomon soil import|assess|plots`: soil monitoring (GB 15618-2018 farmland, GB 36600-2018 development
// land), the development-land plot registry and the two safe-use rates (docs/soil.md). The JSON of `soil
// assess` is also what the API serves (soil_assessment).
//
//   ecomon --db jc.db soil import demo-data/soil          # every soil template file in the directory
//   ecomon --db jc.db soil assess --county 城区 --format json
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace ecomon::cli {

// The assessment of the stored soil points of `county` ("" = all): points, per-county counts, both rates.
StatusOr<nlohmann::json> soil_assessment(const std::string& db, const std::string& county);

// Imports a soil template file or directory into the store at `db` and prints one summary line and the
// issues. Returns 0 when every row was stored, 1 when rows, files or values were rejected, 2 when it could
// not run.
int import_soil_files(const std::string& db, const std::string& path);

}  // namespace ecomon::cli
