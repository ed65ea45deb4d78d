// The one way ecomon talks to PostgreSQL (the cluster's record store, issue 18): the counterpart of
// store/sqlite/db.h. A connection (Conn) opened from a libpq URI with the schema brought up to date by
// numbered migrations (store/postgres/migrations.h), parameterised statements only (PQexecParams, or prepared
// once per connection and kept: Conn::run), typed column reads (Result), several statements in one round trip
// (libpq's pipeline mode: Conn::pipeline), RAII transactions (Tx), and one mapping of SQLSTATEs to Status
// codes.
//
//   auto c = pg::Conn::open("postgresql://ecomon@127.0.0.1:55432/ecomon");  // migrated
//   auto tx = pg::Tx::begin(**c);                                            // BEGIN
//   ECOMON_RETURN_IF_ERROR((*c)->run("INSERT INTO t(a, b) VALUES ($1, $2)", pg::Params().add("x").add(3)));
//   ECOMON_RETURN_IF_ERROR(tx->commit());                                    // a Tx not committed rolls back
//   auto r = (*c)->run("SELECT a, b FROM t WHERE b > $1", pg::Params().add(0));
//   for (int i = 0; i < r->rows(); ++i) use(r->str(i, 0), r->int64(i, 1));
//
// Errors (status_code_of): serialization failure and deadlock (40001, 40P01), a lock not granted within the
// timeout (55P03), a lost connection (class 08, the server shutting a session down: 57P01-57P03), too many
// connections or no resources (class 53) and a cancelled statement (57014) are kUnavailable ("try again
// later", HTTP 503); an integrity violation (class 23: 23505 unique, 23503 foreign key, 23514 check, ...) is
// kAlreadyExists, as SQLite's constraint error is; bad data (class 22: invalid UTF-8, out of range) is
// kInvalidArgument; anything else kInternal. Messages name the server and database, never a password.
//
// A lost connection: the call that notices it fails with kUnavailable; the next call outside a transaction
// reconnects (PQreset) and, when the server is back, goes on. A transaction begun before the loss never
// commits: its commit() is kUnavailable (the server rolled it back), never a silent success.
//
// Thread safety: a Conn is used by one thread at a time. Open one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace ecomon::pg {

// How a connection is opened.
struct OpenOptions {
  bool migrate = true;  // run the migrations of store/postgres/migrations.h
  // The schema the tables live in (SET search_path): "" = the server's default (public). Tests give each
  // test a schema of its own; create_schema makes it when absent.
  std::string schema;
  bool create_schema = false;
  // How long a statement waits for another transaction's lock before kUnavailable (lock_timeout): -1 = the
  // SQLite stores' busy timeout (store_busy_timeout_ms(): 10 s or ECOMON_BUSY_TIMEOUT_MS).
  int lock_timeout_ms = -1;
};

// A SQLSTATE (five characters) as a StatusCode (see the header comment).
StatusCode status_code_of(std::string_view sqlstate);

// The values of a statement's parameters $1, $2, ... in order, sent as text (the server converts them to the
// column types; bigint, double precision and text columns round-trip exactly). A text holding a NUL byte
// cannot be sent (PostgreSQL's text has none): the statement is refused with kInvalidArgument naming the
// parameter.
class Params {
 public:
  Params& add(int64_t v);
  Params& add(int v) { return add(static_cast<int64_t>(v)); }
  Params& add(bool v) { return add(static_cast<int64_t>(v ? 1 : 0)); }
  Params& add(double v);
  Params& add(std::string_view text);
  Params& add(const char* text) { return add(std::string_view(text)); }
  Params& add(const std::string& text) { return add(std::string_view(text)); }
  Params& null();
  template <typename T>
  Params& add(const std::optional<T>& v) {
    return v ? add(*v) : null();
  }
  // A text[] / bigint[] / double precision[] parameter (for unnest: many rows in one statement); reals as
  // add(double) writes them (the shortest text that reads back exactly).
  Params& add_array(const std::vector<std::string>& texts);
  Params& add_array(const std::vector<int64_t>& values);
  Params& add_array(const std::vector<double>& values);

  size_t size() const { return values_.size(); }
  // For Conn: pointers to the values (nullptr for NULL) and their types (bigint and double precision for
  // integers and reals, 0 = the server infers, for text and NULL).
  std::vector<const char*> pointers() const;
  const std::vector<unsigned>& types() const { return types_; }
  const std::string& problem() const { return problem_; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<unsigned> types_;
  std::string problem_;  // the first parameter that cannot be sent, and why
};

class Row;

// A statement's result: rows of text columns, read typed. Move-only; freed when destroyed. Rows and columns
// are numbered from 0. NULL reads as 0, 0.0 or "" (check is_null when it matters).
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* r) : r_(r) {}
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&& o) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string_view text(int row, int col) const;  // valid while the Result lives
  std::string str(int row, int col) const { return std::string(text(row, col)); }
  int64_t int64(int row, int col) const;  // true reads as 1; a value that is no integer as 0
  double real(int row, int col) const;
  std::optional<int64_t> opt_int64(int row, int col) const;
  std::optional<double> opt_real(int row, int col) const;
  // Rows a write changed (INSERT/UPDATE/DELETE; 0 for other statements).
  int64_t affected() const;
  Row row(int i) const;

 private:
  pg_result* r_ = nullptr;
};

// One row of a Result, read like sqlite::Stmt's current row (so that row readers shared by both backends,
// templates over the row type, take either).
class Row {
 public:
  Row(const Result& r, int row) : r_(&r), row_(row) {}
  bool is_null(int col) const { return r_->is_null(row_, col); }
  std::string_view text(int col) const { return r_->text(row_, col); }
  std::string str(int col) const { return r_->str(row_, col); }
  int64_t int64(int col) const { return r_->int64(row_, col); }
  double real(int col) const { return r_->real(row_, col); }
  std::optional<int64_t> opt_int64(int col) const { return r_->opt_int64(row_, col); }
  std::optional<double> opt_real(int col) const { return r_->opt_real(row_, col); }

 private:
  const Result* r_;
  int row_;
};

// SQL whose parameters are written ?1, ?2, ... (SQLite's spelling, used by statements both backends share)
// with PostgreSQL's $1, $2, ...: a '?' followed by a digit, outside quoted text, becomes '$'.
std::string dollar_params(std::string_view sql);

// One statement of a pipeline.
struct Query {
  std::string sql;
  Params params;
};

class Conn {
 public:
  static StatusOr<std::unique_ptr<Conn>> open(const std::string& uri, const OpenOptions& options = {});
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // "ecomon@127.0.0.1:55432/ecomon" (schema S: "…/ecomon schema S"): what messages name.
  const std::string& name() const { return name_; }

  // SQL without parameters, one or several statements (DDL, SET, BEGIN).
  Status exec(std::string_view sql);
  // A statement with parameters, prepared once per connection (the SQL is the cache key) and run.
  StatusOr<Result> run(std::string_view sql, const Params& params = {});
  // A statement with parameters, not kept (SQL built at run time, or used once).
  StatusOr<Result> query(std::string_view sql, const Params& params = {});
  // Several statements in one round trip (libpq pipeline mode; one per 500 statements), their results in
  // order. The first failing statement's error is returned (those after it were not run). Outside a
  // transaction each chunk of 500 is one implicit transaction; wrap them in a Tx to make them one.
  StatusOr<std::vector<Result>> pipeline(const std::vector<Query>& queries);
  // A write whose result is not needed now: inside a transaction it is queued and sent with the others in
  // one pipeline before the next statement of any kind or the commit (its error, if any, is that call's);
  // outside one it runs at once. A rollback drops the queue.
  Status defer(Query q);
  // Sends the queued writes. last_affected(): the rows the last write changed (after flushing).
  Status flush();
  int64_t last_affected() const { return last_affected_; }

  bool in_transaction() const;
  // Bumped whenever the connection is made anew (a Tx begun under another generation cannot commit).
  int64_t generation() const { return generation_; }
  // The server process of this connection (pg_terminate_backend(pid) in the tests).
  int backend_pid() const;
  // The number of the last migration applied (0 for an empty schema).
  StatusOr<int> schema_version();

  // The connection's last error (or `r`'s) as a Status naming the database: "postgres NAME: WHAT: MESSAGE".
  Status error(std::string_view what, const pg_result* r = nullptr) const;
  pg_conn* raw() const { return c_; }

 private:
  Conn(pg_conn* c, OpenOptions options);
  Status setup_session();
  Status ensure_connected();
  StatusOr<Result> check(pg_result* r, std::string_view sql);
  friend class Tx;
  pg_conn* c_ = nullptr;
  OpenOptions options_;
  int tx_depth_ = 0;  // transactions (and savepoints) open through Tx
  std::vector<Query> deferred_;
  Status first_error_;  // the first statement that failed in the open transaction (commit says it)
  int64_t last_affected_ = 0;
  StatusOr<std::vector<Result>> send_pipeline(const std::vector<Query>& queries);
  Status send_chunk(const std::vector<Query>& queries, size_t begin, size_t end, std::vector<Result>& out);
  std::string name_;
  int64_t generation_ = 0;
  std::map<std::string, std::string, std::less<>> prepared_;  // SQL -> statement name
};

// A transaction: BEGIN, COMMIT with commit(), ROLLBACK when destroyed uncommitted. On a connection already in
// a transaction (a RecordStore::begin_write, say) it is a SAVEPOINT inside it: rolled back alone, committed
// with the outer one. With a `lock` key the transaction first takes that advisory lock
// (pg_advisory_xact_lock): writers of one concern then run one at a time, as SQLite's BEGIN IMMEDIATE makes
// them, where each reads what it is about to change.
class Tx {
 public:
  static StatusOr<Tx> begin(Conn& c, int64_t lock = 0);
  Tx(Tx&& o) noexcept
      : c_(std::exchange(o.c_, nullptr)), savepoint_(o.savepoint_), generation_(o.generation_) {}
  Tx& operator=(Tx&&) = delete;
  Tx(const Tx&) = delete;
  ~Tx();
  Status commit();
  void rollback();

 private:
  Tx(Conn* c, bool savepoint) : c_(c), savepoint_(savepoint), generation_(c->generation()) {}
  Conn* c_ = nullptr;
  bool savepoint_ = false;
  int64_t generation_ = 0;
};

// Advisory lock keys of the concerns whose writers read what they change (Tx::begin's `lock`).
enum LockKey : int64_t {
  kLockMigrations = 0x65636f6d6f6e01,  // "ecomon" 01
  kLockRegistry,
  kLockEvents,
  kLockCommands,
  kLockLedger,
  kLockEmergency,
  kLockAccounts,
  kLockQuality,
  kLockSoil,
  kLockStations,
  kLockDayLoads,  // the stored emission day-loads' replacements (store/postgres/day_load_store.h)
};

// Runs `body` in a transaction (Tx::begin(c, lock)): committed when it returns OK, else rolled back.
template <typename F>
Status in_transaction(Conn& c, int64_t lock, F&& body) {
  auto tx = Tx::begin(c, lock);
  if (!tx.ok()) return tx.status();
  Status s = body();
  if (!s.ok()) return s;
  return tx->commit();
}

}  // namespace ecomon::pg
