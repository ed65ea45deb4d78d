// The 40 real messages of data/hj212/messages.csv (read at run time from the shared directory).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "ingest/hj212/codec.h"
#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/test_support.h"

namespace ecomon::hj212 {
namespace {

constexpr std::string_view kStandard = "match_HJ212_CRC16";
constexpr std::string_view kModbus = "match_byteswapped_Modbus_CRC16_only";
constexpr std::string_view kMismatch = "MISMATCH";

class RealMessages : public ::testing::Test {
 protected:
  void SetUp() override {
    messages_ = testing::load_real_messages();
    if (messages_.empty()) {
      GTEST_SKIP() << "shared file absent: " << testing::shared_dir()
                   << "/data/hj212/messages.csv (set ECOMON_SHARED_DIR)";
    }
    ASSERT_EQ(messages_.size(), 40U);
  }
  static FrameError decode(const testing::RealMessage& r, const Policy& policy, Message* m) {
    return decode_frame(r.message, DecodeOptions{.policy = policy, .require_terminator = false}, m);
  }
  std::vector<testing::RealMessage> messages_;
};

TEST_F(RealMessages, CrcVerdictOfEveryRow) {
  std::map<std::string, int> counts;
  for (const auto& r : messages_) {
    const size_t length = std::stoul(r.message.substr(2, 4));
    ASSERT_EQ(r.message.size(), 6 + length + 4) << "id " << r.id;  // all 40 length fields are right
    const std::string_view segment = std::string_view(r.message).substr(6, length);
    bool lower = false;
    const std::optional<uint16_t> stated =
        parse_crc_hex(std::string_view(r.message).substr(6 + length), &lower);
    ASSERT_TRUE(stated) << "id " << r.id;
    const CrcMatch match = classify_crc(segment, *stated);
    const std::string_view verdict = match == CrcMatch::kStandard        ? kStandard
                                     : match == CrcMatch::kModbusSwapped ? kModbus
                                                                         : kMismatch;
    EXPECT_EQ(verdict, r.crc_verdict) << "id " << r.id << " " << r.source;
    ++counts[r.crc_verdict];
  }
  EXPECT_EQ(counts[std::string(kStandard)], 32);
  EXPECT_EQ(counts[std::string(kModbus)], 3);
  EXPECT_EQ(counts[std::string(kMismatch)], 5);
}

TEST_F(RealMessages, LenientAcceptsTheCrcValidAndRejectsTheRestWithACrcError) {
  int ok = 0;
  for (const auto& r : messages_) {
    Message m;
    const FrameError e = decode(r, Policy::lenient(), &m);
    if (r.crc_verdict == kMismatch) {
      EXPECT_EQ(e.kind, ErrorKind::kCrcMismatch) << "id " << r.id << ": " << e.to_string();
      EXPECT_EQ(e.field, "CRC");
      EXPECT_EQ(e.offset, r.message.size() - 4);
      continue;
    }
    EXPECT_TRUE(e.ok()) << "id " << r.id << ": " << e.to_string();
    EXPECT_EQ(m.has(DeviationKind::kCrcModbusSwapped), r.crc_verdict == kModbus) << "id " << r.id;
    ok += e.ok() ? 1 : 0;
  }
  EXPECT_EQ(ok, 35);
}

// The standard's CRC demanded, every other deviation tolerated: exactly the 32 rows that match it pass.
TEST_F(RealMessages, StandardCrcWithOtherDeviationsTolerated) {
  Policy policy = Policy::lenient();
  policy.allow(DeviationKind::kCrcModbusSwapped, false);
  int ok = 0;
  for (const auto& r : messages_) {
    Message m;
    const FrameError e = decode(r, policy, &m);
    if (r.crc_verdict == kStandard) {
      EXPECT_TRUE(e.ok()) << "id " << r.id << ": " << e.to_string();
      ok += e.ok() ? 1 : 0;
    } else {
      EXPECT_EQ(e.kind, ErrorKind::kCrcMismatch) << "id " << r.id << ": " << e.to_string();
      EXPECT_EQ(e.detail.find("Modbus") != std::string::npos, r.crc_verdict == kModbus) << e.detail;
    }
  }
  EXPECT_EQ(ok, 32);
}

// Strict = the standard to the letter. The 8 rows without the standard's CRC fail with a CRC error. The 32
// with it pass the CRC check; most of them still depart from the standard in form, and strict says where
// first.
TEST_F(RealMessages, StrictVerdicts) {
  // id -> the first thing strict rejects ("ok" when the message conforms to the letter).
  const std::map<int, std::string> expected = {
      {1, "nonstandard_pw"},  // PW of 24 characters, MN of 15
      {2, "crc_lowercase_hex"},
      {6, "crc_lowercase_hex"},
      {7, "nonstandard_mn"},
      {9, "crc_lowercase_hex"},
      {10, "crc_lowercase_hex"},
      {17, "crc_lowercase_hex"},
      {20, "crc_lowercase_hex"},
      {11, "nonstandard_mn"},  // MN=JLYP01_AIR01_0001
      {12, "ok"},
      {13, "ok"},
      {14, "ok"},
      {15, "ok"},
      {16, "missing_qn"},      // 2005-style upload: no QN, no Flag, 17-digit DataTime
      {19, "nonstandard_st"},  // ST=80
      {21, "nonstandard_st"},
      {22, "missing_qn"},
      {23, "missing_qn"},
      {27, "split_flag_without_packet_numbers"},  // Flag=7 without PNUM/PNO; then LA-td, a trailing ';'

      {28, "header_field_order"},  // MN before PW
      {29, "nonstandard_mn"},
      {30, "nonstandard_mn"},  // MN=88888880000001 (and Flag=3)
      {31, "nonstandard_mn"},
      {32, "nonstandard_mn"},
      {33, "nonstandard_mn"},
      {34, "qn_not_17_digits"},
      {35, "qn_not_17_digits"},
      {36, "qn_not_17_digits"},
      {37, "qn_not_17_digits"},  // QN=1617937097417: Unix milliseconds
      {38, "nonstandard_mn"},
      {39, "unknown_cn"},
      /* CN=9021 */ {40, "nonstandard_mn"},
  };
  int conforming = 0;
  for (const auto& r : messages_) {
    Message m;
    const FrameError e = decode(r, Policy::strict(), &m);
    if (r.crc_verdict != kStandard) {
      EXPECT_EQ(e.kind, ErrorKind::kCrcMismatch) << "id " << r.id << ": " << e.to_string();
      EXPECT_EQ(e.field, "CRC");
      continue;
    }
    EXPECT_NE(e.kind, ErrorKind::kCrcMismatch) << "id " << r.id;
    const std::string got = e.ok()                                ? "ok"
                            : e.kind == ErrorKind::kNonconforming ? std::string(deviation_name(e.deviation))
                                                                  : std::string(error_name(e.kind));
    ASSERT_TRUE(expected.count(r.id)) << "id " << r.id << " got " << got;
    EXPECT_EQ(got, expected.at(r.id)) << "id " << r.id << ": " << e.to_string();
    conforming += e.ok() ? 1 : 0;
  }
  EXPECT_EQ(conforming, 4);
}

bool is_form_deviation(DeviationKind k) {
  return k == DeviationKind::kCrcLowercaseHex || k == DeviationKind::kCrcModbusSwapped ||
         k == DeviationKind::kHeaderFieldOrder || k == DeviationKind::kEmptyCpItem ||
         k == DeviationKind::kDuplicateKey || k == DeviationKind::kUnknownHeaderField;
}

// decode -> encode gives the same bytes, except where the input's form departs from the standard; then the
// re-encoded frame is the standard form of the same content.
TEST_F(RealMessages, RoundTrip) {
  std::vector<int> identical, differing;
  for (const auto& r : messages_) {
    Message m;
    if (!decode(r, Policy::lenient(), &m).ok()) continue;
    StatusOr<std::string> again = encode_message(m);
    ASSERT_TRUE(again.ok()) << again.status().to_string();
    const std::string original = r.message + "\r\n";
    const bool form = std::any_of(m.deviations.begin(), m.deviations.end(),
                                  [](const Deviation& d) { return is_form_deviation(d.kind); });
    if (*again == original) {
      identical.push_back(r.id);
      continue;
    }
    differing.push_back(r.id);
    ASSERT_TRUE(form) << "id " << r.id << " differs without a reason:\n" << original << "\n" << *again;
    const bool crc_only = std::all_of(m.deviations.begin(), m.deviations.end(), [](const Deviation& d) {
      return !is_form_deviation(d.kind) || d.kind == DeviationKind::kCrcLowercaseHex ||
             d.kind == DeviationKind::kCrcModbusSwapped;
    });
    if (crc_only) {
      // Same data segment; the CRC is the standard one in upper case.
      const size_t crc_at = again->size() - 6;
      EXPECT_EQ(again->substr(0, crc_at), original.substr(0, crc_at)) << "id " << r.id;
      EXPECT_EQ(again->substr(crc_at, 4), crc_hex(hj212_crc16(m.data_segment))) << "id " << r.id;
      if (m.has(DeviationKind::kCrcLowercaseHex) && !m.has(DeviationKind::kCrcModbusSwapped)) {
        std::string upper = original;
        for (size_t i = crc_at; i < crc_at + 4; ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
        EXPECT_EQ(*again, upper) << "id " << r.id;
      }
    }
    // Either way: strict about the CRC now, and the same content.
    Message back;
    Policy policy = Policy::lenient();
    policy.allow(DeviationKind::kCrcLowercaseHex, false).allow(DeviationKind::kCrcModbusSwapped, false);
    const FrameError e = decode_frame(*again, DecodeOptions{.policy = policy}, &back);
    ASSERT_TRUE(e.ok()) << "id " << r.id << ": " << e.to_string();
    EXPECT_EQ(back.header.mn, m.header.mn);
    EXPECT_EQ(back.header.pw, m.header.pw);
    ASSERT_EQ(back.cp.size(), m.cp.size()) << "id " << r.id;
    for (size_t i = 0; i < m.cp.size(); ++i) {
      EXPECT_EQ(back.cp[i].key, m.cp[i].key);
      EXPECT_EQ(back.cp[i].value, m.cp[i].value);
    }
  }
  // Lower-case CRC: 2 6 9 10 17 20; Modbus CRC: 24 25 26; empty CP item: 27; header field order: 28.
  EXPECT_EQ(differing, (std::vector<int>{2, 6, 9, 10, 17, 20, 24, 25, 26, 27, 28}));
  EXPECT_EQ(identical.size(), 24U);
}

}  // namespace
}  // namespace ecomon::hj212
