// The SQLite implementation of SourceRegistryStore (store/api/source_registry.h) on the connection it is
// given: tables sr_enterprise, sr_outlet, sr_device, sr_device_pollutant, sr_stop, sr_limit (migration 1)
// beside the gateway's source_device, whose MN, PW, protocol and active columns a device's write upserts.
// Entries are written as text rows compared with what is stored (added / updated / unchanged).
// Thread safety: that of its Db.
#pragma once

#include "store/api/source_registry.h"
#include "store/sqlite/db.h"

namespace ecomon {

class SqliteSourceRegistryStore : public SourceRegistryStore {
 public:
  explicit SqliteSourceRegistryStore(sqlite::Db& db) : db_(db) {}
  StatusOr<RegistrySnapshot> snapshot() override;
  StatusOr<RegistryLoad> load(const sources::RegistryOptions& options = {}) override;
  StatusOr<RegistryImportCounts> write(std::span<const RegistryEntry> entries) override;
  Status put_enterprise(const sources::Enterprise& e) override;
  Status put_outlet(const sources::Outlet& o) override;
  Status put_device(const sources::Device& d) override;
  Status put_limit(const sources::EmissionLimit& l) override;

 private:
  sqlite::Db& db_;
};

}  // namespace ecomon
