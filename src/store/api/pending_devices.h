// HJ 212-2025 provisioning (CN 1001/1002; issue 17): data loggers not yet given an MN announce their hardware
// identity with a 1001 (empty MN; CP i23005-Info 数采仪ID, i23006-Info CPU ID, i23007/i23008-Info MACs,
// 11_hj212_2025.md §1.5). The gateway records each sighting here, one row per 数采仪ID (a repeated 1001
// updates it: last seen, count, peer, the other identity fields); the bureau assigns an MN
// (app::provision_pending_device), which the gateway sends with a 1002 on that logger's connection.
//
//   stores.pending_devices().record_sighting({.hardware_id = id, .peer = "10.0.0.5:4711", .seen_ms = now});
//   auto rows = stores.pending_devices().list();          // oldest first
//   stores.pending_devices().assign(row.id, mn, who.user, now);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon {

// One 1001 as the gateway saw it.
struct PendingSighting {
  std::string hardware_id;  // i23005-Info, 数采仪ID (the row's key)
  std::string cpu_id;       // i23006-Info
  std::string mac1, mac2;   // i23007-Info, i23008-Info
  std::string st, pw;       // the frame's ST and PW (what the device is registered and answered with)
  std::string peer;         // "ADDR:PORT" of its connection
  int64_t seen_ms = 0;      // UTC ms
};

struct PendingDevice {
  int64_t id = 0;
  std::string hardware_id, cpu_id, mac1, mac2, st, pw, peer;  // as last seen
  int64_t first_seen_ms = 0, last_seen_ms = 0;                // UTC ms
  int64_t count = 0;                                          // 1001s received
  std::string mn;                                             // "" while pending; the MN the bureau assigned
  int64_t assigned_ms = 0;                                    // UTC ms; 0 while pending
  std::string assigned_by;                                    // the user
  bool assigned() const { return !mn.empty(); }
};

class PendingDeviceStore {
 public:
  virtual ~PendingDeviceStore() = default;
  // Inserts the logger's row, or updates it (last seen, count + 1, peer, ST, PW, CPU ID and MACs as now).
  // Once the row has an MN, its CPU ID and MACs are what the MN is bound to and are kept (a field still
  // empty is taken from the first sighting that states it): a 1001 from other hardware changes only the
  // last seen, count, peer, ST and PW.
  virtual Status record_sighting(const PendingSighting& s) = 0;
  // Every row, pending and assigned, oldest first.
  virtual StatusOr<std::vector<PendingDevice>> list() = 0;
  // One row; kNotFound when there is none with that id.
  virtual StatusOr<PendingDevice> get(int64_t id) = 0;
  // Records the MN the bureau assigned to row `id`: kNotFound for no such row, kFailedPrecondition when it
  // already has one (another MN) or another row holds `mn`.
  virtual Status assign(int64_t id, const std::string& mn, const std::string& by, int64_t now_ms) = 0;
};

}  // namespace ecomon
