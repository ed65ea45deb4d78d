// The cluster the `cluster` tests run against: ECOMON_TEST_CLICKHOUSE=host:port,host:port (one endpoint per
// shard; "a|b,c|d" with replicas), ECOMON_TEST_CLICKHOUSE_REPLICATED=1 for ReplicatedMergeTree with insert
// quorum 2 (scripts/cluster/clickhouse.sh with REPLICAS=2). Each test gets a database of its own.
//
//   std::string skip;
//   auto cfg = test_clickhouse_config("ecomon_test", skip);   // nullopt + a reason when unset or invalid
//   if (!cfg) GTEST_SKIP() << skip;
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "store/clickhouse/clickhouse_store.h"

namespace ecomon {

inline std::optional<ClickHouseConfig> test_clickhouse_config(const std::string& db_prefix,
                                                              std::string& why) {
  const char* env = std::getenv("ECOMON_TEST_CLICKHOUSE");
  if (env == nullptr || *env == '\0') {
    why =
        "ECOMON_TEST_CLICKHOUSE is not set: start a cluster with `scripts/cluster/clickhouse.sh up "
        "build/cluster/ch` and set it to the endpoints it prints";
    return std::nullopt;
  }
  static int run = 0;
  ClickHouseConfig cfg{.database =
                           db_prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++run)};
  if (Status st = parse_clickhouse_shards(env, cfg); !st.ok()) {
    why = "ECOMON_TEST_CLICKHOUSE: " + st.message();
    return std::nullopt;
  }
  if (std::getenv("ECOMON_TEST_CLICKHOUSE_REPLICATED")) {
    cfg.replicated = true;
    cfg.insert_quorum = 2;
  }
  return cfg;
}

}  // namespace ecomon
