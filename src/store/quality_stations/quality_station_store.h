// QualityStationStore (store/api/quality_stations.h) written once for both SQL backends
// (store/sql_backend.h): the qs_station and qs_hour tables of SQLite's migration 15 and PostgreSQL's
// migration 17. The definitions are quality_station_store_impl.h; SQLite's instance is
// quality_station_store.cc, PostgreSQL's store/postgres/concern_stores.cc. On the cluster the hours live on
// PostgreSQL beside the registry, as the dust and power readings do (docs/cluster.md).
#pragma once

#include "store/api/quality_stations.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlQualityStationStore : public QualityStationStore {
 public:
  explicit SqlQualityStationStore(typename Sql::Db& db) : db_(db) {}

  Status upsert_station(const QualityStationRow& s) override;
  StatusOr<std::vector<QualityStationRow>> stations() override;
  StatusOr<QualityHourCounts> write_hours(const std::vector<QualityHourRow>& rows) override;
  StatusOr<std::vector<QualityHourRow>> hours(const std::string& station, Hour first, Hour last) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlQualityStationStore<SqliteSql>;

class SqliteQualityStationStore final : public SqlQualityStationStore<SqliteSql> {
 public:
  using SqlQualityStationStore::SqlQualityStationStore;
};

}  // namespace ecomon
