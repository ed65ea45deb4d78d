#include "testing/csv_cases.h"

#include "core/csv.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace ecomon::testing {

const std::string& CaseRow::get(const std::string& column) const {
  static const std::string kEmpty;
  auto it = fields.find(column);
  if (it == fields.end()) {
    ADD_FAILURE() << where() << ": no column '" << column << "'";
    return kEmpty;
  }
  return it->second;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  split_csv_fields(line, out);
  return out;
}

std::vector<CaseRow> read_cases(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(ECOMON_SOURCE_DIR) / "tests" / "cases" / name;
  std::ifstream in(p);
  std::vector<CaseRow> rows;
  if (!in) {
    ADD_FAILURE() << "cannot open golden case file " << p;
    return rows;
  }
  std::string line;
  std::vector<std::string> header;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells = split_csv_line(line);
    if (header.empty()) {
      header = cells;
      continue;
    }
    if (cells.size() != header.size()) {
      ADD_FAILURE() << name << ":" << n << ": " << cells.size() << " cells, header has " << header.size();
      continue;
    }
    CaseRow row{name, n, {}};
    for (size_t i = 0; i < header.size(); ++i) row.fields[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::filesystem::path> shared_dir(std::string* why) {
  std::filesystem::path p;
  if (const char* env = std::getenv("ECOMON_SHARED_DIR"); env != nullptr && *env != '\0') {
    p = env;
  } else {
    p = ECOMON_DEFAULT_SHARED_DIR;
  }
  if (!std::filesystem::is_directory(p / "data")) {
    if (why) *why = "shared data directory not found at " + p.string() + " (set ECOMON_SHARED_DIR)";
    return std::nullopt;
  }
  return p;
}

}  // namespace ecomon::testing
