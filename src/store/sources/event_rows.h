// How a source_event row reads and is written, the same on every SQL backend (store/sources/event_store.cc
// on SQLite, store/postgres on PostgreSQL): the columns, the spellings of kinds, causes and flags, and the
// row as a StoredEvent. `R` is a row with text(c), str(c), int64(c), is_null(c) (sqlite::Stmt, pg::Row).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ingest/hj212/codec.h"
#include "store/api/source_events.h"

namespace ecomon::event_rows {

inline constexpr const char* kColumns =
    "mn, kind, pollutant, flag, opened_at, closed_at, data_time, cause, value, limit_value, basis, backfill, "
    "raised_ms, closed_ms";

inline int64_t digits(sources::SourceTime t) { return t.to_digits(); }

inline std::optional<sources::EventKind> parse_kind(std::string_view s) {
  return sources::parse_event_kind(s);
}

inline sources::ExceedanceCause parse_cause(std::string_view s) {
  for (auto c : {sources::ExceedanceCause::kAboveLimit, sources::ExceedanceCause::kBelowLimit,
                 sources::ExceedanceCause::kOverRange}) {
    if (exceedance_cause_name(c) == s) return c;
  }
  return sources::ExceedanceCause::kNone;
}

inline std::string flag_text(const sources::EventKey& k) {
  return k.kind == sources::EventKind::kFlagFault ? std::string(1, sources::flag_letter(k.flag)) : "";
}

inline std::string decimal_text(const std::optional<Decimal>& d) { return d ? d->to_string() : ""; }

// The row of `q` (the columns of kColumns) as an event.
template <typename R>
StatusOr<StoredEvent> event_of(const R& q) {
  StoredEvent e;
  sources::EventTransition& t = e.open;
  const auto kind = parse_kind(q.text(1));
  if (!kind) return data_loss("source_event: unknown kind '" + q.str(1) + "'");
  const std::string flag = q.str(3);
  t.key = {q.str(0), *kind, q.str(2),
           flag.empty() ? sources::DataFlag::kNormal : sources::parse_data_flag(flag)};
  auto opened = sources::SourceTime::from_digits(q.int64(4));
  if (!opened.ok()) return opened.status();
  t.at = *opened;
  if (!q.is_null(5)) {
    auto closed = sources::SourceTime::from_digits(q.int64(5));
    if (!closed.ok()) return closed.status();
    e.closed_at = *closed;
  }
  auto data_time = sources::SourceTime::from_digits(q.int64(6));
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

// A statement for any backend: SQL with parameters ?1, ?2, ... (PostgreSQL's store writes them $1, $2, ...)
// and their values.
using Value = std::variant<int64_t, std::string>;
struct Statement {
  std::string sql;
  std::vector<Value> params;
};

// The writes that store `transitions` (SourceEventStore::apply), in order: an Open inserts its event unless
// stored; a Close closes the event of its key opened earlier in the same call, else the live one of its key
// still open. The rows each changes add up to apply's result.
inline std::vector<Statement> apply_statements(std::span<const sources::EventTransition> transitions,
                                               int64_t now_ms) {
  std::vector<Statement> out;
  std::map<sources::EventKey, sources::SourceTime> opened_here;
  for (const sources::EventTransition& t : transitions) {
    const std::string flag = flag_text(t.key);
    const std::string kind(sources::event_kind_name(t.key.kind));
    if (t.transition == sources::Transition::kOpen) {
      const bool measured = t.key.kind == sources::EventKind::kExceedance && t.value;
      out.push_back(
          {"INSERT INTO source_event(mn, kind, pollutant, flag, opened_at, closed_at, data_time, "
           "close_data_time, cause, value, limit_value, basis, backfill, raised_ms, closed_ms) "
           "VALUES(?1, ?2, ?3, ?4, ?5, NULL, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, 0) "
           "ON CONFLICT DO NOTHING",
           {t.key.mn, kind, t.key.pollutant, flag, digits(t.at), digits(t.data_time),
            std::string(exceedance_cause_name(t.cause)), decimal_text(t.value), decimal_text(t.limit),
            std::string(measured
                            ? (t.basis == sources::LimitBasis::kStandardised ? "standardised" : "measured")
                            : ""),
            int64_t{t.backfill ? 1 : 0}, now_ms}});
      opened_here[t.key] = t.at;
      continue;
    }
    constexpr const char* kClose =
        "UPDATE source_event SET closed_at = ?1, close_data_time = ?2, closed_ms = ?3 WHERE mn = ?4 AND "
        "kind = ?5 AND pollutant = ?6 AND flag = ?7 AND closed_at IS NULL";
    Statement up{kClose, {digits(t.at), digits(t.data_time), now_ms, t.key.mn, kind, t.key.pollutant, flag}};
    const auto it = opened_here.find(t.key);
    if (it != opened_here.end()) {
      up.sql += " AND opened_at = ?8";
      up.params.emplace_back(digits(it->second));
      opened_here.erase(it);
    } else {
      up.sql += " AND backfill = 0";
    }
    out.push_back(std::move(up));
  }
  return out;
}

// The read of SourceEventStore::events: sorted by opening time, then key.
inline Statement events_statement(const EventQuery& q) {
  Statement st{std::string("SELECT ") + kColumns + " FROM source_event WHERE 1 = 1", {}};
  auto param = [&](Value v) {
    st.params.push_back(std::move(v));
    return "?" + std::to_string(st.params.size());
  };
  if (q.from) st.sql += " AND (closed_at IS NULL OR closed_at >= " + param(digits(*q.from)) + ")";
  if (q.to) st.sql += " AND opened_at <= " + param(digits(*q.to));
  if (!q.mn.empty()) st.sql += " AND mn = " + param(q.mn);
  if (q.open_only) st.sql += " AND closed_at IS NULL";
  if (q.closed_since) st.sql += " AND closed_at >= " + param(digits(*q.closed_since));
  st.sql += " ORDER BY opened_at, mn, kind, pollutant, flag";
  return st;
}

// Whether the watched spans (begin, end as stored, sorted by begin, those ending before from - grace left
// out) cover [from, to]: SourceEventStore::watched once the spans are read.
inline bool spans_cover(const std::vector<std::pair<int64_t, int64_t>>& spans, sources::SourceTime from,
                        sources::SourceTime to) {
  sources::SourceTime covered = from;
  for (const auto& [begin, end] : spans) {
    auto b = sources::SourceTime::from_digits(begin);
    auto e = sources::SourceTime::from_digits(end);
    if (!b.ok() || !e.ok()) continue;
    if (*b > covered) break;
    covered = std::max(covered, *e + SourceEventStore::kWatchGraceS);
    if (covered >= to) return true;
  }
  return covered >= to && covered > from;
}

}  // namespace ecomon::event_rows
