// The time series and the HJ 212 uploads on a ClickHouse cluster (issue 18): local MergeTree tables on each
// shard under Distributed tables, sharded by station id and by device MN.
//
//   ClickHouseConfig cfg;                                                    // database "ecomon"
//   Status s = parse_clickhouse_shards("127.0.0.1:18123,127.0.0.1:18124", cfg);  // a shard each, in order
//   auto cluster = ClickHouseCluster::open(cfg);                             // checks, creates the schema
//   ClickHouseTimeSeries series(**cluster);      // TimeSeriesStore
//   ClickHouseSourceUploads uploads(**cluster);  // the upload half of SourceStore (devices: PostgreSQL)
//
// Layout (database `ecomon` by default; the same tables on every shard):
//   air_hourly_local (station_id Int64, pollutant UInt8, month Int32, written UInt64, data String)
//     MergeTree, PARTITION BY year (intDiv(month, 12)), ORDER BY (station_id, pollutant, month, written),
//     index_granularity 256 (rows of ~700 bytes: a station's read decompresses little beside its rows)
//   air_hourly: Distributed(cluster, db, air_hourly_local, station_id)
//   source_record_local / source_record_conflict_local (shard_key UInt32, mn String, cn Int32, data_time
//     Int64, qn String, received_ms Int64, flag Int32, cp String, written UInt64)
//     MergeTree, PARTITION BY year of DataTime, ORDER BY (mn, cn, data_time), index_granularity 1024
//   (ReplicatedMergeTree for all three with ClickHouseConfig::replicated.)
//   source_record, source_record_conflict: Distributed(cluster, db, *_local, shard_key)
//   schema_version (version UInt32) TinyLog: the migrations applied on that server.
//
// Why these choices:
// - Rows are month blocks, not one row per value. The interface's unit is a month block (HourlyBlock), a
//   national year is 72 M values but ~115,000 blocks (docs/performance.md), and one block's values encode to
//   ~1.3 bytes each (block_codec.h, the SQLite store's codec): inserting and reading 10^5 rows of ~1 KB over
//   HTTP is cheap, 72 M rows of a value each is not (on this machine's 2 cores).
// - Never overwrite, never update: a merge writes a *delta* row holding only the gap fills (every other hour
//   kMissing). What is stored for a key is the overlay of its rows in `written` order: an hour's value is the
//   one of the earliest row that has it. MergeTree never changes a row, so a stored value cannot be
//   replaced, and no gap fill can be lost: two writers racing on one block both add their deltas (where both
//   filled the same hour with different values, the earlier row wins on every read, deterministically). A
//   block has one row after one import, a few after late data.
// - Exact counts as SQLite: merge_hourly reads, in one query per shard, every stored row of the batch's
//   keys, overlays them, and compares hour by hour: gap -> new (goes into the delta), equal -> same,
//   different -> conflict (the stored value kept). Blocks of one batch with the same key see each other's
//   fills, as in SQLite. Importing the same file twice writes nothing the second time.
// - Synchronous writes: each shard's rows go in one INSERT straight into that shard's local table on the
//   shard's server, chosen here by the Distributed table's rule (sharding key modulo the number of shards,
//   every shard weight 1: checked on open); the shards of one batch are written at once, a thread each.
//   An insert through the Distributed table would be queued on the receiving server and forwarded later
//   (unless insert_distributed_sync=1); inserting locally means "ok" = the part is written on the shard
//   that reads will ask. Reads of one station or device go to its shard only; reads over all stations or
//   devices (latest, count) go through the Distributed table.
// - Source records: the key (MN, CN, DataTime) is checked before inserting, in one query per shard per
//   batch over the batch's MNs and DataTime span; new keys go in, an identical re-send changes nothing, a
//   key stored with another CP goes once into source_record_conflict. The shard of a device is FNV-1a(MN)
//   mod shards (SqliteStore::source_shard_of's hash), stored as shard_key so the Distributed table routes
//   by the same number. Exact when one writer at a time writes a device (the gateway's design: a device's
//   records go to one writer); two writers racing on one key, or a spool batch shipped twice
//   (store/cluster_ingest.h), can store a key twice, so reads of a device keep the first row of a key
//   (LIMIT 1 BY) and count_source_records counts distinct keys.
// - Durability: "ok" means the server has written the part to its filesystem (18.16 does not fsync parts:
//   it survives kill -9 of the server, measured; not a power loss of its machine), on one replica, or on
//   two with insert_quorum = 2. Replicas: a request that finds one unavailable goes to the next of its
//   shard. See docs/cluster.md.
// - No transactions: TimeSeriesStore's writes do not wait for RecordStore::begin_write/commit (that is
//   PostgreSQL's); a failed import leaves the deltas it wrote, and running it again completes it.
// - Schema: created on open where absent, versioned by schema_version on each server (kSchemaVersion);
//   a server with a newer version is refused. DDL is sent to each server (no ON CLUSTER: 18.16 needs
//   ZooKeeper's distributed DDL queue for it).
//
// Thread safety: one ClickHouseCluster (and the stores over it) per thread, like a SQLite connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/api/source_day_loads.h"
#include "store/api/store.h"
#include "store/clickhouse/clickhouse_http.h"

namespace ecomon {

struct ClickHouseConfig {
  std::vector<ClickHouseEndpoint> shards;  // HTTP endpoint of each shard, in the cluster's shard order
  // The other replicas of shard k (replicas[k], may be absent or empty): the schema is created on them too,
  // and a request that finds a replica unavailable is sent to the next one.
  std::vector<std::vector<ClickHouseEndpoint>> replicas;
  std::string database = "ecomon";
  std::string cluster = "ecomon";  // the remote_servers entry the Distributed tables use
  ClickHouseHttpOptions http;
  bool create_schema = true;
  // Local tables as ReplicatedMergeTree (servers with ZooKeeper and the macros {shard} and {replica}:
  // scripts/cluster/clickhouse.sh with REPLICAS=2); inserts then wait for `insert_quorum` replicas.
  bool replicated = false;
  // 0: the server's default (one replica); 2: both replicas of the shard, waiting at most 10 s
  // (insert_quorum_timeout) and refused at once (code 285, kUnavailable) while a replica is down.
  int insert_quorum = 0;
};

// Sets config.shards and config.replicas from "h:p,h:p" (one endpoint per shard) or "h:p|h:p,h:p|h:p" (a
// shard's replicas separated by |, the first asked first).
Status parse_clickhouse_shards(std::string_view text, ClickHouseConfig& config);

class ClickHouseCluster {
 public:
  static constexpr int kSchemaVersion = 1;
  // Connects to every shard, checks that endpoint k is shard k+1 of `cluster` with weight 1 and that the
  // cluster has as many shards as endpoints, and creates or upgrades the schema.
  static StatusOr<std::unique_ptr<ClickHouseCluster>> open(const ClickHouseConfig& config);

  int shards() const { return static_cast<int>(conns_.size()); }
  // Shard k's first replica's connection (tests, statistics).
  ClickHouseHttp& shard(int k) { return *conns_[static_cast<size_t>(k)][0]; }
  // A query or an insert on shard k: on the replica that answered last, then on the others while they are
  // kUnavailable. Distributed queries go to shard 1 (`query(0, ...)`).
  StatusOr<std::string> query(int k, const std::string& sql);
  const std::string& database() const { return config_.database; }
  // "db.table", the database name checked on open (letters, digits, _).
  std::string table(std::string_view name) const { return config_.database + "." + std::string(name); }

  // The shard of a station (its id modulo the shards, as the Distributed table routes it) and of a device.
  int shard_of_station(int64_t station_id) const;
  static uint32_t device_key(std::string_view mn);  // FNV-1a of the MN
  int shard_of_device(std::string_view mn) const { return static_cast<int>(device_key(mn) % conns_.size()); }
  // What every connection has done (benchmarks).
  ClickHouseHttp::Stats stats() const;

  // Inserts rows (RowBinary) on shard k with the configured quorum.
  Status insert(int k, const std::string& head, std::string_view rows);

  // Drops the database on every shard (tests).
  Status drop_database();

 private:
  explicit ClickHouseCluster(ClickHouseConfig config);
  Status check_shards(std::vector<ClickHouseHttp*>& reachable);
  Status migrate(ClickHouseHttp& c);
  ClickHouseConfig config_;
  std::vector<std::vector<std::unique_ptr<ClickHouseHttp>>> conns_;  // [shard][replica]
  std::vector<size_t> live_;                                         // per shard: the replica to ask first
};

class ClickHouseTimeSeries final : public TimeSeriesStore {
 public:
  explicit ClickHouseTimeSeries(ClickHouseCluster& cluster) : c_(cluster) {}
  // Writes at once (no transaction: see the header); one read and at most one insert per shard per call.
  Status merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                      std::vector<HourConflict>* conflicts) override;
  // Reads ahead: a miss fetches, in one query to the station's shard, the six pollutants of the months
  // asked for of this station and of the shard's stations with the next ids (ids [id, id + kReadAhead *
  // shards): a city's stations have neighbouring ids when a station list was imported). The next reads over
  // the same months are served from them, each (station, pollutant) once and only within kReadAheadTtl of
  // the fetch, so a later pass reads the store again and no value served is older than that. A merge
  // through this object drops them.
  static constexpr int64_t kReadAhead = 8;
  static constexpr std::chrono::milliseconds kReadAheadTtl{5000};
  Status read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                     std::vector<Milli>& out) override;
  StatusOr<std::optional<DayRange>> hourly_extent(int64_t station_id) override;

 private:
  struct Fetched {
    std::chrono::steady_clock::time_point at;
    std::vector<std::vector<Milli>> values;  // per pollutant, the months' hours from from_
    std::vector<bool> served;
  };
  Status fetch(int64_t station_id, MonthKey from, MonthKey to);
  void drop_read_ahead() { fetched_.clear(); }
  ClickHouseCluster& c_;
  MonthKey from_, to_;                  // the months fetched_ covers
  std::map<int64_t, Fetched> fetched_;  // by station id
};

// The HJ 212 uploads (SourceUploads); the devices live in the records store (SourceStoreOf joins them).
class ClickHouseSourceUploads final : public SourceUploads {
 public:
  explicit ClickHouseSourceUploads(ClickHouseCluster& cluster) : c_(cluster) {}
  ClickHouseCluster& cluster() { return c_; }
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) override;
  // The gateway's writer path: returns how many were new once every shard's rows are written on it (one
  // read and at most two inserts per shard); the indices of records kept as other versions (conflicts) go
  // to *conflicts when given, as SourceShardConnection::insert does.
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecordView> records,
                                          std::vector<size_t>* conflicts = nullptr);
  StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from, int64_t to,
                                                     int64_t limit) override;
  StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) override;
  // Distinct (MN, CN, DataTime) keys over all shards (a row stored twice counts once).
  StatusOr<int64_t> count_source_records() override;

  // What a batch's records are to what the shards hold (and to the batch's earlier records), the check
  // insert_source_records makes: a new key, an identical re-send or a version kept already (kSame), or
  // another version of a stored key (kOtherVersion). One read per shard the batch touches.
  enum class Fate : uint8_t { kNew, kSame, kOtherVersion };
  // With `tops`: also, for each (MN, CN) of the batch, the highest DataTime the shard held when the read was
  // sent (a key above it was not stored then); the batch's lowest DataTime on the shard minus one when none
  // is at or above that (the read then covers everything from that DataTime up, not only the batch's span).
  struct Top {
    std::string mn;
    int cn = 0;
    int64_t data_time = 0;
  };
  StatusOr<std::vector<Fate>> classify(std::span<const SourceRecordView> records,
                                       std::vector<Top>* tops = nullptr);
  // Writes rows to shard k as they are, without a check (the PostgreSQL spool's shipper,
  // store/cluster_ingest.h): `records` into source_record_local, `versions` into the conflicts' table.
  // Reads keep the first row of a key (of a key and CP for versions), so a batch written twice changes no
  // answer.
  Status append(int k, std::span<const SourceRecordView> records, std::span<const SourceRecordView> versions);
  // Shard k's distinct record keys, and how many of `among` (keys of shard k's devices) are among them: one
  // query, so both are of the same moment.
  StatusOr<std::pair<int64_t, int64_t>> count_keys(int k, std::span<const SourceRecordView> among);
  StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string& mn, int cn, int64_t from,
                                                              int64_t to, int64_t limit) override;
  // Every device's DataTime span and counts (one query over the Distributed tables).
  StatusOr<std::vector<SourceRecordSpan>> source_record_spans() override;
  // Every (MN, CN, Beijing day) with a stored record (not a version), by MN, CN and day, mark 0: the days the
  // cluster's day-loads mark once for the uploads stored before them (store/cluster_ingest.h). One query
  // over the Distributed table.
  StatusOr<std::vector<SourceDay>> record_days();

 private:
  StatusOr<std::vector<SourceRecord>> device_rows(const char* table, const char* order, const std::string& mn,
                                                  int cn, int64_t from, int64_t to, int64_t limit);
  ClickHouseCluster& c_;
};

}  // namespace ecomon
