// DeviceKeyStore (store/api/device_keys.h) on PostgreSQL: table source_device_key (migration 3), the sealed
// bytes kept as hex text. The same rules as the SQLite store (store/sources/device_key_store.h).
#pragma once

#include "store/api/device_keys.h"
#include "store/postgres/db.h"

namespace ecomon {

class PgDeviceKeyStore final : public DeviceKeyStore {
 public:
  explicit PgDeviceKeyStore(pg::Conn& c) : c_(c) {}
  StatusOr<int64_t> rotate(const DeviceKeyRecord& k, int64_t previous_valid_until_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> valid_keys(const std::string& mn, int64_t now_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> all_valid_keys(int64_t now_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> history(const std::string& mn) override;

 private:
  pg::Conn& c_;
};

}  // namespace ecomon
