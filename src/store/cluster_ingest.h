// The HJ 212 uploads on the cluster (issue 18 item 4): acknowledged on PostgreSQL, kept on ClickHouse.
//
// The acknowledgement path. A gateway's shard writer (SourceShardWriter) commits each batch to PostgreSQL's
// table source_spool (migration 7: a row per upload, with its ClickHouse shard) in one INSERT of the whole
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
// sets their `shipped_at` (migration 9) only after ClickHouse answered 200; rows shipped longer than kGrace
// ago are deleted (swept) on each round. A crash between the insert and `shipped_at` leaves them spooled and
// marked: they are shipped again, and ClickHouse then holds a key twice. Reads are
// idempotent to that by key, not by batch id: every read of the uploads keeps the first row of a key
// (LIMIT 1 BY; of a key and CP for versions) and count_source_records counts distinct keys — the key is
// what a record is, so no extra column or engine (ReplacingMergeTree would dedup only when it merges, and
// reads would need FINAL anyway) is needed. One shipper per shard at a time in the whole cluster (a session
// advisory lock, tried: a second shipper skips the shard).
//
// The race between a writer and the shipper: a writer reads ClickHouse's keys and then inserts into the
// spool; a row shipped in between (inserted into ClickHouse after the read, gone from the spool before the
// INSERT's snapshot) would be missed by both checks. No lock prevents it; time does. A shipped row stays in
// the spool (and in its unique index) for kGrace after `shipped_at`, which is later than its arrival in
// ClickHouse; a writer refuses its batch (kUnavailable, rolled back: the devices send again) when its
// INSERT returned kLongest or more after the ClickHouse read the batch stands on. A row the read did not see
// arrived in ClickHouse after it, so it is swept no sooner than kGrace after the read, later than the
// INSERT's snapshot (kLongest < kGrace): the snapshot has it. Both durations are real time, measured on two
// clocks (the gateway's steady clock, PostgreSQL's clock_timestamp()); a step of PostgreSQL's clock larger
// than kGrace - kLongest (30 s) during a batch would break the argument.
//
// The writer's memory (ClickHouseTops): for each (MN, CN) it asked ClickHouse about, the highest DataTime
// stored then. A device sends its data in time order, so nearly every upload is above it: such a row is new
// to ClickHouse without a read, as long as the read is less than kTrusted old (the batch's "ClickHouse read"
// above is then the remembered one, and kTrusted + a batch's duration < kLongest is what the check enforces).
// Re-sends and rows at or below the top are asked as before (and refresh the memory). The spool's own check
// in the INSERT is made for every row.
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

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/api/source_day_loads.h"
#include "store/api/source_ingest.h"
#include "store/api/store.h"
#include "store/clickhouse/clickhouse_store.h"
#include "store/postgres/day_load_store.h"
#include "store/postgres/db.h"

namespace ecomon {

// Where the spool and the shards are (a writer and a shipper open their own connections from it).
struct SpoolConfig {
  std::string pg_uri;
  pg::OpenOptions pg_options;  // the schema (tests); migrations are the Stores' (not run again)
  ClickHouseConfig clickhouse;
};

// The durations of the header's argument: shipped rows are kept kGrace; a chunk's INSERT must return
// within kLongest of its ClickHouse read; a writer's memory of a read is used for kTrusted.
inline constexpr std::chrono::milliseconds kGrace{60000}, kLongest{30000};
// A batch is checked and inserted in chunks of this many rows (a large SourceStore insert, e.g. `store
// copy`'s, stays within kLongest chunk by chunk).
inline constexpr size_t kSpoolChunkRows = 20000;

// What a writer knows of ClickHouse without asking (the header's "writer's memory").
class ClickHouseTops {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kTrusted{20000};
  // Whether ClickHouse held no key of r's (MN, CN) at or above r's DataTime at a moment less than kTrusted
  // before `now`; that moment goes to *at.
  bool above(const SourceRecordView& r, Clock::time_point now, Clock::time_point* at) const;
  // What a read sent at `at` found (ClickHouseSourceUploads::classify's tops).
  void learn(const std::vector<ClickHouseSourceUploads::Top>& tops, Clock::time_point at);

 private:
  struct Top {
    int64_t data_time = 0;
    Clock::time_point at;
  };
  static std::string key(std::string_view mn, int cn);
  std::unordered_map<std::string, Top> tops_;  // by MN and CN
};

// Inserts a batch of uploads through the spool with insert's semantics (SourceShardWriter::insert), in a
// transaction of `pg` (a savepoint inside one already open): durable when it returns outside one. `tops`:
// the writer's memory (nullptr: every row is checked against ClickHouse).
StatusOr<int64_t> spool_insert(pg::Conn& pg, ClickHouseSourceUploads& ch,
                               std::span<const SourceRecordView> records, std::vector<size_t>* conflicts,
                               ClickHouseTops* tops = nullptr);

// Moves shard k's spooled uploads to ClickHouse.
class SpoolShipper {
 public:
  // The second key of the shard's shipper lock (the first is the hash of the store's schema).
  static constexpr int64_t kShipperLockBase = 0x5348000;
  static constexpr int64_t kBatchRows = 20000;
  // `grace`: how long shipped rows stay (kGrace; a test sweeps at once with 0 when no writer runs).
  SpoolShipper(pg::Conn& pg, ClickHouseSourceUploads& ch, int shard, std::chrono::milliseconds grace = kGrace)
      : pg_(pg), ch_(ch), shard_(shard), grace_(grace) {}
  // Ships batches of up to `batch_rows` rows, oldest first, until the shard's spool has none left to ship
  // or `max_batches` (-1: no bound) were shipped, then sweeps the rows shipped more than `grace` ago;
  // returns the rows shipped (0 when another process ships this shard now). An error leaves the spool as
  // it was or the batch marked (shipped again next time).
  StatusOr<int64_t> ship(int64_t batch_rows = kBatchRows, int max_batches = -1);

 private:
  pg::Conn& pg_;
  ClickHouseSourceUploads& ch_;
  int shard_;
  std::chrono::milliseconds grace_;
};

// Ships every shard's spool (`ecomon store ship`): rows shipped.
StatusOr<int64_t> ship_spool(const SpoolConfig& config);

// The gateway's writers and maintainers on the cluster (the devices and the revision are PostgreSQL's own:
// the PostgreSQL Stores' SourceIngest joins them). `shards`: ClickHouse's.
std::unique_ptr<SourceShards> spool_source_shards(SpoolConfig config, int shards);

// The uploads on the cluster (SourceUploads; the device table is PostgreSQL's): records and versions from
// the spool and ClickHouse (see the header); inserts go through the spool (spool_insert). The connection is
// the Stores' own, given once it is open (set_connection).
//
// The emission day-loads (SourceDayLoadStore, store/api/source_day_loads.h) are PostgreSQL's
// (PgDayLoadStore, migration 17) on the same connection. Every upload is stored through spool_insert — the
// gateway's writers and insert_source_records alike — whose statement raises the stale mark of each
// (MN, CN, day) that gained a record, in the transaction that stores it: the same guarantee as SQLite's.
// The uploads stored before migration 17 are marked once: those in the spool by the migration, those
// shipped to ClickHouse by the first day-load call after it (mark_clickhouse_days: one GROUP BY over the
// Distributed table, meta 'day_loads_clickhouse_marked').
class ClusterUploads final : public SourceUploads, public SourceDayLoadStore {
 public:
  explicit ClusterUploads(ClickHouseSourceUploads& ch) : ch_(ch) {}
  void set_connection(pg::Conn* pg);

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

  StatusOr<std::vector<SourceDay>> stale_days(int cn, int64_t first, int64_t last) override;
  StatusOr<std::vector<StoredDayLoad>> day_loads(const std::string& mn, int cn, int64_t first,
                                                 int64_t last) override;
  Status replace_day_loads(std::span<const SourceDay> days, std::span<const StoredDayLoad> rows) override;

 private:
  Status connected() const;
  // Marks the days of ClickHouse's records once per store (see above); then remembered on this object.
  Status mark_clickhouse_days();
  ClickHouseSourceUploads& ch_;
  pg::Conn* pg_ = nullptr;
  std::unique_ptr<PgDayLoadStore> days_;
  bool clickhouse_days_marked_ = false;
};

}  // namespace ecomon
