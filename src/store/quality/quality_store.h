// Environmental quality records (surface water, groundwater, drinking-water sources, noise, rain) in the same
// SQLite file as the main store, and the CSV import templates that fill them (docs/quality-import.md).
//
// QualityStore opens its own sqlite3 connection to the store file (WAL, busy timeout), creates its tables
// with CREATE TABLE IF NOT EXISTS (all named q_*), and uses parameterised SQL only. Values are kept as the
// decimal text that was imported, so judgements read them back exactly.
//
//   auto qs = QualityStore::open("ecomon.db");
//   ImportReport r = (*qs)->import_file(QualityTemplate::kWaterSections, "sections.csv");
//   auto sections = (*qs)->water_sections();
//   auto values = (*qs)->water_values("2025-01", "2025-12");
//
// An import reads the whole file, checks every row (unknown names, units that do not fit, negative or
// non-numeric values, sections without a target, references to unknown sections/wells/points), reports each
// problem as file:line [column], and writes the good rows in one transaction: a failure of the store rolls
// back the whole file, never half of it. A QualityStore is not thread-safe; use one per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/import_report.h"
#include "store/quality/quality_csv.h"

struct sqlite3;

namespace ecomon {

struct WaterSectionRecord {
  std::string name, river, county, body, target, level;
};
struct ValueRecord {                         // one measured value of a section, well or drinking-water source
  std::string subject, period, item, value;  // period: YYYY-MM (water) or YYYY-MM-DD (wells)
  bool not_detected = false;
  std::string volume;  // drinking-water samples only
};
struct SiteRecord {  // a well, drinking-water source or noise point
  std::string name, county, kind, zone, length;
};
struct NoiseRecord {
  std::string point, date, part, leq, lmax;
};
struct RainRecord {
  std::string site, date, ph, rainfall;
};

class QualityStore {
 public:
  static StatusOr<std::unique_ptr<QualityStore>> open(const std::string& path);
  ~QualityStore();
  QualityStore(const QualityStore&) = delete;
  QualityStore& operator=(const QualityStore&) = delete;

  // Imports one template file. Fails (Status) only when the file cannot be read or the store fails; bad rows
  // are reported in the ImportReport and skipped.
  StatusOr<ImportReport> import_file(QualityTemplate t, const std::string& path);
  // Imports every template file present in `dir` under its standard name, in dependency order.
  StatusOr<ImportReport> import_dir(const std::string& dir);

  StatusOr<std::vector<WaterSectionRecord>> water_sections();
  // Months in [first, last] ("YYYY-MM").
  StatusOr<std::vector<ValueRecord>> water_values(const std::string& first_month,
                                                  const std::string& last_month);
  StatusOr<std::vector<SiteRecord>> wells();
  StatusOr<std::vector<ValueRecord>> well_values(const std::string& first_day, const std::string& last_day);
  StatusOr<std::vector<SiteRecord>> sources();
  StatusOr<std::vector<ValueRecord>> source_values(const std::string& first_month,
                                                   const std::string& last_month);
  StatusOr<std::vector<SiteRecord>> noise_points();
  StatusOr<std::vector<NoiseRecord>> noise_values(const std::string& first_day, const std::string& last_day);
  StatusOr<std::vector<RainRecord>> rain_samples(const std::string& first_day, const std::string& last_day);

  // Results kept for the bulletin and the API: one JSON document per (kind, period).
  Status put_result(const std::string& kind, const std::string& period, const std::string& json);
  StatusOr<std::optional<std::string>> result(const std::string& kind, const std::string& period);

 private:
  class Impl;
  explicit QualityStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
