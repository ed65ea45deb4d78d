// Test helpers for the HJ 212 tests: where the shared data lives, and a reader for data/hj212/messages.csv.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace ecomon::hj212::testing {

// ECOMON_SHARED_DIR from the environment, else the build's default (<repo>/../shared).
inline std::string shared_dir() {
  if (const char* env = std::getenv("ECOMON_SHARED_DIR"); env != nullptr && *env != '\0') return env;
#ifdef ECOMON_DEFAULT_SHARED_DIR
  return ECOMON_DEFAULT_SHARED_DIR;
#else
  return "../shared";
#endif
}

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// RFC 4180 CSV: quoted fields with "" escapes, fields may not span lines in this file.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(field);
      field.clear();
      rows.push_back(row);
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

struct RealMessage {
  int id = 0;
  std::string message;      // without CR LF
  std::string crc_verdict;  // match_HJ212_CRC16 | match_byteswapped_Modbus_CRC16_only | MISMATCH
  std::string source;       // repo:path, for failure messages
};

// The 40 real messages; empty when the file is absent.
inline std::vector<RealMessage> load_real_messages() {
  std::vector<RealMessage> out;
  const std::optional<std::string> text = read_file(shared_dir() + "/data/hj212/messages.csv");
  if (!text) return out;
  const auto rows = parse_csv(*text);
  if (rows.empty()) return out;
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() < rows[0].size()) continue;
    RealMessage m;
    m.id = std::stoi(row[col.at("id")]);
    m.message = row[col.at("message")];
    m.crc_verdict = row[col.at("crc_verdict")];
    m.source = row[col.at("source_repo")] + ":" + row[col.at("source_path")];
    out.push_back(m);
  }
  return out;
}

}  // namespace ecomon::hj212::testing
