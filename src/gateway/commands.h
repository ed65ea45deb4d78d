// Downstream commands in the gateway: the commands queued in the store (store/api/source_commands.h, by
// `ecomon sources command` or POST /api/sources/commands) are sent to their device when it is connected (or
// when it next connects), and the exchange of HJ 212-2017 §4 is followed: the device answers 9011 (QnRtn;
// no answer within answer_timeout_ms = resend the same QN, up to `retries` times, then timed_out; QnRtn other
// than 1 = refused), may send its data answer with the same QN (1011 SystemTime, 1061 RtdInterval, 1063
// MinInterval, 3020 device information: kept as the command's result), then 9012 (ExeRtn: 1 done, else
// failed; none within execution_timeout_ms after the 9011 = failed). Every step is written to the store.
//
//   CommandOptions o;
//   auto cd = CommandDispatcher::start(opener, o, [&](const std::string& mn, std::string frame) {
//     return send_on_the_connection_of(mn, std::move(frame));   // false: not connected
//   });
//   (*cd)->device_connected(mn, st, pw);   // an authenticated upload came in on a connection
//   (*cd)->device_frame(message);          // 9011, 9012 and data answers: true when they were ours
//
// One worker thread sends, times out and writes; device_frame() runs on the gateway's io threads and only
// notes what came. Several gateways on one store: a device's connection is claimed in the store when it is
// bound here (hold_device: the newest wins), the queue is read for the devices held (pending_held) and a
// command's progress is written only while its device is held (update_held); a command whose device another
// gateway took is dropped here within a poll (poll_ms) and sent by that one. Thread safety: every public
// function may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/hj212/codec.h"
#include "store/api/stores.h"

namespace ecomon {

struct CommandOptions {
  bool enabled = true;
  int answer_timeout_ms = 10000;     // HJ 212-2017 Table 1: 10 s (GPRS, 4G ...), 5 s ADSL
  int retries = 3;                   // resends after the first attempt (Table 1: 3)
  int execution_timeout_ms = 60000;  // from the 9011 to the 9012 (the standard gives no figure: UNCONFIRMED)
  int poll_ms = 1000;                // how often the queue in the store is read for new commands
  // HJ 212-2017 §6.7: when a device first connects after the gateway started, queue the start-up sequence the
  // platform offers, in the standard's order: set-time (time calibration), set-interval with the device's
  // registered real-time interval, set-min-interval with its minute interval (a registered value outside the
  // command's range is skipped and logged). The standard's timeout/retries (1000) and the real-time and
  // status on/off steps are not among the platform's commands. Queued as "gateway", like the bureau's
  // commands.
  bool init_devices = false;
  // This gateway's name among the gateways of one store: several gateway processes on a cluster each send
  // the commands of the devices whose connection they hold (SourceCommandStore::hold_device). Default:
  // "HOST/PID/START-MS", unique among running processes.
  std::string gateway_id;
  std::function<int64_t()> clock_ms;            // UTC ms now (default: the system clock)
  std::function<void(const std::string&)> log;  // one line per step; default: standard error
};

// Sends a frame on the device's connection; false when the device is not connected.
using DeviceSender = std::function<bool(const std::string& mn, std::string frame)>;

class CommandDispatcher {
 public:
  // `stores` opens the Stores the worker uses (the command queue).
  static StatusOr<std::unique_ptr<CommandDispatcher>> start(const StoresOpener& stores,
                                                            CommandOptions options, DeviceSender send);
  ~CommandDispatcher();
  CommandDispatcher(const CommandDispatcher&) = delete;
  CommandDispatcher& operator=(const CommandDispatcher&) = delete;

  // A device proved who it is on a connection (MN and PW matched): its system type and password are what
  // its commands are sent with. Wakes the worker to send what is queued for it.
  // With init_devices, `rtd_interval_s` and `min_interval_min` (the registry's) go into the start-up
  // sequence.
  // `version`: the protocol its frames were read as (its commands' Flag).
  void device_connected(std::string_view mn, std::string_view st, std::string_view pw, int rtd_interval_s = 0,
                        int min_interval_min = 0,
                        hj212::ProtocolVersion version = hj212::ProtocolVersion::k2017);
  // A frame that is not an upload. True when it answered a command in flight (9011, 9012, or the data
  // answer with the command's QN) from the command's device with its password.
  bool device_frame(const hj212::Message& m);
  // Reads the queue now (besides every poll_ms).
  void poll();
  // Ends the worker; commands in flight stay in the store as they are (sent again after a restart).
  void stop();

  class Impl;

 private:
  explicit CommandDispatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
