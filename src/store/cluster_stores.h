// The cluster backend (docs/cluster.md): the records on PostgreSQL (store/postgres), the time series and the
// HJ 212 uploads on a sharded ClickHouse cluster (store/clickhouse), behind the same Stores as SQLite. Opened
// from a store URL (store/open.h):
//   postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=127.0.0.1:18123,127.0.0.1:18124
// One Stores per thread: its own PostgreSQL connection and its own HTTP connections to the shards.
//
// The gateway on the cluster (Stores::source_ingest): the device list and its revision come from PostgreSQL;
// the shards are ClickHouse's (a device's uploads go to shard FNV-1a(MN) mod shards, the Distributed table's
// rule), one writer per shard. A writer commits each batch to PostgreSQL's spool (synchronous_commit on:
// durable as source_ingest.h asks) and the shard's maintainer ships it to ClickHouse in batches; reads see
// both (store/cluster_ingest.h).
#pragma once

#include <memory>

#include "core/status.h"
#include "store/api/stores.h"
#include "store/clickhouse/clickhouse_store.h"
#include "store/open.h"
#include "store/postgres/db.h"

namespace ecomon {

StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const StoreUrl& url);
// The same from its parts (tests: a schema and a database of their own).
StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const std::string& pg_uri,
                                                      const pg::OpenOptions& pg_options,
                                                      const ClickHouseConfig& config);
// The ClickHouse half of a cluster URL (replicas named: replicated tables, an insert waits for all).
StatusOr<ClickHouseConfig> cluster_clickhouse_config(const StoreUrl& url);
// Ships every shard's spooled uploads to ClickHouse (`ecomon store ship`; a running gateway does it
// itself): how many rows moved.
StatusOr<int64_t> ship_cluster_spool(const StoreUrl& url);

}  // namespace ecomon
