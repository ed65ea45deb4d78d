// The pending-device table of HJ 212-2025 provisioning (store/api/pending_devices.h), on every backend
// (store/test_store_backends.h): a repeated 1001 updates one row, an MN is assigned once.
#include "store/sources/pending_device_store.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

class PendingDeviceStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { ECOMON_OPEN_TEST_STORES(ts_); }
  PendingDeviceStore& store() { return ts_->stores().pending_devices(); }
  std::unique_ptr<TestStores> ts_;
};

// The spec note's F1 identity (11_hj212_2025.md §3.3).
PendingSighting f1(int64_t at, const std::string& peer) {
  return {.hardware_id = "6970000000001ABCDEFG1234",
          .cpu_id = "A800200A8C6D",
          .mac1 = "E86A643C7BBC",
          .mac2 = "A763742C1AE1",
          .st = "31",
          .pw = "123456",
          .peer = peer,
          .seen_ms = at};
}

TEST_P(PendingDeviceStoreTest, RepeatedSightingsUpdateOneRow) {
  ASSERT_TRUE(store().record_sighting(f1(1000, "10.0.0.5:4711")).ok());
  PendingSighting again = f1(61000, "10.0.0.6:5000");
  again.mac2 = "A763742C1AE2";  // a changed second MAC is taken as now
  ASSERT_TRUE(store().record_sighting(again).ok());
  ASSERT_TRUE(store().record_sighting(f1(121000, "10.0.0.6:5001")).ok());
  auto rows = store().list();
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  const PendingDevice& d = rows->front();
  EXPECT_EQ(d.hardware_id, "6970000000001ABCDEFG1234");
  EXPECT_EQ(d.cpu_id, "A800200A8C6D");
  EXPECT_EQ(d.mac1, "E86A643C7BBC");
  EXPECT_EQ(d.mac2, "A763742C1AE1");
  EXPECT_EQ(d.peer, "10.0.0.6:5001");
  EXPECT_EQ(d.first_seen_ms, 1000);
  EXPECT_EQ(d.last_seen_ms, 121000);
  EXPECT_EQ(d.count, 3);
  EXPECT_FALSE(d.assigned());
  // A second logger gets its own row, after the first.
  PendingSighting other = f1(2000, "10.0.0.7:1");
  other.hardware_id = "6970000000001ABCDEFG9999";
  ASSERT_TRUE(store().record_sighting(other).ok());
  rows = store().list();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].hardware_id, "6970000000001ABCDEFG9999");
  EXPECT_EQ((*rows)[1].count, 1);
}

TEST_P(PendingDeviceStoreTest, NoHardwareIdIsRefused) {
  PendingSighting s = f1(1000, "p");
  s.hardware_id.clear();
  EXPECT_EQ(store().record_sighting(s).code(), StatusCode::kInvalidArgument);
  auto rows = store().list();
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_P(PendingDeviceStoreTest, AnMnIsAssignedOnceAndToOneLogger) {
  ASSERT_TRUE(store().record_sighting(f1(1000, "p")).ok());
  PendingSighting other = f1(2000, "q");
  other.hardware_id = "B";
  ASSERT_TRUE(store().record_sighting(other).ok());
  auto rows = store().list();
  ASSERT_TRUE(rows.ok());
  const int64_t first = (*rows)[0].id, second = (*rows)[1].id;
  ASSERT_TRUE(store().assign(first, "010000A8900016F000169DC0", "wang", 5000).ok());
  auto d = store().get(first);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->mn, "010000A8900016F000169DC0");
  EXPECT_EQ(d->assigned_ms, 5000);
  EXPECT_EQ(d->assigned_by, "wang");
  // Again (any MN): refused, the first kept.
  EXPECT_EQ(store().assign(first, "OTHER", "wang", 6000).code(), StatusCode::kFailedPrecondition);
  // The same MN for another logger: refused.
  EXPECT_EQ(store().assign(second, "010000A8900016F000169DC0", "wang", 6000).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().assign(first + second + 100, "X", "wang", 6000).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().get(first + second + 100).status().code(), StatusCode::kNotFound);
  // A sighting after the assignment keeps the MN.
  ASSERT_TRUE(store().record_sighting(f1(7000, "p2")).ok());
  d = store().get(first);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->mn, "010000A8900016F000169DC0");
  EXPECT_EQ(d->count, 2);
  // The MN is bound to the identity it was given with: a 1001 of the same 数采仪ID from other hardware is a
  // sighting (count 3, last seen, peer) but keeps the CPU ID and MACs.
  PendingSighting clone = f1(8000, "p3");
  clone.cpu_id = "FFFFFFFFFFFF";
  clone.mac1 = "000000000000";
  clone.mac2 = "";
  ASSERT_TRUE(store().record_sighting(clone).ok());
  d = store().get(first);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->count, 3);
  EXPECT_EQ(d->last_seen_ms, 8000);
  EXPECT_EQ(d->peer, "p3");
  EXPECT_EQ(d->cpu_id, "A800200A8C6D");
  EXPECT_EQ(d->mac1, "E86A643C7BBC");
  EXPECT_EQ(d->mac2, "A763742C1AE1");
  // A row given its MN before its 1001 stated a CPU ID or MACs takes them from the first 1001 that does,
  // then keeps them.
  PendingSighting bare{.hardware_id = "C", .st = "31", .pw = "1", .peer = "r", .seen_ms = 9000};
  ASSERT_TRUE(store().record_sighting(bare).ok());
  const int64_t third = store().list()->back().id;
  ASSERT_TRUE(store().assign(third, "010000A8900016F000169DC1", "wang", 9500).ok());
  PendingSighting stated = f1(10000, "r");
  stated.hardware_id = "C";
  ASSERT_TRUE(store().record_sighting(stated).ok());
  stated.cpu_id = "111111111111";
  stated.seen_ms = 11000;
  ASSERT_TRUE(store().record_sighting(stated).ok());
  d = store().get(third);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->cpu_id, "A800200A8C6D");
  EXPECT_EQ(d->mac1, "E86A643C7BBC");
  EXPECT_EQ(d->count, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, PendingDeviceStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
