#include "ingest/hj212/codes.h"

#include <gtest/gtest.h>

#include <string>

namespace ecomon::hj212 {
namespace {

TEST(Codes, PollutantsBy2017Code) {
  const PollutantCode* so2 = find_pollutant("a21026");
  ASSERT_NE(so2, nullptr);
  EXPECT_EQ(so2->name, "二氧化硫");
  EXPECT_EQ(so2->code_2005, "02");
  EXPECT_EQ(so2->unit, "毫克/立方米");
  EXPECT_EQ(so2->medium, Medium::kAir);
  const PollutantCode* cod = find_pollutant("w01018");
  ASSERT_NE(cod, nullptr);
  EXPECT_EQ(cod->name, "化学需氧量");
  EXPECT_EQ(cod->code_2005, "011");
  EXPECT_EQ(find_pollutant("A21026"), nullptr);  // codes are case-sensitive
  EXPECT_EQ(find_pollutant("pms_rules"), nullptr);
  const PollutantCode* o3 = find_pollutant("a05024");
  ASSERT_NE(o3, nullptr);
  EXPECT_FALSE(o3->in_appendix_b);
  EXPECT_EQ(find_pollutant("LA")->medium, Medium::kNoise);
  EXPECT_EQ(all_pollutants().size(), 184U + 12U + 1U);  // Appendix B water+air, noise, O3
}

TEST(Codes, Codes2005MapToTheSameVocabulary) {
  EXPECT_EQ(find_pollutant_2005("011", Medium::kWater), find_pollutant("w01018"));
  EXPECT_EQ(find_pollutant_2005("060", std::nullopt), find_pollutant("w21003"));
  EXPECT_EQ(find_pollutant_2005("B01", Medium::kWater), find_pollutant("w00000"));
  EXPECT_EQ(find_pollutant_2005("02", Medium::kAir), find_pollutant("a21026"));
  EXPECT_EQ(find_pollutant_2005("011", Medium::kAir), nullptr);  // a water code in an air frame
  // 2005 codes resolve only in 2005-style frames, within the medium the ST implies.
  EXPECT_EQ(resolve_pollutant("060", ProtocolVersion::kHj212_2005, "32"), find_pollutant("w21003"));
  EXPECT_EQ(resolve_pollutant("060", ProtocolVersion::kHj212_2017, "32"), nullptr);
  EXPECT_EQ(resolve_pollutant("023", ProtocolVersion::kHj212_2005, "31"), nullptr);
  EXPECT_EQ(resolve_pollutant("a34004", ProtocolVersion::kHj212_2005, "22"), find_pollutant("a34004"));
}

TEST(Codes, SystemTypesCommandsFlags) {
  EXPECT_EQ(system_type_name("22"), "空气质量监测");
  EXPECT_EQ(system_type_name("91"), "系统交互");
  EXPECT_TRUE(is_standard_system_type("32"));
  EXPECT_TRUE(is_standard_system_type("B5"));  // extension range A0..Z9
  EXPECT_FALSE(is_standard_system_type("80"));
  EXPECT_FALSE(is_standard_system_type("101"));
  EXPECT_EQ(medium_of_system_type("21"), Medium::kWater);
  EXPECT_EQ(medium_of_system_type("91"), std::nullopt);
  EXPECT_EQ(command_name(2011), "取/上传污染物实时数据");
  EXPECT_TRUE(is_standard_command(9014));
  EXPECT_FALSE(is_standard_command(9021));
  EXPECT_FALSE(is_standard_command(9015));
  EXPECT_TRUE(is_2025_extension_command(9015));
  EXPECT_EQ(data_flag_name('N'), "在线监控（监测）仪器仪表工作正常");
  EXPECT_TRUE(data_flag_name('X').empty());
}

// The lookups the decoder uses per frame (a bitmap, a 100-entry table) agree with the tables they are built
// from, for every 4-digit CN and every 2-character ST of digits or capital letter + digit.
TEST(Codes, FastLookupsAgreeWithTheTables) {
  int commands = 0;
  for (unsigned cn = 0; cn < 10000; ++cn) {
    const bool listed = !command_name(static_cast<uint16_t>(cn)).empty();
    EXPECT_EQ(is_standard_command(static_cast<uint16_t>(cn)), listed) << cn;
    commands += listed ? 1 : 0;
  }
  EXPECT_EQ(commands,
            33);  // Table 9: 1000, 1011-1013, 1061-1064, 1072, 2011-2081 (9), 3011-3021 (11), 9011-9014
  EXPECT_TRUE(is_standard_command(2011));
  EXPECT_FALSE(is_standard_command(2010));
  EXPECT_FALSE(is_standard_command(65535));
  int types = 0;
  for (char a = '0'; a <= 'Z'; ++a) {
    for (char b = '0'; b <= '9'; ++b) {
      const std::string st{a, b};
      const bool expected = !system_type_name(st).empty() || (a >= 'A' && a <= 'Z');
      EXPECT_EQ(is_standard_system_type(st), expected) << st;
      types += !system_type_name(st).empty() ? 1 : 0;
    }
  }
  EXPECT_EQ(types, 20);  // Table 5: 21..27, 31..39, 41, 51, 52, 91
  EXPECT_FALSE(is_standard_system_type("2"));
  EXPECT_FALSE(is_standard_system_type("a1"));
}

}  // namespace
}  // namespace ecomon::hj212
