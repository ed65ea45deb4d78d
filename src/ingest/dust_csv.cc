#include "ingest/dust_csv.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/decimal.h"
#include "dust/dust_rules.h"
#include "ingest/csv_row.h"

namespace ecomon {
namespace {

// A decimal degree in [-limit, limit]: digits with an optional sign and point, at most 6 decimals.
bool degrees(const std::string& v, double limit) {
  const size_t point = v.find('.');
  const size_t start = (!v.empty() && v[0] == '-') ? 1 : 0;
  if (v.size() == start || v.find_first_not_of("0123456789.", start) != std::string::npos) return false;
  if (point != std::string::npos && (v.find('.', point + 1) != std::string::npos || point + 1 == v.size() ||
                                     v.size() - point - 1 > 6 || point == start)) {
    return false;
  }
  const double d = std::stod(v);
  return d >= -limit && d <= limit;
}

}  // namespace

StatusOr<ImportReport> import_dust_points(DustStore& store, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  ImportReport report;
  report.files = 1;
  const std::string file = std::filesystem::path(path).filename().string();
  const std::vector<std::string> columns = csv_cells(kDustPointsHeader);
  if (!read_template_header(in, file, kDustPointsHeader, report)) return report;
  auto stored = store.points();
  if (!stored.ok()) return stored.status();
  std::map<std::string, DustPointRow> by_id;
  std::map<std::string, std::string> mn_owner;  // MN -> point id, stored then this file's
  for (const DustPointRow& p : *stored) {
    by_id[p.id] = p;
    mn_owner[p.mn] = p.id;
  }
  std::set<std::string> ids_here;
  std::vector<DustPointRow> rows;
  int64_t n = 1;
  std::vector<std::string> c;
  while (next_template_row(in, file, columns.size(), report, n, c)) {
    CsvRow r{report, file, n, columns, c};
    if (!r.utf8()) {
      ++report.rows_rejected;
      continue;
    }
    DustPointRow p{c[0], c[1], "", c[3], c[4], c[5], c[6], c[7]};
    r.need(0);
    r.need(1);
    if (r.need(2)) {
      if (auto t = dust::parse_point_type(c[2])) {
        p.type = std::string(dust::point_type_name(*t));
      } else {
        r.fail("bad_value", 2,
               "'" + c[2] + "': boundary (厂界), construction (工地), road (道路) or other (其他)");
      }
    }
    r.need(3);
    if (r.need(5) && !degrees(c[5], 180))
      r.fail("bad_number", 5, "'" + c[5] + "' is not a longitude in -180..180");
    if (r.need(6) && !degrees(c[6], 90))
      r.fail("bad_number", 6, "'" + c[6] + "' is not a latitude in -90..90");
    if (r.need(7)) {
      auto it = mn_owner.find(p.mn);
      if (it != mn_owner.end() && it->second != p.id) {
        r.fail("duplicate", 7, "MN '" + p.mn + "' is point '" + it->second + "''s");
      }
    }
    if (r.ok && !ids_here.insert(p.id).second) r.fail("duplicate", 0, "point '" + p.id + "' given twice");
    if (!r.ok) {
      ++report.rows_rejected;
      continue;
    }
    ++report.values;
    // The point's former MN is free again.
    if (auto old = by_id.find(p.id); old != by_id.end()) mn_owner.erase(old->second.mn);
    mn_owner[p.mn] = p.id;
    auto it = by_id.find(p.id);
    if (it != by_id.end() && it->second == p) {
      ++report.merge.values_same;
    } else {
      ++report.merge.values_new;
      rows.push_back(std::move(p));
    }
  }
  ECOMON_RETURN_IF_ERROR(store.write_points(rows));
  return report;
}

}  // namespace ecomon
