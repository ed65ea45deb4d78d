// DustStore (store/api/dust.h) written once for both SQL backends (store/sql_backend.h): the dust_* tables of
// SQLite's migration 11 and PostgreSQL's migration 14. The definitions are dust_store_impl.h; SQLite's
// instance is dust_store.cc, PostgreSQL's store/postgres/concern_stores.cc. On the cluster the readings live
// on PostgreSQL beside the registry, as power readings do (docs/dust.md).
#pragma once

#include "store/api/dust.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlDustStore : public DustStore {
 public:
  explicit SqlDustStore(typename Sql::Db& db) : db_(db) {}

  Status write_points(const std::vector<DustPointRow>& rows) override;
  StatusOr<std::vector<DustPointRow>> points() override;
  StatusOr<DustWriteCounts> write_readings(const std::vector<DustReadingRow>& rows) override;
  StatusOr<std::vector<DustReadingRow>> readings(const std::vector<std::string>& points,
                                                 sources::TimeSpan span) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlDustStore<SqliteSql>;

class SqliteDustStore final : public SqlDustStore<SqliteSql> {
 public:
  using SqlDustStore::SqlDustStore;
};

}  // namespace ecomon
