// The events of pollution-source monitoring (exceedance 超标, silence 离线, flag fault 数据标记异常; the
// rules are sources::EventTracker's) with their opening and closing times, and the spans of time a gateway
// watched (so that a reader knows whether stored events cover a period). The gateway's live events write
// them; `ecomon sources events`, the API and the dashboard read them (app::source_events).
//
//   SourceEventStore& es = stores.source_events();
//   es.apply(tracker_transitions, now_ms);  // idempotent: a re-sent upload changes nothing
//   auto open = es.events({.open_only = true});
//
// Times are civil (Beijing) like the uploads' DataTime; raised_ms and closed_ms are when the gateway noticed
// (UTC ms).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sources/events.h"

namespace ecomon {

struct StoredEvent {
  sources::EventTransition open;  // key, opening time, DataTime, value, limit, basis, cause, backfill
  std::optional<sources::SourceTime> closed_at;
  int64_t raised_ms = 0;  // when it was stored (UTC ms)
  int64_t closed_ms = 0;  // when its close was stored (0 while open)
};

struct EventQuery {
  std::optional<sources::SourceTime> from;  // events still open at or after it (closed_at >= from or open)
  std::optional<sources::SourceTime> to;    // events opened at or before it
  std::string mn;                           // "" = every device
  bool open_only = false;
  std::optional<sources::SourceTime> closed_since;  // only closed events with closed_at >= it
};

class SourceEventStore {
 public:
  virtual ~SourceEventStore() = default;
  // Stores transitions in order, in one transaction. An Open adds its event unless one with the same key and
  // opening time is stored (then nothing changes); a Close closes the event of its key opened earlier in the
  // same call, else the one of its key still open (a back-filled event's close follows its open). Returns the
  // rows changed (0 when everything was stored before).
  virtual StatusOr<int64_t> apply(std::span<const sources::EventTransition> transitions, int64_t now_ms) = 0;
  // Sorted by opening time, then key.
  virtual StatusOr<std::vector<StoredEvent>> events(const EventQuery& q) = 0;

  // Records that a gateway watched [begin, end) (the span beginning at `begin` grows to `end`).
  virtual Status note_watch(sources::SourceTime begin, sources::SourceTime end) = 0;
  // Whether [from, to] lies inside the spans watched (adjacent or overlapping spans join); a span counts
  // until kWatchGraceS after its noted end (a running gateway notes its span at every silence check). Without
  // `from`: whether the watch went on without a gap from its first span until `to` (false when never
  // watched).
  virtual StatusOr<bool> watched(std::optional<sources::SourceTime> from, sources::SourceTime to) = 0;
  static constexpr int64_t kWatchGraceS = 180;
};

using sources::exceedance_cause_name;  // "above_limit", ...

}  // namespace ecomon
