#include "store/sources/sql_db.h"

#include <sqlite3.h>

#include "store/sqlite_status.h"

namespace ecomon {

StatusOr<std::vector<SqlRow>> sql_query(sqlite3* db, const std::string& where, const std::string& sql,
                                        const std::vector<SqlParam>& params) {
  auto error = [&](const std::string& what) {
    return sqlite_status(db, where + ": " + what + " " + sql);  // busy/locked: kUnavailable (503)
  };
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return error("prepare");
  for (size_t i = 0; i < params.size(); ++i) {
    const int at = static_cast<int>(i + 1);
    if (params[i]) {
      sqlite3_bind_text(st, at, params[i]->data(), static_cast<int>(params[i]->size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(st, at);
    }
  }
  std::vector<SqlRow> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    SqlRow row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const unsigned char* t = sqlite3_column_text(st, c);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return error("run");
  return out;
}

StatusOr<std::unique_ptr<SqlDb>> SqlDb::open(const std::string& path, const char* schema) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status(StatusCode::kUnavailable, "cannot open store " + path + ": " + m);
  }
  sqlite3_busy_timeout(db, store_busy_timeout_ms());
  std::unique_ptr<SqlDb> out(new SqlDb(path, db));
  ECOMON_RETURN_IF_ERROR(out->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  ECOMON_RETURN_IF_ERROR(out->exec(schema));
  return out;
}

SqlDb::~SqlDb() {
  if (db_) sqlite3_close(db_);
}

Status SqlDb::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return Status(sqlite_status_code(sqlite3_extended_errcode(db_)), "store " + path_ + ": " + m);
  }
  return Status();
}

StatusOr<std::vector<SqlRow>> SqlDb::query(const std::string& sql, const std::vector<SqlParam>& params) {
  return sql_query(db_, "store " + path_, sql, params);
}

Status SqlDb::run(const std::string& sql, const std::vector<SqlParam>& params) {
  return query(sql, params).status();
}

int64_t SqlDb::changes() const { return sqlite3_changes64(db_); }
int64_t SqlDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

Status SqlDb::in_transaction(const std::function<Status()>& body) {
  ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s.ok()) s = exec("COMMIT");
  if (!s.ok()) (void)exec("ROLLBACK");
  return s;
}

}  // namespace ecomon
