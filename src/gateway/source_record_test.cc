// The gateway's allocation-free helpers against the codec's reference functions: the 9014 answer written in
// place is byte for byte encode_data_answer()'s, and the record view of an upload says what
// source_record_of() says.
#include "gateway/source_record.h"

#include <gtest/gtest.h>

#include <array>

#include "ingest/hj212/encoder.h"

namespace ecomon {
namespace {

TEST(AppendDataAnswer, SameBytesAsTheEncoder) {
  struct Case {
    std::string qn, pw, mn;
  };
  const std::vector<Case> cases = {
      {"20250101120000123", "123456", "E0C000000000000000000001"},
      {"20250101120000123", "", "E0C000000000000000000001"},  // an empty PW is allowed
      {"1", "pw", "M"},                                       // short but valid fields
  };
  for (const Case& c : cases) {
    std::string out = "prefix";  // appends after what is there
    ASSERT_TRUE(append_data_answer(&out, c.qn, c.pw, c.mn)) << c.qn;
    const auto expected = hj212::encode_data_answer(c.qn, hj212::Peer{c.pw, c.mn});
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(out, "prefix" + *expected);
  }
  // The first case's data segment: "QN=" + 17 digits (20) + ";ST=91" (6) + ";CN=9014" (8) + ";PW=123456" (10)
  // + ";MN=" + 24 characters (28) + ";Flag=4" (7) + ";CP=&&&&" (8) = 87 bytes.
  std::string one;
  ASSERT_TRUE(append_data_answer(&one, "20250101120000123", "123456", "E0C000000000000000000001"));
  EXPECT_EQ(one.substr(0, 6), "##0087");
  EXPECT_EQ(one.substr(one.size() - 2), "\r\n");
}

TEST(AppendDataAnswer, InTheDevicesVersion) {
  // 2025: Flag=8. The note's R4 (11_hj212_2025.md §3.3): the same 87 bytes, CRC 21C0.
  std::string r4;
  ASSERT_TRUE(append_data_answer(&r4, "20240601085857223", "123456", "010000A8900016F000169DC0",
                                 hj212::kFlagVersion2025));
  EXPECT_EQ(
      r4,
      "##0087QN=20240601085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=8;CP=&&&&21C0"
      "\r\n");
  // 2005: no Flag at all (80 bytes: 87 less ";Flag=4"); a two- and three-digit Flag (other version bits).
  for (std::optional<uint8_t> flag :
       {std::optional<uint8_t>(), std::optional<uint8_t>(12), std::optional<uint8_t>(252)}) {
    std::string out;
    ASSERT_TRUE(append_data_answer(&out, "20250101120000123", "123456", "MN1", flag));
    const auto expected = hj212::encode_data_answer("20250101120000123", hj212::Peer{"123456", "MN1", flag});
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(out, *expected);
  }
}

TEST(AppendDataAnswer, RefusesWhatTheEncoderRefuses) {
  const std::vector<std::array<std::string, 3>> bad = {
      {"", "123456", "MN1"},                   // no QN
      {"2025010112000012x", "123456", "MN1"},  // QN not digits
      {"20250101120000123", "12;456", "MN1"},  // separator in PW
      {"20250101120000123", "123456", ""},     // no MN
      {"20250101120000123", "123456", "M&N"},  // separator in MN
      {"20250101120000123", "12\x01", "MN1"},  // control byte
  };
  for (const auto& [qn, pw, mn] : bad) {
    std::string out = "x";
    EXPECT_FALSE(append_data_answer(&out, qn, pw, mn)) << qn << " " << pw << " " << mn;
    EXPECT_EQ(out, "x");  // nothing appended
    EXPECT_FALSE(hj212::encode_data_answer(qn, hj212::Peer{pw, mn}).ok());
  }
}

TEST(SourceRecordView, SaysWhatTheRecordSays) {
  hj212::HeaderFields h;
  h.qn = "20250101120000123";
  h.st = "31";
  h.cn = "2061";
  h.pw = "123456";
  h.mn = "E0C000000000000000000002";
  h.flag = 5;
  const std::vector<hj212::PollutantRecord> recs = {{"a21026", {{"Avg", "12.5"}, {"Flag", "N"}}}};
  auto frame = hj212::encode_upload(h, hj212::Timestamp{.year = 2025, .month = 3, .day = 4, .hour = 5}, recs);
  ASSERT_TRUE(frame.ok());
  hj212::Message m;
  ASSERT_TRUE(hj212::decode_frame(*frame, {.policy = hj212::Policy::strict()}, &m).ok());
  SourceRecordView v;
  ASSERT_TRUE(source_record_view_of(m, 1700000000123, &v));
  auto r = source_record_of(m, nullptr, 1700000000123);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(v.mn, "E0C000000000000000000002");
  EXPECT_EQ(v.cn, 2061);
  EXPECT_EQ(v.data_time, 20250304050000);  // 2025-03-04 05:00:00 as yyyymmddhhmmss
  EXPECT_EQ(v.qn, "20250101120000123");
  EXPECT_EQ(v.received_ms, 1700000000123);
  EXPECT_EQ(v.flag, 5);
  EXPECT_EQ(v.cp, "DataTime=20250304050000;a21026-Avg=12.5,a21026-Flag=N");
  EXPECT_EQ(r->mn, v.mn);
  EXPECT_EQ(r->data_time, v.data_time);
  EXPECT_EQ(r->qn, v.qn);
  EXPECT_EQ(r->cp, v.cp);
}

TEST(SourceRecordView, NoDataTimeNoRecord) {
  hj212::Message m;  // decoded upload without DataTime: m.data_time empty
  SourceRecordView v;
  EXPECT_FALSE(source_record_view_of(m, 0, &v));
  EXPECT_FALSE(source_record_of(m, nullptr, 0).ok());
}

}  // namespace
}  // namespace ecomon

namespace ecomon {
namespace {

// HJ 212-2025 RF=1 (补传): the spec note's F9 (a re-sent minute upload, Flag=9) is stored with Flag 9 plus
// kStoredFlagResent (0x100 + 9 = 265); the same upload without RF with Flag 9 alone. Both paths (the view and
// the record) agree. Its -RawAvg is read into the record's values and its CP kept whole.
TEST(StoredFlag, ResentUploadsAreMarkedAsBackfill) {
  const std::string f9 =
      "##0174QN=20240601085857223;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;RF=1;CP=&&"
      "DataTime=20240601080100;a34013-Min=7.1,a34013-Avg=7.5,a34013-Max=7.8,a34013-Flag=N&&3900\r\n";
  hj212::Message m;
  ASSERT_TRUE(hj212::decode_frame(f9, {.policy = hj212::Policy::strict()}, &m).ok());
  EXPECT_EQ(stored_flag(m), 265);
  auto r = source_record_of(m, nullptr, 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->flag, 265);
  EXPECT_EQ(r->flag & kStoredFlagMask, 9);
  SourceRecordView v;
  ASSERT_TRUE(source_record_view_of(m, 1000, &v));
  EXPECT_EQ(v.flag, 265);

  // Not re-sent: no RF field (the note: there is no RF=0).
  hj212::HeaderFields h{.qn = "20240601085857223",
                        .st = "31",
                        .cn = "2051",
                        .pw = "123456",
                        .mn = "010000A8900016F000169DC0",
                        .flag = 9};
  auto plain =
      hj212::encode_frame(h, "DataTime=20240601080100;a34013-RawAvg=7.1,a34013-Avg=7.5,a34013-Flag=N");
  ASSERT_TRUE(plain.ok());
  hj212::Message p;
  ASSERT_TRUE(hj212::decode_frame(*plain, {.policy = hj212::Policy::strict()}, &p).ok());
  EXPECT_EQ(stored_flag(p), 9);
  EXPECT_EQ(source_record_of(p, nullptr, 1000)->cp,
            "DataTime=20240601080100;a34013-RawAvg=7.1,a34013-Avg=7.5,a34013-Flag=N");
}

}  // namespace
}  // namespace ecomon
