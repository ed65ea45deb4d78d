// `ecomon water|groundwater|noise|rain assess|import`: environmental quality judgements (GB 3838, GB/T 14848,
// GB 3096/HJ 640, acid rain) over the quality records in the store, and the CSV import templates that fill
// them (docs/quality-import.md). Results of every assessment are also stored (q_result) for the bulletin and
// the API.
//
//   ecomon --db jc.db water import demo-data/quality     # every template file found in the directory
//   ecomon --db jc.db water assess --year 2025 --format json
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/commands.h"

namespace ecomon::cli {

void register_quality(CLI::App& app, GlobalOptions& global);

// Imports every quality template file present in `dir` (e.g. the demo's <out>/quality) into the store at `db`
// through QualityStore::import_file, in dependency order, and prints one summary line per kind to stdout
// ("quality water: 4 files, 3,313 rows stored, 0 rejected") followed by any issues. Returns 0 when every row
// was stored, 1 when rows or files were rejected, 2 when the import could not run (message on stderr).
int import_quality_files(const std::string& db, const std::string& dir);

}  // namespace ecomon::cli
