// Which backend a store URL names, and opening it. Every `ecomon` verb takes `--store URL` (or
// $ECOMON_STORE);
// `--db PATH` is the SQLite shorthand. The forms:
//
//   ecomon.db                 a path: the embedded default, one SQLite file (":memory:" for a private one)
//   sqlite:ecomon.db          the same, named
//   sqlite:///var/lib/ecomon/ecomon.db
//   postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=127.0.0.1:18123,127.0.0.1:18124
//                             the cluster: records on PostgreSQL (the URL is libpq's, passed on without the
//                             `clickhouse` parameter), time series on the ClickHouse servers listed (HTTP
//                             endpoints, one per shard in the cluster's order, a shard's replicas joined by
//                             '|'; docs/cluster.md). `scripts/cluster.sh up` prints one.
//                             `&clickhouse_db=NAME` names the ClickHouse database (default ecomon): two
//                             stores on one cluster (with another PostgreSQL database in the path).
//
//   auto stores = open_stores("ecomon.db");       // StatusOr<std::unique_ptr<Stores>>, one per thread
//   StoresOpener each_thread = stores_opener(url);  // the server's workers: one Stores each
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon {

struct StoreUrl {
  enum class Kind { kSqlite, kCluster };
  Kind kind = Kind::kSqlite;
  std::string sqlite_path;              // kSqlite
  std::string postgres;                 // kCluster: the libpq URI, without `clickhouse=`
  std::vector<std::string> clickhouse;  // kCluster: each shard's HTTP interface, host:port (replicas: a|b)
  std::string clickhouse_database = "ecomon";  // kCluster: `clickhouse_db=NAME` (letters, digits, _)
};

// kInvalidArgument naming what is wrong (an unknown scheme, a cluster URL without ClickHouse servers, a bad
// host:port).
StatusOr<StoreUrl> parse_store_url(std::string_view url);

// The URL as it may be printed or logged: a password in it is replaced by "***".
std::string redact_store_url(std::string_view url);

StatusOr<std::unique_ptr<Stores>> open_stores(const std::string& url);

// Moves the uploads a cluster's gateways acknowledged on PostgreSQL to ClickHouse (`ecomon store ship`;
// store/cluster_ingest.h): how many. 0 for SQLite (nothing is spooled there).
StatusOr<int64_t> ship_store_uploads(const std::string& url);

// An opener for threads that each need their own Stores (the server's workers, parallel readers).
StoresOpener stores_opener(const std::string& url);

}  // namespace ecomon
