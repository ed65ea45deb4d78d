// Aligned plain-text tables that stay aligned with Chinese text (CJK characters take two terminal columns),
// and CSV fields. Both write bytes that are not UTF-8 (text stored by an older version) escaped as \xHH.
//
//   TextTable t({"污染物", "浓度"});
//   t.add({"PM2.5", "44"});
//   std::cout << t.render();
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ecomon {

// Terminal columns a UTF-8 string takes (East Asian wide and fullwidth characters count 2).
size_t display_width(std::string_view utf8);

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns whose cells look numeric are right-aligned.
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// At most max_bytes of a UTF-8 string, cut at a character boundary, with "…" appended when cut.
std::string truncate_utf8(std::string_view s, size_t max_bytes);

// Quotes a CSV field when it needs it (RFC 4180); bytes that are not UTF-8 become \xHH.
std::string csv_field(std::string_view s);
std::string csv_row(const std::vector<std::string>& cells);

// A block of a report: the aligned table under its title and an empty line, or with `csv` the header, the
// rows and an empty line.
std::string rows_block(bool csv, const std::string& title, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

}  // namespace ecomon
