#include "ingest/hj212/check.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "ingest/hj212/crc.h"
#include "ingest/hj212/test_support.h"

#ifdef ECOMON_HJ212_TEST_HAVE_JSON
#include <nlohmann/json.hpp>
#endif

namespace ecomon::hj212 {
namespace {

constexpr std::string_view kExampleOne =
    "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&1C80";

TEST(JsonString, EscapesAndKeepsValidUtf8) {
  std::string out;
  append_json_string(&out, std::string("a\"b\\c\n\r\t") + '\x01' + '\0' + "氨氮" + '\xff' + "z");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u0000氨氮\\ufffdz\"");
  out.clear();
  append_json_string(&out, "\xe6\xb0");  // truncated UTF-8 sequence
  EXPECT_EQ(out, "\"\\ufffd\\ufffd\"");
}

TEST(Check, OneJsonObjectPerLineAndExitCode) {
  std::istringstream in(std::string(kExampleOne) + "\r\n\n" + std::string(kExampleOne) + "\n" +
                        "##01a1garbage\n");
  std::ostringstream out;
  EXPECT_EQ(run_hj212_check(in, out, Policy::strict()), 1);
  std::istringstream lines(out.str());
  std::string l1, l2, l3, rest;
  ASSERT_TRUE(std::getline(lines, l1));
  ASSERT_TRUE(std::getline(lines, l2));
  ASSERT_TRUE(std::getline(lines, l3));
  EXPECT_FALSE(std::getline(lines, rest));
  EXPECT_EQ(
      l1,
      "{\"line\":1,\"ok\":true,\"error\":null,\"deviations\":[],\"header\":{\"QN\":\"20160801085857223\","
      "\"ST\":\"32\",\"CN\":\"1062\",\"PW\":\"100000\",\"MN\":\"010000A8900016F000169DC0\",\"Flag\":5,"
      "\"PNUM\":null,\"PNO\":null,\"version\":\"HJ212-2017\"},\"cp\":[{\"key\":\"RtdInterval\",\"code\":null,"
      "\"field\":\"RtdInterval\",\"value\":\"30\"}],\"data_time\":null}");
  EXPECT_NE(l2.find("\"line\":3,\"ok\":true"), std::string::npos);  // the blank line 2 is skipped
  EXPECT_NE(l3.find("\"line\":4,\"ok\":false,\"error\":{\"what\":\"bad_length_field\",\"offset\":2,"
                    "\"field\":\"length\""),
            std::string::npos)
      << l3;
  std::istringstream good{std::string(kExampleOne)};
  std::ostringstream ignored;
  EXPECT_EQ(run_hj212_check(good, ignored, Policy::strict()), 0);
}

// Issue 15: CP text that is not UTF-8. The segment "...;CP=&&a21026-Flag=\xff&&" is built with its CRC; the
// value byte is at 6 (## and length) + 80 (header) + 5 (CP=&&) + 12 (a21026-Flag=) = 103.
TEST(Check, InvalidUtf8IsReportedStrictRefusesLenientCounts) {
  const std::string segment =
      "QN=20191012133710130;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&a21026-Flag=\xff&"
      "&";
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X", static_cast<unsigned>(hj212_crc16(segment)));
  const std::string line =
      "##" + std::string(segment.size() < 1000 ? "0" : "") + std::to_string(segment.size()) + segment + crc;
  bool ok = true;
  const std::string strict = check_line_json(line, 1, Policy::strict(), &ok);
  EXPECT_FALSE(ok);
  EXPECT_NE(strict.find("\"error\":{\"what\":\"invalid_utf8\",\"offset\":103,\"field\":\"a21026-Flag\""),
            std::string::npos)
      << strict;
  const std::string lenient = check_line_json(line, 1, Policy::lenient(), &ok);
  EXPECT_TRUE(ok);
  EXPECT_NE(lenient.find("{\"kind\":\"invalid_utf8\",\"offset\":103,\"field\":\"a21026-Flag\"}"),
            std::string::npos)
      << lenient;
  EXPECT_NE(lenient.find("\"value\":\"\\ufffd\""), std::string::npos) << lenient;  // shown as U+FFFD
}

TEST(Check, PollutantNamesAndUnitsFromTheVocabulary) {
  bool ok = false;
  const std::string j = check_line_json(
      "##0139ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;B01-Rtd=36.91;"
      "011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&4980",
      1, Policy::lenient(), &ok);
  EXPECT_TRUE(ok) << j;
  EXPECT_NE(
      j.find("{\"key\":\"011-Rtd\",\"code\":\"011\",\"field\":\"Rtd\",\"value\":\"231.0\",\"pollutant\":"
             "\"w01018\",\"name\":\"化学需氧量\",\"unit\":\"毫克/升\"}"),
      std::string::npos)
      << j;
  EXPECT_NE(j.find("\"data_time\":\"2016-08-24T00:38:17\""), std::string::npos) << j;
  EXPECT_NE(j.find("{\"kind\":\"timestamp_17_digits\",\"offset\":62,\"field\":\"DataTime\"}"),
            std::string::npos)
      << j;
}

TEST(Check, RealMessagesGiveTheCodecsVerdicts) {
  const auto messages = testing::load_real_messages();
  if (messages.empty()) GTEST_SKIP() << "shared data absent (set ECOMON_SHARED_DIR)";
  for (const Policy& policy : {Policy::strict(), Policy::lenient()}) {
    std::string input;
    for (const auto& r : messages) input += r.message + "\n";
    std::istringstream in(input);
    std::ostringstream out;
    const int code = run_hj212_check(in, out, policy);
    EXPECT_EQ(code, 1);  // some are bad under either policy
    std::istringstream lines(out.str());
    std::string line;
    size_t n = 0;
    int ok_count = 0;
    while (std::getline(lines, line)) {
      ASSERT_LT(n, messages.size());
      Message m;
      const bool codec_ok =
          decode_frame(messages[n].message, DecodeOptions{.policy = policy, .require_terminator = false}, &m)
              .ok();
      const bool line_ok = line.find("\"ok\":true") != std::string::npos;
      EXPECT_EQ(line_ok, codec_ok) << "id " << messages[n].id;
      EXPECT_NE(line.find("{\"line\":" + std::to_string(n + 1) + ","), std::string::npos);
      ok_count += line_ok ? 1 : 0;
#ifdef ECOMON_HJ212_TEST_HAVE_JSON
      const nlohmann::json j = nlohmann::json::parse(line);  // valid JSON, parsed by a real parser
      EXPECT_EQ(j["ok"].get<bool>(), codec_ok);
      EXPECT_EQ(j["line"].get<size_t>(), n + 1);
      if (!codec_ok) {
        EXPECT_TRUE(j["error"].contains("what"));
        EXPECT_TRUE(j["error"]["offset"].is_number());
        EXPECT_TRUE(j["error"]["field"].is_string());
      }
      if (messages[n].crc_verdict == "MISMATCH") {
        EXPECT_EQ(j["error"]["what"], "crc_mismatch");
      }
#endif
      ++n;
    }
    EXPECT_EQ(n, messages.size());
    EXPECT_EQ(ok_count, policy.is_strict() ? 4 : 35);
  }
}

}  // namespace
}  // namespace ecomon::hj212
