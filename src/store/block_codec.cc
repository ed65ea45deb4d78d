#include "store/block_codec.h"

namespace ecomon {
namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr int kMaxDecimals = 3;
constexpr int64_t kScale[] = {1000, 100, 10, 1};  // divisor of Milli for 0..3 stored decimals

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool get_varint(const uint8_t*& p, const uint8_t* end, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    uint8_t b = *p++;
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

std::string encode_block(std::span<const Milli> values) {
  int decimals = 0;
  for (Milli v : values) {
    if (v == kMissing) continue;
    while (decimals < kMaxDecimals && v % kScale[decimals] != 0) ++decimals;
  }
  std::string out;
  out.reserve(values.size() + 8);
  out.push_back(static_cast<char>(kFormatVersion));
  out.push_back(static_cast<char>(decimals));
  put_varint(out, values.size());
  for (Milli v : values) {
    put_varint(out, v == kMissing ? 0 : zigzag(v / kScale[decimals]) + 1);
  }
  return out;
}

StatusOr<size_t> block_size(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  if (bytes.size() < 3 || p[0] != kFormatVersion || p[1] > kMaxDecimals) {
    return data_loss("corrupt hourly block header");
  }
  p += 2;
  uint64_t n = 0;
  if (!get_varint(p, end, n)) return data_loss("corrupt hourly block count");
  return static_cast<size_t>(n);
}

Status decode_block(std::string_view bytes, std::span<Milli> out) {
  auto n = block_size(bytes);
  if (!n.ok()) return n.status();
  if (*n != out.size()) {
    return data_loss("hourly block holds " + std::to_string(*n) + " values, expected " +
                     std::to_string(out.size()));
  }
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + 2;
  const uint8_t* end = reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size();
  int64_t scale = kScale[static_cast<uint8_t>(bytes[1])];
  uint64_t count = 0;
  get_varint(p, end, count);
  for (Milli& v : out) {
    if (p < end && *p < 0x80) {  // fast path: one-byte varint
      uint8_t b = *p++;
      v = b == 0 ? kMissing : static_cast<Milli>(unzigzag(b - 1u) * scale);
      continue;
    }
    uint64_t code = 0;
    if (!get_varint(p, end, code)) return data_loss("truncated hourly block");
    v = code == 0 ? kMissing : static_cast<Milli>(unzigzag(code - 1) * scale);
  }
  return Status();
}

}  // namespace ecomon
