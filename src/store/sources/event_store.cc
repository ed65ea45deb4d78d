#include "store/sources/event_store.h"

#include <algorithm>
#include <map>

#include "ingest/hj212/codec.h"
#include "store/sources/sql_db.h"

namespace ecomon {
namespace {

using sources::EventKind;
using sources::EventTransition;
using sources::SourceTime;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS source_event(mn TEXT NOT NULL, kind TEXT NOT NULL, pollutant TEXT NOT NULL,
  flag TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER, data_time INTEGER NOT NULL,
  close_data_time INTEGER, cause TEXT NOT NULL, value TEXT NOT NULL, limit_value TEXT NOT NULL,
  basis TEXT NOT NULL, backfill INTEGER NOT NULL, raised_ms INTEGER NOT NULL, closed_ms INTEGER NOT NULL,
  PRIMARY KEY(mn, kind, pollutant, flag, opened_at));
CREATE INDEX IF NOT EXISTS source_event_open ON source_event(closed_at, opened_at);
CREATE TABLE IF NOT EXISTS source_event_watch(begin_at INTEGER PRIMARY KEY, end_at INTEGER NOT NULL);
)SQL";

constexpr const char* kColumns =
    "mn, kind, pollutant, flag, opened_at, closed_at, data_time, cause, value, limit_value, basis, backfill, "
    "raised_ms, closed_ms";

std::string digits(SourceTime t) { return std::to_string(t.to_digits()); }

std::optional<EventKind> parse_kind(const std::string& s) {
  for (EventKind k : {EventKind::kExceedance, EventKind::kSilence, EventKind::kFlagFault}) {
    if (sources::event_kind_name(k) == s) return k;
  }
  return std::nullopt;
}

sources::ExceedanceCause parse_cause(const std::string& s) {
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

StatusOr<StoredEvent> event_of(const SqlRow& r) {
  StoredEvent e;
  EventTransition& t = e.open;
  const auto kind = parse_kind(r[1]);
  if (!kind) return data_loss("source_event: unknown kind '" + r[1] + "'");
  t.key = {r[0], *kind, r[2], r[3].empty() ? sources::DataFlag::kNormal : sources::parse_data_flag(r[3])};
  auto time_of = [](const std::string& s) -> StatusOr<SourceTime> {
    return SourceTime::from_digits(std::stoll(s));
  };
  auto opened = time_of(r[4]);
  if (!opened.ok()) return opened.status();
  t.at = *opened;
  if (!r[5].empty()) {
    auto closed = time_of(r[5]);
    if (!closed.ok()) return closed.status();
    e.closed_at = *closed;
  }
  auto data_time = time_of(r[6]);
  if (!data_time.ok()) return data_time.status();
  t.data_time = *data_time;
  t.cause = parse_cause(r[7]);
  if (!r[8].empty()) t.value = hj212::parse_decimal(r[8]);
  if (!r[9].empty()) t.limit = hj212::parse_decimal(r[9]);
  t.basis = r[10] == "standardised" ? sources::LimitBasis::kStandardised : sources::LimitBasis::kMeasured;
  t.backfill = r[11] == "1";
  e.raised_ms = std::stoll(r[12]);
  e.closed_ms = std::stoll(r[13]);
  return e;
}

}  // namespace

std::string_view exceedance_cause_name(sources::ExceedanceCause c) {
  switch (c) {
    case sources::ExceedanceCause::kAboveLimit:
      return "above_limit";
    case sources::ExceedanceCause::kBelowLimit:
      return "below_limit";
    case sources::ExceedanceCause::kOverRange:
      return "over_range";
    case sources::ExceedanceCause::kNone:
      break;
  }
  return "";
}

SourceEventStore::SourceEventStore(std::unique_ptr<SqlDb> db) : db_(std::move(db)) {}
SourceEventStore::~SourceEventStore() = default;

StatusOr<std::unique_ptr<SourceEventStore>> SourceEventStore::open(const std::string& path) {
  auto db = SqlDb::open(path, kSchema);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SourceEventStore>(new SourceEventStore(std::move(*db)));
}

StatusOr<int64_t> SourceEventStore::apply(std::span<const EventTransition> transitions, int64_t now_ms) {
  int64_t changed = 0;
  Status s = db_->in_transaction([&]() -> Status {
    std::map<sources::EventKey, SourceTime> opened_here;
    for (const EventTransition& t : transitions) {
      const std::string flag = flag_text(t.key);
      const std::string kind(sources::event_kind_name(t.key.kind));
      if (t.transition == sources::Transition::kOpen) {
        const bool measured = t.key.kind == EventKind::kExceedance && t.value;
        ECOMON_RETURN_IF_ERROR(db_->run(
            "INSERT INTO source_event(mn, kind, pollutant, flag, opened_at, closed_at, data_time, "
            "close_data_time, cause, value, limit_value, basis, backfill, raised_ms, closed_ms) "
            "VALUES(?1, ?2, ?3, ?4, ?5, NULL, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, 0) "
            "ON CONFLICT DO NOTHING",
            {t.key.mn, kind, t.key.pollutant, flag, digits(t.at), digits(t.data_time),
             std::string(exceedance_cause_name(t.cause)), decimal_text(t.value), decimal_text(t.limit),
             measured ? (t.basis == sources::LimitBasis::kStandardised ? "standardised" : "measured") : "",
             t.backfill ? "1" : "0", std::to_string(now_ms)}));
        changed += db_->changes();
        opened_here[t.key] = t.at;
        continue;
      }
      std::string sql =
          "UPDATE source_event SET closed_at = ?1, close_data_time = ?2, closed_ms = ?3 WHERE mn = ?4 AND "
          "kind = ?5 AND pollutant = ?6 AND flag = ?7 AND closed_at IS NULL";
      std::vector<SqlParam> params = {
          digits(t.at), digits(t.data_time), std::to_string(now_ms), t.key.mn, kind, t.key.pollutant, flag};
      if (auto it = opened_here.find(t.key); it != opened_here.end()) {
        sql += " AND opened_at = ?8";
        params.push_back(digits(it->second));
        opened_here.erase(it);
      } else {
        sql += " AND backfill = 0";
      }
      ECOMON_RETURN_IF_ERROR(db_->run(sql, params));
      changed += db_->changes();
    }
    return Status();
  });
  if (!s.ok()) return s;
  return changed;
}

StatusOr<std::vector<StoredEvent>> SourceEventStore::events(const EventQuery& q) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM source_event WHERE 1";
  std::vector<SqlParam> params;
  auto param = [&](std::string v) {
    params.push_back(std::move(v));
    return "?" + std::to_string(params.size());
  };
  if (q.from) sql += " AND (closed_at IS NULL OR closed_at >= " + param(digits(*q.from)) + ")";
  if (q.to) sql += " AND opened_at <= " + param(digits(*q.to));
  if (!q.mn.empty()) sql += " AND mn = " + param(q.mn);
  if (q.open_only) sql += " AND closed_at IS NULL";
  if (q.closed_since) sql += " AND closed_at >= " + param(digits(*q.closed_since));
  sql += " ORDER BY opened_at, mn, kind, pollutant, flag";
  auto rows = db_->query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<StoredEvent> out;
  for (const SqlRow& r : *rows) {
    auto e = event_of(r);
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

Status SourceEventStore::note_watch(SourceTime begin, SourceTime end) {
  return db_->run(
      "INSERT INTO source_event_watch(begin_at, end_at) VALUES(?1, ?2) ON CONFLICT(begin_at) DO UPDATE SET "
      "end_at = max(end_at, excluded.end_at)",
      {digits(begin), digits(end)});
}

StatusOr<bool> SourceEventStore::watched(std::optional<SourceTime> first, SourceTime to) {
  if (!first) {
    auto begin = db_->query("SELECT min(begin_at) FROM source_event_watch", {});
    if (!begin.ok()) return begin.status();
    if (begin->empty() || begin->front()[0].empty()) return false;
    auto b = SourceTime::from_digits(std::stoll(begin->front()[0]));
    if (!b.ok()) return b.status();
    first = *b;
  }
  const SourceTime from = *first;
  auto rows =
      db_->query("SELECT begin_at, end_at FROM source_event_watch WHERE end_at >= ?1 ORDER BY begin_at",
                 {digits(from - kWatchGraceS)});
  if (!rows.ok()) return rows.status();
  // Walk the spans in order, extending what is covered from `from`.
  SourceTime covered = from;
  for (const SqlRow& r : *rows) {
    auto b = SourceTime::from_digits(std::stoll(r[0]));
    auto e = SourceTime::from_digits(std::stoll(r[1]));
    if (!b.ok() || !e.ok()) continue;
    if (*b > covered) break;
    covered = std::max(covered, *e + kWatchGraceS);
    if (covered >= to) return true;
  }
  return covered >= to && covered > from;
}

}  // namespace ecomon
