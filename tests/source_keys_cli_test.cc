// `ecomon sources key init-master|issue|list` as a user runs it (HJ 212-2025 device session keys, issue 17):
// the master key file private and never overwritten; a key shown once or written to a private file, sealed in
// the store (the store file never holds it), listed without key material; bureau only; every attempt audited
// without the key; nothing stored when the key could not be handed over.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
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

// `sources register --protocol 2005|2017|2025|auto`, then the whole 2025 path as a user runs it: the
// simulator registers its devices as 2025 and issues them its --key (sealed under the master key, audited),
// the gateway started with the master key loads the keys and decrypts every upload, answered in 2025's Flag.
TEST_F(SourceKeysCli, ProtocolsAndEncryptedUploadsThroughTheGateway) {
  CommandResult bad = run("sources register --mn E0C000000000000000000001 --password 123456 --protocol 2016");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("--protocol"), std::string::npos) << bad.out;
  ASSERT_EQ(run("sources register --mn E0C000000000000000000001 --password 123456 --protocol auto").code, 0);
  ASSERT_EQ(run("sources register --mn E0C000000000000000000002 --password 123456 --protocol 2025").code, 0);
  nlohmann::json devices = nlohmann::json::parse(run("sources devices --format json").out);
  std::map<std::string, int> protocol;
  for (const auto& d : devices) protocol[d["mn"]] = d["protocol"];
  EXPECT_EQ(protocol[kMn], 2017);                      // the default
  EXPECT_EQ(protocol["E0C000000000000000000001"], 0);  // auto
  EXPECT_EQ(protocol["E0C000000000000000000002"], 2025);
  EXPECT_NE(run("sources devices").out.find("auto"), std::string::npos);

  ASSERT_EQ(run("sources key init-master --out " + master).code, 0);
  // Devices E0C0...0010 and ...0011 (--first-device 16): registered as 2025 with the key issued to each.
  const std::string sim =
      "hj212-sim --first-device 16 --devices 2 --protocol 2025 --encrypt --key Sim0Key0Sim0Key0";
  ASSERT_EQ(run(sim + " --register-only", true).code, 0);
  EXPECT_EQ(nlohmann::json::parse(run("sources key list --format json").out)["keys"].size(), 2u);
  const std::string gw_out = (dir.path() / "gw.out").string();
  const std::string env = "ECOMON_MASTER_KEY_FILE=" + master + " ";
  const std::string script =
      "(" + env + ECOMON_BIN + " " + db + " gateway --listen 127.0.0.1:0 --duration 30 > " + gw_out +
      " 2>&1 & echo $! > " + gw_out + ".pid); for i in $(seq 300); do grep -q listening " + gw_out +
      " && break; sleep 0.1; done; port=$(grep -o '127.0.0.1:[0-9]*' " + gw_out +
      " | head -1 | cut -d: -f2); " + env + ECOMON_BIN + " " + db + " " + sim +
      " --no-register --messages 3 --interval 0.1 --duration 20 --json --target 127.0.0.1:$port; kill -INT "
      "$(cat " +
      gw_out + ".pid); while kill -0 $(cat " + gw_out + ".pid) 2>/dev/null; do sleep 0.1; done";
  CommandResult ran = ecomon::testing::run_command(script);
  ASSERT_EQ(ran.code, 0) << ran.out;
  nlohmann::json stats = nlohmann::json::parse(ran.out);
  EXPECT_EQ(stats["sent"], 6);
  EXPECT_EQ(stats["answered"], 6);
  EXPECT_EQ(stats["answers_in_other_version"], 0);
  std::ifstream log(gw_out);
  const std::string gateway((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(gateway.find("HJ 212-2025: 2 device keys loaded, 6 frames decrypted, 0 refused"),
            std::string::npos)
      << gateway;
  EXPECT_EQ(gateway.find("Sim0Key0Sim0Key0"), std::string::npos) << "a key in the gateway's output";
  const CommandResult audit = run("users audit");
  EXPECT_NE(audit.out.find("hj212-sim"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("Sim0Key0Sim0Key0"), std::string::npos);
}

}  // namespace
