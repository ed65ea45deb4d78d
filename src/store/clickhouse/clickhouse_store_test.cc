// The ClickHouse store against a real cluster (ctest label `cluster`): ECOMON_TEST_CLICKHOUSE=host:port,...
// names one endpoint per shard (scripts/cluster/clickhouse.sh up DIR prints it); skipped when unset. Each
// test works in a database of its own, dropped at the end. The behaviour shared with SQLite is
// store_cluster_test (../store_test.cc); here: what only a cluster has.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "store/block_codec.h"
#include "store/clickhouse/test_clickhouse.h"

namespace ecomon {
namespace {

class ClickHouseCluster2 : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto cfg = test_clickhouse_config("ecomon_chtest", why);
    if (!cfg) GTEST_SKIP() << why;
    config = *cfg;
    ASSERT_EQ(config.shards.size(), 2u) << "these tests expect 2 shards";
    auto c = ClickHouseCluster::open(config);
    ASSERT_TRUE(c.ok()) << c.status().message();
    cluster = std::move(*c);
  }
  void TearDown() override {
    if (cluster) {
      EXPECT_TRUE(cluster->drop_database().ok());
    }
  }
  // count() of `sql` on shard k's server.
  int64_t count_on(int k, const std::string& sql) {
    auto body = cluster->shard(k).query(sql + " FORMAT RowBinary");
    EXPECT_TRUE(body.ok()) << body.status().message();
    if (!body.ok()) return -1;
    RowBinaryReader r(*body, sql);
    uint64_t n = 0;
    EXPECT_TRUE(r.u64(n).ok());
    return static_cast<int64_t>(n);
  }
  ClickHouseConfig config;
  std::unique_ptr<ClickHouseCluster> cluster;
};

// Every byte value, and the escapes' characters, come back from the server exactly as bound.
TEST_F(ClickHouseCluster2, EveryByteRoundTripsThroughALiteral) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (const std::string& v : {all, std::string("'\\''\\\\"), std::string("?"), std::string()}) {
    auto sql = sql_bind("SELECT ? FORMAT RowBinary", {std::string_view(v)});
    ASSERT_TRUE(sql.ok());
    auto body = cluster->shard(0).query(*sql);
    ASSERT_TRUE(body.ok()) << body.status().message();
    RowBinaryReader r(*body, "literal");
    std::string back;
    ASSERT_TRUE(r.str(back).ok());
    EXPECT_EQ(back, v);
    EXPECT_TRUE(r.done());
  }
}

// Stations 1 and 2 are on shards 2 and 1 (id mod 2: 1 -> index 1, 2 -> index 0); devices m0 and m1 on
// shards 2 and 1 (FNV-1a mod 2, store_test's SourceShards). Each local table holds its shard's rows only;
// the Distributed tables, queried on either server, see both.
TEST_F(ClickHouseCluster2, TheDistributedTablesSeeRowsOfBothShards) {
  EXPECT_EQ(cluster->shard_of_station(1), 1);
  EXPECT_EQ(cluster->shard_of_station(2), 0);
  ClickHouseTimeSeries series(*cluster);
  std::vector<HourlyBlock> blocks;
  for (int64_t sid : {1, 2}) {
    HourlyBlock b{sid, Pollutant::kNO2, MonthKey::of(2019, 6), std::vector<Milli>(720, kMissing)};
    b.values[10] = 33000 + sid;
    blocks.push_back(b);
  }
  MergeStats stats;
  ASSERT_TRUE(series.merge_hourly(blocks, stats, nullptr).ok());
  EXPECT_EQ(stats.values_new, 2);
  EXPECT_EQ(stats.blocks_written, 2);
  const std::string db = config.database;
  EXPECT_EQ(count_on(0, "SELECT count() FROM " + db + ".air_hourly_local WHERE station_id = 2"), 1);
  EXPECT_EQ(count_on(0, "SELECT count() FROM " + db + ".air_hourly_local WHERE station_id = 1"), 0);
  EXPECT_EQ(count_on(1, "SELECT count() FROM " + db + ".air_hourly_local WHERE station_id = 1"), 1);
  EXPECT_EQ(count_on(1, "SELECT count() FROM " + db + ".air_hourly_local"), 1);
  for (int k : {0, 1})
    EXPECT_EQ(count_on(k, "SELECT count() FROM " + db + ".air_hourly"), 2) << "on shard " << k + 1;

  ClickHouseSourceUploads uploads(*cluster);
  const std::string m0 = "E0C000000000000000000000", m1 = "E0C000000000000000000001";
  EXPECT_EQ(cluster->shard_of_device(m0), 1);
  EXPECT_EQ(cluster->shard_of_device(m1), 0);
  std::vector<SourceRecord> recs;
  for (const std::string& mn : {m0, m1, m0})
    recs.push_back({mn, 2051, 20250101000000 + static_cast<int64_t>(recs.size()) * 100, "", 7, 4, "x"});
  EXPECT_EQ(*uploads.insert_source_records(recs), 3);
  EXPECT_EQ(count_on(1, "SELECT count() FROM " + db + ".source_record_local"), 2);
  EXPECT_EQ(count_on(0, "SELECT count() FROM " + db + ".source_record_local"), 1);
  for (int k : {0, 1}) EXPECT_EQ(count_on(k, "SELECT count() FROM " + db + ".source_record"), 3);
  // The Distributed table routes by shard_key as the client does: a row inserted through it lands where the
  // client would have put it (insert_distributed_sync so that it is there when the insert returns).
  RowBinaryWriter w;
  w.u32(ClickHouseCluster::device_key(m0));
  w.str(m0);
  w.i32(2051);
  w.i64(20250102000000);
  for (int i = 0; i < 1; ++i) w.str("");
  w.i64(0);
  w.i32(0);
  w.str("y");
  w.u64(1);
  Status via = cluster->shard(0).insert(
      "INSERT INTO " + db +
          ".source_record (shard_key, mn, cn, data_time, qn, received_ms, flag, "
          "cp, written) FORMAT RowBinary",
      w.data(),
      config.replicated ? "insert_distributed_sync=1&insert_quorum=2" : "insert_distributed_sync=1");
  ASSERT_TRUE(via.ok()) << via.message();
  EXPECT_EQ(count_on(1, "SELECT count() FROM " + db + ".source_record_local WHERE mn = '" + m0 + "'"), 3);
  EXPECT_EQ(*uploads.count_source_records(), 4);
}

// Never overwrite, across writers: two store objects (two "processes") fill the same gap with different
// values; the earlier write wins on every read, and both writers' other fills are kept.
TEST_F(ClickHouseCluster2, RacingWritersLoseNoFillAndTheEarlierValueWins) {
  auto other = ClickHouseCluster::open(config);
  ASSERT_TRUE(other.ok()) << other.status().message();
  ClickHouseTimeSeries a(*cluster), b(**other);
  const MonthKey m = MonthKey::of(2019, 12);
  HourlyBlock x{5, Pollutant::kCO, m, std::vector<Milli>(744, kMissing)}, y = x;
  x.values[0] = 1200;  // a writes hour 0 = 1.2 mg/m3 and hour 1
  x.values[1] = 1100;
  y.values[0] = 1300;  // b, unaware of a's write (as if it had read before it), hour 0 = 1.3 and hour 2
  y.values[2] = 900;
  // b's rows are written with the store's own insert but without b having seen a's: emulate the race by
  // inserting b's delta row directly after a's merge.
  MergeStats sa;
  ASSERT_TRUE(a.merge_hourly({&x, 1}, sa, nullptr).ok());
  RowBinaryWriter w;
  w.i64(5);
  w.u8(static_cast<uint8_t>(index_of(Pollutant::kCO)));
  w.i32(m.ordinal);
  w.u64(1);  // written: earlier than a's (the race's other order), so b's 1300 is the first value of hour 0
  w.str(encode_block(y.values));
  ASSERT_TRUE(
      (*other)
          ->shard(cluster->shard_of_station(5))
          .insert("INSERT INTO " + config.database +
                      ".air_hourly_local (station_id, pollutant, month, written, data) FORMAT RowBinary",
                  w.data())
          .ok());
  std::vector<Milli> out;
  ASSERT_TRUE(b.read_hourly(5, Pollutant::kCO, m.first_hour(), 4, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{1300, 1100, 900, kMissing}));
  // A merge now sees the overlay: hour 0 stored 1300 (1200 conflicts), hours 1 and 2 the same.
  HourlyBlock z = x;
  z.values[2] = 900;
  MergeStats sz;
  std::vector<HourConflict> conflicts;
  ASSERT_TRUE(a.merge_hourly({&z, 1}, sz, &conflicts).ok());
  EXPECT_EQ(sz.values_new, 0);
  EXPECT_EQ(sz.values_same, 2);
  EXPECT_EQ(sz.values_conflicting, 1);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].stored, 1300);
  EXPECT_EQ(conflicts[0].incoming, 1200);
}

// The gateway's path: views in, the indices of new versions out.
TEST_F(ClickHouseCluster2, ViewsReportWhichRecordsWereOtherVersions) {
  ClickHouseSourceUploads uploads(*cluster);
  const std::string mn = "E0C000000000000000000003";
  const std::string cp1 = "DataTime=20250101000000;a21026-Rtd=1.0",
                    cp2 = "DataTime=20250101000000;a21026-Rtd=2.0";
  std::vector<SourceRecordView> v = {{mn, 2011, 20250101000000, "q", 1, 5, cp1},
                                     {mn, 2011, 20250101000000, "q", 2, 5, cp2},
                                     {mn, 2011, 20250101000000, "q", 3, 5, cp2},
                                     {mn, 2011, 20250101000000, "q", 4, 5, cp1}};
  std::vector<size_t> conflicts = {99};
  auto n = uploads.insert_source_records(std::span<const SourceRecordView>(v), &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(conflicts, (std::vector<size_t>{1}));
  n = uploads.insert_source_records(std::span<const SourceRecordView>(v), &conflicts);
  EXPECT_EQ(*n, 0);
  EXPECT_TRUE(conflicts.empty());
  EXPECT_EQ(uploads.source_record_conflicts(mn, 2011, 0, 99991231235959, 10)->size(), 1u);
}

TEST_F(ClickHouseCluster2, OpenRefusesEndpointsOutOfShardOrderOrTooFew) {
  ClickHouseConfig swapped = config;
  std::swap(swapped.shards[0], swapped.shards[1]);
  auto s = ClickHouseCluster::open(swapped);
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("is shard 2 of cluster 'ecomon'"), std::string::npos)
      << s.status().message();
  ClickHouseConfig one = config;
  one.shards.resize(1);
  auto o = ClickHouseCluster::open(one);
  EXPECT_EQ(o.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(o.status().message().find("has 2 shards, 1 endpoints given"), std::string::npos)
      << o.status().message();
  ClickHouseConfig bad = config;
  bad.database = "x; DROP";
  EXPECT_EQ(ClickHouseCluster::open(bad).status().code(), StatusCode::kInvalidArgument);
  ClickHouseConfig unknown = config;
  unknown.cluster = "nosuch";
  EXPECT_NE(ClickHouseCluster::open(unknown).status().message().find("no cluster 'nosuch'"),
            std::string::npos);
}

// A schema written by a newer program is refused; reopening at the same version changes nothing.
TEST_F(ClickHouseCluster2, ASchemaOfANewerVersionIsRefused) {
  ASSERT_TRUE(ClickHouseCluster::open(config).ok());
  ASSERT_TRUE(cluster->shard(1).query("INSERT INTO " + config.database + ".schema_version VALUES (99)").ok());
  auto s = ClickHouseCluster::open(config);
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("version 99 is newer than this program's 1"), std::string::npos)
      << s.status().message();
}

// A shard that does not answer (an endpoint nobody listens on, standing in for a stopped server; stopping a
// real one would disturb the other tests: docs/cluster.md shows kill -9 of a real shard): open fails with
// kUnavailable naming it; a store opened before keeps working for the live shard and fails clearly for the
// other.
TEST_F(ClickHouseCluster2, AShardThatDoesNotAnswerIsAClearError) {
  ClickHouseConfig dead = config;
  dead.shards[1] = {"127.0.0.1", 1};  // port 1: refused
  dead.replicas.clear();
  dead.http.connect_timeout = std::chrono::milliseconds(500);
  auto s = ClickHouseCluster::open(dead);
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("ClickHouse shard 2: clickhouse 127.0.0.1:1"), std::string::npos)
      << s.status().message();
}

// With two replicas per shard (REPLICAS=2, endpoints "a|b,c|d"): a shard whose first replica does not
// answer is served by its other replica, for writes (insert_quorum 2 cannot be met with one replica, so
// without a quorum here) and reads.
TEST_F(ClickHouseCluster2, AReplicaDownStillAnswersThroughTheOther) {
  if (config.replicas.size() < 2 || config.replicas[1].empty()) GTEST_SKIP() << "needs 2 replicas per shard";
  ClickHouseConfig one_down = config;
  one_down.shards[1] = {"127.0.0.1",
                        1};  // shard 2's first replica: refused; its second is config.replicas[1]
  one_down.insert_quorum = 0;
  auto c = ClickHouseCluster::open(one_down);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ClickHouseTimeSeries series(**c);
  HourlyBlock b{1, Pollutant::kO3, MonthKey::of(2019, 7),
                std::vector<Milli>(744, kMissing)};  // station 1: shard 2
  b.values[3] = 160000;
  MergeStats s;
  ASSERT_TRUE(series.merge_hourly({&b, 1}, s, nullptr).ok());
  EXPECT_EQ(s.values_new, 1);
  std::vector<Milli> out;
  ASSERT_TRUE(series.read_hourly(1, Pollutant::kO3, b.month.first_hour() + 3, 1, out).ok());
  EXPECT_EQ(out, std::vector<Milli>{160000});
}

}  // namespace
}  // namespace ecomon
