// The concern stores written once for both SQL backends: a store is a template over `Sql`, whose Db has
// store/sqlite/db.h's shape (cached(sql) -> a statement with bind/step/run and typed column reads, changes(),
// last_insert_rowid()) and whose begin(db, concern) opens a write transaction. SqliteSql is SQLite's
// (below); pg::PgSql is PostgreSQL's (store/postgres/sql_db.h), which takes the SQL as SQLite spells it.
//
//   template <class Sql> class SqlAccountStore : public AccountStore {
//     typename Sql::Db& db_;
//     Status f() { auto tx = Sql::begin(db_, SqlConcern::kAccounts); ... db_.cached("...?1").bind(1,
//     x).run(); }
//   };
#pragma once

#include <cstdint>
#include <type_traits>

#include "core/status.h"
#include "store/sqlite/db.h"

namespace ecomon {

// Whose write transaction it is: PostgreSQL serialises the writers of one concern (an advisory lock), as
// SQLite's BEGIN IMMEDIATE serialises every writer.
enum class SqlConcern : uint8_t {
  kAccounts,
  kLedger,
  kEmergency,
  kQuality,
  kSoil,
  kNotify,
  kAudit,
  kPower,
  kPendingDevices,
  kDust,
  kQualityStations
};

// Steps a prepared statement of either backend to its end, calling f(q) on each row; resets it either way.
// f returns void, or a Status whose error stops the walk and is returned.
template <class Q, class F>
Status sql_each_row(Q& q, F&& f) {
  while (true) {
    auto more = q.step();
    if (!more.ok()) {
      q.reset();
      return more.status();
    }
    if (!*more) break;
    if constexpr (std::is_same_v<std::invoke_result_t<F&, Q&>, Status>) {
      if (Status s = f(q); !s.ok()) {
        q.reset();
        return s;
      }
    } else {
      f(q);
    }
  }
  q.reset();
  return Status();
}

struct SqliteSql {
  using Db = sqlite::Db;
  static StatusOr<sqlite::Tx> begin(Db& db, SqlConcern /*concern*/) { return sqlite::Tx::begin(db); }
};

}  // namespace ecomon
