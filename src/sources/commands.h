// Downstream commands (下行命令, HJ 212-2017 Table 9) queued per device by the bureau and sent by the
// gateway: 1012 set-time, 1011 get-time, 1062 set-interval N (real-time, s), 1061 get-interval, 1064
// set-min-interval N (minutes), 1063 get-min-interval, 3020 get-info POL INFO; 3011 calibrate POL
// [zero|span], and HJ 212-2025's 3022 sample-now POL, 3024 standard-check POL, 1002 set-mn HARDWARE_ID. The
// values (a request, a command and its states), the check of a request and the encoding of its frame; the
// queue is the store's (store/api/source_commands.h), the exchange the gateway's (gateway/commands.h).
//
//   auto c = command_of({.mn = mn, .name = "set-interval", .args = {"60"}});   // checked, state "queued"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/hj212/codec.h"

namespace ecomon {

struct CommandRequest {
  std::string mn;
  std::string name;               // set-time, get-time, set-interval, get-interval, set-min-interval, ...
  std::vector<std::string> args;  // set-interval N, set-min-interval N, get-info POL INFO
};

// States of a command: queued -> sent (awaiting 9011) -> accepted (9011 QnRtn=1, awaiting 9012) -> done
// (ExeRtn=1) | failed (another ExeRtn, or no 9012 in time) | refused (QnRtn other than 1) | timed_out (no
// 9011 after every retry).
inline constexpr std::string_view kCommandQueued = "queued", kCommandSent = "sent",
                                  kCommandAccepted = "accepted", kCommandDone = "done",
                                  kCommandFailed = "failed", kCommandRefused = "refused",
                                  kCommandTimedOut = "timed_out";

struct SourceCommand {
  int64_t id = 0;
  std::string mn;
  std::string name;
  int cn = 0;
  std::string argument;  // N for set-interval / set-min-interval, "POL,INFO" for get-info, else ""
  std::string state{kCommandQueued};
  std::string qn;  // the exchange's QN (set when first sent)
  int attempts = 0;
  int64_t created_ms = 0, sent_ms = 0, finished_ms = 0;  // UTC ms; sent_ms: the last attempt
  std::string created_by;
  int qn_rtn = 0, exe_rtn = 0;  // 0: not received
  std::string result;           // CP of the device's data answer (get-time: "SystemTime=..."), else ""
  std::string detail;           // why it failed, in words
  bool finished() const {
    return state != kCommandQueued && state != kCommandSent && state != kCommandAccepted;
  }
};

// The names, in the order of the help text.
const std::vector<std::string>& command_names();
// Checks a request (name, arguments and their ranges: RtdInterval 30..3600 s, MinInterval 1 2 3 4 5 6 10 12
// 15 20 30 min) and gives the command to queue; invalid_argument naming what is wrong.
StatusOr<SourceCommand> command_of(const CommandRequest& r);
// The frame of `c` for one exchange: QN `qn`, the device's system type `st`, password and protocol version
// (the Flag: its version bits, answer asked: 5 for 2017, 9 for 2025, 1 for 2005; calibrate's type is sent to
// 2025 devices only); set-time sends `now` (the platform's civil time).
StatusOr<std::string> encode_command(const SourceCommand& c, std::string_view qn, std::string_view st,
                                     std::string_view pw, const hj212::Timestamp& now,
                                     hj212::ProtocolVersion version = hj212::ProtocolVersion::k2017);

}  // namespace ecomon
