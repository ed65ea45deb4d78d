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

}  // namespace

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

  StatusOr<std::vector<std::vector<std::string>>> query(const char* sql,
                                                        const std::vector<std::string>& params) {
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
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
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
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return data_loss("error reading '" + path + "'");
  const std::string file = std::filesystem::path(path).filename().string();

  // Referenced registries: what is stored.
  TemplateRefs refs;
  if (const char* registry = template_registry(t)) {
    auto n = names(registry);
    if (!n.ok()) return n.status();
    refs.known = std::move(*n);
  }
  if (t == QualityTemplate::kSourceSamples) {
    auto rows = query("SELECT name, kind FROM q_drink_source", {});
    if (!rows.ok()) return rows.status();
    for (auto& r : *rows) refs.source_kind[r[0]] = r[1];
  }
  ImportReport report;
  const std::vector<std::vector<std::string>> good = check_template_text(t, text.str(), file, refs, report);
  if (report.files_rejected > 0) return report;

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
  for (const QualityTemplate t : kQualityTemplates) {
    std::filesystem::path p = std::filesystem::path(dir) / template_file_name(t);
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_file(t, p.string());
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
  if (!any)
    return not_found("no import template file in '" + dir + "' (water_sections.csv, water_values.csv, ...)");
  return total;
}

StatusOr<std::vector<WaterSectionRecord>> QualityStore::water_sections() {
  auto rows =
      impl_->query("SELECT name, river, county, body, target, level FROM q_water_section ORDER BY rowid", {});
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
  for (const auto& r : rows)
    out.push_back({r[0], r[1], r[2], r.size() > 3 ? r[3] : "", r.size() > 4 ? r[4] : ""});
  return out;
}
}  // namespace

StatusOr<std::vector<ValueRecord>> QualityStore::water_values(const std::string& first,
                                                              const std::string& last) {
  auto rows = impl_->query(
      "SELECT section, month, item, value FROM q_water_value WHERE month BETWEEN ? AND ? ORDER BY section, "
      "month, rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, false, false);
}

StatusOr<std::vector<SiteRecord>> QualityStore::wells() {
  auto rows = impl_->query("SELECT name, county, kind FROM q_gw_well ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<ValueRecord>> QualityStore::well_values(const std::string& first,
                                                             const std::string& last) {
  auto rows = impl_->query(
      "SELECT well, day, indicator, value, nd FROM q_gw_value WHERE day BETWEEN ? AND ? ORDER BY well, day, "
      "rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, true, false);
}

StatusOr<std::vector<SiteRecord>> QualityStore::sources() {
  auto rows = impl_->query("SELECT name, county, kind FROM q_drink_source ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<ValueRecord>> QualityStore::source_values(const std::string& first,
                                                               const std::string& last) {
  auto rows = impl_->query(
      "SELECT source, month, item, value, volume FROM q_drink_value WHERE month BETWEEN ? AND ? ORDER BY "
      "source, month, rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  return to_values(*rows, false, true);
}

StatusOr<std::vector<SiteRecord>> QualityStore::noise_points() {
  auto rows = impl_->query("SELECT name, '', kind, zone, length FROM q_noise_point ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  return to_sites(*rows);
}

StatusOr<std::vector<NoiseRecord>> QualityStore::noise_values(const std::string& first,
                                                              const std::string& last) {
  auto rows = impl_->query(
      "SELECT point, day, part, leq, lmax FROM q_noise_value WHERE day BETWEEN ? AND ? ORDER BY point, day, "
      "rowid",
      {first, last});
  if (!rows.ok()) return rows.status();
  std::vector<NoiseRecord> out;
  for (auto& r : *rows) out.push_back({r[0], r[1], r[2], r[3], r[4]});
  return out;
}

StatusOr<std::vector<RainRecord>> QualityStore::rain_samples(const std::string& first,
                                                             const std::string& last) {
  auto rows = impl_->query(
      "SELECT site, day, ph, rainfall FROM q_rain_sample WHERE day BETWEEN ? AND ? ORDER BY site, day",
      {first, last});
  if (!rows.ok()) return rows.status();
  std::vector<RainRecord> out;
  for (auto& r : *rows) out.push_back({r[0], r[1], r[2], r[3]});
  return out;
}

Status QualityStore::put_result(const std::string& kind, const std::string& period, const std::string& json) {
  return impl_->run_each("INSERT OR REPLACE INTO q_result(kind, period, json) VALUES(?,?,?)",
                         {{kind, period, json}});
}

StatusOr<std::optional<std::string>> QualityStore::result(const std::string& kind,
                                                          const std::string& period) {
  auto rows = impl_->query("SELECT json FROM q_result WHERE kind = ? AND period = ?", {kind, period});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0][0]);
}

}  // namespace ecomon
