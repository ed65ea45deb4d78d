// The emergency list's CSV templates (emergency/list_templates.h, docs/emergency.md "Templates") read into
// checked, typed rows: entries (enterprises with their lines and measures) and inspections, every problem
// reported as file:line [field]. Nothing is stored here: app/emergency.h writes the rows.
//
//   auto stored = app::emergency_list(stores, who);                     // for references and counties
//   StatusOr<ListImport> imp = parse_list_import("list/", who, *stored);
//   if (!imp->written()) std::cout << imp->report.summary();          // any problem: nothing is written
//   else app::write_emergency_list(stores, who, imp->enterprises, imp->inspections);
//
// Checks: names, units, numbers, references (a line's enterprise, a measure's line, an inspection's entry on
// the list or in this import), each entry against the domain's validate_enterprise, and the caller's right
// (may_write_county of the entry's county). Emissions are integer grams per day.
#pragma once

#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/list_templates.h"
#include "emergency/registry.h"
#include "emergency/warning.h"
#include "ingest/import_report.h"
#include "store/api/emergency.h"

namespace ecomon {

struct ListImport {
  ImportReport report;  // every problem at file:line [field]; any problem: nothing was written
  ListImportCounts counts;
  std::vector<emergency::Enterprise> enterprises;  // the checked rows (parse_list_import)
  std::vector<emergency::Inspection> inspections;
  bool written() const { return report.issue_total() == 0; }
};

// Reads and checks the templates present in `dir` (kNotFound when none is) against the stored list `stored`
// (an inspection's entry, its county) as `actor` would write them. Fails (Status) only when a file cannot be
// read; bad input is in the report.
StatusOr<ListImport> parse_list_import(const std::string& dir, const Actor& actor,
                                       const emergency::ReductionList& stored,
                                       const emergency::ListRules& rules = {});

// Reads a forecast CSV (date,aqi; YYYY-MM-DD; '#' comments). Every problem (bad date or AQI, a repeated day,
// a gap, days out of order) is reported as file:line [field]; any problem: kInvalidArgument listing them.
StatusOr<std::vector<emergency::ForecastDay>> read_forecast_csv(const std::string& path);

// Reads the list templates of `dir` (enterprises.csv, lines.csv, measures.csv) into entries without storing
// them (used for what-if additions); problems as in an import.
StatusOr<std::vector<emergency::Enterprise>> read_list_dir(const std::string& dir,
                                                           const emergency::ListRules& rules,
                                                           ImportReport* report);

}  // namespace ecomon
