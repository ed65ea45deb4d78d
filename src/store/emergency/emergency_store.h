// The emergency reduction list, the warnings history and the inspections kept in the store (em_* tables), and
// the CSV templates that fill them (docs/emergency.md "Templates").
//
//   auto es = EmergencyStore::open("ecomon.db");                     // same file as SqliteStore
//   StatusOr<ListImport> imp = (*es)->import_dir("list/", Actor::operator_cli());
//   if (!imp->report.issues.empty()) std::cout << imp->report.summary();   // file:line [field], nothing
//   stored StatusOr<emergency::ReductionList> list = (*es)->load_list(); StatusOr<emergency::WarningEvent> ev
//   = (*es)->declare(WarningLevel::kOrange, "2020-12-01 12:00", actor, "...");
//
// Storage: its own sqlite3 connection to the store file (WAL, busy timeout), tables created with CREATE TABLE
// IF NOT EXISTS, parameterised SQL only. Emissions are kept as integer grams per day.
//
// Imports are all-or-nothing: every row of every template in the directory is checked (names, units, numbers,
// references, each entry against the domain's validate_enterprise) and any problem — reported as file:line
// [field] — means nothing is written. A good import replaces the entries it names (their lines and measures)
// in one transaction and leaves the others; importing the same files twice changes nothing
// (counts.unchanged). Writes are checked against the Actor: list entries and inspections need
// may_write_county(entry's county); declaring and lifting warnings need the bureau (emergency::declaration).
//
// Thread safety: an EmergencyStore is not thread-safe; open one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/registry.h"
#include "emergency/warning.h"
#include "ingest/import_report.h"

namespace ecomon {

// The CSV templates, in the order a directory is imported (references point backwards).
enum class EmergencyTemplate : uint8_t {
  kEnterprises,  // enterprises.csv  id,name,county,industry,grade,guarantee,source_enterprise
  kLines,        // lines.csv        enterprise,line,name,process,unit,so2,nox,pm,vocs
  kMeasures,  // measures.csv     enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note
  kInspections,  // inspections.csv  enterprise,time,inspector,result,note
};
inline constexpr int kEmergencyTemplateCount = 4;
const char* emergency_template_file(EmergencyTemplate t);
const char* emergency_template_header(EmergencyTemplate t);
// The forecast template (forecast.csv: date,aqi), read by read_forecast_csv and not stored.
inline constexpr const char* kForecastHeader = "date,aqi";

struct ListImportCounts {
  int64_t added = 0;      // entries (enterprises) new to the store
  int64_t updated = 0;    // entries stored with other values before
  int64_t unchanged = 0;  // entries stored exactly so already
  int64_t inspections_added = 0;
};

struct ListImport {
  ImportReport report;  // every problem at file:line [field]; any problem: nothing was written
  ListImportCounts counts;
  bool written() const { return report.issue_total() == 0; }
};

// Reads a forecast CSV (date,aqi; YYYY-MM-DD; '#' comments). Every problem (bad date or AQI, a repeated day,
// a gap, days out of order) is reported as file:line [field]; any problem: kInvalidArgument listing them.
StatusOr<std::vector<emergency::ForecastDay>> read_forecast_csv(const std::string& path);

// Reads the list templates of `dir` (enterprises.csv, lines.csv, measures.csv) into entries without storing
// them (used for what-if additions); problems as in an import.
StatusOr<std::vector<emergency::Enterprise>> read_list_dir(const std::string& dir,
                                                           const emergency::ListRules& rules,
                                                           ImportReport* report);

// The same from the templates' texts (an API request's; absent templates are left out), named in the report
// by their template file names.
StatusOr<std::vector<emergency::Enterprise>> read_list_texts(
    const std::map<EmergencyTemplate, std::string>& texts, const emergency::ListRules& rules,
    ImportReport* report);

class EmergencyStore {
 public:
  static StatusOr<std::unique_ptr<EmergencyStore>> open(const std::string& path);
  ~EmergencyStore();
  EmergencyStore(const EmergencyStore&) = delete;
  EmergencyStore& operator=(const EmergencyStore&) = delete;

  // Imports the templates present in `dir` (kNotFound when none is). Fails (Status) only when a file cannot
  // be read or the store fails; bad input is in the report and then nothing is written.
  StatusOr<ListImport> import_dir(const std::string& dir, const Actor& actor,
                                  const emergency::ListRules& rules = {});

  StatusOr<emergency::ReductionList> load_list();

  // Warnings history, oldest first.
  StatusOr<std::vector<emergency::WarningEvent>> warnings();
  // Declares (or upgrades/downgrades to) `level` / lifts the warning in force; checked by the domain against
  // the history read in the same write transaction; the stored event (with its id) is returned.
  StatusOr<emergency::WarningEvent> declare(emergency::WarningLevel level, const std::string& effective_from,
                                            const Actor& actor, const std::string& reason);
  StatusOr<emergency::WarningEvent> lift(const std::string& effective_from, const Actor& actor,
                                         const std::string& reason);

  StatusOr<std::vector<emergency::Inspection>> inspections();

 private:
  class Impl;
  explicit EmergencyStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
