#include "store/sqlite/db.h"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite/migrations.h"
#include "store/sqlite_status.h"

namespace ecomon::sqlite {

StatusCode status_code_of(int sqlite_rc) {
  constexpr int kPrimaryMask = 0xff;  // an extended result code's low byte is its primary code
  switch (sqlite_rc & kPrimaryMask) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return StatusCode::kAlreadyExists;
    default:
      return StatusCode::kInternal;
  }
}

// ---- Stmt

Stmt::Stmt(Stmt&& o) noexcept
    : db_(o.db_),
      s_(std::exchange(o.s_, nullptr)),
      bind_rc_(o.bind_rc_),
      bind_index_(o.bind_index_),
      prepare_error_(std::move(o.prepare_error_)) {}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = std::exchange(o.s_, nullptr);
    bind_rc_ = o.bind_rc_;
    bind_index_ = o.bind_index_;
    prepare_error_ = std::move(o.prepare_error_);
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

void Stmt::note_bind(int rc, int i) {
  if (rc != SQLITE_OK && bind_rc_ == 0) {
    bind_rc_ = rc;
    bind_index_ = i;
  }
}

Stmt& Stmt::bind(int i, int64_t v) {
  if (s_) note_bind(sqlite3_bind_int64(s_, i, v), i);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  if (s_) note_bind(sqlite3_bind_double(s_, i, v), i);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
  if (s_) {
    note_bind(sqlite3_bind_text64(s_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), i);
  }
  return *this;
}
Stmt& Stmt::bind_static(int i, std::string_view text) {
  if (s_) note_bind(sqlite3_bind_text64(s_, i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8), i);
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  if (s_) note_bind(sqlite3_bind_blob64(s_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT), i);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  if (s_) note_bind(sqlite3_bind_null(s_, i), i);
  return *this;
}

Status Stmt::error(std::string_view what) const {
  if (!db_) return Status(StatusCode::kInternal, std::string(what));
  return db_->error(what);
}

StatusOr<bool> Stmt::step() {
  if (!s_) {
    return Status(StatusCode::kInternal, prepare_error_.empty() ? "statement not prepared" : prepare_error_);
  }
  if (bind_rc_ != 0) {
    return Status(StatusCode::kInternal, "store " + (db_ ? db_->path() : std::string()) +
                                             ": bind parameter " + std::to_string(bind_index_) + ": " +
                                             sqlite3_errstr(bind_rc_) + " (" + sqlite3_sql(s_) + ")");
  }
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = error(sqlite3_sql(s_));
  sqlite3_reset(s_);
  return st;
}

Status Stmt::run() {
  while (true) {
    auto row = step();
    if (!row.ok()) return row.status();
    if (!*row) return Status();
  }
}

void Stmt::reset() {
  if (!s_) return;
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  bind_rc_ = 0;
  bind_index_ = 0;
}

int Stmt::columns() const { return s_ ? sqlite3_column_count(s_) : 0; }
bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
int64_t Stmt::int64(int col) const { return sqlite3_column_int64(s_, col); }
double Stmt::real(int col) const { return sqlite3_column_double(s_, col); }
std::string_view Stmt::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}
std::string_view Stmt::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}
std::optional<int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}
std::optional<double> Stmt::opt_real(int col) const {
  if (is_null(col)) return std::nullopt;
  return real(col);
}
int64_t Stmt::changes() const { return db_ ? db_->changes() : 0; }

// ---- Db

StatusOr<std::unique_ptr<Db>> Db::open(const std::string& path, const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    const StatusCode code =
        (rc & 0xff) == SQLITE_CANTOPEN && !options.create ? StatusCode::kNotFound : StatusCode::kUnavailable;
    return Status(code, "cannot open store " + path + ": " + msg);
  }
  std::unique_ptr<Db> db(new Db(path, raw));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms >= 0 ? options.busy_timeout_ms : store_busy_timeout_ms());
  std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=";
  pragmas += options.sync == OpenOptions::Sync::kFull ? "FULL;" : "NORMAL;";
  if (options.cache_mib > 0) {
    constexpr int64_t kKibPerMib = 1024;
    pragmas += " PRAGMA cache_size=-" + std::to_string(int64_t{options.cache_mib} * kKibPerMib) + ";";
  }
  ECOMON_RETURN_IF_ERROR(db->exec(pragmas));
  if (options.migrate) ECOMON_RETURN_IF_ERROR(migrate(*db, migrations()));
  return db;
}

std::unique_ptr<Db> Db::borrow(sqlite3* raw, std::string path) {
  return std::unique_ptr<Db>(new Db(std::move(path), raw, /*owned=*/false));
}

Db::~Db() {
  cache_.clear();  // finalize before closing
  failed_ = Stmt();
  if (owned_) sqlite3_close(db_);
}

Status Db::error(std::string_view what) const {
  return Status(status_code_of(sqlite3_extended_errcode(db_)),
                "store " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status Db::exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  if (rc == SQLITE_OK) return Status();
  std::string m = msg ? msg : sqlite3_errstr(rc);
  sqlite3_free(msg);
  constexpr size_t kShownSql = 80;
  return Status(status_code_of(rc), "store " + path_ + ": " + m + " (" + text.substr(0, kShownSql) + ")");
}

StatusOr<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) {
    return error("prepare " + std::string(sql));
  }
  return Stmt(this, s);
}

Stmt& Db::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
                           nullptr) != SQLITE_OK) {
      failed_ = Stmt(this, nullptr);
      failed_.prepare_error_ = error("prepare " + std::string(sql)).message();
      return failed_;
    }
    it = cache_.emplace(std::string(sql), Stmt(this, s)).first;
  }
  it->second.reset();
  return it->second;
}

int64_t Db::changes() const { return sqlite3_changes64(db_); }
int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
bool Db::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

StatusOr<int> Db::user_version() {
  auto st = prepare("PRAGMA user_version");
  if (!st.ok()) return st.status();
  auto row = st->step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<int>(st->int64(0)) : 0;
}

// ---- Tx

StatusOr<Tx> Tx::begin(Db& db) {
  if (db.in_transaction()) {
    return Status(StatusCode::kFailedPrecondition, "store " + db.path() + ": a transaction is already open");
  }
  ECOMON_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  return Tx(&db);
}

Tx::~Tx() { rollback(); }

Status Tx::commit() {
  if (!db_) return Status(StatusCode::kFailedPrecondition, "transaction already ended");
  Status s = db_->exec("COMMIT");
  if (!s.ok()) {
    rollback();
    return s;
  }
  db_ = nullptr;
  return s;
}

void Tx::rollback() {
  if (!db_) return;
  if (db_->in_transaction()) (void)db_->exec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace ecomon::sqlite
