// The gateway's acknowledgement path on the cluster (store/cluster_ingest.h) against a real PostgreSQL and
// ClickHouse (ctest label `cluster`; skipped without ECOMON_TEST_POSTGRES and ECOMON_TEST_CLICKHOUSE). Each
// test works in a PostgreSQL schema and a ClickHouse database of its own.
#include "store/cluster_ingest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/api/source_day_loads.h"
#include "store/clickhouse/test_clickhouse.h"
#include "store/cluster_stores.h"
#include "store/postgres/migrations.h"
#include "store/postgres/test_postgres.h"

namespace ecomon {
namespace {

SourceRecordView rec(std::string_view mn, int64_t data_time, std::string_view cp, int cn = 2051) {
  return {.mn = mn,
          .cn = cn,
          .data_time = data_time,
          .qn = "20261207120000000",
          .received_ms = 7,
          .flag = 4,
          .cp = cp};
}

class ClusterIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    ECOMON_SKIP_WITHOUT_POSTGRES();
    std::string why;
    auto cfg = test_clickhouse_config("ecomon_spooltest", why);
    if (!cfg) GTEST_SKIP() << why;
    config = *cfg;
    schema = std::make_unique<pg::TestSchema>();
    auto s = open_cluster_stores(schema->uri(), schema->options(), config);
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores = std::move(*s);
    auto c = ClickHouseCluster::open(config);
    ASSERT_TRUE(c.ok()) << c.status().message();
    cluster = std::move(*c);
    uploads = std::make_unique<ClickHouseSourceUploads>(*cluster);
    auto p = schema->open();
    ASSERT_TRUE(p.ok()) << p.status().message();
    pg = std::move(*p);
  }
  void TearDown() override {
    if (cluster) {
      EXPECT_TRUE(cluster->drop_database().ok());
    }
  }
  // Rows waiting to be shipped; all_spooled() counts also the shipped ones kept for the grace period.
  int64_t spooled() {
    return pg->run("SELECT count(*) FROM source_spool WHERE shipped_at IS NULL")->int64(0, 0);
  }
  int64_t all_spooled() { return pg->run("SELECT count(*) FROM source_spool")->int64(0, 0); }
  // Rows (not keys) of device `mn` in ClickHouse's records table.
  int64_t ch_rows(const std::string& mn) {
    auto body = cluster->query(cluster->shard_of_device(mn), "SELECT count() FROM " +
                                                                 cluster->table("source_record_local") +
                                                                 " WHERE mn = '" + mn + "' FORMAT RowBinary");
    EXPECT_TRUE(body.ok()) << body.status().message();
    RowBinaryReader r(*body, "count");
    uint64_t n = 0;
    EXPECT_TRUE(r.u64(n).ok());
    return static_cast<int64_t>(n);
  }
  StatusOr<int64_t> ship_all() {
    int64_t n = 0;
    for (int k = 0; k < cluster->shards(); ++k) {
      auto one = SpoolShipper(*pg, *uploads, k).ship(2);  // batches of 2 rows: several per shard
      if (!one.ok()) return one.status();
      n += *one;
    }
    return n;
  }
  std::vector<SourceRecord> records_of(const std::string& mn) {
    auto r = stores->sources().source_records(mn, 0, 0, 99999999999999, 100);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<SourceRecord>{};
  }
  ClickHouseConfig config;
  std::unique_ptr<pg::TestSchema> schema;
  std::unique_ptr<Stores> stores;
  std::unique_ptr<ClickHouseCluster> cluster;
  std::unique_ptr<ClickHouseSourceUploads> uploads;
  std::unique_ptr<pg::Conn> pg;
};

// The writer's counts hold across what is spooled and what is shipped already.
TEST_F(ClusterIngest, CountsHoldAcrossTheSpoolAndClickHouse) {
  SourceIngest& in = stores->source_ingest();
  ASSERT_EQ(in.shards(), 2);
  const std::string a = "MN-A";
  const int k = in.shard_of(a, 2);
  auto w = in.open_writer(k);
  ASSERT_TRUE(w.ok()) << w.status().message();
  std::vector<size_t> conflicts;
  // Three new keys (hours 10, 11, 12), the third twice in the batch: 3 new, nothing else.
  const std::vector<SourceRecordView> first = {rec(a, 20261207100000, "x=1"), rec(a, 20261207110000, "x=2"),
                                               rec(a, 20261207120000, "x=3"), rec(a, 20261207120000, "x=3")};
  auto n = (*w)->insert(first, &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 3);
  EXPECT_TRUE(conflicts.empty());
  EXPECT_EQ(spooled(), 3);
  // Answered, so seen by every reader: the Stores' reads merge the spool in.
  EXPECT_EQ(records_of(a).size(), 3u);
  EXPECT_EQ(*stores->sources().count_source_records(), 3);
  // Sent again: nothing new. Hour 10 with another CP: a version (index 1), once even when sent twice.
  const std::vector<SourceRecordView> again = {rec(a, 20261207110000, "x=2"), rec(a, 20261207100000, "x=9"),
                                               rec(a, 20261207100000, "x=9")};
  n = (*w)->insert(again, &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(conflicts, (std::vector<size_t>{1}));
  EXPECT_EQ(spooled(), 4);  // 3 records + 1 version
  // Shipped (batches of 2): the spool empties, ClickHouse holds them.
  auto shipped = ship_all();
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  EXPECT_EQ(*shipped, 4);
  EXPECT_EQ(spooled(), 0);
  EXPECT_EQ(all_spooled(), 4);  // kept for the grace period, marked shipped
  EXPECT_EQ(ch_rows(a), 3);
  EXPECT_EQ(*stores->sources().count_source_records(), 3);  // in both places, counted once
  // The same checks now answered by ClickHouse: a re-send is not new, hour 11 with CP x=8 is a version,
  // hour 10's version x=9 is kept already, hour 13 is new. 1 new, conflicts {1}.
  const std::vector<SourceRecordView> third = {rec(a, 20261207120000, "x=3"), rec(a, 20261207110000, "x=8"),
                                               rec(a, 20261207100000, "x=9"), rec(a, 20261207130000, "x=4")};
  n = (*w)->insert(third, &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(conflicts, (std::vector<size_t>{1}));
  // 4 records (10..13), versions: hour 10 x=9 (shipped), hour 11 x=8 (spooled).
  const auto recs = records_of(a);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].cp, "x=1");
  EXPECT_EQ(recs[3].cp, "x=4");
  auto versions = stores->sources().source_record_conflicts(a, 0, 0, 99999999999999, 100);
  ASSERT_TRUE(versions.ok()) << versions.status().message();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].cp, "x=9");
  EXPECT_EQ((*versions)[1].cp, "x=8");
  EXPECT_EQ(*stores->sources().count_source_records(), 4);
  // Latest hourly of the device: hour 13, still in the spool.
  auto latest = stores->sources().latest_source_records(2051);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->front().data_time, 20261207130000);
}

// A crash after ClickHouse took a batch and before the spool lost it: the batch is shipped again, and no
// read counts a record twice.
TEST_F(ClusterIngest, ABatchShippedTwiceCountsOnce) {
  const std::string a = "MN-B";
  auto n = stores->sources().insert_source_records(std::vector<SourceRecord>{
      {.mn = a, .cn = 2051, .data_time = 20261207100000, .qn = "1", .received_ms = 1, .flag = 4, .cp = "v=1"},
      {.mn = a,
       .cn = 2051,
       .data_time = 20261207110000,
       .qn = "2",
       .received_ms = 2,
       .flag = 4,
       .cp = "v=2"}});
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 2);
  // The shipper's first two steps by hand: mark, insert into ClickHouse; then "crash" (no delete).
  ASSERT_TRUE(pg->run("UPDATE source_spool SET shipping = true").ok());
  const int k = cluster->shard_of_device(a);
  const std::vector<SourceRecordView> both = {rec(a, 20261207100000, "v=1"), rec(a, 20261207110000, "v=2")};
  ASSERT_TRUE(uploads->append(k, both, {}).ok());
  EXPECT_EQ(ch_rows(a), 2);
  EXPECT_EQ(spooled(), 2);  // marked, not shipped: no shipped_at
  // In both places: counted once (2 in ClickHouse + 0 waiting + 2 marked - 2 of them found there).
  EXPECT_EQ(*stores->sources().count_source_records(), 2);
  EXPECT_EQ(records_of(a).size(), 2u);
  // Shipped again: ClickHouse holds each key twice, every read still once.
  auto shipped = ship_all();
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  EXPECT_EQ(*shipped, 2);
  EXPECT_EQ(spooled(), 0);
  EXPECT_EQ(ch_rows(a), 4);
  EXPECT_EQ(*stores->sources().count_source_records(), 2);
  EXPECT_EQ(records_of(a).size(), 2u);
  // And a re-send of them is still no new record.
  auto again = stores->sources().insert_source_records(std::vector<SourceRecord>{{.mn = a,
                                                                                  .cn = 2051,
                                                                                  .data_time = 20261207110000,
                                                                                  .qn = "2",
                                                                                  .received_ms = 3,
                                                                                  .flag = 4,
                                                                                  .cp = "v=2"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

// Whatever bytes an upload holds (a NUL, bytes that are not UTF-8, quotes) are spooled, read and shipped as
// they came.
TEST_F(ClusterIngest, AnyBytesRoundTripThroughTheSpool) {
  const std::string a = "MN-C";
  std::string cp = "a=1;";
  for (int b = 0; b < 256; ++b) cp += static_cast<char>(b);
  const std::string qn("1\0'\"\\", 5);
  const std::vector<SourceRecordView> one = {
      {.mn = a, .cn = 2011, .data_time = 20261207100000, .qn = qn, .received_ms = 5, .flag = 4, .cp = cp}};
  auto w = stores->source_ingest().open_writer(cluster->shard_of_device(a));
  ASSERT_TRUE(w.ok());
  auto n = (*w)->insert(one, nullptr);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 1);
  for (int pass = 0; pass < 2; ++pass) {  // spooled, then shipped
    const auto recs = records_of(a);
    ASSERT_EQ(recs.size(), 1u) << pass;
    EXPECT_EQ(recs[0].cp, cp) << pass;
    EXPECT_EQ(recs[0].qn, qn) << pass;
    EXPECT_EQ(recs[0].received_ms, 5);
    ASSERT_TRUE(ship_all().ok());
  }
  EXPECT_EQ(spooled(), 0);
}

// The gateway's maintainer of a shard ships it; a second shipper of the same shard meanwhile skips it.
TEST_F(ClusterIngest, TheMaintainerShipsItsShardAndOneShipperAtATime) {
  SourceIngest& in = stores->source_ingest();
  const std::string a = "MN-D";
  const int k = in.shard_of(a, 2);
  auto w = in.open_writer(k);
  auto m = in.open_maintainer(k);
  ASSERT_TRUE(w.ok() && m.ok());
  ASSERT_NE(*m, nullptr);
  std::vector<std::string> cps;
  std::vector<SourceRecordView> batch;
  for (int i = 0; i < 5; ++i) cps.push_back("i=" + std::to_string(i));
  for (int i = 0; i < 5; ++i)
    batch.push_back(rec(a, 20261207100000 + i * 10000, cps[static_cast<size_t>(i)]));
  ASSERT_EQ(*(*w)->insert(batch, nullptr), 5);
  // Another process's shipper holds shard k: this one ships nothing.
  ASSERT_TRUE(pg->run("SELECT pg_advisory_lock(hashtext(current_schema()), $1::integer)",
                      pg::Params().add(SpoolShipper::kShipperLockBase + k))
                  .ok());
  EXPECT_TRUE((*m)->maintain(false).ok());
  EXPECT_EQ(spooled(), 5);
  ASSERT_TRUE(pg->run("SELECT pg_advisory_unlock(hashtext(current_schema()), $1::integer)",
                      pg::Params().add(SpoolShipper::kShipperLockBase + k))
                  .ok());
  EXPECT_TRUE((*m)->maintain(false).ok());
  EXPECT_EQ(spooled(), 0);
  EXPECT_EQ(ch_rows(a), 5);
  // A device of the other shard is refused by this writer (the gateway never sends one).
  std::string other;
  for (int i = 0; other.empty() || in.shard_of(other, 2) == k; ++i) other = "MN-" + std::to_string(i);
  auto stray = (*w)->insert(std::vector<SourceRecordView>{rec(other, 20261207100000, "z")}, nullptr);
  EXPECT_EQ(stray.status().code(), StatusCode::kInternal);
}

// Shipped rows stay in the spool for the grace period and are swept after it; meanwhile every read and count
// sees each record once.
TEST_F(ClusterIngest, ShippedRowsStayForTheGraceAndAreSweptAfterIt) {
  const std::string a = "MN-F";
  auto w = stores->source_ingest().open_writer(cluster->shard_of_device(a));
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(*(*w)->insert(
                std::vector<SourceRecordView>{rec(a, 20261207100000, "p=1"), rec(a, 20261207110000, "p=2")},
                nullptr),
            2);
  const int k = cluster->shard_of_device(a);
  // The default grace (60 s) has not passed: shipped, kept, shipped_at set.
  auto n = SpoolShipper(*pg, *uploads, k).ship();
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(all_spooled(), 2);
  EXPECT_EQ(spooled(), 0);
  EXPECT_EQ(ch_rows(a), 2);
  EXPECT_EQ(records_of(a).size(), 2u);
  EXPECT_EQ(*stores->sources().count_source_records(), 2);
  auto spans = stores->sources().source_record_spans();
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 1u);
  EXPECT_EQ(spans->front().records, 2);  // not 4: the kept rows are ClickHouse's now
  // A shipper with no grace (no writer runs here) ships nothing more and sweeps both.
  n = SpoolShipper(*pg, *uploads, k, std::chrono::milliseconds(0)).ship();
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(all_spooled(), 0);
  EXPECT_EQ(records_of(a).size(), 2u);
  EXPECT_EQ(*stores->sources().count_source_records(), 2);
}

// A writer's memory of ClickHouse vouches for rows above what it read; the spool's check (with the rows
// shipped meanwhile still in it) keeps the counts exact when another gateway wrote those keys.
TEST_F(ClusterIngest, AWritersMemoryOfClickHouseKeepsTheCountsExact) {
  SourceIngest& in = stores->source_ingest();
  const std::string a = "MN-G";
  const int k = in.shard_of(a, 2);
  auto w1 = in.open_writer(k);  // gateway 1's writer of the shard
  auto w2 = in.open_writer(k);  // gateway 2's
  ASSERT_TRUE(w1.ok() && w2.ok());
  std::vector<size_t> conflicts;
  // Gateway 1: hour 10 (its read of ClickHouse finds nothing: it remembers the top 20261207099999).
  ASSERT_EQ(*(*w1)->insert(std::vector<SourceRecordView>{rec(a, 20261207100000, "q=1")}, nullptr), 1);
  // Gateway 2: hour 11 (the device moved), then shipped: in ClickHouse, and kept in the spool.
  ASSERT_EQ(*(*w2)->insert(std::vector<SourceRecordView>{rec(a, 20261207110000, "q=2")}, nullptr), 1);
  ASSERT_TRUE(SpoolShipper(*pg, *uploads, k).ship().ok());
  EXPECT_EQ(ch_rows(a), 2);
  // Gateway 1 again: hour 11 re-sent (above its memory: no ClickHouse read; the spool has it: not new),
  // hour 11 with another CP (a version: index 1), hour 12 twice with two CPs (new, then a version of it:
  // index 3). 1 new, conflicts {1, 3}.
  auto n = (*w1)->insert(
      std::vector<SourceRecordView>{rec(a, 20261207110000, "q=2"), rec(a, 20261207110000, "q=7"),
                                    rec(a, 20261207120000, "q=3"), rec(a, 20261207120000, "q=8")},
      &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(conflicts, (std::vector<size_t>{1, 3}));
  // Records: hours 10, 11, 12; versions: hour 11 q=7, hour 12 q=8.
  EXPECT_EQ(*stores->sources().count_source_records(), 3);
  const auto recs = records_of(a);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].cp, "q=2");
  EXPECT_EQ(recs[2].cp, "q=3");
  auto versions = stores->sources().source_record_conflicts(a, 0, 0, 99999999999999, 100);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].cp, "q=7");
  EXPECT_EQ((*versions)[1].cp, "q=8");
  // Hour 10 again: above the top of the first batch's read (20261207099999), so no ClickHouse read;
  // the spool still holds it (shipped, within the grace): nothing new.
  n = (*w1)->insert(std::vector<SourceRecordView>{rec(a, 20261207100000, "q=1")}, &conflicts);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  EXPECT_TRUE(conflicts.empty());
}

// What classify reports as each (MN, CN)'s top: the highest stored DataTime from the batch's lowest up, or
// that lowest minus one when nothing is stored there.
TEST_F(ClusterIngest, ClassifyReportsTheTopOfEachDeviceAndCn) {
  const std::string a = "MN-H";
  const int k = cluster->shard_of_device(a);
  ASSERT_TRUE(
      uploads
          ->append(
              k, std::vector<SourceRecordView>{rec(a, 20261207100000, "r=1"), rec(a, 20261207150000, "r=2")},
              {})
          .ok());
  std::vector<ClickHouseSourceUploads::Top> tops;
  // Hour 11 of CN 2051 (stored above it: hour 15) and of CN 2061 (nothing stored: 20261207110000 - 1).
  auto f = uploads->classify(
      std::vector<SourceRecordView>{rec(a, 20261207110000, "r=3"), rec(a, 20261207110000, "r=3", 2061)},
      &tops);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(*f, (std::vector<ClickHouseSourceUploads::Fate>{ClickHouseSourceUploads::Fate::kNew,
                                                            ClickHouseSourceUploads::Fate::kNew}));
  ASSERT_EQ(tops.size(), 2u);
  EXPECT_EQ(tops[0].mn, a);
  EXPECT_EQ(tops[0].cn, 2051);
  EXPECT_EQ(tops[0].data_time, 20261207150000);
  EXPECT_EQ(tops[1].cn, 2061);
  EXPECT_EQ(tops[1].data_time, 20261207109999);  // the integer below hour 11 (not a DataTime; none between)
}

// The day-loads' stale marks (store/api/source_day_loads.h) commit with the spool's batch, as SQLite's with a
// shard file's (source_ingest_test): once per device-day and batch for new records, not for a re-send or
// another version, whether ClickHouse or the spool answers for them; insert_source_records marks the same way
// (it stores through the spool). replace_day_loads clears a mark only at the sequence it read: a day marked
// again meanwhile stays marked.
TEST_F(ClusterIngest, DayLoadMarksCommitWithTheSpoolsBatch) {
  SourceDayLoadStore* days = day_loads_of(stores->sources());
  ASSERT_NE(days, nullptr);
  SourceIngest& in = stores->source_ingest();
  const std::string a = "MN-M", b = "MN-MM";
  auto wa = in.open_writer(in.shard_of(a, 2));
  auto wb = in.open_writer(in.shard_of(b, 2));
  ASSERT_TRUE(wa.ok() && wb.ok());
  // a: 12-07 10:00 and 11:00 around 12-08 00:00, one batch: 12-07 marked once (1), 12-08 once (1).
  auto n = (*wa)->insert(
      std::vector<SourceRecordView>{rec(a, 20261207100000, "m=1"), rec(a, 20261208000000, "m=3"),
                                    rec(a, 20261207110000, "m=2")},
      nullptr);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 3);
  ASSERT_EQ(*(*wb)->insert(std::vector<SourceRecordView>{rec(b, 20261207100000, "m=1", 2061)}, nullptr), 1);
  auto stale = days->stale_days(2051, 20261201, 20261231);
  ASSERT_TRUE(stale.ok()) << stale.status().message();
  ASSERT_EQ(stale->size(), 2u);
  EXPECT_EQ((*stale)[0].mn, a);
  EXPECT_EQ((*stale)[0].day, 20261207);
  EXPECT_EQ((*stale)[0].mark, 1);
  EXPECT_EQ((*stale)[1].day, 20261208);
  EXPECT_EQ((*stale)[1].mark, 1);
  stale = days->stale_days(2061, 20261201, 20261231);
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].mn, b);
  EXPECT_TRUE(days->stale_days(2051, 20261209, 20261231)->empty());  // outside the days asked
  // A re-send and another version of 12-07 10:00: nothing new, no mark raised.
  std::vector<size_t> conflicts;
  n = (*wa)->insert(
      std::vector<SourceRecordView>{rec(a, 20261207100000, "m=1"), rec(a, 20261207100000, "m=9")},
      &conflicts);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(conflicts, (std::vector<size_t>{1}));
  EXPECT_EQ(days->stale_days(2051, 20261207, 20261207)->at(0).mark, 1);
  // insert_source_records' new 12-07 12:00: marked again (2).
  ASSERT_EQ(*stores->sources().insert_source_records(
                std::vector<SourceRecord>{{.mn = a, .cn = 2051, .data_time = 20261207120000, .cp = "m=4"}}),
            1);
  EXPECT_EQ(days->stale_days(2051, 20261207, 20261207)->at(0).mark, 2);
  // A reader that read both days at mark 1 replaces them: 12-08's mark goes, 12-07's (raised to 2 since)
  // stays. The rows are stored as given (0.1 + 0.2 kg: a double read back exactly).
  const SourceDay read[] = {{a, 2051, 20261207, 1}, {a, 2051, 20261208, 1}};
  const StoredDayLoad rows[] = {{a, 2051, 20261207, "", 0, 0, 0, 0, 0, 7},
                                {a, 2051, 20261207, "a21026", 0.1 + 0.2, 0, 2, 0, 120, 7},
                                {a, 2051, 20261208, "", 0, 0, 0, 0, 0, 7}};
  ASSERT_TRUE(days->replace_day_loads(read, rows).ok());
  stale = days->stale_days(2051, 20261201, 20261231);
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].day, 20261207);
  EXPECT_EQ((*stale)[0].mark, 2);
  auto stored = days->day_loads(a, 2051, 20261201, 20261231);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, std::vector<StoredDayLoad>(std::begin(rows), std::end(rows)));
  EXPECT_TRUE(days->day_loads(b, 2051, 20261201, 20261231)->empty());
  // Replaced again (at mark 2) with fewer rows: the day's old rows go, its mark too.
  const SourceDay again[] = {{a, 2051, 20261207, 2}};
  ASSERT_TRUE(days->replace_day_loads(again, std::span(rows, 1)).ok());
  EXPECT_TRUE(days->stale_days(2051, 20261201, 20261231)->empty());
  stored = days->day_loads("", 2051, 20261201, 20261231);
  ASSERT_EQ(stored->size(), 2u);  // 12-07's own row, 12-08's
  EXPECT_EQ((*stored)[0].day, 20261207);
  EXPECT_EQ((*stored)[0].pollutant, "");
  EXPECT_EQ((*stored)[1].day, 20261208);
  // Shipped: ClickHouse answers for the keys now; a re-send marks nothing, a new hour does.
  ASSERT_TRUE(ship_all().ok());
  ASSERT_EQ(*(*wa)->insert(std::vector<SourceRecordView>{rec(a, 20261207110000, "m=2")}, nullptr), 0);
  EXPECT_TRUE(days->stale_days(2051, 20261201, 20261231)->empty());
  ASSERT_EQ(*(*wa)->insert(std::vector<SourceRecordView>{rec(a, 20261208010000, "m=5")}, nullptr), 1);
  stale = days->stale_days(2051, 20261201, 20261231);
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].day, 20261208);
  EXPECT_EQ((*stale)[0].mark, 1);
}

// Uploads stored before the day-loads existed (PostgreSQL migration 18) are marked once: the spool's by the
// migration (records only, not versions), ClickHouse's by the first use of the day-loads after it (meta
// day_loads_clickhouse_marked 0 -> 1; a day already marked keeps its mark). A mark cleared afterwards is not
// raised again by another process's first use.
TEST_F(ClusterIngest, UploadsStoredBeforeTheDayLoadsAreMarkedOnce) {
  pg::TestSchema old;
  {
    auto c = old.open(false);
    ASSERT_TRUE(c.ok()) << c.status().message();
    ASSERT_EQ(pg::migrations()[15].version, 16);
    ASSERT_TRUE(pg::migrate(**c, pg::migrations().first(16)).ok());
    // In the spool: MN-P's record of 12-07 (marked by the migration) and a version of 12-06 (not).
    ASSERT_TRUE((*c)->exec("INSERT INTO source_spool(shard, mn, cn, data_time, qn, received_ms, flag, cp, "
                           "conflict) VALUES (0, 'MN-P', 2051, 20261207100000, ''::bytea, 1, 4, 'x'::bytea, "
                           "false), (0, 'MN-P', 2051, 20261206100000, ''::bytea, 1, 4, 'y'::bytea, true)")
                    .ok());
  }
  // In ClickHouse: MN-N's 12-07 (two hours) and 12-09 of CN 2061, MN-O's 12-01; a version of MN-N's 12-05.
  const std::string n = "MN-N", o = "MN-O";
  ASSERT_TRUE(
      uploads
          ->append(cluster->shard_of_device(n),
                   std::vector<SourceRecordView>{rec(n, 20261207100000, "a"), rec(n, 20261207230000, "b"),
                                                 rec(n, 20261209000000, "c", 2061)},
                   std::vector<SourceRecordView>{rec(n, 20261205000000, "v")})
          .ok());
  ASSERT_TRUE(uploads
                  ->append(cluster->shard_of_device(o),
                           std::vector<SourceRecordView>{rec(o, 20261201050000, "d")}, {})
                  .ok());
  auto s = open_cluster_stores(old.uri(), old.options(), config);  // migrates to 17
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto p = old.open(false);
  ASSERT_TRUE(p.ok());
  const auto marked = [&] {
    return (*p)->run("SELECT value FROM meta WHERE key = 'day_loads_clickhouse_marked'")->str(0, 0);
  };
  EXPECT_EQ(marked(), "0");
  ASSERT_TRUE((*p)->exec("UPDATE source_day_stale SET mark = 5 WHERE mn = 'MN-P'").ok());
  SourceDayLoadStore* days = day_loads_of((*s)->sources());
  ASSERT_NE(days, nullptr);
  auto stale = days->stale_days(2051, 20261201, 20261231);
  ASSERT_TRUE(stale.ok()) << stale.status().message();
  EXPECT_EQ(marked(), "1");
  ASSERT_EQ(stale->size(), 3u);
  EXPECT_EQ((*stale)[0].mn, n);
  EXPECT_EQ((*stale)[0].day, 20261207);
  EXPECT_EQ((*stale)[0].mark, 1);
  EXPECT_EQ((*stale)[1].mn, o);
  EXPECT_EQ((*stale)[1].day, 20261201);
  EXPECT_EQ((*stale)[2].mn, "MN-P");
  EXPECT_EQ((*stale)[2].day, 20261207);
  EXPECT_EQ((*stale)[2].mark, 5);  // marked by the migration; kept
  stale = days->stale_days(2061, 20261201, 20261231);
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].day, 20261209);
  // MN-O's day computed (no rows: a test's shortcut); another process's first use marks nothing again.
  const SourceDay done[] = {{o, 2051, 20261201, 1}};
  ASSERT_TRUE(days->replace_day_loads(done, {}).ok());
  auto other = open_cluster_stores(old.uri(), old.options(), config);
  ASSERT_TRUE(other.ok()) << other.status().message();
  stale = day_loads_of((*other)->sources())->stale_days(2051, 20261201, 20261231);
  ASSERT_TRUE(stale.ok());
  ASSERT_EQ(stale->size(), 2u);
  EXPECT_EQ((*stale)[0].mn, n);
  EXPECT_EQ((*stale)[1].mn, "MN-P");
}

// The memory's rule, on explicit moments: a row strictly above a top read less than kTrusted (20 s) ago.
TEST(ClickHouseTops, VouchesOnlyAboveAFreshTop) {
  ClickHouseTops tops;
  const auto t0 = ClickHouseTops::Clock::time_point() + std::chrono::hours(1);
  tops.learn({{"MN-T", 2051, 20261207100000}}, t0);
  ClickHouseTops::Clock::time_point at;
  EXPECT_TRUE(tops.above(rec("MN-T", 20261207100001, "x"), t0 + std::chrono::milliseconds(19999), &at));
  EXPECT_EQ(at, t0);
  EXPECT_FALSE(tops.above(rec("MN-T", 20261207100001, "x"), t0 + std::chrono::milliseconds(20000), &at));
  EXPECT_FALSE(tops.above(rec("MN-T", 20261207100000, "x"), t0, &at));        // at the top: asked
  EXPECT_FALSE(tops.above(rec("MN-T", 20261207100001, "x", 2011), t0, &at));  // another CN: unknown
  EXPECT_FALSE(tops.above(rec("MN-U", 20261207100001, "x"), t0, &at));        // another device
  // A newer read replaces the top.
  tops.learn({{"MN-T", 2051, 20261207120000}}, t0 + std::chrono::seconds(3));
  EXPECT_FALSE(tops.above(rec("MN-T", 20261207110000, "x"), t0 + std::chrono::seconds(3), &at));
  EXPECT_TRUE(tops.above(rec("MN-T", 20261207130000, "x"), t0 + std::chrono::seconds(22), &at));
  EXPECT_EQ(at, t0 + std::chrono::seconds(3));
}

// Several gateways: a device's commands are the gateway's that holds its connection (the newest claim).
TEST_F(ClusterIngest, ACommandIsTheGatewaysThatHoldsItsDevice) {
  DeviceRecord d;
  d.mn = "MN-E";
  d.password = "123456";
  ASSERT_TRUE(stores->sources().upsert_device(d).ok());
  SourceCommandStore& q = stores->source_commands();
  auto c = q.add(*command_of({d.mn, "get-time", {}}), "test", 1);
  ASSERT_TRUE(c.ok()) << c.status().message();
  // Nobody holds it: no gateway's.
  EXPECT_TRUE(q.pending_held("g1")->empty());
  ASSERT_TRUE(q.hold_device(d.mn, "g1", 2).ok());
  ASSERT_EQ(q.pending_held("g1")->size(), 1u);
  EXPECT_TRUE(q.pending_held("g2")->empty());
  c->state = "sent";
  EXPECT_TRUE(*q.update_held(*c, "g1"));
  // The device connects to g2: g1's writes are refused from then on, g2 has the command.
  ASSERT_TRUE(q.hold_device(d.mn, "g2", 3).ok());
  c->state = "timed_out";
  EXPECT_FALSE(*q.update_held(*c, "g1"));
  EXPECT_EQ(q.command(c->id)->state, "sent");
  EXPECT_TRUE(q.pending_held("g1")->empty());
  ASSERT_EQ(q.pending_held("g2")->size(), 1u);
  c->state = "done";
  EXPECT_TRUE(*q.update_held(*c, "g2"));
  EXPECT_TRUE(q.pending_held("g2")->empty());
}

}  // namespace
}  // namespace ecomon
