// Stations and cities (RecordStore) on every backend (store/test_store_backends.h): SQLite in the unit tier,
// PostgreSQL in the cluster binary (postgres_store_suite).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

// Stations and cities on every backend (store/test_store_backends.h): SQLite here, PostgreSQL in the cluster
// binary.
class RecordStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store = &ts_->stores().records();
  }
  std::unique_ptr<TestStores> ts_;
  RecordStore* store = nullptr;
};

TEST_P(RecordStoreTest, StationsUpsertByCodeAndKeepListFacts) {
  ASSERT_TRUE(store->begin_write().ok());
  StationInfo listed{0, "2160A", "自来水公司", "晋城", 112.85, 35.5051, false, true};
  auto id = store->upsert_station(listed);
  ASSERT_TRUE(id.ok());
  // Seen again in data only: nothing the list said is erased.
  auto again =
      store->upsert_station(StationInfo{0, "2160A", "", "", std::nullopt, std::nullopt, false, false});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);
  auto unknown =
      store->upsert_station(StationInfo{0, "9999A", "", "", std::nullopt, std::nullopt, false, false});
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

// The registration's narrow look-ups (app::register_station): the stations by code or MN, the device by MN.
// Stations: S1 (MN M1), S2 (MN M2), S3 (no MN). By ("S1", "M2"): S1 and S2, by code. By ("S3", ""): S3 only
// (an empty MN matches none, not the MN-less stations). By ("S9", "M1"): S1. By ("S9", "M9"): none.
TEST_P(RecordStoreTest, StationsByCodeOrMnAndTheDeviceByMn) {
  ASSERT_TRUE(store->begin_write().ok());
  for (const auto& [code, mn] :
       std::vector<std::pair<std::string, std::string>>{{"S2", "M2"}, {"S1", "M1"}, {"S3", ""}}) {
    StationInfo s{0, code, "", "市", std::nullopt, std::nullopt, false, true};
    s.kind = "national";
    s.mn = mn;
    ASSERT_TRUE(store->upsert_station(s).ok());
  }
  ASSERT_TRUE(store->commit().ok());
  auto codes = [&](const std::string& code, const std::string& mn) {
    std::vector<std::string> out;
    auto found = store->stations_by_code_or_mn(code, mn);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (found.ok())
      for (const StationInfo& s : *found) out.push_back(s.code + "/" + s.mn);
    return out;
  };
  EXPECT_EQ(codes("S1", "M2"), (std::vector<std::string>{"S1/M1", "S2/M2"}));
  EXPECT_EQ(codes("S3", ""), (std::vector<std::string>{"S3/"}));
  EXPECT_EQ(codes("S9", "M1"), (std::vector<std::string>{"S1/M1"}));
  EXPECT_TRUE(codes("S9", "M9").empty());
  SourceDevices& devices = ts_->stores().sources();
  ASSERT_TRUE(devices.upsert_device({.mn = "M1", .password = "654321", .enterprise = "某厂"}).ok());
  auto d = devices.device("M1");
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->password, "654321");
  EXPECT_EQ((*d)->enterprise, "某厂");
  auto none = devices.device("M2");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// A list's later version wins for name, city and the reference flag; data-only sightings never erase; cities
// sort by code point (bytes of UTF-8): "Beijing" < 太原 (E5 A4 AA) < 晋城 (E6 99 8B), on every backend.
TEST_P(RecordStoreTest, ListFactsWinAndCitiesSortByCodePoint) {
  ASSERT_TRUE(store->begin_write().ok());
  const int64_t a =
      *store->upsert_station({0, "1001A", "万寿西宫", "Beijing", 116.366, 39.8673, false, true});
  ASSERT_TRUE(store->upsert_station({0, "1081A", "尖草坪", "太原", std::nullopt, 37.9394, false, true}).ok());
  ASSERT_TRUE(store->upsert_station({0, "2160A", "自来水公司", "晋城", 112.85, 35.5051, false, true}).ok());
  // Seen in data with another name and city: the list's facts stay.
  EXPECT_EQ(*store->upsert_station({0, "1001A", "x", "y", std::nullopt, std::nullopt, true, false}), a);
  ASSERT_TRUE(store->commit().ok());
  EXPECT_EQ(*store->cities(), (std::vector<std::string>{"Beijing", "太原", "晋城"}));
  auto bj = store->stations_of_city("Beijing");
  ASSERT_EQ(bj->size(), 1u);
  EXPECT_EQ((*bj)[0].name, "万寿西宫");
  EXPECT_EQ((*bj)[0].longitude, 116.366);
  EXPECT_EQ((*bj)[0].latitude, 39.8673);
  EXPECT_FALSE((*bj)[0].is_reference);
  // A new list: the station is a reference station of another city now.
  ASSERT_TRUE(store->begin_write().ok());
  EXPECT_EQ(*store->upsert_station({0, "1001A", "万寿西宫", "北京", std::nullopt, std::nullopt, true, true}),
            a);
  ASSERT_TRUE(store->commit().ok());
  EXPECT_TRUE(store->stations_of_city("Beijing")->empty());
  auto moved = store->stations_of_city("北京");
  ASSERT_EQ(moved->size(), 1u);
  EXPECT_TRUE((*moved)[0].is_reference);
  EXPECT_EQ((*moved)[0].longitude, 116.366);  // absent from the new list: kept
  EXPECT_EQ(store->all_stations()->front().code, "1001A");
  EXPECT_EQ(store->stations_of_city("")->size(), 0u);
}

TEST_P(RecordStoreTest, RolledBackStationsLeaveNothingAndTransactionsDoNotNest) {
  ASSERT_TRUE(store->begin_write().ok());
  EXPECT_EQ(store->begin_write().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store->upsert_station({0, "X", "", "", {}, {}, false, false}).ok());
  store->rollback();
  EXPECT_TRUE(store->all_stations()->empty());
  EXPECT_EQ(store->commit().code(), StatusCode::kFailedPrecondition);  // none open
  // Without a transaction a station is written at once.
  ASSERT_TRUE(store->upsert_station({0, "Y", "", "", {}, {}, false, false}).ok());
  EXPECT_EQ(store->all_stations()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
