// The one way ecomon talks to SQLite: a connection (Db) opened with one pragma set and the schema brought up
// to date by numbered migrations (store/sqlite/migrations.h), RAII prepared statements with typed binds and
// column reads (Stmt), RAII write transactions (Tx), and one mapping of SQLite's errors to Status codes (busy
// or locked → kUnavailable, "try again later", HTTP 503; anything else kInternal). Every concern's SQLite
// store (quality, sources, ledger, emergency, accounts, soil, air) works on a `Db&` it is handed; nothing
// outside src/store names sqlite3.
//
//   auto db = sqlite::Db::open("ecomon.db");                    // StatusOr<std::unique_ptr<Db>>, migrated
//   auto tx = sqlite::Tx::begin(**db);                          // BEGIN IMMEDIATE
//   sqlite::Stmt& ins = (*db)->cached("INSERT INTO t(a, b) VALUES(?1, ?2)");
//   ECOMON_RETURN_IF_ERROR(ins.bind(1, "x").bind(2, int64_t{3}).run());
//   ECOMON_RETURN_IF_ERROR(tx->commit());                       // a Tx not committed rolls back
//   sqlite::Stmt q = (*db)->prepare("SELECT a, b FROM t WHERE b > ?1").value();
//   q.bind(1, int64_t{0});
//   while (true) { auto row = q.step(); if (!row.ok()) return row.status(); if (!*row) break;
//                  use(q.text(0), q.int64(1)); }
//
// Thread safety: a Db is used by one thread at a time (SQLITE_OPEN_NOMUTEX). Open one per thread to read in
// parallel; WAL mode lets readers run beside the one writer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ecomon::sqlite {

class Db;

// How a connection is opened. The defaults are every store's: WAL, synchronous=NORMAL (a commit survives a
// process crash; the gateway's writers, which answer devices only after a commit, ask for kFull), foreign
// keys on, the busy timeout of store_busy_timeout_ms() (10 s, or ECOMON_BUSY_TIMEOUT_MS).
struct OpenOptions {
  enum class Sync { kNormal, kFull };
  Sync sync = Sync::kNormal;
  bool create = true;        // create the file when absent (else kNotFound)
  bool migrate = true;       // run the migrations of store/sqlite/migrations.h (the main store file)
  int cache_mib = 0;         // page cache size (0: SQLite's default)
  int busy_timeout_ms = -1;  // -1: store_busy_timeout_ms()
};

// SQLite's result code as a StatusCode: SQLITE_BUSY and SQLITE_LOCKED (with their extended codes) are
// kUnavailable, SQLITE_CONSTRAINT kAlreadyExists, anything else kInternal.
StatusCode status_code_of(int sqlite_rc);

// A prepared statement. Move-only; finalized when destroyed. Binds return *this so that they chain; a bind
// error (a wrong index) is kept and returned by the next step()/run().
class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept;
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are numbered from 1 (?1, ?2, ...). Text is copied (SQLITE_TRANSIENT) unless bound with
  // bind_static, whose bytes must outlive the step.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view text);
  Stmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  Stmt& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  Stmt& bind_static(int i, std::string_view text);
  Stmt& bind_blob(int i, std::string_view bytes);
  Stmt& bind_null(int i);
  template <typename T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // One step: true when a row is ready (read it with the column functions), false when done.
  StatusOr<bool> step();
  // Steps to the end (a write, or a read whose rows do not matter).
  Status run();
  // Ready for another use: reset and bindings cleared (cached statements are reset when handed out).
  void reset();

  // Columns of the current row, numbered from 0. NULL reads as 0, 0.0 or "" (check is_null when it matters).
  int columns() const;
  bool is_null(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;
  std::string_view text(int col) const;  // valid until the next step/reset
  std::string str(int col) const { return std::string(text(col)); }
  std::string_view blob(int col) const;
  std::optional<int64_t> opt_int64(int col) const;
  std::optional<double> opt_real(int col) const;

  // Rows changed by the last run of this statement's connection.
  int64_t changes() const;
  bool valid() const { return s_ != nullptr; }
  sqlite3_stmt* raw() const { return s_; }

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Status error(std::string_view what) const;
  void note_bind(int rc, int i);
  Db* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  int bind_rc_ = 0;  // the first failing bind's result code (0: none)
  int bind_index_ = 0;
  std::string prepare_error_;  // a cached statement whose preparation failed: why
};

class Db {
 public:
  static StatusOr<std::unique_ptr<Db>> open(const std::string& path, const OpenOptions& options = {});
  // A Db over a connection someone else opened and closes (SqliteStore's own, for an in-memory store whose
  // schema must be made on that very connection). Nothing is set or migrated.
  static std::unique_ptr<Db> borrow(sqlite3* raw, std::string path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const std::string& path() const { return path_; }

  // SQL without parameters, one or several statements.
  Status exec(std::string_view sql);
  // A new statement (for SQL built at run time or used once).
  StatusOr<Stmt> prepare(std::string_view sql);
  // A statement prepared once per connection and kept (SQLITE_PREPARE_PERSISTENT), reset and with its
  // bindings cleared. `sql` is the cache key; a preparation error is returned by the statement's
  // step()/run().
  Stmt& cached(std::string_view sql);

  int64_t changes() const;
  int64_t last_insert_rowid() const;
  bool in_transaction() const;
  // PRAGMA user_version: the number of the last migration applied.
  StatusOr<int> user_version();

  // The connection's last error as a Status naming the store's file: "store PATH: WHAT: MESSAGE".
  Status error(std::string_view what) const;
  // For the store implementations only (sqlite_setup.cc's counters, the gateway shards' ATTACH).
  sqlite3* raw() const { return db_; }

 private:
  Db(std::string path, sqlite3* db, bool owned = true) : path_(std::move(path)), db_(db), owned_(owned) {}
  std::string path_;
  sqlite3* db_ = nullptr;
  bool owned_ = true;
  std::map<std::string, Stmt, std::less<>> cache_;
  Stmt failed_;  // handed out by cached() when preparation failed: its step() reports the error
};

// A write transaction: BEGIN IMMEDIATE (waits for the write lock up to the busy timeout), COMMIT with
// commit(), ROLLBACK when destroyed uncommitted. Not nestable: begin() on a connection already in a
// transaction is kFailedPrecondition.
class Tx {
 public:
  static StatusOr<Tx> begin(Db& db);
  Tx(Tx&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Tx& operator=(Tx&&) = delete;
  Tx(const Tx&) = delete;
  ~Tx();
  Status commit();
  void rollback();

 private:
  explicit Tx(Db* db) : db_(db) {}
  Db* db_ = nullptr;
};

}  // namespace ecomon::sqlite
