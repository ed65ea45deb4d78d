// The pollution-source registry (污染源档案) kept in the store: enterprises, outlets (排放口), device
// details, monitored pollutants, emission limits (排放限值) and stop periods (停运时段), the loader that
// builds a sources::SourceRegistry from them, and the CSV templates that fill them (docs/sources.md,
// "Registry in the store").
//
//   auto rs = SourceRegistryStore::open("ecomon.db");                 // same file as SqliteStore
//   StatusOr<RegistryImport> imp = (*rs)->import_dir("registry/");     // enterprises.csv, outlets.csv, ...
//   std::cout << imp->report.summary();                               // bad rows as file:line [column]
//   StatusOr<RegistryLoad> load = (*rs)->load();
//   const sources::Device* d = load->registry.find_device("E0C000000000000000000000");
//
// Storage: its own sqlite3 connection to the store file (WAL, busy timeout), tables named sr_* created with
// CREATE TABLE IF NOT EXISTS, parameterised SQL only. The gateway's authentication table `source_device`
// (SqliteStore's; MN, PW, protocol, active) stays the one place for a device's password, protocol and active
// flag: putting or importing a device upserts its row there in the same transaction (columns this class does
// not know, such as the tolerance policy, are left as they are), and the loader reads them back from it.
//
// Imports: one transaction per file; every row is checked with the sources module's validate_*() functions
// and against what the store and the file already hold (references, medium, units, overlapping limits); a bad
// row is reported and skipped, the good rows land together. An import adds and updates, never deletes; the
// same file imported twice changes nothing (counts.unchanged).
//
// Thread safety: a SourceRegistryStore is not thread-safe; open one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/import_report.h"
#include "sources/registry.h"

namespace ecomon {

// The CSV templates of the registry, in the order a directory is imported (references point backwards).
enum class RegistryTemplate : uint8_t {
  kEnterprises,  // enterprises.csv       id,name,county,industry
  kOutlets,      // outlets.csv           id,enterprise,kind,name
  kDevices,      // devices.csv           mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,...
  kDevicePollutants,  // device_pollutants.csv mn,pollutant,unit,rated
  kLimits,       // limits.csv            outlet,pollutant,upper,lower,unit,basis,valid_from,valid_to,source
  kStopPeriods,  // stop_periods.csv      mn,begin,end,reason
};
inline constexpr int kRegistryTemplateCount = 6;
const char* registry_template_file(RegistryTemplate t);    // "enterprises.csv", ...
const char* registry_template_header(RegistryTemplate t);  // "id,name,county,industry", ...

// What the accepted rows of an import did to the store.
struct RegistryImportCounts {
  int64_t added = 0;
  int64_t updated = 0;    // an entry that existed with other values
  int64_t unchanged = 0;  // an entry stored exactly so already
};

struct RegistryImport {
  ImportReport report;  // rows read and rejected, each problem at file:line [column]
  RegistryImportCounts counts;
};

// The registry as the store holds it.
struct RegistryLoad {
  sources::SourceRegistry registry;
  // Stored entries the registry refused, with the reason ("device E0C0...: monitors no pollutant").
  std::vector<std::string> problems;
  // MNs the gateway authenticates (source_device) that have no registry details (no outlet): they upload,
  // but no events or rates are judged for them.
  std::vector<std::string> devices_without_details;
};

class SourceRegistryStore {
 public:
  // Opens (creating when absent) the store at `path`; the main store's schema (source_device) is ensured
  // first. `options` decide which MNs are accepted (imports and the loader use the same).
  static StatusOr<std::unique_ptr<SourceRegistryStore>> open(const std::string& path,
                                                             sources::RegistryOptions options = {});
  ~SourceRegistryStore();
  SourceRegistryStore(const SourceRegistryStore&) = delete;
  SourceRegistryStore& operator=(const SourceRegistryStore&) = delete;

  // Insert or update one entry, validated; references must be stored already (kNotFound otherwise).
  Status put_enterprise(const sources::Enterprise& e);
  Status put_outlet(const sources::Outlet& o);
  // The device with its pollutants and stop periods (replacing those stored), and its source_device row.
  Status put_device(const sources::Device& d);
  Status put_limit(const sources::EmissionLimit& l);

  // Builds the registry from what is stored. Fails only when the store fails; entries the registry refuses
  // are listed in `problems`.
  StatusOr<RegistryLoad> load();

  // Imports one template file. Fails (Status) only when the file cannot be read or the store fails.
  StatusOr<RegistryImport> import_file(RegistryTemplate t, const std::string& path);
  // Imports every template present in `dir` under its file name, in template order; kNotFound when none is.
  StatusOr<RegistryImport> import_dir(const std::string& dir);

 private:
  class Impl;
  explicit SourceRegistryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
