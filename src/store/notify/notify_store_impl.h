// The definitions of SqlNotifyStore (notify_store.h), for SQLite (notify_store.cc) and PostgreSQL
// (store/postgres/concern_stores.cc): the same statements in SQLite's SQL (store/postgres/sql_db.h
// translates).
#pragma once

#include "store/notify/notify_store.h"

namespace ecomon {

template <class Sql>
Status SqlNotifyStore<Sql>::acknowledge(const EventAck& a) {
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(
      db_.cached("INSERT OR REPLACE INTO event_ack(mn, kind, pollutant, opened_at, by_login, at_ms, note) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
          .bind(1, a.event.mn)
          .bind(2, a.event.kind)
          .bind(3, a.event.pollutant)
          .bind(4, a.event.opened_at)
          .bind(5, a.by)
          .bind(6, a.at_ms)
          .bind(7, a.note)
          .run());
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<EventAck>> SqlNotifyStore<Sql>::acks(int64_t opened_from, int64_t opened_to) {
  auto& q = db_.cached(
      "SELECT mn, kind, pollutant, opened_at, by_login, at_ms, note FROM event_ack "
      "WHERE opened_at >= ?1 AND opened_at <= ?2 ORDER BY opened_at, mn, kind, pollutant");
  q.bind(1, opened_from).bind(2, opened_to);
  std::vector<EventAck> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
    out.push_back({{q.str(0), q.str(1), q.str(2), q.int64(3)}, q.str(4), q.int64(5), q.str(6)});
  }));
  return out;
}

namespace notify_impl {

inline constexpr const char* kJobColumns =
    "j.id, j.rule_id, j.mn, j.kind, j.pollutant, j.opened_at, j.level, j.channel, j.target, j.payload, "
    "j.attempts, j.next_ms, j.state, j.created_ms";

// The job in the columns of kJobColumns from `c0` on.
template <typename Q>
NotifyJob job_of(const Q& q, int c0) {
  NotifyJob j;
  j.id = q.int64(c0);
  j.rule_id = q.int64(c0 + 1);
  j.event = {q.str(c0 + 2), q.str(c0 + 3), q.str(c0 + 4), q.int64(c0 + 5)};
  j.level = q.str(c0 + 6);
  j.channel = q.str(c0 + 7);
  j.target = q.str(c0 + 8);
  j.payload = q.str(c0 + 9);
  j.attempts = static_cast<int>(q.int64(c0 + 10));
  j.next_ms = q.int64(c0 + 11);
  j.state = q.str(c0 + 12);
  j.created_ms = q.int64(c0 + 13);
  return j;
}

}  // namespace notify_impl

template <class Sql>
StatusOr<int64_t> SqlNotifyStore<Sql>::add_rule(const NotifyRule& r) {
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(
      db_.cached(
             "INSERT INTO notify_rule(role, county, kinds, levels, channel, target, created_by, created_ms) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
          .bind(1, r.role)
          .bind(2, r.county)
          .bind(3, r.kinds)
          .bind(4, r.levels)
          .bind(5, r.channel)
          .bind(6, r.target)
          .bind(7, r.created_by)
          .bind(8, r.created_ms)
          .run());
  const int64_t id = db_.last_insert_rowid();
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return id;
}

template <class Sql>
StatusOr<bool> SqlNotifyStore<Sql>::remove_rule(int64_t id) {
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(db_.cached("DELETE FROM notify_rule WHERE id = ?1").bind(1, id).run());
  const bool removed = db_.changes() > 0;
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return removed;
}

template <class Sql>
StatusOr<std::vector<NotifyRule>> SqlNotifyStore<Sql>::rules() {
  auto& q = db_.cached(
      "SELECT id, role, county, kinds, levels, channel, target, created_by, created_ms FROM notify_rule "
      "ORDER BY id");
  std::vector<NotifyRule> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back(
        {r.int64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.int64(8)});
  }));
  return out;
}

template <class Sql>
StatusOr<int64_t> SqlNotifyStore<Sql>::enqueue(const std::vector<NotifyJob>& jobs) {
  if (jobs.empty()) return int64_t{0};
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  int64_t added = 0;
  for (const NotifyJob& j : jobs) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached(
               "INSERT OR IGNORE INTO notify_job(rule_id, mn, kind, pollutant, opened_at, level, channel, "
               "target, payload, attempts, next_ms, state, created_ms) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, 'pending', ?11)")
            .bind(1, j.rule_id)
            .bind(2, j.event.mn)
            .bind(3, j.event.kind)
            .bind(4, j.event.pollutant)
            .bind(5, j.event.opened_at)
            .bind(6, j.level)
            .bind(7, j.channel)
            .bind(8, j.target)
            .bind(9, j.payload)
            .bind(10, j.next_ms)
            .bind(11, j.created_ms)
            .run());
    added += db_.changes();
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return added;
}

template <class Sql>
StatusOr<std::vector<NotifyJob>> SqlNotifyStore<Sql>::claim_due(int64_t now_ms, int64_t limit,
                                                                int64_t lease_ms) {
  // The concern's write transaction serialises claims on both backends (SQLite's one writer; PostgreSQL's
  // advisory lock of the concern), and each UPDATE re-checks that the job is still pending and due, so two
  // workers never claim one job.
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  auto& q = db_.cached(std::string("SELECT ") + notify_impl::kJobColumns +
                       " FROM notify_job j WHERE j.state = 'pending' AND j.next_ms <= ?1 "
                       "ORDER BY j.next_ms, j.id LIMIT ?2");
  q.bind(1, now_ms).bind(2, limit);
  std::vector<NotifyJob> due;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) { due.push_back(notify_impl::job_of(r, 0)); }));
  std::vector<NotifyJob> out;
  for (NotifyJob& j : due) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached("UPDATE notify_job SET next_ms = ?2 WHERE id = ?1 AND state = 'pending' AND next_ms <= ?3")
            .bind(1, j.id)
            .bind(2, now_ms + lease_ms)
            .bind(3, now_ms)
            .run());
    if (db_.changes() == 1) out.push_back(std::move(j));
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
Status SqlNotifyStore<Sql>::record_attempt(const NotifyAttempt& a, const std::string& state,
                                           int64_t next_ms) {
  auto tx = Sql::begin(db_, SqlConcern::kNotify);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO notify_attempt(job_id, attempt, at_ms, ok, detail, took_ms) "
                                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
                             .bind(1, a.job_id)
                             .bind(2, int64_t{a.attempt})
                             .bind(3, a.at_ms)
                             .bind(4, int64_t{a.ok ? 1 : 0})
                             .bind(5, a.detail)
                             .bind(6, a.took_ms)
                             .run());
  ECOMON_RETURN_IF_ERROR(
      db_.cached("UPDATE notify_job SET attempts = ?2, state = ?3, next_ms = ?4 WHERE id = ?1")
          .bind(1, a.job_id)
          .bind(2, int64_t{a.attempt})
          .bind(3, state)
          .bind(4, next_ms)
          .run());
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<NotifyLogEntry>> SqlNotifyStore<Sql>::log(const NotifyLogQuery& q) {
  auto& st = db_.cached(std::string("SELECT a.job_id, a.attempt, a.at_ms, a.ok, a.detail, a.took_ms, ") +
                        notify_impl::kJobColumns +
                        " FROM notify_attempt a JOIN notify_job j ON j.id = a.job_id "
                        "WHERE (?1 = '' OR j.mn = ?1) AND (?2 = 0 OR j.rule_id = ?2) AND a.at_ms >= ?3 "
                        "ORDER BY a.id DESC LIMIT ?4");
  st.bind(1, q.mn).bind(2, q.rule_id).bind(3, q.since_ms).bind(4, q.limit);
  std::vector<NotifyLogEntry> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(st, [&](auto& r) {
    NotifyLogEntry e;
    e.attempt = {r.int64(0), static_cast<int>(r.int64(1)), r.int64(2), r.int64(3) == 1, r.str(4), r.int64(5)};
    e.job = notify_impl::job_of(r, 6);
    out.push_back(std::move(e));
  }));
  return out;
}

}  // namespace ecomon
