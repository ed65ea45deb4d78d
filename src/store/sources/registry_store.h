// The SQLite implementation of SourceRegistryStore (store/api/source_registry.h) on the connection it is
// given: tables sr_enterprise, sr_outlet, sr_device, sr_device_pollutant, sr_stop, sr_limit (migration 1),
// sr_permit (migration 7) beside the gateway's source_device, whose MN, PW, protocol and active columns a
// device's write upserts. Entries are written as text rows compared with what is stored (added / updated /
// unchanged); that logic (TextRowRegistryStore) is PostgreSQL's too (store/postgres/source_stores.h). Thread
// safety: that of its Db.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/api/source_registry.h"
#include "store/sqlite/db.h"

namespace ecomon {

// The registry's logic on text rows, whatever the SQL backend (SQLite below, PostgreSQL in store/postgres):
// the backend runs statements and hands rows back as text. An import's batch costs three round trips
// whatever its size (the stored rows of its keys, then the writes, worked out in order).
class TextRowRegistryStore : public SourceRegistryStore {
 public:
  using Row = std::vector<std::string>;
  struct Statement {
    std::string sql;  // parameters ?1, ?2, ...; SQL both SQLite and PostgreSQL read
    Row params;       // as text (the backend converts to the column's type)
  };
  StatusOr<RegistrySnapshot> snapshot() override;
  StatusOr<RegistryLoad> load(const sources::RegistryOptions& options = {}) override;
  StatusOr<RegistryImportCounts> write(std::span<const RegistryEntry> entries) override;
  Status put_enterprise(const sources::Enterprise& e) override;
  Status put_outlet(const sources::Outlet& o) override;
  Status put_device(const sources::Device& d) override;
  Status put_limit(const sources::EmissionLimit& l) override;

  // The backend: runs the statements in order (in one round trip where it can) and returns each one's rows
  // as text (NULL as "", integers in decimal); the first failure stops it.
  virtual StatusOr<std::vector<std::vector<Row>>> run_all(const std::vector<Statement>& statements) = 0;
  // Runs `body` in one write transaction.
  virtual Status in_transaction(const std::function<Status()>& body) = 0;
  // The column that orders a table's rows as they were inserted.
  virtual std::string insertion_order() const = 0;
};

class SqliteSourceRegistryStore : public TextRowRegistryStore {
 public:
  explicit SqliteSourceRegistryStore(sqlite::Db& db) : db_(db) {}
  StatusOr<std::vector<std::vector<Row>>> run_all(const std::vector<Statement>& statements) override;
  Status in_transaction(const std::function<Status()>& body) override;
  std::string insertion_order() const override { return "rowid"; }

 private:
  sqlite::Db& db_;
};

}  // namespace ecomon
