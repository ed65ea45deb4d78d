// Splitting one CSV line into fields (RFC 4180 quoting: "a,b" and "" inside quotes; no embedded newlines;
// a trailing CR is dropped), and the UTF-8 check every CSV reader makes on each row, header included.
// Used by every CSV reader of the project.
//
//   std::vector<std::string> f;
//   bool closed = split_csv_fields(R"(a,"b,c",d)", f);   // f = {"a", "b,c", "d"}, closed = true
//   if (auto bad = find_non_utf8_cell(f, header))         // {1, "b", "byte 2 (0x99) is not valid UTF-8"}
//     report.add({"bad_utf8", file, line, bad->column, bad->message});
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecomon {

// Fills `out` with the fields of `line`; returns false when a quote is left open (the last field then holds
// the rest of the line).
bool split_csv_fields(std::string_view line, std::vector<std::string>& out);

// The first cell of a row that is not well-formed UTF-8. `column` names it by the header (`columns[index]`),
// or "column N" (1-based) past the header or without one; `message` says where the text stops being UTF-8.
struct NonUtf8Cell {
  size_t index = 0;
  std::string column;
  std::string message;
};
std::optional<NonUtf8Cell> find_non_utf8_cell(const std::vector<std::string>& cells,
                                              const std::vector<std::string>& columns = {});

}  // namespace ecomon
