// A small SQLite connection for the live tables of pollution-source monitoring (events, downstream commands):
// text parameters, rows of text, transactions. Not thread-safe: one per thread.
//
//   auto db = SqlDb::open("ecomon.db", "CREATE TABLE IF NOT EXISTS t(a TEXT);");
//   ECOMON_RETURN_IF_ERROR((*db)->run("INSERT INTO t(a) VALUES(?1)", {"x"}));
//   auto rows = (*db)->query("SELECT a FROM t", {});   // StatusOr<std::vector<SqlRow>>; NULL reads as ""
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace ecomon {

using SqlRow = std::vector<std::string>;
// A parameter: text, or SQL NULL.
using SqlParam = std::optional<std::string>;

// Runs `sql` on an open connection with the parameters bound as text (nullopt: NULL) and returns the rows as
// text (NULL reads as ""). `where` starts the error messages ("store ecomon.db").
StatusOr<std::vector<SqlRow>> sql_query(sqlite3* db, const std::string& where, const std::string& sql,
                                        const std::vector<SqlParam>& params);

class SqlDb {
 public:
  // Opens (creating when absent) the store at `path` in WAL mode with a busy timeout, and runs `schema`.
  static StatusOr<std::unique_ptr<SqlDb>> open(const std::string& path, const char* schema);
  ~SqlDb();
  SqlDb(const SqlDb&) = delete;
  SqlDb& operator=(const SqlDb&) = delete;

  Status exec(const char* sql);
  StatusOr<std::vector<SqlRow>> query(const std::string& sql, const std::vector<SqlParam>& params);
  Status run(const std::string& sql, const std::vector<SqlParam>& params);
  // Rows changed by the last statement.
  int64_t changes() const;
  int64_t last_insert_id() const;
  // BEGIN IMMEDIATE .. COMMIT around `body`; ROLLBACK when it fails.
  Status in_transaction(const std::function<Status()>& body);

 private:
  SqlDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace ecomon
