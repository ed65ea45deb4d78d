// What an import did: counts, and every problem with the file, line and field it was found at.
//
// Problems are expected events (a malformed row, a non-numeric cell, an unknown station): each is counted by
// kind and the first `kMaxListedPerKind` of each kind are kept with their place for the report.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "store/api/store.h"

namespace ecomon {

struct ImportIssue {
  std::string kind;  // "bad_number", "truncated_row", "conflict", "unknown_station", "bad_layout", ...
  std::string file;
  int64_t line = 0;   // 1-based; 0 = the file as a whole
  std::string field;  // column (station code, header name) or "" for a whole row
  std::string message;
  std::string where() const;  // "file:line [field]"
};

struct ImportReport {
  static constexpr size_t kMaxListedPerKind = 20;

  int64_t files = 0;           // files read
  int64_t files_rejected = 0;  // files whose layout could not be read at all
  int64_t bytes = 0;
  int64_t rows = 0;  // data rows read
  int64_t rows_rejected =
      0;               // rows dropped whole (truncated, not UTF-8, bad date/hour/type; station list rows too)
  int64_t values = 0;  // non-empty values accepted
  int64_t cells_rejected = 0;      // single cells dropped (not a number, negative)
  int64_t values_repeated = 0;     // the same station-hour read twice in this import with the same value
  int64_t values_conflicting = 0;  // ... with a different value (the first one kept)
  int64_t stations_listed = 0;     // stations read from a station list
  // Values differing from the stored ones taken as the centre's republished values (ImportOptions::audit):
  // recorded as new versions, or found recorded before (this file imported again). Not conflicts.
  int64_t values_republished = 0;
  int64_t values_republished_before = 0;
  // Values of a closed month (audit close) the store did not hold: refused, the month's figures stay.
  int64_t values_closed_month = 0;
  MergeStats merge;  // what the store made of the values
  std::map<std::string, int64_t> issue_counts;
  std::vector<ImportIssue> issues;  // up to kMaxListedPerKind per kind
  double seconds = 0;

  // Input was refused: a rejected file, row or cell, or a value conflicting with one read or stored before.
  // Warnings alone (an unknown station, a duplicate column) are not.
  bool has_rejections() const {
    return files_rejected + rows_rejected + cells_rejected + values_conflicting + merge.values_conflicting +
               values_closed_month >
           0;
  }

  void add(ImportIssue issue);
  // Adds another report's counts, merge statistics and issues (issue counts beyond the listed ones included):
  // the total of a directory's files.
  void absorb(const ImportReport& other);
  int64_t issue_total() const;
  // A human summary: counts, then the listed issues.
  std::string summary() const;
};

// The report as `ecomon import cnemc --format json` prints it: counts, the store's merge statistics, issue
// counts by kind and the listed issues.
nlohmann::json to_json(const ImportReport& r);

}  // namespace ecomon
