// The same `ecomon` commands on SQLite and on the cluster give the same output (issue 18, conformance): the
// store named by ECOMON_TEST_STORE (a cluster URL; ./test starts one with scripts/cluster.sh and sets it) and
// a fresh SQLite file are given the same imports — the demo city, and 晋城 2019 from the national archive
// when ../shared/data is present — and every read below must print the same bytes on both. Skips, saying
// why, without a cluster. Label `cluster`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "testing/csv_cases.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::CommandResult;

CommandResult ecomon(const std::string& store, const std::string& args) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " --store '" + store + "' " + args,
                                      /*with_stderr=*/false);
}

class ClusterCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("ECOMON_TEST_STORE");
    if (url == nullptr || *url == '\0') {
      GTEST_SKIP()
          << "ECOMON_TEST_STORE is not set: start a cluster with `scripts/cluster.sh up` and set it to "
             "the URL it prints (./test does both)";
    }
    cluster = url;
    sqlite = (dir.path() / "s.db").string();
  }
  // Runs `args` on both stores and expects the same exit code and standard output.
  void same(const std::string& args) {
    CommandResult a = ecomon(sqlite, args);
    CommandResult b = ecomon(cluster, args);
    EXPECT_EQ(a.code, b.code) << args;
    EXPECT_EQ(a.out, b.out) << args;
    EXPECT_FALSE(a.out.empty()) << args;
  }
  ecomon::testing::TempDir dir{"cluster_cli"};
  std::string cluster, sqlite;
};

TEST_F(ClusterCli, DemoCityReadsTheSameOnBoth) {
  const std::string out = (dir.path() / "demo").string();
  for (const std::string& store : {sqlite, cluster}) {
    CommandResult r = ecomon(store, "demo --out " + out);
    ASSERT_EQ(r.code, 0) << store << "\n" << r.out;
  }
  // Imported twice, the cluster changes nothing the second time (idempotent as SQLite).
  CommandResult again = ecomon(cluster, "import cnemc " + out + "/cnemc --stations " + out + "/sites.csv");
  EXPECT_NE(again.out.find(" 0 blocks written"), std::string::npos) << again.out;
  same("air annual --city 演示市 --year 2025 --format json");
  same("air daily --city 演示市 --month 2025-01 --format json");
  same("air hourly --city 演示市 --date 2025-07-10 --format json");
  same("air rank --year 2025 --format json");
  same("water assess --year 2025 --format json");
  same("soil assess --format json");
}

TEST_F(ClusterCli, Jincheng2019AnnualAndRankTheSameOnBoth) {
  std::string why;
  auto shared = ecomon::testing::shared_dir(&why);
  if (!shared) GTEST_SKIP() << why;
  const std::string args = "import cnemc " + (*shared / "data/cnemc-2019/jincheng").string() +
                           " --stations " + (*shared / "data/cnemc-2019/sites-2022.csv").string();
  for (const std::string& store : {sqlite, cluster}) {
    CommandResult r = ecomon(store, args);
    ASSERT_EQ(r.code, 0) << store << "\n" << r.out;
  }
  same("air annual --city 晋城 --year 2019 --format json");
  same("air rank --year 2019 --format json");
  same("air period --city 晋城 --quarter 2019-Q3 --format json");
}

}  // namespace
