// The SQLite implementation of SoilStore (store/api/soil.h) on the store's connection: the soil_* tables of
// migration 1 (store/sqlite/migrations.cc), sqlite::Stmt and one sqlite::Tx per write. It neither opens the
// file nor creates tables nor reads CSV (ingest/soil_csv.h does). One per connection, so one per thread.
// The code is SqlSoilStore, written once for SQLite and PostgreSQL (store/sql_backend.h; definitions in
// soil_store_impl.h, PostgreSQL's instance in store/postgres).
//
//   SqliteSoilStore soil(db);                        // db: a migrated sqlite::Db
//   auto points = soil.points("城区");
#pragma once

#include "store/api/soil.h"
#include "store/sql_backend.h"

namespace ecomon {

// Written once for both SQL backends (store/sql_backend.h; the definitions: store/soil/soil_store_impl.h).
template <class Sql>
class SqlSoilStore : public SoilStore {
 public:
  explicit SqlSoilStore(typename Sql::Db& db) : db_(db) {}

  StatusOr<std::vector<SoilSampleOutcome>> write_samples(const std::vector<SoilSampleRow>& rows) override;
  Status write_plots(const std::vector<SoilPlotRow>& rows) override;
  Status write_parcels(const std::vector<SoilParcelRow>& rows) override;
  StatusOr<std::vector<soil::SoilPoint>> points(const std::string& county) override;
  StatusOr<std::vector<SoilPlotRow>> plots(const std::string& county) override;
  StatusOr<std::vector<SoilParcelRow>> parcels(const std::string& county) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlSoilStore<SqliteSql>;

class SqliteSoilStore final : public SqlSoilStore<SqliteSql> {
 public:
  using SqlSoilStore::SqlSoilStore;
};

}  // namespace ecomon
