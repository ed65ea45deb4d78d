#include "ingest/hj212/check.h"

#include <istream>
#include <ostream>

namespace ecomon::hj212 {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  size_t n = 0;
  uint32_t min_code_point = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    min_code_point = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    min_code_point = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    min_code_point = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  uint32_t cp = b0 & (0x7FU >> n);
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6) | (b & 0x3FU);
  }
  constexpr uint32_t kSurrogateFirst = 0xD800, kSurrogateLast = 0xDFFF, kMaxCodePoint = 0x10FFFF;
  if (cp < min_code_point || cp > kMaxCodePoint || (cp >= kSurrogateFirst && cp <= kSurrogateLast)) return 0;
  return n;
}

void append_string_or_null(std::string* out, std::string_view s, bool present) {
  if (present) {
    append_json_string(out, s);
  } else {
    out->append("null");
  }
}

std::string_view version_name(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::kHj212_2005:
      return "HJ/T212-2005";
    case ProtocolVersion::kHj212_2017:
      return "HJ212-2017";
    case ProtocolVersion::kHj212_2025:
      return "HJ212-2025";
    case ProtocolVersion::kOther:
      break;
  }
  return "other";
}

void append_deviations(std::string* out, const Message& m) {
  out->push_back('[');
  for (size_t i = 0; i < m.deviations.size(); ++i) {
    const Deviation& d = m.deviations[i];
    if (i > 0) out->push_back(',');
    out->append("{\"kind\":");
    append_json_string(out, deviation_name(d.kind));
    out->append(",\"offset\":").append(std::to_string(d.offset)).append(",\"field\":");
    append_json_string(out, d.field);
    out->push_back('}');
  }
  out->push_back(']');
}

void append_header(std::string* out, const Message& m) {
  const Header& h = m.header;
  out->append("{\"QN\":");
  append_string_or_null(out, h.qn, !h.qn.empty());
  out->append(",\"ST\":");
  append_json_string(out, h.st);
  out->append(",\"CN\":");
  append_json_string(out, h.cn);
  out->append(",\"PW\":");
  append_json_string(out, h.pw);
  out->append(",\"MN\":");
  append_json_string(out, h.mn);
  out->append(",\"Flag\":").append(h.flag ? std::to_string(*h.flag) : "null");
  out->append(",\"PNUM\":").append(h.pnum ? std::to_string(*h.pnum) : "null");
  out->append(",\"PNO\":").append(h.pno ? std::to_string(*h.pno) : "null");
  if (h.rf) out->append(",\"RF\":").append(std::to_string(*h.rf));  // 2025 only: 2017 output unchanged
  out->append(",\"version\":");
  append_json_string(out, version_name(m.version));
  if (m.encrypted()) {
    out->append(",\"encrypted\":");
    append_json_string(out, m.cp_form == Message::CpWireForm::kBinary ? "binary" : "hex_list");
  }
  out->push_back('}');
}

void append_cp(std::string* out, const Message& m) {
  out->push_back('[');
  for (size_t i = 0; i < m.cp.size(); ++i) {
    const CpItem& item = m.cp[i];
    if (i > 0) out->push_back(',');
    out->append("{\"key\":");
    append_json_string(out, item.key);
    out->append(",\"code\":");
    append_string_or_null(out, item.code, !item.code.empty());
    out->append(",\"field\":");
    append_json_string(out, item.name);
    out->append(",\"value\":");
    append_json_string(out, item.value);
    if (!item.code.empty()) {
      if (const PollutantCode* p = resolve_pollutant(item.code, m.version, m.header.st)) {
        out->append(",\"pollutant\":");
        append_json_string(out, p->code);
        out->append(",\"name\":");
        append_json_string(out, p->name);
        out->append(",\"unit\":");
        append_json_string(out, p->unit);
      }
    }
    out->push_back('}');
  }
  out->push_back(']');
}

}  // namespace

void append_json_string(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto b = static_cast<uint8_t>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (b < 0x20 || b == 0x7F) {
      out->append("\\u00");
      out->push_back(kHexDigits[b >> 4]);
      out->push_back(kHexDigits[b & 0xFU]);
    } else if (b >= 0x80) {
      const size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        out->append("\\ufffd");
        ++i;
        continue;
      }
      out->append(s.substr(i, n));
      i += n;
      continue;
    } else {
      out->push_back(c);
    }
    ++i;
  }
  out->push_back('"');
}

std::string check_line_json(std::string_view line, size_t line_number, const Policy& policy, bool* ok) {
  return check_line_json(line, line_number, CheckOptions{.policy = policy}, ok);
}

std::string check_line_json(std::string_view line, size_t line_number, const CheckOptions& check, bool* ok) {
  DecodeOptions options;
  options.policy = check.policy;
  options.require_terminator = false;
  options.version = check.version;
  options.keys = check.keys;
  Message m;
  const FrameError e = decode_frame(line, options, &m);
  *ok = e.ok();
  std::string out = "{\"line\":" + std::to_string(line_number) + ",\"ok\":" + (e.ok() ? "true" : "false");
  out.append(",\"error\":");
  if (e.ok()) {
    out.append("null");
  } else {
    out.append("{\"what\":");
    append_json_string(
        &out, e.kind == ErrorKind::kNonconforming ? deviation_name(e.deviation) : error_name(e.kind));
    out.append(",\"offset\":").append(std::to_string(e.offset)).append(",\"field\":");
    append_json_string(&out, e.field);
    out.append(",\"detail\":");
    append_json_string(&out, e.detail);
    out.push_back('}');
  }
  out.append(",\"deviations\":");
  append_deviations(&out, m);
  // For a failed line, read the segment leniently to show what it says (diagnosis only).
  Message shown;
  bool have_header = e.ok();
  if (!e.ok() && !m.data_segment.empty()) {
    DecodeOptions lenient;
    lenient.policy = Policy::lenient();
    lenient.version = check.version;
    have_header =
        parse_data_segment(m.data_segment, static_cast<uint32_t>(kSegmentOffset), lenient, &shown).ok();
  }
  const Message& h = e.ok() ? m : shown;
  out.append(",\"header\":");
  if (have_header) {
    append_header(&out, h);
  } else {
    out.append("null");
  }
  out.append(",\"cp\":");
  if (have_header) {
    append_cp(&out, h);
  } else {
    out.append("null");
  }
  out.append(",\"data_time\":");
  append_string_or_null(&out, have_header && h.data_time ? h.data_time->to_iso() : std::string(),
                        have_header && h.data_time.has_value());
  out.push_back('}');
  return out;
}

int run_hj212_check(std::istream& in, std::ostream& out, const Policy& policy) {
  return run_hj212_check(in, out, CheckOptions{.policy = policy});
}

int run_hj212_check(std::istream& in, std::ostream& out, const CheckOptions& check) {
  std::string line;
  size_t line_number = 0;
  bool all_ok = true;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    bool ok = false;
    out << check_line_json(line, line_number, check, &ok) << '\n';
    all_ok = all_ok && ok;
  }
  return all_ok ? 0 : 1;
}

}  // namespace ecomon::hj212
