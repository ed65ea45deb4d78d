// The demo city's source registry (演示市污染源档案): a small, deterministic set of enterprises across the
// city's counties, their outlets, devices and emission limits, written as the registry CSV templates
// (ingest/source_registry_csv.h) so that `ecomon sources import DIR` reads it like any real registry.
//
//   Status s = write_demo_registry("build/demo-registry");   // enterprises.csv, outlets.csv, devices.csv,
//   ... auto rs = SourceRegistryStore::open("ecomon.db"); auto imp =
//   (*rs)->import_dir("build/demo-registry");
//
// The devices' MNs are the simulator's (sim_mn(0), sim_mn(1), ... in sources/demo_devices.h) with password
// 123456, so `ecomon hj212-sim --devices N --no-register` feeds them. Gas outlets carry limits for SO2, NOx
// and particulate (a21026, a21002, a34013); water outlets for COD and ammonia nitrogen (w01018, w21003).
// Every device is registered at kDemoRegisteredAt. Pure function of nothing: the same files every time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ecomon {

inline constexpr int kDemoRegistryDevices = 16;  // sim_mn(0) .. sim_mn(15)
inline constexpr std::string_view kDemoRegisteredAt = "2025-01-01 00:00:00";
inline constexpr std::string_view kDemoPassword = "123456";

// Writes the seven registry templates (permits.csv: the permitted amounts of 2025 and 2026) into `dir`
// (created when absent; files there are replaced).
Status write_demo_registry(const std::string& dir);

// The registry's outlets in device order (id, enterprise id, gas or water), for the other demo networks that
// link to them (demo/power_demo.h).
struct DemoOutletRef {
  std::string id, enterprise;
  bool gas = true;
};
std::vector<DemoOutletRef> demo_outlets();

}  // namespace ecomon
