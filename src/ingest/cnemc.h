// Importers for the national monitoring centre's (CNEMC) formats:
//  - the station list  `监测点编码,监测点名称,城市,经度,纬度,对照点` (e.g. sites-2022.csv, ~2,000 stations);
//  - a directory of daily archive files `china_sites_YYYYMMDD.csv` (columns = station codes) and the
//  city-level
//    variant `china_cities_YYYYMMDD.csv` (columns = city names), each `date,hour,type,<columns...>` with 15
//    type rows per hour; hour h of a file dated D is the mean over (h-1):00..h:00, so hour 0 belongs to D-1.
//
// Import is idempotent (the same file twice changes nothing) and never overwrites a stored value: a different
// value for the same station-hour is reported as a conflict, or, with ImportOptions::audit, recorded as a
// republished version over it. Bad rows and cells (text that is not UTF-8
// included) are reported with file, line and column and skipped; good values around them are kept. A file
// named for no day (china_sites_20190230.csv) is reported as a rejected file. An import writes in batches of
// whole rows (the station list, new stations, each month once the files have moved past it), each in its own
// short transaction, so that readers and other writers are not locked out for the whole import.
//
//   ImportOptions opt;
//   opt.stations_file = "sites-2022.csv";
//   auto report = import_cnemc(store, store, "archive/", opt);
//   std::cout << report->summary();
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "ingest/import_report.h"
#include "store/api/audit.h"
#include "store/api/store.h"

namespace ecomon {

struct ImportProgress {
  int64_t files_done = 0;
  int64_t files_total = 0;
  int64_t bytes_done = 0;
  double seconds = 0;
};

struct ImportOptions {
  std::filesystem::path stations_file;  // optional station list, imported first (its own transaction)
  int threads = 0;                      // parser threads; 0 = hardware concurrency
  std::function<void(const ImportProgress&)> progress;  // called after each file (on the importing thread)
  // The data audit (store/api/audit.h). When given, a value that differs from the stored one is the centre's
  // republished value: recorded as a version (action republish, source: the file's name, who: `who`) over the
  // real-time value, which stays as first imported; the audited figures follow it. A file imported again
  // records nothing more (a version with that file and value exists, or the audited value is that value
  // already). A value of a closed month is refused as a conflict, as before. Without it: conflicts, reported.
  AuditStore* audit = nullptr;
  std::string who = "import";
};

// Parses the text of one archive file dated `date` as an import does, without a store: its counts (rows, rows
// and cells rejected, values) and problems. For tests and the fuzz target (fuzz/cnemc_fuzz.cc).
ImportReport parse_archive_text(std::string_view text, CivilDay date, const std::string& file_name);

// Imports a station list into the record store (inside the caller's write transaction).
Status import_station_list(RecordStore& rs, const std::filesystem::path& file, ImportReport& report);

// Imports the optional station list and every archive file under `dir` (or a single file), in batches.
// Errors that end the import (the store fails, no files found) are returned; bad input is in the report.
StatusOr<ImportReport> import_cnemc(TimeSeriesStore& ts, RecordStore& rs, const std::filesystem::path& dir,
                                    const ImportOptions& options);

}  // namespace ecomon
