#include "store/postgres/source_stores.h"

#include <variant>

#include "store/sources/command_rows.h"
#include "store/sources/event_rows.h"

namespace ecomon {
namespace {

pg::Params params_of(const std::vector<std::string>& texts) {
  pg::Params p;
  for (const std::string& t : texts) p.add(t);
  return p;
}

pg::Query query_of(const event_rows::Statement& st) {
  pg::Query q{pg::dollar_params(st.sql), {}};
  for (const event_rows::Value& v : st.params) std::visit([&](const auto& x) { q.params.add(x); }, v);
  return q;
}

}  // namespace

// ---- registry

StatusOr<std::vector<std::vector<TextRowRegistryStore::Row>>> PgSourceRegistryStore::run_all(
    const std::vector<Statement>& statements) {
  std::vector<pg::Result> results;
  if (statements.size() == 1) {
    auto r = c_.run(pg::dollar_params(statements[0].sql), params_of(statements[0].params));
    if (!r.ok()) return r.status();
    results.push_back(std::move(*r));
  } else {
    std::vector<pg::Query> qs;
    qs.reserve(statements.size());
    for (const Statement& st : statements) qs.push_back({pg::dollar_params(st.sql), params_of(st.params)});
    auto r = c_.pipeline(qs);
    if (!r.ok()) return r.status();
    results = std::move(*r);
  }
  std::vector<std::vector<Row>> out(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const pg::Result& r = results[i];
    out[i].reserve(static_cast<size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
      Row texts(static_cast<size_t>(r.columns()));
      for (int col = 0; col < r.columns(); ++col) texts[static_cast<size_t>(col)] = r.str(row, col);
      out[i].push_back(std::move(texts));
    }
  }
  return out;
}

Status PgSourceRegistryStore::in_transaction(const std::function<Status()>& body) {
  return pg::in_transaction(c_, pg::kLockRegistry, body);
}

// ---- events

StatusOr<int64_t> PgSourceEventStore::apply(std::span<const sources::EventTransition> transitions,
                                            int64_t now_ms) {
  std::vector<pg::Query> qs;
  for (const event_rows::Statement& st : event_rows::apply_statements(transitions, now_ms)) {
    qs.push_back(query_of(st));
  }
  int64_t changed = 0;
  Status s = pg::in_transaction(c_, pg::kLockEvents, [&]() -> Status {
    auto r = c_.pipeline(qs);
    if (!r.ok()) return r.status();
    for (const pg::Result& one : *r) changed += one.affected();
    return Status();
  });
  if (!s.ok()) return s;
  return changed;
}

StatusOr<std::vector<StoredEvent>> PgSourceEventStore::events(const EventQuery& q) {
  const pg::Query query = query_of(event_rows::events_statement(q));
  auto r = c_.query(query.sql, query.params);
  if (!r.ok()) return r.status();
  std::vector<StoredEvent> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    auto e = event_rows::event_of(r->row(i));
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

Status PgSourceEventStore::note_watch(sources::SourceTime begin, sources::SourceTime end) {
  auto r = c_.run(
      "INSERT INTO source_event_watch(begin_at, end_at) VALUES($1, $2) ON CONFLICT(begin_at) DO UPDATE SET "
      "end_at = greatest(source_event_watch.end_at, excluded.end_at)",
      pg::Params().add(event_rows::digits(begin)).add(event_rows::digits(end)));
  return r.ok() ? Status() : r.status();
}

StatusOr<bool> PgSourceEventStore::watched(std::optional<sources::SourceTime> first, sources::SourceTime to) {
  if (!first) {
    auto min = c_.run("SELECT min(begin_at) FROM source_event_watch");
    if (!min.ok()) return min.status();
    if (min->is_null(0, 0)) return false;
    auto b = sources::SourceTime::from_digits(min->int64(0, 0));
    if (!b.ok()) return b.status();
    first = *b;
  }
  auto spans = c_.run("SELECT begin_at, end_at FROM source_event_watch WHERE end_at >= $1 ORDER BY begin_at",
                      pg::Params().add(event_rows::digits(*first - kWatchGraceS)));
  if (!spans.ok()) return spans.status();
  std::vector<std::pair<int64_t, int64_t>> rows;
  rows.reserve(static_cast<size_t>(spans->rows()));
  for (int i = 0; i < spans->rows(); ++i) rows.emplace_back(spans->int64(i, 0), spans->int64(i, 1));
  return event_rows::spans_cover(rows, *first, to);
}

// ---- commands

StatusOr<std::vector<SourceCommand>> PgSourceCommandStore::read(const std::string& sql,
                                                                const pg::Params& params) {
  auto r = c_.run(sql, params);
  if (!r.ok()) return r.status();
  std::vector<SourceCommand> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) out.push_back(command_rows::command_of(r->row(i)));
  return out;
}

StatusOr<SourceCommand> PgSourceCommandStore::add(SourceCommand c, const std::string& created_by,
                                                  int64_t now_ms) {
  // The device check and the insert in one statement: no row when the gateway does not know the MN.
  auto r = c_.run(
      "INSERT INTO source_command(mn, name, cn, argument, state, qn, attempts, created_ms, sent_ms, "
      "finished_ms, "
      "created_by, qn_rtn, exe_rtn, result, detail) "
      "SELECT $1::text, $2::text, $3::bigint, $4::text, $5::text, '', 0, $6::bigint, 0, 0, $7::text, 0, 0, "
      "'', '' "
      "WHERE EXISTS (SELECT 1 FROM source_device WHERE mn = $1) RETURNING id",
      pg::Params().add(c.mn).add(c.name).add(c.cn).add(c.argument).add(c.state).add(now_ms).add(created_by));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return not_found("device " + c.mn + " is not registered");
  c.id = r->int64(0, 0);
  c.created_ms = now_ms;
  c.created_by = created_by;
  return c;
}

StatusOr<std::vector<SourceCommand>> PgSourceCommandStore::commands(const std::string& mn, int64_t limit) {
  const std::string select = std::string("SELECT ") + command_rows::kColumns + " FROM source_command ";
  if (mn.empty()) return read(select + "ORDER BY id DESC LIMIT $1", pg::Params().add(limit));
  return read(select + "WHERE mn = $2 ORDER BY id DESC LIMIT $1", pg::Params().add(limit).add(mn));
}

StatusOr<SourceCommand> PgSourceCommandStore::command(int64_t id) {
  auto rows = read(std::string("SELECT ") + command_rows::kColumns + " FROM source_command WHERE id = $1",
                   pg::Params().add(id));
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return not_found("no command " + std::to_string(id));
  return rows->front();
}

StatusOr<std::vector<SourceCommand>> PgSourceCommandStore::pending() {
  return read(std::string("SELECT ") + command_rows::kColumns +
                  " FROM source_command WHERE state IN ('queued', 'sent', 'accepted') ORDER BY id",
              {});
}

namespace {

constexpr const char* kUpdateCommand =
    "UPDATE source_command SET state = $2, qn = $3, attempts = $4, sent_ms = $5, finished_ms = $6, "
    "qn_rtn = $7, exe_rtn = $8, result = $9, detail = $10 WHERE id = $1";

pg::Params update_params(const SourceCommand& c) {
  return pg::Params()
      .add(c.id)
      .add(c.state)
      .add(c.qn)
      .add(c.attempts)
      .add(c.sent_ms)
      .add(c.finished_ms)
      .add(c.qn_rtn)
      .add(c.exe_rtn)
      .add(c.result)
      .add(c.detail);
}

}  // namespace

Status PgSourceCommandStore::update(const SourceCommand& c) {
  auto r = c_.run(kUpdateCommand, update_params(c));
  return r.ok() ? Status() : r.status();
}

Status PgSourceCommandStore::hold_device(const std::string& mn, const std::string& gateway, int64_t now_ms) {
  auto r = c_.run(
      "INSERT INTO source_device_holder(mn, gateway, since_ms) VALUES ($1, $2, $3) ON CONFLICT (mn) DO "
      "UPDATE "
      "SET gateway = excluded.gateway, since_ms = excluded.since_ms",
      pg::Params().add(mn).add(gateway).add(now_ms));
  return r.ok() ? Status() : r.status();
}

StatusOr<std::vector<SourceCommand>> PgSourceCommandStore::pending_held(const std::string& gateway) {
  return read(std::string("SELECT ") + command_rows::kColumns +
                  " FROM source_command WHERE state IN ('queued', 'sent', 'accepted') AND mn IN (SELECT h.mn "
                  "FROM source_device_holder h WHERE h.gateway = $1) ORDER BY id",
              pg::Params().add(gateway));
}

StatusOr<bool> PgSourceCommandStore::update_held(const SourceCommand& c, const std::string& gateway) {
  // One statement: the holder's check and the write cannot be split by another gateway's claim.
  auto r = c_.run(std::string(kUpdateCommand) +
                      " AND mn IN (SELECT h.mn FROM source_device_holder h WHERE h.gateway = $11)",
                  update_params(c).add(gateway));
  if (!r.ok()) return r.status();
  return r->affected() == 1;
}

}  // namespace ecomon
