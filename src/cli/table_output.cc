#include "cli/table_output.h"

#include <iostream>

#include "core/text_table.h"

namespace ecomon::cli {

void print_rows(bool csv, const std::string& title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  if (csv) {
    std::cout << csv_row(header);  // csv_row ends the line
    for (const auto& r : rows) std::cout << csv_row(r);
    std::cout << "\n";
    return;
  }
  TextTable t(header);
  for (const auto& r : rows) t.add(r);
  std::cout << title << "\n" << t.render() << "\n";
}

}  // namespace ecomon::cli
