// Downstream commands: the HJ 212-2025 ones (3011 with CalibrationType, 3022, 3024) encode to the note's
// example frames H6-H8 byte for byte (11_hj212_2025.md §3.2, copied from S1's tests, CRCs re-derived there),
// each in its device's version; bad arguments are refused naming what is wrong.
#include "sources/commands.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

constexpr std::string_view kQn = "20240601085857223";
constexpr std::string_view kMn = "010000A8900016F000169DC0";

std::string frame(const CommandRequest& r, hj212::ProtocolVersion v) {
  StatusOr<SourceCommand> c = command_of(r);
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return "";
  StatusOr<std::string> f = encode_command(*c, kQn, "32", "123456", hj212::Timestamp{}, v);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return f.ok() ? *f : "";
}

TEST(SourceCommands, Hj2025CommandsAreTheNotesExamples) {
  const std::string mn(kMn);
  EXPECT_EQ(
      frame({mn, "calibrate", {"w01018", "zero"}}, hj212::ProtocolVersion::k2025),
      "##0117QN=20240601085857223;ST=32;CN=3011;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&PolId="
      "w01018,CalibrationType=0&&9301\r\n");  // H6
  EXPECT_EQ(
      frame({mn, "standard-check", {"w01018"}}, hj212::ProtocolVersion::k2025),
      "##0099QN=20240601085857223;ST=32;CN=3024;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&PolId="
      "w01018&&3AC0\r\n");  // H7
  EXPECT_EQ(
      frame({mn, "sample-now", {"w01018"}}, hj212::ProtocolVersion::k2025),
      "##0099QN=20240601085857223;ST=32;CN=3022;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&PolId="
      "w01018&&FB41\r\n");  // H8
  // span = CalibrationType 1; a 2017 device gets 3011 without the type (Flag=5), a 2005 device Flag=1.
  EXPECT_NE(frame({mn, "calibrate", {"w01018", "span"}}, hj212::ProtocolVersion::k2025)
                .find("CP=&&PolId=w01018,CalibrationType=1&&"),
            std::string::npos);
  const std::string old = frame({mn, "calibrate", {"w01018", "span"}}, hj212::ProtocolVersion::k2017);
  EXPECT_NE(old.find(";Flag=5;CP=&&PolId=w01018&&"), std::string::npos) << old;
  EXPECT_NE(frame({mn, "get-time", {}}, hj212::ProtocolVersion::k2005).find(";Flag=1;"), std::string::npos);
  EXPECT_NE(frame({mn, "get-time", {}}, hj212::ProtocolVersion::k2025).find(";Flag=9;"), std::string::npos);
}

TEST(SourceCommands, BadArgumentsAreRefusedByName) {
  const std::string mn(kMn);
  const Status type = command_of({mn, "calibrate", {"w01018", "full"}}).status();
  EXPECT_EQ(type.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(type.message().find("zero or span, not 'full'"), std::string::npos) << type.message();
  const Status none = command_of({mn, "sample-now", {}}).status();
  EXPECT_NE(none.message().find("sample-now takes 1 argument(s), got 0"), std::string::npos)
      << none.message();
  const Status many = command_of({mn, "calibrate", {"w01018", "zero", "x"}}).status();
  EXPECT_NE(many.message().find("calibrate POLID [zero|span]"), std::string::npos) << many.message();
  EXPECT_EQ(command_of({mn, "standard-check", {"w01;018"}}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecomon
