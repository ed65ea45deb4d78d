// PendingDeviceStore (store/api/pending_devices.h) on the records' SQL backend: table pending_device (SQLite
// migration 7, PostgreSQL migration 9). Written once for both (store/sql_backend.h; the definitions in
// pending_device_store_impl.h, PostgreSQL's instance in store/postgres/concern_stores.cc). Thread safety:
// that of its Db.
#pragma once

#include "store/api/pending_devices.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlPendingDeviceStore : public PendingDeviceStore {
 public:
  explicit SqlPendingDeviceStore(typename Sql::Db& db) : db_(db) {}
  Status record_sighting(const PendingSighting& s) override;
  StatusOr<std::vector<PendingDevice>> list() override;
  StatusOr<PendingDevice> get(int64_t id) override;
  Status assign(int64_t id, const std::string& mn, const std::string& by, int64_t now_ms) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlPendingDeviceStore<SqliteSql>;

class SqlitePendingDeviceStore final : public SqlPendingDeviceStore<SqliteSql> {
 public:
  using SqlPendingDeviceStore::SqlPendingDeviceStore;
};

}  // namespace ecomon
