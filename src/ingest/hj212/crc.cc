#include "ingest/hj212/crc.h"

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ECOMON_CRC_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

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

constexpr uint8_t kFirstPrintable = 0x20;
constexpr uint8_t kDelete = 0x7F;

// A byte outside printable ASCII: a control byte (below 0x20), DEL (0x7F), or a byte of non-ASCII text
// (0x80 and above, which the decoder then checks for UTF-8).
bool has_control_scalar(std::string_view data) {
  uint8_t any = 0;
  for (char c : data) {
    const auto b = static_cast<uint8_t>(c);
    any |= static_cast<uint8_t>((b < kFirstPrintable) | (b >= kDelete));
  }
  return any != 0;
}

// The low byte of w (shifted right by `byte` bytes).
inline uint8_t lane(uint64_t w, int byte) { return static_cast<uint8_t>(w >> (byte * kBitsPerByte)); }

uint16_t crc16_scalar(std::string_view data) {
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

#if defined(ECOMON_CRC_X86)
// The vector kernels. Lane j of a 16-byte accumulator collects the bytes at positions j, j + 16, j + 32, ...:
// acc = H^16(acc) ^ block for each full block (H^16 is the same 8x8 bit matrix for every lane, so one vector
// operation applies it). With K blocks, byte 16k + j must reach the state as H^(16K - 16k - j), which is
// H^(16 (K-1-k)) from the folding and H^(16-j) from the final combination of the lanes:
// state = XOR_j H^(16-j)(acc_j), sixteen lookups in kHighPowers. The remaining bytes go through the scalar
// step. The initial state 0xFF enters as an XOR into the first byte (s1 = H(s0 ^ b0)).
constexpr uint8_t kStatePowerBlock = kSliceWidth - 1;  // kHighPowers[15] is H^16

// H^16 of a nibble in the low (lo) or high (hi) half of a byte: H^16(x) = lo[x & 15] ^ hi[x >> 4].
struct NibbleTables {
  std::array<uint8_t, kSliceWidth> lo;
  std::array<uint8_t, kSliceWidth> hi;
};
constexpr NibbleTables make_nibble_tables() {
  NibbleTables t{};
  for (size_t n = 0; n < kSliceWidth; ++n) {
    t.lo[n] = kHighPowers[kStatePowerBlock][n];
    t.hi[n] = kHighPowers[kStatePowerBlock][n << 4];
  }
  return t;
}
constexpr NibbleTables kNibbles = make_nibble_tables();

// The same for H^32 (the AVX2 kernel's 32 lanes): H^32 = H^16 o H^16.
constexpr NibbleTables make_nibble_tables_32() {
  NibbleTables t{};
  const auto& h16 = kHighPowers[kStatePowerBlock];
  for (size_t n = 0; n < kSliceWidth; ++n) {
    t.lo[n] = h16[h16[n]];
    t.hi[n] = h16[h16[n << 4]];
  }
  return t;
}
constexpr NibbleTables kNibbles32 = make_nibble_tables_32();

// Nibble tables of H^8, H^4, H^2 and H^1, for folding the 16 lanes.
constexpr std::array<NibbleTables, 4> make_fold_tables() {
  std::array<NibbleTables, 4> t{};
  constexpr std::array<size_t, 4> kPowers = {8, 4, 2, 1};
  for (size_t f = 0; f < kPowers.size(); ++f) {
    for (size_t n = 0; n < kSliceWidth; ++n) {
      t[f].lo[n] = kHighPowers[kPowers[f] - 1][n];
      t[f].hi[n] = kHighPowers[kPowers[f] - 1][n << 4];
    }
  }
  return t;
}
constexpr std::array<NibbleTables, 4> kFoldTables = make_fold_tables();

// H^k of every lane of x, by the nibble tables of H^k.
__attribute__((target("ssse3"), always_inline)) inline __m128i apply_nibbles(const NibbleTables& t,
                                                                             __m128i x) {
  const __m128i low_nibbles = _mm_set1_epi8(0x0F);
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.lo.data()));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.hi.data()));
  return _mm_xor_si128(_mm_shuffle_epi8(lo, _mm_and_si128(x, low_nibbles)),
                       _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(x, 4), low_nibbles)));
}

// The tail of a vector kernel whose blocks ended at the last folded byte: the 16 lanes of acc combined,
// state = XOR_j H^(16-j)(acc_j), by halving (lane j and lane j + k become H^k(lane j) ^ lane (j + k), for
// k = 8, 4, 2, 1; lane 0 then takes one more H), then the last byte.
__attribute__((target("ssse3"), always_inline)) inline uint16_t finish_lanes(__m128i acc,
                                                                             std::string_view data) {
  acc = _mm_xor_si128(apply_nibbles(kFoldTables[0], acc), _mm_srli_si128(acc, 8));
  acc = _mm_xor_si128(apply_nibbles(kFoldTables[1], acc), _mm_srli_si128(acc, 4));
  acc = _mm_xor_si128(apply_nibbles(kFoldTables[2], acc), _mm_srli_si128(acc, 2));
  acc = _mm_xor_si128(apply_nibbles(kFoldTables[3], acc), _mm_srli_si128(acc, 1));
  const uint8_t state = kHighPowers[0][static_cast<uint8_t>(_mm_cvtsi128_si32(acc))];
  return kByteTable[state ^ byte_at(data, data.size() - 1)];
}

// H^16 as the 8x8 bit matrix of gf2p8affineqb: byte 7 - i of the word is the row giving output bit i (bit j
// of the row set when input bit j flips output bit i).
constexpr uint64_t make_affine_matrix() {
  uint64_t m = 0;
  for (int i = 0; i < kBitsPerByte; ++i) {
    uint64_t row = 0;
    for (int j = 0; j < kBitsPerByte; ++j) {
      if ((kHighPowers[kStatePowerBlock][size_t{1} << j] >> i) & 1U) row |= uint64_t{1} << j;
    }
    m |= row << ((kBitsPerByte - 1 - i) * kBitsPerByte);
  }
  return m;
}
constexpr uint64_t kAffineMatrix = make_affine_matrix();

// Bytes outside printable ASCII, for the kernels below: the minimum of every byte seen (below 0x20: a
// control byte) and the maximum (0x7F and above: DEL, or a byte of non-ASCII text). The blocks folded end
// before the last byte; the last 16 bytes are tested apart. (One max per block: no more than the DEL
// comparison it replaced, so ASCII frames pay nothing for the UTF-8 check.)
struct ControlScan {
  __m128i min;
  __m128i max;
};
__attribute__((target("sse2"), always_inline)) inline void scan_controls(ControlScan* c, __m128i v) {
  c->min = _mm_min_epu8(c->min, v);
  c->max = _mm_max_epu8(c->max, v);
}
__attribute__((target("sse2"), always_inline)) inline bool found_controls(ControlScan* c,
                                                                          std::string_view data) {
  scan_controls(c,
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + data.size() - kSliceWidth)));
  const __m128i low =
      _mm_cmpeq_epi8(_mm_max_epu8(c->min, _mm_set1_epi8(static_cast<char>(kFirstPrintable - 1))),
                     _mm_set1_epi8(static_cast<char>(kFirstPrintable - 1)));
  const __m128i high = _mm_cmpeq_epi8(_mm_min_epu8(c->max, _mm_set1_epi8(static_cast<char>(kDelete))),
                                      _mm_set1_epi8(static_cast<char>(kDelete)));
  return _mm_movemask_epi8(_mm_or_si128(low, high)) != 0;
}

// The first block of the vector kernels (the data's first 16 bytes; it also starts the control-byte scan):
// the folded bytes are taken as if preceded by zero bytes up to a multiple of 16 (a zero byte leaves the
// state 0 unchanged: H is linear), so that every later block is a whole one ending exactly at the last folded
// byte, and no byte goes through the scalar step. The first block's bytes move up by `pad` lanes, the initial
// state 0xFF entering with the first byte; *next is where the next block starts. data must be longer than one
// block.
constexpr std::array<int8_t, 2 * kSliceWidth> make_shift_table() {
  std::array<int8_t, 2 * kSliceWidth> t{};
  for (int j = 0; j < kSliceWidth; ++j) {
    t[static_cast<size_t>(j)] = -1;  // (pshufb: high bit set gives a zero byte)
    t[static_cast<size_t>(kSliceWidth + j)] = static_cast<int8_t>(j);
  }
  return t;
}
constexpr std::array<int8_t, 2 * kSliceWidth> kShiftTable = make_shift_table();
__attribute__((target("ssse3"), always_inline)) inline __m128i start_blocks(std::string_view data,
                                                                            ControlScan* controls,
                                                                            size_t* next) {
  const size_t folded = data.size() - 1;
  const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data()));
  *controls = ControlScan{first, first};
  const size_t pad = (kSliceWidth - folded % kSliceWidth) % kSliceWidth;
  const __m128i shift =
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kShiftTable.data() + kSliceWidth - pad));
  *next = kSliceWidth - pad;
  const __m128i init = _mm_cvtsi32_si128(kInitialRegister >> kBitsPerByte);
  return _mm_shuffle_epi8(_mm_xor_si128(first, init), shift);
}

// Inputs of one block or less, for the vector kernels: the scalar kernel.
template <bool kControls>
uint16_t crc16_short(std::string_view data, bool* has_control) {
  if constexpr (kControls) *has_control = has_control_scalar(data);
  return crc16_scalar(data);
}

// The 16-byte blocks of a vector kernel after start_blocks, each also scanned for control bytes when
// kControls; the kernels differ only in how they apply H^16 to the accumulator between two blocks.
template <bool kControls>
struct Blocks {
  std::string_view data;
  size_t folded;
  size_t i = 0;  // where the next block starts
  ControlScan controls;
  __m128i acc;

  __attribute__((target("ssse3"), always_inline)) explicit Blocks(std::string_view d)
      : data(d), folded(d.size() - 1) {
    acc = start_blocks(data, &controls, &i);
  }
  bool more() const { return i < folded; }
  __attribute__((target("ssse3"), always_inline)) __m128i next() {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + i));
    if constexpr (kControls) scan_controls(&controls, block);
    i += kSliceWidth;
    return block;
  }
  // kControls: sets *has_control.
  __attribute__((target("ssse3"), always_inline)) uint16_t finish(bool* has_control) {
    if constexpr (kControls) *has_control = found_controls(&controls, data);
    return finish_lanes(acc, data);
  }
};

// kControls: also set *has_control (else has_control is not used).
template <bool kControls>
__attribute__((target("ssse3"))) uint16_t crc16_ssse3(std::string_view data, bool* has_control) {
  if (data.size() <= kSliceWidth) return crc16_short<kControls>(data, has_control);
  Blocks<kControls> b(data);
  while (b.more()) b.acc = _mm_xor_si128(apply_nibbles(kNibbles, b.acc), b.next());
  return b.finish(has_control);
}

template <bool kControls>
__attribute__((target("gfni,ssse3"))) uint16_t crc16_gfni(std::string_view data, bool* has_control) {
  if (data.size() <= kSliceWidth) return crc16_short<kControls>(data, has_control);
  const __m128i matrix = _mm_set1_epi64x(static_cast<long long>(kAffineMatrix));
  Blocks<kControls> b(data);
  while (b.more()) b.acc = _mm_xor_si128(_mm_gf2p8affine_epi64_epi8(b.acc, matrix, 0), b.next());
  return b.finish(has_control);
}

// 32 bytes per step with AVX2 (32 lanes, H^32 by two nibble-table shuffles of both halves): the first block
// and at most one more go 16 at a time (start_blocks) until a multiple of 32 bytes is left; that 16-lane
// accumulator enters as the upper half (its lanes are the later bytes of a 32-byte block), and at the end the
// lower half is advanced by H^16 onto the upper one, leaving 16 lanes for finish_lanes.
template <bool kControls>
__attribute__((target("avx2"))) uint16_t crc16_avx2(std::string_view data, bool* has_control) {
  if (data.size() <= kSliceWidth) return crc16_short<kControls>(data, has_control);
  constexpr size_t kWide = 2 * kSliceWidth;
  Blocks<kControls> b(data);
  if ((b.folded - b.i) % kWide != 0) b.acc = _mm_xor_si128(apply_nibbles(kNibbles, b.acc), b.next());
  if (b.more()) {
    const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
    const __m256i lo =
        _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kNibbles32.lo.data())));
    const __m256i hi =
        _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kNibbles32.hi.data())));
    __m256i min = _mm256_set1_epi8(-1);
    __m256i max = _mm256_setzero_si256();
    __m256i wide = _mm256_inserti128_si256(_mm256_setzero_si256(), b.acc, 1);
    for (; b.i < b.folded; b.i += kWide) {
      const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data.data() + b.i));
      if constexpr (kControls) {
        min = _mm256_min_epu8(min, block);
        max = _mm256_max_epu8(max, block);
      }
      const __m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(wide, low_nibbles));
      const __m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(wide, 4), low_nibbles));
      wide = _mm256_xor_si256(_mm256_xor_si256(l, h), block);
    }
    if constexpr (kControls) {
      b.controls.min = _mm_min_epu8(
          b.controls.min, _mm_min_epu8(_mm256_castsi256_si128(min), _mm256_extracti128_si256(min, 1)));
      b.controls.max = _mm_max_epu8(
          b.controls.max, _mm_max_epu8(_mm256_castsi256_si128(max), _mm256_extracti128_si256(max, 1)));
    }
    b.acc = _mm_xor_si128(apply_nibbles(kNibbles, _mm256_castsi256_si128(wide)),
                          _mm256_extracti128_si256(wide, 1));
  }
  return b.finish(has_control);
}

bool cpu_has(CrcKernel k) {
  constexpr unsigned kSsse3Bit = 1U << 9;  // CPUID.1:ECX
  constexpr unsigned kGfniBit = 1U << 8;   // CPUID.(7,0):ECX
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  switch (k) {
    case CrcKernel::kScalar:
      return true;
    case CrcKernel::kSsse3:
      return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & kSsse3Bit) != 0;
    case CrcKernel::kAvx2:
      return __builtin_cpu_supports("avx2") != 0;
    case CrcKernel::kGfni:  // (its first block uses an SSSE3 shuffle)
      return cpu_has(CrcKernel::kSsse3) && __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 &&
             (c & kGfniBit) != 0;
  }
  return false;
}
#else
bool cpu_has(CrcKernel k) { return k == CrcKernel::kScalar; }
#endif

CrcKernel best_kernel() {
  if (cpu_has(CrcKernel::kAvx2)) return CrcKernel::kAvx2;
  if (cpu_has(CrcKernel::kGfni)) return CrcKernel::kGfni;
  if (cpu_has(CrcKernel::kSsse3)) return CrcKernel::kSsse3;
  return CrcKernel::kScalar;
}

using CrcFunction = uint16_t (*)(std::string_view, bool*);

uint16_t crc16_scalar_kernel(std::string_view data, bool* /*has_control*/) { return crc16_scalar(data); }
uint16_t crc16_scalar_controls(std::string_view data, bool* has_control) {
  *has_control = has_control_scalar(data);
  return crc16_scalar(data);
}

// The kernel k, with the control-byte scan or without.
CrcFunction kernel_function(CrcKernel k, bool controls) {
  switch (k) {
#if defined(ECOMON_CRC_X86)
    case CrcKernel::kSsse3:
      return controls ? crc16_ssse3<true> : crc16_ssse3<false>;
    case CrcKernel::kGfni:
      return controls ? crc16_gfni<true> : crc16_gfni<false>;
    case CrcKernel::kAvx2:
      return controls ? crc16_avx2<true> : crc16_avx2<false>;
#endif
    default:
      return controls ? crc16_scalar_controls : crc16_scalar_kernel;
  }
}

// Chosen at the first call: a relaxed atomic rather than a function-local static, whose guard's slow path
// made every call save and restore registers (threads racing at the first call store the same value).
std::atomic<CrcFunction> g_best{nullptr};
std::atomic<CrcFunction> g_best_with_controls{nullptr};
[[gnu::noinline]] CrcFunction choose(std::atomic<CrcFunction>* slot, bool controls) {
  const CrcFunction f = kernel_function(best_kernel(), controls);
  slot->store(f, std::memory_order_relaxed);
  return f;
}
CrcFunction best_function() {
  const CrcFunction f = g_best.load(std::memory_order_relaxed);
  return f != nullptr ? f : choose(&g_best, false);
}
CrcFunction best_function_with_controls() {
  const CrcFunction f = g_best_with_controls.load(std::memory_order_relaxed);
  return f != nullptr ? f : choose(&g_best_with_controls, true);
}

}  // namespace

bool crc_kernel_available(CrcKernel k) { return cpu_has(k); }

CrcKernel crc_kernel_in_use() { return best_kernel(); }

std::string_view crc_kernel_name(CrcKernel k) {
  switch (k) {
    case CrcKernel::kScalar:
      return "scalar";
    case CrcKernel::kSsse3:
      return "ssse3";
    case CrcKernel::kGfni:
      return "gfni";
    case CrcKernel::kAvx2:
      return "avx2";
  }
  return "unknown";
}

uint16_t hj212_crc16_with(CrcKernel k, std::string_view data) {
  return kernel_function(k, false)(data, nullptr);
}

uint16_t hj212_crc16(std::string_view data) { return best_function()(data, nullptr); }

uint16_t hj212_crc16_and_controls(std::string_view data, bool* has_control) {
  return best_function_with_controls()(data, has_control);
}

uint16_t hj212_crc16_and_controls_with(CrcKernel k, std::string_view data, bool* has_control) {
  return kernel_function(k, true)(data, has_control);
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

}  // namespace ecomon::hj212
