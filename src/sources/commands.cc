#include "sources/commands.h"

#include <algorithm>
#include <charconv>

#include "ingest/hj212/encoder.h"

namespace ecomon {
namespace {

constexpr std::string_view kProbeQn = "20000101000000000";  // a valid QN to check a command by encoding it

struct Spec {
  const char* name;
  uint16_t cn;
  size_t args;
  const char* usage;
  size_t max_args = 0;  // more than `args` allowed (optional arguments); 0: exactly `args`
};
constexpr Spec kSpecs[] = {
    {"set-time", hj212::kCnSetTime, 0, "set-time"},
    {"get-time", hj212::kCnGetTime, 0, "get-time"},
    {"set-interval", hj212::kCnSetRtdInterval, 1, "set-interval SECONDS"},
    {"get-interval", hj212::kCnGetRtdInterval, 0, "get-interval"},
    {"set-min-interval", hj212::kCnSetMinInterval, 1, "set-min-interval MINUTES"},
    {"get-min-interval", hj212::kCnGetMinInterval, 0, "get-min-interval"},
    {"get-info", hj212::kCnDeviceInfo, 2, "get-info POLID INFOID"},
    // 3011 零点（量程）校准; the type (CalibrationType 0 zero, 1 span: S1's enum order, 11_hj212_2025.md
    // §1.5) goes only to HJ 212-2025 devices.
    {"calibrate", hj212::kCnCalibrate, 1, "calibrate POLID [zero|span]", 2},
    {"sample-now", hj212::kCnSampleNow, 1, "sample-now POLID"},                   // 3022 即时留样 (2025)
    {"standard-check", hj212::kCnStartStandardCheck, 1, "standard-check POLID"},  // 3024 标样核查 (2025)
    // 1002 设置数采仪MN编码 (2025): queued by provisioning (app::provision_pending_device) with the logger's
    // 数采仪ID; the frame's header MN is the MN assigned.
    {"set-mn", hj212::kCnSetMn, 1, "set-mn HARDWARE_ID"},
};

const Spec* spec_of(std::string_view name) {
  for (const Spec& s : kSpecs) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

StatusOr<int> whole_number(const std::string& name, const std::string& text) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return invalid_argument("'" + text + "' is not a whole number of " + name);
  }
  return v;
}

}  // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Spec& s : kSpecs) v.push_back(s.name);
    return v;
  }();
  return names;
}

StatusOr<std::string> encode_command(const SourceCommand& c, std::string_view qn, std::string_view st,
                                     std::string_view pw, const hj212::Timestamp& now,
                                     hj212::ProtocolVersion version) {
  const hj212::CommandTarget t{
      .qn = qn,
      .st = st,
      .pw = pw,
      .mn = c.mn,
      .flag = static_cast<uint8_t>(hj212::flag_version_bits(version) | hj212::kFlagAnswerNeeded)};
  const std::string_view arg(c.argument);
  switch (c.cn) {
    case hj212::kCnSetTime:
      return hj212::encode_set_time(t, now);
    case hj212::kCnGetTime:
      return hj212::encode_get_time(t);
    case hj212::kCnSetRtdInterval: {
      auto n = whole_number("seconds", c.argument);
      if (!n.ok()) return n.status();
      return hj212::encode_set_rtd_interval(t, *n);
    }
    case hj212::kCnGetRtdInterval:
      return hj212::encode_get_rtd_interval(t);
    case hj212::kCnSetMinInterval: {
      auto n = whole_number("minutes", c.argument);
      if (!n.ok()) return n.status();
      return hj212::encode_set_min_interval(t, *n);
    }
    case hj212::kCnGetMinInterval:
      return hj212::encode_get_min_interval(t);
    case hj212::kCnDeviceInfo: {
      const size_t comma = c.argument.find(',');
      if (comma == std::string::npos) return invalid_argument("get-info: needs POLID and INFOID");
      return hj212::encode_get_device_info(t, std::string_view(c.argument).substr(0, comma),
                                           std::string_view(c.argument).substr(comma + 1));
    }
    case hj212::kCnCalibrate: {
      const size_t comma = arg.find(',');
      const std::string_view pol = arg.substr(0, comma);
      if (comma == std::string_view::npos || version != hj212::ProtocolVersion::k2025)
        return hj212::encode_calibrate(t, pol);
      const std::string_view type = arg.substr(comma + 1);
      if (type != "zero" && type != "span") {
        return invalid_argument("calibrate: the type is zero or span, not '" + std::string(type) + "'");
      }
      return hj212::encode_calibrate(t, pol, type == "zero" ? 0 : 1);
    }
    case hj212::kCnSampleNow:
      return hj212::encode_sample_now(t, arg);
    case hj212::kCnStartStandardCheck:
      return hj212::encode_start_standard_check(t, arg);
    case hj212::kCnSetMn:
      return hj212::encode_set_mn(t, arg);
    default:
      return invalid_argument("command CN " + std::to_string(c.cn) + " is not sent by the platform");
  }
}

StatusOr<SourceCommand> command_of(const CommandRequest& r) {
  const Spec* spec = spec_of(r.name);
  if (!spec) {
    std::string known;
    for (const std::string& n : command_names()) known += (known.empty() ? "" : ", ") + n;
    return invalid_argument("unknown command '" + r.name + "' (one of " + known + ")");
  }
  if (r.args.size() < spec->args || r.args.size() > std::max(spec->args, spec->max_args)) {
    return invalid_argument(std::string(spec->name) + " takes " + std::to_string(spec->args) +
                            " argument(s), got " + std::to_string(r.args.size()) + ": " + spec->usage);
  }
  if (r.mn.empty()) return invalid_argument("no device MN given");
  SourceCommand c;
  c.mn = r.mn;
  c.name = spec->name;
  c.cn = spec->cn;
  for (size_t i = 0; i < r.args.size(); ++i) {
    if (r.args[i].find(',') != std::string::npos) {
      return invalid_argument(std::string(spec->name) + ": '" + r.args[i] + "' must not contain ','");
    }
    c.argument += (i ? "," : "") + r.args[i];
  }
  // The encoder's own checks (ranges, characters the frame cannot carry) decide: one rule, not two.
  for (hj212::ProtocolVersion v : {hj212::ProtocolVersion::k2017, hj212::ProtocolVersion::k2025}) {
    auto frame = encode_command(c, kProbeQn, "31", "000000", hj212::Timestamp{}, v);
    if (!frame.ok()) return invalid_argument(std::string(spec->name) + ": " + frame.status().message());
  }
  return c;
}

}  // namespace ecomon
