// HJ 212-2025 device session keys (SM4, §6.4; issue 17): issuing and rotating a device's key, listing what
// was issued. Keys are sealed under the master key (accounts/key_vault.h) before they reach the store
// (store/api/device_keys.h); the clear key leaves this service once, in IssuedKey, for the person who sets it
// on the device (or for the gateway's CN 1014 NewSK). Bureau only (admin, analyst).
//
//   auto master = MasterKey::load_default();
//   auto issued = app::issue_device_key(stores, who, *master, {.mn = mn}, now_ms);
//   // issued->key: 16 characters, shown once; the previous key stays valid until
//   issued->previous_valid_until_ms
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/key_vault.h"
#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon::app {

inline constexpr int64_t kDefaultKeyGraceMs =
    int64_t{24} * 3600 * 1000;  // a day (a parameter: --grace-hours)

struct IssueKeyRequest {
  std::string mn;
  int64_t grace_ms = kDefaultKeyGraceMs;  // how long the replaced key stays valid
  std::optional<std::string> key;         // a key chosen by hand (16 of [0-9A-Za-z]); default: random
};

struct IssuedKey {
  std::string mn;
  int64_t serial = 0;
  std::string key;  // in clear: show once, never log
  int64_t issued_ms = 0;
  std::optional<int64_t> previous_valid_until_ms;  // set when a current key was replaced
};

StatusOr<IssuedKey> issue_device_key(Stores& stores, const Actor& who, const MasterKey& master,
                                     const IssueKeyRequest& req, int64_t now_ms);

struct DeviceKeyInfo {
  std::string mn;
  int64_t serial = 0;
  int64_t issued_ms = 0;
  std::string issued_by;
  std::optional<int64_t> valid_until_ms;
  std::string state;  // "current", "previous" (retired, still in its grace) or "retired"
};

// What was issued (never a key, sealed or clear), by MN then serial; "" = every device.
StatusOr<std::vector<DeviceKeyInfo>> device_keys(Stores& stores, const Actor& who, const std::string& mn,
                                                 int64_t now_ms);

}  // namespace ecomon::app
