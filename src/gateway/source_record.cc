#include "gateway/source_record.h"

#include <charconv>

namespace ecomon {

std::string_view cp_content(std::string_view seg) {
  size_t start = seg.find("CP=&&");
  if (start == std::string_view::npos) return {};
  start += 5;
  size_t end = seg.rfind("&&");
  if (end == std::string_view::npos || end < start) return seg.substr(start);
  return seg.substr(start, end - start);
}

StatusOr<SourceRecord> source_record_of(const hj212::Message& m, const hj212::AssembledMessage* whole,
                                        int64_t received_ms) {
  if (!m.data_time) return invalid_argument("upload without DataTime");
  SourceRecord r;
  r.mn = std::string(m.header.mn);
  r.cn = m.header.command;
  std::string digits = m.data_time->to_digits14();
  std::from_chars(digits.data(), digits.data() + digits.size(), r.data_time);
  r.qn = std::string(m.header.qn);
  r.received_ms = received_ms;
  r.flag = m.header.flag.value_or(0);
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
