#include <gtest/gtest.h>

#include "store/block_codec.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

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

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::open(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store = std::move(*s);
  }
  HourlyBlock block(int64_t station, MonthKey m) {
    return HourlyBlock{station, Pollutant::kPM25, m, std::vector<Milli>(static_cast<size_t>(m.hours()), kMissing)};
  }
  std::unique_ptr<SqliteStore> store;
};

TEST_F(SqliteStoreTest, StationsUpsertByCodeAndKeepListFacts) {
  ASSERT_TRUE(store->begin_write().ok());
  StationInfo listed{0, "2160A", "自来水公司", "晋城", 112.85, 35.5051, false, true};
  auto id = store->upsert_station(listed);
  ASSERT_TRUE(id.ok());
  // Seen again in data only: nothing the list said is erased.
  auto again = store->upsert_station(StationInfo{0, "2160A", "", "", std::nullopt, std::nullopt, false, false});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);
  auto unknown = store->upsert_station(StationInfo{0, "9999A", "", "", std::nullopt, std::nullopt, false, false});
  ASSERT_TRUE(unknown.ok());
  ASSERT_TRUE(store->commit().ok());
  auto jc = store->stations_of_city("晋城");
  ASSERT_TRUE(jc.ok());
  ASSERT_EQ(jc->size(), 1u);
  EXPECT_EQ((*jc)[0].name, "自来水公司");
  EXPECT_TRUE((*jc)[0].in_site_list);
  EXPECT_EQ(*store->cities(), std::vector<std::string>{"晋城"});
  auto all = store->all_stations();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].city, "");
  EXPECT_FALSE((*all)[1].in_site_list);
}

TEST_F(SqliteStoreTest, MergeFillsGapsKeepsStoredValuesAndReportsConflicts) {
  ASSERT_TRUE(store->begin_write().ok());
  int64_t sid = *store->upsert_station(StationInfo{0, "2160A", "", "晋城", {}, {}, false, true});
  MonthKey jan = MonthKey::of(2019, 1);
  HourlyBlock b = block(sid, jan);
  b.values[0] = 40000;
  b.values[1] = 41000;
  MergeStats s1;
  ASSERT_TRUE(store->merge_hourly({&b, 1}, s1, nullptr).ok());
  EXPECT_EQ(s1.values_new, 2);
  // Same values again: nothing changes (idempotent import).
  MergeStats s2;
  ASSERT_TRUE(store->merge_hourly({&b, 1}, s2, nullptr).ok());
  EXPECT_EQ(s2.values_new, 0);
  EXPECT_EQ(s2.values_same, 2);
  EXPECT_EQ(s2.blocks_written, 0);
  // A different value for hour 1 and a new one for hour 2.
  HourlyBlock c = block(sid, jan);
  c.values[1] = 99000;
  c.values[2] = 42000;
  MergeStats s3;
  std::vector<HourConflict> conflicts;
  ASSERT_TRUE(store->merge_hourly({&c, 1}, s3, &conflicts).ok());
  EXPECT_EQ(s3.values_new, 1);
  EXPECT_EQ(s3.values_conflicting, 1);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].stored, 41000);
  EXPECT_EQ(conflicts[0].incoming, 99000);
  EXPECT_EQ(conflicts[0].hour, jan.first_hour() + 1);
  ASSERT_TRUE(store->commit().ok());
  std::vector<Milli> out;
  ASSERT_TRUE(store->read_hourly(sid, Pollutant::kPM25, jan.first_hour(), 4, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{40000, 41000, 42000, kMissing}));
}

TEST_F(SqliteStoreTest, ReadsAcrossMonthBoundaries) {
  ASSERT_TRUE(store->begin_write().ok());
  int64_t sid = *store->upsert_station(StationInfo{0, "X", "", "", {}, {}, false, false});
  HourlyBlock jan = block(sid, MonthKey::of(2019, 1)), feb = block(sid, MonthKey::of(2019, 2));
  jan.values.back() = 7000;  // 2019-01-31 24:00
  feb.values.front() = 8000; // 2019-02-01 01:00
  std::vector<HourlyBlock> both = {jan, feb};
  MergeStats s;
  ASSERT_TRUE(store->merge_hourly(both, s, nullptr).ok());
  ASSERT_TRUE(store->commit().ok());
  std::vector<Milli> out;
  Hour from = Hour::ending(CivilDay::from_ymd(2019, 1, 31), 23);
  ASSERT_TRUE(store->read_hourly(sid, Pollutant::kPM25, from, 3, out).ok());
  EXPECT_EQ(out, (std::vector<Milli>{kMissing, 7000, 8000}));
  auto extent = store->hourly_extent(sid);
  ASSERT_TRUE(extent.ok() && extent->has_value());
  EXPECT_EQ((*extent)->to_string(), "2019-01-01..2019-02-28");
}

TEST_F(SqliteStoreTest, RolledBackWritesLeaveNothing) {
  ASSERT_TRUE(store->begin_write().ok());
  int64_t sid = *store->upsert_station(StationInfo{0, "X", "", "", {}, {}, false, false});
  HourlyBlock b = block(sid, MonthKey::of(2019, 3));
  b.values[5] = 1000;
  MergeStats s;
  ASSERT_TRUE(store->merge_hourly({&b, 1}, s, nullptr).ok());
  store->rollback();
  EXPECT_TRUE(store->all_stations()->empty());
  EXPECT_FALSE(store->merge_hourly({&b, 1}, s, nullptr).ok());  // no transaction open
}

TEST(SqliteStoreOpen, ClearErrorForAnUnopenablePath) {
  auto s = SqliteStore::open("/nonexistent-dir/x/ecomon.db");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/nonexistent-dir/x/ecomon.db"), std::string::npos);
}

}  // namespace
}  // namespace ecomon
