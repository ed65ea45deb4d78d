#include "gateway/commands.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <unistd.h>

#include "gateway/source_record.h"
#include "gateway/worker.h"
#include "ingest/hj212/encoder.h"

namespace ecomon {
namespace {

constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;  // civil (Beijing) time = UTC+8
constexpr int kNoValue = 0;

int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The number after "NAME=" in a CP content ("QnRtn=1"); 0 when absent or not a number.
int cp_number(std::string_view cp, std::string_view name) {
  for (size_t at = 0; at < cp.size();) {
    size_t end = cp.find_first_of(";,", at);
    if (end == std::string_view::npos) end = cp.size();
    std::string_view item = cp.substr(at, end - at);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=') {
      int v = kNoValue;
      std::string_view digits = item.substr(name.size() + 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), v);
      return v;
    }
    at = end + 1;
  }
  return kNoValue;
}

// Table 7 and Table 6 of HJ 212-2017, in words.
std::string qn_rtn_text(int v) {
  switch (v) {
    case 1:
      return "ready to execute";
    case 2:
      return "request refused";
    case 3:
      return "password error";
    case 4:
      return "MN error";
    case 5:
      return "ST error";
    case 6:
      return "Flag error";
    case 7:
      return "QN error";
    case 8:
      return "CN error";
    case 9:
      return "CRC error";
    default:
      return "unknown error";
  }
}
std::string exe_rtn_text(int v) {
  switch (v) {
    case 1:
      return "success";
    case 2:
      return "failed, reason unknown";
    case 3:
      return "command condition error";
    case 4:
      return "communication timeout";
    case 5:
      return "device busy";
    case 6:
      return "system fault";
    case 100:
      return "no data";
    default:
      return "unknown result";
  }
}

}  // namespace

class CommandDispatcher::Impl : public GatewayWorker {
 public:
  struct Init {  // a device whose start-up sequence is to be queued (§6.7)
    std::string mn;
    int rtd_interval_s, min_interval_min;
  };
  struct Peer {
    std::string st, pw;
    hj212::ProtocolVersion version = hj212::ProtocolVersion::k2017;
  };
  struct InFlight {
    SourceCommand c;
    std::string pw;  // the password the command went out with
    int64_t accepted_ms = 0;
    bool dirty = false;
  };

  Impl(CommandOptions o, DeviceSender s) : options(std::move(o)), send(std::move(s)) {
    if (!options.clock_ms) options.clock_ms = system_ms;
    if (!options.log) options.log = [](const std::string& line) { std::cerr << line + "\n"; };
    if (options.gateway_id.empty()) {
      char host[256] = {};
      if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
      options.gateway_id =
          std::string(host) + "/" + std::to_string(::getpid()) + "/" + std::to_string(options.clock_ms());
    }
  }

  void run();
  void queue_start_up(const Init& d, int64_t now);
  void read_queue(int64_t now);
  void step(InFlight& f, int64_t now);
  void transmit(InFlight& f, int64_t now);
  void finish(InFlight& f, std::string_view state, std::string detail, int64_t now) {
    f.c.state = std::string(state);
    f.c.detail = std::move(detail);
    f.c.finished_ms = now;
    f.dirty = true;
    log(f, std::string(state) + (f.c.detail.empty() ? "" : ": " + f.c.detail));
  }
  void log(const InFlight& f, const std::string& what) {
    options.log("command #" + std::to_string(f.c.id) + " " + f.c.name +
                (f.c.argument.empty() ? "" : " " + f.c.argument) + " to " + f.c.mn + ": " + what);
  }

  CommandOptions options;
  DeviceSender send;
  std::unique_ptr<Stores> stores;       // this component's (opened by start(), then the worker's)
  SourceCommandStore* store = nullptr;  // stores->source_commands()

  std::unordered_map<std::string, Peer> connected;
  std::unordered_set<std::string> initialized;  // devices whose start-up sequence was queued in this run
  std::vector<Init> to_init;                    // to queue (by the worker: the store is its own)
  std::vector<std::string> to_hold;             // devices bound here since the worker last claimed them
  std::map<int64_t, InFlight> commands;         // by id
  std::unordered_map<std::string, int64_t> by_qn;
  int64_t last_qn_ms = 0;
  bool wake = false, poll_now = true;
};

void CommandDispatcher::Impl::queue_start_up(const Init& d, int64_t now) {
  const CommandRequest steps[] = {{d.mn, "set-time", {}},
                                  {d.mn, "set-interval", {std::to_string(d.rtd_interval_s)}},
                                  {d.mn, "set-min-interval", {std::to_string(d.min_interval_min)}}};
  for (const CommandRequest& r : steps) {
    auto checked = command_of(r);
    auto c = checked.ok() ? store->add(std::move(*checked), "gateway", now) : checked;
    if (!c.ok())
      options.log("commands: start-up " + r.name + " for " + d.mn + " not queued: " + c.status().message());
  }
}

void CommandDispatcher::Impl::read_queue(int64_t now) {
  auto pending = store->pending_held(options.gateway_id);
  if (!pending.ok()) {
    options.log("commands: cannot read the queue: " + pending.status().message());
    return;
  }
  std::lock_guard<std::mutex> lock(mu);
  // A command no longer among this gateway's (its device went to another one) is that one's to send.
  std::unordered_set<int64_t> held;
  for (const SourceCommand& c : *pending) held.insert(c.id);
  for (auto it = commands.begin(); it != commands.end();) {
    if (held.count(it->first) || it->second.c.finished()) {
      ++it;
      continue;
    }
    log(it->second, "left to the gateway that holds the device now");
    by_qn.erase(it->second.c.qn);
    it = commands.erase(it);
  }
  for (SourceCommand& c : *pending) {
    if (commands.count(c.id)) continue;
    InFlight f{.c = std::move(c)};
    if (f.c.state != kCommandQueued) {
      // In flight when a gateway stopped: its exchange is lost; it starts again with a new QN.
      f.c.state = std::string(kCommandQueued);
      f.c.detail = "sent again after a gateway restart";
      f.dirty = true;
    }
    (void)now;
    commands.emplace(f.c.id, std::move(f));
  }
}

void CommandDispatcher::Impl::transmit(InFlight& f, int64_t now) {
  auto peer = connected.find(f.c.mn);
  if (peer == connected.end()) return;  // sent when the device connects
  if (f.c.qn.empty() || f.c.state == kCommandQueued) {
    last_qn_ms = std::max(last_qn_ms + 1, now + kBeijingOffsetMs);  // a new QN per exchange, never repeated
    if (!f.c.qn.empty()) by_qn.erase(f.c.qn);
    f.c.qn = hj212::format_qn(hj212::Timestamp::from_civil_ms(last_qn_ms));
  }
  auto frame = encode_command(f.c, f.c.qn, peer->second.st, peer->second.pw,
                              hj212::Timestamp::from_civil_ms(now + kBeijingOffsetMs), peer->second.version);
  if (!frame.ok()) {
    finish(f, kCommandFailed, "cannot encode: " + frame.status().message(), now);
    return;
  }
  if (!send(f.c.mn, std::move(*frame))) {
    connected.erase(peer);  // gone: wait for it to connect again
    return;
  }
  f.pw = peer->second.pw;
  by_qn[f.c.qn] = f.c.id;
  f.c.state = std::string(kCommandSent);
  ++f.c.attempts;
  f.c.sent_ms = now;
  f.dirty = true;
  log(f, "sent (attempt " + std::to_string(f.c.attempts) + ", QN " + f.c.qn + ")");
}

void CommandDispatcher::Impl::step(InFlight& f, int64_t now) {
  if (f.c.state == kCommandQueued) {
    transmit(f, now);
  } else if (f.c.state == kCommandSent && now - f.c.sent_ms >= options.answer_timeout_ms) {
    if (f.c.attempts <= options.retries) {
      transmit(f, now);  // the same QN again
    } else {
      finish(f, kCommandTimedOut, "no 9011 answer after " + std::to_string(f.c.attempts) + " attempts", now);
    }
  } else if (f.c.state == kCommandAccepted && now - f.accepted_ms >= options.execution_timeout_ms) {
    finish(f, kCommandFailed, "no 9012 result within " + std::to_string(options.execution_timeout_ms) + " ms",
           now);
  }
}

void CommandDispatcher::Impl::run() {
  auto last_poll = std::chrono::steady_clock::now() - std::chrono::hours(1);
  const int tick_ms = std::max(
      1, std::min({options.poll_ms, options.answer_timeout_ms / 4, options.execution_timeout_ms / 4}));
  while (true) {
    bool last = false, poll = false;
    std::vector<Init> start_up;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(tick_ms), [&] { return stopping || wake || poll_now; });
      wake = false;
      start_up.swap(to_init);
      if (!start_up.empty()) poll_now = true;
      last = stopping;
      poll = poll_now ||
             std::chrono::steady_clock::now() - last_poll >= std::chrono::milliseconds(options.poll_ms);
      poll_now = false;
    }
    std::vector<std::string> bound;
    {
      std::lock_guard<std::mutex> lock(mu);
      bound.swap(to_hold);
    }
    const int64_t now = options.clock_ms();
    for (const std::string& mn : bound) {
      if (Status s = store->hold_device(mn, options.gateway_id, now); !s.ok()) {
        options.log("commands: cannot claim " + mn + " for this gateway: " + s.message());
        std::lock_guard<std::mutex> lock(mu);
        to_hold.push_back(mn);  // tried again at the next tick
      }
    }
    if (!bound.empty()) poll = true;
    if (!last) {
      for (const Init& d : start_up) queue_start_up(d, now);
    }
    if (poll && !last) {
      read_queue(now);
      last_poll = std::chrono::steady_clock::now();
    }
    std::vector<SourceCommand> changed;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (auto it = commands.begin(); it != commands.end();) {
        InFlight& f = it->second;
        if (!last) step(f, now);
        if (f.dirty) {
          changed.push_back(f.c);
          f.dirty = false;
        }
        if (f.c.finished()) {
          by_qn.erase(f.c.qn);
          it = commands.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (const SourceCommand& c : changed) {
      auto written = store->update_held(c, options.gateway_id);
      if (!written.ok()) {
        options.log("commands: cannot record #" + std::to_string(c.id) + ": " + written.status().message());
      } else if (!*written) {
        options.log("commands: #" + std::to_string(c.id) + " to " + c.mn +
                    " not recorded: another gateway holds the device now");
        std::lock_guard<std::mutex> lock(mu);
        auto it = commands.find(c.id);
        if (it != commands.end()) {
          by_qn.erase(it->second.c.qn);
          commands.erase(it);
        }
      }
    }
    if (last) return;
  }
}

CommandDispatcher::CommandDispatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CommandDispatcher::~CommandDispatcher() { stop(); }

StatusOr<std::unique_ptr<CommandDispatcher>> CommandDispatcher::start(const StoresOpener& stores,
                                                                      CommandOptions options,
                                                                      DeviceSender send) {
  if (!stores) return invalid_argument("commands: no store to open");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(send));
  auto s = stores();
  if (!s.ok()) return s.status();
  impl->stores = std::move(*s);
  impl->store = &impl->stores->source_commands();
  Impl* raw = impl.get();
  raw->worker = std::thread([raw] { raw->run(); });
  return std::unique_ptr<CommandDispatcher>(new CommandDispatcher(std::move(impl)));
}

void CommandDispatcher::device_connected(std::string_view mn, std::string_view st, std::string_view pw,
                                         int rtd_interval_s, int min_interval_min,
                                         hj212::ProtocolVersion version) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->connected[std::string(mn)] = {std::string(st), std::string(pw), version};
    impl_->to_hold.emplace_back(mn);
    if (impl_->options.init_devices && impl_->initialized.insert(std::string(mn)).second) {
      impl_->to_init.push_back({std::string(mn), rtd_interval_s, min_interval_min});
    }
    impl_->wake = true;
  }
  impl_->cv.notify_one();
}

bool CommandDispatcher::device_frame(const hj212::Message& m) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto q = impl_->by_qn.find(std::string(m.header.qn));
  if (q == impl_->by_qn.end()) return false;
  auto it = impl_->commands.find(q->second);
  if (it == impl_->commands.end()) return false;
  Impl::InFlight& f = it->second;
  if (m.header.mn != f.c.mn || m.header.pw != f.pw) return false;  // not from the device it went to
  const int64_t now = impl_->options.clock_ms();
  const std::string_view cp = cp_content(m.data_segment);
  if (m.header.command == hj212::kCnRequestAnswer) {
    if (f.c.state != kCommandSent) return true;  // a late or repeated 9011
    f.c.qn_rtn = cp_number(cp, "QnRtn");
    f.dirty = true;
    if (f.c.qn_rtn == static_cast<int>(hj212::QnRtn::kReady)) {
      f.c.state = std::string(kCommandAccepted);
      f.accepted_ms = now;
      impl_->log(f, "accepted (QnRtn 1)");
    } else {
      impl_->finish(f, kCommandRefused,
                    "QnRtn " + std::to_string(f.c.qn_rtn) + " (" + qn_rtn_text(f.c.qn_rtn) + ")", now);
    }
  } else if (m.header.command == hj212::kCnExecutionResult) {
    f.c.exe_rtn = cp_number(cp, "ExeRtn");
    if (f.c.exe_rtn == static_cast<int>(hj212::ExeRtn::kSuccess)) {
      impl_->finish(f, kCommandDone, "", now);
    } else {
      impl_->finish(f, kCommandFailed,
                    "ExeRtn " + std::to_string(f.c.exe_rtn) + " (" + exe_rtn_text(f.c.exe_rtn) + ")", now);
    }
  } else if (m.header.command == f.c.cn) {
    f.c.result = std::string(cp);  // the data the command asked for
    f.dirty = true;
    impl_->log(f, "answered " + f.c.result);
  }
  impl_->wake = true;
  impl_->cv.notify_one();
  return true;
}

void CommandDispatcher::poll() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->poll_now = true;
  }
  impl_->cv.notify_one();
}

void CommandDispatcher::stop() { impl_->stop_worker(); }

}  // namespace ecomon
