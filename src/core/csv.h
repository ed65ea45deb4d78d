// Splitting one CSV line into fields (RFC 4180 quoting: "a,b" and "" inside quotes; no embedded newlines;
// a trailing CR is dropped). Used by every CSV reader of the project.
//
//   std::vector<std::string> f;
//   bool closed = split_csv_fields(R"(a,"b,c",d)", f);   // f = {"a", "b,c", "d"}, closed = true
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ecomon {

// Fills `out` with the fields of `line`; returns false when a quote is left open (the last field then holds
// the rest of the line).
bool split_csv_fields(std::string_view line, std::vector<std::string>& out);

}  // namespace ecomon
