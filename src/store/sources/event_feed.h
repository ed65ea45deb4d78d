// Feeding a sources::EventTracker the uploads the store holds: what `ecomon sources events` computes on
// request, and what the gateway re-judges when it starts (so an event whose transition was lost in a crash is
// raised again; the event store's rows make that idempotent).
//
//   sources::EventTracker tracker;
//   ECOMON_RETURN_IF_ERROR(prime_silence_clocks(store, registry, tracker, from, ""));
//   auto n = feed_stored_records(store, registry, tracker, from, to, "", [&](const auto& ts) { ... });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/events.h"
#include "sources/registry.h"
#include "store/api/store.h"

namespace ecomon {

struct FeedCounts {
  int64_t devices = 0;
  int64_t records = 0;
  int64_t undecodable = 0;
};

// For each registry device (or only `mn`): the newest stored upload of its silence kind with DataTime before
// `from` is fed with its values removed (found by a few indexed look-ups), so that the silence clock runs
// from it and nothing is judged again. Transitions it causes are dropped (there are none on a fresh tracker).
StatusOr<FeedCounts> prime_silence_clocks(SourceStore& store, const sources::SourceRegistry& registry,
                                          sources::EventTracker& tracker, sources::SourceTime from,
                                          const std::string& mn);
// Feeds the stored uploads of each registry device (or only `mn`) with DataTime in [from, to] (from the first
// when `from` is absent) of the kinds the tracker judges, decoded, in DataTime order across devices (at one
// DataTime in the order of the kinds); hands each record's transitions to `take`.
StatusOr<FeedCounts> feed_stored_records(
    SourceStore& store, const sources::SourceRegistry& registry, sources::EventTracker& tracker,
    std::optional<sources::SourceTime> from, sources::SourceTime to, const std::string& mn,
    const std::function<void(const std::vector<sources::EventTransition>&)>& take);

}  // namespace ecomon
