// Issuing and listing HJ 212-2025 device keys through the service over the SQLite stores: the key is random
// (or the one given), 16 characters, sealed in the store (the store file does not contain it), opens under
// the master key for that device; the replaced key's grace; bureau only; unregistered devices refused.
#include "app/source_keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon::app {
namespace {

constexpr char kMn[] = "E0C000000000000000000001";
const Actor kBureau{"wang", Role::kAnalyst, "", ""};
const Actor kCounty{"li", Role::kCounty, "城区", ""};
constexpr int64_t kHour = int64_t{3600} * 1000;

class SourceKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "keys.db").string();
    stores_ = open_sqlite_stores(db_).value();
    DeviceRecord d;
    d.mn = kMn;
    d.password = "123456";
    ASSERT_TRUE(stores_->sources().upsert_device(d).ok());
  }
  std::string file_bytes() {
    stores_.reset();  // closes the connection: the WAL is folded into the file
    std::ifstream f(db_, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    stores_ = open_sqlite_stores(db_).value();
    return s.str();
  }
  testing::TempDir dir_{"source_keys"};
  std::string db_;
  std::unique_ptr<Stores> stores_;
  const MasterKey master_ = MasterKey::generate();
};

TEST_F(SourceKeysTest, IssuedKeyIsSealedInTheStoreAndOpensForItsDevice) {
  auto k = issue_device_key(*stores_, kBureau, master_, {.mn = kMn}, 1000);
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->serial, 1);
  EXPECT_TRUE(valid_session_key(k->key)) << k->key;
  EXPECT_FALSE(k->previous_valid_until_ms.has_value());  // nothing was replaced
  EXPECT_EQ(file_bytes().find(k->key), std::string::npos) << "the clear key is in the store file";
  auto stored = stores_->device_keys().valid_keys(kMn, 1000).value();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(*open_device_key(master_, kMn, stored[0].sealed), k->key);
  EXPECT_EQ(stored[0].issued_by, "wang");
}

TEST_F(SourceKeysTest, RotationGivesThePreviousKeyItsGrace) {
  ASSERT_TRUE(issue_device_key(*stores_, kBureau, master_, {.mn = kMn, .key = "0000000000000000"}, 0).ok());
  // Rotated at 10 h with a 2-hour grace: the old key is valid until 12 h (exclusive).
  auto k2 = issue_device_key(*stores_, kBureau, master_, {.mn = kMn, .grace_ms = 2 * kHour}, 10 * kHour);
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(k2->serial, 2);
  EXPECT_EQ(k2->previous_valid_until_ms, 12 * kHour);
  auto at11 = device_keys(*stores_, kBureau, kMn, 11 * kHour).value();
  ASSERT_EQ(at11.size(), 2u);
  EXPECT_EQ(at11[0].state, "previous");
  EXPECT_EQ(at11[1].state, "current");
  auto at12 = device_keys(*stores_, kBureau, "", 12 * kHour).value();
  EXPECT_EQ(at12[0].state, "retired");
  auto valid = stores_->device_keys().valid_keys(kMn, 11 * kHour).value();
  ASSERT_EQ(valid.size(), 2u);
  EXPECT_EQ(*open_device_key(master_, kMn, valid[1].sealed), "0000000000000000");  // the previous one
}

TEST_F(SourceKeysTest, RefusalsSayWhy) {
  auto county = issue_device_key(*stores_, kCounty, master_, {.mn = kMn}, 0);
  EXPECT_EQ(county.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(device_keys(*stores_, kCounty, "", 0).status().code(), StatusCode::kPermissionDenied);
  auto unknown = issue_device_key(*stores_, kBureau, master_, {.mn = "E0C0000000000000000000FF"}, 0);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  auto short_key = issue_device_key(*stores_, kBureau, master_, {.mn = kMn, .key = "123"}, 0);
  EXPECT_EQ(short_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_key.status().message().find("123"), std::string::npos);  // not echoed
  auto negative = issue_device_key(*stores_, kBureau, master_, {.mn = kMn, .grace_ms = -1}, 0);
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(stores_->device_keys().history(kMn)->empty());  // nothing written by a refusal
}

}  // namespace
}  // namespace ecomon::app
