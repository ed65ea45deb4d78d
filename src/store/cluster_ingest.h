// The HJ 212 uploads on the cluster (issue 18 item 4): acknowledged on PostgreSQL, kept on ClickHouse.
//
// The acknowledgement path. A gateway's shard writer (SourceShardWriter) commits each batch to PostgreSQL's
// table source_spool (migration 4: a row per upload, with its ClickHouse shard) in one INSERT of the whole
// batch (arrays unnested), and returns when the COMMIT is acknowledged with synchronous_commit on: the WAL
// record is fsync'ed on the PostgreSQL server, so the batch survives kill -9 of any process and a power loss
// of the machine (source_ingest.h's "durable"). The writer's check that makes insert's counts exact is made
// against both places a record can be: ClickHouse's stored keys of the batch (one read per shard the batch
// touches: ClickHouseSourceUploads::classify) and, inside the INSERT itself, the spool's (NOT EXISTS on
// the key and CP; EXISTS on the key for "another version"); rows of the batch with the same key see each
// other in classify. ON CONFLICT DO NOTHING on the unique (MN, CN, DataTime, md5(CP)) makes two writers
// racing on the same upload store it once.
//
// The shipper (SpoolShipper: the gateway's SourceShardMaintainer of each shard, and `ecomon store ship`)
// moves a shard's spooled rows to ClickHouse in batches of up to kBatchRows, oldest first: it marks them
// `shipping` (committed), inserts them into the shard's local tables (ClickHouseSourceUploads::append), and
// deletes them from the spool only after ClickHouse answered 200. A crash between the insert and the delete
// leaves them spooled and marked: they are shipped again, and ClickHouse then holds a key twice. Reads are
// idempotent to that by key, not by batch id: every read of the uploads keeps the first row of a key
// (LIMIT 1 BY; of a key and CP for versions) and count_source_records counts distinct keys — the key is
// what a record is, so no extra column or engine (ReplacingMergeTree would dedup only when it merges, and
// reads would need FINAL anyway) is needed. One shipper per shard at a time in the whole cluster (a session
// advisory lock, tried: a second shipper skips the shard).
//
// The race between a writer and the shipper: a writer reads ClickHouse's keys and then inserts into the
// spool; a row shipped in between (inserted into ClickHouse after the read, deleted from the spool before
// the insert) would be missed by both checks. So a writer holds the shard's spool lock shared from before
// its ClickHouse read to its commit, and the shipper deletes under the same lock taken alone: a row is
// always in the spool or already in ClickHouse for a writer's two checks.
//
// Reads (ClusterUploads, the cluster Stores' uploads): the spool first, then ClickHouse, merged by key
// (ClickHouse's row first): a row that moves in between is seen in the spool or in ClickHouse, and a row in
// both counts once. So `sources records|latest`, rates and emissions see an upload as soon as it is
// answered. count_source_records holds each shard's shipper lock while it counts (no row moves meanwhile)
// and checks the marked rows against ClickHouse in the same query that counts the shard's keys.
//
// While a ClickHouse shard is down its writer's check fails: the batch is refused (kUnavailable), the
// gateway answers nothing and the devices send again; nothing is acknowledged that is not committed. While
// PostgreSQL is down the writers fail the same way. The spool grows while ClickHouse is unreachable and is
// shipped when it is back.
//
// Thread safety: a writer, a shipper and a ClusterUploads each are used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/api/source_ingest.h"
#include "store/api/store.h"
#include "store/clickhouse/clickhouse_store.h"
#include "store/postgres/db.h"

namespace ecomon {

// Where the spool and the shards are (a writer and a shipper open their own connections from it).
struct SpoolConfig {
  std::string pg_uri;
  pg::OpenOptions pg_options;  // the schema (tests); migrations are the Stores' (not run again)
  ClickHouseConfig clickhouse;
};

// Inserts a batch of uploads through the spool with insert's semantics (SourceShardWriter::insert), in a
// transaction of `pg` (a savepoint inside one already open): durable when it returns outside one.
StatusOr<int64_t> spool_insert(pg::Conn& pg, ClickHouseSourceUploads& ch,
                               std::span<const SourceRecordView> records, std::vector<size_t>* conflicts);

// Moves shard k's spooled uploads to ClickHouse.
class SpoolShipper {
 public:
  // The second keys of the shard's advisory locks (the first is the hash of the store's schema).
  static constexpr int64_t kSpoolLockBase = 0x5350000, kShipperLockBase = 0x5348000;
  static constexpr int64_t kBatchRows = 20000;
  SpoolShipper(pg::Conn& pg, ClickHouseSourceUploads& ch, int shard) : pg_(pg), ch_(ch), shard_(shard) {}
  // Ships batches of up to `batch_rows` rows, oldest first, until the shard's spool is empty or
  // `max_batches` (-1: no bound) were shipped; returns the rows shipped (0 when another process ships this
  // shard now). An error leaves the spool as it was or the batch marked (shipped again next time).
  StatusOr<int64_t> ship(int64_t batch_rows = kBatchRows, int max_batches = -1);

 private:
  pg::Conn& pg_;
  ClickHouseSourceUploads& ch_;
  int shard_;
};

// Ships every shard's spool (`ecomon store ship`): rows shipped.
StatusOr<int64_t> ship_spool(const SpoolConfig& config);

// The gateway's writers and maintainers on the cluster (the devices and the revision are PostgreSQL's own:
// PgSourceIngest asks this only for shards, writers and maintainers). `shards`: ClickHouse's.
std::unique_ptr<SourceIngest> spool_source_ingest(SpoolConfig config, int shards);

// The uploads' half of a SourceStore on the cluster: records and versions from the spool and ClickHouse
// (see the header); inserts go through the spool (spool_insert). The device methods are not this object's
// (the Stores answers them from PostgreSQL's device table): kInternal. The connection is the Stores' own,
// given once it is open (set_connection).
class ClusterUploads final : public SourceStore {
 public:
  explicit ClusterUploads(ClickHouseSourceUploads& ch) : ch_(ch) {}
  void set_connection(pg::Conn* pg) { pg_ = pg; }

  Status upsert_device(const DeviceRecord&) override { return not_here(); }
  StatusOr<std::vector<DeviceRecord>> devices() override { return not_here(); }
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) override;
  StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from, int64_t to,
                                                     int64_t limit) override;
  StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) override;
  StatusOr<int64_t> count_source_records() override;
  // ClickHouse's spans with the spool's laid over them (first and last the wider, counts summed): a batch
  // being shipped at that moment may count twice; `store copy` reads the records themselves, the counts
  // only guide its progress.
  StatusOr<std::vector<SourceRecordSpan>> source_record_spans() override;
  StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string& mn, int cn, int64_t from,
                                                              int64_t to, int64_t limit) override;

 private:
  static Status not_here() { return internal_error("the cluster's devices are PostgreSQL's"); }
  Status connected() const;
  ClickHouseSourceUploads& ch_;
  pg::Conn* pg_ = nullptr;
};

}  // namespace ecomon
