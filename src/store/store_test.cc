#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <span>
#include <vector>

#include "store/block_codec.h"
#include "store/sqlite_store.h"
#ifdef ECOMON_STORE_TEST_CLICKHOUSE
#include "store/clickhouse/test_clickhouse.h"
#endif

namespace ecomon {
namespace {

// An HJ 212 minute upload of device `mn` at DataTime `t` (CN 2011, one value).
SourceRecord upload(const std::string& mn, int64_t t) {
  return {.mn = mn,
          .cn = 2011,
          .data_time = t,
          .qn = "20250101000000001",
          .received_ms = 1,
          .flag = 5,
          .cp = "DataTime=" + std::to_string(t) + ";a21026-Rtd=25.5,a21026-Flag=N"};
}

TEST(BlockCodec, RoundTripsExactly) {
  std::vector<Milli> v = {45000, kMissing, 0, 900, 1250, 63000, 64000, 2'000'000, kMissing, -3000};
  std::string bytes = encode_block(v);
  std::vector<Milli> back(v.size());
  ASSERT_TRUE(decode_block(bytes, back).ok());
  EXPECT_EQ(back, v);
  EXPECT_EQ(*block_size(bytes), v.size());
}

TEST(BlockCodec, WholeNumbersTakeAboutOneBytePerValue) {
  std::vector<Milli> v(744);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<Milli>((i % 60) * 1000);
  EXPECT_LT(encode_block(v).size(), 760u);  // 744 one-byte values + header
}

TEST(BlockCodec, RejectsCorruptBlocks) {
  std::vector<Milli> v = {1000, 2000, 3000};
  std::string bytes = encode_block(v);
  std::vector<Milli> out(3);
  EXPECT_EQ(decode_block(bytes.substr(0, 1), out).code(), StatusCode::kDataLoss);
  std::vector<Milli> wrong(4);
  EXPECT_EQ(decode_block(bytes, wrong).code(), StatusCode::kDataLoss);
  std::string bad = bytes;
  bad[0] = 9;  // unknown format version
  EXPECT_EQ(decode_block(bad, out).code(), StatusCode::kDataLoss);
  std::string cut = bytes;
  cut.back() = static_cast<char>(0x80);  // a varint that never ends
  EXPECT_EQ(decode_block(cut, out).code(), StatusCode::kDataLoss);
}

// ---- the store behaviour suite, over each backend ----
//
// One suite, parametric over a backend factory: "sqlite" (one SqliteStore for everything) and, in the
// cluster build of this file (store_cluster_test, ctest label `cluster`), "clickhouse": the time series and
// the uploads on the 2-shard cluster named by ECOMON_TEST_CLICKHOUSE=host:port,host:port (skipped with a
// message when unset), stations and devices in a SQLite store (PostgreSQL's part in the cluster).

struct Backend {
  std::unique_ptr<SqliteStore> sqlite;  // records (stations, devices); everything for "sqlite"
  TimeSeriesStore* series = nullptr;
  SourceStore* sources = nullptr;
#ifdef ECOMON_STORE_TEST_CLICKHOUSE
  std::unique_ptr<ClickHouseCluster> cluster;
  std::unique_ptr<ClickHouseTimeSeries> ch_series;
  std::unique_ptr<ClickHouseSourceUploads> ch_uploads;
  std::unique_ptr<SourceStoreOf> ch_sources;
  ~Backend() {
    if (cluster) (void)cluster->drop_database();
  }
#endif
};

class StoreSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto s = SqliteStore::open(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().message();
    be.sqlite = std::move(*s);
    be.series = be.sqlite.get();
    be.sources = be.sqlite.get();
    if (GetParam() == "sqlite") return;
#ifdef ECOMON_STORE_TEST_CLICKHOUSE
    std::string why;
    auto cfg = test_clickhouse_config("ecomon_test", why);
    if (!cfg) GTEST_SKIP() << why;
    auto c = ClickHouseCluster::open(*cfg);
    ASSERT_TRUE(c.ok()) << c.status().message();
    be.cluster = std::move(*c);
    be.ch_series = std::make_unique<ClickHouseTimeSeries>(*be.cluster);
    be.ch_uploads = std::make_unique<ClickHouseSourceUploads>(*be.cluster);
    be.ch_sources = std::make_unique<SourceStoreOf>(*be.sqlite, *be.ch_uploads);
    be.series = be.ch_series.get();
    be.sources = be.ch_sources.get();
#endif
  }
  RecordStore& records() { return *be.sqlite; }
  TimeSeriesStore& series() { return *be.series; }
  SourceStore& sources() { return *be.sources; }
  HourlyBlock block(int64_t station, MonthKey m) {
    return HourlyBlock{station, Pollutant::kPM25, m,
                       std::vector<Milli>(static_cast<size_t>(m.hours()), kMissing)};
  }
  static SourceRecord rec(const std::string& mn, int64_t t) { return upload(mn, t); }
  // new, same, conflicting
  static std::vector<int64_t> counts(const MergeStats& s) {
    return {s.values_new, s.values_same, s.values_conflicting};
  }
  Backend be;
};

TEST_P(StoreSuite, MergeFillsGapsKeepsStoredValuesAndReportsConflicts) {
  ASSERT_TRUE(records().begin_write().ok());
  int64_t sid = *records().upsert_station(StationInfo{0, "2160A", "", "晋城", {}, {}, false, true});
  MonthKey jan = MonthKey::of(2019, 1);
  HourlyBlock b = block(sid, jan);
  b.values[0] = 40000;
  b.values[1] = 41000;
  MergeStats s1;
  ASSERT_TRUE(series().merge_hourly({&b, 1}, s1, nullptr).ok());
  EXPECT_EQ(s1.values_new, 2);
  EXPECT_EQ(s1.blocks_written, 1);
  // Same values again: nothing changes (idempotent import).
  MergeStats s2;
  ASSERT_TRUE(series().merge_hourly({&b, 1}, s2, nullptr).ok());
  EXPECT_EQ(s2.values_new, 0);
  EXPECT_EQ(s2.values_same, 2);
  EXPECT_EQ(s2.blocks_written, 0);
  // A different value for hour 1 and a new one for hour 2.
  HourlyBlock c = block(sid, jan);
  c.values[1] = 99000;
  c.values[2] = 42000;
  MergeStats s3;
  std::vector<HourConflict> conflicts;
  ASSERT_TRUE(series().merge_hourly({&c, 1}, s3, &conflicts).ok());
  EXPECT_EQ(s3.values_new, 1);
  EXPECT_EQ(s3.values_conflicting, 1);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].stored, 41000);
  EXPECT_EQ(conflicts[0].incoming, 99000);
  EXPECT_EQ(conflicts[0].hour, jan.first_hour() + 1);
  ASSERT_TRUE(records().commit().ok());
  std::vector<Milli> out;
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM25, jan.first_hour(), 4, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{40000, 41000, 42000, kMissing}));
  // The other pollutants of the station: nothing stored.
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kO3, jan.first_hour(), 2, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{kMissing, kMissing}));
}

// Blocks of one batch with the same key see each other, as when merged one by one: the second block's hour 0
// (7000) is a conflict with the first's (5000), its hour 1 new; hour 0 of the third (5000) is the same.
// Counts: new 1 + 1 = 2, same 1, conflicting 1.
TEST_P(StoreSuite, BlocksOfOneBatchWithTheSameKeySeeEachOther) {
  ASSERT_TRUE(records().begin_write().ok());
  int64_t sid = *records().upsert_station(StationInfo{0, "A", "", "", {}, {}, false, false});
  MonthKey feb = MonthKey::of(2020, 2);  // a leap February: 29 days, 696 hours
  HourlyBlock x = block(sid, feb), y = block(sid, feb), z = block(sid, feb);
  x.values[0] = 5000;
  y.values[0] = 7000;
  y.values[1] = 6000;
  z.values[0] = 5000;
  std::vector<HourlyBlock> all = {x, y, z};
  MergeStats s;
  std::vector<HourConflict> conflicts;
  ASSERT_TRUE(series().merge_hourly(all, s, &conflicts).ok());
  EXPECT_EQ(s.values_new, 2);
  EXPECT_EQ(s.values_same, 1);
  EXPECT_EQ(s.values_conflicting, 1);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].stored, 5000);
  EXPECT_EQ(conflicts[0].incoming, 7000);
  ASSERT_TRUE(records().commit().ok());
  std::vector<Milli> out;
  Hour last = feb.first_hour() + 695;  // 2020-02-29 24:00
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM25, feb.first_hour(), 3, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{5000, 6000, kMissing}));
  EXPECT_EQ(last.to_string(), "2020-02-29 24:00");
}

// Single hours (an HJ 212 station's hourly uploads, merge_hours) follow merge_hourly's rule and counts, and
// every read sees them, before and after they are folded into their block. Station "H" (SQLite id 1: its
// fold hour is hour-ending 2, 1 mod 24 = 1 -> the index-1 hour of a day, 01:00-02:00). Hours of 2019-03-05:
//   batch 1: 01:00 PM2.5 35000 (a gap: new), 01:00 PM10 70000 (new), 03:00 PM2.5 kMissing (skipped),
//            01:00 PM2.5 36000 again (differs from the 35000 just stored: a conflict, 35000 kept);
//   then a block of March with 01:00 = 35000 (same) and 04:00 = 37000 (new);
//   batch 2: 02:00 PM2.5 40000 (new; hour-ending 2 is the station's fold hour), 04:00 PM2.5 37000 (same),
//            2019-02-28 24:00 PM2.5 30000 (new, the month before: extent from 2019-02-01).
TEST_P(StoreSuite, SingleHoursAreMergedLikeBlocksAndReadBack) {
  ASSERT_TRUE(records().begin_write().ok());
  int64_t sid = *records().upsert_station(StationInfo{0, "H", "", "", {}, {}, false, false});
  const CivilDay day = CivilDay::from_ymd(2019, 3, 5);
  const Hour h1 = Hour::ending(day, 1), h2 = Hour::ending(day, 2), h3 = Hour::ending(day, 3),
             h4 = Hour::ending(day, 4);
  std::vector<HourValue> first = {{sid, Pollutant::kPM25, h1, 35000},
                                  {sid, Pollutant::kPM10, h1, 70000},
                                  {sid, Pollutant::kPM25, h3, kMissing},
                                  {sid, Pollutant::kPM25, h1, 36000}};
  MergeStats s1;
  std::vector<HourConflict> conflicts;
  ASSERT_TRUE(series().merge_hours(first, s1, &conflicts).ok());
  EXPECT_EQ(counts(s1), (std::vector<int64_t>{2, 0, 1}));
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].hour, h1);
  EXPECT_EQ(conflicts[0].stored, 35000);
  EXPECT_EQ(conflicts[0].incoming, 36000);
  // A block over the single hours: they are what is stored.
  const MonthKey mar = MonthKey::of(2019, 3);
  HourlyBlock b = block(sid, mar);
  b.values[static_cast<size_t>(h1 - mar.first_hour())] = 35000;
  b.values[static_cast<size_t>(h4 - mar.first_hour())] = 37000;
  MergeStats s2;
  ASSERT_TRUE(series().merge_hourly({&b, 1}, s2, nullptr).ok());
  EXPECT_EQ(counts(s2), (std::vector<int64_t>{1, 1, 0}));
  std::vector<HourValue> second = {
      {sid, Pollutant::kPM25, h2, 40000},
      {sid, Pollutant::kPM25, h4, 37000},
      {sid, Pollutant::kPM25, Hour::ending(CivilDay::from_ymd(2019, 2, 28), 24), 30000}};
  MergeStats s3;
  ASSERT_TRUE(series().merge_hours(second, s3, nullptr).ok());
  EXPECT_EQ(counts(s3), (std::vector<int64_t>{2, 1, 0}));
  ASSERT_TRUE(records().commit().ok());
  std::vector<Milli> out;
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM25, h1 - 97, 101, out).ok());  // from 2019-02-28 24:00
  std::vector<Milli> want(101, kMissing);
  want[0] = 30000;                                        // 2019-02-28 24:00
  want[97] = 35000, want[98] = 40000, want[100] = 37000;  // 03-05 01:00, 02:00, 04:00
  EXPECT_EQ(out, want);
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM10, h1, 2, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{70000, kMissing}));
  auto extent = series().hourly_extent(sid);
  ASSERT_TRUE(extent.ok() && extent->has_value());
  EXPECT_EQ((*extent)->to_string(), "2019-02-01..2019-03-31");
  // Sent again: nothing new.
  MergeStats s4;
  ASSERT_TRUE(records().begin_write().ok());
  ASSERT_TRUE(series().merge_hours(second, s4, nullptr).ok());
  ASSERT_TRUE(records().commit().ok());
  EXPECT_EQ(counts(s4), (std::vector<int64_t>{0, 3, 0}));
}

TEST_P(StoreSuite, ReadsAcrossMonthBoundaries) {
  ASSERT_TRUE(records().begin_write().ok());
  int64_t sid = *records().upsert_station(StationInfo{0, "X", "", "", {}, {}, false, false});
  HourlyBlock jan = block(sid, MonthKey::of(2019, 1)), feb = block(sid, MonthKey::of(2019, 2));
  jan.values.back() = 7000;   // 2019-01-31 24:00
  feb.values.front() = 8000;  // 2019-02-01 01:00
  std::vector<HourlyBlock> both = {jan, feb};
  MergeStats s;
  ASSERT_TRUE(series().merge_hourly(both, s, nullptr).ok());
  EXPECT_EQ(s.blocks_written, 2);
  ASSERT_TRUE(records().commit().ok());
  std::vector<Milli> out;
  Hour from = Hour::ending(CivilDay::from_ymd(2019, 1, 31), 23);
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM25, from, 3, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{kMissing, 7000, 8000}));
  auto extent = series().hourly_extent(sid);
  ASSERT_TRUE(extent.ok() && extent->has_value());
  EXPECT_EQ((*extent)->to_string(), "2019-01-01..2019-02-28");
  auto none = series().hourly_extent(sid + 1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(series().read_hourly(sid, Pollutant::kPM25, from, 0, out).ok());
  EXPECT_TRUE(out.empty());
}

// Reads of several stations and pollutants, interleaved and repeated, each see their own values, and a
// merge between two reads of the same hours is seen by the second (the ClickHouse store reads ahead over
// neighbouring station ids: this checks it never serves one station's or pollutant's values for another,
// nor a value from before a merge through the same store). Value of station i, pollutant p at hour 0:
// 1000 * (10 * i + p), e.g. station 3 (index 2), PM2.5 (index 3) -> 1000 * 23 = 23000.
TEST_P(StoreSuite, ReadsOfManyStationsAndPollutantsSeeTheirOwnValues) {
  ASSERT_TRUE(records().begin_write().ok());
  std::vector<int64_t> ids;
  for (const char* code : {"S1", "S2", "S3", "S4", "S5"})
    ids.push_back(*records().upsert_station(StationInfo{0, code, "", "", {}, {}, false, false}));
  const MonthKey may = MonthKey::of(2019, 5);
  std::vector<HourlyBlock> blocks;
  for (size_t i = 0; i < ids.size(); ++i) {
    for (Pollutant p : kAllPollutants) {
      HourlyBlock bl{ids[i], p, may, std::vector<Milli>(744, kMissing)};
      bl.values[0] = 1000 * (10 * static_cast<Milli>(i) + index_of(p));
      blocks.push_back(bl);
    }
  }
  MergeStats s;
  ASSERT_TRUE(series().merge_hourly(blocks, s, nullptr).ok());
  EXPECT_EQ(s.values_new, 30);
  ASSERT_TRUE(records().commit().ok());
  std::vector<Milli> out;
  const auto at0 = [&](size_t i, Pollutant p) {
    EXPECT_TRUE(series().read_hourly(ids[i], p, may.first_hour(), 2, out).ok());
    return out.at(0);
  };
  EXPECT_EQ(at0(0, Pollutant::kPM25), 3000);
  EXPECT_EQ(at0(2, Pollutant::kPM25), 23000);
  EXPECT_EQ(at0(0, Pollutant::kPM25), 3000);  // the same read again
  EXPECT_EQ(at0(4, Pollutant::kO3), 45000);
  EXPECT_EQ(at0(1, Pollutant::kSO2), 10000);
  EXPECT_EQ(at0(3, Pollutant::kCO), 34000);
  EXPECT_EQ(out.at(1), kMissing);
  // Hour 1 of station 2's SO2 filled by a merge: the next read sees it.
  HourlyBlock more{ids[1], Pollutant::kSO2, may, std::vector<Milli>(744, kMissing)};
  more.values[1] = 777;
  ASSERT_TRUE(records().begin_write().ok());
  ASSERT_TRUE(series().merge_hourly({&more, 1}, s, nullptr).ok());
  ASSERT_TRUE(records().commit().ok());
  EXPECT_EQ(at0(1, Pollutant::kSO2), 10000);
  EXPECT_EQ(out.at(1), 777);
  EXPECT_EQ(at0(2, Pollutant::kPM25), 23000);
}

TEST_P(StoreSuite, ABlockOfTheWrongSizeIsRefused) {
  ASSERT_TRUE(records().begin_write().ok());
  HourlyBlock b = block(1, MonthKey::of(2019, 4));  // April: 720 hours
  b.values.resize(744);
  MergeStats s;
  Status st = series().merge_hourly({&b, 1}, s, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("has 744 values, expected 720"), std::string::npos) << st.message();
  records().rollback();
}

// Four uploads, the last repeating the first: three stored; reads of a device oldest first; the newest of
// each device in MN order; another CP for a stored key kept once as a conflict, an identical re-send nothing.
TEST_P(StoreSuite, SourceRecordsAreStoredOnceAndOtherVersionsKeptAsConflicts) {
  const std::string m0 = "E0C000000000000000000000";  // FNV-1a shard 1 of 2 (SourceShards below)
  const std::string m1 = "E0C000000000000000000001";  // shard 0 of 2
  std::vector<SourceRecord> recs = {rec(m0, 20250101000000), rec(m1, 20250101000000), rec(m0, 20250101010000),
                                    rec(m0, 20250101000000)};
  auto added = sources().insert_source_records(recs);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(*added, 3);
  EXPECT_EQ(*sources().insert_source_records(recs), 0);  // the same again: nothing new
  EXPECT_EQ(*sources().count_source_records(), 3);
  auto m0s = sources().source_records(m0, 2011, 0, 30000000000000, 10);
  ASSERT_TRUE(m0s.ok()) << m0s.status().message();
  ASSERT_EQ(m0s->size(), 2u);
  EXPECT_EQ((*m0s)[0].data_time, 20250101000000);
  EXPECT_EQ((*m0s)[1].data_time, 20250101010000);
  EXPECT_EQ((*m0s)[1].cp, "DataTime=20250101010000;a21026-Rtd=25.5,a21026-Flag=N");
  EXPECT_EQ((*m0s)[1].qn, "20250101000000001");
  EXPECT_EQ((*m0s)[1].flag, 5);
  EXPECT_EQ(sources().source_records(m0, 2011, 0, 30000000000000, 1)->size(), 1u);  // limit
  EXPECT_EQ(sources().source_records(m0, 0, 20250101010000, 20250101010000, 10)->size(),
            1u);  // any CN, one time
  EXPECT_TRUE(sources().source_records(m0, 2051, 0, 30000000000000, 10)->empty());
  auto latest = sources().latest_source_records(2011);
  ASSERT_TRUE(latest.ok()) << latest.status().message();
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].mn, m0);
  EXPECT_EQ((*latest)[0].data_time, 20250101010000);
  EXPECT_EQ((*latest)[1].mn, m1);
  EXPECT_TRUE(sources().latest_source_records(2051)->empty());

  SourceRecord other = rec(m1, 20250101000000);
  other.cp = "DataTime=20250101000000;a21026-Rtd=30.1,a21026-Flag=N";
  other.received_ms = 2;
  SourceRecord third = other;
  third.cp = "DataTime=20250101000000;a21026-Rtd=1.0,a21026-Flag=N";
  third.received_ms = 3;
  const std::vector<SourceRecord> resent = {rec(m1, 20250101000000), other, other, third};
  EXPECT_EQ(*sources().insert_source_records(resent), 0);
  EXPECT_EQ(*sources().insert_source_records(resent), 0);
  auto versions = sources().source_record_conflicts(m1, 2011, 0, 99991231235959, 10);
  ASSERT_TRUE(versions.ok()) << versions.status().message();
  ASSERT_EQ(versions->size(), 2u);  // received_ms order
  EXPECT_EQ((*versions)[0].cp, other.cp);
  EXPECT_EQ((*versions)[1].cp, third.cp);
  EXPECT_EQ(*sources().count_source_records(), 3);
  EXPECT_EQ(sources().source_records(m1, 2011, 0, 99991231235959, 10)->at(0).cp,
            "DataTime=20250101000000;a21026-Rtd=25.5,a21026-Flag=N");  // the first version stays the record
}

// Text is stored byte for byte: quotes, backslashes, tabs, newlines, CR, non-ASCII and a non-UTF-8 byte in
// MN, QN and CP (not NUL: SQLite's text reads stop there; the ClickHouse client's own test covers it).
TEST_P(StoreSuite, SourceRecordTextRoundTripsByteForByte) {
  SourceRecord r = rec("MN'\\\t\n", 20250102000000);
  r.qn = "q'x\\0";
  r.cp = "CP=晋城;\\N;'';\r\n\t\xff";
  ASSERT_EQ(*sources().insert_source_records({&r, 1}), 1);
  auto back = sources().source_records(r.mn, 0, 0, 99991231235959, 10);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].mn, r.mn);
  EXPECT_EQ((*back)[0].qn, r.qn);
  EXPECT_EQ((*back)[0].cp, r.cp);
  EXPECT_EQ(*sources().insert_source_records({&r, 1}), 0);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(std::string("sqlite")));
#ifdef ECOMON_STORE_TEST_CLICKHOUSE
INSTANTIATE_TEST_SUITE_P(ClickHouse, StoreSuite, ::testing::Values(std::string("clickhouse")));
#endif

// SQLite only: its writes are transactional (ClickHouse's are not, see store/clickhouse/clickhouse_store.h).
TEST(SqliteStoreTx, RolledBackWritesLeaveNothing) {
  auto store = SqliteStore::open(":memory:").value();
  ASSERT_TRUE(store->begin_write().ok());
  int64_t sid = *store->upsert_station(StationInfo{0, "X", "", "", {}, {}, false, false});
  HourlyBlock b{sid, Pollutant::kPM25, MonthKey::of(2019, 3), std::vector<Milli>(744, kMissing)};
  b.values[5] = 1000;
  MergeStats s;
  ASSERT_TRUE(store->merge_hourly({&b, 1}, s, nullptr).ok());
  store->rollback();
  EXPECT_TRUE(store->all_stations()->empty());
  EXPECT_FALSE(store->merge_hourly({&b, 1}, s, nullptr).ok());  // no transaction open
}

// Stations and cities on every SQL backend: record_store_test.cc.

// SQLite writes single hours as rows of air_hour, not month blocks, and folds a station-pollutant's rows into
// its block at the station's fold hour (hour index station_id mod 24 of a day) or when merge_hourly writes
// the block. Station id 1 (the first of a fresh store): fold hour index 1 = hour-ending 2.
TEST(SqliteStoreHours, SingleHoursAreRowsUntilFolded) {
  auto s = SqliteStore::open(":memory:");
  ASSERT_TRUE(s.ok());
  SqliteStore& st = **s;
  ASSERT_TRUE(st.exec("SELECT 1 FROM air_hour").ok());  // migration 13
  ASSERT_TRUE(st.begin_write().ok());
  int64_t sid = *st.upsert_station(StationInfo{0, "F", "", "", {}, {}, false, false});
  ASSERT_EQ(sid, 1);
  const CivilDay day = CivilDay::from_ymd(2025, 6, 1);
  std::vector<HourValue> v = {{sid, Pollutant::kO3, Hour::ending(day, 5), 120000},
                              {sid, Pollutant::kSO2, Hour::ending(day, 5), 8000}};
  MergeStats m1;
  ASSERT_TRUE(st.merge_hours(v, m1, nullptr).ok());
  EXPECT_EQ(m1.values_new, 2);
  EXPECT_EQ(m1.blocks_written, 0);  // rows, no block
  // Hour-ending 2 of the next day is the fold hour: O3's two rows go into its block (1 block written);
  // SO2 got nothing in this call, its row stays.
  std::vector<HourValue> w = {{sid, Pollutant::kO3, Hour::ending(day + 1, 2), 110000}};
  MergeStats m2;
  ASSERT_TRUE(st.merge_hours(w, m2, nullptr).ok());
  EXPECT_EQ(m2.values_new, 1);
  EXPECT_EQ(m2.blocks_written, 1);
  // An import's block of SO2 folds its row too (new 1 from the block, written 1).
  HourlyBlock b{sid, Pollutant::kSO2, MonthKey::of(2025, 6), std::vector<Milli>(720, kMissing)};
  b.values[0] = 9000;  // 2025-06-01 01:00
  MergeStats m3;
  ASSERT_TRUE(st.merge_hourly({&b, 1}, m3, nullptr).ok());
  EXPECT_EQ(m3.values_new, 1);
  EXPECT_EQ(m3.blocks_written, 1);
  ASSERT_TRUE(st.commit().ok());
  std::vector<Milli> out;
  ASSERT_TRUE(st.read_hourly(sid, Pollutant::kO3, Hour::ending(day, 5), 22, out).ok());
  EXPECT_EQ(out.front(), 120000);
  EXPECT_EQ(out.back(), 110000);  // day + 1, hour-ending 2: 24 + 1 - 4 = 21 hours after day's hour-ending 5
  ASSERT_TRUE(st.read_hourly(sid, Pollutant::kSO2, Hour::ending(day, 1), 5, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{9000, kMissing, kMissing, kMissing, 8000}));
}

TEST(SqliteStoreOpen, ClearErrorForAnUnopenablePath) {
  auto s = SqliteStore::open("/nonexistent-dir/x/ecomon.db");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/nonexistent-dir/x/ecomon.db"), std::string::npos);
}

// ---- source-record shards ----

// FNV-1a (32 bit): h = 2166136261; for each byte h = (h ^ byte) * 16777619 mod 2^32. The published test
// vector for "a" is 0xe40c292c (3826002220), even: shard 0 of 2. For the simulator's first MNs (worked out
// the same way): E0C0...00 0xf4c2520b -> 1 of 2, 0 of 3; E0C0...01 0xf3c25078 -> 0 of 2, 1 of 3; E0C0...03
// 0xf5c2539e -> 0, 2.
TEST(SourceShards, ADeviceHashesToAFixedShard) {
  EXPECT_EQ(SqliteStore::source_shard_of("a", 2), 0);
  EXPECT_EQ(SqliteStore::source_shard_of("E0C000000000000000000000", 2), 1);
  EXPECT_EQ(SqliteStore::source_shard_of("E0C000000000000000000000", 3), 0);
  EXPECT_EQ(SqliteStore::source_shard_of("E0C000000000000000000001", 2), 0);
  EXPECT_EQ(SqliteStore::source_shard_of("E0C000000000000000000001", 3), 1);
  EXPECT_EQ(SqliteStore::source_shard_of("E0C000000000000000000003", 3), 2);
  EXPECT_EQ(SqliteStore::source_shard_of("anything", 1), 0);
  EXPECT_EQ(SqliteStore::source_shard_path("/x/e.db", 0), "/x/e.db");
  EXPECT_EQ(SqliteStore::source_shard_path("/x/e.db", 2), "/x/e.db-src2");
}

class SourceShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("ecomon_shards_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db = (dir / "s.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  static SourceRecord rec(const std::string& mn, int64_t t) { return upload(mn, t); }
  // Rows of source_record in one file, read without the store (which would see every shard).
  static int64_t rows_in(const std::string& file, const std::string& mn) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw, "SELECT count(*) FROM source_record WHERE mn=?1", -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, mn.c_str(), -1, SQLITE_TRANSIENT);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return n;
  }
  std::filesystem::path dir;
  std::string db;
};

TEST_F(SourceShardTest, RecordsGoToTheirDevicesShardAndReadersSeeAll) {
  const std::string m0 = "E0C000000000000000000000";  // shard 1 of 2 (above)
  const std::string m1 = "E0C000000000000000000001";  // shard 0 of 2
  auto s = SqliteStore::open(db);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto before = SqliteStore::open(db);  // opened while the store had one shard
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*s)->source_shards(), 1);
  EXPECT_EQ((*s)->set_source_shards(0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*s)->set_source_shards(9).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*s)->set_source_shards(2).ok());
  EXPECT_TRUE(std::filesystem::exists(db + "-src1"));
  std::vector<SourceRecord> recs = {rec(m0, 20250101000000), rec(m1, 20250101000000), rec(m0, 20250101010000),
                                    rec(m0, 20250101000000)};  // the last repeats the first: stored once
  auto added = (*s)->insert_source_records(std::span<const SourceRecord>(recs));
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(*added, 3);
  EXPECT_EQ(rows_in(db + "-src1", m0), 2);
  EXPECT_EQ(rows_in(db, m0), 0);
  EXPECT_EQ(rows_in(db, m1), 1);
  EXPECT_EQ(rows_in(db + "-src1", m1), 0);
  // Readers: this connection, the one opened before the change, and a new one see all three.
  for (SqliteStore* r : {s->get(), before->get()}) {
    EXPECT_EQ(*r->count_source_records(), 3);
    auto m0s = r->source_records(m0, 2011, 0, 30000000000000, 10);
    ASSERT_TRUE(m0s.ok());
    ASSERT_EQ(m0s->size(), 2u);
    EXPECT_EQ((*m0s)[1].data_time, 20250101010000);
    auto latest = r->latest_source_records(2011);
    ASSERT_TRUE(latest.ok());
    ASSERT_EQ(latest->size(), 2u);  // one per device, in MN order across the shards
    EXPECT_EQ((*latest)[0].mn, m0);
    EXPECT_EQ((*latest)[0].data_time, 20250101010000);
    EXPECT_EQ((*latest)[1].mn, m1);
  }
  auto again = SqliteStore::open(db);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->source_shards(), 2);
  EXPECT_EQ(*(*again)->count_source_records(), 3);
  // With records stored the number is fixed: a device's records must stay in one shard.
  Status more = (*again)->set_source_shards(3);
  EXPECT_EQ(more.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(more.message().find("already holds 3 source records"), std::string::npos) << more.message();
  EXPECT_EQ((*again)->set_source_shards(1).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*again)->set_source_shards(2).ok());  // unchanged: fine
}

TEST_F(SourceShardTest, AWritersConnectionInsertsAndRestartsItsWal) {
  ASSERT_TRUE(SqliteStore::open(db).value()->set_source_shards(2).ok());
  auto w = SourceShardConnection::open(db, 1, SourceShardConnection::Role::kWriter, 8);
  ASSERT_TRUE(w.ok()) << w.status().message();
  auto ck = SourceShardConnection::open(db, 1, SourceShardConnection::Role::kCheckpointer);
  ASSERT_TRUE(ck.ok()) << ck.status().message();
  const std::string m0 = "E0C000000000000000000000";
  const std::vector<SourceRecord> recs = {rec(m0, 20250101000000), rec(m0, 20250101010000)};
  std::vector<SourceRecordView> views;
  for (const SourceRecord& r : recs)
    views.push_back({r.mn, r.cn, r.data_time, r.qn, r.received_ms, r.flag, r.cp});
  EXPECT_EQ((*w)->insert(views).value(), 2);
  EXPECT_EQ((*w)->insert(views).value(), 0);  // duplicates: nothing new
  EXPECT_GT((*w)->wal_frames(), 0);           // the commits are in the WAL, not yet in the file
  EXPECT_TRUE((*ck)->checkpoint().ok());      // passive: copies them
  EXPECT_TRUE((*w)->checkpoint().ok());       // restart: nothing in the way
  EXPECT_EQ((*w)->wal_frames(), 0);
  EXPECT_EQ(rows_in(db + "-src1", m0), 2);
  EXPECT_EQ(*SqliteStore::open(db).value()->count_source_records(), 2);
  // A reader in the middle of a snapshot is in the way of a restart: kUnavailable at once, no wait.
  EXPECT_EQ((*w)->insert(std::span<const SourceRecordView>(views).subspan(0, 1)).value(), 0);
  auto reader = SqliteStore::open(db).value();
  ASSERT_TRUE(reader->exec("BEGIN").ok());
  ASSERT_EQ(*reader->count_source_records(), 2);  // holds a read snapshot of both shards
  const SourceRecord late = rec(m0, 20250101020000);
  const SourceRecordView lv{late.mn, late.cn, late.data_time, late.qn, late.received_ms, late.flag, late.cp};
  EXPECT_EQ((*w)->insert(std::span<const SourceRecordView>(&lv, 1)).value(), 1);
  EXPECT_EQ((*w)->checkpoint().code(), StatusCode::kUnavailable);
  ASSERT_TRUE(reader->exec("COMMIT").ok());
  EXPECT_TRUE((*w)->checkpoint().ok());
  EXPECT_EQ(rows_in(db + "-src1", m0), 3);
}

// Issue 15: a re-sent record with the same key but another CP is kept in source_record_conflict (once per
// version), on a store created before that table existed (its old WITHOUT ROWID source_record, no conflict
// table), through the store and through a shard writer's connection; an identical re-send changes nothing.
TEST_F(SourceShardTest, OtherVersionsOfARecordAreKeptAsConflictsOnAnOldStore) {
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(raw,
                     "CREATE TABLE source_record(mn TEXT NOT NULL, cn INTEGER NOT NULL, data_time INTEGER "
                     "NOT NULL, qn TEXT NOT NULL DEFAULT '', received_ms INTEGER NOT NULL, flag INTEGER NOT "
                     "NULL DEFAULT 0, cp TEXT NOT NULL, PRIMARY KEY(mn, cn, data_time)) WITHOUT ROWID;"
                     "INSERT INTO source_record VALUES('E0C000000000000000000001', 2011, 20250101000000, "
                     "'q', 1, 5, 'DataTime=20250101000000;a21026-Rtd=25.5,a21026-Flag=N')",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
  }
  const std::string mn = "E0C000000000000000000001";
  auto s = SqliteStore::open(db);
  ASSERT_TRUE(s.ok()) << s.status().message();
  SourceRecord other = rec(mn, 20250101000000);
  other.cp = "DataTime=20250101000000;a21026-Rtd=30.1,a21026-Flag=N";
  const std::vector<SourceRecord> batch = {rec(mn, 20250101000000), other, other};
  auto added = (*s)->insert_source_records(batch);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(*added, 0);  // the key was stored before
  auto versions = (*s)->source_record_conflicts(mn, 2011, 0, 99991231235959, 10);
  ASSERT_TRUE(versions.ok()) << versions.status().message();
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].cp, other.cp);
  EXPECT_EQ(*(*s)->count_source_records(), 1);

  // A writer's connection reports which records of its batch were new versions (their indices).
  auto w = SourceShardConnection::open(db, 0, SourceShardConnection::Role::kWriter, 8);
  ASSERT_TRUE(w.ok()) << w.status().message();
  SourceRecordView third{.mn = mn,
                         .cn = 2011,
                         .data_time = 20250101000000,
                         .qn = "q3",
                         .received_ms = 2,
                         .flag = 5,
                         .cp = "DataTime=20250101000000;a21026-Rtd=1.0,a21026-Flag=N"};
  SourceRecordView again = third;
  std::vector<SourceRecordView> views = {third, again};
  std::vector<size_t> conflicts;
  auto n = (*w)->insert(std::span<const SourceRecordView>(views), &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(conflicts, (std::vector<size_t>{0}));  // the second is an identical re-send of the first
  EXPECT_EQ((*s)->source_record_conflicts(mn, 2011, 0, 99991231235959, 10)->size(), 2u);
}

TEST(SourceShardOpen, ClearErrorForAnUnopenableShard) {
  auto w =
      SourceShardConnection::open("/nonexistent-dir/x/ecomon.db", 1, SourceShardConnection::Role::kWriter);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("/nonexistent-dir/x/ecomon.db-src1"), std::string::npos);
  auto m = SqliteStore::open(":memory:").value();
  EXPECT_EQ(m->set_source_shards(2).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon
