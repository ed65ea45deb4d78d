// The SQLite backend's SourceIngest (store/api/source_ingest.h, sqlite_source_ingest): devices and the
// registry revision, the shards (more only, before the first record), a shard writer's batches (new,
// duplicate, conflicting) landing in the shard file the device hashes to, and the maintenance signals.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "store/api/source_day_loads.h"
#include "store/sqlite_stores.h"
#include "store/test_sqlite_file.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

// FNV-1a of the MN modulo 2 (worked out in store_test.cc's SourceShards test): shard 1 and shard 0.
constexpr const char* kShard1Mn = "E0C000000000000000000000";
constexpr const char* kShard0Mn = "E0C000000000000000000001";

class SqliteSourceIngestTest : public ::testing::Test {
 protected:
  void SetUp() override { stores = open_sqlite_stores(db).value(); }
  SourceIngest& ingest() { return stores->source_ingest(); }
  // Rows of a table in one file, read beside the store (which sees every shard through its own connection).
  static std::string rows_in(const std::string& file, const std::string& table) {
    auto f = testing::SqliteFile::open(file);
    if (!f.ok()) return f.status().message();
    auto n = (*f)->text("SELECT count(*) FROM " + table);
    return n.ok() ? *n : n.status().message();
  }
  // Views of bytes the caller keeps (the MNs are literals). No QN: an empty view without bytes, stored as ''.
  static SourceRecordView view(std::string_view mn, int64_t t, std::string_view cp) {
    return {.mn = mn, .cn = 2011, .data_time = t, .cp = cp};
  }

  testing::TempDir dir{"source_ingest"};
  std::string db = (dir.path() / "s.db").string();
  std::unique_ptr<Stores> stores;
};

TEST_F(SqliteSourceIngestTest, DevicesAndTheRegistryRevisionFollowTheRegistry) {
  EXPECT_TRUE(ingest().devices().value().empty());
  const int64_t before = ingest().registry_revision().value();
  DeviceRecord d;
  d.mn = kShard1Mn;
  d.password = "123456";
  ASSERT_TRUE(stores->sources().upsert_device(d).ok());
  const int64_t after = ingest().registry_revision().value();
  EXPECT_NE(after, before);
  auto devices = ingest().devices().value();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].mn, kShard1Mn);
  EXPECT_EQ(devices[0].password, "123456");
  // Nothing changed: the revision holds still (a reader reloads nothing).
  EXPECT_EQ(ingest().registry_revision().value(), after);
}

TEST_F(SqliteSourceIngestTest, ShardsGrowOnlyAndOnlyBeforeTheFirstRecord) {
  EXPECT_EQ(ingest().shards(), 1);
  EXPECT_EQ(ingest().shard_of("anything", 1), 0);
  EXPECT_EQ(ingest().shard_of(kShard1Mn, 2), 1);
  EXPECT_EQ(ingest().shard_of(kShard0Mn, 2), 0);
  EXPECT_EQ(ingest().set_shards(0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ingest().set_shards(SourceIngest::kMaxSourceShards + 1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ingest().open_writer(1).status().code(), StatusCode::kInvalidArgument);  // one shard: 0 only
  EXPECT_EQ(ingest().open_maintainer(-1).status().code(), StatusCode::kInvalidArgument);

  ASSERT_TRUE(ingest().set_shards(2).ok());
  EXPECT_EQ(ingest().shards(), 2);
  EXPECT_TRUE(fs::exists(db + "-src1"));  // the layout of before: shard k beside the store as DB-srcK
  EXPECT_TRUE(ingest().set_shards(2).ok());
  EXPECT_EQ(ingest().set_shards(1).code(), StatusCode::kFailedPrecondition);  // never fewer
  // Another Stores of the file sees the number (kept in the store).
  EXPECT_EQ(open_sqlite_stores(db).value()->source_ingest().shards(), 2);

  const std::string cp = "a21026-Rtd=1";
  const SourceRecordView r[] = {view(kShard0Mn, 20250101000000, cp)};
  ASSERT_EQ(ingest().open_writer(0).value()->insert(r).value(), 1);
  Status more = ingest().set_shards(3);
  EXPECT_EQ(more.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(more.message().find("already holds 1 source records"), std::string::npos) << more.message();
  EXPECT_EQ(ingest().shards(), 2);
}

// Shard 1's writer: a batch of two new records, then one with a duplicate (same key and CP: nothing), a
// re-send with another CP (kept as a conflict, index 1) and a new record. Every row is in DB-src1, none in
// the main file; a Stores opened afterwards reads them.
TEST_F(SqliteSourceIngestTest, AWriterStoresItsShardsRecordsAndReportsConflicts) {
  ASSERT_TRUE(ingest().set_shards(2).ok());
  auto w = ingest().open_writer(1).value();
  const std::string a = "a21026-Rtd=1", b = "a21026-Rtd=2", other = "a21026-Rtd=9";
  const SourceRecordView first[] = {view(kShard1Mn, 20250101000000, a), view(kShard1Mn, 20250101000030, b)};
  std::vector<size_t> conflicts = {7};  // cleared by insert
  EXPECT_EQ(w->insert(first, &conflicts).value(), 2);
  EXPECT_TRUE(conflicts.empty());
  const SourceRecordView second[] = {view(kShard1Mn, 20250101000000, a),
                                     view(kShard1Mn, 20250101000030, other),
                                     view(kShard1Mn, 20250101000100, a)};
  EXPECT_EQ(w->insert(second, &conflicts).value(), 1);  // 3 - 1 duplicate - 1 conflict
  EXPECT_EQ(conflicts, std::vector<size_t>{1});
  EXPECT_FALSE(w->settle());  // a few frames: far from the 1,000 that ask for the maintainer

  EXPECT_EQ(rows_in(db + "-src1", "source_record"), "3");
  EXPECT_EQ(rows_in(db + "-src1", "source_record_conflict"), "1");
  EXPECT_EQ(rows_in(db, "source_record"), "0");
  auto reader = open_sqlite_stores(db).value();
  EXPECT_EQ(reader->sources().count_source_records().value(), 3);
  auto versions = reader->sources().source_record_conflicts(kShard1Mn, 2011, 0, 99991231235959, 10).value();
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].cp, other);
  auto stored = reader->sources().source_records(kShard1Mn, 2011, 0, 99991231235959, 10).value();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].data_time, 20250101000000);
  EXPECT_EQ(stored[0].cp, a);  // the first version stays
  EXPECT_EQ(stored[0].qn, "");

  auto m = ingest().open_maintainer(1).value();
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->maintain(false).ok());
  EXPECT_TRUE(m->maintain(true).ok());
  EXPECT_EQ(rows_in(db + "-src1", "source_record"), "3");
}

// The day-loads' stale marks (store/api/source_day_loads.h) commit with the uploads, in the upload's shard
// file: a shard writer's batch marks each new upload's (MN, CN, day) once (two uploads of 2025-01-01 and one
// of 2025-01-02 in one batch: two marks of sequence 1); a duplicate or a conflicting version marks nothing;
// a later new upload of a day raises its mark (2). replace_day_loads stores rows and clears a mark only at
// the sequence it was read at: a day marked again in between stays marked.
TEST_F(SqliteSourceIngestTest, AWritersUploadsMarkTheirDaysInTheSameCommit) {
  ASSERT_TRUE(ingest().set_shards(2).ok());
  auto w = ingest().open_writer(1).value();
  const std::string a = "a21026-Rtd=1", b = "a21026-Rtd=2";
  const SourceRecordView batch[] = {view(kShard1Mn, 20250101000000, a), view(kShard1Mn, 20250101235930, a),
                                    view(kShard1Mn, 20250102000000, a)};
  EXPECT_EQ(w->insert(batch).value(), 3);
  EXPECT_EQ(rows_in(db + "-src1", "source_day_stale"), "2");
  EXPECT_EQ(rows_in(db, "source_day_stale"), "0");
  SourceDayLoadStore* days = day_loads_of(stores->sources());
  ASSERT_NE(days, nullptr);
  auto marks = days->stale_days(2011, 20250101, 20250131).value();
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].mn, kShard1Mn);
  EXPECT_EQ(marks[0].day, 20250101);
  EXPECT_EQ(marks[0].mark, 1);
  EXPECT_EQ(marks[1].day, 20250102);
  EXPECT_TRUE(days->stale_days(2011, 20250103, 20250131).value().empty());
  EXPECT_TRUE(days->stale_days(2061, 20250101, 20250131).value().empty());

  const SourceRecordView again[] = {view(kShard1Mn, 20250101000000, a), view(kShard1Mn, 20250102000000, b)};
  EXPECT_EQ(w->insert(again).value(), 0);  // a duplicate and a conflicting version
  EXPECT_EQ(days->stale_days(2011, 20250101, 20250131).value()[0].mark, 1);

  const SourceDay read[] = {marks[0], marks[1]};
  const SourceRecordView late[] = {view(kShard1Mn, 20250102120000, a)};
  EXPECT_EQ(w->insert(late).value(), 1);  // 2025-01-02 marked again: sequence 2
  const StoredDayLoad rows[] = {
      {.mn = kShard1Mn, .cn = 2011, .day = 20250101, .pollutant = ""},
      {.mn = kShard1Mn, .cn = 2011, .day = 20250101, .pollutant = "a21026", .kg = 1.5}};
  ASSERT_TRUE(days->replace_day_loads(read, rows).ok());
  marks = days->stale_days(2011, 20250101, 20250131).value();
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].day, 20250102);
  EXPECT_EQ(marks[0].mark, 2);
  EXPECT_EQ(rows_in(db + "-src1", "source_day_load"), "2");
  auto stored = days->day_loads(kShard1Mn, 2011, 20250101, 20250101).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1], rows[1]);
  EXPECT_TRUE(days->day_loads(kShard0Mn, 2011, 20250101, 20250101).value().empty());
}

// A store whose uploads were stored before the day-loads existed: opening it creates the tables and marks
// every stored upload's day stale (two days of one device), so the first reader computes them.
TEST_F(SqliteSourceIngestTest, UploadsStoredBeforeTheDayLoadsAreMarkedOnOpen) {
  const std::string a = "a21026-Rtd=1";
  const SourceRecordView batch[] = {view(kShard0Mn, 20250101000000, a), view(kShard0Mn, 20250102000000, a)};
  auto w = ingest().open_writer(0).value();
  EXPECT_EQ(w->insert(batch).value(), 2);
  w.reset();
  stores.reset();
  {
    auto f = testing::SqliteFile::open(db).value();
    ASSERT_TRUE(f->exec("DROP TABLE source_day_stale; DROP TABLE source_day_load").ok());
  }
  stores = open_sqlite_stores(db).value();
  auto marks = day_loads_of(stores->sources())->stale_days(2011, 20250101, 20250131).value();
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].day, 20250101);
  EXPECT_EQ(marks[1].day, 20250102);
}

// settle() asks for the maintainer once 1,000 WAL frames (4 KiB pages) were committed since it last asked:
// 1,200 records of 4,000-byte CPs take at least 1,200 pages; right after, nothing new: false.
TEST_F(SqliteSourceIngestTest, SettleAsksForMaintenanceAfterAThousandFrames) {
  auto w = ingest().open_writer(0).value();
  const std::string cp(4000, 'x');
  std::vector<SourceRecordView> batch;
  for (int i = 0; i < 1200; ++i) batch.push_back(view(kShard0Mn, 20250101000000 + i, cp));
  EXPECT_EQ(w->insert(batch).value(), 1200);
  EXPECT_TRUE(w->settle());
  EXPECT_FALSE(w->settle());
  auto m = ingest().open_maintainer(0).value();
  EXPECT_TRUE(m->maintain(false).ok());  // copies the WAL into the file beside the writer
  EXPECT_EQ(rows_in(db, "source_record"), "1200");
}

}  // namespace
}  // namespace ecomon
