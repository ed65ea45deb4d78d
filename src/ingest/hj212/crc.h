// CRC16 checksums of HJ 212 frames (HJ 212-2017 Appendix A, 校验码).
//
// The standard's CRC16 is computed over the data segment only (not "##", not the length field) and is written
// as 4 hex digits, high byte first. It is NOT CRC-16/MODBUS: the register is shifted right by 8 before each
// byte is XOR-ed in, so only its high byte carries over from one byte to the next. Some field devices send
// the Modbus CRC16 with its two bytes swapped instead; modbus_crc16_swapped() exists only so that the lenient
// policy can recognise those frames.
//
//   uint16_t c = hj212_crc16("QN=20160801085857223;ST=32;...;CP=&&RtdInterval=30&&");  // 0x1C80
//   std::string hex = crc_hex(c);                                                      // "1C80"
//
// Pure functions, thread-safe, no allocation (except crc_hex's result).
//
// hj212_crc16 picks at start-up the fastest kernel the CPU runs (CrcKernel): AVX2, else GFNI, else SSSE3,
// else the portable table-driven one. All of them give the same value; tests run each one the CPU has against
// the reference.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ecomon::hj212 {

// The HJ 212-2017 CRC16 (poly 0xA001 reflected, init 0xFFFF, register shifted before the byte is XOR-ed in).
uint16_t hj212_crc16(std::string_view data);

// The implementations of hj212_crc16. kScalar folds 16 bytes per step through 4 KiB of tables (any CPU); the
// x86-64 kernels keep one 8-bit state per byte lane of a 16-byte vector and combine the lanes at the end:
// kSsse3 applies the state map with two nibble-table shuffles, kGfni with one affine instruction; kAvx2 keeps
// 32 lanes (two nibble-table shuffles per 32 bytes: the shortest dependency chain, so the first choice).
enum class CrcKernel : uint8_t { kScalar, kSsse3, kGfni, kAvx2 };
// True when this build and CPU can run kernel k (kScalar always).
bool crc_kernel_available(CrcKernel k);
// The kernel hj212_crc16 uses: the best available one.
CrcKernel crc_kernel_in_use();
// hj212_crc16 with a given kernel, which must be available (for tests and benchmarks).
uint16_t hj212_crc16_with(CrcKernel k, std::string_view data);
// "scalar", "ssse3", "gfni", "avx2".
std::string_view crc_kernel_name(CrcKernel k);

// hj212_crc16 of data, and in the same pass whether data holds a byte outside printable ASCII: a control byte
// (below 0x20, or DEL 0x7F) or a byte of non-ASCII text (0x80 and above). The decoder looks closer only then
// (control bytes are refused, other text must be UTF-8). The vector kernels test the blocks they already
// load.
uint16_t hj212_crc16_and_controls(std::string_view data, bool* has_control);
// The same with a given kernel, which must be available (for tests).
uint16_t hj212_crc16_and_controls_with(CrcKernel k, std::string_view data, bool* has_control);

// CRC-16/MODBUS (init 0xFFFF, crc ^= byte) of data.
uint16_t modbus_crc16(std::string_view data);

// CRC-16/MODBUS with its bytes swapped: the value such devices print as 4 hex digits.
uint16_t modbus_crc16_swapped(std::string_view data);

// Which algorithm a stated CRC matches: the standard's, the byte-swapped Modbus one, or neither.
enum class CrcMatch : uint8_t { kStandard, kModbusSwapped, kNone };
CrcMatch classify_crc(std::string_view data_segment, uint16_t stated);

// 4 upper-case hex digits, high nibble first: 0x1C80 -> "1C80".
std::string crc_hex(uint16_t crc);
void append_crc_hex(std::string* out, uint16_t crc);

namespace detail {
// Per byte: its hex digit value, kLowerCaseHex added for a-f, kNotHex for anything else.
inline constexpr uint8_t kLowerCaseHex = 0x40;
inline constexpr uint8_t kNotHex = 0x80;
constexpr std::array<uint8_t, 256> make_hex_table() {
  std::array<uint8_t, 256> t{};
  for (size_t c = 0; c < t.size(); ++c) {
    if (c >= '0' && c <= '9') {
      t[c] = static_cast<uint8_t>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      t[c] = static_cast<uint8_t>(c - 'A' + 10);
    } else if (c >= 'a' && c <= 'f') {
      t[c] = static_cast<uint8_t>((c - 'a' + 10) | kLowerCaseHex);
    } else {
      t[c] = kNotHex;
    }
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kHexTable = make_hex_table();
}  // namespace detail

// Parses exactly 4 hex digits (either case). Sets *lower_case when any letter digit is lower-case. (Inline:
// the decoder calls it for every frame.)
inline std::optional<uint16_t> parse_crc_hex(std::string_view text, bool* lower_case) {
  constexpr size_t kHexDigits = 4;
  constexpr unsigned kNibble = 0x0F;
  if (text.size() != kHexDigits) return std::nullopt;
  const auto digit = [&](size_t i) { return detail::kHexTable[static_cast<uint8_t>(text[i])]; };
  const uint8_t a = digit(0);
  const uint8_t b = digit(1);
  const uint8_t c = digit(2);
  const uint8_t d = digit(3);
  const auto any = static_cast<uint8_t>(a | b | c | d);
  if ((any & detail::kNotHex) != 0) return std::nullopt;
  if (lower_case != nullptr) *lower_case = (any & detail::kLowerCaseHex) != 0;
  return static_cast<uint16_t>(((a & kNibble) << 12) | ((b & kNibble) << 8) | ((c & kNibble) << 4) |
                               (d & kNibble));
}

}  // namespace ecomon::hj212
