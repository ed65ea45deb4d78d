// clang-format off
#include <utility>  // before Asio: Boost 1.74 Asio with g++ 12 needs it first
// clang-format on
#include "gateway/gateway.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gateway/source_record.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/reassembler.h"
#include "ingest/hj212/stream_reader.h"
#include "store/sqlite_store.h"

namespace ecomon {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kReadBuffer = 16 * 1024;
constexpr size_t kMaxQueuedAnswersBytes = 1 << 20;  // a connection that does not read its answers is closed
constexpr int kShutdownGraceMs = 2000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Answer latencies, added from any io thread: 100 µs buckets up to 1 s, 10 ms buckets up to 60 s, then one
// overflow bucket (reported as the maximum seen).
class LatencyHistogram {
 public:
  void add(int64_t us) {
    counts_[bucket_of(us)].fetch_add(1, std::memory_order_relaxed);
    int64_t seen = max_us_.load(std::memory_order_relaxed);
    while (us > seen && !max_us_.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
    }
  }
  // The upper edge of the bucket holding the p-quantile (the maximum for the overflow bucket); 0 when empty.
  double percentile_ms(double p) const {
    uint64_t total = 0;
    for (const auto& c : counts_) total += c.load(std::memory_order_relaxed);
    if (total == 0) return 0;
    const uint64_t rank =
        std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p * static_cast<double>(total))));
    uint64_t seen = 0;
    for (size_t i = 0; i < kFine + kCoarse; ++i) {
      seen += counts_[i].load(std::memory_order_relaxed);
      if (seen >= rank) return static_cast<double>(upper_edge_us(i)) / 1000.0;
    }
    return max_ms();
  }
  double max_ms() const { return static_cast<double>(max_us_.load(std::memory_order_relaxed)) / 1000.0; }

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
  std::array<std::atomic<uint64_t>, kFine + kCoarse + 1> counts_{};
  std::atomic<int64_t> max_us_{0};
};

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;  // civil (Beijing) time = UTC+8
bool is_upload(uint16_t cn) {
  return cn == 2011 || cn == 2021 || cn == 2031 || cn == 2041 || cn == 2051 || cn == 2061 || cn == 2081;
}

void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace

class Connection;

// An upload waiting for the writer, and who to answer once it is durable.
struct PendingUpload {
  SourceRecord record;
  std::weak_ptr<Connection> connection;
  std::string answer;  // the 9014 frame, or empty when the device asked for none
  int64_t read_us = 0;  // steady clock when its last byte was read
};

struct Counters {
  std::atomic<uint64_t> connections_accepted{0}, connections_refused{0}, connections_open{0}, frames{0},
      bad_frames{0}, dropped_bytes{0}, auth_failures{0}, rate_limited{0}, uploads{0}, stored{0}, duplicates{0},
      answers{0}, commits{0}, ignored{0}, idle_closed{0}, store_errors{0}, policy_rejections{0};
  LatencyHistogram answer_latency;
};

using Registry = std::unordered_map<std::string, DeviceRecord>;

class Gateway::Impl {
 public:
  explicit Impl(GatewayOptions o) : options(std::move(o)), acceptor(io), work(asio::make_work_guard(io)) {}

  Status open();
  void run();
  void stop();
  void accept();
  void writer_loop();
  void enqueue(PendingUpload p);
  std::shared_ptr<const Registry> registry() {
    std::lock_guard<std::mutex> lock(registry_mu);
    return registry_;
  }
  Status load_registry(SqliteStore& store);
  void forget(Connection* c);

  GatewayOptions options;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::vector<std::thread> io_threads;
  std::thread writer;
  std::unique_ptr<SqliteStore> store;
  Counters counters;

  std::mutex registry_mu;
  std::shared_ptr<const Registry> registry_ = std::make_shared<Registry>();
  std::atomic<uint64_t> registry_version{0};  // incremented by every load_registry()

  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<PendingUpload> queue;
  bool stopping = false;

  std::mutex conn_mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;

  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
  std::once_flag stop_once;

  // Live events and downstream commands (null when switched off).
  std::unique_ptr<LiveEvents> live_events;
  std::unique_ptr<CommandDispatcher> commands;
  std::mutex device_mu;
  std::unordered_map<std::string, std::weak_ptr<Connection>> device_connections;  // MN -> its connection
  void bind_device(const std::string& mn, std::string_view st, std::string_view pw,
                   std::weak_ptr<Connection> c);
  bool send_to_device(const std::string& mn, std::string frame);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Gateway::Impl& gw, tcp::socket socket)
      : gw_(gw),
        socket_(std::move(socket)),
        strand_(asio::make_strand(gw.io)),
        idle_(strand_),
        reader_(hj212::StreamOptions{.decode = {.policy = gw.options.policy}}),
        tokens_(gw.options.max_frames_burst),
        last_refill_ms_(now_ms()) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      self->arm_idle();
      self->read();
    });
  }

  // Queues answers to send (any thread); read_us: when each answered upload was read, for the latency
  // figures.
  void send(std::string frames, std::vector<int64_t> read_us) {
    asio::post(strand_, [self = shared_from_this(), f = std::move(frames), r = std::move(read_us)]() mutable {
      self->queue_write(std::move(f), std::move(r));
    });
  }

  void close() {
    asio::post(strand_, [self = shared_from_this()] { self->do_close(); });
  }

  const std::string& peer() const { return peer_; }

 private:
  // One timer per connection that wakes every idle_timeout/2 and closes the connection when nothing was read for
  // idle_timeout (re-arming a timer on every read would cost a cancelled handler per frame).
  void arm_idle() {
    int half_ms = std::max(1, gw_.options.idle_timeout_s * 1000 / 2);
    idle_.expires_after(std::chrono::milliseconds(half_ms));
    idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->closed_) return;
      if (now_ms() - self->last_read_ms_ >= int64_t{self->gw_.options.idle_timeout_s} * 1000) {
        ++self->gw_.counters.idle_closed;
        self->do_close();
        return;
      }
      self->arm_idle();
    });
  }

  void read() {
    if (closed_) return;
    socket_.async_read_some(asio::buffer(buf_), asio::bind_executor(strand_, [self = shared_from_this()](
                                                                                 const boost::system::error_code& ec, size_t n) {
                              self->on_read(ec, n);
                            }));
  }

  void on_read(const boost::system::error_code& ec, size_t n) {
    if (ec || closed_) {
      do_close();
      return;
    }
    last_read_ms_ = now_ms();
    last_read_us_ = steady_us();
    reader_.set_received_at(last_read_ms_ + kBeijingOffsetMs);
    reader_.feed_all(std::string_view(buf_.data(), n), [&](const hj212::StreamEvent& ev) { on_event(ev); });
    read();
  }

  void on_event(const hj212::StreamEvent& ev) {
    if (ev.kind == hj212::StreamEvent::Kind::kDropped) {
      gw_.counters.dropped_bytes += ev.size;
      if (ev.error.kind != hj212::ErrorKind::kNoFrameStart) ++gw_.counters.bad_frames;
      return;
    }
    ++gw_.counters.frames;
    const hj212::Message& m = *ev.message;
    if (!is_upload(m.header.command)) {
      // Answers to our commands go to the dispatcher; notices and the rest: not stored here.
      if (!gw_.commands || !gw_.commands->device_frame(m)) ++gw_.counters.ignored;
      return;
    }
    if (!take_token()) {
      ++gw_.counters.rate_limited;
      return;
    }
    // The registry snapshot is fetched again only when it was reloaded (no lock or allocation per frame).
    if (const uint64_t v = gw_.registry_version.load(std::memory_order_acquire); v != registry_version_) {
      registry_ = gw_.registry();
      registry_version_ = v;
    }
    mn_.assign(m.header.mn);
    auto it = registry_->find(mn_);
    if (it == registry_->end() || !it->second.active) {
      refuse(m, hj212::QnRtn::kMnError);
      return;
    }
    if (it->second.password != m.header.pw) {
      refuse(m, hj212::QnRtn::kPasswordError);
      return;
    }
    // The reader accepts every deviation the gateway's policy allows; a strict device gets none of them.
    if (it->second.policy == "strict" && !m.deviations.empty()) {
      ++gw_.counters.policy_rejections;
      return;
    }
    if (gw_.commands && bound_mn_ != mn_) {  // commands for this device go out on this connection
      bound_mn_ = mn_;
      gw_.bind_device(mn_, m.header.st, m.header.pw, weak_from_this());
    }
    if (m.header.split()) {
      auto part = reassembler_.add(m, now_ms());
      if (part.outcome != hj212::PartOutcome::kCompleted) return;
      accept(*part.message->parts().front(), part.message.get());
      return;
    }
    accept_message(m, nullptr);
  }

  void accept(const hj212::OwnedMessage& first, const hj212::AssembledMessage* whole) {
    accept_message(first.message(), whole);
  }

  void accept_message(const hj212::Message& m, const hj212::AssembledMessage* whole) {
    auto rec = source_record_of(m, whole, now_ms());
    if (!rec.ok()) {
      ++gw_.counters.bad_frames;  // an upload without a usable DataTime
      return;
    }
    PendingUpload p;
    p.record = std::move(*rec);
    p.connection = weak_from_this();
    p.read_us = last_read_us_;
    if (m.header.answer_needed()) {
      auto answer = hj212::encode_data_answer(m.header.qn, hj212::Peer{m.header.pw, m.header.mn});
      if (answer.ok()) p.answer = std::move(*answer);
    }
    ++gw_.counters.uploads;
    gw_.enqueue(std::move(p));
  }

  void refuse(const hj212::Message& m, hj212::QnRtn why) {
    ++gw_.counters.auth_failures;
    if (m.header.qn.empty()) return;
    auto answer = hj212::encode_request_answer(m.header.qn, hj212::Peer{m.header.pw, m.header.mn}, why);
    if (answer.ok()) {
      ++gw_.counters.answers;
      queue_write(std::move(*answer));
    }
  }

  bool take_token() {
    int64_t t = now_ms();
    tokens_ = std::min(gw_.options.max_frames_burst,
                       tokens_ + static_cast<double>(t - last_refill_ms_) * gw_.options.max_frames_per_second / 1000.0);
    last_refill_ms_ = t;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void queue_write(std::string frame, std::vector<int64_t> read_us = {}) {
    if (closed_) return;
    queued_bytes_ += frame.size();
    if (queued_bytes_ > kMaxQueuedAnswersBytes) {
      do_close();  // the peer does not read its answers
      return;
    }
    out_.push_back(std::move(frame));
    out_read_us_.insert(out_read_us_.end(), read_us.begin(), read_us.end());
    if (!writing_) write_next();
  }

  // Writes everything queued so far in one write.
  void write_next() {
    if (out_.empty() || closed_) {
      writing_ = false;
      return;
    }
    writing_ = true;
    inflight_.clear();
    for (std::string& f : out_) inflight_ += f;
    out_.clear();
    inflight_read_us_.swap(out_read_us_);
    out_read_us_.clear();
    asio::async_write(socket_, asio::buffer(inflight_),
                      asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                        if (ec) {
                          self->do_close();
                          return;
                        }
                        self->queued_bytes_ -= self->inflight_.size();
                        const int64_t now = steady_us();
                        for (int64_t t : self->inflight_read_us_)
                          self->gw_.counters.answer_latency.add(now - t);
                        self->inflight_read_us_.clear();
                        self->write_next();
                      }));
  }

  void do_close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    idle_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    gw_.forget(this);
  }

  Gateway::Impl& gw_;
  tcp::socket socket_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer idle_;
  hj212::StreamReader reader_;
  hj212::Reassembler reassembler_;
  std::array<char, kReadBuffer> buf_{};
  std::deque<std::string> out_;
  std::string inflight_;
  std::vector<int64_t> out_read_us_;       // read times of the answered uploads in out_
  std::vector<int64_t> inflight_read_us_;  // ... and in inflight_
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  double tokens_;
  int64_t last_refill_ms_;
  int64_t last_read_ms_ = now_ms();
  int64_t last_read_us_ = steady_us();
  std::shared_ptr<const Registry> registry_;
  uint64_t registry_version_ = 0;  // 0: never fetched (the gateway's versions start at 1)
  std::string mn_;                 // lookup key, reused
  std::string bound_mn_;           // the device whose commands this connection carries
  std::string peer_;
};

Status Gateway::Impl::load_registry(SqliteStore& s) {
  auto devices = s.devices();
  if (!devices.ok()) return devices.status();
  auto reg = std::make_shared<Registry>();
  for (DeviceRecord& d : *devices) {
    std::string mn = d.mn;
    reg->emplace(std::move(mn), std::move(d));
  }
  std::lock_guard<std::mutex> lock(registry_mu);
  registry_ = std::move(reg);
  registry_version.fetch_add(1, std::memory_order_release);
  return Status();
}

Status Gateway::Impl::open() {
  raise_fd_limit();
  auto s = SqliteStore::open(options.db);
  if (!s.ok()) return s.status();
  store = std::move(*s);
  ECOMON_RETURN_IF_ERROR(store->set_full_sync());
  ECOMON_RETURN_IF_ERROR(load_registry(*store));
  if (options.events.enabled) {
    LiveEventOptions e = options.events;
    e.registry_refresh_s = options.registry_refresh_s;
    auto le = LiveEvents::start(options.db, std::move(e));
    if (!le.ok()) return le.status();
    live_events = std::move(*le);
  }
  if (options.commands.enabled) {
    auto cd = CommandDispatcher::start(
        options.db, options.commands,
        [this](const std::string& mn, std::string f) { return send_to_device(mn, std::move(f)); });
    if (!cd.ok()) return cd.status();
    commands = std::move(*cd);
  }
  std::string address;
  uint16_t port = 0;
  ECOMON_RETURN_IF_ERROR(parse_listen_address(options.listen, &address, &port));
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) return invalid_argument("--listen: bad address '" + address + "'");
  tcp::endpoint ep(addr, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status(StatusCode::kUnavailable, "cannot listen on " + options.listen + ": " + ec.message());
  return Status();
}

void Gateway::Impl::run() {
  accept();
  writer = std::thread([this] { writer_loop(); });
  for (int i = 0; i < std::max(1, options.io_threads); ++i) io_threads.emplace_back([this] { io.run(); });
}

void Gateway::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      accept();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(conn_mu);
      if (connections.size() >= options.max_connections) {
        ++counters.connections_refused;
        boost::system::error_code ignore;
        socket.close(ignore);
        accept();
        return;
      }
    }
    socket.set_option(tcp::no_delay(true));
    auto c = std::make_shared<Connection>(*this, std::move(socket));
    {
      std::lock_guard<std::mutex> lock(conn_mu);
      connections.emplace(c.get(), c);
    }
    ++counters.connections_accepted;
    ++counters.connections_open;
    c->start();
    accept();
  });
}

void Gateway::Impl::bind_device(const std::string& mn, std::string_view st, std::string_view pw,
                                std::weak_ptr<Connection> c) {
  {
    std::lock_guard<std::mutex> lock(device_mu);
    device_connections[mn] = std::move(c);
  }
  commands->device_connected(mn, st, pw);
}

bool Gateway::Impl::send_to_device(const std::string& mn, std::string frame) {
  std::shared_ptr<Connection> c;
  {
    std::lock_guard<std::mutex> lock(device_mu);
    auto it = device_connections.find(mn);
    if (it == device_connections.end()) return false;
    c = it->second.lock();
    if (!c) {
      device_connections.erase(it);
      return false;
    }
  }
  c->send(std::move(frame), {});
  return true;
}

void Gateway::Impl::forget(Connection* c) {
  std::lock_guard<std::mutex> lock(conn_mu);
  if (connections.erase(c) > 0) --counters.connections_open;
}

void Gateway::Impl::enqueue(PendingUpload p) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mu);
    queue.push_back(std::move(p));
    // The writer waits for the first upload, then for a full batch (or its batch_wait_ms): wake it only then,
    // not with a futex call per upload.
    wake = queue.size() == 1 || queue.size() == options.batch_max;
  }
  if (wake) queue_cv.notify_one();
}

void Gateway::Impl::writer_loop() {
  std::vector<PendingUpload> batch;
  std::vector<SourceRecord> records;
  auto last_refresh = std::chrono::steady_clock::now();
  while (true) {
    {
      std::unique_lock<std::mutex> lock(queue_mu);
      queue_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping || !queue.empty(); });
      if (!queue.empty() && queue.size() < options.batch_max && !stopping) {
        // Let a batch fill for a moment: fewer, larger transactions.
        queue_cv.wait_for(lock, std::chrono::milliseconds(options.batch_wait_ms),
                          [&] { return stopping || queue.size() >= options.batch_max; });
      }
      while (!queue.empty() && batch.size() < options.batch_max) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      if (batch.empty() && stopping) return;
    }
    if (!batch.empty()) {
      records.clear();
      // Moved, not copied: the answers need only the connection and the answer frame (three allocations and a
      // copy of the CP text less per upload in the one writer thread).
      for (PendingUpload& p : batch) records.push_back(std::move(p.record));
      auto added = store->insert_source_records(records);
      if (added.ok()) {
        ++counters.commits;
        counters.stored += static_cast<uint64_t>(*added);
        counters.duplicates += records.size() - static_cast<uint64_t>(*added);
        if (live_events) live_events->committed(records);  // judged on the events' own thread
        // Durable now: answer, one write per connection and batch.
        struct Answers {
          std::shared_ptr<Connection> connection;
          std::string frames;
          std::vector<int64_t> read_us;
        };
        std::unordered_map<Connection*, Answers> answers;
        for (PendingUpload& p : batch) {
          if (p.answer.empty()) continue;
          if (auto c = p.connection.lock()) {
            ++counters.answers;
            Answers& slot = answers[c.get()];
            if (!slot.connection) slot.connection = std::move(c);
            slot.frames += p.answer;
            slot.read_us.push_back(p.read_us);
          }
        }
        for (auto& [raw, a] : answers) a.connection->send(std::move(a.frames), std::move(a.read_us));
      } else {
        // Not stored, not answered: the devices will send again.
        counters.store_errors += batch.size();
      }
      batch.clear();
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_refresh > std::chrono::seconds(options.registry_refresh_s)) {
      (void)load_registry(*store);
      last_refresh = now;
    }
  }
}

void Gateway::Impl::stop() {
  std::call_once(stop_once, [this] {
    // 1. No new connections or reads.
    asio::post(io, [this] {
      boost::system::error_code ec;
      acceptor.close(ec);
    });
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard<std::mutex> lock(conn_mu);
      for (auto& [p, w] : connections) {
        if (auto c = w.lock()) open.push_back(c);
      }
    }
    // 2. Commit everything queued and hand out its answers.
    {
      std::lock_guard<std::mutex> lock(queue_mu);
      stopping = true;
    }
    queue_cv.notify_all();
    if (writer.joinable()) writer.join();
    if (live_events) live_events->stop();  // judges the last commits
    if (commands) commands->stop();
    // 3. Give the answers a moment to leave, then close.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(kShutdownGraceMs, 200)));
    for (auto& c : open) c->close();
    work.reset();
    io.stop();
    for (auto& t : io_threads) {
      if (t.joinable()) t.join();
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

uint16_t Gateway::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

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
  s.answer_p50_ms = c.answer_latency.percentile_ms(0.50);
  s.answer_p99_ms = c.answer_latency.percentile_ms(0.99);
  s.answer_max_ms = c.answer_latency.max_ms();
  return s;
}

void Gateway::stop() { impl_->stop(); }

LiveEvents* Gateway::live_events() { return impl_->live_events.get(); }

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

}  // namespace ecomon
