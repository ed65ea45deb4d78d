// The cluster backend (docs/cluster.md): the records on PostgreSQL (store/postgres), the time series and the
// HJ 212 uploads on a sharded ClickHouse cluster (store/clickhouse), behind the same Stores as SQLite. Opened
// from a store URL (store/open.h):
//   postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=127.0.0.1:18123,127.0.0.1:18124
// One Stores per thread: its own PostgreSQL connection and its own HTTP connections to the shards.
//
// The gateway on the cluster (Stores::source_ingest): the device list and its revision come from PostgreSQL;
// the shards are ClickHouse's (a device's uploads go to shard FNV-1a(MN) mod shards, the Distributed table's
// rule), one writer per shard, each on HTTP connections of its own, inserting into that shard's local table.
// What "durable when it returns" means here — weaker than source_ingest.h asks, and said so: the insert
// returns once the shard's server has written the part to its file system (ClickHouse 18.16 does not fsync
// parts): it survives kill -9 of any process, ClickHouse or gateway, but not a power loss of the machine
// before the kernel writes the pages back. With replicas (a|b in the URL) the tables are replicated and an
// insert waits for every replica of the shard (insert_quorum), so an upload answered is on two machines.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/api/stores.h"
#include "store/open.h"

namespace ecomon {

StatusOr<std::unique_ptr<Stores>> open_cluster_stores(const StoreUrl& url);

}  // namespace ecomon
