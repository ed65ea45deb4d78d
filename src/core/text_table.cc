#include "core/text_table.h"

#include <algorithm>

#include "core/utf8.h"

namespace ecomon {
namespace {

bool is_wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == '%' || c == '/';
  });
}

}  // namespace

size_t display_width(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c >> 4) == 0xE) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    w += is_wide(cp) ? 2 : 1;
    i += len;
  }
  return w;
}

std::string TextTable::render() const {
  // Text stored by an older version may hold bytes that are not UTF-8: they are shown as \xHH.
  const auto escaped = [](const std::vector<std::string>& r) {
    std::vector<std::string> out;
    out.reserve(r.size());
    for (const std::string& c : r) out.push_back(escape_invalid_utf8(c));
    return out;
  };
  const std::vector<std::string> header = escaped(header_);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(rows_.size());
  for (const auto& r : rows_) rows.push_back(escaped(r));
  size_t n = header.size();
  std::vector<size_t> width(n, 0);
  std::vector<bool> numeric(n, true);
  for (size_t c = 0; c < n; ++c) width[c] = display_width(header[c]);
  for (const auto& r : rows) {
    for (size_t c = 0; c < n && c < r.size(); ++c) {
      width[c] = std::max(width[c], display_width(r[c]));
      if (!r[c].empty() && r[c] != "-" && !looks_numeric(r[c])) numeric[c] = false;
    }
  }
  auto line = [&](const std::vector<std::string>& r, bool head) {
    std::string out;
    for (size_t c = 0; c < n; ++c) {
      const std::string cell = c < r.size() ? r[c] : "";
      size_t pad = width[c] - display_width(cell);
      bool right = numeric[c] && !head;
      if (c) out += "  ";
      if (right)
        out += std::string(pad, ' ') + cell;
      else
        out += cell + (c + 1 < n ? std::string(pad, ' ') : "");
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header, true);
  size_t total = 0;
  for (size_t c = 0; c < n; ++c) total += width[c] + (c ? 2 : 0);
  out += std::string(total, '-') + "\n";
  for (const auto& r : rows) out += line(r, false);
  return out;
}

std::string truncate_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(s.substr(0, cut)) + "…";
}

std::string csv_field(std::string_view raw) {
  const std::string s = escape_invalid_utf8(raw);  // bytes that are not UTF-8 as \xHH
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += csv_field(cells[i]);
  }
  return out + "\n";
}

std::string rows_block(bool csv, const std::string& title, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  if (csv) {
    out = csv_row(header);
    for (const auto& r : rows) out += csv_row(r);
    return out + "\n";
  }
  TextTable t(header);
  for (const auto& r : rows) t.add(r);
  return title + "\n" + t.render() + "\n";
}

}  // namespace ecomon
