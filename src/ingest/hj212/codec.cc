#include "ingest/hj212/codec.h"

#include <algorithm>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/time.h"
#include "ingest/hj212/crc.h"

namespace ecomon::hj212 {
namespace {

constexpr size_t kQnDigits = 17;
constexpr size_t kDateTimeDigits = 14;
constexpr size_t kStandardPwLength = 6;
constexpr size_t kStandardMnLength = 24;
constexpr size_t kCnDigits = 4;
constexpr size_t kPacketNumberDigits = 4;
constexpr unsigned kFlagMax = 255;
constexpr int kMaxDecimalDigits = 18;  // fits int64_t
constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kMinutesPerHour = 60;
constexpr int64_t kHoursPerDay = 24;
constexpr int64_t kMsPerDay = kMsPerSecond * kSecondsPerMinute * kMinutesPerHour * kHoursPerDay;
constexpr uint8_t kFirstPrintable = 0x20;
constexpr uint8_t kDelete = 0x7F;
constexpr uint32_t kLengthFieldOffset = static_cast<uint32_t>(kFrameStart.size());

// Header fields in the order Table 3 gives them.
enum class HeaderField : uint8_t { kQn = 0, kSt, kCn, kPw, kMn, kFlag, kPnum, kPno, kCp, kUnknown };

HeaderField classify_header(std::string_view name) {
  switch (name.size()) {
    case 2:
      if (name == "QN") return HeaderField::kQn;
      if (name == "ST") return HeaderField::kSt;
      if (name == "CN") return HeaderField::kCn;
      if (name == "PW") return HeaderField::kPw;
      if (name == "MN") return HeaderField::kMn;
      if (name == "CP") return HeaderField::kCp;
      break;
    case 3:
      if (name == "PNO") return HeaderField::kPno;
      break;
    case 4:
      if (name == "Flag") return HeaderField::kFlag;
      if (name == "PNUM") return HeaderField::kPnum;
      break;
    default:
      break;
  }
  return HeaderField::kUnknown;
}

// s == lit, with the length known at compile time (an integer compare, no library call).
template <size_t N>
bool equals(std::string_view s, const char (&lit)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

ItemField classify_suffix(std::string_view s) {
  switch (s.size()) {
    case 2:
      if (equals(s, "RS")) return ItemField::kRunState;
      if (equals(s, "RT")) return ItemField::kRunTime;
      if (equals(s, "SN")) return ItemField::kSn;
      break;
    case 3:
      if (equals(s, "Rtd")) return ItemField::kRtd;
      if (equals(s, "Avg")) return ItemField::kAvg;
      if (equals(s, "Min")) return ItemField::kMin;
      if (equals(s, "Max")) return ItemField::kMax;
      if (equals(s, "Cou")) return ItemField::kCou;
      break;
    case 4:
      if (equals(s, "Flag")) return ItemField::kFlag;
      if (equals(s, "Data")) return ItemField::kData;
      if (equals(s, "Info")) return ItemField::kInfo;
      break;
    case 5:
      if (equals(s, "ZsRtd")) return ItemField::kZsRtd;
      if (equals(s, "ZsAvg")) return ItemField::kZsAvg;
      if (equals(s, "ZsMin")) return ItemField::kZsMin;
      if (equals(s, "ZsMax")) return ItemField::kZsMax;
      if (equals(s, "EFlag")) return ItemField::kEFlag;
      break;
    case 7:
      if (equals(s, "DayData")) return ItemField::kDayData;
      break;
    case 9:
      if (equals(s, "NightData")) return ItemField::kNightData;
      break;
    case 10:
      if (equals(s, "SampleTime")) return ItemField::kSampleTime;
      break;
    default:
      break;
  }
  return ItemField::kOther;
}

// Plain keys whose value is a yyyyMMddHHmmss time.
bool is_plain_time_key(std::string_view key) {
  return key == "SystemTime" || key == "BeginTime" || key == "EndTime" || key == "RestartTime";
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  });
}

// Decimal digits to an unsigned value; s must be all digits and short enough not to overflow.
uint32_t digits_value(std::string_view s) {
  uint32_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
  return v;
}

// Scans a plain decimal ("12.3", "-0.036", "1425"; at most 18 digits) into *out; false when it is not one.
// Inlined into the item parser and written through a pointer: returning an optional<Decimal> from a call
// costs a store-forwarding stall per item on the hot path.
inline bool scan_decimal(std::string_view text, Decimal* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  // Accumulated unsigned (wrap-around is defined); the digit count is checked before the value is used.
  uint64_t units = 0;
  const char* const int_begin = p;
  while (p != end && static_cast<unsigned>(*p - '0') <= 9)
    units = units * 10 + static_cast<unsigned>(*p++ - '0');
  const ptrdiff_t int_digits = p - int_begin;
  if (int_digits == 0) return false;
  ptrdiff_t scale = 0;
  if (p != end && *p == '.') {
    const char* const frac_begin = ++p;
    while (p != end && static_cast<unsigned>(*p - '0') <= 9)
      units = units * 10 + static_cast<unsigned>(*p++ - '0');
    scale = p - frac_begin;
    if (scale == 0) return false;
  }
  if (p != end || int_digits + scale > kMaxDecimalDigits) return false;
  const auto value = static_cast<int64_t>(units);
  out->units = negative ? -value : value;
  out->scale = static_cast<int>(scale);
  return true;
}

// Parses exactly 14 or 17 digits (yyyyMMddHHmmss[SSS]) into a valid civil time *out; false otherwise. One
// pass turns the digits into values and checks them at once.
inline bool scan_timestamp(std::string_view digits, Timestamp* out) {
  const size_t n = digits.size();
  if (n != kDateTimeDigits && n != kQnDigits) return false;
  std::array<unsigned, kQnDigits> d{};
  unsigned bad = 0;
  for (size_t i = 0; i < n; ++i) {
    d[i] = static_cast<unsigned>(static_cast<unsigned char>(digits[i])) - '0';
    bad |= d[i] > 9 ? 1U : 0U;
  }
  if (bad != 0) return false;
  Timestamp t;
  t.year = static_cast<int16_t>(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]);
  t.month = static_cast<uint8_t>(d[4] * 10 + d[5]);
  t.day = static_cast<uint8_t>(d[6] * 10 + d[7]);
  t.hour = static_cast<uint8_t>(d[8] * 10 + d[9]);
  t.minute = static_cast<uint8_t>(d[10] * 10 + d[11]);
  t.second = static_cast<uint8_t>(d[12] * 10 + d[13]);
  if (n == kQnDigits) t.millisecond = static_cast<uint16_t>(d[14] * 100 + d[15] * 10 + d[16]);
  constexpr int kMinYear = 1900;
  constexpr unsigned kHours = 24;
  constexpr unsigned kMinutesOrSeconds = 60;
  if (t.year < kMinYear || t.hour >= kHours || t.minute >= kMinutesOrSeconds ||
      t.second >= kMinutesOrSeconds || !CivilDay::is_valid_ymd(t.year, t.month, t.day)) {
    return false;
  }
  *out = t;
  return true;
}

uint32_t offset_of(std::string_view part, std::string_view whole, uint32_t whole_offset) {
  return whole_offset + static_cast<uint32_t>(part.data() - whole.data());
}

// Up to 8 bytes of s from i, little-endian, zero-padded.
uint64_t load_word(std::string_view s, size_t i) {
  constexpr size_t kWordBytes = 8;
  uint64_t w = 0;
  const size_t n = std::min(kWordBytes, s.size() - i);
  std::memcpy(&w, s.data() + i, n);
  return w;
}

// A cheap hash of a CP key (its first and last 8 bytes and its length), for duplicate detection only: a hit
// is always confirmed by comparing keys.
uint64_t key_hash(std::string_view key) {
  constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  constexpr size_t kWordBytes = 8;
  constexpr int kRotate = 29;
  uint64_t head = 0;
  uint64_t tail = 0;
  if (key.size() >= kWordBytes) {  // fixed-size loads (most keys: "a21026-Rtd")
    std::memcpy(&head, key.data(), kWordBytes);
    std::memcpy(&tail, key.data() + key.size() - kWordBytes, kWordBytes);
  } else {
    head = load_word(key, 0);
  }
  uint64_t h = (head ^ ((tail << kRotate) | (tail >> (64 - kRotate))) ^ key.size()) * kMultiplier;
  return h ^ (h >> kRotate);
}

// Index of the last '-' of a CP key, or npos. Keys of 8 bytes or more test their last 8 bytes at once.
inline size_t last_dash(std::string_view key) {
  constexpr size_t kWordBytes = 8;
  size_t i = key.size();
  if (i >= kWordBytes) {
    uint64_t w = 0;
    std::memcpy(&w, key.data() + i - kWordBytes, kWordBytes);
    constexpr uint64_t kDashes = 0x2D2D2D2D2D2D2D2DULL;
    constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    const uint64_t x = w ^ kDashes;                              // a zero byte where key has '-'
    const uint64_t zero = ~(((x & kLow7) + kLow7) | x | kLow7);  // exactly the high bit of each zero byte
    if (zero != 0) return i - kWordBytes + static_cast<size_t>(63 - __builtin_clzll(zero)) / kWordBytes;
    i -= kWordBytes;
  }
  while (i > 0 && key[i - 1] != '-') --i;
  return i == 0 ? std::string_view::npos : i - 1;
}

// A 1024-bit filter of the keys seen in one CP area: a hit is confirmed by comparing the keys.
class KeyFilter {
 public:
  // Returns true when key was (probably) seen; false means certainly new. Marks the key as seen.
  bool test_and_set(std::string_view key) {
    const uint64_t h = key_hash(key);
    const size_t bit = static_cast<size_t>(h >> (64 - kBitsLog2));
    const uint64_t mask = 1ULL << (bit % kWordBits);
    uint64_t& word = words_[bit / kWordBits];
    const bool seen = (word & mask) != 0;
    word |= mask;
    return seen;
  }

 private:
  static constexpr size_t kWordBits = 64;
  static constexpr int kBitsLog2 = 10;  // 128 bytes to clear per frame
  static constexpr size_t kBits = size_t{1} << kBitsLog2;
  std::array<uint64_t, kBits / kWordBits> words_{};
};

// Copied rather than value-initialised per item (cheaper than clearing it field by field in a hot loop).
const CpItem kBlankItem{};

// Where one CP item ends, and where its '=' is.
struct ItemBounds {
  size_t end;      // index of the ';' or ',' that ends the item, or the size of the CP content
  size_t eq;       // index of its first '=' relative to the item's start, or npos
  bool second_eq;  // a second '=' inside the item
};

// Notes the '=' bits of one block (bit k = byte at block + k) that lie in the current item.
inline void note_equals(uint32_t bits, size_t block, size_t from, ItemBounds* b) {
  if (bits == 0) return;
  if (b->eq == std::string_view::npos) {
    b->eq = block + static_cast<size_t>(__builtin_ctz(bits)) - from;
    bits &= bits - 1;
  }
  if (bits != 0) b->second_eq = true;
}

// Scans the item starting at content[from]: its separator and its '='. Items are short ("a21026-Rtd=12.3"),
// so one 16-byte block usually holds all of it.
inline ItemBounds find_item(std::string_view content, size_t from) {
  const char* p = content.data();
  const size_t n = content.size();
  ItemBounds b{n, std::string_view::npos, false};
  size_t i = from;
#if defined(__SSE2__)
  constexpr size_t kBlock = 16;
  const __m128i semicolon = _mm_set1_epi8(';');
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i equals = _mm_set1_epi8('=');
  for (; i + kBlock <= n; i += kBlock) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const auto separators = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, semicolon), _mm_cmpeq_epi8(v, comma))));
    const auto eqs = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, equals)));
    if (separators != 0) {
      const uint32_t first = separators & (~separators + 1);
      note_equals(eqs & (first - 1), i, from, &b);
      b.end = i + static_cast<size_t>(__builtin_ctz(separators));
      return b;
    }
    note_equals(eqs, i, from, &b);
  }
#endif
  for (; i < n; ++i) {
    const char c = p[i];
    if (c == ';' || c == ',') {
      b.end = i;
      return b;
    }
    if (c == '=') note_equals(1U, i, from, &b);
  }
  return b;
}

// Parses a data segment into a Message. Internal steps return false on an error, which error_ then holds.
class SegmentParser {
 public:
  SegmentParser(std::string_view segment, uint32_t base, const DecodeOptions& options, Message* out)
      : seg_(segment), base_(base), options_(options), out_(out) {}

  FrameError parse() {
    size_t cp_start = 0;
    if (parse_header(&cp_start) && validate_header()) parse_cp(cp_start);
    return std::move(error_);
  }

 private:
  uint32_t at(std::string_view part) const { return offset_of(part, seg_, base_); }

  // Records a deviation; false when the policy does not tolerate it.
  bool deviate(DeviationKind kind, uint32_t offset, std::string_view field) {
    if (!options_.policy.tolerates(kind)) {
      error_ = FrameError{ErrorKind::kNonconforming, kind, offset, std::string(field), {}};
      error_.detail = std::string(deviation_name(kind)) + " is not accepted by the policy";
      return false;
    }
    out_->deviations.push_back(Deviation{kind, offset, field});
    return true;
  }
  bool fail(ErrorKind kind, uint32_t offset, std::string_view field, std::string detail) {
    error_ = FrameError{kind, DeviationKind::kCount, offset, std::string(field), std::move(detail)};
    return false;
  }

  bool parse_header(size_t* cp_value_start);
  bool validate_header();
  bool parse_cp(size_t cp_value_start);
  // item: one CP item; eq: its first '=' (npos if none).
  bool parse_item(std::string_view item, size_t eq, bool second_eq, uint16_t group, KeyFilter* keys);
  bool parse_time_value(CpItem* item);

  std::string_view seg_;
  uint32_t base_;
  const DecodeOptions& options_;
  Message* out_;
  FrameError error_;
  std::array<bool, static_cast<size_t>(HeaderField::kCp)> present_{};
};

bool SegmentParser::parse_header(size_t* cp_value_start) {
  Header& h = out_->header;
  size_t pos = 0;
  int last_order = -1;
  bool order_reported = false;
  const size_t size = seg_.size();
  for (;;) {
    if (pos >= size) return fail(ErrorKind::kMissingField, base_ + pos, "CP", "no CP= in the data segment");
    size_t eq = pos;
    while (eq < size && seg_[eq] != '=' && seg_[eq] != ';') ++eq;
    if (eq == size || seg_[eq] != '=') {
      return fail(ErrorKind::kBadField, base_ + pos, seg_.substr(pos, std::min<size_t>(eq - pos, 16)),
                  "header item without '='");
    }
    const std::string_view name = seg_.substr(pos, eq - pos);
    const HeaderField which = classify_header(name);
    if (which == HeaderField::kCp) {
      *cp_value_start = eq + 1;
      return true;
    }
    const void* found = std::memchr(seg_.data() + eq + 1, ';', size - eq - 1);
    const size_t semi =
        found == nullptr ? size : static_cast<size_t>(static_cast<const char*>(found) - seg_.data());
    if (semi == size)
      return fail(ErrorKind::kBadField, base_ + pos, name, "header field not terminated by ';'");
    const std::string_view value = seg_.substr(eq + 1, semi - eq - 1);
    if (which == HeaderField::kUnknown) {
      if (!deviate(DeviationKind::kUnknownHeaderField, base_ + pos, name)) return false;
      pos = semi + 1;
      continue;
    }
    const auto index = static_cast<size_t>(which);
    if (present_[index])
      return fail(ErrorKind::kDuplicateField, base_ + pos, name, "header field given twice");
    present_[index] = true;
    if (static_cast<int>(index) < last_order && !order_reported) {
      order_reported = true;
      if (!deviate(DeviationKind::kHeaderFieldOrder, base_ + pos, name)) return false;
    }
    last_order = std::max(last_order, static_cast<int>(index));
    switch (which) {
      case HeaderField::kQn:
        h.qn = value;
        break;
      case HeaderField::kSt:
        h.st = value;
        break;
      case HeaderField::kCn:
        h.cn = value;
        break;
      case HeaderField::kPw:
        h.pw = value;
        break;
      case HeaderField::kMn:
        h.mn = value;
        break;
      case HeaderField::kFlag:
        if (!all_digits(value) || value.size() > 3 || digits_value(value) > kFlagMax) {
          return fail(ErrorKind::kBadField, at(value), name, "Flag must be a number 0..255");
        }
        h.flag = static_cast<uint8_t>(digits_value(value));
        break;
      case HeaderField::kPnum:
      case HeaderField::kPno: {
        if (value.size() != kPacketNumberDigits || !all_digits(value)) {
          return fail(ErrorKind::kBadField, at(value), name, "must be 4 decimal digits");
        }
        const auto n = static_cast<uint16_t>(digits_value(value));
        if (which == HeaderField::kPnum) {
          h.pnum = n;
        } else {
          h.pno = n;
        }
        break;
      }
      default:
        break;
    }
    pos = semi + 1;
  }
}

bool SegmentParser::validate_header() {
  Header& h = out_->header;
  const auto present = [&](HeaderField f) { return present_[static_cast<size_t>(f)]; };
  const uint32_t start = base_;
  // QN 请求编码: yyyyMMddHHmmssSSS.
  if (!present(HeaderField::kQn)) {
    if (!deviate(DeviationKind::kMissingQn, start, "QN")) return false;
  } else if (h.qn.size() == kQnDigits && all_digits(h.qn)) {
    Timestamp t;
    if (!scan_timestamp(h.qn, &t))
      return fail(ErrorKind::kBadTimestamp, at(h.qn), "QN", "QN is not a valid date and time");
    h.qn_time.emplace(t);
  } else if (all_digits(h.qn)) {
    if (!deviate(DeviationKind::kQnNot17Digits, at(h.qn), "QN")) return false;
  } else {
    return fail(ErrorKind::kBadField, at(h.qn), "QN", "QN must be 17 digits yyyyMMddHHmmssSSS");
  }
  // ST 系统编码.
  if (!present(HeaderField::kSt)) return fail(ErrorKind::kMissingField, start, "ST", "no ST");
  if (h.st.empty()) return fail(ErrorKind::kBadField, at(h.st), "ST", "empty ST");
  if (!is_standard_system_type(h.st) && !deviate(DeviationKind::kNonstandardSt, at(h.st), "ST")) return false;
  // CN 命令编码.
  if (!present(HeaderField::kCn)) return fail(ErrorKind::kMissingField, start, "CN", "no CN");
  if (h.cn.size() != kCnDigits || !all_digits(h.cn)) {
    return fail(ErrorKind::kBadField, at(h.cn), "CN", "CN must be 4 decimal digits");
  }
  h.command = static_cast<uint16_t>(digits_value(h.cn));
  if (!is_standard_command(h.command) && !deviate(DeviationKind::kUnknownCn, at(h.cn), "CN")) return false;
  // PW 访问密码.
  if (!present(HeaderField::kPw)) return fail(ErrorKind::kMissingField, start, "PW", "no PW");
  if (h.pw.size() != kStandardPwLength && !deviate(DeviationKind::kNonstandardPw, at(h.pw), "PW"))
    return false;
  // MN 设备唯一标识: 24 hex digits (EPC-96).
  if (!present(HeaderField::kMn)) return fail(ErrorKind::kMissingField, start, "MN", "no MN");
  if (h.mn.empty()) return fail(ErrorKind::kBadField, at(h.mn), "MN", "empty MN");
  if ((h.mn.size() != kStandardMnLength || !all_hex(h.mn)) &&
      !deviate(DeviationKind::kNonstandardMn, at(h.mn), "MN")) {
    return false;
  }
  // Flag 拆分包及应答标志.
  if (!present(HeaderField::kFlag)) {
    if (!deviate(DeviationKind::kMissingFlag, start, "Flag")) return false;
  } else if (h.version() == ProtocolVersion::kOther) {
    if (!deviate(DeviationKind::kUnknownFlagVersion, start, "Flag")) return false;
  }
  // PNUM / PNO: present exactly when the D bit is set.
  const bool numbered = present(HeaderField::kPnum) || present(HeaderField::kPno);
  const bool d_bit = h.flag && (*h.flag & kFlagSplitPacket);
  if (d_bit && !numbered) {
    if (!deviate(DeviationKind::kSplitFlagWithoutPacketNumbers, start, "Flag")) return false;
  } else if (!d_bit && numbered) {
    if (!deviate(DeviationKind::kPacketNumbersWithoutSplitFlag, start, "PNUM")) return false;
  }
  if (h.pnum || h.pno) {
    if (!h.pnum || !h.pno)
      return fail(ErrorKind::kMissingField, start, h.pnum ? "PNO" : "PNUM", "PNUM without PNO");
    if (*h.pnum == 0 || *h.pno == 0 || *h.pno > *h.pnum) {
      return fail(ErrorKind::kBadField, start, "PNO", "need 1 <= PNO <= PNUM");
    }
  }
  return true;
}

bool SegmentParser::parse_cp(size_t cp_value_start) {
  const std::string_view cp = seg_.substr(cp_value_start);
  const uint32_t cp_offset = base_ + static_cast<uint32_t>(cp_value_start);
  if (cp.substr(0, kCpMarker.size()) != kCpMarker) {
    return fail(ErrorKind::kBadCp, cp_offset, "CP", "CP must start with &&");
  }
  if (cp.size() < 2 * kCpMarker.size() || cp.substr(cp.size() - kCpMarker.size()) != kCpMarker) {
    return fail(ErrorKind::kBadCp, base_ + static_cast<uint32_t>(seg_.size()), "CP",
                "CP not closed by && at the end of the data segment");
  }
  const std::string_view content = cp.substr(kCpMarker.size(), cp.size() - 2 * kCpMarker.size());
  if (const size_t inner = content.find(kCpMarker); inner != std::string_view::npos) {
    return fail(ErrorKind::kBadCp, at(content) + static_cast<uint32_t>(inner), "CP", "&& inside the CP area");
  }
  if (content.empty()) return true;
  KeyFilter keys;
  uint16_t group = 0;
  size_t item_start = 0;
  for (;;) {
    const ItemBounds b = find_item(content, item_start);
    const std::string_view item(content.data() + item_start, b.end - item_start);
    if (item.empty()) {
      if (!deviate(DeviationKind::kEmptyCpItem, at(content) + static_cast<uint32_t>(b.end), "CP"))
        return false;
    } else if (!parse_item(item, b.eq, b.second_eq, group, &keys)) {
      return false;
    }
    if (b.end == content.size()) return true;
    if (content[b.end] == ';') ++group;
    item_start = b.end + 1;
  }
}

bool SegmentParser::parse_item(std::string_view item, size_t eq, bool second_eq, uint16_t group,
                               KeyFilter* keys) {
  if (eq == std::string_view::npos) return fail(ErrorKind::kBadCp, at(item), item, "CP item without '='");
  if (eq == 0) return fail(ErrorKind::kBadCp, at(item), "CP", "CP item with an empty name");
  const std::string_view key(item.data(), eq);
  const size_t dash = last_dash(key);  // the last '-' of the key splits code and suffix
  if (second_eq) return fail(ErrorKind::kBadCp, at(item.substr(eq + 1)), key, "'=' inside a value");
  if (keys->test_and_set(key)) {
    const bool duplicate =
        std::any_of(out_->cp.begin(), out_->cp.end(), [&](const CpItem& c) { return c.key == key; });
    if (duplicate) return deviate(DeviationKind::kDuplicateKey, at(item), key);  // the first one is kept
  }
  // Built in place: on an error the message is abandoned anyway.
  CpItem& it = out_->cp.emplace_back(kBlankItem);
  it.key = key;
  it.value = std::string_view(item.data() + eq + 1, item.size() - eq - 1);
  it.group = group;
  it.offset = at(item);
  if (dash == std::string_view::npos) {
    it.name = key;
    it.field = key == "DataTime" ? ItemField::kDataTime : ItemField::kPlain;
  } else {
    it.code = std::string_view(key.data(), dash);
    it.name = std::string_view(key.data() + dash + 1, key.size() - dash - 1);
    if (it.code.empty() || it.name.empty()) {
      return fail(ErrorKind::kBadCp, it.offset, key, "CP key must be code-Suffix");
    }
    it.field = classify_suffix(it.name);
    if (it.field == ItemField::kOther && !deviate(DeviationKind::kUnknownFieldSuffix, it.offset, key))
      return false;
  }
  if (it.value.empty()) return deviate(DeviationKind::kEmptyValue, at(it.value), key);
  if (is_numeric_field(it.field)) {
    Decimal d;
    if (!scan_decimal(it.value, &d)) return deviate(DeviationKind::kNonNumericValue, at(it.value), key);
    it.number.emplace(d);
    return true;
  }
  if (it.field == ItemField::kDataTime || it.field == ItemField::kSampleTime ||
      (it.field == ItemField::kPlain && is_plain_time_key(key))) {
    if (!parse_time_value(&it)) return false;
    if (it.field == ItemField::kDataTime && !out_->data_time) out_->data_time = it.time;
    return true;
  }
  if (Decimal d; it.field == ItemField::kPlain && scan_decimal(it.value, &d)) {
    it.number.emplace(d);  // RtdInterval, QnRtn, ExeRtn, ...
  }
  return true;
}

bool SegmentParser::parse_time_value(CpItem* item) {
  const std::string_view v = item->value;
  if (Timestamp t; scan_timestamp(v, &t)) {
    item->time.emplace(t);
    if (v.size() == kDateTimeDigits) return true;
    return deviate(DeviationKind::kTimestamp17Digits, at(v), item->key);
  }
  return fail(ErrorKind::kBadTimestamp, at(v), item->key, "must be a valid yyyyMMddHHmmss");
}

FrameError frame_error(ErrorKind kind, size_t offset, std::string_view field, std::string detail) {
  return FrameError{kind, DeviationKind::kCount, static_cast<uint32_t>(offset), std::string(field),
                    std::move(detail)};
}

std::string two_digits(unsigned v) {
  return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

}  // namespace

std::string_view deviation_name(DeviationKind kind) {
  switch (kind) {
    case DeviationKind::kCrcLowercaseHex:
      return "crc_lowercase_hex";
    case DeviationKind::kCrcModbusSwapped:
      return "crc_modbus_swapped";
    case DeviationKind::kOversizeDataSegment:
      return "oversize_data_segment";
    case DeviationKind::kMissingQn:
      return "missing_qn";
    case DeviationKind::kQnNot17Digits:
      return "qn_not_17_digits";
    case DeviationKind::kMissingFlag:
      return "missing_flag";
    case DeviationKind::kUnknownFlagVersion:
      return "unknown_flag_version";
    case DeviationKind::kNonstandardSt:
      return "nonstandard_st";
    case DeviationKind::kUnknownCn:
      return "unknown_cn";
    case DeviationKind::kNonstandardPw:
      return "nonstandard_pw";
    case DeviationKind::kNonstandardMn:
      return "nonstandard_mn";
    case DeviationKind::kHeaderFieldOrder:
      return "header_field_order";
    case DeviationKind::kUnknownHeaderField:
      return "unknown_header_field";
    case DeviationKind::kPacketNumbersWithoutSplitFlag:
      return "packet_numbers_without_split_flag";
    case DeviationKind::kSplitFlagWithoutPacketNumbers:
      return "split_flag_without_packet_numbers";
    case DeviationKind::kTimestamp17Digits:
      return "timestamp_17_digits";
    case DeviationKind::kEmptyCpItem:
      return "empty_cp_item";
    case DeviationKind::kUnknownFieldSuffix:
      return "unknown_field_suffix";
    case DeviationKind::kDuplicateKey:
      return "duplicate_key";
    case DeviationKind::kEmptyValue:
      return "empty_value";
    case DeviationKind::kNonNumericValue:
      return "non_numeric_value";
    case DeviationKind::kClockSkew:
      return "clock_skew";
    case DeviationKind::kCount:
      break;
  }
  return "unknown";
}

std::string_view error_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone:
      return "none";
    case ErrorKind::kNoFrameStart:
      return "no_frame_start";
    case ErrorKind::kBadLengthField:
      return "bad_length_field";
    case ErrorKind::kLengthMismatch:
      return "length_mismatch";
    case ErrorKind::kOversize:
      return "oversize";
    case ErrorKind::kMissingTerminator:
      return "missing_terminator";
    case ErrorKind::kBadCrcField:
      return "bad_crc_field";
    case ErrorKind::kCrcMismatch:
      return "crc_mismatch";
    case ErrorKind::kControlByte:
      return "control_byte";
    case ErrorKind::kMissingField:
      return "missing_field";
    case ErrorKind::kDuplicateField:
      return "duplicate_field";
    case ErrorKind::kBadField:
      return "bad_field";
    case ErrorKind::kBadCp:
      return "bad_cp";
    case ErrorKind::kBadTimestamp:
      return "bad_timestamp";
    case ErrorKind::kNonconforming:
      return "nonconforming";
  }
  return "unknown";
}

Policy Policy::strict() { return Policy{}; }

Policy Policy::lenient() {
  Policy p;
  p.tolerated = (1U << kDeviationKindCount) - 1;
  p.max_data_length = kLengthFieldMax;
  return p;
}

std::string FrameError::to_string() const {
  if (ok()) return "ok";
  std::string s(kind == ErrorKind::kNonconforming ? deviation_name(deviation) : error_name(kind));
  s += " at byte " + std::to_string(offset);
  if (!field.empty()) s += " (field " + field + ")";
  if (!detail.empty()) s += ": " + detail;
  return s;
}

Status FrameError::to_status() const {
  if (ok()) return Status::ok_status();
  return invalid_argument(to_string());
}

int64_t Timestamp::civil_ms() const {
  const int64_t days = CivilDay::from_ymd(year, month, day).days_since_epoch();
  const int64_t seconds = (int64_t{hour} * kMinutesPerHour + minute) * kSecondsPerMinute + second;
  return days * kMsPerDay + seconds * kMsPerSecond + millisecond;
}

Timestamp Timestamp::from_civil_ms(int64_t ms) {
  int64_t days = ms / kMsPerDay;
  int64_t rest = ms % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  const CivilDay d = CivilDay::from_days(static_cast<int32_t>(days));
  Timestamp t;
  t.year = static_cast<int16_t>(d.year());
  t.month = static_cast<uint8_t>(d.month());
  t.day = static_cast<uint8_t>(d.day());
  t.millisecond = static_cast<uint16_t>(rest % kMsPerSecond);
  int64_t seconds = rest / kMsPerSecond;
  t.second = static_cast<uint8_t>(seconds % kSecondsPerMinute);
  seconds /= kSecondsPerMinute;
  t.minute = static_cast<uint8_t>(seconds % kMinutesPerHour);
  t.hour = static_cast<uint8_t>(seconds / kMinutesPerHour);
  return t;
}

std::string Timestamp::to_digits14() const {
  std::string s = std::to_string(year);
  while (s.size() < 4) s.insert(s.begin(), '0');
  s += two_digits(month) + two_digits(day) + two_digits(hour) + two_digits(minute) + two_digits(second);
  return s;
}

std::string Timestamp::to_digits17() const {
  std::string s = to_digits14();
  s += static_cast<char>('0' + millisecond / 100);
  s += two_digits(millisecond % 100);
  return s;
}

std::string Timestamp::to_iso() const {
  const std::string d = to_digits17();
  const std::string_view v = d;
  std::string s;
  s.reserve(v.size() + 6);
  s.append(v.substr(0, 4)).append("-").append(v.substr(4, 2)).append("-").append(v.substr(6, 2));
  s.append("T")
      .append(v.substr(8, 2))
      .append(":")
      .append(v.substr(10, 2))
      .append(":")
      .append(v.substr(12, 2));
  if (millisecond != 0) s.append(".").append(v.substr(kDateTimeDigits));
  return s;
}

std::optional<Timestamp> parse_timestamp(std::string_view digits) {
  Timestamp t;
  if (!scan_timestamp(digits, &t)) return std::nullopt;
  return t;
}

std::optional<Decimal> parse_decimal(std::string_view text) {
  Decimal d;
  if (!scan_decimal(text, &d)) return std::nullopt;
  return d;
}

std::string_view item_field_name(ItemField f) {
  switch (f) {
    case ItemField::kRtd:
      return "Rtd";
    case ItemField::kAvg:
      return "Avg";
    case ItemField::kMin:
      return "Min";
    case ItemField::kMax:
      return "Max";
    case ItemField::kCou:
      return "Cou";
    case ItemField::kZsRtd:
      return "ZsRtd";
    case ItemField::kZsAvg:
      return "ZsAvg";
    case ItemField::kZsMin:
      return "ZsMin";
    case ItemField::kZsMax:
      return "ZsMax";
    case ItemField::kFlag:
      return "Flag";
    case ItemField::kEFlag:
      return "EFlag";
    case ItemField::kSampleTime:
      return "SampleTime";
    case ItemField::kData:
      return "Data";
    case ItemField::kDayData:
      return "DayData";
    case ItemField::kNightData:
      return "NightData";
    case ItemField::kInfo:
      return "Info";
    case ItemField::kSn:
      return "SN";
    case ItemField::kRunState:
      return "RS";
    case ItemField::kRunTime:
      return "RT";
    case ItemField::kDataTime:
      return "DataTime";
    case ItemField::kPlain:
    case ItemField::kOther:
      break;
  }
  return "";
}

bool is_numeric_field(ItemField f) {
  switch (f) {
    case ItemField::kRtd:
    case ItemField::kAvg:
    case ItemField::kMin:
    case ItemField::kMax:
    case ItemField::kCou:
    case ItemField::kZsRtd:
    case ItemField::kZsAvg:
    case ItemField::kZsMin:
    case ItemField::kZsMax:
    case ItemField::kData:
    case ItemField::kDayData:
    case ItemField::kNightData:
    case ItemField::kRunState:
    case ItemField::kRunTime:
      return true;
    default:
      return false;
  }
}

ProtocolVersion Header::version() const {
  if (!flag) return ProtocolVersion::kHj212_2005;
  switch (*flag >> kFlagVersionShift) {
    case 0:
      return ProtocolVersion::kHj212_2005;
    case 1:
      return ProtocolVersion::kHj212_2017;
    default:
      return ProtocolVersion::kOther;
  }
}

const CpItem* Message::find(std::string_view key) const {
  for (const CpItem& item : cp) {
    if (item.key == key) return &item;
  }
  return nullptr;
}

bool Message::has(DeviationKind kind) const {
  return std::any_of(deviations.begin(), deviations.end(),
                     [kind](const Deviation& d) { return d.kind == kind; });
}

void Message::clear() {
  frame = {};
  data_segment = {};
  crc = 0;
  header = Header{};
  data_time.reset();
  cp.clear();
  deviations.clear();
}

FrameError parse_data_segment(std::string_view segment, uint32_t segment_offset, const DecodeOptions& options,
                              Message* out) {
  SegmentParser parser(segment, segment_offset, options, out);
  return parser.parse();
}

FrameError decode_frame(std::string_view frame, const DecodeOptions& options, Message* out) {
  out->clear();
  out->frame = frame;
  const Policy& policy = options.policy;
  if (frame.substr(0, kFrameStart.size()) != kFrameStart) {
    return frame_error(ErrorKind::kNoFrameStart, 0, "header", "frame does not start with ##");
  }
  const std::string_view length_text = frame.substr(kFrameStart.size(), kLengthDigits);
  if (length_text.size() != kLengthDigits || !all_digits(length_text)) {
    return frame_error(ErrorKind::kBadLengthField, kFrameStart.size(), "length",
                       "the 4 characters after ## must be decimal digits");
  }
  const size_t length = digits_value(length_text);
  const size_t crc_at = kSegmentOffset + length;
  const size_t end_at = crc_at + kCrcDigits;
  const size_t expected = end_at + kFrameEnd.size();
  if (frame.size() < end_at) {
    return frame_error(ErrorKind::kLengthMismatch, kFrameStart.size(), "length",
                       "length field says " + std::to_string(length) + " but the frame ends after " +
                           std::to_string(frame.size() < kSegmentOffset ? 0 : frame.size() - kSegmentOffset) +
                           " bytes of data segment and CRC");
  }
  const std::string_view terminator = frame.substr(end_at);
  const bool terminated = terminator.substr(0, kFrameEnd.size()) == kFrameEnd;
  if (!terminated && (options.require_terminator || !terminator.empty())) {
    return frame_error(ErrorKind::kMissingTerminator, end_at, "terminator",
                       "no CR LF after the CRC (the length field may be wrong)");
  }
  if (terminated && frame.size() != expected) {
    return frame_error(ErrorKind::kLengthMismatch, expected, "terminator", "bytes after the CR LF");
  }
  const std::string_view segment = frame.substr(kSegmentOffset, length);
  const std::string_view crc_text = frame.substr(crc_at, kCrcDigits);
  out->data_segment = segment;
  bool lower = false;
  const std::optional<uint16_t> stated = parse_crc_hex(crc_text, &lower);
  if (!stated) return frame_error(ErrorKind::kBadCrcField, crc_at, "CRC", "CRC must be 4 hex digits");
  out->crc = *stated;
  const uint16_t computed = hj212_crc16(segment);
  if (*stated != computed) {
    const bool swapped_modbus = modbus_crc16_swapped(segment) == *stated;
    if (!swapped_modbus || !policy.tolerates(DeviationKind::kCrcModbusSwapped)) {
      std::string detail = "stated " + std::string(crc_text) + ", computed " + crc_hex(computed);
      if (swapped_modbus)
        detail += " (it is the byte-swapped Modbus CRC16, which this policy does not accept)";
      return frame_error(ErrorKind::kCrcMismatch, crc_at, "CRC", std::move(detail));
    }
    out->deviations.push_back(
        Deviation{DeviationKind::kCrcModbusSwapped, static_cast<uint32_t>(crc_at), "CRC"});
  }
  if (lower) {
    if (!policy.tolerates(DeviationKind::kCrcLowercaseHex)) {
      return FrameError{ErrorKind::kNonconforming, DeviationKind::kCrcLowercaseHex,
                        static_cast<uint32_t>(crc_at), "CRC",
                        "CRC in lower-case hex; the standard writes upper-case"};
    }
    out->deviations.push_back(
        Deviation{DeviationKind::kCrcLowercaseHex, static_cast<uint32_t>(crc_at), "CRC"});
  }
  // Vectorisable scan first; the offending byte is located only when there is one.
  uint8_t any_control = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(segment.data());
  for (size_t i = 0; i < segment.size(); ++i) {
    any_control |= static_cast<uint8_t>((bytes[i] < kFirstPrintable) | (bytes[i] == kDelete));
  }
  if (any_control != 0) {
    for (size_t i = 0; i < segment.size(); ++i) {
      const auto b = static_cast<uint8_t>(segment[i]);
      if (b < kFirstPrintable || b == kDelete) {
        return frame_error(ErrorKind::kControlByte, kSegmentOffset + i, "data segment",
                           "control byte " + std::to_string(b) + " inside the data segment");
      }
    }
  }
  if (length > policy.max_data_length) {
    return frame_error(ErrorKind::kOversize, kFrameStart.size(), "length",
                       "data segment of " + std::to_string(length) + " bytes exceeds the limit of " +
                           std::to_string(policy.max_data_length));
  }
  if (length > kStandardMaxDataLength) {
    if (!policy.tolerates(DeviationKind::kOversizeDataSegment)) {
      return FrameError{ErrorKind::kNonconforming, DeviationKind::kOversizeDataSegment, kLengthFieldOffset,
                        "length", "data segment longer than the standard's 1024 bytes"};
    }
    out->deviations.push_back(Deviation{DeviationKind::kOversizeDataSegment, kLengthFieldOffset, "length"});
  }
  if (FrameError e = parse_data_segment(segment, kSegmentOffset, options, out); !e.ok()) return e;
  if (options.received_at_ms && out->header.qn_time) {
    const int64_t skew = out->header.qn_time->civil_ms() - *options.received_at_ms;
    if (skew > policy.max_clock_skew_ms || -skew > policy.max_clock_skew_ms) {
      if (!policy.tolerates(DeviationKind::kClockSkew)) {
        return FrameError{ErrorKind::kNonconforming, DeviationKind::kClockSkew,
                          static_cast<uint32_t>(out->header.qn.data() - frame.data()), "QN",
                          "QN is " + std::to_string(skew / kMsPerSecond) + " s away from the receive time"};
      }
      out->deviations.push_back(Deviation{DeviationKind::kClockSkew,
                                          static_cast<uint32_t>(out->header.qn.data() - frame.data()), "QN"});
    }
  }
  return {};
}

std::unique_ptr<OwnedMessage> OwnedMessage::copy_of(const Message& m) {
  std::unique_ptr<OwnedMessage> owned(new OwnedMessage());
  owned->frame_.assign(m.frame);
  const char* old_begin = m.frame.data();
  const char* old_end = old_begin + m.frame.size();
  const char* new_begin = owned->frame_.data();
  // Views into the old frame move to the copy; views of static text (field names) stay.
  const auto rebase = [&](std::string_view v) -> std::string_view {
    const auto at = reinterpret_cast<uintptr_t>(v.data());
    if (v.data() == nullptr || at < reinterpret_cast<uintptr_t>(old_begin) ||
        at > reinterpret_cast<uintptr_t>(old_end)) {
      return v;
    }
    return {new_begin + (at - reinterpret_cast<uintptr_t>(old_begin)), v.size()};
  };
  Message& c = owned->message_;
  c = m;
  c.frame = owned->frame_;
  c.data_segment = rebase(m.data_segment);
  c.header.qn = rebase(m.header.qn);
  c.header.st = rebase(m.header.st);
  c.header.cn = rebase(m.header.cn);
  c.header.pw = rebase(m.header.pw);
  c.header.mn = rebase(m.header.mn);
  for (CpItem& item : c.cp) {
    item.key = rebase(item.key);
    item.code = rebase(item.code);
    item.name = rebase(item.name);
    item.value = rebase(item.value);
  }
  for (Deviation& d : c.deviations) d.field = rebase(d.field);
  return owned;
}

}  // namespace ecomon::hj212
