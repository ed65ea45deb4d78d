// The shape of store/sqlite/db.h over a PostgreSQL connection: SqlDb::cached(sql) hands out a statement
// with typed binds, step() and typed column reads, SqlTx a write transaction. The concern stores written
// against sqlite::Db (accounts, ledger, emergency, quality, soil) are templates over that shape
// (store/<concern>/*_impl.h) and run unchanged on PostgreSQL through it: one implementation, both backends.
//
// The SQL they share is SQLite's; SqlDb rewrites it once per statement for PostgreSQL:
//   ?1, ?2 / ?            -> $1, $2 / the next $n
//   INSERT OR IGNORE ...  -> INSERT ... ON CONFLICT DO NOTHING
//   INSERT OR REPLACE INTO t(cols) VALUES(...)
//                         -> ... ON CONFLICT(t's primary key) DO UPDATE SET every other column, and `seq`
//                         (the
//                            insertion order, store/postgres/migrations.h) anew, so that a replaced row
//                            moves to the end as SQLite's does
//   rowid                 -> seq;  user (a reserved word in PostgreSQL) -> "user"
// Parameters bound as integers are sent as bigint, reals as double precision, text as text left for the
// server to infer.
//
// Round trips: inside a transaction, a write's run() is queued and the queue goes in one pipeline at the
// next read, changes(), last_insert_rowid() or commit, so that an import writing a file's rows one statement
// at a time costs one round trip, not one per row. A queued write's error is returned by that next call (the
// transaction then rolls back as a whole, as on SQLite). Outside a transaction every statement runs at once.
//
// Thread safety: that of its Conn.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/postgres/db.h"
#include "store/sql_backend.h"

namespace ecomon::pg {

class SqlDb;

class SqlStmt {
 public:
  struct Value {
    std::optional<std::string> text;  // nullopt: NULL
    int64_t integer = 0;
    double real = 0;
    enum Kind { kText, kInteger, kReal } kind = kText;
  };
  SqlStmt() = default;
  SqlStmt(SqlStmt&&) noexcept = default;
  ~SqlStmt() = default;
  SqlStmt& operator=(SqlStmt&&) noexcept = default;
  SqlStmt(const SqlStmt&) = delete;
  SqlStmt& operator=(const SqlStmt&) = delete;

  SqlStmt& bind(int i, int64_t v);
  SqlStmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  SqlStmt& bind(int i, double v);
  SqlStmt& bind(int i, std::string_view text);
  SqlStmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  SqlStmt& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  SqlStmt& bind_null(int i);
  template <typename T>
  SqlStmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // The first step runs the statement (after the queued writes); each step then moves to the next row.
  StatusOr<bool> step();
  // A write: queued inside a transaction, else run at once.
  Status run();
  void reset();

  int columns() const { return result_.columns(); }
  bool is_null(int col) const { return result_.is_null(row_, col); }
  int64_t int64(int col) const { return result_.int64(row_, col); }
  double real(int col) const { return result_.real(row_, col); }
  std::string_view text(int col) const { return result_.text(row_, col); }
  std::string str(int col) const { return std::string(text(col)); }
  std::optional<int64_t> opt_int64(int col) const { return result_.opt_int64(row_, col); }
  std::optional<double> opt_real(int col) const { return result_.opt_real(row_, col); }

 private:
  friend class SqlDb;
  SqlStmt(SqlDb* db, std::string sql, Status error);
  Params params() const;
  SqlStmt& set(int i, Value v);
  SqlDb* db_ = nullptr;
  std::string sql_;            // PostgreSQL's
  Status error_;               // the translation's, returned by step()/run()
  bool write_ = false;         // INSERT, UPDATE or DELETE: queued by run() inside a transaction
  std::vector<Value> values_;  // by parameter number - 1
  Result result_;
  int row_ = -1;
  bool executed_ = false;
};

class SqlDb {
 public:
  explicit SqlDb(Conn& c) : c_(c) {}
  Conn& conn() { return c_; }
  const std::string& path() const { return c_.name(); }

  // SQL without parameters (after the queued writes).
  Status exec(std::string_view sql);
  // A statement kept per connection, reset and with its bindings cleared.
  SqlStmt& cached(std::string_view sqlite_sql);
  // A statement of its own.
  StatusOr<SqlStmt> prepare(std::string_view sqlite_sql);
  // Rows changed by the last write (the queued ones sent first).
  int64_t changes();
  // The identity given to the last row inserted (lastval()).
  int64_t last_insert_rowid();
  bool in_transaction() const { return c_.in_transaction(); }

  // SQLite's SQL as PostgreSQL's (see the header comment); the primary keys of INSERT OR REPLACE's tables
  // are read from the catalogue once.
  StatusOr<std::string> translate(std::string_view sqlite_sql);

 private:
  StatusOr<std::string> replace_clause(const std::string& table, const std::vector<std::string>& columns);
  Conn& c_;
  std::map<std::string, std::unique_ptr<SqlStmt>, std::less<>> cache_;
};

// SqlDb's write transaction (sqlite::Tx's shape): pg::Tx with the queued writes sent before the commit.
class SqlTx {
 public:
  static StatusOr<SqlTx> begin(SqlDb& db, int64_t lock = 0);
  SqlTx(SqlTx&&) noexcept = default;
  SqlTx& operator=(SqlTx&&) = delete;
  Status commit();
  void rollback() { tx_.reset(); }

 private:
  SqlTx(SqlDb* db, std::optional<Tx> tx) : db_(db), tx_(std::move(tx)) {}
  SqlDb* db_;
  std::optional<Tx> tx_;
};

}  // namespace ecomon::pg

namespace ecomon {

// The PostgreSQL side of store/sql_backend.h.
struct PgSql {
  using Db = pg::SqlDb;
  static StatusOr<pg::SqlTx> begin(Db& db, SqlConcern concern) {
    return pg::SqlTx::begin(db, pg::kLockAccounts + static_cast<int64_t>(concern) * 0x100);
  }
};

}  // namespace ecomon
