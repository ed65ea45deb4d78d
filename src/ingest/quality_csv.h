// The quality CSV templates (docs/quality-import.md) and the checks of their text: a template file's text in,
// the rows to store and every problem (file:line [column]) out. check_template_text does no I/O, so that the
// checks are fuzzed as they run (fuzz/quality_csv_fuzz.cc); import_quality_file reads the file and the
// registries its rows refer to (through QualityStore), and hands the store the good rows as one batch.
//
//   TemplateRefs refs;                                        // no section registered yet
//   ImportReport report;
//   auto rows = check_template_text(QualityTemplate::kWaterSections, text, "water_sections.csv", refs,
//   report);
//   auto imported = import_quality_file(stores.quality(), QualityTemplate::kWaterValues, "water_values.csv");
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/import_report.h"
#include "store/api/quality.h"

namespace ecomon {

enum class QualityTemplate : uint8_t {
  kWaterSections,  // section,river,county,body,target,level
  kWaterValues,    // section,month,item,value,unit
  kWells,          // well,county,type
  kWellValues,     // well,date,indicator,value,unit
  kSources,        // source,county,kind
  kSourceSamples,  // source,month,volume,item,value,unit
  kNoisePoints,    // point,kind,zone,length_km
  kNoiseValues,    // point,date,part,leq,lmax
  kRainSamples,    // site,date,ph,rainfall_mm
};
// Every template, registries before the values that name them.
inline constexpr QualityTemplate kQualityTemplates[] = {
    QualityTemplate::kWaterSections, QualityTemplate::kWaterValues, QualityTemplate::kWells,
    QualityTemplate::kWellValues,    QualityTemplate::kSources,     QualityTemplate::kSourceSamples,
    QualityTemplate::kNoisePoints,   QualityTemplate::kNoiseValues, QualityTemplate::kRainSamples,
};
// The file name the template is looked for under in a directory ("water_sections.csv", ...).
const char* template_file_name(QualityTemplate t);
const char* template_header(QualityTemplate t);

// What the rows of a file may refer to: the registered names of the registry the values name (sections for
// water values, wells for well values, sources for samples, points for noise values), and for drinking-water
// samples each source's kind ("surface" or "ground").
struct TemplateRefs {
  std::set<std::string> known;
  std::map<std::string, std::string> source_kind;
};

// Checks the text of one template file (`file` names it in the report): every row is checked (text that is
// not UTF-8, unknown names, units that do not fit, negative or non-numeric values, sections without a target,
// ...), each problem is reported and the row skipped; returns the good rows as the store's columns. A header
// that is not the template's (or not UTF-8) rejects the whole file (report.files_rejected = 1, no rows).
std::vector<std::vector<std::string>> check_template_text(QualityTemplate t, std::string_view text,
                                                          const std::string& file, const TemplateRefs& refs,
                                                          ImportReport& report);

// The checked rows of a template (check_template_text's columns) as the store's batch.
QualityBatch quality_batch(QualityTemplate t, const std::vector<std::vector<std::string>>& rows);

// Imports one template file into `store`: reads it, checks every row against the registries stored, writes
// the good rows in one batch. Fails (Status) only when the file cannot be read or the store fails (then
// nothing of the file is stored); bad rows are reported in the ImportReport and skipped. Importing the same
// file twice changes nothing.
StatusOr<ImportReport> import_quality_file(QualityStore& store, QualityTemplate t, const std::string& path);
// Imports every template file present in `dir` under its standard name, in dependency order.
StatusOr<ImportReport> import_quality_dir(QualityStore& store, const std::string& dir);

}  // namespace ecomon
