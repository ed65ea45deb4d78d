// `ecomon hj212 check` with HJ 212-2025 encrypted data areas, as a user runs it: the SM4 key given with --key
// (32 hex digits or 16 characters, repeatable) or --key-file, and --version forcing the version a line is
// checked as. The frames are the standard's App. A.2 example (11_hj212_2025.md §3.4: the 295-byte 2051 upload
// O2, its CP encrypted under the test key "0000000000000000" = 16 × 0x30) in form B, the "{0x..}" text, which
// is line-safe.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "ingest/hj212/codec.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

using ecomon::testing::CommandResult;
using ecomon::testing::TempDir;

CommandResult ecomon(const std::string& args, bool with_stderr = false) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, with_stderr);
}

const std::string kO2 =
    "##0295QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&DataTime="
    "20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;a01012-Min=9.3,a01012-Avg="
    "9.3,a01012-Max=9.3,a01012-Flag=N;a01014-Min=3.20,a01014-Avg=3.211,a01014-Max=3.212,a01014-Flag=N&&"
    "2200\r\n";
constexpr const char* kTextKey = "0000000000000000";
constexpr const char* kHexKey = "30303030303030303030303030303030";  // the same key as 32 hex digits

class Hj212CheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = ecomon::hj212::CpKey::from_text(kTextKey);
    ASSERT_TRUE(key);
    auto b = ecomon::hj212::encrypt_frame(kO2, *key, /*hex_list=*/true);
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->substr(0, 6), "##1128");  // form B's real length (11_hj212_2025.md §3.4)
    frames = (dir.path() / "frames.txt").string();
    std::ofstream(frames) << *b;  // ends with CR LF
  }
  nlohmann::json line_json(const CommandResult& r) {
    auto nl = r.out.find('\n');
    return nlohmann::json::parse(r.out.substr(0, nl));
  }
  TempDir dir{"hj212_cli"};
  std::string frames;
};

TEST_F(Hj212CheckCli, EncryptedLineChecksUnderTheKeyGivenEitherWay) {
  for (const std::string key : {kTextKey, kHexKey}) {
    CommandResult r = ecomon("hj212 check --key " + key + " " + frames);
    ASSERT_EQ(r.code, 0) << r.out;
    nlohmann::json j = line_json(r);
    EXPECT_TRUE(j["ok"].get<bool>());
    EXPECT_EQ(j["header"]["version"], "HJ212-2025");
    EXPECT_EQ(j["header"]["encrypted"], "hex_list");
    bool found = false;
    for (const auto& item : j["cp"]) {
      if (item["key"] == "a01014-Max") {
        EXPECT_EQ(item["value"], "3.212");  // the plaintext's value, read after decryption
        found = true;
      }
    }
    EXPECT_TRUE(found) << r.out;
  }
}

TEST_F(Hj212CheckCli, CurrentAndPreviousKeyAndAKeyFile) {
  // Two keys: a wrong "current" one and the right "previous" one (key rotation, HJ 212-2025 CN 1014).
  CommandResult r =
      ecomon("hj212 check --key 1234567890ABCDEF --key " + std::string(kTextKey) + " " + frames);
  EXPECT_EQ(r.code, 0) << r.out;
  const std::string file = (dir.path() / "keys.txt").string();
  std::ofstream(file) << "# the test key\r\n\r\n" << kHexKey << "\r\n";
  r = ecomon("hj212 check --key-file " + file + " " + frames);
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(Hj212CheckCli, WithoutTheRightKeyTheLineIsRejectedNotCrashed) {
  // No key: the ciphertext does not match the plaintext CRC 2200.
  CommandResult none = ecomon("hj212 check " + frames);
  EXPECT_EQ(none.code, 1) << none.out;
  EXPECT_FALSE(line_json(none)["ok"].get<bool>());
  // A wrong key: decryption under every key given fails, named as such.
  CommandResult wrong = ecomon("hj212 check --key 1234567890ABCDEF " + frames);
  EXPECT_EQ(wrong.code, 1) << wrong.out;
  EXPECT_EQ(line_json(wrong)["error"]["what"], "decrypt_failed") << wrong.out;
}

TEST_F(Hj212CheckCli, BadKeysAreRefusedWithoutEchoingThem) {
  const std::string secret = "3030303030303030303030303030303";  // 31 digits
  CommandResult r = ecomon("hj212 check --key " + secret + " " + frames, /*with_stderr=*/true);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--key 1: an SM4 key is 32 hex digits or 16 characters (this one has 31)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(secret), std::string::npos) << "the key was echoed: " << r.out;
  const std::string file = (dir.path() / "bad-keys.txt").string();
  std::ofstream(file) << kHexKey << "\nnot-a-key\n";
  r = ecomon("hj212 check --key-file " + file + " " + frames, true);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(file + ":2: an SM4 key"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("not-a-key"), std::string::npos) << r.out;
  r = ecomon("hj212 check --key-file " + (dir.path() / "absent").string() + " " + frames, true);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("cannot open key file"), std::string::npos) << r.out;
}

TEST_F(Hj212CheckCli, VersionForcesHowALineIsRead) {
  // The plaintext O2 says Flag=9 (version bits 000010: 2025). Forced to 2017 it is read as 2017 (2017's check
  // rules: the Flag's version bits disagree, which the strict policy reports).
  const std::string plain = (dir.path() / "plain.txt").string();
  std::ofstream(plain) << kO2;
  CommandResult as2025 = ecomon("hj212 check " + plain);
  ASSERT_EQ(as2025.code, 0) << as2025.out;
  EXPECT_EQ(line_json(as2025)["header"]["version"], "HJ212-2025");
  CommandResult as2017 = ecomon("hj212 check --version 2017 " + plain);
  EXPECT_EQ(line_json(as2017)["header"]["version"], "HJ212-2017") << as2017.out;
  CommandResult bad = ecomon("hj212 check --version 2019 " + plain, true);
  EXPECT_EQ(bad.code, 2) << bad.out;
}

}  // namespace
