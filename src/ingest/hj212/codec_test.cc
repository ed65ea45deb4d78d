#include "ingest/hj212/codec.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

#include "core/time.h"
#include "ingest/hj212/crc.h"

namespace ecomon::hj212 {
namespace {

constexpr std::string_view kExampleOne =
    "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&1C80\r\n";
constexpr std::string_view kHeader2017 =
    "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;";

// "##" + length + segment + standard CRC + CR LF, for building test frames.
std::string frame_of(std::string_view segment) {
  std::string len = std::to_string(segment.size());
  return "##" + std::string(4 - len.size(), '0') + len + std::string(segment) +
         crc_hex(hj212_crc16(segment)) + "\r\n";
}

std::string upload(std::string_view cp_content) {
  return frame_of(std::string(kHeader2017) + "CP=&&" + std::string(cp_content) + "&&");
}

DecodeOptions strict() { return DecodeOptions{.policy = Policy::strict()}; }
DecodeOptions lenient() { return DecodeOptions{.policy = Policy::lenient()}; }

TEST(Decode, SpecExampleOne) {
  Message m;
  const FrameError e = decode_frame(kExampleOne, strict(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  EXPECT_EQ(m.header.qn, "20160801085857223");
  ASSERT_TRUE(m.header.qn_time.has_value());
  EXPECT_EQ(m.header.qn_time->year, 2016);
  EXPECT_EQ(m.header.qn_time->millisecond, 223);
  EXPECT_EQ(m.header.st, "32");
  EXPECT_EQ(m.header.command, 1062);
  EXPECT_EQ(m.header.pw, "100000");
  EXPECT_EQ(m.header.mn, "010000A8900016F000169DC0");
  EXPECT_EQ(m.header.flag, 5);
  EXPECT_EQ(m.header.version(), ProtocolVersion::kHj212_2017);
  EXPECT_TRUE(m.header.answer_needed());
  EXPECT_FALSE(m.header.split());
  EXPECT_EQ(m.crc, 0x1C80);
  ASSERT_EQ(m.cp.size(), 1U);
  EXPECT_EQ(m.cp[0].key, "RtdInterval");
  EXPECT_EQ(m.cp[0].field, ItemField::kPlain);
  EXPECT_EQ(m.cp[0].number, (Decimal{30, 0}));
  EXPECT_EQ(m.cp[0].offset, 91U);  // "RtdInterval" starts at byte 91 of the frame
  EXPECT_TRUE(m.deviations.empty());
}

// Text must be UTF-8 (issue 15): the header is 80 bytes, so the CP content starts at byte 6 + 80 + 5 = 91;
// "a21026-Rtd=1.5," is 15 bytes and "a21026-Flag=" 12, so the value starts at 91 + 27 = 118.
TEST(Decode, InvalidUtf8InCpIsADeviationStrictRefusesLenientCounts) {
  const std::string bad = upload("a21026-Rtd=1.5,a21026-Flag=\xff\xfe");
  Message m;
  FrameError e = decode_frame(bad, strict(), &m);
  EXPECT_EQ(e.kind, ErrorKind::kNonconforming);
  EXPECT_EQ(e.deviation, DeviationKind::kInvalidUtf8);
  EXPECT_EQ(e.offset, 118U);
  EXPECT_EQ(e.field, "a21026-Flag");
  EXPECT_EQ(e.to_string(),
            "invalid_utf8 at byte 118 (field a21026-Flag): byte 0xFF does not begin or continue a UTF-8 "
            "sequence (text must be UTF-8)");

  e = decode_frame(bad, lenient(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  ASSERT_EQ(m.deviations.size(), 1U);
  EXPECT_EQ(m.deviations[0].kind, DeviationKind::kInvalidUtf8);
  EXPECT_EQ(m.deviations[0].offset, 118U);
  EXPECT_EQ(m.deviations[0].field, "a21026-Flag");
  EXPECT_EQ(m.find("a21026-Flag")->value, "\xff\xfe");  // kept as sent; the gateway stores it replaced
  EXPECT_EQ(deviation_name(DeviationKind::kInvalidUtf8), "invalid_utf8");

  // A sequence cut short by the CP's end: invalid at its first byte (91 + 12 = 103).
  e = decode_frame(upload("a21026-Flag=\xe6\x99"), strict(), &m);
  EXPECT_EQ(e.deviation, DeviationKind::kInvalidUtf8);
  EXPECT_EQ(e.offset, 103U);
  // A bad byte in a header field names that field: MN's value starts at segment byte 48, so segment byte 54
  // is frame byte 60 (lenient: the MN is also no longer 24 hex digits).
  std::string header(kHeader2017);
  header[54] = '\xc0';
  const std::string bad_mn = frame_of(header + "CP=&&a21026-Rtd=1&&");  // (the message's views point into it)
  e = decode_frame(bad_mn, lenient(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  ASSERT_EQ(m.deviations.size(), 2U);
  EXPECT_EQ(m.deviations[0].kind, DeviationKind::kNonstandardMn);
  EXPECT_EQ(m.deviations[1].kind, DeviationKind::kInvalidUtf8);
  EXPECT_EQ(m.deviations[1].offset, 60U);
  EXPECT_EQ(m.deviations[1].field, "MN");
}

TEST(Decode, WellFormedUtf8TextIsNoDeviation) {
  Message m;
  // "正常" is 6 bytes of UTF-8; every byte of 0x80 and above makes the decoder look closer, and pass it.
  const std::string frame = upload("a21026-Rtd=1.5,a21026-Flag=\xe6\xad\xa3\xe5\xb8\xb8");
  const FrameError e = decode_frame(frame, strict(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  EXPECT_TRUE(m.deviations.empty());
  EXPECT_EQ(m.find("a21026-Flag")->value, "正常");
}

TEST(Decode, CpItemsFieldsNumbersAndGroups) {
  const std::string f = upload(
      "DataTime=20191012133710;a21026-Rtd=12.3,a21026-Flag=N;w21003-Avg=0.09055002,w21003-Min=-1,"
      "w21003-Max=235.292750833832,w21003-Cou=1425;SB1-RS=1;SB1-RT=23.5;LA-Data=50.1,LA-DayData=55,"
      "LA-NightData=45.2;a21026-ZsRtd=1,a21026-ZsAvg=2,a21026-ZsMin=3,a21026-ZsMax=4,a21026-EFlag=A01,"
      "a21026-SampleTime=20191012133000;i12001-Info=正常;QnRtn=1");
  Message m;
  const FrameError e = decode_frame(f, strict(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  ASSERT_TRUE(m.data_time.has_value());
  EXPECT_EQ(m.data_time->to_iso(), "2019-10-12T13:37:10");
  const std::optional<CpItem> rtd = m.find("a21026-Rtd");
  ASSERT_TRUE(rtd.has_value());
  EXPECT_EQ(rtd->code, "a21026");
  EXPECT_EQ(rtd->name, "Rtd");
  EXPECT_EQ(rtd->field, ItemField::kRtd);
  EXPECT_EQ(rtd->number->units, 123);
  EXPECT_EQ(rtd->number->scale, 1);
  EXPECT_EQ(rtd->group, 1);
  EXPECT_EQ(m.find("a21026-Flag")->group, 1);
  EXPECT_EQ(m.find("a21026-Flag")->value, "N");
  // Exact decimals, no binary floating point anywhere.
  EXPECT_EQ(m.find("w21003-Avg")->number, (Decimal{9055002, 8}));
  EXPECT_EQ(m.find("w21003-Avg")->number->units, 9055002);
  EXPECT_EQ(m.find("w21003-Max")->number->units, 235292750833832);
  EXPECT_EQ(m.find("w21003-Max")->number->scale, 12);
  EXPECT_EQ(m.find("w21003-Min")->number->units, -1);
  EXPECT_EQ(m.find("w21003-Cou")->field, ItemField::kCou);
  EXPECT_EQ(m.find("SB1-RS")->field, ItemField::kRunState);
  EXPECT_EQ(m.find("SB1-RT")->field, ItemField::kRunTime);
  EXPECT_EQ(m.find("LA-NightData")->field, ItemField::kNightData);
  EXPECT_EQ(m.find("a21026-ZsMax")->field, ItemField::kZsMax);
  EXPECT_EQ(m.find("a21026-EFlag")->field, ItemField::kEFlag);
  EXPECT_EQ(m.find("a21026-SampleTime")->time->minute, 30);
  EXPECT_EQ(m.find("i12001-Info")->value, "正常");
  EXPECT_EQ(m.find("QnRtn")->number, (Decimal{1, 0}));
  EXPECT_TRUE(m.deviations.empty());
}

TEST(Decode, EmptyCpAndAnswers) {
  Message m;
  const std::string frame = frame_of(std::string(kHeader2017) + "CP=&&&&");
  const FrameError e = decode_frame(frame, strict(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  EXPECT_TRUE(m.cp.empty());
}

struct BadFrame {
  const char* name;
  std::string frame;
  ErrorKind kind;
  uint32_t offset;
  const char* field;
};

TEST(Decode, MalformedFramesSayWhatWhereAndWhichField) {
  const std::string good = std::string(kExampleOne);
  std::string nul_inside =
      frame_of(std::string(kHeader2017) + "CP=&&a21026-Rtd=1" + std::string(1, '\0') + "2&&");
  const std::string segment_1025 = std::string(kHeader2017) + "CP=&&" +
                                   std::string(1025 - kHeader2017.size() - 7, 'x').replace(0, 2, "a=") + "&&";
  std::string bad_crc = good;
  bad_crc[good.size() - 3] = '1';  // 1C80 -> 1C10
  std::vector<BadFrame> cases = {
      {"no ##", std::string("X") + good.substr(1), ErrorKind::kNoFrameStart, 0, "header"},
      {"length not digits", std::string("##01a1") + good.substr(6), ErrorKind::kBadLengthField, 2, "length"},
      {"length too small", std::string("##0100") + good.substr(6), ErrorKind::kMissingTerminator, 110,
       "terminator"},
      {"length too big", std::string("##0102") + good.substr(6), ErrorKind::kMissingTerminator, 112,
       "terminator"},
      {"length far too big", std::string("##0200") + good.substr(6), ErrorKind::kLengthMismatch, 2, "length"},
      {"length 0", frame_of(""), ErrorKind::kMissingField, 6, "CP"},
      {"no CR LF", good.substr(0, good.size() - 2), ErrorKind::kMissingTerminator, 111, "terminator"},
      {"bytes after CR LF", good + "x", ErrorKind::kLengthMismatch, 113, "terminator"},
      {"CRC not hex", good.substr(0, 107) + "1C8Z\r\n", ErrorKind::kBadCrcField, 107, "CRC"},
      {"CRC wrong", bad_crc, ErrorKind::kCrcMismatch, 107, "CRC"},
      {"embedded NUL", nul_inside, ErrorKind::kControlByte, 103, "data segment"},
      {"length 1025 (strict)", frame_of(segment_1025), ErrorKind::kOversize, 2, "length"},
      {"CP without closing &&", frame_of(std::string(kHeader2017) + "CP=&&a21026-Rtd=1"), ErrorKind::kBadCp,
       103, "CP"},
      {"CP without opening &&", frame_of(std::string(kHeader2017) + "CP=a21026-Rtd=1&&"), ErrorKind::kBadCp,
       89, "CP"},
      {"&& inside CP", frame_of(std::string(kHeader2017) + "CP=&&a=1&&b=2&&"), ErrorKind::kBadCp, 94, "CP"},
      {"no CP", frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"),
       ErrorKind::kMissingField, 86, "CP"},
      {"no ST", frame_of("QN=20191012133710130;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
       ErrorKind::kMissingField, 6, "ST"},
      {"ST twice",
       frame_of("QN=20191012133710130;ST=22;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;CP=&&&&"),
       ErrorKind::kDuplicateField, 33, "ST"},
      {"CN not 4 digits",
       frame_of("QN=20191012133710130;ST=22;CN=20x1;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=4;CP=&&&&"),
       ErrorKind::kBadField, 36, "CN"},
      {"Flag 256",
       frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=256;CP=&&&&"),
       ErrorKind::kBadField, 84, "Flag"},
      {"QN 30 February",
       frame_of("QN=20190230133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=4;CP=&&&&"),
       ErrorKind::kBadTimestamp, 9, "QN"},
      {"DataTime hour 24", upload("DataTime=20191012243710"), ErrorKind::kBadTimestamp, 100, "DataTime"},
      {"item without =", upload("a21026-Rtd"), ErrorKind::kBadCp, 91, "a21026-Rtd"},
      {"PNUM without PNO",
       frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=6;PNUM=0002;CP=&&&&"),
       ErrorKind::kMissingField, 6, "PNO"},
      {"PNO > PNUM",
       frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=6;PNUM=0002;PNO=0003;CP=&&&&"),
       ErrorKind::kBadField, 6, "PNO"},
  };
  for (const BadFrame& c : cases) {
    Message m;
    const FrameError e = decode_frame(c.frame, strict(), &m);
    EXPECT_EQ(e.kind, c.kind) << c.name << ": " << e.to_string();
    EXPECT_EQ(e.offset, c.offset) << c.name << ": " << e.to_string();
    EXPECT_EQ(e.field, c.field) << c.name << ": " << e.to_string();
    EXPECT_FALSE(e.detail.empty()) << c.name;
  }
}

TEST(Decode, StrictRejectsWhatLenientAcceptsAndReports) {
  struct Case {
    const char* name;
    std::string frame;
    DeviationKind kind;
  };
  const std::string lower = [] {
    std::string f(kExampleOne);  // CRC 1C80 has a letter
    f[f.size() - 5] = 'c';
    return f;
  }();
  const std::vector<Case> cases = {
      {"missing Flag",
       frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;CP=&&&&"),
       DeviationKind::kMissingFlag},
      {"missing QN", frame_of("ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
       DeviationKind::kMissingQn},
      {"13-digit QN",
       frame_of("QN=1617936069734;ST=21;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
                "CP=&&QnRtn=1&&"),
       DeviationKind::kQnNot17Digits},
      {"short MN", frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=LD130133000015;Flag=4;CP=&&&&"),
       DeviationKind::kNonstandardMn},
      {"17-digit DataTime", upload("DataTime=20160824003817000"), DeviationKind::kTimestamp17Digits},
      {"duplicate key", upload("a21026-Rtd=1;a21026-Rtd=2"), DeviationKind::kDuplicateKey},
      {"empty value", upload("a21026-Rtd="), DeviationKind::kEmptyValue},
      {"non-numeric Rtd", upload("a21026-Rtd=abc"), DeviationKind::kNonNumericValue},
      {"trailing ;", upload("a21026-Rtd=1;"), DeviationKind::kEmptyCpItem},
      {"unknown suffix", upload("a21026-td=1"), DeviationKind::kUnknownFieldSuffix},
      {"header order",
       frame_of("QN=20191012133710130;ST=22;CN=2011;MN=010000A8900016F000169DC0;PW=123456;Flag=4;"
                "CP=&&&&"),
       DeviationKind::kHeaderFieldOrder},
      {"ST 80",
       frame_of("QN=20191012133710130;ST=80;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
       DeviationKind::kNonstandardSt},
      {"CN 9021",
       frame_of("QN=20191012133710130;ST=21;CN=9021;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
                "CP=&&&&"),
       DeviationKind::kUnknownCn},
      // (version 2, Flag=8, is HJ 212-2025 since 2026: hj2025_test.cc)
      {"Flag version 3",
       frame_of("QN=20191012133710130;ST=21;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=12;"
                "CP=&&&&"),
       DeviationKind::kUnknownFlagVersion},
      {"lower-case CRC", lower, DeviationKind::kCrcLowercaseHex},
      {"D bit without PNUM/PNO",
       frame_of("QN=20200814151600001;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                "Flag=7;CP=&&&&"),
       DeviationKind::kSplitFlagWithoutPacketNumbers},
      {"non-ASCII MN",
       frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=站点0000A8900016F0001;Flag=4;"
                "CP=&&&&"),
       DeviationKind::kNonstandardMn},
  };
  for (const Case& c : cases) {
    Message m;
    FrameError e = decode_frame(c.frame, strict(), &m);
    EXPECT_EQ(e.kind, ErrorKind::kNonconforming) << c.name << ": " << e.to_string();
    EXPECT_EQ(e.deviation, c.kind) << c.name << ": " << e.to_string();
    e = decode_frame(c.frame, lenient(), &m);
    ASSERT_TRUE(e.ok()) << c.name << ": " << e.to_string();
    EXPECT_TRUE(m.has(c.kind)) << c.name;
  }
}

TEST(Decode, LenientKeepsTheFirstOfDuplicateKeysAndEmptyValues) {
  Message m;
  const std::string frame = upload("a21026-Rtd=1;a21026-Rtd=2;a21004-Rtd=");  // m's views point into it
  ASSERT_TRUE(decode_frame(frame, lenient(), &m).ok());
  ASSERT_EQ(m.cp.size(), 2U);
  EXPECT_EQ(m.cp[0].value, "1");
  EXPECT_EQ(m.cp[1].key, "a21004-Rtd");
  EXPECT_EQ(m.cp[1].value, "");
  EXPECT_FALSE(m.cp[1].number.has_value());
}

TEST(Decode, OversizeBetween1024AndThePolicyLimitIsADeviation) {
  std::string cp = "a21026-Rtd=1";
  while (kHeader2017.size() + 7 + cp.size() < 1100) cp += ",a21026-Flag=N";
  Message m;
  const std::string f = upload(cp);
  EXPECT_EQ(decode_frame(f, strict(), &m).kind, ErrorKind::kOversize);
  const FrameError e = decode_frame(f, lenient(), &m);
  EXPECT_TRUE(e.kind == ErrorKind::kNone) << e.to_string();  // duplicates of a21026-Flag are also deviations
  EXPECT_TRUE(m.has(DeviationKind::kOversizeDataSegment));
}

TEST(Decode, ClockSkewNeedsAReceiveTime) {
  const std::string f = upload("a21026-Rtd=1");  // QN 2019-10-12 13:37:10.130
  const int64_t qn_ms = parse_timestamp("20191012133710130")->civil_ms();
  Message m;
  DecodeOptions o = strict();
  o.received_at_ms = qn_ms + 5 * 60 * 1000;  // 5 minutes: within the default 10-minute bound
  EXPECT_TRUE(decode_frame(f, o, &m).ok());
  o.received_at_ms = qn_ms + 11 * 60 * 1000;
  const FrameError e = decode_frame(f, o, &m);
  EXPECT_EQ(e.deviation, DeviationKind::kClockSkew);
  EXPECT_EQ(e.offset, 9U);  // the QN value
  o.policy = Policy::lenient();
  ASSERT_TRUE(decode_frame(f, o, &m).ok());
  EXPECT_TRUE(m.has(DeviationKind::kClockSkew));
  o.policy.max_clock_skew_ms = 60LL * 60 * 1000;
  ASSERT_TRUE(decode_frame(f, o, &m).ok());
  EXPECT_FALSE(m.has(DeviationKind::kClockSkew));
}

TEST(Decode, NonAsciiUtf8ValuesCountAsBytes) {
  const std::string f = upload("i12001-Info=维护");  // 6 UTF-8 bytes
  Message m;
  const FrameError e = decode_frame(f, strict(), &m);
  ASSERT_TRUE(e.ok()) << e.to_string();
  EXPECT_EQ(m.find("i12001-Info")->value, "维护");
}

TEST(Decode, PolicyAllowSingleKinds) {
  Policy p = Policy::strict();
  p.allow(DeviationKind::kMissingFlag);
  EXPECT_TRUE(p.tolerates(DeviationKind::kMissingFlag));
  EXPECT_FALSE(p.tolerates(DeviationKind::kNonstandardMn));
  p.allow(DeviationKind::kMissingFlag, false);
  EXPECT_TRUE(p.is_strict());
  EXPECT_FALSE(Policy::lenient().is_strict());
}

TEST(Decode, ReusingTheMessageClearsIt) {
  Message m;
  ASSERT_TRUE(decode_frame(upload("a21026-Rtd=1,a21026-Flag=N"), strict(), &m).ok());
  ASSERT_TRUE(decode_frame(kExampleOne, strict(), &m).ok());
  EXPECT_EQ(m.cp.size(), 1U);
  EXPECT_FALSE(m.data_time.has_value());
}

TEST(OwnedMessage, OutlivesTheReceiveBuffer) {
  std::unique_ptr<OwnedMessage> owned;
  {
    std::string buffer = upload("DataTime=20191012133710;a21026-Rtd=12.3");
    Message m;
    ASSERT_TRUE(decode_frame(buffer, strict(), &m).ok());
    owned = OwnedMessage::copy_of(m);
    buffer.assign(buffer.size(), 'x');
  }
  const Message& m = owned->message();
  EXPECT_EQ(m.header.mn, "010000A8900016F000169DC0");
  EXPECT_EQ(m.find("a21026-Rtd")->value, "12.3");
  EXPECT_EQ(m.cp[0].key.data(), owned->frame().data() + m.cp[0].offset);
}

TEST(Timestamp, ParsesFormatsAndRoundTrips) {
  EXPECT_FALSE(parse_timestamp("2019101213371").has_value());
  EXPECT_FALSE(parse_timestamp("20191312133710").has_value());
  EXPECT_FALSE(parse_timestamp("20200229236010").has_value());
  EXPECT_TRUE(parse_timestamp("20200229235959").has_value());
  const Timestamp t = *parse_timestamp("20160801085857223");
  EXPECT_EQ(t.to_digits17(), "20160801085857223");
  EXPECT_EQ(t.to_digits14(), "20160801085857");
  EXPECT_EQ(t.to_iso(), "2016-08-01T08:58:57.223");
  EXPECT_EQ(Timestamp::from_civil_ms(t.civil_ms()), t);
}

// The digit-by-digit definition parse_timestamp must agree with (it reads eight digits per word).
std::optional<Timestamp> reference_timestamp(std::string_view s) {
  if (s.size() != 14 && s.size() != 17) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto num = [&](size_t at, size_t n) { return std::stoi(std::string(s.substr(at, n))); };
  Timestamp t;
  t.year = static_cast<int16_t>(num(0, 4));
  t.month = static_cast<uint8_t>(num(4, 2));
  t.day = static_cast<uint8_t>(num(6, 2));
  t.hour = static_cast<uint8_t>(num(8, 2));
  t.minute = static_cast<uint8_t>(num(10, 2));
  t.second = static_cast<uint8_t>(num(12, 2));
  if (s.size() == 17) t.millisecond = static_cast<uint16_t>(num(14, 3));
  if (t.year < 1900 || t.hour > 23 || t.minute > 59 || t.second > 59 ||
      !CivilDay::is_valid_ymd(t.year, t.month, t.day)) {
    return std::nullopt;
  }
  return t;
}

TEST(Timestamp, AgreesWithTheDigitByDigitDefinition) {
  // Every position of a valid time replaced by the bytes around the digits ('/' and ':' are '0' - 1 and
  // '9' + 1), by digits that make a field invalid, and random strings of digits.
  const std::string valid14 = "20240229235959";
  const std::string valid17 = "20240229235959999";
  int checked = 0;
  for (const std::string& base : {valid14, valid17}) {
    ASSERT_TRUE(parse_timestamp(base).has_value());
    for (size_t i = 0; i < base.size(); ++i) {
      for (char c : std::string("/:0123456789 \x80\xFF")) {
        std::string s = base;
        s[i] = c;
        EXPECT_EQ(parse_timestamp(s), reference_timestamp(s)) << s;
        ++checked;
      }
    }
  }
  std::mt19937 rng(14);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int n = 0; n < 20000; ++n) {
    std::string s = (n % 2 == 0) ? "20" : "19";
    while (s.size() < (n % 3 == 0 ? 17U : 14U)) s.push_back(static_cast<char>('0' + digit(rng)));
    EXPECT_EQ(parse_timestamp(s), reference_timestamp(s)) << s;
    ++checked;
  }
  EXPECT_EQ(checked, (14 + 17) * 15 + 20000);  // (14 + 17) positions x 15 bytes, and 20,000 random
  EXPECT_EQ(parse_timestamp("20240229235959")->second, 59);
  EXPECT_EQ(parse_timestamp("20240229235959123")->millisecond, 123);
  EXPECT_FALSE(parse_timestamp("20230229000000").has_value());  // 2023 is no leap year
}

// What a decoded Message says, as text: to compare the vector and the scalar item paths.
std::string describe(const FrameError& e, const Message& m) {
  std::string s = e.to_string() + " deviation=" + std::string(deviation_name(e.deviation)) + "\n";
  if (m.data_time) s += "data_time=" + m.data_time->to_iso() + "\n";
  for (const Deviation& d : m.deviations) {
    s += std::string(deviation_name(d.kind)) + "@" + std::to_string(d.offset) + ":" + std::string(d.field) +
         "\n";
  }
  for (const CpItem& it : m.cp) {
    s += std::string(it.key) + "|" + std::string(it.code) + "|" + std::string(it.name) + "|" +
         std::string(it.value) + "|" + std::to_string(static_cast<int>(it.field)) + "|g" +
         std::to_string(it.group) + "|@" + std::to_string(it.offset);
    if (it.number) s += "|n" + std::to_string(it.number->units) + "e" + std::to_string(it.number->scale);
    if (it.time) s += "|t" + it.time->to_iso();
    s += "\n";
  }
  return s;
}

// A CP area made of pieces that exercise every branch of the item checks: known, unknown and short suffixes,
// plain keys, DataTime and SampleTime with good and bad times, decimals at and past 18 digits, bad numbers,
// empty values and items, a second '=', long items, duplicates.
std::string random_cp(std::mt19937& rng) {
  static const char* kKeys[] = {"a21026-Rtd",
                                "a21026-Flag",
                                "w01018-Avg",
                                "w01018-Cou",
                                "a34002-ZsRtd",
                                "a21026-EFlag",
                                "LA-DayData",
                                "LA-NightData",
                                "SB1-RS",
                                "SB12-RT",
                                "a21026-SampleTime",
                                "a21026-Xyz",
                                "a21026-",
                                "-Rtd",
                                "DataTime",
                                "RtdInterval",
                                "SystemTime",
                                "QnRtn",
                                "i12001-Info",
                                "a-b-Min",
                                "a21026-Max",
                                "a21026-ZsAvgX",
                                "averyveryverylongcode-Rtd",
                                "a-code-long-enough-to-leave-the-56-byte-window-Rtd",
                                "a21026-Data"};
  static const char* kValues[] = {"12.3",
                                  "-0.036",
                                  "0",
                                  "1425",
                                  "",
                                  "N",
                                  "1.",
                                  ".5",
                                  "-",
                                  "--1",
                                  "1..2",
                                  "1.2.3",
                                  "12a",
                                  "123456789012345678",
                                  "1234567890123456789",
                                  "12345678901234567.8",
                                  "-12345678901234567",
                                  "20240315080000",
                                  "20240315080000123",
                                  "20240230080000",
                                  "2024031508000",
                                  "x=y",
                                  "正常",
                                  "0.000000000000001",
                                  "99999999999999999999999"};
  static const char kSeparators[] = {';', ',', ',', ';'};
  std::uniform_int_distribution<size_t> key(0, std::size(kKeys) - 1);
  std::uniform_int_distribution<size_t> value(0, std::size(kValues) - 1);
  std::uniform_int_distribution<size_t> sep(0, std::size(kSeparators) - 1);
  std::uniform_int_distribution<int> items(0, 24);
  std::uniform_int_distribution<int> odd(0, 29);
  std::string cp;
  const int n = items(rng);
  for (int i = 0; i < n; ++i) {
    if (i > 0) cp.push_back(kSeparators[sep(rng)]);
    const int r = odd(rng);
    if (r == 0) continue;  // an empty item
    if (r == 1) {
      cp += "noequals";
      continue;
    }
    if (r == 3) cp += std::string("a21026-Avg\0\0", 12);  // the suffix "Avg\0\0" is not "Avg" (unknown)
    cp += kKeys[key(rng)];
    if (r != 2) cp.push_back('=');  // r == 2: the key alone
    cp += kValues[value(rng)];
  }
  return cp;
}

// A header: mostly the standard one (the template path), else a variant that must leave it (other lengths and
// order, PNUM/PNO, no Flag, long Flag, an unknown field, a ';' or '=' inside a value), then sometimes one
// byte changed anywhere in it.
std::string random_header(std::mt19937& rng) {
  static const char* kHeaders[] = {
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=255;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=256;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=0004;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=0002;PNO=0001;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;",
      "QN=20191012133710130;ST=22;CN=2011;PW=12=456;MN=010000A8900016F000169DC0;Flag=4;",
      "QN=20191012133710130;ST=22;CN=2011;PW=12;456;MN=010000A8900016F000169DC0;Flag=4;",
      "QN=20191012133710130;ST=22;CN=2011;PW=1234567;MN=010000A8900016F000169DC;Flag=4;",
      "ST=22;QN=20191012133710130;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;",
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000a8900016f000169dc0;Flag=4;X=1;",
      "QN=1570858630130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;",
      "QN=20191012133710130;ST=ZZ;CN=9999;PW=123456;MN=010000A8900016F000169DG0;Flag=4;"};
  std::uniform_int_distribution<size_t> pick(0, std::size(kHeaders) - 1);
  std::uniform_int_distribution<int> coin(0, 3);
  std::string h = kHeaders[coin(rng) == 0 ? pick(rng) : 0];
  if (coin(rng) == 0) {
    static const char kBytes[] = {';', '=', '0', '9', 'A', 'a', 'G', '/', ':', '&', ','};
    std::uniform_int_distribution<size_t> at(0, h.size() - 1);
    std::uniform_int_distribution<size_t> byte(0, std::size(kBytes) - 1);
    h[at(rng)] = kBytes[byte(rng)];
  }
  return h;
}

// The vector paths (the standard-header template and the common CP items, taken by decode_frame and
// parse_data_segment) and the scalar ones give the same message, deviations and error on every segment, under
// both policies; each segment sits in a buffer of exactly its size so that AddressSanitizer sees any read
// past it.
TEST(Decode, VectorPathsMatchTheScalarPaths) {
  std::mt19937 rng(212);
  int compared = 0;
  int accepted = 0;
  std::vector<detail::CpKernel> kernels;
  for (detail::CpKernel k : {detail::CpKernel::kScalar, detail::CpKernel::kSse2, detail::CpKernel::kAvx2}) {
    if (detail::cp_kernel_available(k)) kernels.push_back(k);
  }
  ASSERT_TRUE(detail::cp_kernel_available(detail::CpKernel::kScalar));
  std::map<detail::CpKernel, Message> reused;
  for (int n = 0; n < 20000; ++n) {
    const std::string segment = random_header(rng) + "CP=&&" + random_cp(rng) + "&&";
    const std::unique_ptr<char[]> exact(new char[segment.size()]);
    std::copy(segment.begin(), segment.end(), exact.get());
    const std::string_view view(exact.get(), segment.size());
    for (const DecodeOptions& options : {strict(), lenient()}) {
      Message fast;
      Message scalar;
      const FrameError a = parse_data_segment(view, kSegmentOffset, options, &fast);
      const FrameError b = detail::parse_data_segment_scalar(view, kSegmentOffset, options, &scalar);
      const std::string expected = describe(b, scalar);
      ASSERT_EQ(describe(a, fast), expected) << segment;
      // Every CP kernel this CPU runs (the scalar one on any CPU), each into a reused (cleared) Message: its
      // span storage keeps the room of earlier segments.
      for (detail::CpKernel k : kernels) {
        reused[k].clear();
        const FrameError c = detail::parse_data_segment_with(k, view, kSegmentOffset, options, &reused[k]);
        ASSERT_EQ(describe(c, reused[k]), expected) << detail::cp_kernel_name(k) << ": " << segment;
      }
      ++compared;
      accepted += a.ok() ? 1 : 0;
    }
  }
  EXPECT_EQ(compared, 40000);
  EXPECT_GT(accepted, 1000);  // enough accepted messages for their items to be compared too
}

TEST(Decode, SegmentsOver65535BytesAreRefused) {
  // CpSpan's 16-bit offsets: 65,535 bytes parse, one more is kOversize (no frame carries either: 9999 at
  // most).
  const std::string head = std::string(kHeader2017) + "CP=&&a21026-Rtd=";
  std::string fits = head + std::string(65535 - head.size() - 2, '1') + "&&";
  ASSERT_EQ(fits.size(), 65535U);
  Message m;
  ASSERT_TRUE(parse_data_segment(fits, kSegmentOffset, lenient(), &m).ok());
  ASSERT_EQ(m.cp.size(), 1U);
  EXPECT_EQ(m.cp.value(0).size(), 65535 - head.size() - 2);
  const std::string over = head + std::string(65536 - head.size() - 2, '1') + "&&";
  const FrameError e = parse_data_segment(over, kSegmentOffset, lenient(), &m);
  EXPECT_EQ(e.kind, ErrorKind::kOversize);
  EXPECT_EQ(e.offset, kSegmentOffset);
}

// MN must be 24 hex digits (either case): every position of a standard MN with bytes around the hex ranges.
TEST(Decode, MnHexDigitsAtEveryPosition) {
  const std::string mn = "010000A8900016F000169DC0";
  for (size_t i = 0; i < mn.size(); ++i) {
    for (char c : std::string("/09:@AFG`afg")) {
      std::string bad = mn;
      bad[i] = c;
      const bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
      Message m;
      const FrameError e =
          decode_frame(frame_of("QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=" + bad + ";Flag=4;CP=&&&&"),
                       strict(), &m);
      EXPECT_EQ(e.ok(), hex) << bad << " " << e.to_string();
      if (!hex) {
        EXPECT_EQ(e.deviation, DeviationKind::kNonstandardMn) << bad;
      }
    }
  }
}

TEST(ParseDecimal, AcceptsPlainDecimalsOnly) {
  EXPECT_EQ(parse_decimal("0.00"), (Decimal{0, 2}));
  EXPECT_EQ(parse_decimal("-3.25")->units, -325);
  EXPECT_FALSE(parse_decimal("").has_value());
  EXPECT_FALSE(parse_decimal("-").has_value());
  EXPECT_FALSE(parse_decimal(".5").has_value());
  EXPECT_FALSE(parse_decimal("5.").has_value());
  EXPECT_FALSE(parse_decimal("1e2").has_value());
  EXPECT_FALSE(parse_decimal("1.2.3").has_value());
  EXPECT_FALSE(parse_decimal("+1").has_value());
  EXPECT_TRUE(parse_decimal("123456789012345678").has_value());
  EXPECT_FALSE(parse_decimal("1234567890123456789").has_value());  // would overflow int64
}

}  // namespace
}  // namespace ecomon::hj212
