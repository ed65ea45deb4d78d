// The embedded default store: one SQLite file (WAL) holding both time series and records.
//
// Hourly air data sit in monthly blocks (block_codec.h): one row per station, pollutant and month, so a year
// of the national network (~1,600 stations) is ~115,000 rows rather than 84 million. Single hours that
// arrive one at a time (merge_hours: an HJ 212 station's hourly upload) go into air_hour, one row each,
// instead of rewriting their month block; reads lay them over the blocks, and a station-pollutant's rows
// are folded into its block once a day (at the hour of the day its station id names: station_id mod 24, so
// the network's folds are spread over the day) and whenever merge_hourly writes that block. All SQL is
// parameterised.
//
//   auto s = SqliteStore::open("ecomon.db");
//   if (!s.ok()) return s.status();
//   ECOMON_RETURN_IF_ERROR((*s)->begin_write());
//   ...
//   ECOMON_RETURN_IF_ERROR((*s)->commit());
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/api/source_day_loads.h"
#include "store/api/source_ingest.h"
#include "store/api/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ecomon {

class SqliteStore final : public TimeSeriesStore,
                          public RecordStore,
                          public SourceStore,
                          public SourceDayLoadStore {
 public:
  // Opens (creating when absent) the store at `path`; ":memory:" for a private in-memory store.
  static StatusOr<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  const std::string& path() const { return path_; }

  Status begin_write() override;
  Status commit() override;
  void rollback() override;

  StatusOr<int64_t> upsert_station(const StationInfo& s) override;
  StatusOr<std::vector<StationInfo>> all_stations() override;
  StatusOr<std::vector<StationInfo>> stations_of_city(const std::string& city) override;
  StatusOr<std::vector<StationInfo>> stations_by_code_or_mn(const std::string& code,
                                                            const std::string& mn) override;
  StatusOr<std::vector<std::string>> cities() override;

  Status merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                      std::vector<HourConflict>* conflicts) override;
  Status merge_hours(std::span<const HourValue> values, MergeStats& stats,
                     std::vector<HourConflict>* conflicts) override;
  Status read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                     std::vector<Milli>& out) override;
  StatusOr<std::optional<DayRange>> hourly_extent(int64_t station_id) override;

  Status upsert_device(const DeviceRecord& d) override;
  StatusOr<std::vector<DeviceRecord>> devices() override;
  StatusOr<std::optional<DeviceRecord>> device(const std::string& mn) override;
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) override;
  StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from, int64_t to,
                                                     int64_t limit) override;
  StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) override;
  StatusOr<int64_t> count_source_records() override;
  // The other versions of records (re-sent with the same MN, CN and DataTime but another CP), kept in
  // source_record_conflict: same selection as source_records(), oldest first.
  StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string& mn, int cn, int64_t from,
                                                              int64_t to, int64_t limit) override;
  // Per device, over every shard's records and conflicts.
  StatusOr<std::vector<SourceRecordSpan>> source_record_spans() override;
  // The day-loads (store/api/source_day_loads.h): in each shard file beside its uploads; read over every
  // shard.
  StatusOr<std::vector<SourceDay>> stale_days(int cn, int64_t first, int64_t last) override;
  StatusOr<std::vector<StoredDayLoad>> day_loads(const std::string& mn, int cn, int64_t first,
                                                 int64_t last) override;
  Status replace_day_loads(std::span<const SourceDay> days, std::span<const StoredDayLoad> rows) override;
  // insert_source_records() over views: the text is bound without a copy (the gateway's writer).
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecordView> records);

  // The registry's revision: a number kept in meta that triggers raise on every insert, update or delete in
  // the device tables (source_device and the registry's sr_* tables: store/sqlite/migrations.cc),
  // whichever program writes them. A process that holds the registry in memory (the gateway, its live events)
  // reads it once a second and reloads only when it moved.
  StatusOr<int64_t> registry_revision();

  // Source records may be spread over several SQLite files, "shards", so that several writers commit at once
  // (the gateway's --writers): shard 0 is this file, shard k the file source_shard_path(path, k) beside it,
  // and all of a device's records are in shard source_shard_of(mn, n). The number is kept in
  // meta('source_shards') (1 when absent); this connection attaches the other shards (as src1, src2, ...), so
  // every reader here sees all records. Copy the shard files with the store. A write through this connection
  // that spans shards is atomic per shard only (SQLite's WAL mode); the gateway writes each shard on its own
  // connection.
  static constexpr int kMaxSourceShards = SourceIngest::kMaxSourceShards;
  int source_shards() const { return shards_; }
  // Sets the number of shards: more only, and only while no source record is stored anywhere (a device's
  // records must stay in the shard its MN hashes to).
  Status set_source_shards(int n);
  static std::string source_shard_path(const std::string& db_path, int shard);
  static int source_shard_of(std::string_view mn, int shards);

  // Runs SQL without parameters (schema, pragmas). For tests and maintenance only.
  Status exec(const std::string& sql);

 private:
  class Stmt;
  explicit SqliteStore(std::string path, sqlite3* db);
  Status error(const std::string& what) const;
  Status prepare_all();
  Status prepare_shard_statements();
  Status attach_shards();
  Status follow_shards();
  std::string source_table() const;
  StatusOr<std::vector<SourceRecord>> device_source_rows(const char* table, const char* order,
                                                         const std::string& mn, int cn, int64_t from,
                                                         int64_t to, int64_t limit);
  // The stations WHERE `where` (parameters ?1.. bound to `args` in order; "" = all), by code.
  StatusOr<std::vector<StationInfo>> query_stations(const char* where, std::span<const std::string> args);
  // The devices WHERE `where` (?1 bound to `arg` when given; "" = all), by MN.
  StatusOr<std::vector<DeviceRecord>> query_devices(const char* where, const std::string* arg);
  // Encodes `values` and runs an insert or update statement keyed like `key` (parameters 1-3, blob 4).
  Status write_block(Stmt& st, const HourlyBlock& key, std::span<const Milli> values);
  // The key's month block into `stored` (sized to the month, kMissing where none); *had_block: one is stored.
  Status read_block(const HourlyBlock& key, std::vector<Milli>& stored, bool* had_block);
  // Lays the key's air_hour rows over `stored`; returns how many there were.
  StatusOr<int64_t> overlay_hours(const HourlyBlock& key, std::vector<Milli>& stored);
  // Writes `stored` as the key's block and deletes its air_hour rows.
  Status fold(const HourlyBlock& key, std::span<const Milli> stored, bool had_block, int64_t pending);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Stmt> select_block_, insert_block_, update_block_, select_range_, upsert_station_,
      select_station_id_, extent_, select_hour_, insert_hour_, select_hours_, select_hours_range_,
      delete_hours_;
  // Each source shard's statements, prepared once (again when shards are added): its uploads' insert and
  // their day's stale mark, and the day-loads' reads and writes (store/api/source_day_loads.h).
  struct ShardStatements {
    std::unique_ptr<Stmt> insert, mark, stale_days, day_loads, delete_loads, delete_mark, insert_load;
  };
  std::vector<ShardStatements> shard_;
  int shards_ = 1;
  bool in_write_ = false;
};

// One source shard (see SqliteStore::source_shard_path) on a connection of its own, for a thread that inserts
// all the time (the gateway's writers, one per shard) or one that checkpoints the shard's WAL beside it.
//   auto w = SourceShardConnection::open(db, 1, SourceShardConnection::Role::kWriter, 128);
//   auto added = (*w)->insert(records);  // durable when it returns
class SourceShardConnection {
 public:
  // kWriter: synchronous=FULL (a commit is on disk when insert() returns), a page cache of `cache_mib` MiB
  // (the B-tree pages every device appends to stay in memory) and no automatic checkpoint: copying the WAL
  // into the file is left to a kCheckpointer connection on another thread, so commits do not wait for it.
  enum class Role { kWriter, kCheckpointer };
  static StatusOr<std::unique_ptr<SourceShardConnection>> open(const std::string& db_path, int shard,
                                                               Role role, int cache_mib = 0);
  ~SourceShardConnection();
  SourceShardConnection(const SourceShardConnection&) = delete;
  SourceShardConnection& operator=(const SourceShardConnection&) = delete;

  const std::string& path() const { return path_; }
  // One transaction; returns how many records were new (the others were stored before). A record whose key
  // was stored with another CP is kept in source_record_conflict; its index is put in *conflicts when given.
  StatusOr<int64_t> insert(std::span<const SourceRecordView> records,
                           std::vector<size_t>* conflicts = nullptr);
  // Frames in the shard's WAL after this connection's last commit (a writer's).
  int wal_frames() const { return wal_frames_; }
  // kCheckpointer: copies what it can of the WAL into the file without waiting for anyone (passive).
  // kWriter, between its commits: copies the rest and has the next commit start the WAL from its beginning
  // (restart), so that the WAL stops growing; kUnavailable at once when a reader or the checkpointer is in
  // the way (try again after a later commit).
  Status checkpoint();

 private:
  SourceShardConnection(std::string path, sqlite3* db, Role role);
  Status error(const std::string& what) const;
  Status exec(const std::string& sql);
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int frames);

  std::string path_;
  sqlite3* db_ = nullptr;
  Role role_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* mark_ = nullptr;  // the day's stale mark (source_day_loads.h)
  int wal_frames_ = 0;
};

// The gateway's storage (store/api/source_ingest.h) on this store: the device list and registry revision
// through `store`'s connection, a writer per shard on a SourceShardConnection of its own (kWriter, a 128 MiB
// page cache), a maintainer per shard on another (kCheckpointer). A shard's writer tells the maintainers
// opened from the same object how far its WAL has grown. `store` must outlive the returned object (the
// writers and maintainers need not).
std::unique_ptr<SourceIngest> sqlite_source_ingest(SqliteStore& store);

}  // namespace ecomon
