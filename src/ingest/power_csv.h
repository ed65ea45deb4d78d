// The CSV templates of power-use monitoring (docs/power.md): the metered-line registry, the closed/散乱污
// sites and the grid company's dedicated-transformer energy file (专变电量, daily or monthly kWh per meter).
// Each row is checked; a bad row is reported at file:line [column] and skipped, the good rows go to the store
// in one batch per file (PowerStore, one transaction). Imports are idempotent: the registries replace a line
// or site with the same content, and an energy figure already stored is kept (the same: counted as same;
// another: a conflict reported with the stored value). Two rows of one file for the same meter and period:
// the same kWh is a repeat, another kWh a conflict (the first row kept).
//
//   auto imp = import_power_file(stores.power(), PowerTemplate::kGrid, "grid-2026-11.csv");
//   std::cout << imp->summary();     // exit code 1 when imp->has_rejections()
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "ingest/import_report.h"
#include "store/api/power.h"

namespace ecomon {

enum class PowerTemplate : uint8_t {
  kLines,  // power_lines.csv
           // line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines
  kSites,  // power_sites.csv  site,name,county,meter,status,closed_since
  kGrid,   // grid energy      enterprise,meter,period,kwh   (period YYYY-MM-DD daily, YYYY-MM monthly)
};
inline constexpr int kPowerTemplateCount = 3;
const char* power_template_header(PowerTemplate t);
// The template a file is, from its header (a UTF-8 BOM is skipped); kInvalidArgument naming the file.
StatusOr<PowerTemplate> power_template_of(const std::string& path);

// Imports one file of the template. Fails (Status) only when the file cannot be read or the store fails (then
// nothing of the file is stored).
StatusOr<ImportReport> import_power_file(PowerStore& store, PowerTemplate t, const std::string& path);

}  // namespace ecomon
