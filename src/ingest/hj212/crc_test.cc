#include "ingest/hj212/crc.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <sstream>

#include "ingest/hj212/test_support.h"

namespace ecomon::hj212 {
namespace {

// The standard's Appendix A algorithm, bit by bit, as the reference for the sliced implementation.
uint16_t reference_crc16(std::string_view data) {
  uint16_t reg = 0xFFFF;
  for (char c : data) {
    reg = static_cast<uint16_t>((reg >> 8) ^ static_cast<uint8_t>(c));
    for (int j = 0; j < 8; ++j) {
      const bool low = reg & 1U;
      reg = static_cast<uint16_t>(reg >> 1);
      if (low) reg ^= 0xA001;
    }
  }
  return reg;
}

TEST(Crc16, SpecExampleOne) {
  // HJ 212-2017 Appendix A: the packet says 1C80 (the prose's "1C08" is a typo).
  constexpr std::string_view kSegment =
      "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";
  EXPECT_EQ(hj212_crc16(kSegment), 0x1C80);
  EXPECT_EQ(crc_hex(hj212_crc16(kSegment)), "1C80");
  // Not Modbus: the same bytes under CRC-16/MODBUS give something else.
  EXPECT_NE(modbus_crc16(kSegment), 0x1C80);
}

TEST(Crc16, EmptyInputIsTheInitialRegister) { EXPECT_EQ(hj212_crc16(""), 0xFFFF); }

TEST(Crc16, SlicedMatchesBitwiseReferenceAtEveryLength) {
  std::mt19937 rng(212);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t len = 0; len <= 300; ++len) {
    std::string s(len, '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    ASSERT_EQ(hj212_crc16(s), reference_crc16(s)) << "length " << len;
  }
}

// Every kernel this CPU runs (the scalar one always; SSSE3 and GFNI on most x86-64) against the bitwise
// reference, at every length around the 16-byte blocks of the vector kernels and on all-0x00 / all-0xFF
// input.
TEST(Crc16, EveryAvailableKernelMatchesTheReference) {
  std::mt19937 rng(2017);
  std::uniform_int_distribution<int> byte(0, 255);
  int kernels = 0;
  for (CrcKernel k : {CrcKernel::kScalar, CrcKernel::kSsse3, CrcKernel::kGfni, CrcKernel::kAvx2}) {
    if (!crc_kernel_available(k)) continue;
    ++kernels;
    for (size_t len = 0; len <= 1100; len += (len < 80 ? 1 : 37)) {
      std::string s(len, '\0');
      for (char& c : s) c = static_cast<char>(byte(rng));
      ASSERT_EQ(hj212_crc16_with(k, s), reference_crc16(s)) << crc_kernel_name(k) << " length " << len;
      const std::string zeros(len, '\0');
      const std::string ones(len, '\xFF');
      ASSERT_EQ(hj212_crc16_with(k, zeros), reference_crc16(zeros))
          << crc_kernel_name(k) << " length " << len;
      ASSERT_EQ(hj212_crc16_with(k, ones), reference_crc16(ones)) << crc_kernel_name(k) << " length " << len;
    }
    // Appendix A's packet (102 bytes: six full blocks and a tail) through this kernel: 1C80.
    EXPECT_EQ(hj212_crc16_with(k,
                               "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
                               "Flag=5;CP=&&RtdInterval=30&&"),
              0x1C80)
        << crc_kernel_name(k);
  }
  EXPECT_GE(kernels, 1);
  EXPECT_TRUE(crc_kernel_available(crc_kernel_in_use()));
  EXPECT_TRUE(crc_kernel_available(CrcKernel::kScalar));
  EXPECT_EQ(crc_kernel_name(CrcKernel::kGfni), "gfni");
  EXPECT_EQ(crc_kernel_name(CrcKernel::kAvx2), "avx2");
}

// The CRC with the control-byte scan: the same CRC as hj212_crc16, and a control byte (below 0x20, or DEL)
// found at every position of every length around the 16-byte blocks, in exactly-sized buffers
// (AddressSanitizer sees a read past the data). Bytes 0x20..0x7E are printable ASCII; control bytes, DEL and
// the bytes of non-ASCII text (0x80..0xFF, checked for UTF-8 by the decoder) are flagged.
TEST(Crc16, EveryKernelFindsControlBytesAtEveryPosition) {
  for (CrcKernel k : {CrcKernel::kScalar, CrcKernel::kSsse3, CrcKernel::kGfni, CrcKernel::kAvx2}) {
    if (!crc_kernel_available(k)) continue;
    for (size_t len = 0; len <= 70; ++len) {
      std::string clean(len, 'a');
      for (size_t i = 0; i < len; ++i) clean[i] = static_cast<char>(0x20 + i % 0x5F);
      for (size_t at = 0; at <= len; ++at) {  // at == len: no control byte
        for (unsigned char bad : {0x00, 0x0D, 0x1F, 0x7F, 0x80, 0xC3, 0xFF}) {
          std::string s = clean;
          if (at < len) s[at] = static_cast<char>(bad);
          const std::unique_ptr<char[]> exact(new char[len + 1]);
          std::copy(s.begin(), s.end(), exact.get());
          const std::string_view view(exact.get(), len);
          bool control = at == len;  // set to the opposite of the answer
          ASSERT_EQ(hj212_crc16_and_controls_with(k, view, &control), reference_crc16(s))
              << crc_kernel_name(k) << " length " << len;
          ASSERT_EQ(control, at < len) << crc_kernel_name(k) << " length " << len << " at " << at;
          if (at == len) break;
        }
      }
    }
  }
  bool control = true;
  EXPECT_EQ(hj212_crc16_and_controls("QN=1;\x7E", &control), hj212_crc16("QN=1;\x7E"));
  EXPECT_FALSE(control);
}

TEST(ModbusCrc16, CheckValueAndSwap) {
  EXPECT_EQ(modbus_crc16("123456789"), 0x4B37);  // the catalogued check value of CRC-16/MODBUS
  EXPECT_EQ(modbus_crc16_swapped("123456789"), 0x374B);
}

TEST(CrcHex, ParsesBothCasesAndFlagsLowerCase) {
  bool lower = true;
  EXPECT_EQ(parse_crc_hex("1C80", &lower), 0x1C80);
  EXPECT_FALSE(lower);
  EXPECT_EQ(parse_crc_hex("cc01", &lower), 0xCC01);
  EXPECT_TRUE(lower);
  EXPECT_FALSE(parse_crc_hex("1C8", &lower));
  EXPECT_FALSE(parse_crc_hex("1C8G", &lower));
  EXPECT_FALSE(parse_crc_hex("1C800", &lower));
  EXPECT_EQ(crc_hex(0x0140), "0140");
}

TEST(Crc16, SpecTestVectorsFile) {
  const std::string path = testing::shared_dir() + "/spec/hj212_crc_test_vectors.txt";
  const std::optional<std::string> text = testing::read_file(path);
  if (!text) GTEST_SKIP() << "shared file absent: " << path << " (set ECOMON_SHARED_DIR)";
  std::istringstream in(*text);
  std::string line;
  int vectors = 0;
  while (std::getline(in, line)) {
    if (line.rfind("##", 0) != 0) continue;  // comments start with a single '#'
    ASSERT_GE(line.size(), 10U) << line;
    const size_t length = std::stoul(line.substr(2, 4));
    ASSERT_EQ(line.size(), 6 + length + 4) << line;
    const std::string_view segment = std::string_view(line).substr(6, length);
    bool lower = false;
    const std::optional<uint16_t> stated = parse_crc_hex(std::string_view(line).substr(6 + length), &lower);
    ASSERT_TRUE(stated.has_value()) << line;
    EXPECT_EQ(hj212_crc16(segment), *stated) << line;
    EXPECT_EQ(classify_crc(segment, *stated), CrcMatch::kStandard);
    ++vectors;
  }
  EXPECT_EQ(vectors, 6);
}

}  // namespace
}  // namespace ecomon::hj212
