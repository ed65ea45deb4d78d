// Printing a verb's rows as the user asked: an aligned text table under a title, or CSV (header first, a
// blank line after), to standard output.
//
//   print_rows(false, "点位统计", {"区县", "点位"}, {{"城区", "13"}});
#pragma once

#include <string>
#include <vector>

namespace ecomon::cli {

void print_rows(bool csv, const std::string& title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace ecomon::cli
