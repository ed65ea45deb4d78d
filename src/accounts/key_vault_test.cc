#include "accounts/key_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "testing/temp_dir.h"

namespace ecomon {
namespace {

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kMn = "010000A8900016F000169DC0";

TEST(MasterKey, HexFormIsExactly64Digits) {
  auto k = MasterKey::from_hex("  " + kHex + "\n");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->bytes()[0], 0x00);
  EXPECT_EQ(k->bytes()[31], 0x1f);
  EXPECT_EQ(k->hex(), kHex);
  for (const std::string& bad : {kHex.substr(0, 62), kHex + "00", "zz" + kHex.substr(2), std::string()}) {
    auto b = MasterKey::from_hex(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
    if (bad.size() > 8) {
      EXPECT_EQ(b.status().message().find(bad), std::string::npos) << "echoed the key";
    }
  }
}

TEST(MasterKey, FileIsCreatedPrivateOnceAndLoads) {
  testing::TempDir dir("master_key");
  const std::string path = (dir.path() / "master.key").string();
  ASSERT_TRUE(MasterKey::create_file(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // readable by its owner only
  auto k = MasterKey::load(path);
  ASSERT_TRUE(k.ok()) << k.status().message();
  // Never overwritten: the keys sealed under it would be lost.
  Status again = MasterKey::create_file(path);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(MasterKey::load(path)->hex(), k->hex());
  // A file that is not a key: named, content not echoed.
  const std::string bad = (dir.path() / "bad.key").string();
  std::ofstream(bad) << "secret-but-not-hex";
  auto b = MasterKey::load(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(bad), std::string::npos);
  EXPECT_EQ(b.status().message().find("secret-but-not-hex"), std::string::npos);
  EXPECT_EQ(MasterKey::load((dir.path() / "absent").string()).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(MasterKey, DefaultComesFromTheEnvironment) {
  ::unsetenv("ECOMON_MASTER_KEY_FILE");
  ::unsetenv("ECOMON_MASTER_KEY");
  auto none = MasterKey::load_default();
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("ECOMON_MASTER_KEY_FILE"), std::string::npos);
  ::setenv("ECOMON_MASTER_KEY", kHex.c_str(), 1);
  EXPECT_EQ(MasterKey::load_default()->hex(), kHex);
  ::unsetenv("ECOMON_MASTER_KEY");
}

TEST(SessionKey, SixteenAlphanumericCharactersEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string k = generate_session_key();
    EXPECT_TRUE(valid_session_key(k)) << k;
    seen.insert(k);
  }
  EXPECT_EQ(seen.size(), 200u);  // 200 draws from 62^16 keys: a repeat would mean a broken generator
  EXPECT_TRUE(valid_session_key("0000000000000000"));    // the standard's test key
  EXPECT_FALSE(valid_session_key("000000000000000"));    // 15
  EXPECT_FALSE(valid_session_key("00000000000000000"));  // 17
  EXPECT_FALSE(valid_session_key("000000000000000-"));
}

TEST(DeviceKeySeal, OpensOnlyUnderTheSameMasterKeyForTheSameDevice) {
  const MasterKey master = *MasterKey::from_hex(kHex);
  const std::string key = "0000000000000000";
  auto sealed = seal_device_key(master, kMn, key);
  ASSERT_TRUE(sealed.ok());
  // nonce 24 + ciphertext 16 + tag 16
  EXPECT_EQ(sealed->size(), 56u);
  EXPECT_EQ(sealed->find(key), std::string::npos);  // the key is not in the sealed bytes
  EXPECT_EQ(*open_device_key(master, kMn, *sealed), key);
  // Two seals of one key differ (a fresh nonce each time).
  EXPECT_NE(*seal_device_key(master, kMn, key), *sealed);
  // Another master key, another device, altered bytes, a short row: refused, the key not in the message.
  EXPECT_EQ(open_device_key(MasterKey::generate(), kMn, *sealed).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(open_device_key(master, "010000A8900016F000169DC1", *sealed).status().code(),
            StatusCode::kPermissionDenied);
  std::string altered = *sealed;
  altered[30] ^= 1;
  auto bad = open_device_key(master, kMn, altered);
  EXPECT_EQ(bad.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(bad.status().message().find(kMn), std::string::npos);
  EXPECT_EQ(open_device_key(master, kMn, sealed->substr(0, 39)).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ecomon
