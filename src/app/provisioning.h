// HJ 212-2025 provisioning (CN 1001/1002; issue 17): the data loggers the gateway saw announcing their
// hardware identity without an MN (store/api/pending_devices.h), and the bureau's assignment of an MN: the
// device is registered under it (with the logger's PW) and a 1002 set-mn command is queued, which the gateway
// sends on the logger's connection (or answers at its next 1001). Adapters: `ecomon sources
// pending|provision`, GET /api/sources/pending, POST /api/sources/provision.
//
//   auto p = app::provision_pending_device(stores, who, {.pending_id = 3, .mn = "010000A8900016F000169DC0"},
//   now);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "sources/commands.h"
#include "store/api/stores.h"

namespace ecomon::app {

// One row as the CLI (--format json) and GET /api/sources/pending give it: id, hardware_id, cpu_id, mac1,
// mac2, st, peer, first_seen_ms, last_seen_ms (UTC ms), count, state (pending | assigned), mn, assigned_ms,
// assigned_by. Never the PW.
nlohmann::json pending_device_json(const PendingDevice& d);

// Every logger seen (pending and assigned), oldest first. Bureau staff (admin, analyst) only.
StatusOr<std::vector<PendingDevice>> pending_devices(Stores& stores, const Actor& who);

struct ProvisionRequest {
  int64_t pending_id = 0;
  std::string mn;          // 24 characters 0-9 A-F (HJ 212-2025 数采仪入网编码)
  int protocol = 2025;     // the registry's edition for the device (2025 unless told)
  std::string enterprise;  // registry owner fields, optional
  std::string outlet;
  std::string county;
  std::string password;  // "" = the PW of the logger's 1001
};

struct Provisioned {
  PendingDevice device;   // with its MN
  SourceCommand command;  // the queued 1002
};

// Admin only (kPermissionDenied before anything is written); kInvalidArgument for a malformed MN or
// password, kNotFound for no such pending row, kFailedPrecondition when the row already has an MN or the
// MN is registered or assigned already.
StatusOr<Provisioned> provision_pending_device(Stores& stores, const Actor& who, const ProvisionRequest& r,
                                               int64_t now_ms);

}  // namespace ecomon::app
