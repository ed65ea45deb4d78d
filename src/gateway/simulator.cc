// clang-format off
#include <utility>  // before Asio: Boost 1.74 Asio with g++ 12 needs it first
// clang-format on
#include "gateway/simulator.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "gateway/gateway.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"

namespace ecomon {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
constexpr size_t kCrcDigits = 4;
constexpr size_t kTerminatorBytes = 2;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
double mono_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Shared results of all devices.
struct Shared {
  std::mutex mu;
  std::vector<double> latencies;
  SimStats stats;
  std::ofstream acked;
};

// Rewrites a frame's CRC as a deviation asks.
std::string deviate(std::string frame, const std::vector<std::string>& deviations, uint64_t n) {
  bool lower = std::find(deviations.begin(), deviations.end(), "lowercase-crc") != deviations.end();
  bool modbus = std::find(deviations.begin(), deviations.end(), "modbus-crc") != deviations.end();
  if (!lower && !modbus) return frame;
  if (n % 2 == 1) return frame;  // half of the frames stay conforming
  size_t crc_at = frame.size() - kTerminatorBytes - kCrcDigits;
  std::string_view segment(frame.data() + 6, crc_at - 6);
  if (modbus) {
    std::string hex = hj212::crc_hex(hj212::modbus_crc16_swapped(segment));
    frame.replace(crc_at, kCrcDigits, hex);
  }
  if (lower) {
    for (size_t i = crc_at; i < crc_at + kCrcDigits; ++i) frame[i] = static_cast<char>(std::tolower(frame[i]));
  }
  return frame;
}

class Device : public std::enable_shared_from_this<Device> {
 public:
  Device(asio::io_context& io, const SimOptions& o, int index, tcp::endpoint target, Shared& shared,
         double end_ms)
      : o_(o),
        index_(index),
        mn_(sim_mn(index)),
        target_(target),
        strand_(asio::make_strand(io)),
        socket_(strand_),  // every handler of a device runs on its strand (the io threads may be several)
        timer_(strand_),
        shared_(shared),
        end_ms_(end_ms),
        reader_(hj212::StreamOptions{.decode = {.policy = hj212::Policy::lenient()}}) {
    int64_t base = o.first_data_time_ms ? o.first_data_time_ms : wall_ms() + kBeijingOffsetMs;
    next_data_ms_ = base - base % 1000;
    interval_s_ = o.interval_s;
    qn_ms_ = wall_ms() + kBeijingOffsetMs + index;  // distinct QNs across devices
  }

  void start(double delay_ms) {
    timer_.expires_after(std::chrono::microseconds(static_cast<int64_t>(delay_ms * 1000)));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->connect();
    });
  }

  void finish() {
    boost::system::error_code ec;
    timer_.cancel();
    socket_.close(ec);
  }

  size_t pending() const { return sent_at_.size(); }

 private:
  void connect() {
    socket_.async_connect(target_, [self = shared_from_this()](const boost::system::error_code& ec) {
      std::lock_guard<std::mutex> lock(self->shared_.mu);
      if (ec) {
        ++self->shared_.stats.connect_failures;
        return;
      }
      ++self->shared_.stats.connections;
      boost::system::error_code ignore;
      self->socket_.set_option(tcp::no_delay(true), ignore);
      self->read();
      asio::post(self->socket_.get_executor(), [self] { self->tick(); });
    });
  }

  void tick() {
    if (mono_ms() >= end_ms_ || (o_.messages_per_device > 0 && count_ >= static_cast<uint64_t>(o_.messages_per_device))) {
      return;
    }
    send_uploads();
    timer_.expires_after(std::chrono::microseconds(static_cast<int64_t>(interval_s_ * 1e6)));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->tick();
    });
  }

  // The next upload's bytes (its deviations applied), noting when it was sent.
  std::string next_upload() {
    std::string qn = hj212::format_qn(hj212::Timestamp::from_civil_ms(qn_ms_++));
    hj212::Timestamp dt = hj212::Timestamp::from_civil_ms(next_data_ms_);
    next_data_ms_ += std::max<int64_t>(1000, static_cast<int64_t>(interval_s_ * 1000));
    uint64_t n = count_++;
    std::string so2 = fmt::format("{}.{}", 20 + (n * 7 + static_cast<uint64_t>(index_)) % 30, n % 10);
    std::string nox = fmt::format("{}.{}", 40 + (n * 11 + static_cast<uint64_t>(index_)) % 50, n % 10);
    std::string dust = fmt::format("{}.{}", 5 + (n * 3) % 10, n % 10);
    std::string flow = fmt::format("{}", 12000 + (n * 37) % 3000);
    std::vector<hj212::PollutantRecord> recs = {
        {"a21026", {{"Rtd", so2}, {"Flag", "N"}}},
        {"a21002", {{"Rtd", nox}, {"Flag", "N"}}},
        {"a34013", {{"Rtd", dust}, {"Flag", "N"}}},
        {"a00000", {{"Rtd", flow}, {"Flag", "N"}}},
    };
    hj212::HeaderFields h;
    h.qn = qn;
    h.st = "31";
    h.cn = "2011";
    h.pw = o_.password;
    h.mn = mn_;
    h.flag = static_cast<uint8_t>(hj212::kFlagVersion2017 | hj212::kFlagAnswerNeeded);
    auto frame = hj212::encode_upload(h, dt, recs);
    if (!frame.ok()) return {};
    std::string bytes = deviate(std::move(*frame), o_.deviations, n);
    bool garbage = std::find(o_.deviations.begin(), o_.deviations.end(), "garbage") != o_.deviations.end();
    if (garbage && n % 3 == 0) bytes = "\r\nGARBAGE#" + bytes;
    sent_at_[qn] = {mono_ms(), dt.to_digits14()};
    return bytes;
  }

  // One tick: frames_per_write uploads in one TCP write (two when fragmenting).
  void send_uploads() {
    std::string bytes;
    uint64_t frames = 0;
    for (int k = 0; k < std::max(1, o_.frames_per_write); ++k) {
      if (o_.messages_per_device > 0 && count_ >= static_cast<uint64_t>(o_.messages_per_device)) break;
      std::string one = next_upload();
      if (one.empty()) continue;
      bytes += one;
      ++frames;
    }
    if (frames == 0) return;
    {
      std::lock_guard<std::mutex> lock(shared_.mu);
      shared_.stats.sent += frames;
    }
    bool fragmented = std::find(o_.deviations.begin(), o_.deviations.end(), "fragmented") != o_.deviations.end();
    auto buf = std::make_shared<std::string>(std::move(bytes));
    if (fragmented && buf->size() > 10) {
      // Two TCP writes: the bytes split in the middle.
      auto first = std::make_shared<std::string>(buf->substr(0, buf->size() / 2));
      auto second = std::make_shared<std::string>(buf->substr(buf->size() / 2));
      asio::async_write(socket_, asio::buffer(*first), [self = shared_from_this(), first, second](auto ec, size_t) {
        if (!ec) asio::async_write(self->socket_, asio::buffer(*second), [second](auto, size_t) {});
      });
      return;
    }
    asio::async_write(socket_, asio::buffer(*buf), [buf](const boost::system::error_code&, size_t) {});
  }

  void read() {
    socket_.async_read_some(asio::buffer(rbuf_), [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
      if (ec) return;
      self->reader_.feed_all(std::string_view(self->rbuf_.data(), n),
                             [&](const hj212::StreamEvent& ev) { self->on_event(ev); });
      self->read();
    });
  }

  void on_event(const hj212::StreamEvent& ev) {
    if (ev.kind != hj212::StreamEvent::Kind::kFrame) return;
    const hj212::Message& m = *ev.message;
    if (is_command(m.header.command)) {
      answer_command(m);
      return;
    }
    std::string qn(m.header.qn);
    auto it = sent_at_.find(qn);
    if (it == sent_at_.end()) return;
    double latency = mono_ms() - it->second.first;
    std::lock_guard<std::mutex> lock(shared_.mu);
    if (m.header.command == 9014) {
      ++shared_.stats.answered;
      shared_.latencies.push_back(latency);
      if (shared_.acked.is_open()) shared_.acked << mn_ << ",2011," << it->second.second << "\n" << std::flush;
    } else if (m.header.command == 9011) {
      ++shared_.stats.refused;
    }
    sent_at_.erase(it);
  }

  static bool is_command(uint16_t cn) {
    return cn == hj212::kCnGetTime || cn == hj212::kCnSetTime || cn == hj212::kCnGetRtdInterval ||
           cn == hj212::kCnSetRtdInterval || cn == hj212::kCnGetMinInterval ||
           cn == hj212::kCnSetMinInterval || cn == hj212::kCnDeviceInfo;
  }

  // Answers a downstream command as a field device does (HJ 212-2017 §4): 9011 (QnRtn 1, or 3 for a wrong
  // password), for a "get" the data with the command's QN, then 9012 (ExeRtn 1). Settings are applied: a new
  // RtdInterval changes the upload interval from the next tick, SystemTime sets the device clock's offset.
  static std::string or_empty(StatusOr<std::string> frame) { return frame.ok() ? std::move(*frame) : ""; }

  void answer_command(const hj212::Message& m) {
    const hj212::Peer peer{o_.password, mn_};
    std::string out;
    if (m.header.pw != o_.password) {
      out = or_empty(hj212::encode_request_answer(m.header.qn, peer, hj212::QnRtn::kPasswordError));
      write_answer(std::move(out));
      return;
    }
    out = or_empty(hj212::encode_request_answer(m.header.qn, peer, hj212::QnRtn::kReady));
    const int64_t now_civil = wall_ms() + kBeijingOffsetMs + clock_offset_ms_;
    std::string data;  // the CP of the data answer, for the "get" commands
    const uint16_t cn = m.header.command;
    if (cn == hj212::kCnGetTime) {
      data = "SystemTime=" + hj212::Timestamp::from_civil_ms(now_civil).to_digits14();
    } else if (cn == hj212::kCnGetRtdInterval) {
      data = "RtdInterval=" + std::to_string(static_cast<int64_t>(interval_s_));
    } else if (cn == hj212::kCnGetMinInterval) {
      data = "MinInterval=" + std::to_string(min_interval_);
    } else if (cn == hj212::kCnDeviceInfo) {
      const hj212::CpItem* pol = m.find("PolId");
      const hj212::CpItem* info = m.find("InfoId");
      data = "DataTime=" + hj212::Timestamp::from_civil_ms(now_civil).to_digits14() +
             ";PolId=" + std::string(pol ? pol->value : "") + ";" + std::string(info ? info->value : "") +
             "-Info=ecomon-sim";
    } else if (const hj212::CpItem* t = m.find("SystemTime"); cn == hj212::kCnSetTime && t && t->time) {
      clock_offset_ms_ = t->time->civil_ms() - (wall_ms() + kBeijingOffsetMs);
    } else if (const hj212::CpItem* v = m.find("RtdInterval");
               cn == hj212::kCnSetRtdInterval && v && v->number) {
      interval_s_ = static_cast<double>(v->number->to_milli()) / 1000.0;
    } else if (const hj212::CpItem* n = m.find("MinInterval");
               cn == hj212::kCnSetMinInterval && n && n->number) {
      min_interval_ = static_cast<int>(n->number->to_milli() / 1000);
    }
    if (!data.empty()) {
      const std::string cn_text(m.header.cn);
      hj212::HeaderFields h{.qn = m.header.qn, .st = "31", .cn = cn_text, .pw = o_.password, .mn = mn_};
      out += or_empty(hj212::encode_frame(h, data));
    }
    out += or_empty(hj212::encode_execution_result(m.header.qn, peer, hj212::ExeRtn::kSuccess));
    write_answer(std::move(out));
  }

  void write_answer(std::string bytes) {
    auto buf = std::make_shared<std::string>(std::move(bytes));
    asio::async_write(socket_, asio::buffer(*buf), [buf](const boost::system::error_code&, size_t) {});
  }

  const SimOptions& o_;
  int index_;
  std::string mn_;
  tcp::endpoint target_;
  asio::strand<asio::io_context::executor_type> strand_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  Shared& shared_;
  double end_ms_;
  hj212::StreamReader reader_;
  std::array<char, 4096> rbuf_{};
  std::unordered_map<std::string, std::pair<double, std::string>> sent_at_;
  uint64_t count_ = 0;
  double interval_s_ = 0;        // the upload interval (RtdInterval: o_.interval_s until a 1062 sets it)
  int min_interval_ = 10;        // MinInterval (1063/1064)
  int64_t clock_offset_ms_ = 0;  // the device clock minus the host clock (1012 sets it)
  int64_t next_data_ms_ = 0;
  int64_t qn_ms_ = 0;
};

double percentile_of(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

std::string sim_mn(int i) { return fmt::format("E0C0{:020X}", i); }

std::vector<DeviceRecord> sim_devices(int first, int n, const std::string& password) {
  std::vector<DeviceRecord> out;
  for (int i = first; i < first + n; ++i) {
    DeviceRecord d;
    d.mn = sim_mn(i);
    d.password = password;
    d.enterprise = fmt::format("模拟企业{:03d}", i % 1000);
    d.outlet = fmt::format("废气排放口{}", i);
    d.county = "演示县";
    out.push_back(std::move(d));
  }
  return out;
}

std::string SimStats::to_text() const {
  return fmt::format(
      "connections {} ({} failed), sent {}, answered {}, refused {}, unanswered {} in {:.1f} s: {:.0f} msg/s; "
      "latency p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms\n",
      connections, connect_failures, sent, answered, refused, unanswered, seconds,
      seconds > 0 ? static_cast<double>(answered) / seconds : 0.0, p50_ms, p99_ms, max_ms);
}

std::string SimStats::to_json() const {
  return fmt::format(
      "{{\"connections\":{},\"connect_failures\":{},\"sent\":{},\"answered\":{},\"refused\":{},\"unanswered\":{},"
      "\"seconds\":{:.3f},\"p50_ms\":{:.3f},\"p99_ms\":{:.3f},\"max_ms\":{:.3f}}}",
      connections, connect_failures, sent, answered, refused, unanswered, seconds, p50_ms, p99_ms, max_ms);
}

StatusOr<SimStats> run_simulator(const SimOptions& o, const std::atomic<bool>* stop) {
  if (o.devices <= 0) return invalid_argument("--devices must be positive");
  if (o.interval_s <= 0) return invalid_argument("--interval must be positive");
  std::string address;
  uint16_t port = 0;
  ECOMON_RETURN_IF_ERROR(parse_listen_address(o.target, &address, &port));
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) return invalid_argument("--target: bad address '" + address + "'");
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
  Shared shared;
  if (!o.acked_log.empty()) {
    shared.acked.open(o.acked_log, std::ios::app);
    if (!shared.acked) return invalid_argument("cannot write " + o.acked_log);
  }
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  double start = mono_ms();
  double end = o.duration_s > 0 ? start + o.duration_s * 1000 : 1e300;
  std::vector<std::shared_ptr<Device>> devices;
  for (int i = 0; i < o.devices; ++i) {
    auto d = std::make_shared<Device>(io, o, o.first_device + i, tcp::endpoint(addr, port), shared, end);
    d->start(o.connect_spread_s * 1000.0 * i / o.devices);
    devices.push_back(std::move(d));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, o.io_threads); ++t) threads.emplace_back([&] { io.run(); });
  while (mono_ms() < end && !(stop && *stop)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (o.messages_per_device > 0) {
      std::lock_guard<std::mutex> lock(shared.mu);
      uint64_t target = static_cast<uint64_t>(o.messages_per_device) * static_cast<uint64_t>(o.devices);
      if (shared.stats.answered + shared.stats.refused >= target) break;
    }
  }
  // Give answers in flight a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  guard.reset();
  io.stop();
  for (auto& t : threads) t.join();
  for (auto& d : devices) d->finish();  // the io threads have ended: no handler runs concurrently
  SimStats s = shared.stats;
  s.seconds = (mono_ms() - start) / 1000.0;
  for (auto& d : devices) s.unanswered += d->pending();
  s.p50_ms = percentile_of(shared.latencies, 0.50);
  s.p99_ms = percentile_of(shared.latencies, 0.99);
  s.max_ms = shared.latencies.empty() ? 0 : *std::max_element(shared.latencies.begin(), shared.latencies.end());
  return s;
}

}  // namespace ecomon
