// The process-wide SQLite set-up: the page-cache wrapper must skip the truncations that drop nothing and keep
// the ones that do, under the gateway's kind of load (keys scattered over many index leaves, so that B-tree
// balancing renames pages) and under rollbacks that leave pages past the database's end. Each test is its own
// process under ctest, and each calls configure_sqlite() before anything else touches SQLite.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <string>

#include "store/sqlite_setup.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

class Db {
 public:
  explicit Db(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~Db() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << sql << ": " << (err ? err : "");
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (st && sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  // Inserts rows (device, t) for devices [0, devices) and times [t0, t0 + per_device) in device-scattered
  // order (the gateway's: each batch has one row of many devices), `per_commit` rows per transaction.
  void insert(int devices, int64_t t0, int per_device, int per_commit, int* commits) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db_, "INSERT OR IGNORE INTO r(mn, t, cp) VALUES (?1, ?2, ?3)", -1, &st, nullptr),
        SQLITE_OK);
    const std::string cp(300, 'c');
    int in_tx = 0;
    for (int k = 0; k < per_device; ++k) {
      for (int d = 0; d < devices; ++d) {
        if (in_tx == 0) exec("BEGIN");
        char mn[32];
        std::snprintf(mn, sizeof mn, "8888888000000000%08d", (d * 7919) % devices);
        sqlite3_bind_text(st, 1, mn, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, t0 + k);
        sqlite3_bind_text(st, 3, cp.data(), static_cast<int>(cp.size()), SQLITE_STATIC);
        ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        if (++in_tx == per_commit) {
          exec("COMMIT");
          ++*commits;
          in_tx = 0;
        }
      }
    }
    if (in_tx > 0) {
      exec("COMMIT");
      ++*commits;
    }
    sqlite3_finalize(st);
  }

 private:
  sqlite3* db_ = nullptr;
};

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL; PRAGMA cache_size=-8192;"
    "CREATE TABLE r(mn TEXT NOT NULL, t INTEGER NOT NULL, cp TEXT NOT NULL, UNIQUE(mn, t))";

TEST(SqliteSetup, InstallsOnceBeforeSqliteStarts) {
  ASSERT_TRUE(configure_sqlite());
  EXPECT_TRUE(configure_sqlite());  // once per process; the same answer again
  EXPECT_EQ(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1), SQLITE_OK);  // nothing opened yet: still configurable
  EXPECT_EQ(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0), SQLITE_OK);
}

TEST(SqliteSetup, ScatteredCommitsSkipTheEmptyTruncationsAndStayIntact) {
  ASSERT_TRUE(configure_sqlite());
  testing::TempDir dir("sqlite_setup");
  Db db((dir.path() / "s.db").string());
  db.exec(kSchema);
  const PageCacheCounters before = page_cache_counters();
  int commits = 0;
  // 2,000 devices x 30 times = 60,000 rows in 200-row commits: 300 commits. Each key is ~40 bytes, so the
  // index leaves (~4 KiB) split all the time and balancing renames pages through the temporary number past 1
  // GiB.
  db.insert(2000, 1000, 30, 200, &commits);
  ASSERT_EQ(commits, 300);
  const PageCacheCounters after = page_cache_counters();
  const int64_t skipped = after.truncates_skipped - before.truncates_skipped;
  const int64_t forwarded = after.truncates_forwarded - before.truncates_forwarded;
  // Every commit ends with one truncation to the database's size; without the wrapper none would be skipped.
  // A commit that kept a renamed page, or ended with pages past the end, would be forwarded: here none does
  // but the first (the cache starts empty: page 1's read sets the record to 1, the end of the empty file is
  // 0).
  EXPECT_GE(skipped + forwarded, commits);
  EXPECT_GE(skipped, commits - 5);
  // And balancing did rename pages (the case that made the built-in cache walk its whole table at each
  // commit).
  EXPECT_GT(after.pages_renamed, before.pages_renamed);
  EXPECT_EQ(db.text("SELECT count(*) FROM r"), "60000");
  EXPECT_EQ(db.text("SELECT count(DISTINCT mn) FROM r WHERE t = 1029"), "2000");
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
}

TEST(SqliteSetup, RollbackDropsThePagesPastTheEnd) {
  ASSERT_TRUE(configure_sqlite());
  testing::TempDir dir("sqlite_setup");
  const std::string path = (dir.path() / "r.db").string();
  Db db(path);
  db.exec(kSchema);
  int commits = 0;
  db.insert(500, 1000, 4, 500, &commits);  // 2,000 rows
  const std::string pages = db.text("PRAGMA page_count");
  const PageCacheCounters before = page_cache_counters();
  // A transaction that grows the file by many pages, then is rolled back: the cache holds pages past the
  // restored end and the truncation must reach the built-in cache.
  db.exec("BEGIN");
  db.exec("INSERT INTO r(mn, t, cp) SELECT mn, t + 100000, cp || cp FROM r");
  db.exec("ROLLBACK");
  const PageCacheCounters after = page_cache_counters();
  EXPECT_GT(after.truncates_forwarded, before.truncates_forwarded);
  EXPECT_EQ(db.text("PRAGMA page_count"), pages);
  EXPECT_EQ(db.text("SELECT count(*) FROM r"), "2000");
  // The page numbers freed by the rollback are used again, with new content; a stale cached page would show.
  db.insert(500, 2000, 4, 100, &commits);
  EXPECT_EQ(db.text("SELECT count(*) FROM r"), "4000");
  EXPECT_EQ(db.text("SELECT count(*) FROM r WHERE t >= 100000"), "0");
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  // And another connection (its own cache) reads the same.
  Db other(path);
  EXPECT_EQ(other.text("SELECT count(*) FROM r"), "4000");
  EXPECT_EQ(other.text("PRAGMA integrity_check"), "ok");
}

TEST(SqliteSetup, SavepointRollbackInsideACommittedTransaction) {
  ASSERT_TRUE(configure_sqlite());
  testing::TempDir dir("sqlite_setup");
  Db db((dir.path() / "p.db").string());
  db.exec(kSchema);
  int commits = 0;
  db.insert(300, 1000, 3, 300, &commits);  // 900 rows
  db.exec("BEGIN");
  db.exec("INSERT INTO r(mn, t, cp) SELECT mn, t + 10, cp FROM r");  // 900 more
  db.exec("SAVEPOINT s");
  db.exec("INSERT INTO r(mn, t, cp) SELECT mn, t + 100000, cp || cp || cp FROM r");  // grows, then undone
  db.exec("ROLLBACK TO s");
  db.exec("RELEASE s");
  db.exec("COMMIT");
  EXPECT_EQ(db.text("SELECT count(*) FROM r"), "1800");
  EXPECT_EQ(db.text("SELECT count(*) FROM r WHERE t >= 100000"), "0");
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace ecomon
