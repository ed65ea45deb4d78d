// The quality CSV templates (docs/quality-import.md) and the checks of their text, apart from the store: a
// template file's text in, the rows to store and every problem (file:line [column]) out. No I/O, no SQLite,
// so that the checks are fuzzed as they run (fuzz/quality_csv_fuzz.cc). QualityStore reads the file and the
// registries its rows refer to, and writes the rows in one transaction.
//
//   TemplateRefs refs;                                        // no section registered yet
//   ImportReport report;
//   auto rows = check_template_text(QualityTemplate::kWaterSections, text, "water_sections.csv", refs,
//   report);
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/import_report.h"

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

// The table whose names a template's rows refer to ("q_water_section" for water values), or nullptr.
const char* template_registry(QualityTemplate t);

// What the rows of a file may refer to: the registered names of template_registry(t), and for drinking-water
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

}  // namespace ecomon
