// Exports of the API's lists (`format=csv|xlsx` on every paged route): the items flattened to one column per
// leaf ("concentrations.PM2.5", "emission_kg_d.NOx", "items.0.class"), a header row of the keys or of the
// columns' names in the user's language with their units ("PM2.5浓度(µg/m³)"), CSV as UTF-8 with a byte-order
// mark (so that Excel on Windows reads Chinese), .xlsx through libxlsxwriter, and a download file name.
//
// Internal to src/server.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon::server {

// The items as a table: the union of their flattened keys in order of first appearance, one row per item
// (cells are the leaves: strings, numbers, booleans or null). Arrays of scalars become one cell joined by
// "、"; arrays of objects one column per element and key, an element named by its "item" or "pollutant" when
// every element has a different one ("items.pH.class"), else by its index ("items.0.class").
struct FlatTable {
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};
FlatTable flatten_items(const nlohmann::json& items);

// A column's name for people: "zh" or "en" (units in brackets); an unknown key is returned as it is.
std::string column_label(const std::string& key, const std::string& lang);

// CSV: "\xEF\xBB\xBF" then the header (the keys when `lang` is empty, else their labels) and the rows (RFC
// 4180 quoting; booleans as true/false, or 是/否 and yes/no with a language; null as an empty cell).
std::string export_csv(const FlatTable& t, const std::string& lang);

// An .xlsx workbook of one sheet: a bold, frozen header of the labels in `lang` ("zh" when empty), numbers as
// numbers. Written through a temporary file (libxlsxwriter writes files); an error when that fails.
StatusOr<std::string> export_xlsx(const FlatTable& t, const std::string& lang, const std::string& sheet);

// The file name of an export: the route's path after /api ("emergency-roster"), the values of the declared
// query parameters given ("2025"), and the extension: "emergency-roster-yellow.csv". Characters unsafe in a
// file name become '_'; the name is at most 120 bytes before the extension.
std::string export_file_name(const std::string& path, const std::vector<std::string>& param_values,
                             const std::string& ext);
// The Content-Disposition value: attachment with an ASCII fallback name and the UTF-8 name (RFC 6266/5987).
std::string content_disposition(const std::string& file_name);

}  // namespace ecomon::server
