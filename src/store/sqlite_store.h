// The embedded default store: one SQLite file (WAL) holding both time series and records.
//
// Hourly air data sit in monthly blocks (block_codec.h): one row per station, pollutant and month, so a year of
// the national network (~1,600 stations) is ~115,000 rows rather than 84 million. All SQL is parameterised.
//
//   auto s = SqliteStore::open("ecomon.db");
//   if (!s.ok()) return s.status();
//   ECOMON_RETURN_IF_ERROR((*s)->begin_write());
//   ...
//   ECOMON_RETURN_IF_ERROR((*s)->commit());
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

struct sqlite3;

namespace ecomon {

class SqliteStore final : public TimeSeriesStore, public RecordStore, public SourceStore {
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
  StatusOr<std::vector<std::string>> cities() override;

  Status merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                      std::vector<HourConflict>* conflicts) override;
  Status read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count, std::vector<Milli>& out) override;
  StatusOr<std::optional<DayRange>> hourly_extent(int64_t station_id) override;

  Status upsert_device(const DeviceRecord& d) override;
  StatusOr<std::vector<DeviceRecord>> devices() override;
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) override;
  StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from, int64_t to,
                                                     int64_t limit) override;
  StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) override;
  StatusOr<int64_t> count_source_records() override;
  // insert_source_records() over views: the text is bound without a copy (the gateway's writer).
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecordView> records);
  // synchronous=FULL: every commit is on disk before it returns (the gateway acknowledges only after that).
  Status set_full_sync();
  // For a connection that inserts uploads all the time (the gateway's writer): a page cache of `cache_mib`
  // MiB, so that the B-tree pages every device appends to stay in memory (no reads back), and an automatic
  // checkpoint only every `checkpoint_pages` pages of WAL (a page changed by many commits is copied into the
  // database once per checkpoint, not once per commit).
  Status tune_for_ingest(int cache_mib, int checkpoint_pages);

  // Runs SQL without parameters (schema, pragmas). For tests and maintenance only.
  Status exec(const std::string& sql);

 private:
  class Stmt;
  explicit SqliteStore(std::string path, sqlite3* db);
  Status error(const std::string& what) const;
  Status prepare_all();
  Status migrate();
  StatusOr<std::vector<StationInfo>> query_stations(const std::string* city);
  // Encodes `values` and runs an insert or update statement keyed like `key` (parameters 1-3, blob 4).
  Status write_block(Stmt& st, const HourlyBlock& key, std::span<const Milli> values);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Stmt> select_block_, insert_block_, update_block_, select_range_, upsert_station_,
      select_station_id_, extent_, insert_source_;
  bool in_write_ = false;
};

}  // namespace ecomon
