// `ecomon store copy` end to end over the demo city: its air archive, water and soil, the source registry
// with uploads and another version of one, a queued command, the seeds' ledger with a status change, the
// emergency list, a user and the audit log. SQLite → SQLite always runs (label unit); SQLite → cluster →
// SQLite runs against the cluster named by ECOMON_TEST_STORE (label cluster), in a PostgreSQL database and
// a ClickHouse database of its own, dropped at the end. Either way every read below prints the same bytes on
// every store, a second copy writes nothing and says so, and a copy stopped half-way (--max-rows) finishes
// when run again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo/demo_registry.h"
#include "store/clickhouse/clickhouse_store.h"
#include "store/open.h"
#include "store/postgres/db.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::CommandResult;

CommandResult ecomon(const std::string& args, bool with_stderr = false) {
  return ecomon::testing::run_command(std::string(ECOMON_BIN) + " " + args, with_stderr);
}
CommandResult on(const std::string& store, const std::string& args) {
  return ecomon("--store '" + store + "' " + args);
}

constexpr const char* kMn = "A0000000000000000000000A";

// The reads that must print the same bytes on every store.
const std::vector<std::string>& reads() {
  static const std::vector<std::string> r = {
      "air annual --city 演示市 --year 2025 --format json",
      "air rank --year 2025 --format json",
      "air daily --city 演示市 --month 2025-01 --format json",
      "water assess --year 2025 --format json",
      "soil assess --format json",
      "sources devices --format json",
      "sources latest --format json",
      std::string("sources records --mn ") + kMn + " --from 20250101000000 --to 20250131235959 --format json",
      "sources commands --format json",
      "ledger tasks --as-of 2021-06-30 --format json",
      "ledger show air-2021/3 --format json",
      "emergency warnings --format json",
      "users list --format json",
  };
  return r;
}

class StoreCopyCli : public ::testing::Test {
 protected:
  // The demo city in a fresh SQLite file with every concern filled.
  void SetUp() override {
    a = (dir.path() / "a.db").string();
    const std::string out = (dir.path() / "demo").string();
    ASSERT_EQ(on(a, "demo --out " + out).code, 0);
    ASSERT_TRUE(ecomon::write_demo_registry((dir.path() / "registry").string()).ok());
    ASSERT_EQ(on(a, "sources import " + (dir.path() / "registry").string()).code, 0);
    ASSERT_EQ(on(a, "sources register --mn " + std::string(kMn) + " --password 123456").code, 0);
    {
      auto s = ecomon::open_stores(a);
      ASSERT_TRUE(s.ok());
      auto w = (*s)->source_ingest().open_writer(0);
      ASSERT_TRUE(w.ok());
      // Hourly SO2 at 01:00 and 02:00 of 2025-01-01, then 01:00 again with another value (another version).
      std::vector<ecomon::SourceRecordView> ups;
      const std::pair<int64_t, const char*> sent[] = {{20250101010000, "a21026-Avg=1.0"},
                                                      {20250101020000, "a21026-Avg=2.0"},
                                                      {20250101010000, "a21026-Avg=9.0"}};
      for (const auto& [time, cp] : sent)
        ups.push_back(
            {.mn = kMn, .cn = 2061, .data_time = time, .qn = "", .received_ms = 0, .flag = 4, .cp = cp});
      ASSERT_TRUE((*w)->insert(std::span(ups).first(2)).ok());
      ASSERT_TRUE((*w)->insert(std::span(ups).last(1)).ok());  // another version of 01:00
    }
    ASSERT_EQ(on(a, "sources command " + std::string(kMn) + " get-time").code, 0);
    ASSERT_EQ(on(a, "ledger import " + (fs::path(ECOMON_SOURCE_DIR) / "demo/ledger").string()).code, 0);
    ASSERT_EQ(on(a, "ledger status air-2021/3 --to 完成 --date 2021-04-28 --by 李四").code, 0);
    ASSERT_EQ(on(a, "emergency demo-registry --out " + (dir.path() / "em").string()).code, 0);
    ASSERT_EQ(on(a, "emergency import " + (dir.path() / "em").string()).code, 0);
    ASSERT_EQ(on(a, "users add zhang --role admin --password secret-password-1").code, 0);
  }

  // Runs every read on `a` and on `other` and expects the same exit code and output.
  void same_reads(const std::string& other) {
    for (const std::string& r : reads()) {
      CommandResult x = on(a, r), y = on(other, r);
      EXPECT_EQ(x.code, y.code) << r;
      EXPECT_EQ(x.out, y.out) << r;
      EXPECT_FALSE(x.out.empty()) << r;
    }
    CommandResult audit_a = on(a, "users audit --format json"),
                  audit_b = on(other, "users audit --format json");
    EXPECT_EQ(audit_a.out, audit_b.out);
  }

  // `store copy` from -> to: its JSON summary (exit 0 expected).
  nlohmann::json copy(const std::string& from, const std::string& to, const std::string& extra = "") {
    CommandResult r = ecomon("store copy --from '" + from + "' --to '" + to + "'" + extra);
    EXPECT_EQ(r.code, 0) << r.out;
    try {
      return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << r.out;
      return {};
    }
  }

  // A stopped copy resumed, then the full round trip checks.
  void round_trip(const std::string& middle, const std::string& b) {
    nlohmann::json first = copy(a, middle, " --max-rows 50");
    EXPECT_EQ(first["complete"], false);
    const int64_t done = first["written"];
    EXPECT_GE(done, 50);
    nlohmann::json rest = copy(a, middle);
    EXPECT_EQ(rest["complete"], true);
    nlohmann::json again = copy(a, middle);
    EXPECT_EQ(again["changed"], false);
    EXPECT_EQ(again["written"], 0);
    // What the resumed copy wrote plus what the stopped one did is everything the source holds.
    int64_t read = 0;
    for (const auto& p : again["parts"]) read += p["read"].get<int64_t>();
    EXPECT_EQ(done + rest["written"].get<int64_t>(), read);
    CommandResult says = ecomon("store copy --from '" + a + "' --to '" + middle + "'", /*with_stderr=*/true);
    EXPECT_NE(says.out.find("nothing to copy"), std::string::npos) << says.out;

    nlohmann::json back = copy(middle, b);
    EXPECT_EQ(back["complete"], true);
    same_reads(middle);
    same_reads(b);
    nlohmann::json parts = back["parts"];
    for (const auto& p : parts) {
      if (p["name"] == "source_record") {
        EXPECT_EQ(p["written"], 3);  // 2 records + 1 other version
      }
    }
  }

  ecomon::testing::TempDir dir{"store_copy_cli"};
  std::string a;
};

TEST_F(StoreCopyCli, SqliteToSqliteGivesTheSameReadsAndIsIdempotentAndResumable) {
  round_trip((dir.path() / "m.db").string(), (dir.path() / "b.db").string());
}

TEST_F(StoreCopyCli, OtherDataIsRefusedNamingTheFirstDifference) {
  const std::string b = (dir.path() / "b.db").string();
  ASSERT_EQ(on(b, "users add zhang --role analyst --password secret-password-1").code, 0);
  CommandResult r = ecomon("store copy --from '" + a + "' --to '" + b + "'", /*with_stderr=*/true);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("error: the destination holds other data than the source: acc_user (accounts) row "
                       "login='zhang': role is 'analyst' in the destination, 'admin' in the source"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(on(b, "air rank --year 2025 --format json").out,
            on((dir.path() / "empty.db").string(), "air rank --year 2025 --format json").out);
  CommandResult bad = ecomon("store copy --from '" + a + "' --to 'mysql://x/y'", /*with_stderr=*/true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("--to mysql://x/y: store URL: unknown scheme 'mysql'"), std::string::npos)
      << bad.out;
  EXPECT_EQ(ecomon("store copy --from '" + a + "' --to '" + a + "'").code, 2);
  EXPECT_EQ(ecomon("store copy --from '" + a + "'").code, 2);
}

// The cluster: a PostgreSQL database and a ClickHouse database of this test's own.
class StoreCopyCluster : public StoreCopyCli {
 protected:
  void SetUp() override {
    const char* url = std::getenv("ECOMON_TEST_STORE");
    if (url == nullptr || *url == '\0') {
      GTEST_SKIP()
          << "ECOMON_TEST_STORE is not set: start a cluster with `scripts/cluster.sh up` and set it to "
             "the URL it prints (./test does both)";
    }
    auto parsed = ecomon::parse_store_url(url);
    ASSERT_TRUE(parsed.ok() && parsed->kind == ecomon::StoreUrl::Kind::kCluster) << url;
    name = "copy_" + std::to_string(::getpid());
    const std::string pg = parsed->postgres;  // postgresql://USER@HOST:PORT/DB[?...]
    const size_t slash = pg.find('/', pg.find("://") + 3);
    ASSERT_NE(slash, std::string::npos);
    const size_t q = pg.find('?', slash);
    admin_uri = pg;
    auto admin = ecomon::pg::Conn::open(admin_uri, {.migrate = false});
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    ASSERT_TRUE((*admin)->exec("DROP DATABASE IF EXISTS " + name).ok());
    ASSERT_TRUE((*admin)->exec("CREATE DATABASE " + name).ok());
    std::string shards;
    for (const std::string& e : parsed->clickhouse) shards += (shards.empty() ? "" : ",") + e;
    cluster = pg.substr(0, slash + 1) + name + (q == std::string::npos ? "?" : pg.substr(q) + "&") +
              "clickhouse_db=" + name + "&clickhouse=" + shards;
    ch_shards = shards;
    StoreCopyCli::SetUp();
  }
  void TearDown() override {
    if (name.empty()) return;
    ecomon::ClickHouseConfig cfg{.database = name};
    if (ecomon::parse_clickhouse_shards(ch_shards, cfg).ok()) {
      cfg.create_schema = false;
      if (auto c = ecomon::ClickHouseCluster::open(cfg); c.ok()) (void)(*c)->drop_database();
    }
    if (auto admin = ecomon::pg::Conn::open(admin_uri, {.migrate = false}); admin.ok())
      (void)(*admin)->exec("DROP DATABASE IF EXISTS " + name);
  }
  std::string name, admin_uri, cluster, ch_shards;
};

TEST_F(StoreCopyCluster, SqliteToClusterToSqliteGivesTheSameReads) {
  round_trip(cluster, (dir.path() / "b.db").string());
  // New ids on the cluster follow the copied ones: a command queued there gets the next id (the demo's one
  // command was id 1).
  CommandResult c = on(cluster, "sources command " + std::string(kMn) + " get-time --format json");
  ASSERT_EQ(c.code, 0) << c.out;
  EXPECT_EQ(nlohmann::json::parse(c.out)["id"], 2);
}

}  // namespace
