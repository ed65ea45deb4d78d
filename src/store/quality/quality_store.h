// The SQLite implementation of QualityStore (store/api/quality.h) on the store's connection: the q_* tables
// of migration 1 (store/sqlite/migrations.cc), parameterised SQL through sqlite::Stmt, one sqlite::Tx per
// batch. It neither opens the file nor creates tables nor reads CSV (ingest/quality_csv.h does). One per
// connection, so one per thread. The code is SqlQualityStore, written once for SQLite and PostgreSQL
// (store/sql_backend.h; definitions in quality_store_impl.h, PostgreSQL's instance in store/postgres).
//
//   SqliteQualityStore quality(db);                  // db: a migrated sqlite::Db
//   ECOMON_RETURN_IF_ERROR(quality.write(batch));
#pragma once

#include "store/api/quality.h"
#include "store/sql_backend.h"

namespace ecomon {

// Written once for both SQL backends (store/sql_backend.h; the definitions:
// store/quality/quality_store_impl.h).
template <class Sql>
class SqlQualityStore : public QualityStore {
 public:
  explicit SqlQualityStore(typename Sql::Db& db) : db_(db) {}

  Status write(const QualityBatch& batch) override;
  StatusOr<std::vector<WaterSectionRecord>> water_sections() override;
  StatusOr<std::vector<ValueRecord>> water_values(const std::string& first_month,
                                                  const std::string& last_month) override;
  StatusOr<std::vector<SiteRecord>> wells() override;
  StatusOr<std::vector<ValueRecord>> well_values(const std::string& first_day,
                                                 const std::string& last_day) override;
  StatusOr<std::vector<SiteRecord>> sources() override;
  StatusOr<std::vector<ValueRecord>> source_values(const std::string& first_month,
                                                   const std::string& last_month) override;
  StatusOr<std::vector<SiteRecord>> noise_points() override;
  StatusOr<std::vector<NoiseRecord>> noise_values(const std::string& first_day,
                                                  const std::string& last_day) override;
  StatusOr<std::vector<RainRecord>> rain_samples(const std::string& first_day,
                                                 const std::string& last_day) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlQualityStore<SqliteSql>;

class SqliteQualityStore final : public SqlQualityStore<SqliteSql> {
 public:
  using SqlQualityStore::SqlQualityStore;
};

}  // namespace ecomon
