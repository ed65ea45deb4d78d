// The water and noise stations' store (store/api/quality_stations.h) on every SQL backend: the registry
// (a code's row replaced, an MN unique), the hours' merge (fresh / same / conflict: a re-sent upload changes
// nothing, another value keeps the stored one) and the inclusive hour range of a read.
#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

class QualityStationStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
  QualityStationStore& qs() { return ts_->stores().quality_stations(); }
  std::unique_ptr<TestStores> ts_;
};

const QualityStationRow kWater{
    "W01", "赵庄自动站", "water", "赵庄", "晋城", "泽州县", "W21000000000000000000001"};
const QualityStationRow kNoise{
    "N01", "文化广场", "noise", "文化广场", "晋城", "城区", "N23000000000000000000001"};

TEST_P(QualityStationStoreTest, RegistryReplacesACodeAndKeepsMnsUnique) {
  ASSERT_TRUE(qs().upsert_station(kWater).ok());
  ASSERT_TRUE(qs().upsert_station(kNoise).ok());
  QualityStationRow moved = kWater;
  moved.site = "陟椒";
  ASSERT_TRUE(qs().upsert_station(moved).ok());  // the same code: replaced
  auto all = qs().stations();
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(*all, (std::vector<QualityStationRow>{kNoise, moved}));  // by code: N01, W01
  QualityStationRow clash = kNoise;
  clash.code = "N02";  // N01's MN
  EXPECT_EQ(qs().upsert_station(clash).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(qs().stations()->size(), 2u);  // nothing written
}

TEST_P(QualityStationStoreTest, HoursMergeIdempotentlyAndReadInclusively) {
  const CivilDay day = *CivilDay::parse("2026-01-10");
  const Hour h10 = Hour::ending(day, 10), h11 = Hour::ending(day, 11), h12 = Hour::ending(day, 12);
  const std::vector<QualityHourRow> rows = {{"W01", h10, "NH3_N", "0.512"},
                                            {"W01", h10, "Pb", "0.0125"},
                                            {"W01", h11, "NH3_N", "0.498"},
                                            {"N01", h10, "Leq", "56.3"}};
  auto first = qs().write_hours(rows);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->fresh, 4);
  EXPECT_EQ(first->same, 0);
  // The same rows again (a re-sent upload): nothing changes.
  auto again = qs().write_hours(rows);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->fresh, 0);
  EXPECT_EQ(again->same, 4);
  EXPECT_EQ(again->conflicts, 0);
  // Another value for a stored hour and item is a conflict (the stored kept); "0.5120" is other text than
  // "0.512": the store compares the text the gateway wrote, not numbers. Two rows of one hour and item in a
  // batch: the first is written, the second compared with it.
  auto other = qs().write_hours({{"W01", h10, "NH3_N", "0.6"},
                                 {"W01", h11, "NH3_N", "0.4980"},
                                 {"W01", h12, "Pb", "0.001"},
                                 {"W01", h12, "Pb", "0.002"}});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->fresh, 1);
  EXPECT_EQ(other->same, 0);
  EXPECT_EQ(other->conflicts, 3);
  // Hours 10..11 of W01, both included, by hour then item; N01's and hour 12 left out.
  auto read = qs().hours("W01", h10, h11);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (std::vector<QualityHourRow>{{"W01", h10, "NH3_N", "0.512"},
                                                {"W01", h10, "Pb", "0.0125"},
                                                {"W01", h11, "NH3_N", "0.498"}}));
  EXPECT_EQ(*qs().hours("W01", h12, h12), (std::vector<QualityHourRow>{{"W01", h12, "Pb", "0.001"}}));
  EXPECT_TRUE(qs().hours("W02", h10, h12)->empty());
  EXPECT_TRUE(qs().hours("W01", h12 + 1, h12 + 24)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, QualityStationStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
