// Device session keys in the SQLite store (store/api/device_keys.h): one current key per device, rotation
// retiring the current key with its grace time, validity at a given instant (the boundary: valid while
// now < valid_until), registered devices only, and a change bumping the registry revision.
// Runs on SQLite and, in the cluster build (postgres_store_suite), on PostgreSQL
// (store/test_store_backends.h).
#include <gtest/gtest.h>

#include "store/test_store_backends.h"

namespace ecomon {
namespace {

constexpr char kMn[] = "E0C000000000000000000001";
constexpr char kOther[] = "E0C000000000000000000002";

class DeviceKeyStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    for (const char* mn : {kMn, kOther}) {
      DeviceRecord d;
      d.mn = mn;
      d.password = "123456";
      ASSERT_TRUE(ts_->stores().sources().upsert_device(d).ok());
    }
  }
  DeviceKeyStore& keys() { return ts_->stores().device_keys(); }
  static DeviceKeyRecord key(const char* mn, const char* sealed, int64_t at) {
    return {.mn = mn, .sealed = sealed, .issued_ms = at, .issued_by = "wang"};
  }
  static std::vector<int64_t> serials(const std::vector<DeviceKeyRecord>& ks) {
    std::vector<int64_t> out;
    for (const auto& k : ks) out.push_back(k.serial);
    return out;
  }
  std::unique_ptr<TestStores> ts_;
};

TEST_P(DeviceKeyStoreTest, RotationKeepsThePreviousKeyForItsGraceOnly) {
  // Key 1 issued at t=1000; key 2 at t=5000 with a grace to t=8000; key 3 at t=6000 with a grace to t=9000.
  ASSERT_EQ(*keys().rotate(key(kMn, "s1", 1000), 0), 1);
  ASSERT_EQ(*keys().rotate(key(kMn, "s2\0x", 5000), 8000), 2);
  EXPECT_EQ(serials(*keys().valid_keys(kMn, 7999)), (std::vector<int64_t>{2, 1}));  // current first
  EXPECT_EQ(serials(*keys().valid_keys(kMn, 8000)), (std::vector<int64_t>{2}));     // grace over at 8000
  ASSERT_EQ(*keys().rotate(key(kMn, "s3", 6000), 9000), 3);
  // Key 1's grace is not extended by the second rotation: at 7000, keys 3, 2 (to 9000) and 1 (to 8000).
  EXPECT_EQ(serials(*keys().valid_keys(kMn, 7000)), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(serials(*keys().valid_keys(kMn, 8500)), (std::vector<int64_t>{3, 2}));
  auto h = *keys().history(kMn);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].valid_until_ms, 8000);
  EXPECT_EQ(h[1].valid_until_ms, 9000);
  EXPECT_FALSE(h[2].valid_until_ms.has_value());
  EXPECT_EQ(h[2].sealed, "s3");
  EXPECT_EQ(h[2].issued_by, "wang");
  EXPECT_EQ(h[2].issued_ms, 6000);
}

TEST_P(DeviceKeyStoreTest, SealedBytesRoundTripAsBinary) {
  const std::string sealed("\0\xff\x01sealed\0", 10);
  DeviceKeyRecord k{.mn = kMn, .sealed = sealed, .issued_ms = 1, .issued_by = "wang"};
  ASSERT_TRUE(keys().rotate(k, 0).ok());
  EXPECT_EQ(keys().valid_keys(kMn, 2)->at(0).sealed, sealed);
}

TEST_P(DeviceKeyStoreTest, AllDevicesByMnAndUnknownDevicesRefused) {
  ASSERT_TRUE(keys().rotate(key(kOther, "o1", 10), 0).ok());
  ASSERT_TRUE(keys().rotate(key(kMn, "m1", 10), 0).ok());
  ASSERT_TRUE(keys().rotate(key(kMn, "m2", 20), 100).ok());
  auto all = *keys().all_valid_keys(50);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].mn, kMn);
  EXPECT_EQ(all[0].serial, 2);
  EXPECT_EQ(all[1].serial, 1);
  EXPECT_EQ(all[2].mn, kOther);
  auto unknown = keys().rotate(key("E0C0000000000000000000FF", "x", 1), 0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(keys().history("E0C0000000000000000000FF")->empty());
}

TEST_P(DeviceKeyStoreTest, AKeyChangeMovesTheRegistryRevision) {
  const int64_t before = *ts_->registry_revision();
  ASSERT_TRUE(keys().rotate(key(kMn, "s1", 1), 0).ok());
  EXPECT_GT(*ts_->registry_revision(), before);  // the gateway reloads its keys with the registry
}

INSTANTIATE_TEST_SUITE_P(Backends, DeviceKeyStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
