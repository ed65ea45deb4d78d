// The same `ecomon` commands on SQLite and on the cluster give the same output (issue 18, conformance): the
// store named by ECOMON_TEST_STORE (a cluster URL; ./test starts one with scripts/cluster.sh and sets it) and
// a fresh SQLite file are given the same imports — the demo city, and 晋城 2019 from the national archive
// when ../shared/data is present — and every read below must print the same bytes on both. Skips, saying
// why, without a cluster. Label `cluster`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  same("air rank --year 2025 --cities 演示市 --format json");
  same("water assess --year 2025 --format json");
  same("soil assess --format json");
}

// `ecomon emissions` on the cluster (issue 21; the verb opened only SQLite stores before): the year's totals
// from the stored day-loads (PostgreSQL) and --from-uploads (every upload decoded again) print the same JSON,
// over whatever registry and uploads the shared cluster store holds; `emissions rebuild` runs there too
// (exit 0; it replaces only days the reads did not compute).
TEST_F(ClusterCli, EmissionsFromDayLoadsEqualFromUploads) {
  const CommandResult loads = ecomon(cluster, "emissions --year 2026 --kind minute --format json");
  ASSERT_EQ(loads.code, 0) << loads.out;
  EXPECT_NE(loads.out.find("\"period\": \"2026\""), std::string::npos) << loads.out;
  const CommandResult uploads =
      ecomon(cluster, "emissions --year 2026 --kind minute --format json --from-uploads");
  ASSERT_EQ(uploads.code, 0) << uploads.out;
  EXPECT_EQ(loads.out, uploads.out);
  const CommandResult rebuild = ecomon(cluster, "emissions rebuild --from 2026-01-01 --to 2026-12-31");
  EXPECT_EQ(rebuild.code, 0) << rebuild.out;
  EXPECT_NE(rebuild.out.find("day-loads: "), std::string::npos) << rebuild.out;
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
  // The cluster store is shared by the cluster tests (the audit test adds cities of its own): rank ours.
  same("air rank --year 2019 --cities 晋城 --format json");
  same("air period --city 晋城 --quarter 2019-Q3 --format json");
}

// The data audit on both (issue 19): the versions in PostgreSQL laid over ClickHouse's time series read the
// same as SQLite's. A two-station city of its own (codes no other test uses): invalidate one hour, the
// audited and real-time figures; a republished file; restore.
TEST_F(ClusterCli, AuditedFiguresTheSameOnBoth) {
  // The cluster keeps what earlier runs stored (versions included): this run's stations and city are its own.
  const std::string n = std::to_string(::getpid() % 100000);
  const std::string s1 = "AU" + n + "A", s2 = "AU" + n + "B", city = "审核测试市" + n;
  const fs::path a = dir.path() / "audit_a", b = dir.path() / "audit_b";
  fs::create_directories(a);
  fs::create_directories(b);
  auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; };
  write(dir.path() / "audit_sites.csv", "监测点编码,监测点名称,城市,经度,纬度,对照点\n" + s1 + ",审核甲," +
                                            city + ",112.1,35.1,N\n" + s2 + ",审核乙," + city +
                                            ",112.2,35.2,N\n");
  const std::string head = "date,hour,type," + s1 + "," + s2 + "\n";
  auto day = [&](int t2_hour5) {
    std::string s = head;
    for (int h = 1; h <= 23; ++h)
      s += "20190110," + std::to_string(h) + ",PM2.5," + (h == 1 ? "88" : "40") + "," +
           (h == 5 ? std::to_string(t2_hour5) : "50") + "\n";
    return s;
  };
  write(a / "china_sites_20190110.csv", day(50));
  write(a / "china_sites_20190111.csv", head + "20190111,0,PM2.5,40,50\n");
  write(b / "china_sites_20190110.csv", day(98));
  for (const std::string& store : {sqlite, cluster}) {
    CommandResult r = ecomon(
        store, "import cnemc " + a.string() + " --stations " + (dir.path() / "audit_sites.csv").string());
    ASSERT_EQ(r.code, 0) << store << "\n" << r.out;
    CommandResult inv = ecomon(store, "audit invalidate --station " + s1 +
                                          " --from '2019-01-10 01:00' --pollutant PM2.5 "
                                          "--reason instrument-fault --note x");
    ASSERT_EQ(inv.code, 0) << store << "\n" << inv.out;
  }
  const std::string daily = "air daily --city " + city + " --date 2019-01-10 --format json";
  same(daily);
  same(daily + " --data realtime");
  same("air annual --city " + city + " --year 2019 --format json --no-yoy");
  same("air hourly --city " + city + " --station " + s1 + " --date 2019-01-10 --format json");
  // (40 + 50) / 2 = 45 audited; (42 + 50) / 2 = 46 real-time.
  EXPECT_NE(ecomon(cluster, daily).out.find("\"PM2.5\": 45"), std::string::npos)
      << ecomon(cluster, daily).out;
  EXPECT_NE(ecomon(cluster, daily + " --data realtime").out.find("\"PM2.5\": 46"), std::string::npos);
  for (const std::string& store : {sqlite, cluster}) {
    CommandResult r = ecomon(store, "import cnemc " + b.string());
    EXPECT_EQ(r.code, 0) << store << "\n" << r.out;  // republished, not a conflict
    CommandResult back =
        ecomon(store, "audit restore --station " + s1 + " --from '2019-01-10 01:00' --pollutant PM2.5");
    EXPECT_EQ(back.code, 0) << store << "\n" << back.out;
  }
  same(daily);
  same(daily + " --data realtime");
  // (42 + 52) / 2 = 47 with the second station's republished hour 5 at 98.
  EXPECT_NE(ecomon(cluster, daily).out.find("\"PM2.5\": 47"), std::string::npos)
      << ecomon(cluster, daily).out;
}

}  // namespace
