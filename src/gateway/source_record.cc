#include "gateway/source_record.h"

#include "ingest/hj212/crc.h"

namespace ecomon {

std::string_view cp_content(std::string_view seg) {
  size_t start = seg.find("CP=&&");
  if (start == std::string_view::npos) return {};
  start += 5;
  size_t end = seg.rfind("&&");
  if (end == std::string_view::npos || end < start) return seg.substr(start);
  return seg.substr(start, end - start);
}

namespace {

// DataTime as the integer yyyymmddhhmmss.
int64_t digits14_of(const hj212::Timestamp& t) {
  constexpr int64_t kYear = 10'000'000'000;
  constexpr int64_t kMonth = 100'000'000;
  constexpr int64_t kDay = 1'000'000;
  constexpr int64_t kHour = 10'000;
  constexpr int64_t kMinute = 100;
  return t.year * kYear + t.month * kMonth + t.day * kDay + t.hour * kHour + t.minute * kMinute + t.second;
}

// What hj212::encode_frame() accepts in a header value: no separator, no control byte.
bool plain_text(std::string_view v) {
  for (char c : v) {
    const auto b = static_cast<uint8_t>(c);
    if (c == ';' || c == '=' || c == ',' || c == '&' || b < 0x20 || b == 0x7F) return false;
  }
  return true;
}

}  // namespace

bool append_data_answer(std::string* out, std::string_view qn, std::string_view pw, std::string_view mn,
                        std::optional<uint8_t> flag) {
  if (qn.empty() || mn.empty() || !plain_text(pw) || !plain_text(mn)) return false;
  for (char c : qn) {
    if (c < '0' || c > '9') return false;
  }
  const size_t start = out->size();
  out->append(hj212::kFrameStart).append(hj212::kLengthDigits, '0');
  const size_t segment_at = out->size();
  out->append("QN=").append(qn).append(";ST=91;CN=9014;PW=").append(pw).append(";MN=").append(mn);
  if (flag) {
    out->append(";Flag=");
    if (*flag >= 100) out->push_back(static_cast<char>('0' + *flag / 100));
    if (*flag >= 10) out->push_back(static_cast<char>('0' + *flag / 10 % 10));
    out->push_back(static_cast<char>('0' + *flag % 10));
  }
  out->append(";CP=&&&&");
  const size_t length = out->size() - segment_at;
  if (length > hj212::kLengthFieldMax) {
    out->resize(start);
    return false;
  }
  char* digits = out->data() + start + hj212::kFrameStart.size();
  size_t rest = length;
  for (size_t i = hj212::kLengthDigits; i-- > 0; rest /= 10) digits[i] = static_cast<char>('0' + rest % 10);
  const uint16_t crc = hj212::hj212_crc16(std::string_view(out->data() + segment_at, length));
  hj212::append_crc_hex(out, crc);
  out->append(hj212::kFrameEnd);
  return true;
}

int stored_flag(const hj212::Message& m) {
  return m.header.flag.value_or(0) | (m.header.resent() ? kStoredFlagResent : 0);
}

bool source_record_view_of(const hj212::Message& m, int64_t received_ms, SourceRecordView* out) {
  if (!m.data_time) return false;
  out->mn = m.header.mn;
  out->cn = m.header.command;
  out->data_time = digits14_of(*m.data_time);
  out->qn = m.header.qn;
  out->received_ms = received_ms;
  out->flag = stored_flag(m);
  out->cp = cp_content(m.data_segment);
  return true;
}

StatusOr<SourceRecord> source_record_of(const hj212::Message& m, const hj212::AssembledMessage* whole,
                                        int64_t received_ms) {
  if (!m.data_time) return invalid_argument("upload without DataTime");
  SourceRecord r;
  r.mn = std::string(m.header.mn);
  r.cn = m.header.command;
  r.data_time = digits14_of(*m.data_time);
  r.qn = std::string(m.header.qn);
  r.received_ms = received_ms;
  r.flag = stored_flag(m);
  if (!whole) {
    r.cp = std::string(cp_content(m.data_segment));
    return r;
  }
  // A split upload: the parts' CP contents joined, the DataTime repeated by later parts left out.
  for (size_t i = 0; i < whole->parts().size(); ++i) {
    std::string_view cp = cp_content(whole->parts()[i]->message().data_segment);
    if (i > 0 && cp.rfind("DataTime=", 0) == 0) {
      size_t semi = cp.find(';');
      cp = semi == std::string_view::npos ? std::string_view() : cp.substr(semi + 1);
    }
    if (cp.empty()) continue;
    if (!r.cp.empty()) r.cp += ';';
    r.cp += cp;
  }
  return r;
}

}  // namespace ecomon
