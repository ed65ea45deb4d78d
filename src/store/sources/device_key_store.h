// The SQLite implementation of DeviceKeyStore (store/api/device_keys.h) on the connection it is given. Table
// source_device_key (migration 3, store/sqlite/migrations.cc): (mn, serial) key, the sealed bytes as a BLOB,
// issue time and user, valid_until_ms NULL for the current key. A change bumps the registry revision (the
// gateway reloads its keys with the registry). Thread safety: that of its Db.
#pragma once

#include "store/api/device_keys.h"
#include "store/sqlite/db.h"

namespace ecomon {

class SqliteDeviceKeyStore final : public DeviceKeyStore {
 public:
  explicit SqliteDeviceKeyStore(sqlite::Db& db) : db_(db) {}
  StatusOr<int64_t> rotate(const DeviceKeyRecord& k, int64_t previous_valid_until_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> valid_keys(const std::string& mn, int64_t now_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> all_valid_keys(int64_t now_ms) override;
  StatusOr<std::vector<DeviceKeyRecord>> history(const std::string& mn) override;

 private:
  sqlite::Db& db_;
};

}  // namespace ecomon
