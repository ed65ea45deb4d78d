#include "ingest/hj212/encoder.h"

#include <algorithm>
#include <array>

#include "ingest/hj212/crc.h"

namespace ecomon::hj212 {
namespace {

constexpr size_t kQnDigits = 17;
constexpr int kMinRtdIntervalSeconds = 30;
constexpr int kMaxRtdIntervalSeconds = 3600;
constexpr std::array<int, 11> kAllowedMinIntervals = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30};
constexpr std::array<uint16_t, 6> kUploadCommands = {kCnRealTimeData,     kCnEquipmentStatus, kCnDailyData,
                                                     kCnEquipmentRunTime, kCnMinuteData,      kCnHourlyData};

// A value may not contain the separators of the data segment nor control bytes.
Status check_text(std::string_view what, std::string_view v, bool allow_empty) {
  if (v.empty() && !allow_empty) return invalid_argument(std::string(what) + " is empty");
  for (char c : v) {
    const auto b = static_cast<uint8_t>(c);
    if (c == ';' || c == '=' || c == ',' || c == '&' || b < 0x20 || b == 0x7F) {
      return invalid_argument(std::string(what) + " '" + std::string(v) +
                              "' contains a separator or control byte");
    }
  }
  return Status::ok_status();
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void append_padded(std::string* out, unsigned value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

Status append_header(std::string* seg, const HeaderFields& h) {
  ECOMON_RETURN_IF_ERROR(check_text("QN", h.qn, true));
  if (!all_digits(h.qn)) return invalid_argument("QN '" + std::string(h.qn) + "' must be digits");
  ECOMON_RETURN_IF_ERROR(check_text("ST", h.st, false));
  ECOMON_RETURN_IF_ERROR(check_text("CN", h.cn, false));
  ECOMON_RETURN_IF_ERROR(check_text("PW", h.pw, true));
  const bool v2025 = h.flag && (*h.flag >> kFlagVersionShift) == 2;
  ECOMON_RETURN_IF_ERROR(check_text("MN", h.mn, v2025));
  if (!h.qn.empty()) seg->append("QN=").append(h.qn).push_back(';');
  seg->append("ST=").append(h.st).append(";CN=").append(h.cn).append(";PW=").append(h.pw);
  seg->append(";MN=").append(h.mn).push_back(';');
  if (h.flag) {
    seg->append("Flag=").append(std::to_string(*h.flag)).push_back(';');
    if (*h.flag & kFlagSplitPacket) {
      if (h.pnum == 0 || h.pno == 0 || h.pno > h.pnum || h.pnum > 9999) {
        return invalid_argument("split packet needs 1 <= PNO <= PNUM <= 9999");
      }
      const size_t width = v2025 ? 1 : 4;  // 2025: App. C p.77 writes PNUM=2;PNO=1
      seg->append("PNUM=");
      append_padded(seg, h.pnum, width);
      seg->append(";PNO=");
      append_padded(seg, h.pno, width);
      seg->push_back(';');
    }
  }
  if (h.resent) seg->append("RF=1;");
  return Status::ok_status();
}

std::string to_cn(uint16_t cn) { return std::to_string(cn); }

StatusOr<std::string> encode_answer(std::string_view qn, const Peer& peer, uint16_t cn, std::string_view cp) {
  if (qn.empty()) return invalid_argument("an answer needs the QN of what it answers");
  const std::string cn_text = to_cn(cn);
  HeaderFields h{
      .qn = qn, .st = kStSystemInteraction, .cn = cn_text, .pw = peer.pw, .mn = peer.mn, .flag = peer.flag};
  return encode_frame(h, cp);
}

StatusOr<std::string> encode_command(const CommandTarget& t, uint16_t cn, std::string_view cp) {
  if (t.qn.size() != kQnDigits || !parse_timestamp(t.qn)) {
    return invalid_argument("command QN '" + std::string(t.qn) + "' must be 17 digits yyyyMMddHHmmssSSS");
  }
  const std::string cn_text = to_cn(cn);
  HeaderFields h{.qn = t.qn, .st = t.st, .cn = cn_text, .pw = t.pw, .mn = t.mn, .flag = t.flag};
  return encode_frame(h, cp);
}

Status append_record(std::string* cp, const PollutantRecord& r) {
  ECOMON_RETURN_IF_ERROR(check_text("pollutant code", r.code, false));
  if (r.fields.empty()) return invalid_argument("record for " + std::string(r.code) + " has no fields");
  bool first = true;
  for (const FieldValue& f : r.fields) {
    ECOMON_RETURN_IF_ERROR(check_text("field name", f.name, false));
    ECOMON_RETURN_IF_ERROR(check_text("value", f.value, true));
    if (!first) cp->push_back(',');
    first = false;
    cp->append(r.code).append("-").append(f.name).append("=").append(f.value);
  }
  return Status::ok_status();
}

Status check_upload(const HeaderFields& header) {
  const bool known = std::any_of(kUploadCommands.begin(), kUploadCommands.end(),
                                 [&](uint16_t cn) { return to_cn(cn) == header.cn; });
  if (!known) return invalid_argument("CN " + std::string(header.cn) + " is not an upload command");
  return Status::ok_status();
}

}  // namespace

StatusOr<std::string> frame_data_segment(std::string_view data_segment, size_t max_data_length) {
  const size_t limit = std::min(max_data_length, kLengthFieldMax);
  if (data_segment.size() > limit) {
    return invalid_argument("data segment of " + std::to_string(data_segment.size()) + " bytes exceeds " +
                            std::to_string(limit));
  }
  std::string frame;
  frame.reserve(data_segment.size() + kFrameOverhead);
  frame.append(kFrameStart);
  append_padded(&frame, static_cast<unsigned>(data_segment.size()), kLengthDigits);
  frame.append(data_segment);
  append_crc_hex(&frame, hj212_crc16(data_segment));
  frame.append(kFrameEnd);
  return frame;
}

StatusOr<std::string> encode_frame(const HeaderFields& header, std::string_view cp_content,
                                   size_t max_data_length) {
  if (cp_content.find(kCpMarker) != std::string_view::npos) return invalid_argument("CP content contains &&");
  std::string seg;
  ECOMON_RETURN_IF_ERROR(append_header(&seg, header));
  seg.append("CP=").append(kCpMarker).append(cp_content).append(kCpMarker);
  return frame_data_segment(seg, max_data_length);
}

StatusOr<std::string> encode_message(const Message& m, size_t max_data_length) {
  const Header& h = m.header;
  std::string seg;
  if (!h.qn.empty()) seg.append("QN=").append(h.qn).push_back(';');
  seg.append("ST=").append(h.st).append(";CN=").append(h.cn).append(";PW=").append(h.pw);
  seg.append(";MN=").append(h.mn).push_back(';');
  if (h.flag) seg.append("Flag=").append(std::to_string(*h.flag)).push_back(';');
  // 2025 writes the packet numbers without padding (App. C p.77: PNUM=2;PNO=1); 2017 with 4 digits.
  const size_t width = m.version == ProtocolVersion::kHj212_2025 ? 1 : 4;
  if (h.pnum) {
    seg.append("PNUM=");
    append_padded(&seg, *h.pnum, width);
    seg.push_back(';');
  }
  if (h.pno) {
    seg.append("PNO=");
    append_padded(&seg, *h.pno, width);
    seg.push_back(';');
  }
  if (h.rf) seg.append("RF=").append(std::to_string(*h.rf)).push_back(';');
  seg.append("CP=").append(kCpMarker);
  for (size_t i = 0; i < m.cp.size(); ++i) {
    if (i > 0) seg.push_back(m.cp.group(i) == m.cp.group(i - 1) ? ',' : ';');
    seg.append(m.cp.key(i)).append("=").append(m.cp.value(i));
  }
  seg.append(kCpMarker);
  return frame_data_segment(seg, max_data_length);
}

std::string format_qn(const Timestamp& t) { return t.to_digits17(); }

StatusOr<std::string> encode_request_answer(std::string_view request_qn, const Peer& peer, QnRtn rtn) {
  return encode_answer(request_qn, peer, kCnRequestAnswer, "QnRtn=" + std::to_string(static_cast<int>(rtn)));
}

StatusOr<std::string> encode_execution_result(std::string_view request_qn, const Peer& peer, ExeRtn rtn) {
  return encode_answer(request_qn, peer, kCnExecutionResult,
                       "ExeRtn=" + std::to_string(static_cast<int>(rtn)));
}

StatusOr<std::string> encode_notice_answer(std::string_view notice_qn, const Peer& peer) {
  return encode_answer(notice_qn, peer, kCnNoticeAnswer, "");
}

StatusOr<std::string> encode_data_answer(std::string_view upload_qn, const Peer& peer) {
  return encode_answer(upload_qn, peer, kCnDataAnswer, "");
}

StatusOr<std::string> encode_get_time(const CommandTarget& t, std::string_view pol_id) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, true));
  const std::string cp = pol_id.empty() ? std::string() : "PolId=" + std::string(pol_id);
  return encode_command(t, kCnGetTime, cp);
}

StatusOr<std::string> encode_set_time(const CommandTarget& t, const Timestamp& system_time,
                                      std::string_view pol_id) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, true));
  std::string cp = pol_id.empty() ? std::string() : "PolId=" + std::string(pol_id) + ";";
  cp += "SystemTime=" + system_time.to_digits14();
  return encode_command(t, kCnSetTime, cp);
}

StatusOr<std::string> encode_get_rtd_interval(const CommandTarget& t) {
  return encode_command(t, kCnGetRtdInterval, "");
}

StatusOr<std::string> encode_set_rtd_interval(const CommandTarget& t, int seconds) {
  if (seconds < kMinRtdIntervalSeconds || seconds > kMaxRtdIntervalSeconds) {
    return invalid_argument("RtdInterval must be 30..3600 s, got " + std::to_string(seconds));
  }
  return encode_command(t, kCnSetRtdInterval, "RtdInterval=" + std::to_string(seconds));
}

StatusOr<std::string> encode_get_min_interval(const CommandTarget& t) {
  return encode_command(t, kCnGetMinInterval, "");
}

StatusOr<std::string> encode_set_min_interval(const CommandTarget& t, int minutes) {
  if (std::find(kAllowedMinIntervals.begin(), kAllowedMinIntervals.end(), minutes) ==
      kAllowedMinIntervals.end()) {
    return invalid_argument("MinInterval must be one of 1,2,3,4,5,6,10,12,15,20,30 min, got " +
                            std::to_string(minutes));
  }
  return encode_command(t, kCnSetMinInterval, "MinInterval=" + std::to_string(minutes));
}

StatusOr<std::string> encode_get_device_info(const CommandTarget& t, std::string_view pol_id,
                                             std::string_view info_id, std::optional<Timestamp> begin,
                                             std::optional<Timestamp> end) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, false));
  ECOMON_RETURN_IF_ERROR(check_text("InfoId", info_id, false));
  if (begin.has_value() != end.has_value()) return invalid_argument("BeginTime and EndTime go together");
  std::string cp = "PolId=" + std::string(pol_id) + ";InfoId=" + std::string(info_id);
  if (begin) cp += ";BeginTime=" + begin->to_digits14() + ",EndTime=" + end->to_digits14();
  return encode_command(t, kCnDeviceInfo, cp);
}

StatusOr<std::string> encode_upload(const HeaderFields& header, const Timestamp& data_time,
                                    std::span<const PollutantRecord> records, size_t max_data_length) {
  ECOMON_RETURN_IF_ERROR(check_upload(header));
  std::string cp = "DataTime=" + data_time.to_digits14();
  for (const PollutantRecord& r : records) {
    cp.push_back(';');
    ECOMON_RETURN_IF_ERROR(append_record(&cp, r));
  }
  return encode_frame(header, cp, max_data_length);
}

StatusOr<std::vector<std::string>> encode_upload_split(const HeaderFields& header, const Timestamp& data_time,
                                                       std::span<const PollutantRecord> records,
                                                       size_t max_data_length) {
  ECOMON_RETURN_IF_ERROR(check_upload(header));
  StatusOr<std::string> whole = encode_upload(header, data_time, records, max_data_length);
  if (whole.ok()) return std::vector<std::string>{std::move(whole).value()};
  // Size of everything but the records in a split packet.
  HeaderFields probe = header;
  probe.flag = static_cast<uint8_t>(header.flag.value_or(kFlagVersion2017) | kFlagSplitPacket);
  std::string fixed;
  probe.pnum = 1;
  probe.pno = 1;
  ECOMON_RETURN_IF_ERROR(append_header(&fixed, probe));
  const size_t fixed_size = fixed.size() + sizeof("CP=&&DataTime=yyyyMMddHHmmss&&") - 1;
  // Greedy packing of records, each packet with its own DataTime.
  std::vector<std::string> groups;
  std::vector<size_t> packet_of;
  size_t used = fixed_size;
  size_t packet = 0;
  for (const PollutantRecord& r : records) {
    std::string g;
    ECOMON_RETURN_IF_ERROR(append_record(&g, r));
    const size_t need = g.size() + 1;  // ';' before it
    if (fixed_size + need > max_data_length) {
      return invalid_argument("record for " + std::string(r.code) + " does not fit in one packet");
    }
    if (used + need > max_data_length) {
      ++packet;
      used = fixed_size;
    }
    used += need;
    groups.push_back(std::move(g));
    packet_of.push_back(packet);
  }
  const size_t packets = packet + 1;
  if (packets > kLengthFieldMax) return invalid_argument("too many packets");
  std::vector<std::string> frames;
  for (size_t p = 0; p < packets; ++p) {
    std::string cp = "DataTime=" + data_time.to_digits14();
    for (size_t i = 0; i < groups.size(); ++i) {
      if (packet_of[i] == p) cp.append(";").append(groups[i]);
    }
    HeaderFields h = probe;
    h.pnum = static_cast<uint16_t>(packets);
    h.pno = static_cast<uint16_t>(p + 1);
    StatusOr<std::string> f = encode_frame(h, cp, max_data_length);
    if (!f.ok()) return f.status();
    frames.push_back(std::move(f).value());
  }
  return frames;
}

std::optional<uint8_t> answer_flag(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::kHj212_2005:
      return std::nullopt;
    case ProtocolVersion::kHj212_2017:
      return kFlagVersion2017;
    case ProtocolVersion::kHj212_2025:
      return kFlagVersion2025;
    case ProtocolVersion::kOther:
      break;
  }
  return std::nullopt;
}

Peer answer_peer(const Message& request) {
  Peer p{.pw = request.header.pw, .mn = request.header.mn, .flag = answer_flag(request.version)};
  if (request.version == ProtocolVersion::kOther && request.header.flag) {
    p.flag = static_cast<uint8_t>(*request.header.flag & ~(kFlagAnswerNeeded | kFlagSplitPacket));
  }
  return p;
}

StatusOr<std::optional<std::string>> encode_answer_to(const Message& request) {
  if (!request.header.answer_needed()) return std::optional<std::string>();
  const Peer peer = answer_peer(request);
  const uint16_t cn = request.header.command;
  StatusOr<std::string> f = invalid_argument("unreachable");
  if (cn == kCnHeartbeat || cn == kCnHardwareSerials || cn == kCnTimeCalibrationRequest ||
      (cn == kCnNewKey && request.find("NewSK") == std::nullopt)) {
    f = encode_notice_answer(request.header.qn, peer);
  } else if (cn >= 2000 && cn < 3000) {
    f = encode_data_answer(request.header.qn, peer);
  } else {
    f = encode_request_answer(request.header.qn, peer, QnRtn::kReady);
  }
  if (!f.ok()) return f.status();
  return std::optional<std::string>(std::move(*f));
}

StatusOr<std::string> encode_set_mn(const CommandTarget& t, std::string_view daq_id) {
  ECOMON_RETURN_IF_ERROR(check_text("数采仪ID", daq_id, false));
  return encode_command(t, kCnSetMn, "i23005-Info=" + std::string(daq_id));
}

StatusOr<std::string> encode_new_key(const CommandTarget& t, std::string_view sk_create_time,
                                     std::string_view new_key) {
  if (sk_create_time.size() != kQnDigits || !parse_timestamp(sk_create_time))
    return invalid_argument("SKCreateTime must be 17 digits yyyyMMddHHmmssSSS");
  if (new_key.size() != kSm4KeySize) return invalid_argument("NewSK must be 16 characters");
  ECOMON_RETURN_IF_ERROR(check_text("NewSK", new_key, false));
  return encode_command(t, kCnNewKey,
                        "SKCreateTime=" + std::string(sk_create_time) + ",NewSK=" + std::string(new_key));
}

StatusOr<std::string> encode_calibrate(const CommandTarget& t, std::string_view pol_id,
                                       std::optional<int> calibration_type) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, false));
  std::string cp = "PolId=" + std::string(pol_id);
  if (calibration_type) {
    if (*calibration_type != 0 && *calibration_type != 1)
      return invalid_argument("CalibrationType is 0 or 1");
    cp += ",CalibrationType=" + std::to_string(*calibration_type);
  }
  return encode_command(t, kCnCalibrate, cp);
}

StatusOr<std::string> encode_sample_now(const CommandTarget& t, std::string_view pol_id) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, false));
  return encode_command(t, kCnSampleNow, "PolId=" + std::string(pol_id));
}

StatusOr<std::string> encode_start_standard_check(const CommandTarget& t, std::string_view pol_id) {
  ECOMON_RETURN_IF_ERROR(check_text("PolId", pol_id, false));
  return encode_command(t, kCnStartStandardCheck, "PolId=" + std::string(pol_id));
}

StatusOr<std::string> encode_heartbeat(const CommandTarget& t) { return encode_command(t, kCnHeartbeat, ""); }

}  // namespace ecomon::hj212
