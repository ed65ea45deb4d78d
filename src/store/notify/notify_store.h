// NotifyStore (store/api/notify.h) on the store's connection: the tables of migrations 4 (event
// acknowledgements) and 5 (notification rules, outbox, attempts). Written once for SQLite and PostgreSQL
// (store/sql_backend.h; the definitions in notify_store_impl.h, PostgreSQL's instance in
// store/postgres/concern_stores.cc). One per connection, so one per thread.
//
//   SqliteNotifyStore notify(db);                    // db: a migrated sqlite::Db
//   notify.acknowledge({.event = ref, .by = "zhang", .at_ms = now, .note = ""});
#pragma once

#include "store/api/notify.h"
#include "store/sql_backend.h"

namespace ecomon {

template <class Sql>
class SqlNotifyStore : public NotifyStore {
 public:
  explicit SqlNotifyStore(typename Sql::Db& db) : db_(db) {}

  Status acknowledge(const EventAck& a) override;
  StatusOr<std::vector<EventAck>> acks(int64_t opened_from, int64_t opened_to) override;
  StatusOr<int64_t> add_rule(const NotifyRule& r) override;
  StatusOr<bool> remove_rule(int64_t id) override;
  StatusOr<std::vector<NotifyRule>> rules() override;
  StatusOr<int64_t> enqueue(const std::vector<NotifyJob>& jobs) override;
  StatusOr<std::vector<NotifyJob>> claim_due(int64_t now_ms, int64_t limit, int64_t lease_ms) override;
  Status record_attempt(const NotifyAttempt& a, const std::string& state, int64_t next_ms) override;
  StatusOr<std::vector<NotifyLogEntry>> log(const NotifyLogQuery& q) override;

 private:
  typename Sql::Db& db_;
};

extern template class SqlNotifyStore<SqliteSql>;

class SqliteNotifyStore final : public SqlNotifyStore<SqliteSql> {
 public:
  using SqlNotifyStore::SqlNotifyStore;
};

}  // namespace ecomon
