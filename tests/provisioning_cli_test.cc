// HJ 212-2025 provisioning as an operator runs it (issue 17), the processes themselves over loopback: `ecomon
// gateway`, a logger without an MN (`ecomon hj212-sim --unprovisioned`), `ecomon sources pending` listing it,
// `ecomon sources provision` refused (exit 2, audited) for an analyst and done by the admin, and the logger's
// uploads stored under the MN it was sent with the 1002.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

using ecomon::testing::CommandResult;
using ecomon::testing::TempDir;

constexpr char kHardwareId[] = "6970000000001ABCDEFG1234";
constexpr char kMn[] = "010000A8900016F000169DC0";

class ProvisioningCli : public ::testing::Test {
 protected:
  void SetUp() override { db = (dir.path() / "p.db").string(); }
  CommandResult run(const std::string& args) {
    return ecomon::testing::run_command(std::string(ECOMON_BIN) + " --db " + db + " " + args, true);
  }
  TempDir dir{"provisioning_cli"};
  std::string db;
};

TEST_F(ProvisioningCli, ALoggerIsProvisionedFromThePendingList) {
  ASSERT_EQ(run("users add ana --role analyst --password provisioning-pw").code, 0);
  const std::string d = dir.path().string();
  const std::string bin = ECOMON_BIN;
  // The gateway on a free port, the logger announcing itself every 0.3 s until it has an MN (3 uploads then).
  const std::string script =
      "set -u; cd " + d + "; " + bin + " --db " + db +
      " gateway --listen 127.0.0.1:0 --duration 60 > gw.txt 2>&1 & gw=$!; "
      "for i in $(seq 100); do grep -q 'listening on' gw.txt && break; sleep 0.1; done; "
      "port=$(sed -n 's/.*listening on 127.0.0.1:\\([0-9]*\\).*/\\1/p' gw.txt); " +
      bin + " hj212-sim --unprovisioned " + kHardwareId +
      " --protocol 2025 --devices 1 --interval 0.3 --duration 40 --messages 3 --target 127.0.0.1:$port "
      "--json "
      "> sim.json 2> sim.err & sim=$!; "
      "for i in $(seq 150); do " +
      bin + " --db " + db +
      " sources pending --format json | grep -q '\"count\": [2-9]' && break; sleep 0.1; done; " + bin +
      " --db " + db + " sources pending > pending.txt 2>&1; " + bin + " --db " + db +
      " sources provision --pending 1 --mn " + kMn +
      " --as ana > refused.txt 2>&1; echo $? > refused.code; " + bin + " --db " + db +
      " sources provision --pending 1 --mn " + kMn +
      " --enterprise 晋城电厂 > provisioned.txt 2>&1; echo $? > provisioned.code; "
      "wait $sim; kill -INT $gw; wait $gw; true";
  CommandResult all = ecomon::testing::run_command(
      "bash -c '" +
          [&] {
            std::string q;
            for (char c : script) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
            return q;
          }() +
          "'",
      true);
  ASSERT_EQ(all.code, 0) << all.out;
  const auto text = [&](const char* name) {
    std::ifstream f(d + "/" + name);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  EXPECT_NE(text("pending.txt").find(kHardwareId), std::string::npos) << text("pending.txt");
  EXPECT_NE(text("pending.txt").find("(待分配)"), std::string::npos) << text("pending.txt");
  EXPECT_EQ(text("refused.code"), "2\n") << text("refused.txt");
  EXPECT_NE(text("refused.txt").find("only a bureau admin may provision devices"), std::string::npos);
  EXPECT_EQ(text("provisioned.code"), "0\n") << text("provisioned.txt");
  EXPECT_NE(text("provisioned.txt").find(std::string("is MN ") + kMn), std::string::npos);
  const nlohmann::json sim = nlohmann::json::parse(text("sim.json"));
  EXPECT_EQ(sim["assigned_mn"], kMn) << text("sim.json") << text("gw.txt");
  EXPECT_EQ(sim["answered"], 3);
  EXPECT_GE(sim["hardware_notices"].get<int>(), 2);
  // Stored under its MN; the pending row shows it; both provision attempts audited.
  CommandResult records = run(std::string("sources records --mn ") + kMn + " --format json");
  ASSERT_EQ(records.code, 0) << records.out;
  EXPECT_EQ(nlohmann::json::parse(records.out.substr(records.out.find('['))).size(), 3u) << records.out;
  CommandResult pending = run("sources pending --format json");
  ASSERT_EQ(pending.code, 0);
  const nlohmann::json rows = nlohmann::json::parse(pending.out)["pending"];
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["state"], "assigned");
  EXPECT_EQ(rows[0]["mn"], kMn);
  CommandResult commands = run("sources commands --format json");
  EXPECT_NE(commands.out.find("\"done\""), std::string::npos) << commands.out;
  CommandResult audit = run("users audit --limit 10");
  EXPECT_NE(audit.out.find("sources.provision"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("denied"), std::string::npos) << audit.out;
}

TEST_F(ProvisioningCli, BadArgumentsExit2) {
  EXPECT_EQ(run("sources provision --pending 1 --mn 010000A8900016F000169DC0").code, 2);  // no such row
  EXPECT_EQ(run("sources provision --pending 1").code, 2);                                // no --mn
  EXPECT_EQ(run("sources provision --pending x --mn 010000A8900016F000169DC0").code, 2);
  CommandResult empty = run("sources pending");
  EXPECT_EQ(empty.code, 0) << empty.out;
  EXPECT_EQ(run("hj212-sim --unprovisioned X --protocol 2017 --duration 1").code, 2);
}

}  // namespace
