// Device session keys (HJ 212-2025 §6.4 SM4 keys; issue 17), as stored: sealed under the master key
// (accounts/key_vault.h), never in clear. A device has at most one current key; issuing a new one retires the
// current key, which stays valid until the grace time given at the rotation so that uploads already encrypted
// under it are still read while the device switches (HJ 212-2025 CN 1014).
//
//   auto serial = stores.device_keys().rotate({.mn = mn, .sealed = *sealed, .issued_ms = now, .issued_by =
//   who},
//                                            now + grace_ms);
//   auto keys = stores.device_keys().valid_keys(mn, now);   // current first, then previous ones in their
//   grace
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace ecomon {

struct DeviceKeyRecord {
  std::string mn;
  int64_t serial = 0;                     // 1, 2, ... per device, in issue order
  std::string sealed;                     // key_vault.h's seal: nonce, ciphertext and tag; never the key
  int64_t issued_ms = 0;                  // UTC ms
  std::string issued_by;                  // the user who issued it
  std::optional<int64_t> valid_until_ms;  // nullopt: the current key; else valid while now < this (retired)
};

class DeviceKeyStore {
 public:
  virtual ~DeviceKeyStore() = default;
  // Stores `k` (its mn, sealed, issued_ms, issued_by) as the device's current key, in one transaction: the
  // previous current key, if any, stays valid until `previous_valid_until_ms` (a retired key's grace is not
  // extended). Returns the new key's serial. kNotFound when the device is not registered.
  virtual StatusOr<int64_t> rotate(const DeviceKeyRecord& k, int64_t previous_valid_until_ms) = 0;
  // The device's keys valid at now_ms: the current one first, then retired ones with now_ms < valid_until_ms,
  // newest first.
  virtual StatusOr<std::vector<DeviceKeyRecord>> valid_keys(const std::string& mn, int64_t now_ms) = 0;
  // Every device's valid keys (the gateway loads them all): by MN, then as valid_keys orders them.
  virtual StatusOr<std::vector<DeviceKeyRecord>> all_valid_keys(int64_t now_ms) = 0;
  // Every key of one device ("" = all devices) ever issued, by MN then serial (for listing; the sealed bytes
  // are included, the caller shows none of them).
  virtual StatusOr<std::vector<DeviceKeyRecord>> history(const std::string& mn) = 0;
};

}  // namespace ecomon
