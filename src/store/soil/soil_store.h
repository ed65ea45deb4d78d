// Soil monitoring data in the store's SQLite file (tables soil_*): survey points and their measured items,
// the development-land plot registry (疑似污染地块 → 污染地块 → 风险管控中 → 已修复 → 安全利用) and farmland
// parcels (图斑) for the safe-use rate, filled from the soil CSV templates (ingest/soil_csv.h, docs/soil.md).
//
// A sample file is written in one transaction; a value already stored for the same point and item is kept
// (the same value: counted as already stored; another value: reported as a conflict at file:line [value]); a
// row that gives a stored point another county, land use or pH is rejected. Plots and parcels are registries:
// a row replaces what is stored for its id (a plot's stage moves on). Importing the same file twice changes
// nothing. Not thread-safe: one per thread.
//
//   auto store = SoilStore::open("ecomon.db");
//   auto report = (*store)->import_path("build/demo-data/soil");   // every soil template file in the
//   directory auto points = (*store)->points("");                             // soil::SoilPoint records, all
//   counties
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/import_report.h"
#include "ingest/soil_csv.h"
#include "soil/rates.h"
#include "soil/survey.h"

namespace ecomon {

class SqlDb;

class SoilStore {
 public:
  static StatusOr<std::unique_ptr<SoilStore>> open(const std::string& path);
  ~SoilStore();
  SoilStore(const SoilStore&) = delete;
  SoilStore& operator=(const SoilStore&) = delete;

  // One template file. Fails (Status) only when the file cannot be read or the store fails (then nothing of
  // the file is stored); bad rows are in the report.
  StatusOr<ImportReport> import_file(SoilTemplate t, const std::string& path);
  // A file (its template told by its header) or a directory (each template file present under its standard
  // name).
  StatusOr<ImportReport> import_path(const std::string& path);

  // Points with their values, by point id; county "" = all.
  StatusOr<std::vector<soil::SoilPoint>> points(const std::string& county);
  StatusOr<std::vector<SoilPlotRow>> plots(const std::string& county);
  StatusOr<std::vector<SoilParcelRow>> parcels(const std::string& county);

 private:
  explicit SoilStore(std::unique_ptr<SqlDb> db);
  Status write_samples(const std::vector<SoilSampleRow>& rows, const std::string& file, ImportReport& report);
  std::unique_ptr<SqlDb> db_;
};

// The registry rows as the rate functions take them (areas parsed exactly).
std::vector<soil::Plot> to_plots(const std::vector<SoilPlotRow>& rows);
std::vector<soil::FarmParcel> to_parcels(const std::vector<SoilParcelRow>& rows);

}  // namespace ecomon
