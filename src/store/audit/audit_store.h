// The data audit's store (store/api/audit.h) on the records' SQL backend: the audit_* tables of migration 4
// (store/sqlite/migrations.cc; PostgreSQL's store/postgres/migrations.cc). Written once for SQLite and
// PostgreSQL (store/sql_backend.h; the definitions in audit_store_impl.h, PostgreSQL's instance in
// store/postgres/concern_stores.cc). One per connection, so one per thread.
//
//   SqliteAuditStore audit(db);                      // db: a migrated sqlite::Db
//   ECOMON_RETURN_IF_ERROR(audit.append(versions));
#pragma once

#include "store/api/audit.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlAuditStore : public AuditStore {
 public:
  explicit SqlAuditStore(typename Sql::Db& db) : db_(db) {}

  Status append(std::span<AuditVersion> versions) override;
  StatusOr<std::vector<AuditVersion>> versions(std::span<const int64_t> stations, Hour first,
                                               Hour last) override;
  StatusOr<int64_t> version_count() override;
  Status set_month_closed(const MonthClosing& closing) override;
  StatusOr<std::vector<MonthClosing>> month_closings(std::optional<MonthKey> first,
                                                     std::optional<MonthKey> last) override;
  Status set_station_county(const std::string& station_code, const std::string& county) override;
  StatusOr<std::string> station_county(const std::string& station_code) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlAuditStore<SqliteSql>;

class SqliteAuditStore final : public SqlAuditStore<SqliteSql> {
 public:
  using SqlAuditStore::SqlAuditStore;
};

}  // namespace ecomon
