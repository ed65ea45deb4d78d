#include "store/quality/quality_store.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/csv.h"

#include "core/time.h"
#include "noise/noise.h"
#include "standards/water/exact.h"
#include "standards/water/gb14848.h"
#include "standards/water/gb3838.h"
#include "water/assessment.h"

namespace ecomon {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr int64_t kMaxPh = 14;
constexpr int64_t kMaxDecibels = 200;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS q_water_section(name TEXT PRIMARY KEY, river TEXT NOT NULL, county TEXT NOT NULL,
  body TEXT NOT NULL, target TEXT NOT NULL, level TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_water_value(section TEXT NOT NULL, month TEXT NOT NULL, item TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY(section, month, item));
CREATE TABLE IF NOT EXISTS q_gw_well(name TEXT PRIMARY KEY, county TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_gw_value(well TEXT NOT NULL, day TEXT NOT NULL, indicator TEXT NOT NULL,
  value TEXT NOT NULL, nd INTEGER NOT NULL, PRIMARY KEY(well, day, indicator));
CREATE TABLE IF NOT EXISTS q_drink_source(name TEXT PRIMARY KEY, county TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_drink_value(source TEXT NOT NULL, month TEXT NOT NULL, item TEXT NOT NULL,
  value TEXT NOT NULL, volume TEXT NOT NULL, PRIMARY KEY(source, month, item));
CREATE TABLE IF NOT EXISTS q_noise_point(name TEXT PRIMARY KEY, kind TEXT NOT NULL, zone TEXT NOT NULL,
  length TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_noise_value(point TEXT NOT NULL, day TEXT NOT NULL, part TEXT NOT NULL,
  leq TEXT NOT NULL, lmax TEXT NOT NULL, PRIMARY KEY(point, day, part));
CREATE TABLE IF NOT EXISTS q_rain_sample(site TEXT NOT NULL, day TEXT NOT NULL, ph TEXT NOT NULL,
  rainfall TEXT NOT NULL, PRIMARY KEY(site, day));
CREATE TABLE IF NOT EXISTS q_result(kind TEXT NOT NULL, period TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY(kind, period));
)SQL";

struct TemplateInfo {
  QualityTemplate t;
  const char* file;
  const char* header;
};
constexpr TemplateInfo kTemplates[] = {
    {QualityTemplate::kWaterSections, "water_sections.csv", "section,river,county,body,target,level"},
    {QualityTemplate::kWaterValues, "water_values.csv", "section,month,item,value,unit"},
    {QualityTemplate::kWells, "wells.csv", "well,county,type"},
    {QualityTemplate::kWellValues, "well_values.csv", "well,date,indicator,value,unit"},
    {QualityTemplate::kSources, "drinking_sources.csv", "source,county,kind"},
    {QualityTemplate::kSourceSamples, "drinking_samples.csv", "source,month,volume,item,value,unit"},
    {QualityTemplate::kNoisePoints, "noise_points.csv", "point,kind,zone,length_km"},
    {QualityTemplate::kNoiseValues, "noise_values.csv", "point,date,part,leq,lmax"},
    {QualityTemplate::kRainSamples, "rain_samples.csv", "site,date,ph,rainfall_mm"},
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  split_csv_fields(line, out);
  for (std::string& s : out) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    size_t b = s.find_first_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool unit_fits(std::string_view expected, const std::string& given) {
  std::string g = lower(given), e = lower(std::string(expected));
  if (g == e) return true;
  if (e == "无量纲" || e.empty()) return g.empty() || g == "无量纲" || g == "-" || g == "ph";
  if (e == "℃") return g == "c" || g == "°c" || g == "degc";
  if (e == "ug/l") return g == "μg/l" || g == "µg/l";
  if (e == "mpn/100ml") return g == "cfu/100ml";
  return false;
}

bool valid_month(const std::string& m) { return m.size() == 7 && CivilDay::parse(m + "-01").ok(); }
bool valid_day(const std::string& d) { return d.size() == 10 && CivilDay::parse(d).ok(); }

// One row being checked: reports problems at file:line [column].
struct RowCheck {
  ImportReport& report;
  const std::string& file;
  int64_t line;
  bool ok = true;
  void fail(const std::string& kind, const std::string& field, const std::string& message) {
    report.add(ImportIssue{kind, file, line, field, message});
    ok = false;
  }
  // A non-negative decimal within [0, max] (max 0: unbounded).
  std::optional<Rational> number(const std::string& field, const std::string& text, int64_t max = 0) {
    auto v = exact::parse(text);
    if (!v) {
      fail("bad_number", field, "'" + text + "' is not a number");
      return std::nullopt;
    }
    if (v->num < 0) {
      fail("negative_value", field, "'" + text + "' is negative");
      return std::nullopt;
    }
    if (max > 0 && *v > Rational{max, 1}) {
      fail("out_of_range", field, "'" + text + "' is above " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }
};

}  // namespace

const char* template_file_name(QualityTemplate t) { return kTemplates[static_cast<int>(t)].file; }
const char* template_header(QualityTemplate t) { return kTemplates[static_cast<int>(t)].header; }

class QualityStore::Impl {
 public:
  sqlite3* db = nullptr;
  ~Impl() {
    if (db) sqlite3_close(db);
  }

  Status error(const std::string& what) const { return internal_error(what + ": " + sqlite3_errmsg(db)); }

  Status exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      return internal_error(std::string("quality store: ") + m);
    }
    return Status();
  }

  // Runs `sql` once per row of `rows`, binding each string in order (parameterised).
  Status run_each(const char* sql, const std::vector<std::vector<std::string>>& rows) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return error("prepare");
    for (const auto& row : rows) {
      sqlite3_reset(st);
      for (size_t i = 0; i < row.size(); ++i) {
        sqlite3_bind_text(st, static_cast<int>(i + 1), row[i].c_str(), static_cast<int>(row[i].size()),
                          SQLITE_TRANSIENT);
      }
      if (sqlite3_step(st) != SQLITE_DONE) {
        Status s = error("write");
        sqlite3_finalize(st);
        return s;
      }
    }
    sqlite3_finalize(st);
    return Status();
  }

  StatusOr<std::vector<std::vector<std::string>>> query(const char* sql, const std::vector<std::string>& params) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return error("prepare");
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), static_cast<int>(params[i].size()),
                        SQLITE_TRANSIENT);
    }
    std::vector<std::vector<std::string>> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return error("read");
    return out;
  }

  StatusOr<std::set<std::string>> names(const char* table) {
    std::string sql = std::string("SELECT name FROM ") + table;  // table names are constants of this file
    auto rows = query(sql.c_str(), {});
    if (!rows.ok()) return rows.status();
    std::set<std::string> s;
    for (auto& r : *rows) s.insert(r[0]);
    return s;
  }

  StatusOr<ImportReport> import_file(QualityTemplate t, const std::string& path);
};

QualityStore::QualityStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QualityStore::~QualityStore() = default;

StatusOr<std::unique_ptr<QualityStore>> QualityStore::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string m = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
    return failed_precondition("cannot open store '" + path + "': " + m);
  }
  sqlite3_busy_timeout(impl->db, kBusyTimeoutMs);
  ECOMON_RETURN_IF_ERROR(impl->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  ECOMON_RETURN_IF_ERROR(impl->exec(kSchema));
  return std::unique_ptr<QualityStore>(new QualityStore(std::move(impl)));
}

StatusOr<ImportReport> QualityStore::import_file(QualityTemplate t, const std::string& path) {
  return impl_->import_file(t, path);
}

StatusOr<ImportReport> QualityStore::Impl::import_file(QualityTemplate t, const std::string& path) {
  auto started = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  ImportReport report;
  report.files = 1;
  std::string file = std::filesystem::path(path).filename().string();
  std::string line;
  if (!std::getline(in, line)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "empty file"});
    return report;
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
  report.bytes += static_cast<int64_t>(line.size());
  std::vector<std::string> header = split_csv(line);
  std::vector<std::string> expected = split_csv(template_header(t));
  if (header != expected) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "header must be '" + std::string(template_header(t)) + "'"});
    return report;
  }

  // Referenced registries: what is stored plus what this file adds.
  std::set<std::string> known;
  const char* registry = nullptr;
  switch (t) {
    case QualityTemplate::kWaterValues: registry = "q_water_section"; break;
    case QualityTemplate::kWellValues: registry = "q_gw_well"; break;
    case QualityTemplate::kSourceSamples: registry = "q_drink_source"; break;
    case QualityTemplate::kNoiseValues: registry = "q_noise_point"; break;
    default: break;
  }
  if (registry) {
    auto n = names(registry);
    if (!n.ok()) return n.status();
    known = std::move(*n);
  }
  std::map<std::string, std::string> source_kind, point_kind;
  if (t == QualityTemplate::kSourceSamples) {
    auto rows = query("SELECT name, kind FROM q_drink_source", {});
    if (!rows.ok()) return rows.status();
    for (auto& r : *rows) source_kind[r[0]] = r[1];
  }

  std::vector<std::vector<std::string>> good;
  std::set<std::string> keys;
  int64_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    report.bytes += static_cast<int64_t>(line.size()) + 1;
    if (line.empty() || line == "\r" || line[0] == '#') continue;
    ++report.rows;
    std::vector<std::string> c = split_csv(line);
    RowCheck row{report, file, n};
    if (c.size() != expected.size()) {
      row.fail("bad_row", "", std::to_string(c.size()) + " cells, the header has " + std::to_string(expected.size()));
      ++report.rows_rejected;
      continue;
    }
    auto need = [&](size_t i) {
      if (c[i].empty()) row.fail("missing_value", expected[i], "empty");
      return !c[i].empty();
    };
    auto known_ref = [&](size_t i, const char* what) {
      if (need(i) && !known.count(c[i])) row.fail("unknown_" + std::string(what), expected[i], "'" + c[i] + "' is not registered");
    };
    std::vector<std::string> out;
    std::string key;
    switch (t) {
      case QualityTemplate::kWaterSections: {
        need(0);
        if (!c[3].empty() && !water::parse_body(c[3]).ok()) row.fail("bad_body", "body", water::parse_body(c[3]).status().message());
        if (c[4].empty()) {
          row.fail("no_target", "target", "section '" + c[0] + "' has no target class (目标水质)");
        } else if (auto tc = water::parse_class(c[4]); !tc.ok()) {
          row.fail("bad_class", "target", tc.status().message());
        } else {
          c[4] = std::string(water::class_name(*tc));
        }
        std::string body = c[3].empty() ? "river" : c[3];
        if (auto b = water::parse_body(body); b.ok()) body = *b == water::WaterBody::kRiver ? "river" : "lake";
        out = {c[0], c[1], c[2], body, c[4], c[5]};
        key = c[0];
        break;
      }
      case QualityTemplate::kWaterValues: {
        known_ref(0, "section");
        if (!valid_month(c[1])) row.fail("bad_date", "month", "'" + c[1] + "' is not YYYY-MM");
        auto item = water::item_by_name(c[2]);
        if (!item) {
          row.fail("unknown_item", "item", "'" + c[2] + "' is not a GB 3838 Table 1 item");
        } else if (!unit_fits(water::item_info(*item).unit, c[4])) {
          row.fail("bad_unit", "unit", "'" + c[4] + "' does not fit " + std::string(water::item_info(*item).name_cn) +
                                           " (" + std::string(water::item_info(*item).unit) + ")");
        }
        auto v = row.number("value", c[3], item == water::Item::kPH ? kMaxPh : 0);
        if (item && v) out = {c[0], c[1], std::string(water::item_info(*item).key), exact::to_string(*v)};
        key = c[0] + "|" + c[1] + "|" + (item ? std::string(water::item_info(*item).key) : c[2]);
        break;
      }
      case QualityTemplate::kWells:
      case QualityTemplate::kSources: {
        need(0);
        std::string kind = lower(c[2]);
        if (t == QualityTemplate::kSources && kind != "surface" && kind != "ground") {
          row.fail("bad_kind", "kind", "'" + c[2] + "' is not surface|ground");
        }
        out = {c[0], c[1], kind};
        key = c[0];
        break;
      }
      case QualityTemplate::kWellValues: {
        known_ref(0, "well");
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto ind = groundwater::indicator_by_name(c[2]);
        if (!ind) {
          row.fail("unknown_item", "indicator", "'" + c[2] + "' is not one of the 39 GB/T 14848 conventional indicators");
        } else if (!unit_fits(groundwater::indicator_info(*ind).unit, c[4])) {
          row.fail("bad_unit", "unit", "'" + c[4] + "' does not fit " + std::string(groundwater::indicator_info(*ind).name_cn) +
                                           " (" + std::string(groundwater::indicator_info(*ind).unit) + ")");
        }
        std::string value = c[3];
        bool nd = false;
        if (value == "无") value = "0";
        else if (value == "有") value = "1";
        else if (lower(value) == "nd" || value == "未检出") { value = "0"; nd = true; }
        else if (!value.empty() && value[0] == '<') { value = value.substr(1); nd = true; }
        auto v = row.number("value", value, ind == groundwater::Indicator::kPH ? kMaxPh : 0);
        if (ind && v) out = {c[0], c[1], std::string(groundwater::indicator_info(*ind).key), exact::to_string(*v), nd ? "1" : "0"};
        key = c[0] + "|" + c[1] + "|" + c[2];
        break;
      }
      case QualityTemplate::kSourceSamples: {
        known_ref(0, "source");
        if (!valid_month(c[1])) row.fail("bad_date", "month", "'" + c[1] + "' is not YYYY-MM");
        auto vol = row.number("volume", c[2]);
        std::string item_key, unit;
        bool ground = source_kind.count(c[0]) && source_kind[c[0]] == "ground";
        if (ground) {
          if (auto ind = groundwater::indicator_by_name(c[3])) {
            item_key = groundwater::indicator_info(*ind).key;
            unit = groundwater::indicator_info(*ind).unit;
          }
        } else if (auto it = water::item_by_name(c[3])) {
          item_key = water::item_info(*it).key;
          unit = water::item_info(*it).unit;
        } else if (auto sup = water::supplementary_by_name(c[3])) {
          item_key = water::supplementary_key(*sup);
          unit = "mg/L";
        }
        if (item_key.empty()) {
          row.fail("unknown_item", "item", "'" + c[3] + "' is not a " + (ground ? "GB/T 14848" : "GB 3838 Table 1/2") + " item");
        } else if (!unit_fits(unit, c[5])) {
          row.fail("bad_unit", "unit", "'" + c[5] + "' does not fit " + c[3] + " (" + unit + ")");
        }
        auto v = row.number("value", c[4]);
        if (vol && v && !item_key.empty()) out = {c[0], c[1], item_key, exact::to_string(*v), exact::to_string(*vol)};
        key = c[0] + "|" + c[1] + "|" + item_key;
        break;
      }
      case QualityTemplate::kNoisePoints: {
        need(0);
        std::string kind = lower(c[1]);
        if (kind != "zone" && kind != "regional" && kind != "road") {
          row.fail("bad_kind", "kind", "'" + c[1] + "' is not zone|regional|road");
        }
        std::string zone;
        if (kind == "zone") {
          if (auto z = noise::parse_zone(c[2]); z.ok()) zone = std::string(noise::zone_name(*z));
          else row.fail("bad_zone", "zone", z.status().message());
        }
        std::string length;
        if (kind == "road") {
          if (auto l = row.number("length_km", c[3])) {
            if (l->num == 0) row.fail("out_of_range", "length_km", "a road section needs a length above 0");
            length = exact::to_string(*l);
          }
        }
        out = {c[0], kind, zone, length};
        key = c[0];
        break;
      }
      case QualityTemplate::kNoiseValues: {
        known_ref(0, "point");
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto part = noise::parse_part(c[2]);
        if (!part.ok()) row.fail("bad_part", "part", part.status().message());
        auto leq = row.number("leq", c[3], kMaxDecibels);
        std::optional<Rational> lmax;
        if (!c[4].empty()) lmax = row.number("lmax", c[4], kMaxDecibels);
        if (leq && part.ok()) {
          out = {c[0], c[1], *part == noise::DayPart::kDay ? "day" : "night", exact::to_string(*leq),
                 lmax ? exact::to_string(*lmax) : ""};
        }
        key = c[0] + "|" + c[1] + "|" + c[2];
        break;
      }
      case QualityTemplate::kRainSamples: {
        need(0);
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto ph = row.number("ph", c[2], kMaxPh);
        auto rain = row.number("rainfall_mm", c[3]);
        if (ph && rain) out = {c[0], c[1], exact::to_string(*ph), exact::to_string(*rain)};
        key = c[0] + "|" + c[1];
        break;
      }
    }
    if (row.ok && !keys.insert(key).second) row.fail("duplicate", "", "the same key appears earlier in this file");
    if (!row.ok) {
      ++report.rows_rejected;
      continue;
    }
    report.values += 1;
    good.push_back(std::move(out));
  }

  static constexpr const char* kInsert[] = {
      "INSERT OR REPLACE INTO q_water_section(name, river, county, body, target, level) VALUES(?,?,?,?,?,?)",
      "INSERT OR REPLACE INTO q_water_value(section, month, item, value) VALUES(?,?,?,?)",
      "INSERT OR REPLACE INTO q_gw_well(name, county, kind) VALUES(?,?,?)",
      "INSERT OR REPLACE INTO q_gw_value(well, day, indicator, value, nd) VALUES(?,?,?,?,?)",
      "INSERT OR REPLACE INTO q_drink_source(name, county, kind) VALUES(?,?,?)",
      "INSERT OR REPLACE INTO q_drink_value(source, month, item, value, volume) VALUES(?,?,?,?,?)",
      "INSERT OR REPLACE INTO q_noise_point(name, kind, zone, length) VALUES(?,?,?,?)",
      "INSERT OR REPLACE INTO q_noise_value(point, day, part, leq, lmax) VALUES(?,?,?,?,?)",
      "INSERT OR REPLACE INTO q_rain_sample(site, day, ph, rainfall) VALUES(?,?,?,?)",
  };
  ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  if (Status s = run_each(kInsert[static_cast<int>(t)], good); !s.ok()) {
    (void)exec("ROLLBACK");
    return s.with_context("importing " + file + " (nothing stored)");
  }
  if (Status s = exec("COMMIT"); !s.ok()) {
    (void)exec("ROLLBACK");
    return s.with_context("importing " + file + " (nothing stored)");
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

StatusOr<ImportReport> QualityStore::import_dir(const std::string& dir) {
  ImportReport total;
  bool any = false;
  for (const TemplateInfo& ti : kTemplates) {
    std::filesystem::path p = std::filesystem::path(dir) / ti.file;
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_file(ti.t, p.string());
    if (!r.ok()) return r.status();
    total.files += r->files;
    total.files_rejected += r->files_rejected;
    total.bytes += r->bytes;
    total.rows += r->rows;
    total.rows_rejected += r->rows_rejected;
    total.values += r->values;
    total.seconds += r->seconds;
    for (const ImportIssue& i : r->issues) total.add(i);
  }
  if (!any) return not_found("no import template file in '" + dir + "' (water_sections.csv, water_values.csv, ...)");
  return total;
}

StatusOr<std::vector<WaterSectionRecord>> QualityStore::water_sections() {
  auto rows = impl_->query("SELECT name, river, county, body, target, level FROM q_water_section ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  std::vector<WaterSectionRecord> out;
  for (auto& r : *rows) out.push_back({r[0], r[1], r[2], r[3], r[4], r[5]});
  return out;
}

namespace {
std::vector<ValueRecord> to_values(const std::vector<std::vector<std::string>>& rows, bool nd, bool volume) {
  std::vector<ValueRecord> out;
  for (const auto& r : rows) {
    ValueRecord v{r[0], r[1], r[2], r[3], false, ""};
    if (nd) v.not_detected = r[4] == "1";
    if (volume) v.volume = r[4];
    out.push_back(std::move(v));
  }
  return out;
}
std::vector<SiteRecord> to_sites(const std::vector<std::vector<std::string>>& rows) {
  std::vector<SiteRecord> out;
  for (const auto& r : rows) out.push_back({r[0], r[1], r[2], r.size() > 3 ? r[3] : "", r.size() > 4 ? r[4] : ""});
  return out;
}
}  // namespace

StatusOr<std::vector<ValueRecord>> QualityStore::water_values(const std::string& first, const std::string& last) {
  auto rows = impl_->query(
      "SELECT section, month, item, value FROM q_water_value WHERE month BETWEEN ? AND ? ORDER BY section, month, rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, false, false);
}

StatusOr<std::vector<SiteRecord>> QualityStore::wells() {
  auto rows = impl_->query("SELECT name, county, kind FROM q_gw_well ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<ValueRecord>> QualityStore::well_values(const std::string& first, const std::string& last) {
  auto rows = impl_->query(
      "SELECT well, day, indicator, value, nd FROM q_gw_value WHERE day BETWEEN ? AND ? ORDER BY well, day, rowid", {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, true, false);
}

StatusOr<std::vector<SiteRecord>> QualityStore::sources() {
  auto rows = impl_->query("SELECT name, county, kind FROM q_drink_source ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<ValueRecord>> QualityStore::source_values(const std::string& first, const std::string& last) {
  auto rows = impl_->query(
      "SELECT source, month, item, value, volume FROM q_drink_value WHERE month BETWEEN ? AND ? ORDER BY source, month, rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, false, true);
}

StatusOr<std::vector<SiteRecord>> QualityStore::noise_points() {
  auto rows = impl_->query("SELECT name, '', kind, zone, length FROM q_noise_point ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<NoiseRecord>> QualityStore::noise_values(const std::string& first, const std::string& last) {
  auto rows = impl_->query(
      "SELECT point, day, part, leq, lmax FROM q_noise_value WHERE day BETWEEN ? AND ? ORDER BY point, day, rowid", {first, last});
  if (!rows.ok()) return rows.status();
  std::vector<NoiseRecord> out;
  for (auto& r : *rows) out.push_back({r[0], r[1], r[2], r[3], r[4]});
  return out;
}

StatusOr<std::vector<RainRecord>> QualityStore::rain_samples(const std::string& first, const std::string& last) {
  auto rows = impl_->query(
      "SELECT site, day, ph, rainfall FROM q_rain_sample WHERE day BETWEEN ? AND ? ORDER BY site, day", {first, last});
  if (!rows.ok()) return rows.status();
  std::vector<RainRecord> out;
  for (auto& r : *rows) out.push_back({r[0], r[1], r[2], r[3]});
  return out;
}

Status QualityStore::put_result(const std::string& kind, const std::string& period, const std::string& json) {
  return impl_->run_each("INSERT OR REPLACE INTO q_result(kind, period, json) VALUES(?,?,?)", {{kind, period, json}});
}

StatusOr<std::optional<std::string>> QualityStore::result(const std::string& kind, const std::string& period) {
  auto rows = impl_->query("SELECT json FROM q_result WHERE kind = ? AND period = ?", {kind, period});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0][0]);
}

}  // namespace ecomon
