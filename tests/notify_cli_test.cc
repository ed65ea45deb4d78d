// `ecomon notify rules add|list|remove`, `notify log`, `notify run` as a user runs them: rules checked and
// audited, admins only, a round with nothing to do says so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

using ecomon::testing::CommandResult;
using ecomon::testing::TempDir;

class NotifyCli : public ::testing::Test {
 protected:
  void SetUp() override { db = "--db " + (dir.path() / "n.db").string(); }
  CommandResult run(const std::string& args) {
    return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + db + " " + args,
                                        /*with_stderr=*/true);
  }
  TempDir dir{"notify_cli"};
  std::string db;
};

TEST_F(NotifyCli, RulesAddedListedRemovedAndAudited) {
  CommandResult added =
      run("notify rules add --role county --county 泽州县 --kinds silence --webhook http://127.0.0.1:9/h");
  ASSERT_EQ(added.code, 0) << added.out;
  EXPECT_EQ(added.out, "rule 1 added\n");
  ASSERT_EQ(run("notify rules add --role admin --levels escalation --email duty@bureau.example").code, 0);
  CommandResult list = run("notify rules list --format json");
  ASSERT_EQ(list.code, 0) << list.out;
  auto j = nlohmann::json::parse(list.out);
  ASSERT_EQ(j["rules"].size(), 2u);
  EXPECT_EQ(j["rules"][0]["kinds"], "silence");
  EXPECT_EQ(j["rules"][0]["levels"], "open,escalation");
  EXPECT_EQ(j["rules"][0]["created_by"], "cli");
  EXPECT_EQ(j["rules"][1]["channel"], "email");
  EXPECT_EQ(j["rules"][1]["kinds"],
            "exceedance,silence,flag_fault,standard_check,furnace_temperature,dust_exceedance,dust_silence,"
            "treatment_not_running,production_during_stop");  // all kinds

  // Bad input: exit 2, the field named; neither or both of --webhook/--email refused.
  CommandResult bad = run("notify rules add --role county --webhook http://127.0.0.1:9/h");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("error: county: a county rule names its county"), std::string::npos) << bad.out;
  CommandResult both = run("notify rules add --role admin --webhook http://x/ --email a@b.org");
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.out.find("give one of --webhook URL or --email ADDRESS"), std::string::npos) << both.out;

  ASSERT_EQ(run("notify rules remove 1").code, 0);
  CommandResult again = run("notify rules remove 1");
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.out.find("no notification rule 1"), std::string::npos) << again.out;
  EXPECT_EQ(nlohmann::json::parse(run("notify rules list --format json").out)["rules"].size(), 1u);

  CommandResult audit = run("users audit --format json");
  ASSERT_EQ(audit.code, 0) << audit.out;
  int adds = 0, removes = 0, refused = 0;
  for (const auto& a : nlohmann::json::parse(audit.out)) {
    adds += a["action"] == "notify.rules.add" && a["outcome"] == "ok";
    refused += a["action"] == "notify.rules.add" && a["outcome"] == "invalid";
    removes += a["action"] == "notify.rules.remove" && a["outcome"] == "ok";
  }
  EXPECT_EQ(adds, 2);
  EXPECT_EQ(refused, 1);  // the county rule without a county (the other never reached the service)
  EXPECT_EQ(removes, 1);
}

TEST_F(NotifyCli, ARoundWithNothingToDoAndAnEmptyLog) {
  CommandResult r = run("notify run");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "queued 0, attempted 0, sent 0, to retry 0, given up 0\n");
  CommandResult log = run("notify log --format json");
  ASSERT_EQ(log.code, 0) << log.out;
  EXPECT_EQ(nlohmann::json::parse(log.out)["attempts"].size(), 0u);
  EXPECT_EQ(run("notify run --escalate-after 0").code, 2);  // below the range
}

}  // namespace
