// What the CSV template importers share (ingest/soil_csv.cc, ingest/power_csv.cc): a line's cells with the
// surrounding blanks dropped, a row being checked whose problems are reported at file:line [column], and the
// header line read and checked (a UTF-8 BOM skipped).
//
//   std::string line;
//   if (!read_template_header(in, file, header, report)) return report;   // reported: empty file, bad header
//   while (std::getline(in, line)) { ... CsvRow row{report, file, n, columns, cells}; row.need(0); ... }
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/utf8.h"
#include "ingest/import_report.h"

namespace ecomon {

inline std::vector<std::string> csv_cells(std::string_view line) {
  std::vector<std::string> out;
  split_csv_fields(line, out);
  for (std::string& s : out) {
    const size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  return out;
}

// One row being checked: each problem is reported at file:line [column].
struct CsvRow {
  ImportReport& report;
  const std::string& file;
  int64_t line;
  const std::vector<std::string>& columns;
  const std::vector<std::string>& c;
  bool ok = true;

  void fail(const std::string& kind, size_t column, const std::string& message) {
    report.add(ImportIssue{kind, file, line, columns[column], message});
    ok = false;
  }
  bool need(size_t column) {
    if (c[column].empty()) fail("missing_value", column, "empty");
    return !c[column].empty();
  }
  // false, reported as bad_utf8 at its column, when a cell is not UTF-8.
  bool utf8() {
    auto bad = first_invalid_utf8_field(c);
    if (bad) fail("bad_utf8", bad->field, "not UTF-8: " + describe_invalid_utf8(c[bad->field], bad->offset));
    return !bad;
  }
};

// Reads the first line of `in` and checks it is `header` (a BOM and a CR dropped). false when the file is
// empty or the header differs: the file is counted as rejected and the problem reported at line 1.
inline bool read_template_header(std::istream& in, const std::string& file, const char* header,
                                 ImportReport& report) {
  std::string line;
  if (!std::getline(in, line)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "empty file"});
    return false;
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
  if (!line.empty() && line.back() == '\r') line.pop_back();
  report.bytes += static_cast<int64_t>(line.size());
  if (csv_cells(line) != csv_cells(header)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "header must be '" + std::string(header) + "'"});
    return false;
  }
  return true;
}

// The next data row of a template file after its header, into `cells`: blank lines and '#' comments skipped,
// bytes and rows counted, `n` the row's file line; a row whose cell count is not `columns` is reported
// (bad_row), counted as rejected and skipped. false at the end of the file.
inline bool next_template_row(std::istream& in, const std::string& file, size_t columns, ImportReport& report,
                              int64_t& n, std::vector<std::string>& cells) {
  std::string line;
  while (std::getline(in, line)) {
    ++n;
    report.bytes += static_cast<int64_t>(line.size()) + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    ++report.rows;
    cells = csv_cells(line);
    if (cells.size() == columns) return true;
    report.add(
        ImportIssue{"bad_row", file, n, "",
                    std::to_string(cells.size()) + " cells, the header has " + std::to_string(columns)});
    ++report.rows_rejected;
  }
  return false;
}

}  // namespace ecomon
