// Reading the declarative golden-case files in tests/cases/ and the shared data directory from tests.
//
// Case files are CSV with a header row; lines starting with '#' are comments (the working of a case may also
// sit in a `working` column). Fields may be quoted with "..." ("" inside quotes is a quote).
//
//   for (const CaseRow& row : read_cases("iaqi.csv")) EXPECT_EQ(row.get("expected"), ...) << row.where();
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ecomon::testing {

struct CaseRow {
  std::string file;
  int line = 0;
  std::map<std::string, std::string> fields;
  const std::string& get(const std::string& column) const;
  std::string where() const { return file + ":" + std::to_string(line); }
};

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv_line(const std::string& line);
// Reads tests/cases/<name> from the source tree; fails the calling test (ADD_FAILURE) if missing.
std::vector<CaseRow> read_cases(const std::string& name);
// The shared data directory (env ECOMON_SHARED_DIR, else ../shared beside the source tree), or nullopt with
// the reason in *why when absent.
std::optional<std::filesystem::path> shared_dir(std::string* why);

}  // namespace ecomon::testing
