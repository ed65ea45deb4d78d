// The ledger store's statements on a backend of store/sqlite/db.h's shape (store/sql_backend.h): SQLite's
// (SqliteLedgerStore) and PostgreSQL's (store/postgres) are this template.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/ledger/ledger_store.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlLedgerImpl final : public SqlLedgerStore::Impl {
 public:
  explicit SqlLedgerImpl(typename Sql::Db& db) : db_(db) {}

  // `sql` is a constant of ledger_store.cc, prepared once per connection; parameters bound as text.
  StatusOr<std::vector<Row>> query(const std::string& sql, const Row& params) override {
    auto& st = db_.cached(sql);
    for (size_t i = 0; i < params.size(); ++i) st.bind(static_cast<int>(i + 1), params[i]);
    std::vector<Row> out;
    Status walked = sql_each_row(st, [&](auto&) {
      Row row;
      for (int c = 0; c < st.columns(); ++c) row.push_back(st.str(c));
      out.push_back(std::move(row));
    });
    if (!walked.ok()) return walked.with_context("ledger store");
    return out;
  }

  Status transaction(const std::function<Status()>& body) override {
    auto tx = Sql::begin(db_, SqlConcern::kLedger);
    if (!tx.ok()) return tx.status().with_context("ledger store");
    ECOMON_RETURN_IF_ERROR(body());
    return tx->commit();
  }

  int64_t last_insert_rowid() override { return db_.last_insert_rowid(); }

 private:
  typename Sql::Db& db_;
};

}  // namespace ecomon
