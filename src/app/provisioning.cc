#include "app/provisioning.h"

#include <algorithm>

namespace ecomon::app {
namespace {

Status check_mn(const std::string& mn) {
  const bool hex = std::all_of(mn.begin(), mn.end(),
                               [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
  if (mn.size() != 24 || !hex) {
    return invalid_argument("MN '" + mn +
                            "' must be 24 characters of 0-9 and A-F (HJ 212-2025 数采仪入网编码)");
  }
  return Status();
}

}  // namespace

nlohmann::json pending_device_json(const PendingDevice& d) {
  return {{"id", d.id},
          {"hardware_id", d.hardware_id},
          {"cpu_id", d.cpu_id},
          {"mac1", d.mac1},
          {"mac2", d.mac2},
          {"st", d.st},
          {"peer", d.peer},
          {"first_seen_ms", d.first_seen_ms},
          {"last_seen_ms", d.last_seen_ms},
          {"count", d.count},
          {"state", d.assigned() ? "assigned" : "pending"},
          {"mn", d.mn},
          {"assigned_ms", d.assigned_ms},
          {"assigned_by", d.assigned_by}};
}

StatusOr<std::vector<PendingDevice>> pending_devices(Stores& stores, const Actor& who) {
  if (!who.is_bureau()) {
    return permission_denied("only the bureau (admin, analyst) may see pending devices; " + who.user +
                             " is " + std::string(role_name(who.role)));
  }
  return stores.pending_devices().list();
}

StatusOr<Provisioned> provision_pending_device(Stores& stores, const Actor& who, const ProvisionRequest& r,
                                               int64_t now_ms) {
  if (who.role != Role::kAdmin) {
    return permission_denied("only a bureau admin may provision devices; " + who.user + " is " +
                             std::string(role_name(who.role)));
  }
  ECOMON_RETURN_IF_ERROR(check_mn(r.mn));
  if (r.protocol != kDeviceProtocol2025 && r.protocol != kDeviceProtocol2017 &&
      r.protocol != kDeviceProtocol2005 && r.protocol != kDeviceProtocolAuto) {
    return invalid_argument("protocol must be 2005, 2017, 2025 or auto");
  }
  auto row = stores.pending_devices().get(r.pending_id);
  if (!row.ok()) return row.status();
  if (row->assigned()) {
    return failed_precondition("pending device " + std::to_string(r.pending_id) + " already has MN " +
                               row->mn);
  }
  const std::string password = r.password.empty() ? row->pw : r.password;
  if (password.empty() || password.size() > 9) {
    return invalid_argument("the device's PW must be 1 to 9 characters; the logger sent '" + row->pw +
                            "': give --password");
  }
  // The 1002 checked before anything is written (the 数采仪ID must be text a CP area carries).
  auto command = command_of({.mn = r.mn, .name = "set-mn", .args = {row->hardware_id}});
  if (!command.ok()) return command.status();
  auto devices = stores.sources().devices();
  if (!devices.ok()) return devices.status();
  for (const DeviceRecord& d : *devices) {
    if (d.mn == r.mn) return failed_precondition("MN " + r.mn + " is registered already");
  }
  ECOMON_RETURN_IF_ERROR(stores.pending_devices().assign(r.pending_id, r.mn, who.user, now_ms));
  DeviceRecord d;
  d.mn = r.mn;
  d.password = password;
  d.protocol = r.protocol;
  d.enterprise = r.enterprise;
  d.outlet = r.outlet;
  d.county = r.county;
  ECOMON_RETURN_IF_ERROR(stores.sources().upsert_device(d));
  auto queued = stores.source_commands().add(std::move(*command), who.user, now_ms);
  if (!queued.ok()) return queued.status();
  auto assigned = stores.pending_devices().get(r.pending_id);
  if (!assigned.ok()) return assigned.status();
  return Provisioned{.device = std::move(*assigned), .command = std::move(*queued)};
}

}  // namespace ecomon::app
