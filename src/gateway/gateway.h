// The HJ 212 gateway (数据采集传输 接收端): a TCP server that takes uploads from thousands of field devices,
// checks them (framing, CRC and fields per the device policy; MN registered; PW matches), stores every valid
// upload in the platform's store and answers each one only after it is durable there.
//
//   GatewayOptions o;
//   o.listen = "127.0.0.1:0";
//   o.stores = sqlite_stores_opener("ecomon.db");   // the composition root's (src/cli)
//   auto gw = Gateway::start(o);   // binds, loads the device registry, starts the io and writer threads
//   uint16_t port = (*gw)->port();
//   ...
//   (*gw)->stop();                 // graceful: stop accepting, commit what is queued, answer it, close
//
// Tolerance: frames are read with the gateway's policy (--policy, lenient by default); a device registered
// with policy "strict" then has every frame that carried a deviation refused (counted, not stored, not
// answered). Data flow: io threads read and decode (hj212::StreamReader, one per connection) -> a queue per
// shard of the source records -> that shard's writer thread, which inserts batches through the store's
// SourceShardWriter (store/api/source_ingest.h: durable when it returns) -> after the commit, the 9014
// answers are handed back to the connections. The storage is reached only through the Stores the opener
// gives (its SourceIngest, source registry, events and commands): the gateway names no backend. Duplicates
// (same MN, CN, DataTime) are stored once and still answered, so a device that re-sends after a lost answer
// is satisfied; late back-fill (补传) is accepted like any upload. Limits: connections, bytes per frame
// (policy), frames per second per connection, idle time. Live events: after each commit the writer hands the
// committed records to LiveEvents (its own thread judges and stores them; a timer looks for silent devices).
// Commands: a device's connection is remembered once it has authenticated an upload; the CommandDispatcher
// sends queued commands on it, and the device's 9011, 9012 and data answers (frames that are not uploads) go
// back to the dispatcher. Thread safety: start/stop/stats may be called from any thread.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "gateway/commands.h"
#include "gateway/live_events.h"
#include "gateway/station_feed.h"
#include "ingest/hj212/codec.h"
#include "store/api/stores.h"

namespace ecomon {

struct GatewayOptions {
  std::string listen = "127.0.0.1:9212";  // ADDR:PORT; port 0 picks a free one
  // Opens the store (a Stores) for one of the gateway's threads: the gateway's own (registry, shard writers
  // and their maintenance), the live events' and the commands'. Required.
  StoresOpener stores;
  int io_threads = 2;
  // 0: as many as the descriptor limit allows (RLIMIT_NOFILE, raised to its hard limit, minus fd_reserve); a
  // larger value is lowered to that with a warning on standard error.
  size_t max_connections = 0;
  size_t fd_reserve = 256;  // descriptors kept for the store's files, the HTTP server (ecomon serve), ...
  // Uploads whose DataTime is further than this ahead of Beijing time (the standard's clock) are refused:
  // counted, not stored, answered 9011 QnRtn=2 (docs/gateway.md).
  int64_t max_future_skew_s = 600;
  int idle_timeout_s = 600;           // close a connection silent this long
  double max_frames_per_second = 50;  // per connection (token bucket), burst of max_frames_burst
  double max_frames_burst = 200;
  hj212::Policy policy = hj212::Policy::lenient();
  size_t batch_max = 5000;      // records per transaction
  int batch_wait_ms = 2;        // how long the writer waits to fill a batch
  int registry_refresh_s = 60;  // reload the device registry at least this often (a change: within ~1 s)
  // Source shards of the store, each written by its own thread at once (SourceIngest::set_shards); 0: as
  // many as the store has (1 unless set before). More than the store has only on a store without records.
  int writers = 0;
  // Opens a device's sealed HJ 212-2025 session key (store/api/device_keys.h) into its 16 characters: the
  // composition root's, over the master key (accounts/key_vault.h). Unset: no device keys are loaded, and an
  // encrypted CP area is refused (counted as decrypt_failures). Called on the maintenance thread when the
  // registry is (re)loaded; the clear keys stay in the gateway's memory, never logged.
  std::function<StatusOr<std::string>(const std::string& mn, const std::string& sealed)> open_device_key;
  LiveEventOptions events;      // live events (gateway/live_events.h); events.enabled = false: off
  CommandOptions commands;      // downstream commands (gateway/commands.h)
  StationFeedOptions stations;  // stations' hourly uploads into the time series (gateway/station_feed.h)
};

struct GatewayStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  // over max_connections
  uint64_t connections_open = 0;
  uint64_t frames = 0;      // decoded frames
  uint64_t bad_frames = 0;  // dropped candidate frames (bad length, CRC, fields)
  uint64_t dropped_bytes = 0;
  uint64_t auth_failures = 0;  // unknown MN or wrong PW
  uint64_t rate_limited = 0;   // frames over the per-connection rate
  uint64_t uploads = 0;        // uploads queued for the store
  uint64_t stored = 0;         // new records committed
  uint64_t duplicates = 0;     // uploads already stored
  uint64_t answers = 0;        // 9014 (and 9011 refusals) sent
  uint64_t commits = 0;
  uint64_t ignored = 0;  // frames that are not uploads (answers to commands, notices)
  uint64_t idle_closed = 0;
  uint64_t store_errors = 0;
  uint64_t policy_rejections = 0;  // frames with a deviation from a device registered as strict
  uint64_t future_refused = 0;     // uploads whose DataTime is beyond max_future_skew_s: not stored
  uint64_t invalid_text = 0;       // uploads with bytes that are not UTF-8, stored with U+FFFD (lenient)
  uint64_t conflicts = 0;          // re-sent uploads (same MN, CN, DataTime) with other values: kept apart
  uint64_t accept_pauses = 0;      // times accepting stopped for a moment: out of file descriptors
  uint64_t connection_errors = 0;  // connections closed on an unexpected error in their handling
  // HJ 212-2025 (docs/gateway.md): frames whose encrypted CP area opened under none of the device's keys
  // (refused, nothing stored, not answered); frames decrypted (any CN); frames read with the registry's
  // version although their Flag bits said another (kFlagVersionMismatch); 9015 heartbeats taken.
  uint64_t decrypt_failures = 0;
  uint64_t decrypted = 0;
  uint64_t version_mismatches = 0;
  uint64_t heartbeats = 0;
  uint64_t device_keys = 0;  // session keys loaded with the registry (current and in their grace)
  // 1014: key requests from devices (answered 9013), and new keys pushed (a request, or an upload still under
  // a replaced key: once per connection).
  uint64_t key_requests = 0;
  uint64_t keys_pushed = 0;
  // 1001 from loggers without an MN (provisioning): recorded in the pending list
  // (store/api/pending_devices.h).
  uint64_t hardware_notices = 0;
  // A logger's MN is bound to the hardware identity (数采仪ID, CPU ID, MACs) recorded when the bureau gave
  // it: frames under that MN from a connection whose 1001 stated another identity (refused 9011 QnRtn=4), and
  // 1001s of that 数采仪ID with other hardware (not given the MN), counted here.
  uint64_t hardware_mismatches = 0;
  size_t max_connections = 0;  // the limit in force (after the descriptor limit)
  // Time from reading an upload's last byte to its 9014 answer written to the socket (commit included), over
  // every answered upload; 0.1 ms resolution up to 1 s, 10 ms up to 60 s, beyond that the maximum seen.
  double answer_p50_ms = 0;
  double answer_p99_ms = 0;
  double answer_max_ms = 0;
  // The same answered uploads by stage (same resolution): read -> the writer begins the commit that holds
  // the upload (queued), that commit's duration (insert and sync), its end -> the io thread takes the notice
  // (notice). What is left of the total is the answer's write (and the round it waited for).
  double stage_queued_p50_ms = 0, stage_queued_p99_ms = 0;
  double stage_commit_p50_ms = 0, stage_commit_p99_ms = 0;
  double stage_notice_p50_ms = 0, stage_notice_p99_ms = 0;
};

class Gateway {
 public:
  static StatusOr<std::unique_ptr<Gateway>> start(const GatewayOptions& options);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  uint16_t port() const;
  GatewayStats stats() const;
  // Graceful shutdown; returns when every queued upload is committed and the threads have ended. Idempotent.
  void stop();
  // Blocks until stop() has completed (e.g. from a signal handler thread).
  void wait();
  // The live events (nullptr when options.events.enabled is false); valid until the gateway is destroyed.
  LiveEvents* live_events();
  StationFeed* station_feed();  // null when options.stations.enabled is false

  class Impl;

 private:
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses "ADDR:PORT" ("127.0.0.1:9212", "[::1]:9212", "0.0.0.0:9212").
Status parse_listen_address(const std::string& text, std::string* address, uint16_t* port);
// The same as a socket address (numeric IPv4 or IPv6 only) for bind() or connect().
Status socket_address(const std::string& text, sockaddr_storage* out, socklen_t* length);

}  // namespace ecomon
