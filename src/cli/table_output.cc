#include "cli/table_output.h"

#include <iostream>

#include "core/text_table.h"

namespace ecomon::cli {

void print_rows(bool csv, const std::string& title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::cout << rows_block(csv, title, header, rows);
}

}  // namespace ecomon::cli
