#include "store/sources/event_store.h"

#include <algorithm>
#include <map>
#include <variant>

#include "store/sources/event_rows.h"

namespace ecomon {
namespace {

using sources::EventKind;
using sources::EventTransition;
using sources::SourceTime;

// Binds the values of a statement of event_rows to q (its SQL prepared).
sqlite::Stmt& bound(sqlite::Stmt& q, const event_rows::Statement& st) {
  for (size_t i = 0; i < st.params.size(); ++i) {
    const int n = static_cast<int>(i + 1);
    std::visit([&](const auto& v) { q.bind(n, v); }, st.params[i]);
  }
  return q;
}

}  // namespace

StatusOr<int64_t> SqliteSourceEventStore::apply(std::span<const EventTransition> transitions,
                                                int64_t now_ms) {
  auto tx = sqlite::Tx::begin(db_);
  if (!tx.ok()) return tx.status();
  int64_t changed = 0;
  for (const event_rows::Statement& st : event_rows::apply_statements(transitions, now_ms)) {
    ECOMON_RETURN_IF_ERROR(bound(db_.cached(st.sql), st).run());
    changed += db_.changes();
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return changed;
}

StatusOr<std::vector<StoredEvent>> SqliteSourceEventStore::events(const EventQuery& q) {
  const event_rows::Statement sql = event_rows::events_statement(q);
  auto prepared = db_.prepare(sql.sql);  // its own statement: finalized (its read ended) on every return
  if (!prepared.ok()) return prepared.status();
  sqlite::Stmt& st = bound(*prepared, sql);
  std::vector<StoredEvent> out;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto e = event_rows::event_of(st);
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

Status SqliteSourceEventStore::note_watch(SourceTime begin, SourceTime end) {
  return db_
      .cached(
          "INSERT INTO source_event_watch(begin_at, end_at) VALUES(?1, ?2) ON CONFLICT(begin_at) DO UPDATE "
          "SET "
          "end_at = max(end_at, excluded.end_at)")
      .bind(1, event_rows::digits(begin))
      .bind(2, event_rows::digits(end))
      .run();
}

StatusOr<bool> SqliteSourceEventStore::watched(std::optional<SourceTime> first, SourceTime to) {
  if (!first) {
    auto min = db_.prepare("SELECT min(begin_at) FROM source_event_watch");
    if (!min.ok()) return min.status();
    sqlite::Stmt& q = *min;
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row || q.is_null(0)) return false;
    auto b = SourceTime::from_digits(q.int64(0));
    if (!b.ok()) return b.status();
    first = *b;
  }
  const SourceTime from = *first;
  auto spans =
      db_.prepare("SELECT begin_at, end_at FROM source_event_watch WHERE end_at >= ?1 ORDER BY begin_at");
  if (!spans.ok()) return spans.status();
  sqlite::Stmt& q = *spans;
  q.bind(1, event_rows::digits(from - kWatchGraceS));
  std::vector<std::pair<int64_t, int64_t>> rows;
  while (true) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rows.emplace_back(q.int64(0), q.int64(1));
  }
  return event_rows::spans_cover(rows, from, to);
}

}  // namespace ecomon
