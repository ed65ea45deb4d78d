// The data audit's store (store/api/audit.h) on every SQL backend (store/test_store_backends.h): versions
// numbered per key in append order, read back by range and station, a closed month refusing a whole batch
// (nothing stored), closings and reopenings kept as history, station counties set, replaced and removed.
#include "store/audit/audit_store.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

class AuditStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
  AuditStore& audit() { return ts_->stores().audit(); }
  std::unique_ptr<TestStores> ts_;
};

const CivilDay kDay = CivilDay::from_ymd(2019, 1, 10);

AuditVersion version(int64_t station, Pollutant p, Hour h, AuditAction a, Milli value = kMissing) {
  return AuditVersion{.station_id = station,
                      .pollutant = p,
                      .hour = h,
                      .action = a,
                      .value = value,
                      .previous = 40'000,
                      .reason = "instrument-fault",
                      .note = "分析仪故障",
                      .source = "cli",
                      .who = "zhang"};
}

TEST_P(AuditStoreTest, NumbersVersionsPerKeyAndReadsThemBackInOrder) {
  EXPECT_EQ(*audit().version_count(), 0);
  const Hour h1 = Hour::ending(kDay, 1), h2 = Hour::ending(kDay, 2);
  std::vector<AuditVersion> first = {version(7, Pollutant::kPM25, h1, AuditAction::kInvalidate),
                                     version(7, Pollutant::kPM25, h2, AuditAction::kInvalidate),
                                     version(8, Pollutant::kSO2, h1, AuditAction::kCorrect, 12'500)};
  ASSERT_TRUE(audit().append(first).ok());
  EXPECT_EQ(first[0].version, 1);
  EXPECT_EQ(first[2].version, 1);
  EXPECT_GT(first[0].at_ms, 0);  // set by the store: now
  // A second batch on h1: version 2 of that key only; the same key twice in one batch counts on.
  std::vector<AuditVersion> second = {version(7, Pollutant::kPM25, h1, AuditAction::kRestore),
                                      version(7, Pollutant::kPM25, h1, AuditAction::kFlag)};
  second[1].at_ms = 1'546'000'000'000;  // given: kept
  ASSERT_TRUE(audit().append(second).ok());
  EXPECT_EQ(second[0].version, 2);
  EXPECT_EQ(second[1].version, 3);
  EXPECT_EQ(*audit().version_count(), 5);

  auto all = audit().versions({}, h1, h2);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 5u);
  // station 7 PM2.5 h1 v1..v3, h2 v1, then station 8.
  EXPECT_EQ((*all)[0].version, 1);
  EXPECT_EQ((*all)[0].action, AuditAction::kInvalidate);
  EXPECT_EQ((*all)[0].value, kMissing);
  EXPECT_EQ((*all)[0].previous, 40'000);
  EXPECT_EQ((*all)[0].note, "分析仪故障");
  EXPECT_EQ((*all)[0].who, "zhang");
  EXPECT_EQ((*all)[2].action, AuditAction::kFlag);
  EXPECT_EQ((*all)[2].at_ms, 1'546'000'000'000);
  EXPECT_EQ((*all)[3].hour, h2);
  EXPECT_EQ((*all)[4].station_id, 8);
  EXPECT_EQ((*all)[4].value, 12'500);
  // One station, one hour.
  const int64_t eight = 8;
  auto one = audit().versions(std::span(&eight, 1), h1, h1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].pollutant, Pollutant::kSO2);
  // A range without versions.
  EXPECT_TRUE(audit().versions({}, h2 + 1, h2 + 100)->empty());
  // Survives a reopening of the store (another process).
  ASSERT_TRUE(ts_->reopen().ok());
  EXPECT_EQ(*audit().version_count(), 5);
}

TEST_P(AuditStoreTest, AClosedMonthRefusesTheWholeBatchUntilReopened) {
  const MonthKey jan = MonthKey::of(2019, 1);
  ASSERT_TRUE(audit().set_month_closed({jan, true, "admin", "月报审核完成", 0}).ok());
  // Closing again: refused.
  EXPECT_EQ(audit().set_month_closed({jan, true, "admin", "", 0}).code(), StatusCode::kFailedPrecondition);
  // A batch with one hour in February (open) and one in January (closed): nothing stored.
  std::vector<AuditVersion> batch = {
      version(7, Pollutant::kPM25, Hour::ending(CivilDay::from_ymd(2019, 2, 1), 5), AuditAction::kInvalidate),
      version(7, Pollutant::kPM25, Hour::ending(kDay, 1), AuditAction::kInvalidate)};
  Status s = audit().append(batch);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("month 2019-01 is closed"), std::string::npos) << s.message();
  EXPECT_EQ(*audit().version_count(), 0);
  // The hour ending 2019-02-01 00:00 is January's last hour (2019-01-31 24:00): refused too.
  std::vector<AuditVersion> edge = {version(
      7, Pollutant::kPM25, Hour::ending(CivilDay::from_ymd(2019, 1, 31), 24), AuditAction::kInvalidate)};
  EXPECT_EQ(audit().append(edge).code(), StatusCode::kFailedPrecondition);
  // Reopened (with a reason): accepted.
  ASSERT_TRUE(audit().set_month_closed({jan, false, "admin", "国家站数据复核", 0}).ok());
  EXPECT_EQ(audit().set_month_closed({jan, false, "admin", "again", 0}).code(),
            StatusCode::kFailedPrecondition);  // open already
  ASSERT_TRUE(audit().append(batch).ok());
  EXPECT_EQ(*audit().version_count(), 2);
  // The history: close, reopen, by month; other months filtered out.
  ASSERT_TRUE(audit().set_month_closed({MonthKey::of(2019, 3), true, "admin", "", 0}).ok());
  auto h = audit().month_closings(jan, jan);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_TRUE((*h)[0].closed);
  EXPECT_EQ((*h)[0].reason, "月报审核完成");
  EXPECT_FALSE((*h)[1].closed);
  EXPECT_EQ((*h)[1].reason, "国家站数据复核");
  EXPECT_EQ(audit().month_closings(std::nullopt, std::nullopt)->size(), 3u);
}

TEST_P(AuditStoreTest, StationCountiesAreSetReplacedAndRemoved) {
  EXPECT_EQ(*audit().station_county("2160A"), "");
  ASSERT_TRUE(audit().set_station_county("2160A", "城区").ok());
  EXPECT_EQ(*audit().station_county("2160A"), "城区");
  ASSERT_TRUE(audit().set_station_county("2160A", "泽州县").ok());
  EXPECT_EQ(*audit().station_county("2160A"), "泽州县");
  ASSERT_TRUE(audit().set_station_county("2160A", "").ok());
  EXPECT_EQ(*audit().station_county("2160A"), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
