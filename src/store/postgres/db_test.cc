// The PostgreSQL connection module against a real server (ECOMON_TEST_POSTGRES): the migrated schema,
// parameters and typed reads, SQLSTATEs provoked for real and their Status codes, transactions and
// savepoints, a pipeline, a refused newer schema, and a connection killed under it (pg_terminate_backend).
#include "store/postgres/db.h"

#include <gtest/gtest.h>

#include <limits>
#include <thread>

#include "store/postgres/concern_stores.h"
#include "store/postgres/migrations.h"
#include "store/postgres/record_store.h"
#include "store/postgres/source_stores.h"
#include "store/postgres/sql_db.h"
#include "store/postgres/test_postgres.h"

namespace ecomon::pg {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The mapping alone (no server needed).
TEST(PostgresStatus, SqlstateClassesMapToStatusCodes) {
  EXPECT_EQ(status_code_of("40001"), StatusCode::kUnavailable);    // serialization_failure
  EXPECT_EQ(status_code_of("40P01"), StatusCode::kUnavailable);    // deadlock_detected
  EXPECT_EQ(status_code_of("55P03"), StatusCode::kUnavailable);    // lock_not_available (lock_timeout)
  EXPECT_EQ(status_code_of("57014"), StatusCode::kUnavailable);    // query_canceled
  EXPECT_EQ(status_code_of("57P01"), StatusCode::kUnavailable);    // admin_shutdown (pg_terminate_backend)
  EXPECT_EQ(status_code_of("08006"), StatusCode::kUnavailable);    // connection_failure
  EXPECT_EQ(status_code_of("53300"), StatusCode::kUnavailable);    // too_many_connections
  EXPECT_EQ(status_code_of("23505"), StatusCode::kAlreadyExists);  // unique_violation
  EXPECT_EQ(status_code_of("23503"),
            StatusCode::kAlreadyExists);  // foreign_key_violation (SQLite: constraint)
  EXPECT_EQ(status_code_of("23514"), StatusCode::kAlreadyExists);    // check_violation
  EXPECT_EQ(status_code_of("22021"), StatusCode::kInvalidArgument);  // bad UTF-8
  EXPECT_EQ(status_code_of("22003"), StatusCode::kInvalidArgument);  // numeric out of range
  EXPECT_EQ(status_code_of("42601"), StatusCode::kInternal);         // syntax error: a bug, not the caller's
  EXPECT_EQ(status_code_of("42P01"), StatusCode::kInternal);         // undefined table
  EXPECT_EQ(status_code_of(""), StatusCode::kInternal);
  EXPECT_EQ(status_code_of("4000"), StatusCode::kInternal);
}

TEST(PostgresDb, ABadUrlIsInvalidAndNoServerIsUnavailable) {
  auto bad = Conn::open("postgresql://[::1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  // Port 1 on loopback: nothing listens there.
  auto none = Conn::open("postgresql://ecomon@127.0.0.1:1/ecomon?connect_timeout=5");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(contains(none.status().message(), "cannot connect to the postgres store"))
      << none.status().message();
}

// A connection to an empty schema of its own (no migrations), for the tests of the connection module.
class PostgresConn : public ::testing::Test {
 protected:
  void SetUp() override {
    ECOMON_SKIP_WITHOUT_POSTGRES();
    auto c = schema_.open(false);
    ASSERT_TRUE(c.ok()) << c.status().message();
    conn_ = std::move(*c);
  }
  TestSchema schema_;
  std::unique_ptr<Conn> conn_;
};

TEST(PostgresDb, OpensWithTheLatestSchema) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto c = schema.open();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(*(*c)->schema_version(),
            18);  // 1 to 18: device keys, event acknowledgements, notifications, the data audit, the upload
                  // spool, device holders, stations over HJ 212, power-use monitoring, permitted amounts,
                  // pending loggers, the spool's grace, dust points, power enforcement cases, power
                  // readings in thousandths, water and noise stations, emission day-loads
  EXPECT_EQ(static_cast<int>(migrations().size()), 18);
  EXPECT_TRUE(contains((*c)->name(), "schema " + schema.name()));
  // Opening again changes nothing.
  auto again = schema.open();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*(*again)->schema_version(), migrations().back().version);
  auto n = (*again)->run("SELECT count(*) FROM schema_version");
  EXPECT_EQ(n->int64(0, 0), 1);
  EXPECT_EQ(*PgDeviceStore(**again).registry_revision(), 0);
}

TEST_F(PostgresConn, ParametersAndTypedColumnsRoundTrip) {
  Conn& db = *conn_;
  ASSERT_TRUE(db.exec("CREATE TABLE t(a text, b bigint, x double precision)").ok());
  const int64_t big = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(
      db.run("INSERT INTO t VALUES ($1, $2, $3)", Params().add("晋城 \"q\" \\ '").add(big).add(0.1)).ok());
  ASSERT_TRUE(
      db.run("INSERT INTO t VALUES ($1, $2, $3)", Params().null().add(std::optional<int64_t>()).add(-1.5e300))
          .ok());
  auto r = db.run("SELECT a, b, x FROM t ORDER BY b NULLS LAST");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->rows(), 2);
  EXPECT_EQ(r->str(0, 0), "晋城 \"q\" \\ '");
  EXPECT_EQ(r->int64(0, 1), big);
  EXPECT_EQ(r->real(0, 2), 0.1);  // shortest text both ways: exact
  EXPECT_TRUE(r->is_null(1, 0));
  EXPECT_EQ(r->str(1, 0), "");
  EXPECT_EQ(r->opt_int64(1, 1), std::nullopt);
  EXPECT_EQ(r->opt_real(1, 2), -1.5e300);
  // Booleans read as SQLite's integers.
  auto b = db.run("SELECT true, false");
  EXPECT_EQ(b->int64(0, 0), 1);
  EXPECT_EQ(b->int64(0, 1), 0);
  // Out of range reads are empty, not a crash.
  EXPECT_EQ(r->text(5, 0), "");
  EXPECT_EQ(r->text(0, 9), "");
  // An array parameter: three rows in one statement.
  auto u = db.run("INSERT INTO t(a, b) SELECT * FROM unnest($1::text[], $2::bigint[])",
                  Params()
                      .add_array(std::vector<std::string>{"x,y", "{z}", "\"w\""})
                      .add_array(std::vector<int64_t>{7, 8, 9}));
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->affected(), 3);
  auto back = db.run("SELECT a FROM t WHERE b >= 7 ORDER BY b");
  ASSERT_EQ(back->rows(), 3);
  EXPECT_EQ(back->str(0, 0), "x,y");
  EXPECT_EQ(back->str(1, 0), "{z}");
  EXPECT_EQ(back->str(2, 0), "\"w\"");
}

TEST_F(PostgresConn, BadTextIsRefusedWithTheReason) {
  Conn& db = *conn_;
  ASSERT_TRUE(db.exec("CREATE TABLE t(a text)").ok());
  // A NUL byte: text cannot hold it; refused before sending (not silently cut at the NUL).
  auto nul = db.run("INSERT INTO t VALUES ($1)", Params().add(std::string_view("ab\0cd", 5)));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(nul.status().message(), "parameter $1 holds a NUL byte")) << nul.status().message();
  // Invalid UTF-8: the server's 22021.
  auto utf = db.run("INSERT INTO t VALUES ($1)", Params().add("\xff\xfe"));
  ASSERT_FALSE(utf.ok());
  EXPECT_EQ(utf.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(utf.status().message(), "SQLSTATE 22021")) << utf.status().message();
  EXPECT_EQ(db.run("SELECT count(*) FROM t")->int64(0, 0), 0);
}

TEST(PostgresDb, RealErrorsMapToStatusCodes) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto a = schema.open(false);
  auto b = schema.open(false);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(
      (*a)->exec("CREATE TABLE t(k bigint PRIMARY KEY, v bigint); INSERT INTO t VALUES (1, 10)").ok());
  // 23505: a second row with the same key.
  auto dup = (*a)->run("INSERT INTO t VALUES ($1, $2)", Params().add(1).add(11));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(contains(dup.status().message(), "SQLSTATE 23505")) << dup.status().message();
  EXPECT_TRUE(contains(dup.status().message(), "postgres ")) << dup.status().message();
  // 42601: a syntax error is the program's fault.
  EXPECT_EQ((*a)->run("SELEC 1").status().code(), StatusCode::kInternal);
  // 40001: a's repeatable-read snapshot read the row, b changed it since, a's update cannot be serialized.
  ASSERT_TRUE((*a)->exec("BEGIN ISOLATION LEVEL REPEATABLE READ").ok());
  ASSERT_EQ((*a)->run("SELECT v FROM t WHERE k = 1")->int64(0, 0), 10);
  ASSERT_TRUE((*b)->run("UPDATE t SET v = 20 WHERE k = 1").ok());
  auto ser = (*a)->run("UPDATE t SET v = 30 WHERE k = 1");
  ASSERT_FALSE(ser.ok());
  EXPECT_EQ(ser.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(contains(ser.status().message(), "SQLSTATE 40001")) << ser.status().message();
  ASSERT_TRUE((*a)->exec("ROLLBACK").ok());
  // 55P03: c waits at most 50 ms for the row lock a holds.
  OpenOptions quick = schema.options(false);
  quick.lock_timeout_ms = 50;
  auto c = Conn::open(schema.uri(), quick);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*a)->exec("BEGIN; UPDATE t SET v = 40 WHERE k = 1").ok());
  auto locked = (*c)->run("UPDATE t SET v = 50 WHERE k = 1");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(contains(locked.status().message(), "SQLSTATE 55P03")) << locked.status().message();
  ASSERT_TRUE((*a)->exec("COMMIT").ok());
  EXPECT_EQ((*c)->run("SELECT v FROM t")->int64(0, 0), 40);
}

TEST_F(PostgresConn, TransactionsCommitRollBackAndNestAsSavepoints) {
  Conn& db = *conn_;
  ASSERT_TRUE(db.exec("CREATE TABLE t(k bigint PRIMARY KEY)").ok());
  const auto count = [&] { return db.run("SELECT count(*) FROM t")->int64(0, 0); };
  {
    auto tx = Tx::begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.run("INSERT INTO t VALUES (1)").ok());
  }  // not committed: rolled back
  EXPECT_EQ(count(), 0);
  {
    auto outer = Tx::begin(db, kLockRegistry);
    ASSERT_TRUE(outer.ok());
    ASSERT_TRUE(db.run("INSERT INTO t VALUES (1)").ok());
    {
      auto inner = Tx::begin(db);  // a savepoint
      ASSERT_TRUE(inner.ok());
      ASSERT_TRUE(db.run("INSERT INTO t VALUES (2)").ok());
    }  // only the inner part is undone
    {
      auto inner = Tx::begin(db);
      ASSERT_TRUE(db.run("INSERT INTO t VALUES (3)").ok());
      ASSERT_TRUE(inner->commit().ok());  // released into the outer one
    }
    ASSERT_TRUE(outer->commit().ok());
  }
  EXPECT_EQ(db.run("SELECT string_agg(k::text, ',' ORDER BY k) FROM t")->str(0, 0), "1,3");
  // A statement that failed inside a transaction: commit is refused with that statement's error (PostgreSQL
  // would turn COMMIT into a ROLLBACK without one) and nothing is written.
  {
    auto tx = Tx::begin(db);
    ASSERT_TRUE(db.run("INSERT INTO t VALUES (4)").ok());
    EXPECT_FALSE(db.run("INSERT INTO t VALUES (1)").ok());  // duplicate
    Status s = tx->commit();
    EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
    EXPECT_TRUE(contains(s.message(), "commit refused")) << s.message();
    EXPECT_TRUE(contains(s.message(), "SQLSTATE 23505")) << s.message();
    EXPECT_EQ(tx->commit().code(), StatusCode::kFailedPrecondition);  // once only
  }
  EXPECT_EQ(count(), 2);
  EXPECT_FALSE(db.in_transaction());
}

TEST_F(PostgresConn, APipelineIsOneRoundTripAndStopsAtTheFirstError) {
  Conn& db = *conn_;
  ASSERT_TRUE(db.exec("CREATE TABLE t(k bigint PRIMARY KEY)").ok());
  std::vector<Query> ok = {{"INSERT INTO t VALUES ($1)", Params().add(1)},
                           {"INSERT INTO t VALUES ($1)", Params().add(2)},
                           {"SELECT count(*) FROM t", {}}};
  auto r = db.pipeline(ok);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].affected(), 1);
  EXPECT_EQ((*r)[2].int64(0, 0), 2);
  // Inside a transaction: the duplicate fails, the rest is skipped, nothing lands.
  {
    auto tx = Tx::begin(db);
    std::vector<Query> bad = {{"INSERT INTO t VALUES ($1)", Params().add(3)},
                              {"INSERT INTO t VALUES ($1)", Params().add(1)},
                              {"INSERT INTO t VALUES ($1)", Params().add(4)}};
    auto e = db.pipeline(bad);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), StatusCode::kAlreadyExists);
  }
  EXPECT_EQ(db.run("SELECT count(*) FROM t")->int64(0, 0), 2);
  EXPECT_TRUE(db.pipeline({}).ok());
}

TEST(PostgresMigrations, ASchemaOfANewerVersionIsRefusedUntouched) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  {
    auto c = schema.open();
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->run("UPDATE schema_version SET version = 99").ok());
  }
  auto c = schema.open();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(contains(c.status().message(), "schema version 99, newer than this ecomon knows (" +
                                                 std::to_string(migrations().back().version) + ")"))
      << c.status().message();
  auto raw = schema.open(false);
  EXPECT_EQ(*(*raw)->schema_version(), 99);
}

TEST(PostgresMigrations, AFailingMigrationLeavesTheSchemaAtTheLastWholeOne) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto c = schema.open(false);
  ASSERT_TRUE(c.ok());
  std::vector<Migration> list(migrations().begin(), migrations().end());
  const int last = migrations().back().version;  // the broken one comes after every real migration
  list.push_back({last + 1, "broken", [](Conn& db) {
                    Status s = db.exec("CREATE TABLE half(x bigint)");
                    if (!s.ok()) return s;
                    return db.exec("THIS IS NOT SQL");
                  }});
  Status s = migrate(**c, list);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(s.message(), "migration " + std::to_string(last + 1) + " (broken)")) << s.message();
  EXPECT_EQ(*(*c)->schema_version(), last);
  EXPECT_EQ((*c)->run("SELECT to_regclass('half') IS NULL")->str(0, 0), "t");  // its DDL rolled back
}

// The server ends the session (as a restart or an operator would): the call that notices gets kUnavailable,
// a transaction open at that moment never commits, and the next call reconnects.
TEST(PostgresDb, AKilledConnectionIsUnavailableThenReconnects) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto c = schema.open();
  auto admin = schema.open(false);
  ASSERT_TRUE(c.ok() && admin.ok());
  Conn& db = **c;
  PgRecordStore records(db);
  ASSERT_TRUE(records.upsert_station({.code = "A"}).ok());
  const auto kill = [&] {
    auto k = (*admin)->run("SELECT pg_terminate_backend($1::int)", Params().add(db.backend_pid()));
    ASSERT_TRUE(k.ok()) << k.status().message();
    ASSERT_EQ(k->str(0, 0), "t");
  };
  kill();
  auto lost = records.all_stations();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kUnavailable) << lost.status().message();
  auto back = records.all_stations();  // reconnected, same schema
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].code, "A");

  // Killed inside a write transaction: later statements and the commit fail, nothing lands.
  ASSERT_TRUE(records.begin_write().ok());
  ASSERT_TRUE(records.upsert_station({.code = "B"}).ok());
  kill();
  EXPECT_EQ(records.upsert_station({.code = "C"}).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(records.upsert_station({.code = "D"}).status().code(), StatusCode::kUnavailable);  // no reconnect
  Status commit = records.commit();
  EXPECT_EQ(commit.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(contains(commit.message(), "nothing of the transaction was written")) << commit.message();
  auto after = records.all_stations();
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->size(), 1u);
}

// SQLite's SQL, as the stores written once for both backends spell it, rewritten for PostgreSQL.
TEST_F(PostgresConn, SqlDbTranslatesSqliteSql) {
  ASSERT_TRUE(conn_->exec("CREATE TABLE r(a text, b text, c text, seq bigserial, PRIMARY KEY(a, b))").ok());
  SqlDb db(*conn_);
  EXPECT_EQ(*db.translate("SELECT a FROM t WHERE x=?1 AND y=?2 OR z=?1"),
            "SELECT a FROM t WHERE x=$1 AND y=$2 OR z=$1");
  EXPECT_EQ(*db.translate("UPDATE t SET a=?,b=? WHERE k=?"), "UPDATE t SET a=$1,b=$2 WHERE k=$3");
  // Quoted text is left alone; rowid and user are words only.
  EXPECT_EQ(*db.translate("SELECT user, u.user, 'a?1 user rowid', username FROM t ORDER BY plan, rowid"),
            "SELECT \"user\", u.\"user\", 'a?1 user rowid', username FROM t ORDER BY plan, seq");
  EXPECT_EQ(*db.translate("INSERT OR IGNORE INTO t(a) VALUES(?1)"),
            "INSERT INTO t(a) VALUES($1) ON CONFLICT DO NOTHING");
  EXPECT_EQ(*db.translate("INSERT OR REPLACE INTO r(a, b, c) VALUES(?1,?2,?3)"),
            "INSERT INTO r(a, b, c) VALUES($1,$2,$3) ON CONFLICT(a,b) DO UPDATE SET c = excluded.c, seq = "
            "excluded.seq");
  EXPECT_EQ(db.translate("INSERT OR REPLACE INTO nosuch(a) VALUES(?1)").status().code(),
            StatusCode::kInternal);
  // A replaced row goes to the end of the insertion order, as SQLite's REPLACE gives it a new rowid.
  for (const char* k : {"x", "y", "x"}) {
    ASSERT_TRUE(db.cached("INSERT OR REPLACE INTO r(a, b, c) VALUES(?1,?2,?3)")
                    .bind(1, k)
                    .bind(2, "1")
                    .bind(3, k)
                    .run()
                    .ok());
  }
  auto& order = db.cached("SELECT string_agg(a, ',' ORDER BY rowid) FROM r");
  ASSERT_TRUE(*order.step());
  EXPECT_EQ(order.str(0), "y,x");
}

// Inside a transaction writes are queued and sent together; a queued write's error comes back at the next
// read or the commit, and nothing of the transaction is written.
TEST_F(PostgresConn, SqlDbQueuesWritesThatLandTogetherOrNotAtAll) {
  ASSERT_TRUE(conn_->exec("CREATE TABLE t(k bigint PRIMARY KEY, v text)").ok());
  SqlDb db(*conn_);
  const auto count = [&] {
    auto& q = db.cached("SELECT count(*) FROM t");
    EXPECT_TRUE(*q.step());
    return q.int64(0);
  };
  {
    auto tx = SqlTx::begin(db);
    ASSERT_TRUE(tx.ok());
    for (int64_t k = 1; k <= 1200; ++k) {  // three pipeline chunks
      ASSERT_TRUE(db.cached("INSERT INTO t(k, v) VALUES(?1, ?2)").bind(1, k).bind(2, "v").run().ok());
    }
    EXPECT_EQ(db.changes(), 1);  // the last write's rows, once sent
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(count(), 1200);
  {
    auto tx = SqlTx::begin(db);
    ASSERT_TRUE(
        db.cached("INSERT INTO t(k, v) VALUES(?1, ?2)").bind(1, int64_t{2000}).bind(2, "v").run().ok());
    ASSERT_TRUE(db.cached("INSERT INTO t(k, v) VALUES(?1, ?2)")
                    .bind(1, int64_t{1})
                    .bind(2, "v")
                    .run()
                    .ok());  // queued
    Status s = tx->commit();
    EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.message();
    EXPECT_TRUE(contains(s.message(), "SQLSTATE 23505")) << s.message();
  }
  EXPECT_EQ(count(), 1200);
  // A rolled back transaction's queue is dropped, never sent afterwards.
  {
    auto tx = SqlTx::begin(db);
    ASSERT_TRUE(
        db.cached("INSERT INTO t(k, v) VALUES(?1, ?2)").bind(1, int64_t{3000}).bind(2, "v").run().ok());
  }
  EXPECT_EQ(count(), 1200);
  // Outside a transaction a write runs at once.
  ASSERT_TRUE(db.cached("DELETE FROM t WHERE k > ?1").bind(1, int64_t{1000}).run().ok());
  EXPECT_EQ(db.changes(), 200);
  EXPECT_EQ(db.cached("SELEC").step().status().code(), StatusCode::kInternal);
}

// The accounts on a connection of their own (the server's, shared by its threads), as AccountStore::open.
TEST(PostgresAccounts, OwnConnection) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto acc = open_postgres_account_store(schema.uri(), schema.options());
  ASSERT_TRUE(acc.ok()) << acc.status().message();
  ASSERT_TRUE((*acc)->audit({.at_ms = 5, .user = "cli", .action = "a"}).ok());
  EXPECT_EQ((*acc)->audit_log(1, 0)->at(0).at_ms, 5);
  EXPECT_EQ(*(*acc)->audit_count(), 1);
  auto bad = open_postgres_account_store("postgresql://ecomon@127.0.0.1:1/ecomon?connect_timeout=5");
  EXPECT_EQ(bad.status().code(), StatusCode::kUnavailable);
}

// Several gateways on one registry: its writers follow one another (an advisory lock, as SQLite's BEGIN
// IMMEDIATE makes them), and every process sees the revision move once a change is committed.
TEST(PostgresConcurrency, RegistryWritersFollowOneAnotherAndWatchersSeeTheRevision) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  auto a = schema.open();
  OpenOptions quick = schema.options();
  quick.lock_timeout_ms = 50;
  auto b = Conn::open(schema.uri(), quick);
  auto w = schema.open();
  ASSERT_TRUE(a.ok() && b.ok() && w.ok());
  PgSourceRegistryStore ra(**a);
  PgSourceRegistryStore rb(**b);
  PgDeviceStore watch(**w);
  {
    auto tx = Tx::begin(**a, kLockRegistry);  // a gateway's import holds the registry's writer lock
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(ra.put_enterprise({"E1", "晋城某电厂", "泽州县", "火电"}).ok());  // joins it
    EXPECT_EQ(*watch.registry_revision(), 0);                                     // not committed: not seen
    Status second = rb.put_enterprise({"E2", "某二厂", "城区", "化工"});
    EXPECT_EQ(second.code(), StatusCode::kUnavailable) << second.message();  // waited 50 ms, then gave up
    EXPECT_TRUE(contains(second.message(), "SQLSTATE 55P03")) << second.message();
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(*watch.registry_revision(), 1);  // one row inserted
  ASSERT_TRUE(rb.put_enterprise({"E2", "某二厂", "城区", "化工"}).ok());
  EXPECT_EQ(*watch.registry_revision(), 2);
  EXPECT_EQ(ra.snapshot()->enterprises.size(), 2u);
}

// The server ends the session while writes are queued in a transaction: the commit says the connection was
// lost (kUnavailable), nothing of the transaction is stored, and the next call works on a new session.
TEST_F(PostgresConn, AKilledConnectionLosesQueuedWritesAndSaysSo) {
  ASSERT_TRUE(conn_->exec("CREATE TABLE t(k bigint PRIMARY KEY)").ok());
  auto admin = schema_.open(false);
  ASSERT_TRUE(admin.ok());
  SqlDb db(*conn_);
  {
    auto tx = SqlTx::begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.cached("INSERT INTO t(k) VALUES(?1)").bind(1, int64_t{1}).run().ok());  // queued
    auto k = (*admin)->run("SELECT pg_terminate_backend($1::int)", Params().add(conn_->backend_pid()));
    ASSERT_TRUE(k.ok()) << k.status().message();
    ASSERT_TRUE(db.cached("INSERT INTO t(k) VALUES(?1)").bind(1, int64_t{2}).run().ok());  // queued
    Status s = tx->commit();
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  }
  auto n = conn_->run("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->int64(0, 0), 0);
}

// Processes opening an empty schema at once migrate it once (the advisory lock orders them; the later ones
// find the work done).
TEST(PostgresMigrations, ConnectionsOpeningAtOnceMigrateOnce) {
  ECOMON_SKIP_WITHOUT_POSTGRES();
  TestSchema schema;
  constexpr int kOpeners = 4;
  std::vector<Status> opened(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto c = schema.open();
      opened[static_cast<size_t>(i)] = c.ok() ? Status() : c.status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : opened) EXPECT_TRUE(s.ok()) << s.message();
  auto c = schema.open(false);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->run("SELECT count(*), max(version) FROM schema_version")->str(0, 0), "1");
  EXPECT_EQ(*(*c)->schema_version(), migrations().back().version);
}

}  // namespace
}  // namespace ecomon::pg
