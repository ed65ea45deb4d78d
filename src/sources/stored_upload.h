// A stored HJ 212 upload (SourceRecord, as the gateway keeps it), read back as the sources domain's record
// (its CP content framed again and decoded leniently by the codec), and the feed of stored uploads into a
// sources::EventTracker: what `ecomon sources events` computes on request (app/sources.h), and what the
// gateway re-judges when it starts (so an event whose transition was lost in a crash is raised again; the
// event store's rows make that idempotent). The uploads are read through an UploadReader (over
// SourceStore: upload_reader in store/api/store.h).
//
//   auto m = monitoring_record(rec, device.password);   // StatusOr<sources::MonitoringRecord>
//   sources::EventTracker tracker;
//   ECOMON_RETURN_IF_ERROR(prime_silence_clocks(read, registry, tracker, from, ""));
//   auto n = feed_stored_records(read, registry, tracker, from, to, "", [&](const auto& ts) { ... });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/events.h"
#include "sources/record.h"
#include "sources/registry.h"

namespace ecomon {

// One HJ 212 upload as received: the data segment's identity and its CP content, kept verbatim (lossless);
// the codec decodes it again on read.
struct SourceRecord {
  std::string mn;
  int cn = 0;               // 2011, 2051, 2061, 2031, 2021, ...
  int64_t data_time = 0;    // DataTime as yyyymmddhhmmss
  std::string qn;           // request number (QN), may be empty
  int64_t received_ms = 0;  // when the gateway received it (ms since the epoch)
  int flag = 0;             // Flag field, plus kStoredFlagResent (below)
  std::string cp;           // the CP content between "&&" and "&&"
};

// SourceRecord::flag is the upload's Flag (0..255) and, above it, what the gateway noted: kStoredFlagResent
// for an HJ 212-2025 re-sent packet (RF=1, 补传: stored as back-fill; docs/gateway.md).
inline constexpr int kStoredFlagResent = 0x100;
inline constexpr int kStoredFlagMask = 0xFF;  // the Flag as sent

StatusOr<sources::MonitoringRecord> monitoring_record(const SourceRecord& r, const std::string& password);
// A stored HJ 212-2025 CN 2062 (standard-sample check) or 2111 (furnace temperature) upload fed to the
// tracker (EventTracker::feed_standard_check / feed_furnace_temperature): its transitions. kInvalidArgument
// for other CNs or an upload the codec cannot read.
StatusOr<std::vector<sources::EventTransition>> feed_check_upload(const SourceRecord& r,
                                                                  const std::string& password,
                                                                  const sources::SourceRegistry& registry,
                                                                  sources::EventTracker& tracker);
inline bool is_check_upload(int cn) { return cn == 2062 || cn == 2111; }

// Stored uploads of one device (all CNs when cn == 0) with DataTime in [from, to] (yyyymmddhhmmss), oldest
// first, at most `limit` (SourceStore::source_records).
using UploadReader = std::function<StatusOr<std::vector<SourceRecord>>(
    const std::string& mn, int cn, int64_t from, int64_t to, int64_t limit)>;

struct FeedCounts {
  int64_t devices = 0;
  int64_t records = 0;
  int64_t undecodable = 0;
};

// For each registry device (or only `mn`): the newest stored upload of its silence kind with DataTime before
// `from` is fed with its values removed (found by a few indexed look-ups), so that the silence clock runs
// from it and nothing is judged again. Transitions it causes are dropped (there are none on a fresh tracker).
StatusOr<FeedCounts> prime_silence_clocks(const UploadReader& store, const sources::SourceRegistry& registry,
                                          sources::EventTracker& tracker, sources::SourceTime from,
                                          const std::string& mn);
// Feeds the stored uploads of each registry device (or only `mn`) with DataTime in [from, to] (from the first
// when `from` is absent) of the kinds the tracker judges, decoded, in DataTime order across devices (at one
// DataTime in the order of the kinds); hands each record's transitions to `take`.
StatusOr<FeedCounts> feed_stored_records(
    const UploadReader& store, const sources::SourceRegistry& registry, sources::EventTracker& tracker,
    std::optional<sources::SourceTime> from, sources::SourceTime to, const std::string& mn,
    const std::function<void(const std::vector<sources::EventTransition>&)>& take);

}  // namespace ecomon
