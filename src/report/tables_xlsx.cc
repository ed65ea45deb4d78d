#include "report/tables_xlsx.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <variant>

namespace ecomon::report {
namespace {

// The value of a cell whose whole text is a plain decimal number (an optional '-', digits, at most one
// '.'), else none: "62.5" is a number, "98.2%", "1,000" and "2019-01" are text.
std::optional<double> plain_number(const std::string& s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0, digits = 0, dots = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] == '.') {
      ++dots;
    } else if (s[k] >= '0' && s[k] <= '9') {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || dots > 1 || s.back() == '.' || s[i] == '.') return std::nullopt;
  // A leading zero followed by a digit is a code ("0101"), not a number.
  if (s.size() > i + 1 && s[i] == '0' && s[i + 1] != '.') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

double column_width(const std::string& text) {
  constexpr double kMin = 6, kMax = 40, kPerByte = 0.7;  // a CJK character (3 bytes) is about two columns
  return std::clamp(static_cast<double>(text.size()) * kPerByte, kMin, kMax);
}

}  // namespace

Status write_tables_xlsx(const Bulletin& b, const std::filesystem::path& path) {
  std::vector<const Table*> tables;
  for (const Section& s : b.sections) {
    for (const Block& block : s.blocks) {
      if (const auto* t = std::get_if<Table>(&block)) tables.push_back(t);
    }
  }
  if (tables.empty()) return not_found(b.title + ": no table to write");
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (!wb) return internal_error("cannot start the workbook " + tmp.string());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t k = 0; k < tables.size(); ++k) {
    const Table& t = *tables[k];
    // The caption begins with its number ("表3 ..."): the sheet is named by it.
    std::string name = "表" + std::to_string(k + 1);
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    worksheet_write_string(ws, 0, 0, t.caption.c_str(), bold);
    for (size_t c = 0; c < t.header.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      worksheet_write_string(ws, 1, col, t.header[c].c_str(), bold);
      double width = column_width(t.header[c]);
      for (const auto& row : t.rows) {
        if (c < row.size()) width = std::max(width, column_width(row[c].text));
      }
      worksheet_set_column(ws, col, col, width, nullptr);
    }
    worksheet_freeze_panes(ws, 2, 0);
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 2);
      for (size_t c = 0; c < t.rows[r].size(); ++c) {
        const std::string& text = t.rows[r][c].text;
        const auto col = static_cast<lxw_col_t>(c);
        if (auto v = plain_number(text)) {
          worksheet_write_number(ws, row, col, *v, nullptr);
        } else {
          worksheet_write_string(ws, row, col, text.c_str(), nullptr);
        }
      }
    }
  }
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return internal_error("cannot write " + tmp.string() + ": " + lxw_strerror(e));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return internal_error("cannot write " + path.string() + ": " + ec.message());
  return Status();
}

}  // namespace ecomon::report
