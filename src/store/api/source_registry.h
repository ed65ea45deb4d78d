// The pollution-source registry (污染源档案) as the store keeps it: enterprises, outlets (排放口), device
// details, monitored pollutants, emission limits (排放限值), stop periods (停运时段) and permitted amounts
// (许可排放量). The CSV templates
// that fill it are parsed and checked by ingest/source_registry_csv.h, which hands this store checked entries
// in one batch per file; the services read the registry built from it (load).
//
//   SourceRegistryStore& rs = stores.source_registry();
//   StatusOr<RegistryLoad> load = rs.load();
//   const sources::Device* d = load->registry.find_device("E0C000000000000000000000");
//
// The gateway's authentication table (MN, PW, protocol, active) stays the one place for a device's password,
// protocol and active flag: writing a device writes it there in the same transaction (columns this store does
// not know, such as the tolerance policy, are left as they are), and the loader reads them back from it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "sources/registry.h"

namespace ecomon {

// What is stored, as domain values (entries that could not be read are in `problems`).
struct RegistrySnapshot {
  std::map<std::string, sources::Enterprise, std::less<>> enterprises;
  std::map<std::string, sources::Outlet, std::less<>> outlets;
  std::map<std::string, sources::Device, std::less<>> devices;  // with pollutants and stop periods
  std::vector<sources::EmissionLimit> limits;
  std::vector<sources::PermittedAmount> permits;  // 许可排放量, by year, enterprise, outlet, pollutant
  std::vector<std::string> problems;              // stored values that could not be read
  std::vector<std::string> without_details;

  std::vector<const sources::Device*> devices_of(std::string_view outlet) const {
    std::vector<const sources::Device*> out;
    for (const auto& [mn, d] : devices) {
      if (d.outlet_id == outlet) out.push_back(&d);
    }
    return out;
  }
  void put_limit(const sources::EmissionLimit& l) {
    std::erase_if(limits, [&](const sources::EmissionLimit& o) {
      return o.outlet_id == l.outlet_id && o.pollutant == l.pollutant && o.valid_from == l.valid_from;
    });
    limits.push_back(l);
  }
  void put_permit(const sources::PermittedAmount& p) {
    std::erase_if(permits, [&](const sources::PermittedAmount& o) {
      return o.enterprise_id == p.enterprise_id && o.outlet_id == p.outlet_id && o.pollutant == p.pollutant &&
             o.year == p.year;
    });
    permits.push_back(p);
  }
};

// The registry as the store holds it.
struct RegistryLoad {
  sources::SourceRegistry registry;
  // Stored entries the registry refused, with the reason ("device E0C0...: monitors no pollutant").
  std::vector<std::string> problems;
  // MNs the gateway authenticates that have no registry details (no outlet): they upload, but no events or
  // rates are judged for them.
  std::vector<std::string> devices_without_details;
};

// One checked entry of an import (a template row): a device's settings (its pollutants and stops are left
// as stored), one monitored pollutant of a device, one stop period of a device, a permitted amount.
struct RegistryDevicePollutant {
  std::string mn;
  sources::MonitoredPollutant pollutant;
};
struct RegistryDeviceStop {
  std::string mn;
  sources::StopPeriod stop;
};
using RegistryEntry =
    std::variant<sources::Enterprise, sources::Outlet, sources::Device, RegistryDevicePollutant,
                 sources::EmissionLimit, RegistryDeviceStop, sources::PermittedAmount>;

// What written entries did to the store.
struct RegistryImportCounts {
  int64_t added = 0;
  int64_t updated = 0;    // an entry that existed with other values
  int64_t unchanged = 0;  // an entry stored exactly so already
};

class SourceRegistryStore {
 public:
  virtual ~SourceRegistryStore() = default;

  // Everything stored, for a checker (the template importer) and the loader.
  virtual StatusOr<RegistrySnapshot> snapshot() = 0;
  // Builds the registry from what is stored. Fails only when the store fails; entries the registry refuses
  // are listed in `problems`.
  virtual StatusOr<RegistryLoad> load(const sources::RegistryOptions& options = {}) = 0;

  // Writes checked entries in order, in one transaction (nothing when one fails), and says what they did.
  // An entry's references must be stored or come earlier in the batch.
  virtual StatusOr<RegistryImportCounts> write(std::span<const RegistryEntry> entries) = 0;

  // Insert or update one entry, validated; references must be stored already (kNotFound otherwise).
  virtual Status put_enterprise(const sources::Enterprise& e) = 0;
  virtual Status put_outlet(const sources::Outlet& o) = 0;
  // The device with its pollutants and stop periods (replacing those stored).
  virtual Status put_device(const sources::Device& d) = 0;
  virtual Status put_limit(const sources::EmissionLimit& l) = 0;

  // Transitional, for the callers not yet on Stores (store/emergency's compliance data): the SQLite store of
  // the file at `path` on a connection of its own (store/sources/registry_store.cc).
  static StatusOr<std::unique_ptr<SourceRegistryStore>> open(const std::string& path);
};

// The registry's own checks (used by the importer, ingest/source_registry_csv.h, and by
// put_device/put_limit). The registry's own check of a device on its outlet: a registry holding the outlet,
// its limits and the device. Catches a pollutant on the wrong medium and units that differ from the outlet's
// limits.
inline Status probe_registry_device(const RegistrySnapshot& s, const sources::Device& d,
                                    const sources::RegistryOptions& options) {
  const auto outlet = s.outlets.find(d.outlet_id);
  if (outlet == s.outlets.end()) return not_found("outlet " + d.outlet_id + " is not registered");
  sources::SourceRegistry reg(options);
  ECOMON_RETURN_IF_ERROR(reg.add_enterprise({.id = outlet->second.enterprise_id, .name = "-"}));
  ECOMON_RETURN_IF_ERROR(reg.add_outlet(outlet->second));
  for (const sources::EmissionLimit& l : s.limits) {
    if (l.outlet_id == d.outlet_id) (void)reg.add_limit(l);  // a stored bad limit is the loader's report
  }
  return reg.add_device(d);
}

// The registry's own check of a limit: a registry holding the outlet, the other limits of the same outlet and
// pollutant, and the outlet's devices that monitor it. Catches the medium, 折算 on water, units, overlaps.
inline Status probe_registry_limit(const RegistrySnapshot& s, const sources::EmissionLimit& l,
                                   const sources::RegistryOptions& options) {
  const auto outlet = s.outlets.find(l.outlet_id);
  if (outlet == s.outlets.end()) return not_found("outlet " + l.outlet_id + " is not registered");
  sources::SourceRegistry reg(options);
  ECOMON_RETURN_IF_ERROR(reg.add_enterprise({.id = outlet->second.enterprise_id, .name = "-"}));
  ECOMON_RETURN_IF_ERROR(reg.add_outlet(outlet->second));
  for (const sources::EmissionLimit& o : s.limits) {
    if (o.outlet_id == l.outlet_id && o.pollutant == l.pollutant && o.valid_from != l.valid_from) {
      (void)reg.add_limit(o);
    }
  }
  for (const sources::Device* d : s.devices_of(l.outlet_id)) {
    const sources::MonitoredPollutant* p = d->pollutant(l.pollutant);
    if (!p) continue;
    sources::Device probe = *d;
    probe.pollutants = {*p};
    probe.pollutants[0].rated = true;
    (void)reg.add_device(std::move(probe));
  }
  return reg.add_limit(l);
}

}  // namespace ecomon
