// The soil CSV templates (docs/soil.md): monitoring samples, development-land plots (the registry of
// 疑似污染地块 → 安全利用) and farmland parcels (图斑, for 受污染耕地安全利用率). Reads one file, checks
// every row and reports each problem as file:line [column] (text that is not UTF-8 included); the good rows
// come back normalised (values in mg/kg as exact decimal text, names as the tables spell them) for the store
// to write in one transaction.
//
//   auto csv = read_soil_csv(SoilTemplate::kSamples, "soil_samples.csv");
//   if (csv.ok()) for (const SoilSampleRow& r : csv->samples) ...;   // csv->report lists the rejected rows
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/import_report.h"
#include "soil/rates.h"
#include "store/api/soil.h"

namespace ecomon {

enum class SoilTemplate : uint8_t {
  kSamples,  // point,county,land_use,ph,item,value,unit
  kPlots,    // plot,name,county,planned_use,area_m2,status,redeveloped
  kParcels,  // parcel,county,area_mu,category,light,measures,produce
};
inline constexpr int kSoilTemplateCount = 3;
const char* soil_template_file(SoilTemplate t);  // "soil_samples.csv", "soil_plots.csv", "soil_parcels.csv"
const char* soil_template_header(SoilTemplate t);

struct SoilCsv {
  ImportReport report;
  std::vector<SoilSampleRow> samples;
  std::vector<SoilPlotRow> plots;
  std::vector<SoilParcelRow> parcels;
};
// Fails only when the file cannot be read; a wrong header rejects the file (report.files_rejected).
StatusOr<SoilCsv> read_soil_csv(SoilTemplate t, const std::string& path);
// The template a file is written in, told by its header line; fails when it is none of them.
StatusOr<SoilTemplate> detect_soil_template(const std::string& path);

// Imports one template file into `store`: the good rows in one transaction; a sample that conflicts with
// what is stored is reported at file:line (the stored value kept). Fails (Status) only when the file cannot
// be read or the store fails (then nothing of the file is stored); bad rows are in the report.
StatusOr<ImportReport> import_soil_file(SoilStore& store, SoilTemplate t, const std::string& path);
// A file (its template told by its header) or a directory (each template file present under its standard
// name). Importing the same files twice changes nothing.
StatusOr<ImportReport> import_soil_path(SoilStore& store, const std::string& path);

}  // namespace ecomon
