// Live events in the gateway: exceedance (超标), silence (离线) and flag-fault (数据标记异常) events raised
// as the uploads are committed, by the same rules as `ecomon sources events` (sources::EventTracker), stored
// in the event store (store/api/source_events.h) with their opening and closing times, and logged as they
// happen.
//
//   LiveEventOptions o;                        // defaults: sources::EventParams, a check every 60 s
//   auto le = LiveEvents::start(opener, o);    // opens its Stores, loads the registry, re-judges the last
//   hours
//   (*le)->committed(records);                    // the gateway's writer, after each commit
//   (*le)->stop();                                // judges what is queued, then ends
//
// One worker thread does the work: committed() only copies the records of devices the source registry
// knows, of the kinds the tracker judges, and wakes it. The worker decodes them, feeds the tracker, looks for
// silent devices every silence_check_s (and when asked), stores the transitions (idempotent: a re-sent upload
// or a restart changes nothing) and notes the span it watched.
// Power modules (the MNs of the metered lines in PowerStore, with a code): their real-time uploads (CN 2011,
// HJ 212-2025 ST 44) also become the lines' readings as they are committed (each `code-Rtd` flagged N, in
// kW at DataTime; the rule of ingest/power_uploads.h), reloaded with the registry. Their readings are judged
// as they arrive (power/power_tracker.h): a treatment line off while a production line it serves runs
// (event treatment_not_running, 治污设施未同步运行) and a production line running during a stop order of
// the warning in force (production_during_stop; the orders from `stop_orders`, re-read every
// silence_check_s) are stored with the source events (store/api/source_events.h), so the duty view,
// acknowledgements and notifications take them like any other.
// TSP points (DustStore's points, by MN): their real-time and minute uploads (CN 2011, 2051) become the
// points' readings as they are committed, and each minute upload's TSP feeds dust::DustTracker (exceedance
// of the trailing-window mean, silence checked with the devices'); the events are stored with the others
// (kinds dust_exceedance, dust_silence). At start the open dust events are taken back and each point's
// silence clock starts from its newest reading of the last replay_hours.
// A restart: the events the store holds are taken back (open ones, and past ones for late records), the
// silence clocks are primed from the newest upload before the last `replay_hours`, and the uploads of those
// hours are judged again, so a transition lost in a crash between the commit and the event's row is raised.
// Thread safety: committed(), check_silence(), stats() and stop() may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "dust/dust_rules.h"
#include "power/power_tracker.h"
#include "sources/events.h"
#include "store/api/store.h"
#include "store/api/stores.h"

namespace ecomon {

struct LiveEventOptions {
  bool enabled = true;
  sources::EventParams params;
  dust::DustParams dust;        // fugitive-dust points' thresholds, window and silence (dust/dust_rules.h)
  int silence_check_s = 60;     // look for silent devices this often
  int replay_hours = 6;         // re-judged when starting
  int remember_days = 7;        // DataTimes and past events remembered (for duplicates and late records)
  int registry_refresh_s = 60;  // reload the source registry at least this often (a change: within ~1 s)
  // Power events (docs/power.md): a run lasts treatment.min_seconds (default 15 min) before it is an event; a
  // reading waits max_wait_s (default 1 h) for its partner line's; a stop order's grace_seconds (default 0)
  // and min_seconds (default 15 min).
  power::TrackerParams power;
  power::StopParams power_stop;
  // The stop orders of the warnings overlapping a span (the composition root gives app::power_stop_orders;
  // unset: no production_during_stop events).
  std::function<StatusOr<std::vector<power::StopOrder>>(Stores&, sources::TimeSpan)> stop_orders;
  // UTC milliseconds now (default: the system clock); tests set a clock of their own.
  std::function<int64_t()> clock_ms;
  // One line per transition ("event open exceedance 0100... a21026 at 2024-03-01 10:00:00 (ZsAvg 120.5 >
  // 100)"); default: standard error.
  std::function<void(const std::string&)> log;
};

struct LiveEventStats {
  uint64_t records = 0;            // records judged
  uint64_t transitions = 0;        // opens and closes raised
  uint64_t stored = 0;             // rows changed in the event store
  uint64_t undecodable = 0;        // stored records the codec could not read back
  uint64_t errors = 0;             // store failures (the transitions are raised again at the next start)
  uint64_t power_readings = 0;     // power modules' readings written (new or already stored; docs/power.md)
  uint64_t power_transitions = 0;  // power events' opens and closes raised
  uint64_t dust_readings = 0;      // TSP points' readings written (new or already stored; docs/dust.md)
};

class LiveEvents {
 public:
  // `stores` opens the Stores this component's thread uses (registry, uploads, events).
  static StatusOr<std::unique_ptr<LiveEvents>> start(const StoresOpener& stores, LiveEventOptions options);
  ~LiveEvents();
  LiveEvents(const LiveEvents&) = delete;
  LiveEvents& operator=(const LiveEvents&) = delete;

  // The records just committed (new and duplicate alike: the tracker knows what it has seen).
  void committed(std::span<const SourceRecord> records);
  void committed(std::span<const SourceRecordView> records);
  // A 9015 heartbeat of this device received at utc_ms (any thread): taken at the worker's next round (within
  // a second), EventTracker::heartbeat. Only the newest per device is kept until then.
  void heartbeat(std::string_view mn, int64_t utc_ms);
  // Looks for silent devices now (besides every silence_check_s) and returns when that is done, together
  // with everything committed before the call (stored and logged). Returns at once after stop().
  void check_silence();
  LiveEventStats stats() const;
  // Judges what is queued, stores it, ends the worker. Idempotent.
  void stop();

  class Impl;

 private:
  explicit LiveEvents(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
