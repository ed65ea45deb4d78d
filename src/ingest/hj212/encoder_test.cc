#include "ingest/hj212/encoder.h"

#include <gtest/gtest.h>

#include "ingest/hj212/reassembler.h"

namespace ecomon::hj212 {
namespace {

// Expected frames below were worked out independently with a bit-by-bit transcription of the standard's
// Appendix A CRC16 (init 0xFFFF; for each byte: reg = (reg >> 8) ^ byte, then 8 x {shift right, xor 0xA001
// if the bit shifted out was 1}); the length is the byte count of the data segment, zero-padded to 4 digits.

constexpr std::string_view kQn = "20160801085857223";
constexpr std::string_view kMn = "010000A8900016F000169DC0";

CommandTarget target() { return CommandTarget{.qn = kQn, .st = "32", .pw = "123456", .mn = kMn}; }
Peer peer() { return Peer{.pw = "123456", .mn = kMn}; }

TEST(Encode, SpecExampleOneSetRtdInterval) {
  // HJ 212-2017 Appendix A: segment of 101 bytes, CRC 1C80.
  CommandTarget t = target();
  t.pw = "100000";
  const StatusOr<std::string> f = encode_set_rtd_interval(t, 30);
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(*f,
            "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&RtdInterval=30&&1C80\r\n");
}

TEST(Encode, Answers) {
  // 9011 请求应答 — the spec's example 6 (94 bytes, CRC 1B00).
  EXPECT_EQ(*encode_request_answer(kQn, peer(), QnRtn::kReady),
            "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&1B00\r\n");
  // 9012 执行结果: 95 bytes, CRC 6240.
  EXPECT_EQ(*encode_execution_result(kQn, peer(), ExeRtn::kSuccess),
            "##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&6240\r\n");
  // 9013 通知应答: 87 bytes, CRC 2A80.
  EXPECT_EQ(*encode_notice_answer(kQn, peer()),
            "##0087QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&&&2A80\r\n");
  // 9014 数据应答: the real message id 20 of messages.csv (which prints its CRC as lower-case f001).
  EXPECT_EQ(*encode_data_answer("20201015123632010", Peer{.pw = "123456", .mn = "410183160889201000212505"}),
            "##0087QN=20201015123632010;ST=91;CN=9014;PW=123456;MN=410183160889201000212505;Flag=4;"
            "CP=&&&&F001\r\n");
  EXPECT_EQ(*encode_execution_result(kQn, peer(), ExeRtn::kNoData),
            *encode_frame(HeaderFields{.qn = kQn, .st = "91", .cn = "9012", .pw = "123456", .mn = kMn},
                          "ExeRtn=100"));
  EXPECT_FALSE(encode_data_answer("", peer()).ok());
}

TEST(Encode, DownstreamCommands) {
  const Timestamp system_time = *parse_timestamp("20160801085857");
  // 1011: 99 bytes, CRC 5A00.
  EXPECT_EQ(*encode_get_time(target(), "w01018"),
            "##0099QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&5A00\r\n");
  // 1012: 125 bytes, CRC 0880.
  EXPECT_EQ(*encode_set_time(target(), system_time, "w01018"),
            "##0125QN=20160801085857223;ST=32;CN=1012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;SystemTime=20160801085857&&0880\r\n");
  // 1061 / 1063: 87 bytes, CRC 3B80 / 3240.
  EXPECT_EQ(*encode_get_rtd_interval(target()),
            "##0087QN=20160801085857223;ST=32;CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&&&3B80\r\n");
  EXPECT_EQ(*encode_get_min_interval(target()),
            "##0087QN=20160801085857223;ST=32;CN=1063;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&&&3240\r\n");
  // 1064: 101 bytes, CRC 1680.
  EXPECT_EQ(*encode_set_min_interval(target(), 10),
            "##0101QN=20160801085857223;ST=32;CN=1064;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&MinInterval=10&&1680\r\n");
  // 3020: 113 bytes, CRC 1040.
  EXPECT_EQ(*encode_get_device_info(target(), "w01018", "i12001"),
            "##0113QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;InfoId=i12001&&1040\r\n");
}

TEST(Encode, RejectsInvalidInputWithAReason) {
  EXPECT_FALSE(encode_set_rtd_interval(target(), 29).ok());
  EXPECT_FALSE(encode_set_rtd_interval(target(), 3601).ok());
  EXPECT_TRUE(encode_set_rtd_interval(target(), 3600).ok());
  EXPECT_FALSE(encode_set_min_interval(target(), 7).ok());
  CommandTarget bad_qn = target();
  bad_qn.qn = "1617936069734";
  EXPECT_FALSE(encode_get_time(bad_qn).ok());
  CommandTarget bad_mn = target();
  bad_mn.mn = "0100;00";
  const StatusOr<std::string> f = encode_get_time(bad_mn);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("MN"), std::string::npos);
  EXPECT_FALSE(encode_frame(HeaderFields{.st = "22", .cn = "2011", .pw = "1", .mn = "M"}, "a=1&&b=2").ok());
  EXPECT_FALSE(frame_data_segment(std::string(1025, 'a')).ok());
  EXPECT_TRUE(frame_data_segment(std::string(1025, 'a'), 2000).ok());
  EXPECT_FALSE(frame_data_segment(std::string(10000, 'a'), 20000).ok());  // 4 digits cannot say 10000
}

TEST(Encode, UploadReproducesSpecExampleTwo) {
  // spec 09 §2 example 2 (guocay test): 289 bytes, CRC 5780.
  const std::vector<PollutantRecord> records = {
      {"a214", {{"Rtd", "0.00"}, {"Flag", "N"}}},   {"a215", {{"Rtd", "0.00"}, {"Flag", "N"}}},
      {"a216", {{"Rtd", "0.036"}, {"Flag", "N"}}},  {"a217", {{"Rtd", "0.033"}, {"Flag", "N"}}},
      {"a211", {{"Rtd", "25.40"}, {"Flag", "N"}}},  {"a212", {{"Rtd", "49.20"}, {"Flag", "N"}}},
      {"a213", {{"Rtd", "101.94"}, {"Flag", "N"}}},
  };
  const HeaderFields h{
      .qn = "20191012133710130", .st = "22", .cn = "2011", .pw = "123456", .mn = "Y80110010000010"};
  const StatusOr<std::string> f = encode_upload(h, *parse_timestamp("20191012133710"), records);
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(*f,
            "##0289QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=Y80110010000010;Flag=4;CP=&&DataTime="
            "20191012133710;"
            "a214-Rtd=0.00,a214-Flag=N;a215-Rtd=0.00,a215-Flag=N;a216-Rtd=0.036,a216-Flag=N;a217-Rtd=0.033,"
            "a217-Flag=N;a211-Rtd=25.40,a211-Flag=N;a212-Rtd=49.20,a212-Flag=N;a213-Rtd=101.94,a213-Flag=N&&"
            "5780\r\n");
  HeaderFields not_upload = h;
  not_upload.cn = "9014";
  EXPECT_FALSE(encode_upload(not_upload, *parse_timestamp("20191012133710"), records).ok());
}

TEST(Encode, SplitUploadReassemblesToTheSameItems) {
  std::vector<std::string> codes;
  for (int i = 0; i < 60; ++i) codes.push_back(std::string("a").append(std::to_string(21000 + i)));
  std::vector<PollutantRecord> records;
  for (const std::string& c : codes)
    records.push_back({c, {{"Avg", "12.345"}, {"Max", "20.1"}, {"Flag", "N"}}});
  const HeaderFields h{.qn = "20240101010000000",
                       .st = "22",
                       .cn = "2061",
                       .pw = "123456",
                       .mn = kMn,
                       .flag = kFlagVersion2017 | kFlagAnswerNeeded};
  const Timestamp hour = *parse_timestamp("20240101000000");
  EXPECT_FALSE(encode_upload(h, hour, records).ok());  // too long for one frame
  const StatusOr<std::vector<std::string>> frames = encode_upload_split(h, hour, records);
  ASSERT_TRUE(frames.ok()) << frames.status().to_string();
  ASSERT_EQ(frames->size(), 4U);
  Reassembler reassembler;
  std::unique_ptr<AssembledMessage> whole;
  for (size_t i = frames->size(); i-- > 0;) {  // backwards: out of order
    Message m;
    const FrameError e = decode_frame((*frames)[i], DecodeOptions{}, &m);
    ASSERT_TRUE(e.ok()) << e.to_string();
    EXPECT_LE(m.data_segment.size(), kStandardMaxDataLength);
    EXPECT_TRUE(m.header.split());
    EXPECT_TRUE(m.header.answer_needed());
    EXPECT_EQ(m.header.pnum, 4);
    EXPECT_EQ(m.header.pno, i + 1);
    PartResult r = reassembler.add(m, 0);
    if (r.outcome == PartOutcome::kCompleted) whole = std::move(r.message);
  }
  ASSERT_NE(whole, nullptr);
  EXPECT_EQ(whole->cp().size(), 1 + 60 * 3U);  // one DataTime
  EXPECT_EQ(whole->cp()[1].key, "a21000-Avg");
  EXPECT_EQ(whole->cp().back().key, "a21059-Flag");
  EXPECT_EQ(whole->data_time()->to_digits14(), "20240101000000");
}

TEST(Encode, MessageRoundTripOfSplitHeader) {
  const std::string f = *encode_frame(
      HeaderFields{
          .qn = kQn, .st = "22", .cn = "2011", .pw = "123456", .mn = kMn, .flag = 7, .pnum = 2, .pno = 1},
      "DataTime=20160801085800;a21026-Rtd=1.5");
  Message m;
  ASSERT_TRUE(decode_frame(f, DecodeOptions{}, &m).ok());
  EXPECT_EQ(*encode_message(m), f);
}

}  // namespace
}  // namespace ecomon::hj212
