#include "store/sources/event_store.h"

#include <algorithm>
#include <map>

#include "ingest/hj212/codec.h"

namespace ecomon {
namespace {

using sources::EventKind;
using sources::EventTransition;
using sources::SourceTime;

constexpr const char* kColumns =
    "mn, kind, pollutant, flag, opened_at, closed_at, data_time, cause, value, limit_value, basis, backfill, "
    "raised_ms, closed_ms";

int64_t digits(SourceTime t) { return t.to_digits(); }

std::optional<EventKind> parse_kind(std::string_view s) {
  for (EventKind k : {EventKind::kExceedance, EventKind::kSilence, EventKind::kFlagFault}) {
    if (sources::event_kind_name(k) == s) return k;
  }
  return std::nullopt;
}

sources::ExceedanceCause parse_cause(std::string_view s) {
  for (auto c : {sources::ExceedanceCause::kAboveLimit, sources::ExceedanceCause::kBelowLimit,
                 sources::ExceedanceCause::kOverRange}) {
    if (exceedance_cause_name(c) == s) return c;
  }
  return sources::ExceedanceCause::kNone;
}

std::string flag_text(const sources::EventKey& k) {
  return k.kind == EventKind::kFlagFault ? std::string(1, sources::flag_letter(k.flag)) : "";
}

std::string decimal_text(const std::optional<Decimal>& d) { return d ? d->to_string() : ""; }

// The row of `q` (the columns of kColumns) as an event.
StatusOr<StoredEvent> event_of(const sqlite::Stmt& q) {
  StoredEvent e;
  EventTransition& t = e.open;
  const auto kind = parse_kind(q.text(1));
  if (!kind) return data_loss("source_event: unknown kind '" + q.str(1) + "'");
  const std::string flag = q.str(3);
  t.key = {q.str(0), *kind, q.str(2),
           flag.empty() ? sources::DataFlag::kNormal : sources::parse_data_flag(flag)};
  auto opened = SourceTime::from_digits(q.int64(4));
  if (!opened.ok()) return opened.status();
  t.at = *opened;
  if (!q.is_null(5)) {
    auto closed = SourceTime::from_digits(q.int64(5));
    if (!closed.ok()) return closed.status();
    e.closed_at = *closed;
  }
  auto data_time = SourceTime::from_digits(q.int64(6));
  if (!data_time.ok()) return data_time.status();
  t.data_time = *data_time;
  t.cause = parse_cause(q.text(7));
  if (!q.text(8).empty()) t.value = hj212::parse_decimal(q.text(8));
  if (!q.text(9).empty()) t.limit = hj212::parse_decimal(q.text(9));
  t.basis =
      q.text(10) == "standardised" ? sources::LimitBasis::kStandardised : sources::LimitBasis::kMeasured;
  t.backfill = q.int64(11) == 1;
  e.raised_ms = q.int64(12);
  e.closed_ms = q.int64(13);
  return e;
}

}  // namespace

StatusOr<int64_t> SqliteSourceEventStore::apply(std::span<const EventTransition> transitions,
                                                int64_t now_ms) {
  auto tx = sqlite::Tx::begin(db_);
  if (!tx.ok()) return tx.status();
  int64_t changed = 0;
  std::map<sources::EventKey, SourceTime> opened_here;
  for (const EventTransition& t : transitions) {
    const std::string flag = flag_text(t.key);
    const std::string_view kind = sources::event_kind_name(t.key.kind);
    if (t.transition == sources::Transition::kOpen) {
      const bool measured = t.key.kind == EventKind::kExceedance && t.value;
      sqlite::Stmt& ins = db_.cached(
          "INSERT INTO source_event(mn, kind, pollutant, flag, opened_at, closed_at, data_time, "
          "close_data_time, cause, value, limit_value, basis, backfill, raised_ms, closed_ms) "
          "VALUES(?1, ?2, ?3, ?4, ?5, NULL, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, 0) "
          "ON CONFLICT DO NOTHING");
      ins.bind(1, t.key.mn)
          .bind(2, kind)
          .bind(3, t.key.pollutant)
          .bind(4, flag)
          .bind(5, digits(t.at))
          .bind(6, digits(t.data_time))
          .bind(7, exceedance_cause_name(t.cause))
          .bind(8, decimal_text(t.value))
          .bind(9, decimal_text(t.limit))
          .bind(10,
                measured ? (t.basis == sources::LimitBasis::kStandardised ? "standardised" : "measured") : "")
          .bind(11, int64_t{t.backfill ? 1 : 0})
          .bind(12, now_ms);
      ECOMON_RETURN_IF_ERROR(ins.run());
      changed += db_.changes();
      opened_here[t.key] = t.at;
      continue;
    }
    constexpr const char* kClose =
        "UPDATE source_event SET closed_at = ?1, close_data_time = ?2, closed_ms = ?3 WHERE mn = ?4 AND "
        "kind = ?5 AND pollutant = ?6 AND flag = ?7 AND closed_at IS NULL";
    const auto it = opened_here.find(t.key);
    sqlite::Stmt& up = it != opened_here.end() ? db_.cached(std::string(kClose) + " AND opened_at = ?8")
                                               : db_.cached(std::string(kClose) + " AND backfill = 0");
    up.bind(1, digits(t.at))
        .bind(2, digits(t.data_time))
        .bind(3, now_ms)
        .bind(4, t.key.mn)
        .bind(5, kind)
        .bind(6, t.key.pollutant)
        .bind(7, flag);
    if (it != opened_here.end()) {
      up.bind(8, digits(it->second));
      opened_here.erase(it);
    }
    ECOMON_RETURN_IF_ERROR(up.run());
    changed += db_.changes();
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return changed;
}

StatusOr<std::vector<StoredEvent>> SqliteSourceEventStore::events(const EventQuery& q) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM source_event WHERE 1";
  int n = 0;
  auto param = [&] { return "?" + std::to_string(++n); };
  if (q.from) sql += " AND (closed_at IS NULL OR closed_at >= " + param() + ")";
  if (q.to) sql += " AND opened_at <= " + param();
  if (!q.mn.empty()) sql += " AND mn = " + param();
  if (q.open_only) sql += " AND closed_at IS NULL";
  if (q.closed_since) sql += " AND closed_at >= " + param();
  sql += " ORDER BY opened_at, mn, kind, pollutant, flag";
  auto prepared = db_.prepare(sql);  // its own statement: finalized (its read ended) on every return
  if (!prepared.ok()) return prepared.status();
  sqlite::Stmt& st = *prepared;
  n = 0;
  if (q.from) st.bind(++n, digits(*q.from));
  if (q.to) st.bind(++n, digits(*q.to));
  if (!q.mn.empty()) st.bind(++n, q.mn);
  if (q.closed_since) st.bind(++n, digits(*q.closed_since));
  std::vector<StoredEvent> out;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto e = event_of(st);
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
      .bind(1, digits(begin))
      .bind(2, digits(end))
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
  q.bind(1, digits(from - kWatchGraceS));
  // Walk the spans in order, extending what is covered from `from`.
  SourceTime covered = from;
  while (true) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto b = SourceTime::from_digits(q.int64(0));
    auto e = SourceTime::from_digits(q.int64(1));
    if (!b.ok() || !e.ok()) continue;
    if (*b > covered) break;
    covered = std::max(covered, *e + kWatchGraceS);
    if (covered >= to) return true;
  }
  return covered >= to && covered > from;
}

}  // namespace ecomon
