// The CSV templates of the pollution-source registry (docs/sources.md, "Registry in the store"): each row is
// checked with the sources module's validate_*() functions and against what the store and the file already
// hold (references, medium, units, overlapping limits); a bad row is reported at file:line [column] and
// skipped, the good rows are handed to the store in one batch per file (SourceRegistryStore::write, one
// transaction). An import adds and updates, never deletes; the same file imported twice changes nothing
// (counts.unchanged).
//
//   auto imp = import_registry_dir(stores.source_registry(), "registry/");  // enterprises.csv, outlets.csv,
//   ... std::cout << imp->report.summary();
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "ingest/import_report.h"
#include "sources/registry.h"
#include "store/api/source_registry.h"

namespace ecomon {

// The CSV templates of the registry, in the order a directory is imported (references point backwards).
enum class RegistryTemplate : uint8_t {
  kEnterprises,  // enterprises.csv       id,name,county,industry
  kOutlets,      // outlets.csv           id,enterprise,kind,name
  kDevices,      // devices.csv           mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,...
  kDevicePollutants,  // device_pollutants.csv mn,pollutant,unit,rated
  kLimits,       // limits.csv            outlet,pollutant,upper,lower,unit,basis,valid_from,valid_to,source
  kStopPeriods,  // stop_periods.csv      mn,begin,end,reason
  kPermits,      // permits.csv           enterprise,outlet,pollutant,year,tonnes,licence (outlet "" = whole)
};
inline constexpr int kRegistryTemplateCount = 7;
const char* registry_template_file(RegistryTemplate t);    // "enterprises.csv", ...
const char* registry_template_header(RegistryTemplate t);  // "id,name,county,industry", ...

struct RegistryImport {
  ImportReport report;  // rows read and rejected, each problem at file:line [column]
  RegistryImportCounts counts;
};

// Imports one template file. Fails (Status) only when the file cannot be read or the store fails (then
// nothing of the file is stored).
StatusOr<RegistryImport> import_registry_file(SourceRegistryStore& store, RegistryTemplate t,
                                              const std::string& path,
                                              const sources::RegistryOptions& options = {});
// Imports every template present in `dir` under its file name, in template order; kNotFound when none is.
StatusOr<RegistryImport> import_registry_dir(SourceRegistryStore& store, const std::string& dir,
                                             const sources::RegistryOptions& options = {});

}  // namespace ecomon
