// For tests outside src/store that must put a store's SQLite file into a state no interface makes: rows an
// older version wrote (bytes that are not UTF-8), a schema from before a migration, a lock another program
// holds. Raw SQL without parameters on a connection of its own: no pragmas, no migrations (so an empty file
// stays empty until the SQL creates something). Link SQLite::SQLite3.
//
//   auto f = testing::SqliteFile::open(path);       // StatusOr<std::unique_ptr<SqliteFile>>
//   ASSERT_TRUE((*f)->exec("BEGIN EXCLUSIVE").ok());
//   auto hash = (*f)->text("SELECT password_hash FROM acc_user");
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace ecomon::testing {

class SqliteFile {
 public:
  // Opens (creating when absent) the file at `path`, waiting up to 10 s for a lock held by another
  // connection.
  static StatusOr<std::unique_ptr<SqliteFile>> open(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
      std::string why = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      return Status(StatusCode::kUnavailable, "cannot open " + path + ": " + why);
    }
    constexpr int kBusyTimeoutMs = 10000;
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    return std::unique_ptr<SqliteFile>(new SqliteFile(path, db));
  }
  ~SqliteFile() { sqlite3_close(db_); }
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  // Runs statements without parameters (several, separated by ';').
  Status exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Status(StatusCode::kInternal, path_ + ": " + why + " in: " + sql);
    }
    return Status();
  }
  // The first column of the first row of a query, as text; kNotFound when it returns no row.
  StatusOr<std::string> text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      return Status(StatusCode::kInternal, path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
    }
    const int rc = sqlite3_step(st);
    std::string out;
    if (rc == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      out.assign(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return out;
    if (rc == SQLITE_DONE) return Status(StatusCode::kNotFound, path_ + ": no row from: " + sql);
    return Status(StatusCode::kInternal, path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  }

 private:
  SqliteFile(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  std::string path_;
  sqlite3* db_;
};

}  // namespace ecomon::testing
