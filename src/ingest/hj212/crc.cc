#include "ingest/hj212/crc.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>

namespace ecomon::hj212 {
namespace {

constexpr uint16_t kInitialRegister = 0xFFFF;
constexpr uint16_t kReflectedPolynomial = 0xA001;
constexpr int kBitsPerByte = 8;
constexpr size_t kTableSize = 256;
// Bytes folded per step of the sliced loop below (two 64-bit words).
constexpr int kSliceWidth = 16;
constexpr int kWordBytes = 8;

// kByteTable[i]: the register after shifting i through 8 rounds of the reflected polynomial. Linear over
// GF(2): kByteTable[a ^ b] == kByteTable[a] ^ kByteTable[b].
constexpr std::array<uint16_t, kTableSize> make_byte_table() {
  std::array<uint16_t, kTableSize> t{};
  for (size_t i = 0; i < kTableSize; ++i) {
    uint16_t reg = static_cast<uint16_t>(i);
    for (int j = 0; j < kBitsPerByte; ++j) {
      const bool low_bit = (reg & 1U) != 0;
      reg = static_cast<uint16_t>(reg >> 1);
      if (low_bit) reg ^= kReflectedPolynomial;
    }
    t[i] = reg;
  }
  return t;
}
constexpr std::array<uint16_t, kTableSize> kByteTable = make_byte_table();

// In the standard's algorithm, reg' = T[(reg >> 8) ^ byte]: the next register depends only on the high byte
// of the current one. So the state between bytes is 8 bits, s' = H(s ^ byte) with H(x) = T[x] >> 8, and H is
// linear. Folding k bytes at once: s_{i+k} = H^k(s_i ^ b_i) ^ H^{k-1}(b_{i+1}) ^ ... ^ H^1(b_{i+k-1}).
// kHighPowers[p][x] = H^(p+1)(x). Sixteen 256-byte tables (4 KiB, L1-resident); the dependency chain is one
// lookup per 16 bytes and the 16 lookups of a step are independent. (A carry-less-multiply CRC does not fit:
// keeping only the high byte of the register between bytes is not a polynomial reduction, so the state map H
// is just a linear 8x8 bit matrix, and folding needs one table per byte position, which is what this is.)
using HighPowerTables = std::array<std::array<uint8_t, kTableSize>, kSliceWidth>;
constexpr HighPowerTables make_high_power_tables() {
  HighPowerTables t{};
  for (size_t x = 0; x < kTableSize; ++x) t[0][x] = static_cast<uint8_t>(kByteTable[x] >> kBitsPerByte);
  for (int p = 1; p < kSliceWidth; ++p) {
    for (size_t x = 0; x < kTableSize; ++x) t[p][x] = t[0][t[p - 1][x]];
  }
  return t;
}
constexpr HighPowerTables kHighPowers = make_high_power_tables();

inline uint8_t byte_at(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

}  // namespace

// The low byte of w (shifted right by `byte` bytes).
inline uint8_t lane(uint64_t w, int byte) { return static_cast<uint8_t>(w >> (byte * kBitsPerByte)); }

uint16_t hj212_crc16(std::string_view data) {
  if (data.empty()) return kInitialRegister;
  // All bytes but the last advance the 8-bit state; the last one selects the full 16-bit register.
  const size_t folded = data.size() - 1;
  uint8_t state = static_cast<uint8_t>(kInitialRegister >> kBitsPerByte);
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    const auto& t = kHighPowers;
    for (; i + kSliceWidth <= folded; i += kSliceWidth) {
      uint64_t a = 0;
      uint64_t b = 0;
      std::memcpy(&a, data.data() + i, kWordBytes);
      std::memcpy(&b, data.data() + i + kWordBytes, kWordBytes);
      a ^= state;
      state =
          static_cast<uint8_t>(t[15][lane(a, 0)] ^ t[14][lane(a, 1)] ^ t[13][lane(a, 2)] ^ t[12][lane(a, 3)] ^
                               t[11][lane(a, 4)] ^ t[10][lane(a, 5)] ^ t[9][lane(a, 6)] ^ t[8][lane(a, 7)] ^
                               t[7][lane(b, 0)] ^ t[6][lane(b, 1)] ^ t[5][lane(b, 2)] ^ t[4][lane(b, 3)] ^
                               t[3][lane(b, 4)] ^ t[2][lane(b, 5)] ^ t[1][lane(b, 6)] ^ t[0][lane(b, 7)]);
    }
  }
  for (; i < folded; ++i) state = kHighPowers[0][state ^ byte_at(data, i)];
  return kByteTable[state ^ byte_at(data, folded)];
}

uint16_t modbus_crc16(std::string_view data) {
  uint16_t reg = kInitialRegister;
  for (char c : data) {
    reg = static_cast<uint16_t>((reg >> kBitsPerByte) ^ kByteTable[(reg ^ static_cast<uint8_t>(c)) & 0xFFU]);
  }
  return reg;
}

uint16_t modbus_crc16_swapped(std::string_view data) {
  const uint16_t c = modbus_crc16(data);
  return static_cast<uint16_t>((c << kBitsPerByte) | (c >> kBitsPerByte));
}

CrcMatch classify_crc(std::string_view data_segment, uint16_t stated) {
  if (hj212_crc16(data_segment) == stated) return CrcMatch::kStandard;
  if (modbus_crc16_swapped(data_segment) == stated) return CrcMatch::kModbusSwapped;
  return CrcMatch::kNone;
}

void append_crc_hex(std::string* out, uint16_t crc) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  constexpr int kNibbleBits = 4;
  constexpr int kHexDigits = 4;
  for (int shift = (kHexDigits - 1) * kNibbleBits; shift >= 0; shift -= kNibbleBits) {
    out->push_back(kDigits[(crc >> shift) & 0xFU]);
  }
}

std::string crc_hex(uint16_t crc) {
  std::string s;
  append_crc_hex(&s, crc);
  return s;
}

std::optional<uint16_t> parse_crc_hex(std::string_view text, bool* lower_case) {
  constexpr size_t kHexDigits = 4;
  constexpr int kDecimalDigits = 10;
  if (text.size() != kHexDigits) return std::nullopt;
  uint16_t v = 0;
  bool lower = false;
  for (char c : text) {
    int d = 0;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + kDecimalDigits;
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + kDecimalDigits;
      lower = true;
    } else {
      return std::nullopt;
    }
    v = static_cast<uint16_t>((v << 4) | d);
  }
  if (lower_case != nullptr) *lower_case = lower;
  return v;
}

}  // namespace ecomon::hj212
