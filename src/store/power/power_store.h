// PowerStore (store/api/power.h) written once for both SQL backends (store/sql_backend.h): the power_* tables
// of SQLite's migration 7 and PostgreSQL's migration 9. The definitions are power_store_impl.h; SQLite's
// instance is power_store.cc, PostgreSQL's store/postgres/concern_stores.cc. On the cluster the readings live
// on PostgreSQL beside the registry (not on ClickHouse; docs/power.md says why).
//
//   SqlitePowerStore power(db);                      // db: a migrated sqlite::Db
//   auto lines = power.lines("E01");
#pragma once

#include "store/api/power.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlPowerStore : public PowerStore {
 public:
  explicit SqlPowerStore(typename Sql::Db& db) : db_(db) {}

  Status write_lines(const std::vector<PowerLineRow>& rows) override;
  Status write_sites(const std::vector<PowerSiteRow>& rows) override;
  StatusOr<std::vector<PowerLineRow>> lines(const std::string& enterprise) override;
  StatusOr<std::vector<PowerSiteRow>> sites() override;
  StatusOr<std::vector<PowerWriteOutcome>> write_readings(const std::vector<PowerReadingRow>& rows) override;
  StatusOr<std::vector<PowerWriteOutcome>> write_grid(const std::vector<GridEnergyRow>& rows) override;
  StatusOr<std::vector<PowerReadingRow>> readings(const std::vector<std::string>& lines,
                                                  sources::TimeSpan span) override;
  StatusOr<std::vector<PowerReadingSum>> reading_sums(const std::vector<std::string>& lines,
                                                      sources::TimeSpan span) override;
  StatusOr<std::vector<GridEnergyRow>> grid(const std::vector<std::string>& meters, const std::string& from,
                                            const std::string& to) override;
  StatusOr<int64_t> write_cases(const std::vector<PowerCaseRow>& rows, int64_t now_ms) override;
  StatusOr<std::vector<PowerCaseRow>> cases(const std::string& county) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlPowerStore<SqliteSql>;

class SqlitePowerStore final : public SqlPowerStore<SqliteSql> {
 public:
  using SqlPowerStore::SqlPowerStore;
};

}  // namespace ecomon
