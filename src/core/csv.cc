#include "core/csv.h"

#include "core/utf8.h"

namespace ecomon {

bool split_csv_fields(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return !quoted;
}

std::optional<NonUtf8Cell> find_non_utf8_cell(const std::vector<std::string>& cells,
                                              const std::vector<std::string>& columns) {
  const std::optional<InvalidField> bad = first_invalid_utf8_field(cells);
  if (!bad) return std::nullopt;
  NonUtf8Cell out;
  out.index = bad->field;
  out.column = bad->field < columns.size() ? columns[bad->field] : "column " + std::to_string(bad->field + 1);
  out.message = describe_invalid_utf8(cells[bad->field], bad->offset);
  return out;
}

}  // namespace ecomon
