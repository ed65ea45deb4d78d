#include "gateway/gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/utf8.h"
#include "gateway/registry_watch.h"
#include "gateway/source_record.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/reassembler.h"
#include "ingest/hj212/stream_reader.h"

namespace ecomon {

namespace {

constexpr size_t kReadBuffer = 64 * 1024;           // per io thread; one recv() takes all a connection has
constexpr int kReadsPerWakeup = 4;                  // more recv()s only while each fills the buffer
constexpr size_t kMaxQueuedAnswersBytes = 1 << 20;  // a connection that does not read its answers is closed
constexpr int kShutdownGraceMs = 2000;              // at most this long for the last answers to leave
constexpr int kMaxEvents = 512;
constexpr int kTickMs = 1000;        // idle check period
constexpr int kStoppingTickMs = 10;  // while stopping: poll for the writer's end
constexpr int kAcceptsPerWakeup = 256;
constexpr size_t kDefaultMaxConnections = 20000;  // when the descriptor limit cannot be read
// Out of file descriptors (EMFILE, ENFILE): the listening socket leaves the epoll set for this long (a
// level-triggered listener with a connection waiting would otherwise wake the thread at once, forever), and
// the condition is logged at most once per kFdLogIntervalMs.
constexpr int64_t kAcceptPauseMs = 100;
constexpr int64_t kFdLogIntervalMs = 10'000;
// Log lines about single connections (dropped bytes, refused uploads, errors): at most this many per io
// thread and second; the rest are counted and the count is logged.
constexpr int kLogLinesPerSecond = 10;
constexpr int64_t kMsPerSecond = 1000;
constexpr size_t kConflictLinesPerCommit = 10;  // conflicts logged one by one per commit; the rest counted
constexpr size_t kAnswerBytesCompactAt = 64 * 1024;  // drop answered bytes from the front beyond this
constexpr uint64_t kListenerTag = ~uint64_t{0};
constexpr uint64_t kWakeTag = ~uint64_t{0} - 1;
constexpr int kSlotShift = 32;
constexpr size_t kQueuedBatchesMax =
    4;  // backpressure: stop reading while the writer is this many batches behind
constexpr int kBackpressureWaitMs = 10;
// The maintenance thread runs the shards' maintainers when a writer asks (SourceShardWriter::settle) and at
// least this often; it checks the device registry's revision at the same pace.
constexpr int kMaintenanceIdleMs = 1000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Answer latencies of one io thread (added by it alone, read by stats() from any thread): 100 µs buckets up
// to 1 s, 10 ms buckets up to 60 s, then one overflow bucket (reported as the maximum seen).
class LatencyHistogram {
 public:
  static constexpr size_t kBuckets = 10'000 + 5'900 + 1;

  void add(int64_t us) {
    auto& c = counts_[bucket_of(us)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // one writer: no locked add
    if (us > max_us_.load(std::memory_order_relaxed)) max_us_.store(us, std::memory_order_relaxed);
  }
  // Adds this histogram's counts to totals (kBuckets long) and returns its maximum (µs).
  int64_t add_to(std::vector<uint64_t>* totals) const {
    for (size_t i = 0; i < kBuckets; ++i) (*totals)[i] += counts_[i].load(std::memory_order_relaxed);
    return max_us_.load(std::memory_order_relaxed);
  }
  // The upper edge of the bucket holding the p-quantile (the maximum for the overflow bucket); 0 when empty.
  static double percentile_ms(const std::vector<uint64_t>& totals, int64_t max_us, double p) {
    uint64_t total = 0;
    for (uint64_t c : totals) total += c;
    if (total == 0) return 0;
    const uint64_t rank =
        std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p * static_cast<double>(total))));
    uint64_t seen = 0;
    for (size_t i = 0; i < kFine + kCoarse; ++i) {
      seen += totals[i];
      if (seen >= rank) return static_cast<double>(upper_edge_us(i)) / 1000.0;
    }
    return static_cast<double>(max_us) / 1000.0;
  }

 private:
  static constexpr int64_t kFineUs = 100;
  static constexpr size_t kFine = 10'000;  // up to 1 s
  static constexpr int64_t kCoarseUs = 10'000;
  static constexpr size_t kCoarse = 5'900;  // 1 s .. 60 s
  static constexpr int64_t kFineEndUs = kFineUs * static_cast<int64_t>(kFine);
  static size_t bucket_of(int64_t us) {
    if (us < kFineEndUs) return static_cast<size_t>(std::max<int64_t>(0, us) / kFineUs);
    return kFine + static_cast<size_t>(std::min<int64_t>((us - kFineEndUs) / kCoarseUs, kCoarse));
  }
  static int64_t upper_edge_us(size_t i) {
    if (i < kFine) return static_cast<int64_t>(i + 1) * kFineUs;
    return kFineEndUs + static_cast<int64_t>(i - kFine + 1) * kCoarseUs;
  }
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
  std::atomic<int64_t> max_us_{0};
};

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;  // civil (Beijing) time = UTC+8
// Uploads stored as source records: HJ 212-2017's, and HJ 212-2025's new data (2013 raw monitoring data,
// 2052 single noise measurements, 2062 standard-sample checks, 2111 furnace temperature 5-minute means).
bool is_upload(uint16_t cn) {
  switch (cn) {
    case 2011:
    case 2021:
    case 2031:
    case 2041:
    case 2051:
    case 2061:
    case 2081:
    case hj212::kCnRawData:
    case hj212::kCnNoiseSingle:
    case hj212::kCnStandardCheckData:
    case hj212::kCnFurnaceTemperature:
      return true;
    default:
      return false;
  }
}

// Raises the soft descriptor limit to the hard one where allowed; returns the limit in force.
uint64_t raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
  if (r.rlim_cur < r.rlim_max) {
    rlimit raised = r;
    raised.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
  }
  return r.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<uint64_t>(r.rlim_cur);
}

// "127.0.0.1:40312" / "[::1]:40312" for log lines.
std::string peer_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "unknown peer";
  char host[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
  inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
}

void wake(int event_fd) {
  const uint64_t one = 1;
  ssize_t ignored = write(event_fd, &one, sizeof one);
  (void)ignored;
}

}  // namespace

// Counters the io threads add to once per loop round (plain integers there, atomics here).
struct Counters {
  std::atomic<uint64_t> connections_accepted{0}, connections_refused{0}, connections_open{0}, frames{0},
      bad_frames{0}, dropped_bytes{0}, auth_failures{0}, rate_limited{0}, uploads{0}, stored{0},
      duplicates{0}, answers{0}, commits{0}, ignored{0}, idle_closed{0}, store_errors{0},
      policy_rejections{0}, future_refused{0}, invalid_text{0}, conflicts{0}, accept_pauses{0},
      connection_errors{0}, decrypt_failures{0}, decrypted{0}, version_mismatches{0}, heartbeats{0},
      key_requests{0}, keys_pushed{0}, hardware_notices{0}, hardware_mismatches{0};
};

// An io thread's counts between two flushes into Counters.
struct LocalCounts {
  uint64_t frames = 0, bad_frames = 0, dropped_bytes = 0, auth_failures = 0, rate_limited = 0, uploads = 0,
           answers = 0, ignored = 0, policy_rejections = 0, future_refused = 0, invalid_text = 0,
           decrypt_failures = 0, decrypted = 0, version_mismatches = 0, heartbeats = 0, key_requests = 0,
           keys_pushed = 0, hardware_notices = 0, hardware_mismatches = 0;
  void flush_into(Counters& c) {
    const auto add = [](std::atomic<uint64_t>& to, uint64_t& n) {
      if (n != 0) to.fetch_add(n, std::memory_order_relaxed);
      n = 0;
    };
    add(c.frames, frames);
    add(c.bad_frames, bad_frames);
    add(c.dropped_bytes, dropped_bytes);
    add(c.auth_failures, auth_failures);
    add(c.rate_limited, rate_limited);
    add(c.uploads, uploads);
    add(c.answers, answers);
    add(c.ignored, ignored);
    add(c.policy_rejections, policy_rejections);
    add(c.future_refused, future_refused);
    add(c.invalid_text, invalid_text);
    add(c.decrypt_failures, decrypt_failures);
    add(c.decrypted, decrypted);
    add(c.version_mismatches, version_mismatches);
    add(c.heartbeats, heartbeats);
    add(c.key_requests, key_requests);
    add(c.keys_pushed, keys_pushed);
    add(c.hardware_notices, hardware_notices);
    add(c.hardware_mismatches, hardware_mismatches);
  }
};

// Uploads of one io thread on their way to the writer: the records' text in one buffer, the rest as offsets.
// Chunks are recycled (the writer hands them back), so a busy gateway allocates nothing per upload here.
struct Chunk {
  struct Span {
    uint32_t mn_at, mn_size, qn_at, qn_size, cp_at, cp_size;
    int cn, flag;
    int64_t data_time, received_ms;
  };
  size_t thread = 0;
  size_t shard = 0;
  uint64_t last_seq = 0;  // the io thread's sequence number (in this shard's lane) of the last upload in here
  std::string bytes;
  std::vector<Span> records;

  void add(const SourceRecordView& r) {
    const auto put = [&](std::string_view v, uint32_t* at, uint32_t* size) {
      *at = static_cast<uint32_t>(bytes.size());
      *size = static_cast<uint32_t>(v.size());
      bytes.append(v);
    };
    Span s{};
    put(r.mn, &s.mn_at, &s.mn_size);
    put(r.qn, &s.qn_at, &s.qn_size);
    put(r.cp, &s.cp_at, &s.cp_size);
    s.cn = r.cn;
    s.flag = r.flag;
    s.data_time = r.data_time;
    s.received_ms = r.received_ms;
    records.push_back(s);
  }
  SourceRecordView view(const Span& s) const {
    const std::string_view b(bytes);
    return {.mn = b.substr(s.mn_at, s.mn_size),
            .cn = s.cn,
            .data_time = s.data_time,
            .qn = b.substr(s.qn_at, s.qn_size),
            .received_ms = s.received_ms,
            .flag = s.flag,
            .cp = b.substr(s.cp_at, s.cp_size)};
  }
  void clear() {
    bytes.clear();
    records.clear();
    last_seq = 0;
  }
};

// What a shard's writer tells an io thread after a transaction: the thread's uploads to that shard up to
// `upto` are committed (ok) or were not stored (not ok: their answers are dropped, the devices send again).
struct Durable {
  size_t shard = 0;
  uint64_t upto = 0;
  bool ok = false;
  int64_t commit_start_us = 0;  // steady_us() when the writer began the batch's insert, and when it returned
  int64_t commit_end_us = 0;
};

// A data logger's hardware identity as its 1001 states it (CN 1001 CP, spec note §1.5 C2): i23005-Info
// 数采仪ID, i23006-Info CPU ID, i23007-Info and i23008-Info MACs.
struct HardwareIdentity {
  std::string hardware_id, cpu_id, mac1, mac2;
};

// The first field in which `presented` is not the identity an MN is bound to, or nullptr when it is that
// identity. A field the binding does not know (empty: the logger's 1001s before its MN did not state it) is
// not compared.
const char* identity_mismatch(const HardwareIdentity& bound, const HardwareIdentity& presented) {
  if (presented.hardware_id != bound.hardware_id) return "i23005-Info (数采仪ID)";
  if (!bound.cpu_id.empty() && presented.cpu_id != bound.cpu_id) return "i23006-Info (CPU ID)";
  if (!bound.mac1.empty() && presented.mac1 != bound.mac1) return "i23007-Info (MAC1)";
  if (!bound.mac2.empty() && presented.mac2 != bound.mac2) return "i23008-Info (MAC2)";
  return nullptr;
}

// One registered device as the io threads see it: its record, the protocol version the registry configures
// (nullopt: "auto", the Flag bits decide) and its SM4 session keys, current first, each with the end of its
// validity (INT64_MAX for the current one; a replaced key is valid during its grace window only).
struct GatewayDevice {
  DeviceRecord record;
  std::optional<hj212::ProtocolVersion> version;
  std::vector<hj212::CpKey> keys;
  std::vector<int64_t> key_valid_until_ms;
  std::vector<int64_t> key_issued_ms;  // UTC ms (SKCreateTime of a 1014 push)
  // A device whose MN the bureau gave a logger (1001 -> 1002): the logger's identity the MN is bound to.
  std::optional<HardwareIdentity> hardware;
};
struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// A data logger the bureau provisioned (store/api/pending_devices.h) whose device is registered: the 1002
// that gives it its MN goes out on the connection its 1001s come on.
struct ProvisionedLogger {
  std::string mn, st, pw;
  HardwareIdentity bound;  // the identity recorded on the pending row (what the MN is bound to)
};
struct Registry {
  std::unordered_map<std::string, GatewayDevice, TransparentHash, std::equal_to<>> devices;
  std::unordered_map<std::string, ProvisionedLogger> provisioned;  // by 数采仪ID (i23005-Info)
  bool any_keys = false;
  size_t key_count = 0;
};

// The registry's protocol attribute (store/api/store.h DeviceRecord::protocol) as a codec version.
std::optional<hj212::ProtocolVersion> configured_version(int protocol) {
  switch (protocol) {
    case kDeviceProtocol2005:
      return hj212::ProtocolVersion::k2005;
    case kDeviceProtocol2017:
      return hj212::ProtocolVersion::k2017;
    case kDeviceProtocol2025:
      return hj212::ProtocolVersion::k2025;
    default:
      return std::nullopt;  // kDeviceProtocolAuto
  }
}

// The io thread's view of the registry for its connections' stream readers (hj212::DeviceLookup): each
// frame is decoded with its device's version and the keys valid at the thread's clock.
class ThreadDevices : public hj212::DeviceLookup {
 public:
  void set(const Registry* registry, int64_t now_ms) {
    registry_ = registry;
    now_ms_ = now_ms;
  }
  bool find(std::string_view mn, hj212::DeviceProfile* out) const override {
    if (!registry_) return false;
    auto it = registry_->devices.find(mn);
    if (it == registry_->devices.end()) return false;
    const GatewayDevice& d = it->second;
    out->version = d.version;
    size_t valid = 0;
    while (valid < d.keys.size() && now_ms_ < d.key_valid_until_ms[valid]) ++valid;
    if (valid == d.keys.size()) {
      out->keys = d.keys;
      return true;
    }
    scratch_.clear();  // a key past its grace among them (rare): the valid ones only
    for (size_t i = 0; i < d.keys.size(); ++i) {
      if (now_ms_ < d.key_valid_until_ms[i]) scratch_.push_back(d.keys[i]);
    }
    out->keys = scratch_;
    return true;
  }
  bool any_keys() const override { return registry_ && registry_->any_keys; }

 private:
  const Registry* registry_ = nullptr;
  int64_t now_ms_ = 0;
  mutable std::vector<hj212::CpKey> scratch_;
};

class Gateway::Impl {
 public:
  struct Connection;
  struct IoThread;
  struct ShardWriter;

  explicit Impl(GatewayOptions o) : options(std::move(o)) {}
  ~Impl();

  Status open();
  void run();
  void stop();
  void writer_loop(ShardWriter& w);
  void maintenance_loop();
  void push_chunks(IoThread& t);
  void push_chunk(IoThread& t, size_t shard);
  ShardWriter* behind_writer();
  std::shared_ptr<const Registry> registry() {
    std::lock_guard<std::mutex> lock(registry_mu);
    return registry_;
  }
  Status load_registry(SourceIngest& ingest);
  void load_keys(Registry* reg);

  // io thread side (each IoThread is touched by its own thread only, except where its mutex says).
  void io_loop(IoThread& t);
  void accept_all(IoThread& t);
  void add_connection(IoThread& t, int fd);
  void on_readable(IoThread& t, Connection& c);
  void on_event(IoThread& t, Connection& c, const hj212::StreamEvent& ev);
  void accept_message(IoThread& t, Connection& c, const hj212::Message& m,
                      const hj212::AssembledMessage* whole);
  void refuse(IoThread& t, Connection& c, const hj212::Message& m, hj212::QnRtn why);
  void refresh_registry(IoThread& t);
  void on_heartbeat(IoThread& t, Connection& c, const hj212::Message& m);
  void on_key_request(IoThread& t, Connection& c, const hj212::Message& m);
  void push_key(IoThread& t, Connection& c, const hj212::Message& m);
  void on_hardware_serials(IoThread& t, Connection& c, const hj212::Message& m);
  void load_provisioned(Registry* reg);
  void record_sightings();
  void bind_provisioned();
  void bind_logger(size_t thread, uint64_t tag, const ProvisionedLogger& p);
  const DeviceRecord* authenticate(IoThread& t, Connection& c, const hj212::Message& m);
  bool future_data_time(IoThread& t, Connection& c, const hj212::Message& m);
  void on_connection_error(IoThread& t, Connection& c, const char* what);
  void pause_accepting(IoThread& t, int error);
  void resume_accepting(IoThread& t);
  // Rate-limited log line about one connection (kLogLinesPerSecond per io thread).
  template <typename... Args>
  void log_line(IoThread& t, fmt::format_string<Args...> format, Args&&... args);
  bool take_token(Connection& c, int64_t now);
  void queue_answer(IoThread& t, Connection& c, std::string_view frame, const int64_t* read_us);
  void flush(IoThread& t, Connection& c);
  void set_interest(IoThread& t, Connection& c);
  void close_connection(IoThread& t, Connection& c);
  void reap(IoThread& t);
  void hand_out_answers(IoThread& t);
  void begin_stop(IoThread& t);
  bool drained(const IoThread& t) const;

  GatewayOptions options;
  int listen_fd = -1;
  uint16_t bound_port = 0;
  std::vector<std::unique_ptr<IoThread>> io_threads;
  std::vector<std::unique_ptr<ShardWriter>> writers;  // one per source shard of the store
  std::unique_ptr<Stores> stores;  // opened by open(), then used by the maintenance thread (the registry)
  SourceIngest* ingest = nullptr;  // stores->source_ingest()
  Counters counters;

  std::mutex registry_mu;
  std::shared_ptr<const Registry> registry_ = std::make_shared<Registry>();
  std::shared_ptr<const Registry> retired_registry_;  // the one before: freed by the loader (load_registry)
  RegistryWatch registry_watch{std::chrono::seconds(GatewayOptions{}.registry_refresh_s)};  // set in open()
  std::atomic<uint64_t> registry_version{0};  // incremented by every load_registry()

  // The maintenance thread: the shards' maintainers (SourceShardMaintainer) and the registry's reloads.
  std::thread maintenance;
  std::mutex maintenance_mu;
  std::condition_variable maintenance_cv;
  bool maintenance_due = false;  // guarded by maintenance_mu

  std::atomic<bool> stopping{false};
  std::atomic<size_t> writers_done{0};
  bool all_writers_done() const { return writers_done.load(std::memory_order_acquire) == writers.size(); }
  std::atomic<uint64_t> accepted_total{0};
  // Accepting paused for want of descriptors (the first io thread's; 0: not paused).
  int64_t accept_paused_until = 0;
  int64_t fd_logged_at = 0;      // when the last "out of file descriptors" line was written
  uint64_t pauses_unlogged = 0;  // pauses since that line

  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
  std::once_flag stop_once;

  // Live events and downstream commands (null when switched off; gateway/live_events.h, gateway/commands.h).
  std::unique_ptr<LiveEvents> live_events;
  // Stations' hourly uploads into the time series (null when switched off; gateway/station_feed.h).
  std::unique_ptr<StationFeed> station_feed;
  std::unique_ptr<CommandDispatcher> commands;
  // Which connection carries a device's commands: its io thread and its tag (slot and generation).
  std::mutex device_mu;
  std::unordered_map<std::string, std::pair<size_t, uint64_t>> device_connections;
  void bind_device(IoThread& t, Connection& c, const hj212::Message& m, const DeviceRecord& d);
  bool send_to_device(const std::string& mn, std::string frame);
  void hand_out_commands(IoThread& t);
  // HJ 212-2025 provisioning: the 1001s seen, for the maintenance thread to record (bounded), and the
  // connection of each 数采仪ID that sent one (its 1002 goes out there).
  std::mutex provision_mu;
  std::vector<PendingSighting> sightings;
  uint64_t sightings_dropped = 0;
  struct LoggerConnection {
    size_t thread = 0;
    uint64_t tag = 0;
    HardwareIdentity presented;
  };
  std::unordered_map<std::string, LoggerConnection> logger_connections;
  // A logger's 1001 or a frame under a bound MN from hardware that is not the MN's: counted, logged, refused.
  bool hardware_mismatch(IoThread& t, Connection& c, const HardwareIdentity& bound, const std::string& mn,
                         const char* what);
};

// One shard's writer: its queue of chunks from the io threads, its thread and its own SourceShardWriter.
struct Gateway::Impl::ShardWriter {
  size_t shard = 0;
  std::unique_ptr<SourceShardWriter> out;
  std::thread thread;
  std::mutex mu;  // guards the queue, flushed_threads and waiting
  std::condition_variable queue_cv;
  std::condition_variable space_cv;  // the writer took uploads from the queue
  std::deque<std::unique_ptr<Chunk>> queue;
  std::atomic<size_t> queued_records{0};  // changed under mu; read without it for the backpressure check
  size_t flushed_threads = 0;             // io threads that stopped reading and queued their last chunk
  bool waiting = false;
};

struct Gateway::Impl::Connection {
  Connection(int socket, uint32_t slot_index, uint32_t generation, const GatewayOptions& o,
             const hj212::DeviceLookup* devices, int64_t now)
      : fd(socket),
        slot(slot_index),
        gen(generation),
        reader(hj212::StreamOptions{.decode = {.policy = o.policy, .devices = devices}}),
        tokens(o.max_frames_burst),
        last_refill_ms(now),
        last_read_ms(now) {}

  int fd;
  uint32_t slot;  // in IoThread::slots
  uint32_t gen;   // the slot's generation: answers and events for an earlier connection in it are ignored
  uint64_t tag() const { return (uint64_t{slot} << kSlotShift) | gen; }
  hj212::StreamReader reader;
  hj212::Reassembler reassembler;
  std::string out;                   // answers not yet written
  size_t out_sent = 0;               // bytes of `out` already written
  std::vector<int64_t> out_read_us;  // read times of the answered uploads in `out`
  bool want_out = false;             // EPOLLOUT registered
  bool dirty = false;                // in the thread's dirty list
  bool reading = true;
  bool dead = false;  // closed this round; the socket is closed and the slot freed at its end
  double tokens;
  int64_t last_refill_ms;
  int64_t last_read_ms;
  int64_t last_read_us = 0;
  std::string bound_mn;     // the device whose downstream commands this connection carries
  bool key_pushed = false;  // a 1014 with the device's current key went out on this connection
  // The identity the last 1001 on this connection stated (a logger's); hardware_id empty: none was stated.
  HardwareIdentity presented;
  std::string peer;  // "ADDR:PORT", for log lines
};

// An answer waiting for its upload's commit.
struct PendingAnswer {
  uint32_t slot;
  uint32_t gen;
  uint64_t seq;
  uint64_t at;  // offset in all the answer bytes the thread produced (answer_bytes starts at answer_base)
  uint32_t size;
  int64_t read_us;
};

// The uploads of one io thread bound for one shard, and their answers waiting for that shard's commits.
struct Lane {
  std::unique_ptr<Chunk> chunk = std::make_unique<Chunk>();
  uint64_t next_seq = 1;
  std::deque<PendingAnswer> answers;
  std::string answer_bytes;
  size_t answer_base = 0;  // bytes dropped from the front of answer_bytes
};

struct Gateway::Impl::IoThread {
  size_t index = 0;
  int epfd = -1;
  int wake_fd = -1;
  std::thread thread;

  std::mutex mu;                                    // guards the three lists below (filled by other threads)
  std::vector<int> inbox;                           // accepted sockets handed to this thread
  std::vector<Durable> durable;                     // from the writers
  std::vector<std::unique_ptr<Chunk>> free_chunks;  // handed back by the writers
  std::vector<std::pair<uint64_t, std::string>> commands_out;  // downstream command frames: (tag, frame)

  // Owned by the thread.
  std::vector<std::unique_ptr<Connection>> slots;
  std::vector<uint32_t> generations;
  std::vector<uint32_t> free_slots;
  std::vector<uint32_t> dirty;
  std::vector<uint32_t> dead;
  std::vector<Lane> lanes;  // one per shard
  std::vector<Durable> durable_taken;
  std::unique_ptr<char[]> read_buffer = std::make_unique<char[]>(kReadBuffer);
  std::shared_ptr<const Registry> registry;
  uint64_t registry_version = 0;  // 0: never fetched (the gateway's versions start at 1)
  ThreadDevices devices;          // the registry as its connections' readers look devices up
  std::string mn;                 // lookup key, reused
  int64_t now_ms = 0;             // wall clock at this loop round
  bool stop_seen = false;
  int64_t log_window_ms = 0;  // log_line(): the second being counted, lines in it, lines left out
  int log_lines = 0;
  uint64_t log_suppressed = 0;
  LocalCounts counts;
  LatencyHistogram latency;
  // The answered uploads' latency by stage (GatewayStats::stage_*): read -> the writer begins the commit
  // holding it (queued: the io thread's round, the writer's queue, the batch fill wait, the commit before),
  // that commit's duration, its end -> this thread takes the notice (the wakeup).
  LatencyHistogram queued, commit, notice;
};

Gateway::Impl::~Impl() {
  for (auto& t : io_threads) {
    if (t->epfd >= 0) close(t->epfd);
    if (t->wake_fd >= 0) close(t->wake_fd);
  }
  if (listen_fd >= 0) close(listen_fd);
}

// The session keys valid now, opened (GatewayOptions::open_device_key) into the registry's devices. A key
// that does not open is left out, its device and serial logged (never the key): that device's encrypted
// frames are then refused until it has a key that opens.
void Gateway::Impl::load_keys(Registry* reg) {
  if (!options.open_device_key) return;
  auto keys = stores->device_keys().all_valid_keys(now_ms());
  if (!keys.ok()) {
    std::fprintf(stderr, "gateway: device keys not loaded: %s\n", keys.status().message().c_str());
    return;
  }
  for (const DeviceKeyRecord& k : *keys) {
    auto it = reg->devices.find(k.mn);
    if (it == reg->devices.end()) continue;
    auto clear = options.open_device_key(k.mn, k.sealed);
    const std::optional<hj212::CpKey> key =
        clear.ok() ? hj212::CpKey::from_text(*clear) : std::optional<hj212::CpKey>();
    if (!key) {
      std::fprintf(stderr, "gateway: session key %lld of device %s not usable: %s\n",
                   static_cast<long long>(k.serial), escape_invalid_utf8(k.mn).c_str(),
                   clear.ok() ? "not 16 bytes" : clear.status().message().c_str());
      continue;
    }
    it->second.keys.push_back(*key);
    it->second.key_valid_until_ms.push_back(k.valid_until_ms.value_or(INT64_MAX));
    it->second.key_issued_ms.push_back(k.issued_ms);
    reg->any_keys = true;
    ++reg->key_count;
  }
}

Status Gateway::Impl::load_registry(SourceIngest& s) {
  auto revision = s.registry_revision();  // read first: a change made during the load is seen next time
  if (!revision.ok()) return revision.status();
  auto devices = s.devices();
  if (!devices.ok()) return devices.status();
  auto reg = std::make_shared<Registry>();
  for (DeviceRecord& d : *devices) {
    std::string mn = d.mn;
    GatewayDevice g;
    g.version = configured_version(d.protocol);
    g.record = std::move(d);
    reg->devices.emplace(std::move(mn), std::move(g));
  }
  load_keys(reg.get());
  load_provisioned(reg.get());
  std::shared_ptr<const Registry> before;
  {
    std::lock_guard<std::mutex> lock(registry_mu);
    before = std::exchange(registry_, std::move(reg));
    registry_version.fetch_add(1, std::memory_order_release);
  }
  // The snapshot before this one is freed here, on the loading thread, when the io threads have let it go
  // (they take the new one at their next upload); freeing 10,000 devices on an io thread delayed its answers.
  retired_registry_ = std::move(before);
  registry_watch.loaded(*revision);
  return Status();
}

Status Gateway::Impl::open() {
  // As many connections as the descriptors allow, less a reserve; an explicit larger value is lowered.
  const uint64_t fd_limit = raise_fd_limit();
  if (fd_limit != 0) {
    const uint64_t allowed = fd_limit > options.fd_reserve ? fd_limit - options.fd_reserve : 1;
    if (options.max_connections == 0) {
      options.max_connections = static_cast<size_t>(allowed);
    } else if (options.max_connections > allowed) {
      std::fprintf(
          stderr,
          "gateway: --max-connections %zu lowered to %llu: the descriptor limit (RLIMIT_NOFILE) is %llu "
          "and %zu are kept for the store and the HTTP server\n",
          options.max_connections, static_cast<unsigned long long>(allowed),
          static_cast<unsigned long long>(fd_limit), options.fd_reserve);
      options.max_connections = static_cast<size_t>(allowed);
    }
  } else if (options.max_connections == 0) {
    options.max_connections = kDefaultMaxConnections;
  }
  if (!options.stores) return invalid_argument("gateway: no store to open (GatewayOptions::stores)");
  auto s = options.stores();
  if (!s.ok()) return s.status();
  stores = std::move(*s);
  ingest = &stores->source_ingest();
  if (options.writers > 0) ECOMON_RETURN_IF_ERROR(ingest->set_shards(options.writers));
  for (int k = 0; k < ingest->shards(); ++k) {
    auto w = std::make_unique<ShardWriter>();
    w->shard = static_cast<size_t>(k);
    auto out = ingest->open_writer(k);
    if (!out.ok()) return out.status();
    w->out = std::move(*out);
    writers.push_back(std::move(w));
  }
  registry_watch = RegistryWatch(std::chrono::seconds(options.registry_refresh_s));
  ECOMON_RETURN_IF_ERROR(load_registry(*ingest));
  if (options.events.enabled) {
    LiveEventOptions e = options.events;
    e.registry_refresh_s = options.registry_refresh_s;
    auto le = LiveEvents::start(options.stores, std::move(e));
    if (!le.ok()) return le.status();
    live_events = std::move(*le);
  }
  if (options.stations.enabled) {
    StationFeedOptions f = options.stations;
    f.registry_refresh_s = options.registry_refresh_s;
    auto sf = StationFeed::start(options.stores, std::move(f));
    if (!sf.ok()) return sf.status();
    station_feed = std::move(*sf);
  }
  if (options.commands.enabled) {
    auto cd = CommandDispatcher::start(
        options.stores, options.commands,
        [this](const std::string& mn, std::string f) { return send_to_device(mn, std::move(f)); });
    if (!cd.ok()) return cd.status();
    commands = std::move(*cd);
  }
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (Status a = socket_address(options.listen, &ss, &len); !a.ok())
    return invalid_argument("--listen: " + a.message());
  listen_fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int on = 1;
  const auto fail = [&](const char* what) {
    return Status(StatusCode::kUnavailable,
                  "cannot listen on " + options.listen + ": " + what + ": " + std::strerror(errno));
  };
  if (listen_fd < 0) return fail("socket");
  setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(listen_fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) return fail("bind");
  if (listen(listen_fd, SOMAXCONN) != 0) return fail("listen");
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  if (getsockname(listen_fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0) {
    bound_port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                   : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    auto t = std::make_unique<IoThread>();
    t->index = static_cast<size_t>(i);
    t->lanes.resize(writers.size());
    t->epfd = epoll_create1(EPOLL_CLOEXEC);
    t->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (t->epfd < 0 || t->wake_fd < 0) return fail("epoll");
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = kWakeTag}};
    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->wake_fd, &ev);
    io_threads.push_back(std::move(t));
  }
  // The first io thread accepts and deals the connections out in turn.
  epoll_event ev{.events = EPOLLIN, .data = {.u64 = kListenerTag}};
  if (epoll_ctl(io_threads[0]->epfd, EPOLL_CTL_ADD, listen_fd, &ev) != 0) return fail("epoll_ctl");
  return Status();
}

void Gateway::Impl::run() {
  for (auto& w : writers) {
    w->thread = std::thread([this, raw = w.get()] {
      // names for top -H and /proc/PID/task/*/comm
      pthread_setname_np(pthread_self(), ("gw-writer" + std::to_string(raw->shard)).c_str());
      writer_loop(*raw);
    });
  }
  maintenance = std::thread([this] {
    pthread_setname_np(pthread_self(), "gw-maintain");
    maintenance_loop();
  });
  for (auto& t : io_threads) {
    t->thread = std::thread([this, raw = t.get()] {
      pthread_setname_np(pthread_self(), ("gw-io" + std::to_string(raw->index)).c_str());
      io_loop(*raw);
    });
  }
}

// ---- io threads ----
//
// Each io thread has its own epoll set (level-triggered) and owns its connections. One loop round: wait for
// events, read each ready connection until it has nothing more (one recv() unless the buffer filled), decode,
// put the uploads into the thread's chunk; then hand the chunk to the writer (one lock per round), take the
// writer's commit notices and write each connection's due answers in one send().

void Gateway::Impl::io_loop(IoThread& t) {
  std::array<epoll_event, kMaxEvents> events{};
  int64_t next_tick = now_ms() + kTickMs;
  int64_t grace_end = 0;
  while (true) {
    const bool stop = stopping.load(std::memory_order_acquire);
    if (ShardWriter* w = stop ? nullptr : behind_writer()) {
      // Backpressure: a writer is behind. Read nothing (the devices' bytes wait in the TCP buffers, their
      // senders slow down) and leave the CPU to the writer; keep handing out the answers it makes due.
      t.now_ms = now_ms();
      if (t.index == 0) {  // new connections are still taken (read once the writer caught up)
        if (accept_paused_until != 0 && t.now_ms >= accept_paused_until) {
          resume_accepting(t);
        } else {
          accept_all(t);
        }
      }
      hand_out_answers(t);
      reap(t);
      std::unique_lock<std::mutex> lock(w->mu);
      w->space_cv.wait_for(lock, std::chrono::milliseconds(kBackpressureWaitMs), [&] {
        return stopping.load() || w->queued_records.load() < options.batch_max * kQueuedBatchesMax;
      });
      continue;
    }
    int64_t wake_at = next_tick;
    if (accept_paused_until != 0 && t.index == 0) wake_at = std::min(wake_at, accept_paused_until);
    const int timeout =
        stop ? kStoppingTickMs : static_cast<int>(std::clamp<int64_t>(wake_at - now_ms(), 0, kTickMs));
    const int n = epoll_wait(t.epfd, events.data(), kMaxEvents, timeout);
    t.now_ms = now_ms();
    if (t.index == 0 && accept_paused_until != 0 && t.now_ms >= accept_paused_until && !stop) {
      resume_accepting(t);
    }
    for (int i = 0; i < n; ++i) {
      const uint64_t tag = events[static_cast<size_t>(i)].data.u64;
      const uint32_t what = events[static_cast<size_t>(i)].events;
      if (tag == kListenerTag) {
        accept_all(t);
        continue;
      }
      if (tag == kWakeTag) {
        uint64_t value = 0;
        ssize_t ignored = read(t.wake_fd, &value, sizeof value);
        (void)ignored;
        continue;
      }
      const auto slot = static_cast<uint32_t>(tag >> kSlotShift);
      const auto gen = static_cast<uint32_t>(tag);
      if (slot >= t.slots.size() || !t.slots[slot] || t.slots[slot]->gen != gen) continue;
      Connection& c = *t.slots[slot];
      if (c.dead) continue;  // closed this round
      // Whatever goes wrong with one connection (an exception from the decoder, an allocation) closes that
      // connection, logged with its peer; the others are served on.
      try {
        if (what & EPOLLOUT) flush(t, c);
        if (c.reading && (what & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
          on_readable(t, c);
        } else if (!c.dead && (what & (EPOLLERR | EPOLLHUP))) {
          close_connection(t, c);  // stopping: not reading, but the peer is gone
        }
      } catch (const std::exception& e) {
        on_connection_error(t, c, e.what());
      } catch (...) {
        on_connection_error(t, c, "unknown exception");
      }
    }
    {
      std::vector<int> fds;
      {
        std::lock_guard<std::mutex> lock(t.mu);
        fds.swap(t.inbox);
      }
      for (int fd : fds) {
        if (stop) {
          close(fd);
          counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
        } else {
          add_connection(t, fd);
        }
      }
    }
    if (stop && !t.stop_seen) begin_stop(t);
    push_chunks(t);
    hand_out_answers(t);
    reap(t);
    t.counts.flush_into(counters);
    if (t.now_ms >= next_tick) {
      next_tick = t.now_ms + kTickMs;
      const int64_t idle_ms = int64_t{options.idle_timeout_s} * 1000;
      for (auto& c : t.slots) {
        if (c && c->reading && t.now_ms - c->last_read_ms >= idle_ms) {
          counters.idle_closed.fetch_add(1, std::memory_order_relaxed);  // counted before the peer sees it
          close_connection(t, *c);
        }
      }
      reap(t);
    }
    if (all_writers_done()) {
      // The writers have committed everything and told every thread: leave once the answers are out.
      if (grace_end == 0) grace_end = t.now_ms + kShutdownGraceMs;
      bool notices;
      {
        std::lock_guard<std::mutex> lock(t.mu);
        notices = !t.durable.empty();
      }
      if (!notices && (drained(t) || t.now_ms >= grace_end)) break;
    }
  }
  for (auto& c : t.slots) {
    if (c) close_connection(t, *c);
  }
  reap(t);
  t.counts.flush_into(counters);
}

bool Gateway::Impl::drained(const IoThread& t) const {
  for (const Lane& l : t.lanes) {
    if (!l.answers.empty()) return false;
  }
  for (const auto& c : t.slots) {
    if (c && c->out_sent < c->out.size()) return false;
  }
  return true;
}

void Gateway::Impl::begin_stop(IoThread& t) {
  t.stop_seen = true;
  if (t.index == 0) epoll_ctl(t.epfd, EPOLL_CTL_DEL, listen_fd, nullptr);
  for (auto& c : t.slots) {
    if (!c) continue;
    c->reading = false;
    set_interest(t, *c);
  }
  push_chunks(t);
  for (auto& w : writers) {
    {
      std::lock_guard<std::mutex> lock(w->mu);
      ++w->flushed_threads;
    }
    w->queue_cv.notify_all();
  }
}

// The first writer whose queue is over the backpressure mark, if any.
Gateway::Impl::ShardWriter* Gateway::Impl::behind_writer() {
  for (auto& w : writers) {
    if (w->queued_records.load(std::memory_order_relaxed) >= options.batch_max * kQueuedBatchesMax)
      return w.get();
  }
  return nullptr;
}

void Gateway::Impl::on_connection_error(IoThread& t, Connection& c, const char* what) {
  counters.connection_errors.fetch_add(1, std::memory_order_relaxed);
  log_line(t, "gateway: connection {} closed after an error in its handling: {}", c.peer, what);
  close_connection(t, c);
}

template <typename... Args>
void Gateway::Impl::log_line(IoThread& t, fmt::format_string<Args...> format, Args&&... args) {
  if (t.now_ms - t.log_window_ms >= kMsPerSecond) {
    if (t.log_suppressed > 0) {
      std::fprintf(stderr, "gateway: %llu more lines left out (at most %d per second)\n",
                   static_cast<unsigned long long>(t.log_suppressed), kLogLinesPerSecond);
    }
    t.log_window_ms = t.now_ms;
    t.log_lines = 0;
    t.log_suppressed = 0;
  }
  if (t.log_lines >= kLogLinesPerSecond) {
    ++t.log_suppressed;
    return;
  }
  ++t.log_lines;
  std::string line = fmt::format(format, std::forward<Args>(args)...);
  line = escape_invalid_utf8(line);  // bytes a device sent, shown as \xHH
  std::fprintf(stderr, "%s\n", line.c_str());
}

// Out of descriptors: accept4() fails at once while a connection waits, and the level-triggered listener
// would wake the thread again at once: take the listener out of the epoll set for kAcceptPauseMs (the
// connected devices are served meanwhile), log at most once per kFdLogIntervalMs.
void Gateway::Impl::pause_accepting(IoThread& t, int error) {
  if (accept_paused_until != 0) return;
  epoll_ctl(t.epfd, EPOLL_CTL_DEL, listen_fd, nullptr);
  accept_paused_until = t.now_ms + kAcceptPauseMs;
  counters.accept_pauses.fetch_add(1, std::memory_order_relaxed);
  ++pauses_unlogged;
  if (fd_logged_at == 0 || t.now_ms - fd_logged_at >= kFdLogIntervalMs) {
    std::fprintf(
        stderr,
        "gateway: out of file descriptors (accept: %s) with %llu connections open; not accepting for "
        "%lld ms at a time (%llu pauses since the last such line)\n",
        std::strerror(error),
        static_cast<unsigned long long>(counters.connections_open.load(std::memory_order_relaxed)),
        static_cast<long long>(kAcceptPauseMs), static_cast<unsigned long long>(pauses_unlogged));
    fd_logged_at = t.now_ms;
    pauses_unlogged = 0;
  }
}

void Gateway::Impl::resume_accepting(IoThread& t) {
  accept_paused_until = 0;
  epoll_event ev{.events = EPOLLIN, .data = {.u64 = kListenerTag}};
  epoll_ctl(t.epfd, EPOLL_CTL_ADD, listen_fd, &ev);
  accept_all(t);
}

void Gateway::Impl::accept_all(IoThread& t) {
  if (accept_paused_until != 0) return;
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        pause_accepting(t, errno);
      return;  // EAGAIN, or an error the next wakeup retries
    }
    if (counters.connections_open.load(std::memory_order_relaxed) >= options.max_connections) {
      counters.connections_refused.fetch_add(1, std::memory_order_relaxed);
      close(fd);
      continue;
    }
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    counters.connections_open.fetch_add(1, std::memory_order_relaxed);
    IoThread& to = *io_threads[accepted_total.fetch_add(1, std::memory_order_relaxed) % io_threads.size()];
    if (&to == &t) {
      add_connection(t, fd);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(to.mu);
      to.inbox.push_back(fd);
    }
    wake(to.wake_fd);
  }
}

void Gateway::Impl::add_connection(IoThread& t, int fd) {
  uint32_t slot;
  if (!t.free_slots.empty()) {
    slot = t.free_slots.back();
    t.free_slots.pop_back();
  } else {
    slot = static_cast<uint32_t>(t.slots.size());
    t.slots.emplace_back();
    t.generations.push_back(0);
  }
  const uint32_t gen = ++t.generations[slot];
  t.slots[slot] = std::make_unique<Connection>(fd, slot, gen, options, &t.devices, t.now_ms);
  t.slots[slot]->peer = peer_name(fd);
  epoll_event ev{.events = EPOLLIN, .data = {.u64 = t.slots[slot]->tag()}};
  if (epoll_ctl(t.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    close_connection(t, *t.slots[slot]);
    reap(t);
  }
}

void Gateway::Impl::set_interest(IoThread& t, Connection& c) {
  epoll_event ev{.events = (c.reading ? EPOLLIN : 0U) | (c.want_out ? EPOLLOUT : 0U),
                 .data = {.u64 = c.tag()}};
  epoll_ctl(t.epfd, EPOLL_CTL_MOD, c.fd, &ev);
}

// Marks the connection closed; reap() closes the socket and frees the slot at the end of the loop round (the
// connection may be in use further up the stack: a decoder callback refusing a frame).
void Gateway::Impl::close_connection(IoThread& t, Connection& c) {
  if (c.dead) return;
  c.dead = true;
  c.reading = false;
  t.dead.push_back(c.slot);
}

void Gateway::Impl::reap(IoThread& t) {
  for (uint32_t slot : t.dead) {
    counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
    if (const Connection& c = *t.slots[slot]; !c.presented.hardware_id.empty()) {
      std::lock_guard<std::mutex> lock(provision_mu);
      auto it = logger_connections.find(c.presented.hardware_id);
      if (it != logger_connections.end() && it->second.thread == t.index && it->second.tag == c.tag())
        logger_connections.erase(it);
    }
    close(t.slots[slot]->fd);  // also leaves the epoll set
    t.slots[slot].reset();
    t.free_slots.push_back(slot);
  }
  t.dead.clear();
}

void Gateway::Impl::on_readable(IoThread& t, Connection& c) {
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    const ssize_t n = recv(c.fd, t.read_buffer.get(), kReadBuffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      close_connection(t, c);  // peer closed, or a socket error
      return;
    }
    if (n < 0) return;
    c.last_read_ms = t.now_ms;
    c.last_read_us = steady_us();
    c.reader.set_received_at(t.now_ms + kBeijingOffsetMs);
    refresh_registry(t);
    c.reader.feed_all(std::string_view(t.read_buffer.get(), static_cast<size_t>(n)),
                      [&](const hj212::StreamEvent& ev) { on_event(t, c, ev); });
    if (c.dead || static_cast<size_t>(n) < kReadBuffer) return;  // all read (level-triggered: or told again)
  }
}

void Gateway::Impl::on_event(IoThread& t, Connection& c, const hj212::StreamEvent& ev) {
  if (ev.kind == hj212::StreamEvent::Kind::kDropped) {
    t.counts.dropped_bytes += ev.size;
    if (ev.error.kind != hj212::ErrorKind::kNoFrameStart) ++t.counts.bad_frames;
    // An encrypted CP area that opened under none of the device's keys: the error names the MN and the byte.
    if (ev.error.kind == hj212::ErrorKind::kDecryptFailed) ++t.counts.decrypt_failures;
    log_line(t, "gateway: {}: {} bytes dropped at stream offset {}: {}", c.peer, ev.size, ev.offset,
             ev.error.to_string());
    return;
  }
  ++t.counts.frames;
  const hj212::Message& m = *ev.message;
  if (m.header.command == hj212::kCnHeartbeat) {
    on_heartbeat(t, c, m);
    return;
  }
  if (m.header.command == hj212::kCnNewKey && !m.find("NewSK")) {
    on_key_request(t, c, m);
    return;
  }
  if (m.header.command == hj212::kCnHardwareSerials && m.header.mn.empty()) {
    on_hardware_serials(t, c, m);
    return;
  }
  if (!is_upload(m.header.command)) {
    // Answers to our commands go to the dispatcher; notices and the rest: not stored here.
    if (!commands || !commands->device_frame(m)) ++t.counts.ignored;
    return;
  }
  if (!take_token(c, t.now_ms)) {
    ++t.counts.rate_limited;
    return;
  }
  const DeviceRecord* d = authenticate(t, c, m);
  if (!d) return;
  if (future_data_time(t, c, m)) return;
  if (commands && c.bound_mn != t.mn) bind_device(t, c, m, *d);  // this device's commands go out here
  if (m.header.split()) {
    auto part = c.reassembler.add(m, t.now_ms);
    if (part.outcome != hj212::PartOutcome::kCompleted) return;
    accept_message(t, c, part.message->parts().front()->message(), part.message.get());
    return;
  }
  accept_message(t, c, m, nullptr);
}

// The registry snapshot is fetched again only when it was reloaded (no lock or allocation per frame); the
// readers' device lookup follows it and the thread's clock (keys past their grace).
void Gateway::Impl::refresh_registry(IoThread& t) {
  if (const uint64_t v = registry_version.load(std::memory_order_acquire); v != t.registry_version) {
    t.registry = registry();
    t.registry_version = v;
  }
  t.devices.set(t.registry.get(), t.now_ms);
}

// 9015 心跳包 (HJ 212-2025; a vendor extension before): from a registered device with its PW, answered 9013
// at once when its Flag asks (nothing to commit); it binds the connection for the device's commands and keeps
// the device online for the silence rule (LiveEvents::heartbeat) without being stored as data, so it counts
// in no transmission rate.
void Gateway::Impl::on_heartbeat(IoThread& t, Connection& c, const hj212::Message& m) {
  if (!take_token(c, t.now_ms)) {
    ++t.counts.rate_limited;
    return;
  }
  const DeviceRecord* d = authenticate(t, c, m);
  if (!d) return;
  ++t.counts.heartbeats;
  if (commands && c.bound_mn != t.mn) bind_device(t, c, m, *d);
  if (live_events) live_events->heartbeat(t.mn, t.now_ms);
  if (!m.header.answer_needed() || m.header.qn.empty()) return;
  if (auto answer = hj212::encode_notice_answer(m.header.qn, hj212::answer_peer(m)); answer.ok()) {
    ++t.counts.answers;
    queue_answer(t, c, *answer, nullptr);
  }
}

// 1014 现场机获取新密钥 (C7) from a registered device: answered 9013 when asked, then its current key pushed.
void Gateway::Impl::on_key_request(IoThread& t, Connection& c, const hj212::Message& m) {
  if (!take_token(c, t.now_ms)) {
    ++t.counts.rate_limited;
    return;
  }
  c.key_pushed = false;  // asked for: sent again
  if (!authenticate(t, c, m)) return;
  ++t.counts.key_requests;
  if (m.header.answer_needed() && !m.header.qn.empty()) {
    if (auto answer = hj212::encode_notice_answer(m.header.qn, hj212::answer_peer(m)); answer.ok()) {
      ++t.counts.answers;
      queue_answer(t, c, *answer, nullptr);
    }
  }
  if (!c.key_pushed) push_key(t, c, m);
}

// 1014 上位机下发新密钥 (C8): the device's current key as NewSK with its SKCreateTime (the issue time,
// Beijing), encrypted under the key the device used for `m` (else its previous key, else the current one), so
// that the new key never travels in clear (that the push is encrypted is the note's inference from §6.4.4:
// UNCONFIRMED). The device answers 9011 + 9012 (taken as frames that are not uploads). Nothing when the
// device has no key, or its key is not text a CP area can carry.
void Gateway::Impl::push_key(IoThread& t, Connection& c, const hj212::Message& m) {
  hj212::DeviceProfile profile;
  if (!t.devices.find(m.header.mn, &profile) || profile.keys.empty()) return;
  auto it = t.registry->devices.find(m.header.mn);
  const GatewayDevice& g = it->second;
  const size_t under = m.encrypted() ? static_cast<size_t>(m.key_index) : (profile.keys.size() > 1 ? 1 : 0);
  if (under >= profile.keys.size()) return;
  const hj212::CpKey current = profile.keys[0];
  const hj212::CpKey wrap = profile.keys[under];
  const std::string new_key(reinterpret_cast<const char*>(current.bytes.data()), current.bytes.size());
  // The current key's issue time: the first of the device's keys that is still valid is the current one.
  const int64_t issued_ms = g.key_issued_ms.empty() ? t.now_ms : g.key_issued_ms.front();
  const std::string created = hj212::Timestamp::from_civil_ms(issued_ms + kBeijingOffsetMs).to_digits17();
  const std::string qn = hj212::format_qn(hj212::Timestamp::from_civil_ms(t.now_ms + kBeijingOffsetMs));
  auto frame = hj212::encode_new_key(
      {.qn = qn,
       .st = m.header.st,
       .pw = m.header.pw,
       .mn = m.header.mn,
       .flag = static_cast<uint8_t>(hj212::kFlagVersion2025 | hj212::kFlagAnswerNeeded)},
      created, new_key);
  if (frame.ok()) frame = hj212::encrypt_frame(*frame, wrap);
  if (!frame.ok()) {
    log_line(t, "gateway: {} MN {}: no 1014 sent: {}", c.peer, m.header.mn, frame.status().message());
    return;
  }
  c.key_pushed = true;
  ++t.counts.keys_pushed;
  queue_answer(t, c, *frame, nullptr);
}

// ---- HJ 212-2025 provisioning (1001 -> the pending list -> the bureau assigns an MN -> 1002) ----

constexpr size_t kMaxSightings = 4096;      // 1001s waiting for the maintenance thread to record them
constexpr size_t kMaxHardwareIdBytes = 64;  // 数采仪ID: 24 characters in the note's examples

// 1001 上传数采仪硬件序号 (C2) from a logger without an MN: its identity (i23005-Info 数采仪ID, i23006 CPU
// ID, i23007/i23008 MACs) goes to the pending list (recorded by the maintenance thread: no store write on an
// io thread), its connection is remembered for the 1002, and it is answered 9013 when its Flag asks (MN
// empty, as the note's F1). When the bureau has assigned it an MN already, its queued 1002 goes out here now.
void Gateway::Impl::on_hardware_serials(IoThread& t, Connection& c, const hj212::Message& m) {
  if (!take_token(c, t.now_ms)) {
    ++t.counts.rate_limited;
    return;
  }
  const std::optional<hj212::CpItem> id = m.find("i23005-Info");
  if (!id || id->value.empty() || id->value.size() > kMaxHardwareIdBytes) {
    ++t.counts.ignored;
    log_line(t, "gateway: {}: 1001 without a usable i23005-Info (数采仪ID, 1..{} bytes): not recorded",
             c.peer, kMaxHardwareIdBytes);
    return;
  }
  ++t.counts.hardware_notices;
  const auto item = [&](std::string_view key) {
    const std::optional<hj212::CpItem> v = m.find(key);
    return v ? std::string(v->value) : std::string();
  };
  PendingSighting sighting{.hardware_id = std::string(id->value),
                           .cpu_id = item("i23006-Info"),
                           .mac1 = item("i23007-Info"),
                           .mac2 = item("i23008-Info"),
                           .st = std::string(m.header.st),
                           .pw = std::string(m.header.pw),
                           .peer = c.peer,
                           .seen_ms = t.now_ms};
  c.presented = {.hardware_id = sighting.hardware_id,
                 .cpu_id = sighting.cpu_id,
                 .mac1 = sighting.mac1,
                 .mac2 = sighting.mac2};
  // A logger whose 数采仪ID the bureau gave an MN, but with other hardware than the MN is bound to: not given
  // that MN (no 1002 on this connection), counted and logged; its sighting is still recorded (the store keeps
  // the bound identity: store/api/pending_devices.h).
  const auto provisioned = t.registry->provisioned.find(c.presented.hardware_id);
  const bool refused = provisioned != t.registry->provisioned.end() &&
                       hardware_mismatch(t, c, provisioned->second.bound, provisioned->second.mn, "1001");
  {
    std::lock_guard<std::mutex> lock(provision_mu);
    if (!refused) logger_connections[c.presented.hardware_id] = {t.index, c.tag(), c.presented};
    if (sightings.size() < kMaxSightings) {
      sightings.push_back(std::move(sighting));
    } else {
      ++sightings_dropped;
    }
  }
  {
    std::lock_guard<std::mutex> lock(maintenance_mu);
    maintenance_due = true;
  }
  maintenance_cv.notify_one();
  if (m.header.answer_needed() && !m.header.qn.empty()) {
    if (auto answer = hj212::encode_notice_answer(m.header.qn, hj212::answer_peer(m)); answer.ok()) {
      ++t.counts.answers;
      queue_answer(t, c, *answer, nullptr);
    }
  }
  if (provisioned != t.registry->provisioned.end() && !refused && commands)
    bind_logger(t.index, c.tag(), provisioned->second);
}

// Counts and logs `what` (a 1001, an upload ...) on a connection whose last 1001 stated another identity than
// the one MN `mn` is bound to; true then (the caller refuses it), false when the identities agree.
bool Gateway::Impl::hardware_mismatch(IoThread& t, Connection& c, const HardwareIdentity& bound,
                                      const std::string& mn, const char* what) {
  const char* field = identity_mismatch(bound, c.presented);
  if (!field) return false;
  ++t.counts.hardware_mismatches;
  log_line(t,
           "gateway: {}: {} refused: MN {} is bound to the logger whose 1001 stated 数采仪ID {}, this "
           "connection's 1001 stated 数采仪ID {} with another {}",
           c.peer, what, mn, bound.hardware_id, c.presented.hardware_id, field);
  return true;
}

// The assigned MNs of the pending list whose device the registry holds (the device's PW: what the logger's
// answers to the 1002 carry).
void Gateway::Impl::load_provisioned(Registry* reg) {
  auto rows = stores->pending_devices().list();
  if (!rows.ok()) {
    std::fprintf(stderr, "gateway: pending devices not loaded: %s\n", rows.status().message().c_str());
    return;
  }
  for (const PendingDevice& p : *rows) {
    if (!p.assigned()) continue;
    auto it = reg->devices.find(p.mn);
    if (it == reg->devices.end()) continue;
    HardwareIdentity bound{.hardware_id = p.hardware_id, .cpu_id = p.cpu_id, .mac1 = p.mac1, .mac2 = p.mac2};
    it->second.hardware = bound;
    reg->provisioned[p.hardware_id] = {
        .mn = p.mn, .st = p.st, .pw = it->second.record.password, .bound = std::move(bound)};
  }
}

// The maintenance thread: the 1001s the io threads saw, into the pending list.
void Gateway::Impl::record_sightings() {
  std::vector<PendingSighting> batch;
  uint64_t dropped = 0;
  {
    std::lock_guard<std::mutex> lock(provision_mu);
    batch.swap(sightings);
    dropped = std::exchange(sightings_dropped, 0);
  }
  if (dropped > 0)
    std::fprintf(stderr, "gateway: %llu 1001 sightings not recorded (more than %zu waiting)\n",
                 static_cast<unsigned long long>(dropped), kMaxSightings);
  for (const PendingSighting& s : batch) {
    if (Status r = stores->pending_devices().record_sighting(s); !r.ok()) {
      std::fprintf(stderr, "gateway: 1001 of %s from %s not recorded: %s\n",
                   escape_invalid_utf8(s.hardware_id).c_str(), s.peer.c_str(), r.message().c_str());
    }
  }
}

// After a registry reload: the loggers connected now that the bureau has just provisioned get their 1002.
void Gateway::Impl::bind_provisioned() {
  if (!commands) return;
  const std::shared_ptr<const Registry> reg = registry();
  std::vector<std::pair<std::pair<size_t, uint64_t>, ProvisionedLogger>> due;
  {
    std::lock_guard<std::mutex> lock(provision_mu);
    for (const auto& [hardware_id, where] : logger_connections) {
      if (auto it = reg->provisioned.find(hardware_id);
          it != reg->provisioned.end() && !identity_mismatch(it->second.bound, where.presented))
        due.emplace_back(std::pair(where.thread, where.tag), it->second);
    }
  }
  for (const auto& [where, logger] : due) bind_logger(where.first, where.second, logger);
}

// The logger's connection carries its device's commands (the queued 1002 first); sent in HJ 212-2025.
void Gateway::Impl::bind_logger(size_t thread, uint64_t tag, const ProvisionedLogger& p) {
  {
    std::lock_guard<std::mutex> lock(device_mu);
    device_connections[p.mn] = {thread, tag};
  }
  commands->device_connected(p.mn, p.st, p.pw, 0, 0, hj212::ProtocolVersion::k2025);
}

// The frame's device when it is registered, active, its PW right and (strict devices) the frame without
// deviations; else the frame is refused (9011 in its version) and counted, and nullptr returned. Sets t.mn.
const DeviceRecord* Gateway::Impl::authenticate(IoThread& t, Connection& c, const hj212::Message& m) {
  if (m.has(hj212::DeviationKind::kFlagVersionMismatch)) ++t.counts.version_mismatches;
  if (m.encrypted()) ++t.counts.decrypted;
  t.mn.assign(m.header.mn);
  auto it = t.registry->devices.find(t.mn);
  if (it == t.registry->devices.end() || !it->second.record.active) {
    ++t.counts.auth_failures;
    refuse(t, c, m, hj212::QnRtn::kMnError);
    return nullptr;
  }
  const DeviceRecord& d = it->second.record;
  if (d.password != m.header.pw) {
    ++t.counts.auth_failures;
    refuse(t, c, m, hj212::QnRtn::kPasswordError);
    return nullptr;
  }
  // An MN the bureau gave a logger, on a connection whose 1001 stated other hardware: refused (9011
  // QnRtn=4, MN error: UNCONFIRMED, the standard names no code for it). A connection that stated no identity
  // is not checked (a provisioned logger need not send a 1001 again: UNCONFIRMED, docs/gateway.md).
  if (it->second.hardware && !c.presented.hardware_id.empty() &&
      hardware_mismatch(t, c, *it->second.hardware, t.mn, "a frame")) {
    refuse(t, c, m, hj212::QnRtn::kMnError);
    return nullptr;
  }
  // The reader accepts every deviation the gateway's policy allows; a strict device gets none of them.
  if (d.policy == "strict" && !m.deviations.empty()) {
    ++t.counts.policy_rejections;
    return nullptr;
  }
  // Still under a replaced key (in its grace): the current one goes to the device, once per connection.
  if (m.key_index > 0 && !c.key_pushed) push_key(t, c, m);
  return &d;
}

void Gateway::Impl::accept_message(IoThread& t, Connection& c, const hj212::Message& m,
                                   const hj212::AssembledMessage* whole) {
  const size_t shard =
      writers.size() == 1
          ? 0
          : static_cast<size_t>(ingest->shard_of(m.header.mn, static_cast<int>(writers.size())));
  Lane& lane = t.lanes[shard];
  if (whole) {
    auto rec = source_record_of(m, whole, t.now_ms);  // the parts' CP joined: a copy (rare)
    if (!rec.ok()) {
      ++t.counts.bad_frames;  // an upload without a usable DataTime
      return;
    }
    if (!is_valid_utf8(rec->mn) || !is_valid_utf8(rec->qn) || !is_valid_utf8(rec->cp)) {
      ++t.counts.invalid_text;  // (lenient: a strict gateway or device refused it in the reader)
      rec->mn = replace_invalid_utf8(rec->mn);
      rec->qn = replace_invalid_utf8(rec->qn);
      rec->cp = replace_invalid_utf8(rec->cp);
    }
    lane.chunk->add({.mn = rec->mn,
                     .cn = rec->cn,
                     .data_time = rec->data_time,
                     .qn = rec->qn,
                     .received_ms = rec->received_ms,
                     .flag = rec->flag,
                     .cp = rec->cp});
  } else {
    SourceRecordView v;
    if (!source_record_view_of(m, t.now_ms, &v)) {
      ++t.counts.bad_frames;
      return;
    }
    if (m.has(hj212::DeviationKind::kInvalidUtf8)) {
      // Text is UTF-8 in the store: the bad bytes are stored as U+FFFD (the lenient policy let them in and
      // counted them; the strict one refused the frame in the reader).
      ++t.counts.invalid_text;
      const std::string mn = replace_invalid_utf8(v.mn), qn = replace_invalid_utf8(v.qn),
                        cp = replace_invalid_utf8(v.cp);
      v.mn = mn;
      v.qn = qn;
      v.cp = cp;
      lane.chunk->add(v);  // (copies the bytes)
    } else {
      lane.chunk->add(v);
    }
  }
  const uint64_t seq = lane.next_seq++;
  lane.chunk->last_seq = seq;
  ++t.counts.uploads;
  if (m.header.answer_needed()) {
    const size_t before = lane.answer_bytes.size();
    if (append_data_answer(&lane.answer_bytes, m.header.qn, m.header.pw, m.header.mn,
                           hj212::answer_peer(m).flag)) {
      lane.answers.push_back({.slot = c.slot,
                              .gen = c.gen,
                              .seq = seq,
                              .at = lane.answer_base + before,
                              .size = static_cast<uint32_t>(lane.answer_bytes.size() - before),
                              .read_us = c.last_read_us});
    }
  }
  if (lane.chunk->records.size() >= options.batch_max) push_chunk(t, shard);
}

// DataTime further ahead of Beijing time than max_future_skew_s (a device clock gone wrong, or
// 99991231235959): refused with 9011 QnRtn=2 (not stored, so it cannot become the device's "latest" for
// ever). True when refused.
bool Gateway::Impl::future_data_time(IoThread& t, Connection& c, const hj212::Message& m) {
  if (!m.data_time) return false;
  const int64_t beijing_now = t.now_ms + kBeijingOffsetMs;
  const int64_t ahead_ms = m.data_time->civil_ms() - beijing_now;
  if (ahead_ms <= options.max_future_skew_s * kMsPerSecond) return false;
  ++t.counts.future_refused;
  log_line(
      t, "gateway: {} MN {}: DataTime {} is {} s ahead of Beijing time (limit {} s): refused, not stored",
      c.peer, m.header.mn, m.data_time->to_digits14(), ahead_ms / kMsPerSecond, options.max_future_skew_s);
  refuse(t, c, m, hj212::QnRtn::kRejected);
  return true;
}

// Answers 9011 with the reason (QnRtn) to an upload that is not stored.
void Gateway::Impl::refuse(IoThread& t, Connection& c, const hj212::Message& m, hj212::QnRtn why) {
  if (m.header.qn.empty()) return;
  auto answer = hj212::encode_request_answer(m.header.qn, hj212::answer_peer(m), why);
  if (answer.ok()) {
    ++t.counts.answers;
    queue_answer(t, c, *answer, nullptr);
  }
}

bool Gateway::Impl::take_token(Connection& c, int64_t now) {
  c.tokens = std::min(options.max_frames_burst, c.tokens + static_cast<double>(now - c.last_refill_ms) *
                                                               options.max_frames_per_second / 1000.0);
  c.last_refill_ms = now;
  if (c.tokens < 1) return false;
  c.tokens -= 1;
  return true;
}

// Adds an answer to the connection's output (sent at the end of the loop round, with the others due to it).
void Gateway::Impl::queue_answer(IoThread& t, Connection& c, std::string_view frame, const int64_t* read_us) {
  if (c.dead) return;
  if (c.out.size() - c.out_sent + frame.size() > kMaxQueuedAnswersBytes) {
    close_connection(t, c);  // the peer does not read its answers
    return;
  }
  c.out.append(frame);
  if (read_us) c.out_read_us.push_back(*read_us);
  if (!c.dirty) {
    c.dirty = true;
    t.dirty.push_back(c.slot);
  }
}

// Writes what is queued for the connection in one send(); what the socket does not take waits for EPOLLOUT.
void Gateway::Impl::flush(IoThread& t, Connection& c) {
  c.dirty = false;
  while (c.out_sent < c.out.size()) {
    const ssize_t n = send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c.want_out) {
        c.want_out = true;
        set_interest(t, c);
      }
      return;
    }
    close_connection(t, c);
    return;
  }
  const int64_t now = steady_us();
  for (int64_t r : c.out_read_us) t.latency.add(now - r);
  c.out_read_us.clear();
  c.out.clear();
  c.out_sent = 0;
  if (c.want_out) {
    c.want_out = false;
    set_interest(t, c);
  }
}

// Takes the writer's commit notices: the answers of committed uploads go to their connections (dropped for
// uploads that were not stored), then every connection with something due gets one send().
void Gateway::Impl::hand_out_answers(IoThread& t) {
  if (commands) hand_out_commands(t);
  {
    std::lock_guard<std::mutex> lock(t.mu);
    t.durable_taken.swap(t.durable);
  }
  const int64_t taken_us = t.durable_taken.empty() ? 0 : steady_us();
  for (const Durable& d : t.durable_taken) {
    Lane& lane = t.lanes[d.shard];
    while (!lane.answers.empty() && lane.answers.front().seq <= d.upto) {
      const PendingAnswer& a = lane.answers.front();
      if (d.ok && a.slot < t.slots.size() && t.slots[a.slot] && t.slots[a.slot]->gen == a.gen &&
          !t.slots[a.slot]->dead) {
        ++t.counts.answers;
        t.queued.add(d.commit_start_us - a.read_us);
        t.commit.add(d.commit_end_us - d.commit_start_us);
        t.notice.add(taken_us - d.commit_end_us);
        queue_answer(t, *t.slots[a.slot],
                     std::string_view(lane.answer_bytes).substr(a.at - lane.answer_base, a.size), &a.read_us);
      }
      lane.answers.pop_front();
    }
  }
  t.durable_taken.clear();
  // Forget the bytes of answers handed out.
  for (Lane& lane : t.lanes) {
    if (lane.answers.empty()) {
      lane.answer_base += lane.answer_bytes.size();
      lane.answer_bytes.clear();
    } else if (const size_t used = lane.answers.front().at - lane.answer_base;
               used >= kAnswerBytesCompactAt) {
      lane.answer_bytes.erase(0, used);
      lane.answer_base += used;
    }
  }
  t.counts.flush_into(counters);  // counted before a peer sees its answer
  for (uint32_t slot : t.dirty) {
    if (t.slots[slot] && t.slots[slot]->dirty && !t.slots[slot]->dead) flush(t, *t.slots[slot]);
  }
  t.dirty.clear();
}

void Gateway::Impl::push_chunks(IoThread& t) {
  for (size_t k = 0; k < t.lanes.size(); ++k) push_chunk(t, k);
}

// Hands the thread's uploads of this round for one shard to its writer: one lock, and a wakeup only when the
// writer waits for its first upload or a full batch.
void Gateway::Impl::push_chunk(IoThread& t, size_t shard) {
  Lane& lane = t.lanes[shard];
  if (lane.chunk->records.empty()) return;
  lane.chunk->thread = t.index;
  lane.chunk->shard = shard;
  const size_t n = lane.chunk->records.size();
  ShardWriter& w = *writers[shard];
  bool wake_writer = false;
  {
    std::lock_guard<std::mutex> lock(w.mu);
    const size_t before = w.queued_records;
    w.queued_records += n;
    w.queue.push_back(std::move(lane.chunk));
    wake_writer =
        w.waiting && (before == 0 || (before < options.batch_max && w.queued_records >= options.batch_max));
  }
  if (wake_writer) w.queue_cv.notify_one();
  {
    std::lock_guard<std::mutex> lock(t.mu);
    if (!t.free_chunks.empty()) {
      lane.chunk = std::move(t.free_chunks.back());
      t.free_chunks.pop_back();
    }
  }
  if (!lane.chunk) lane.chunk = std::make_unique<Chunk>();
}

// ---- the writer ----

void Gateway::Impl::writer_loop(ShardWriter& w) {
  std::vector<std::unique_ptr<Chunk>> taken;
  std::vector<SourceRecordView> views;
  std::vector<uint64_t> upto(io_threads.size());
  std::vector<size_t> conflicts;  // indices into views of the batch's conflicting re-sends
  const auto all_flushed = [&] { return stopping.load() && w.flushed_threads == io_threads.size(); };
  while (true) {
    {
      std::unique_lock<std::mutex> lock(w.mu);
      w.waiting = true;
      w.queue_cv.wait_for(lock, std::chrono::milliseconds(200),
                          [&] { return all_flushed() || !w.queue.empty(); });
      if (options.batch_wait_ms > 0 && !w.queue.empty() && w.queued_records < options.batch_max &&
          !stopping.load()) {
        // Let a batch fill for a moment: fewer, larger transactions.
        w.queue_cv.wait_for(lock, std::chrono::milliseconds(options.batch_wait_ms),
                            [&] { return stopping.load() || w.queued_records >= options.batch_max; });
      }
      w.waiting = false;
      size_t n = 0;
      while (!w.queue.empty() &&
             (taken.empty() || n + w.queue.front()->records.size() <= options.batch_max)) {
        n += w.queue.front()->records.size();
        taken.push_back(std::move(w.queue.front()));
        w.queue.pop_front();
      }
      w.queued_records -= n;
      if (taken.empty() && all_flushed()) break;
    }
    if (!taken.empty()) w.space_cv.notify_all();
    if (!taken.empty()) {
      views.clear();
      std::fill(upto.begin(), upto.end(), 0);
      for (const auto& chunk : taken) {
        for (const Chunk::Span& s : chunk->records) views.push_back(chunk->view(s));
        upto[chunk->thread] = std::max(upto[chunk->thread], chunk->last_seq);
      }
      // In key order (each insert finds its B-tree pages next to the previous one's: warm caches); stable, so
      // of two uploads with the same key in one batch the first is the one stored, as before.
      std::stable_sort(views.begin(), views.end(), [](const SourceRecordView& a, const SourceRecordView& b) {
        if (a.mn != b.mn) return a.mn < b.mn;
        if (a.cn != b.cn) return a.cn < b.cn;
        return a.data_time < b.data_time;
      });
      const int64_t commit_start_us = steady_us();
      auto added = w.out->insert(std::span<const SourceRecordView>(views), &conflicts);
      const int64_t commit_end_us = steady_us();
      if (added.ok()) {
        // Before any answer goes out: a device (or a test) that has its answer finds the record handed to the
        // live events and the station feed already (their own threads judge and merge it).
        if (live_events) live_events->committed(views);
        if (station_feed) station_feed->committed(views);
        counters.commits.fetch_add(1, std::memory_order_relaxed);
        counters.stored.fetch_add(static_cast<uint64_t>(*added), std::memory_order_relaxed);
        counters.conflicts.fetch_add(conflicts.size(), std::memory_order_relaxed);
        counters.duplicates.fetch_add(views.size() - static_cast<uint64_t>(*added) - conflicts.size(),
                                      std::memory_order_relaxed);
      } else {
        // Not stored, not answered: the devices will send again.
        counters.store_errors.fetch_add(views.size(), std::memory_order_relaxed);
      }
      // Durable now (or failed): tell each io thread once, first, so that the answers go out while the rest
      // of this round runs (the conflict lines, the chunks' return, the shard's upkeep).
      for (size_t i = 0; i < io_threads.size(); ++i) {
        if (upto[i] == 0) continue;
        IoThread& t = *io_threads[i];
        {
          std::lock_guard<std::mutex> lock(t.mu);
          t.durable.push_back({.shard = w.shard,
                               .upto = upto[i],
                               .ok = added.ok(),
                               .commit_start_us = commit_start_us,
                               .commit_end_us = commit_end_us});
        }
        wake(t.wake_fd);
      }
      if (added.ok()) {
        // A re-sent upload with other values: kept as another version (sources records shows it), logged.
        for (size_t i = 0; i < std::min(conflicts.size(), kConflictLinesPerCommit); ++i) {
          const SourceRecordView& v = views[conflicts[i]];
          std::fprintf(
              stderr,
              "gateway: conflict: MN %s CN %d DataTime %lld re-sent with other values; kept as another "
              "version (sources records --mn shows both)\n",
              escape_invalid_utf8(v.mn).c_str(), v.cn, static_cast<long long>(v.data_time));
        }
        if (conflicts.size() > kConflictLinesPerCommit) {
          std::fprintf(stderr, "gateway: %zu more conflicts in this commit\n",
                       conflicts.size() - kConflictLinesPerCommit);
        }
      }
      // The chunks (which the views above point into) back to their io threads for reuse: no wakeup, taken
      // at their next push.
      for (size_t i = 0; i < io_threads.size(); ++i) {
        if (upto[i] == 0) continue;
        IoThread& t = *io_threads[i];
        std::lock_guard<std::mutex> lock(t.mu);
        for (auto& chunk : taken) {
          if (chunk && chunk->thread == i) {
            chunk->clear();
            t.free_chunks.push_back(std::move(chunk));
          }
        }
      }
      taken.clear();
      // The shard's upkeep on this thread between two batches; the rest on the maintenance thread when asked.
      if (w.out->settle()) {
        {
          std::lock_guard<std::mutex> lock(maintenance_mu);
          maintenance_due = true;
        }
        maintenance_cv.notify_one();
      }
    }
  }
  writers_done.fetch_add(1, std::memory_order_acq_rel);
  for (auto& t : io_threads) wake(t->wake_fd);
  maintenance_cv.notify_one();
}

// Runs the shards' maintainers beside the writers' commits (SourceShardMaintainer: it never waits for a
// writer and a writer never waits for it), when a writer asks or once a second; ends after the writers.
void Gateway::Impl::maintenance_loop() {
  std::vector<std::unique_ptr<SourceShardMaintainer>> maintainers;  // null where a shard needs none
  for (const auto& w : writers) {
    auto m = ingest->open_maintainer(static_cast<int>(w->shard));
    if (!m.ok()) {
      std::fprintf(stderr, "gateway: no background maintenance of the source shards: %s\n",
                   m.status().message().c_str());
      maintainers.clear();  // the writers keep their shards bounded themselves (settle); the registry still
                            // reloads
      break;
    }
    maintainers.push_back(std::move(*m));
  }
  // The device registry is reloaded here too (10,000 devices take 12-18 ms, which on a writer's thread held
  // that shard's answers), when it changed (RegistryWatch): a device registered, changed or removed by any
  // program is taken within about a second.
  while (true) {
    {
      std::unique_lock<std::mutex> lock(maintenance_mu);
      maintenance_cv.wait_for(lock, std::chrono::milliseconds(kMaintenanceIdleMs),
                              [&] { return maintenance_due || all_writers_done(); });
      maintenance_due = false;
    }
    const bool last = all_writers_done();
    for (auto& m : maintainers) {
      if (m) (void)m->maintain(last);  // a failure is retried at the next round
    }
    if (last) break;
    record_sightings();
    if (registry_watch.due(*ingest)) {
      if (Status s = load_registry(*ingest); !s.ok()) {
        std::fprintf(stderr, "gateway: registry not reloaded: %s\n", s.message().c_str());
      } else {
        bind_provisioned();
      }
    }
  }
}

void Gateway::Impl::stop() {
  std::call_once(stop_once, [this] {
    // 1. No new connections or reads; each io thread hands its last uploads to the writer.
    stopping.store(true, std::memory_order_release);
    for (auto& t : io_threads) wake(t->wake_fd);
    for (auto& w : writers) w->queue_cv.notify_all();
    // 2. The writer commits everything queued and hands out its answers; 3. the io threads write them (for at
    // most kShutdownGraceMs) and close the connections.
    if (commands) commands->stop();
    for (auto& w : writers) {
      if (w->thread.joinable()) w->thread.join();
    }
    if (maintenance.joinable()) maintenance.join();
    if (live_events) live_events->stop();    // judges the last commits
    if (station_feed) station_feed->stop();  // merges the last stations' hours
    for (auto& t : io_threads) {
      if (t->thread.joinable()) t->thread.join();
    }
    {
      std::lock_guard<std::mutex> lock(done_mu);
      done = true;
    }
    done_cv.notify_all();
  });
}

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gateway::~Gateway() { stop(); }

StatusOr<std::unique_ptr<Gateway>> Gateway::start(const GatewayOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  ECOMON_RETURN_IF_ERROR(impl->open());
  impl->run();
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

uint16_t Gateway::port() const { return impl_->bound_port; }

GatewayStats Gateway::stats() const {
  const Counters& c = impl_->counters;
  GatewayStats s;
  s.connections_accepted = c.connections_accepted;
  s.connections_refused = c.connections_refused;
  s.connections_open = c.connections_open;
  s.frames = c.frames;
  s.bad_frames = c.bad_frames;
  s.dropped_bytes = c.dropped_bytes;
  s.auth_failures = c.auth_failures;
  s.rate_limited = c.rate_limited;
  s.uploads = c.uploads;
  s.stored = c.stored;
  s.duplicates = c.duplicates;
  s.answers = c.answers;
  s.commits = c.commits;
  s.ignored = c.ignored;
  s.idle_closed = c.idle_closed;
  s.store_errors = c.store_errors;
  s.policy_rejections = c.policy_rejections;
  s.future_refused = c.future_refused;
  s.invalid_text = c.invalid_text;
  s.conflicts = c.conflicts;
  s.accept_pauses = c.accept_pauses;
  s.connection_errors = c.connection_errors;
  s.decrypt_failures = c.decrypt_failures;
  s.decrypted = c.decrypted;
  s.version_mismatches = c.version_mismatches;
  s.heartbeats = c.heartbeats;
  s.key_requests = c.key_requests;
  s.keys_pushed = c.keys_pushed;
  s.hardware_notices = c.hardware_notices;
  s.hardware_mismatches = c.hardware_mismatches;
  s.device_keys = impl_->registry()->key_count;
  s.max_connections = impl_->options.max_connections;
  std::vector<uint64_t> totals(LatencyHistogram::kBuckets);
  int64_t max_us = 0;
  for (const auto& t : impl_->io_threads) max_us = std::max(max_us, t->latency.add_to(&totals));
  s.answer_p50_ms = LatencyHistogram::percentile_ms(totals, max_us, 0.50);
  s.answer_p99_ms = LatencyHistogram::percentile_ms(totals, max_us, 0.99);
  s.answer_max_ms = static_cast<double>(max_us) / 1000.0;
  const auto stage = [&](LatencyHistogram Impl::IoThread::*h, double* p50, double* p99) {
    std::vector<uint64_t> sum(LatencyHistogram::kBuckets);
    int64_t top = 0;
    for (const auto& t : impl_->io_threads) top = std::max(top, ((*t).*h).add_to(&sum));
    *p50 = LatencyHistogram::percentile_ms(sum, top, 0.50);
    *p99 = LatencyHistogram::percentile_ms(sum, top, 0.99);
  };
  stage(&Impl::IoThread::queued, &s.stage_queued_p50_ms, &s.stage_queued_p99_ms);
  stage(&Impl::IoThread::commit, &s.stage_commit_p50_ms, &s.stage_commit_p99_ms);
  stage(&Impl::IoThread::notice, &s.stage_notice_p50_ms, &s.stage_notice_p99_ms);
  return s;
}

void Gateway::stop() { impl_->stop(); }

LiveEvents* Gateway::live_events() { return impl_->live_events.get(); }
StationFeed* Gateway::station_feed() { return impl_->station_feed.get(); }

// ---- downstream commands ----

void Gateway::Impl::bind_device(IoThread& t, Connection& c, const hj212::Message& m, const DeviceRecord& d) {
  c.bound_mn = t.mn;
  {
    std::lock_guard<std::mutex> lock(device_mu);
    device_connections[t.mn] = {t.index, c.tag()};
  }
  commands->device_connected(t.mn, m.header.st, m.header.pw, d.rtd_interval_s, d.min_interval_min, m.version);
}

// Hands a command frame to the io thread of the device's connection (any thread); false when none is known.
bool Gateway::Impl::send_to_device(const std::string& mn, std::string frame) {
  std::pair<size_t, uint64_t> where;
  {
    std::lock_guard<std::mutex> lock(device_mu);
    auto it = device_connections.find(mn);
    if (it == device_connections.end()) return false;
    where = it->second;
  }
  IoThread& t = *io_threads[where.first];
  {
    std::lock_guard<std::mutex> lock(t.mu);
    t.commands_out.emplace_back(where.second, std::move(frame));
  }
  wake(t.wake_fd);
  return true;
}

// Queues the command frames for this thread's connections (dropped when the connection has gone: the
// dispatcher's answer timeout sends them again).
void Gateway::Impl::hand_out_commands(IoThread& t) {
  std::vector<std::pair<uint64_t, std::string>> frames;
  {
    std::lock_guard<std::mutex> lock(t.mu);
    frames.swap(t.commands_out);
  }
  for (const auto& [tag, frame] : frames) {
    const auto slot = static_cast<uint32_t>(tag >> kSlotShift);
    const auto gen = static_cast<uint32_t>(tag);
    if (slot < t.slots.size() && t.slots[slot] && t.slots[slot]->gen == gen && !t.slots[slot]->dead) {
      queue_answer(t, *t.slots[slot], frame, nullptr);
    }
  }
}

void Gateway::wait() {
  std::unique_lock<std::mutex> lock(impl_->done_mu);
  impl_->done_cv.wait(lock, [&] { return impl_->done; });
}

Status parse_listen_address(const std::string& text, std::string* address, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 >= text.size()) {
    return invalid_argument("--listen '" + text + "' is not ADDR:PORT");
  }
  std::string a = text.substr(0, colon);
  if (a.size() >= 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
  int p = 0;
  for (char ch : text.substr(colon + 1)) {
    if (ch < '0' || ch > '9') return invalid_argument("--listen '" + text + "': bad port");
    p = p * 10 + (ch - '0');
    if (p > 65535) return invalid_argument("--listen '" + text + "': port above 65535");
  }
  *address = a.empty() ? "0.0.0.0" : a;
  *port = static_cast<uint16_t>(p);
  return Status();
}

Status socket_address(const std::string& text, sockaddr_storage* out, socklen_t* length) {
  std::string address;
  uint16_t port = 0;
  ECOMON_RETURN_IF_ERROR(parse_listen_address(text, &address, &port));
  *out = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *length = sizeof *v4;
    return Status();
  }
  if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *length = sizeof *v6;
    return Status();
  }
  return invalid_argument("bad address '" + address + "'");
}

}  // namespace ecomon
