// The connection module: statements, transactions, the error mapping, and the migrations on new, old and
// newer store files.
#include "store/sqlite/db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/migrations.h"
#include "store/sqlite_store.h"
#include "testing/temp_dir.h"

namespace ecomon::sqlite {
namespace {

using ecomon::testing::TempDir;

std::unique_ptr<Db> open_ok(const std::string& path, OpenOptions o = {}) {
  auto db = Db::open(path, o);
  EXPECT_TRUE(db.ok()) << db.status().message();
  return db.ok() ? std::move(*db) : nullptr;
}

int64_t count(Db& db, const std::string& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st.ok()) << st.status().message();
  auto row = st->step();
  EXPECT_TRUE(row.ok() && *row);
  return st->int64(0);
}

TEST(SqliteDb, OpensWithOnePragmaSetAndTheLatestSchema) {
  TempDir dir("sqlite_db");
  auto db = open_ok((dir.path() / "s.db").string());
  EXPECT_EQ(*db->user_version(), migrations().back().version);
  auto mode = db->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok() && *mode->step());
  EXPECT_EQ(mode->text(0), "wal");
  EXPECT_EQ(count(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(count(*db, "PRAGMA synchronous"), 1);  // NORMAL
  // One table of each concern is there.
  for (const char* t :
       {"station", "air_hourly_block", "source_device", "source_record", "source_record_conflict",
        "q_water_section", "q_result", "soil_point", "sr_enterprise", "source_event", "source_command",
        "ld_task", "em_warning", "acc_user", "acc_audit"}) {
    EXPECT_EQ(count(*db, std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + t + "'"), 1) << t;
  }
  auto full = open_ok((dir.path() / "f.db").string(), OpenOptions{.sync = OpenOptions::Sync::kFull});
  EXPECT_EQ(count(*full, "PRAGMA synchronous"), 2);  // FULL
}

TEST(SqliteDb, StatementsBindAndReadTypedColumns) {
  TempDir dir("sqlite_db");
  auto db = open_ok((dir.path() / "s.db").string(), OpenOptions{.migrate = false});
  ASSERT_TRUE(db->exec("CREATE TABLE t(a TEXT, b INTEGER, c REAL, d BLOB)").ok());
  Stmt& ins = db->cached("INSERT INTO t(a, b, c, d) VALUES(?1, ?2, ?3, ?4)");
  ASSERT_TRUE(
      ins.bind(1, "晋城").bind(2, int64_t{-7}).bind(3, 2.5).bind_blob(4, std::string("\0x", 2)).run().ok());
  EXPECT_EQ(db->changes(), 1);
  // The cached statement comes back reset, its bindings cleared: unbound parameters are NULL.
  Stmt& again = db->cached("INSERT INTO t(a, b, c, d) VALUES(?1, ?2, ?3, ?4)");
  EXPECT_EQ(&again, &ins);
  ASSERT_TRUE(again.bind(1, std::optional<std::string>()).run().ok());
  auto q = db->prepare("SELECT a, b, c, d FROM t ORDER BY rowid");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->step());
  EXPECT_EQ(q->text(0), "晋城");
  EXPECT_EQ(q->int64(1), -7);
  EXPECT_DOUBLE_EQ(q->real(2), 2.5);
  EXPECT_EQ(q->blob(3), std::string_view("\0x", 2));
  ASSERT_TRUE(*q->step());
  EXPECT_TRUE(q->is_null(0));
  EXPECT_EQ(q->text(0), "");
  EXPECT_EQ(q->opt_int64(1), std::nullopt);
  EXPECT_FALSE(*q->step());
}

TEST(SqliteDb, ErrorsNameTheStoreAndMapBusyToUnavailable) {
  TempDir dir("sqlite_db");
  const std::string path = (dir.path() / "s.db").string();
  auto a = open_ok(path);
  auto b = open_ok(path, OpenOptions{.busy_timeout_ms = 0});
  // Bad SQL: kInternal, with the file's name.
  auto bad = a->prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInternal);
  EXPECT_NE(bad.status().message().find(path), std::string::npos) << bad.status().message();
  Stmt& cached_bad = a->cached("SELEC 2");
  EXPECT_EQ(cached_bad.run().code(), StatusCode::kInternal);
  EXPECT_NE(cached_bad.run().message().find("SELEC 2"), std::string::npos);
  // A wrong bind index is reported by run(), not lost.
  auto st = a->prepare("SELECT ?1");
  ASSERT_TRUE(st.ok());
  Status wrong = st->bind(5, int64_t{1}).run();
  EXPECT_EQ(wrong.code(), StatusCode::kInternal);
  EXPECT_NE(wrong.message().find("bind parameter 5"), std::string::npos) << wrong.message();
  // A unique key violated: kAlreadyExists.
  ASSERT_TRUE(a->exec("INSERT INTO meta(key, value) VALUES('k', 'v')").ok());
  EXPECT_EQ(a->exec("INSERT INTO meta(key, value) VALUES('k', 'w')").code(), StatusCode::kAlreadyExists);
  // One writer holds the lock: the other's BEGIN IMMEDIATE is kUnavailable (busy), not kInternal.
  auto tx = Tx::begin(*a);
  ASSERT_TRUE(tx.ok());
  auto tx2 = Tx::begin(*b);
  ASSERT_FALSE(tx2.ok());
  EXPECT_EQ(tx2.status().code(), StatusCode::kUnavailable) << tx2.status().message();
  EXPECT_EQ(status_code_of(SQLITE_BUSY_SNAPSHOT), StatusCode::kUnavailable);
  EXPECT_EQ(status_code_of(SQLITE_LOCKED_SHAREDCACHE), StatusCode::kUnavailable);
  EXPECT_EQ(status_code_of(SQLITE_CORRUPT), StatusCode::kInternal);
}

TEST(SqliteDb, TransactionsCommitOrRollBack) {
  TempDir dir("sqlite_db");
  auto db = open_ok((dir.path() / "s.db").string());
  {
    auto tx = Tx::begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO meta(key, value) VALUES('dropped', '1')").ok());
    // Not nestable.
    EXPECT_EQ(Tx::begin(*db).status().code(), StatusCode::kFailedPrecondition);
  }  // destroyed uncommitted: rolled back
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(count(*db, "SELECT count(*) FROM meta WHERE key = 'dropped'"), 0);
  auto tx = Tx::begin(*db);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db->exec("INSERT INTO meta(key, value) VALUES('kept', '1')").ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(tx->commit().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM meta WHERE key = 'kept'"), 1);
}

// A store written by the version before migrations (user_version 0, tables made by each store, an older
// source_device and acc_user without their 2026 columns) is brought to the latest schema with its data kept,
// and opening it again changes nothing.
TEST(SqliteMigrations, UpgradeAStoreOfTheOldVersionAndKeepItsRows) {
  TempDir dir("sqlite_db");
  const std::string path = (dir.path() / "old.db").string();
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    const char* old_schema =
        "CREATE TABLE source_device(mn TEXT PRIMARY KEY, password TEXT NOT NULL, protocol INTEGER NOT NULL "
        "DEFAULT 2017, enterprise TEXT NOT NULL DEFAULT '', outlet TEXT NOT NULL DEFAULT '', county TEXT NOT "
        "NULL DEFAULT '', rtd_interval_s INTEGER NOT NULL DEFAULT 30, min_interval_min INTEGER NOT NULL "
        "DEFAULT "
        "10, active INTEGER NOT NULL DEFAULT 1);"
        "INSERT INTO source_device(mn, password) VALUES('MN1', '123456');"
        "CREATE TABLE acc_user(login TEXT PRIMARY KEY, role TEXT NOT NULL, county TEXT NOT NULL DEFAULT '', "
        "enterprise TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);"
        "INSERT INTO acc_user VALUES('zhang', 'admin', '', '', 'h', 1);";
    ASSERT_EQ(sqlite3_exec(raw, old_schema, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = open_ok(path);
  EXPECT_EQ(*db->user_version(), migrations().back().version);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM source_device WHERE mn = 'MN1' AND policy = 'lenient'"), 1);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM acc_user WHERE login = 'zhang' AND disabled = 0"), 1);
  // The revision trigger is there: a device change bumps it.
  const int64_t before =
      count(*db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'registry_revision'");
  ASSERT_TRUE(db->exec("UPDATE source_device SET active = 0 WHERE mn = 'MN1'").ok());
  EXPECT_EQ(count(*db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'registry_revision'"),
            before + 1);
  db.reset();
  auto again = open_ok(path);
  EXPECT_EQ(*again->user_version(), migrations().back().version);
  EXPECT_EQ(count(*again, "SELECT count(*) FROM source_device"), 1);
}

// The migrated schema is the one SqliteStore makes and reads: a store opened through Db first works with it.
TEST(SqliteMigrations, SqliteStoreWorksOnAMigratedFile) {
  TempDir dir("sqlite_db");
  const std::string path = (dir.path() / "s.db").string();
  open_ok(path);
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  StationInfo s;
  s.code = "2160A";
  s.city = "晋城";
  ASSERT_TRUE((*store)->begin_write().ok());
  ASSERT_TRUE((*store)->upsert_station(s).ok());
  ASSERT_TRUE((*store)->commit().ok());
  EXPECT_EQ((*(*store)->cities()).size(), 1u);
}

TEST(SqliteMigrations, AFileOfANewerVersionIsRefusedUntouched) {
  TempDir dir("sqlite_db");
  const std::string path = (dir.path() / "new.db").string();
  {
    auto db = open_ok(path);
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
  }
  auto db = Db::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("schema version 99"), std::string::npos) << db.status().message();
}

// Each migration runs in its own transaction: one that fails leaves the file at the one before.
TEST(SqliteMigrations, AFailingMigrationLeavesTheFileAtTheLastWholeOne) {
  TempDir dir("sqlite_db");
  auto db = open_ok((dir.path() / "m.db").string(), OpenOptions{.migrate = false});
  static const Migration list[] = {
      {1, "make t", [](Db& d) { return d.exec("CREATE TABLE t(a)"); }},
      {2, "half done",
       [](Db& d) -> Status {
         ECOMON_RETURN_IF_ERROR(d.exec("CREATE TABLE u(a)"));
         return d.exec("CREATE TABLE t(a)");  // fails: t exists
       }},
  };
  Status s = migrate(*db, list);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("migration 2 (half done)"), std::string::npos) << s.message();
  EXPECT_EQ(*db->user_version(), 1);
  EXPECT_EQ(count(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'u'"), 0);
}

}  // namespace
}  // namespace ecomon::sqlite
