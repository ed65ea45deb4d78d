#include "store/open.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

TEST(StoreUrl, APathIsTheSqliteFile) {
  auto u = parse_store_url("data/jc.db");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, StoreUrl::Kind::kSqlite);
  EXPECT_EQ(u->sqlite_path, "data/jc.db");
  EXPECT_EQ(parse_store_url(":memory:")->sqlite_path, ":memory:");
}

TEST(StoreUrl, SqliteSchemeRelativeAndAbsolute) {
  EXPECT_EQ(parse_store_url("sqlite:jc.db")->sqlite_path, "jc.db");
  EXPECT_EQ(parse_store_url("sqlite:///var/lib/ecomon/jc.db")->sqlite_path, "/var/lib/ecomon/jc.db");
  auto empty = parse_store_url("sqlite:");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreUrl, ClusterSplitsTheClickHouseServersFromTheLibpqUri) {
  auto u = parse_store_url(
      "postgresql://ecomon@127.0.0.1:55432/"
      "ecomon?connect_timeout=5&clickhouse=127.0.0.1:18123,127.0.0.1:18124");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->kind, StoreUrl::Kind::kCluster);
  // libpq gets its own parameters back, without ours.
  EXPECT_EQ(u->postgres, "postgresql://ecomon@127.0.0.1:55432/ecomon?connect_timeout=5");
  EXPECT_EQ(u->clickhouse, (std::vector<std::string>{"127.0.0.1:18123", "127.0.0.1:18124"}));
  EXPECT_EQ(parse_store_url("postgres://h/db?clickhouse=h:1")->postgres, "postgres://h/db");
  // Replicas of a shard: one entry per shard, its replicas joined by '|'.
  EXPECT_EQ(parse_store_url("postgres://h/db?clickhouse=a:1|b:2,c:3|d:4")->clickhouse,
            (std::vector<std::string>{"a:1|b:2", "c:3|d:4"}));
  EXPECT_FALSE(parse_store_url("postgres://h/db?clickhouse=a:1|b").ok());
}

TEST(StoreUrl, TheClickHouseDatabaseIsEcomonUnlessNamed) {
  EXPECT_EQ(parse_store_url("postgres://h/db?clickhouse=h:1")->clickhouse_database, "ecomon");
  auto u = parse_store_url("postgres://h/db2?clickhouse_db=copy_2&clickhouse=h:1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->clickhouse_database, "copy_2");
  EXPECT_EQ(u->postgres, "postgres://h/db2");  // not passed to libpq
  for (const char* bad :
       {"postgres://h/db?clickhouse=h:1&clickhouse_db=", "postgres://h/db?clickhouse=h:1&clickhouse_db=a.b",
        "postgres://h/db?clickhouse=h:1&clickhouse_db=x;DROP"}) {
    auto r = parse_store_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("is not a database name"), std::string::npos) << bad;
  }
}

TEST(StoreUrl, BadUrlsAreRefusedNamingWhatIsWrong) {
  auto none = parse_store_url("postgresql://ecomon@127.0.0.1:55432/ecomon");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("ClickHouse"), std::string::npos);
  for (const char* bad : {"postgresql://h/db?clickhouse=h", "postgresql://h/db?clickhouse=h:0",
                          "postgresql://h/db?clickhouse=h:65536", "postgresql://h/db?clickhouse=:80",
                          "postgresql://h/db?clickhouse=h:80x", "postgresql://h/db?clickhouse=h:"}) {
    auto u = parse_store_url(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_NE(u.status().message().find("HOST:PORT"), std::string::npos) << bad;
  }
  auto mysql = parse_store_url("mysql://h/db");
  ASSERT_FALSE(mysql.ok());
  EXPECT_NE(mysql.status().message().find("unknown scheme 'mysql'"), std::string::npos);
  EXPECT_FALSE(parse_store_url("").ok());
}

TEST(StoreUrl, RedactionHidesOnlyThePassword) {
  EXPECT_EQ(redact_store_url("postgresql://ecomon:s3cret@h:5432/db?clickhouse=h:1"),
            "postgresql://ecomon:***@h:5432/db?clickhouse=h:1");
  EXPECT_EQ(redact_store_url("postgresql://ecomon@h:5432/db"), "postgresql://ecomon@h:5432/db");
  EXPECT_EQ(redact_store_url("jc.db"), "jc.db");
  // An '@' after the host part is not a user-info separator.
  EXPECT_EQ(redact_store_url("postgresql://h:5432/db?x=a:b@c"), "postgresql://h:5432/db?x=a:b@c");
}

TEST(StoreUrl, OpensSqliteAndNamesWhatIsWrong) {
  auto s = open_stores(":memory:");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE((*s)->records().cities().ok());
  auto bad = open_stores("nope://x");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  // A cluster that does not answer: a clear error naming the URL without its password, no crash.
  auto down = open_stores("postgresql://ecomon:secret@127.0.0.1:1/ecomon?clickhouse=127.0.0.1:1");
  ASSERT_FALSE(down.ok());
  EXPECT_NE(down.status().message().find("postgresql://ecomon:***@127.0.0.1:1/ecomon"), std::string::npos)
      << down.status().message();
  EXPECT_EQ(down.status().message().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace ecomon
