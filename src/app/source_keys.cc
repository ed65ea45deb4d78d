#include "app/source_keys.h"

namespace ecomon::app {
namespace {

Status bureau_only(const Actor& who, const char* what) {
  if (who.is_bureau()) return Status();
  return permission_denied(std::string("only the bureau (admin, analyst) may ") + what + "; " + who.user +
                           " is " + std::string(role_name(who.role)));
}

}  // namespace

StatusOr<IssuedKey> issue_device_key(Stores& stores, const Actor& who, const MasterKey& master,
                                     const IssueKeyRequest& req, int64_t now_ms) {
  ECOMON_RETURN_IF_ERROR(bureau_only(who, "issue device keys"));
  if (req.mn.empty()) return invalid_argument("a device key needs the device's MN");
  if (req.grace_ms < 0) return invalid_argument("the grace time of the replaced key cannot be negative");
  if (req.key && !valid_session_key(*req.key)) {
    return invalid_argument(
        "a device key is 16 characters of 0-9, A-Z, a-z (HJ 212-2025 NewSK); the one given "
        "has " +
        std::to_string(req.key->size()) + " characters or others");
  }
  IssuedKey out;
  out.mn = req.mn;
  out.key = req.key ? *req.key : generate_session_key();
  out.issued_ms = now_ms;
  auto sealed = seal_device_key(master, req.mn, out.key);
  if (!sealed.ok()) return sealed.status();
  auto before = stores.device_keys().valid_keys(req.mn, now_ms);
  if (!before.ok()) return before.status();
  const bool had_current = !before->empty() && !before->front().valid_until_ms;
  auto serial = stores.device_keys().rotate(
      {.mn = req.mn, .sealed = *sealed, .issued_ms = now_ms, .issued_by = who.user}, now_ms + req.grace_ms);
  if (!serial.ok()) return serial.status();
  out.serial = *serial;
  if (had_current) out.previous_valid_until_ms = now_ms + req.grace_ms;
  return out;
}

StatusOr<std::vector<DeviceKeyInfo>> device_keys(Stores& stores, const Actor& who, const std::string& mn,
                                                 int64_t now_ms) {
  ECOMON_RETURN_IF_ERROR(bureau_only(who, "list device keys"));
  auto history = stores.device_keys().history(mn);
  if (!history.ok()) return history.status();
  std::vector<DeviceKeyInfo> out;
  for (const DeviceKeyRecord& k : *history) {
    out.push_back({.mn = k.mn,
                   .serial = k.serial,
                   .issued_ms = k.issued_ms,
                   .issued_by = k.issued_by,
                   .valid_until_ms = k.valid_until_ms,
                   .state = !k.valid_until_ms            ? "current"
                            : now_ms < *k.valid_until_ms ? "previous"
                                                         : "retired"});
  }
  return out;
}

}  // namespace ecomon::app
