// The SQLite implementation of SourceEventStore (store/api/source_events.h) on the connection it is given.
// Table source_event: one row per event, keyed by (MN, kind, pollutant, fault flag, opened_at); closed_at
// NULL while it is open. Times yyyymmddhhmmss as integers. Table source_event_watch: [begin, end) spans.
// Thread safety: that of its Db (one thread at a time).
#pragma once

#include "store/api/source_events.h"
#include "store/sqlite/db.h"

namespace ecomon {

class SqliteSourceEventStore final : public SourceEventStore {
 public:
  explicit SqliteSourceEventStore(sqlite::Db& db) : db_(db) {}
  StatusOr<int64_t> apply(std::span<const sources::EventTransition> transitions, int64_t now_ms) override;
  StatusOr<std::vector<StoredEvent>> events(const EventQuery& q) override;
  Status note_watch(sources::SourceTime begin, sources::SourceTime end) override;
  StatusOr<bool> watched(std::optional<sources::SourceTime> from, sources::SourceTime to) override;

 private:
  sqlite::Db& db_;
};

}  // namespace ecomon
