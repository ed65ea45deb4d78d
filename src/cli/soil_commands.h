// `ecomon soil import|assess|plots`: soil monitoring (GB 15618-2018 farmland, GB 36600-2018 development
// land), the development-land plot registry and the two safe-use rates (docs/soil.md), over the soil services
// (app/soil.h); the JSON of `soil assess` is also what the API serves (soil/soil_format.h).
//
//   ecomon --db jc.db soil import demo-data/soil          # every soil template file in the directory
//   ecomon --db jc.db soil assess --county 城区 --format json
#pragma once

#include <string>

namespace ecomon::cli {

// Imports a soil template file or directory into the store at `db` and prints one summary line and the
// issues. Returns 0 when every row was stored, 1 when rows, files or values were rejected, 2 when it could
// not run.
int import_soil_files(const std::string& db, const std::string& path);

}  // namespace ecomon::cli
