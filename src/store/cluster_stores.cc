#include "store/cluster_stores.h"

#include "store/clickhouse/clickhouse_store.h"
#include "store/cluster_ingest.h"
#include "store/postgres/stores.h"

namespace ecomon {
namespace {

// What the PostgreSQL Stores borrows from ClickHouse, kept alive with it.
struct ClickHouseParts {
  ClickHouseParts(std::unique_ptr<ClickHouseCluster> c, SpoolConfig spool)
      : cluster(std::move(c)),
        series(*cluster),
        uploads(*cluster),
        sources(uploads),
        ingest(spool_source_shards(std::move(spool), cluster->shards())) {}
  std::unique_ptr<ClickHouseCluster> cluster;
  ClickHouseTimeSeries series;
  ClickHouseSourceUploads uploads;
  ClusterUploads sources;
  std::unique_ptr<SourceShards> ingest;
};

}  // namespace

StatusOr<ClickHouseConfig> cluster_clickhouse_config(const StoreUrl& url) {
  ClickHouseConfig config;
  std::string list;
  for (const std::string& e : url.clickhouse) list += (list.empty() ? "" : ",") + e;
  ECOMON_RETURN_IF_ERROR(parse_clickhouse_shards(list, config));
  config.database = url.clickhouse_database;
  // Replicas named: the tables are replicated, and an insert waits for every replica of its shard.
  size_t replicas = 1;
  for (const auto& r : config.replicas) replicas = std::max(replicas, r.size() + 1);
  if (replicas > 1) {
    config.replicated = true;
    config.insert_quorum = static_cast<int>(replicas);
  }
  return config;
}

StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const std::string& pg_uri,
                                                      const pg::OpenOptions& pg_options,
                                                      const ClickHouseConfig& config) {
  auto cluster = ClickHouseCluster::open(config);
  if (!cluster.ok()) return cluster.status().with_context("ClickHouse");
  // Field by field: GCC 12 at -O3 warns "may be used uninitialized" about a designated-initializer
  // temporary of this struct of strings (a false positive that -Werror makes fatal in Release).
  SpoolConfig spool;
  spool.pg_uri = pg_uri;
  spool.pg_options = pg_options;
  spool.clickhouse = config;
  auto parts = std::make_shared<ClickHouseParts>(std::move(*cluster), std::move(spool));
  auto stores = open_postgres_stores(pg_uri,
                                     {.time_series = &parts->series,
                                      .uploads = &parts->sources,
                                      .ingest = parts->ingest.get(),
                                      .owner = parts},
                                     pg_options);
  if (!stores.ok()) return stores.status().with_context("PostgreSQL");
  parts->sources.set_connection(postgres_connection(**stores));
  return stores;
}

StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const StoreUrl& url) {
  auto config = cluster_clickhouse_config(url);
  if (!config.ok()) return config.status();
  return open_cluster_stores(url.postgres, pg::OpenOptions{}, *config);
}

StatusOr<int64_t> ship_cluster_spool(const StoreUrl& url) {
  auto config = cluster_clickhouse_config(url);
  if (!config.ok()) return config.status();
  SpoolConfig spool;  // field by field, as above
  spool.pg_uri = url.postgres;
  spool.clickhouse = *config;
  return ship_spool(spool);
}

}  // namespace ecomon
