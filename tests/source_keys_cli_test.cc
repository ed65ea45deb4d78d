// `ecomon sources key init-master|issue|list` as a user runs it (HJ 212-2025 device session keys, issue 17):
// the master key file private and never overwritten; a key shown once or written to a private file, sealed in
// the store (the store file never holds it), listed without key material; bureau only; every attempt audited
// without the key; nothing stored when the key could not be handed over.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

using ecomon::testing::CommandResult;
using ecomon::testing::TempDir;

constexpr char kMn[] = "010000A8900016F000169DC0";

class SourceKeysCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db = "--db " + (dir.path() / "k.db").string();
    master = (dir.path() / "master.key").string();
    ASSERT_EQ(run("sources register --mn " + std::string(kMn) + " --password 123456").code, 0);
  }
  CommandResult run(const std::string& args, bool with_master = false) {
    const std::string env = with_master ? "ECOMON_MASTER_KEY_FILE=" + master + " " : "";
    return ecomon::testing::run_command(env + ECOMON_BIN + " " + db + " " + args, /*with_stderr=*/true);
  }
  std::string store_bytes() {
    std::ostringstream all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream f((dir.path() / "k.db").string() + suffix, std::ios::binary);
      all << f.rdbuf();
    }
    return all.str();
  }
  TempDir dir{"source_keys_cli"};
  std::string db, master;
};

TEST_F(SourceKeysCli, MasterKeyThenAKeyShownOnceAndSealed) {
  CommandResult none = run(std::string("sources key issue ") + kMn);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.out.find("no master key: set ECOMON_MASTER_KEY_FILE"), std::string::npos) << none.out;

  ASSERT_EQ(run("sources key init-master --out " + master).code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(master.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  CommandResult again = run("sources key init-master --out " + master);
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.out.find("never overwritten"), std::string::npos);

  CommandResult issued = run(std::string("sources key issue ") + kMn + " --format json", true);
  ASSERT_EQ(issued.code, 0) << issued.out;
  nlohmann::json j = nlohmann::json::parse(issued.out);
  const std::string key = j["key"];
  EXPECT_EQ(key.size(), 16u) << key;
  for (char c : key) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << key;
  EXPECT_EQ(j["serial"], 1);
  EXPECT_EQ(store_bytes().find(key), std::string::npos) << "the clear key is in the store";

  CommandResult list = run("sources key list --format json");
  ASSERT_EQ(list.code, 0) << list.out;
  EXPECT_EQ(list.out.find(key), std::string::npos);
  nlohmann::json l = nlohmann::json::parse(list.out);
  ASSERT_EQ(l["keys"].size(), 1u);
  EXPECT_EQ(l["keys"][0]["state"], "current");
  EXPECT_FALSE(l["keys"][0].contains("key"));

  CommandResult audit = run("users audit");
  EXPECT_NE(audit.out.find("sources.key.issue"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("serial 1"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find(key), std::string::npos) << "the key is in the audit log";
}

TEST_F(SourceKeysCli, KeyFileRotationAndRefusals) {
  ASSERT_EQ(run("sources key init-master --out " + master).code, 0);
  const std::string out = (dir.path() / "dev.key").string();
  CommandResult first = run(std::string("sources key issue ") + kMn + " --out " + out, true);
  ASSERT_EQ(first.code, 0) << first.out;
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string key;
  std::ifstream(out) >> key;
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(first.out.find(key), std::string::npos) << "a key written to a file is not shown too";
  // An existing file is refused before anything is stored: still one key.
  CommandResult exists = run(std::string("sources key issue ") + kMn + " --out " + out, true);
  EXPECT_EQ(exists.code, 2);
  EXPECT_NE(exists.out.find("cannot create " + out), std::string::npos) << exists.out;
  EXPECT_EQ(nlohmann::json::parse(run("sources key list --format json").out)["keys"].size(), 1u);
  // A second key replaces the first, which keeps a 2-hour grace.
  CommandResult second =
      run(std::string("sources key issue ") + kMn + " --grace-hours 2 --key 0000000000000000", true);
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("the previous key is valid until"), std::string::npos) << second.out;
  nlohmann::json l = nlohmann::json::parse(run("sources key list --format json").out);
  ASSERT_EQ(l["keys"].size(), 2u);
  EXPECT_EQ(l["keys"][0]["state"], "previous");
  EXPECT_EQ(l["keys"][1]["state"], "current");
  // A county user may not issue keys; the refusal is audited.
  ASSERT_EQ(run("users add li --role county --county 城区 --password county-pass-1").code, 0);
  CommandResult county = run(std::string("sources key issue ") + kMn + " --as li", true);
  EXPECT_EQ(county.code, 2);
  EXPECT_NE(county.out.find("only the bureau"), std::string::npos) << county.out;
  EXPECT_NE(run("users audit").out.find("denied"), std::string::npos);
  // An unregistered device, a malformed hand-made key: refused, nothing stored.
  EXPECT_EQ(run("sources key issue E0C0000000000000000000FF", true).code, 2);
  CommandResult bad = run(std::string("sources key issue ") + kMn + " --key abc", true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("16 characters"), std::string::npos) << bad.out;
  EXPECT_EQ(nlohmann::json::parse(run("sources key list --format json").out)["keys"].size(), 2u);
}

}  // namespace
