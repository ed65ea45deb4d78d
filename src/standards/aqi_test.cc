#include "standards/aqi.h"

#include <gtest/gtest.h>

#include <fstream>

#include "standards/composite.h"
#include "standards/gb3095.h"
#include "testing/csv_cases.h"

namespace ecomon {
namespace {

// Our tables are a transcription: check every row of the compiled spec table
// (../shared/spec/aqi_breakpoints.csv) against iaqi() at both ends of each segment.
TEST(AqiTables, MatchTheSpecBreakpointTable) {
  std::string why;
  auto shared = testing::shared_dir(&why);
  if (!shared) GTEST_SKIP() << why;
  std::ifstream in(*shared / "spec" / "aqi_breakpoints.csv");
  ASSERT_TRUE(in) << "spec/aqi_breakpoints.csv missing";
  std::string line;
  std::getline(in, line);
  int checked = 0;
  while (std::getline(in, line)) {
    auto c = testing::split_csv_line(line);
    ASSERT_GE(c.size(), 10u) << line;
    const AqiRuleSet& rules = c[0] == "HJ 633-2012" ? hj633_2012() : hj633_2026();
    std::string pol = c[3] == "PM2.5" ? "PM2.5" : c[3];
    auto ind = parse_indicator(pol + "_" + c[4]);
    ASSERT_TRUE(ind.has_value()) << line;
    int iaqi_lo = std::stoi(c[6]), iaqi_hi = std::stoi(c[7]);
    int64_t bp_lo = *parse_milli(c[8]), bp_hi = *parse_milli(c[9]);
    EXPECT_EQ(iaqi(rules, *ind, bp_hi).value, iaqi_hi) << line;
    if (bp_lo > 0) {
      EXPECT_EQ(iaqi(rules, *ind, bp_lo).value, iaqi_lo) << line;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 130);
}

TEST(AqiRules, ChosenByDate) {
  EXPECT_EQ((*aqi_rules_for(CivilDay::from_ymd(2026, 2, 28)))->id, "HJ633-2012");
  EXPECT_EQ((*aqi_rules_for(CivilDay::from_ymd(2026, 3, 1)))->id, "HJ633-2026");
  EXPECT_EQ((*aqi_rules_for(CivilDay::from_ymd(2016, 1, 1)))->id, "HJ633-2012");
  EXPECT_FALSE(aqi_rules_for(CivilDay::from_ymd(2015, 12, 31)).ok());
  EXPECT_EQ(hj633_2012().valid_from, CivilDay::from_ymd(2016, 1, 1));
  EXPECT_EQ(*hj633_2012().valid_to, CivilDay::from_ymd(2026, 2, 28));
  EXPECT_EQ(hj633_2026().valid_from, CivilDay::from_ymd(2026, 3, 1));
  EXPECT_FALSE(aqi_rules_by_id("HJ633-2099").ok());
  EXPECT_EQ((*aqi_rules_by_id("HJ 633-2026"))->id, "HJ633-2026");
}

TEST(Gb3095, LimitSetsByDateAndValues) {
  EXPECT_EQ((*limit_set_for(CivilDay::from_ymd(2026, 2, 28)))->id, "GB3095-2012");
  EXPECT_EQ((*limit_set_for(CivilDay::from_ymd(2026, 3, 1)))->id, "GB3095-2026T");
  EXPECT_EQ((*limit_set_for(CivilDay::from_ymd(2030, 12, 31)))->id, "GB3095-2026T");
  EXPECT_EQ((*limit_set_for(CivilDay::from_ymd(2031, 1, 1)))->id, "GB3095-2026");
  EXPECT_EQ(gb3095_2012().valid_to, CivilDay::from_ymd(2026, 2, 28));
  EXPECT_EQ(gb3095_2026_transition().valid_to, CivilDay::from_ymd(2030, 12, 31));
  auto z2 = ZoneClass::kClass2;
  EXPECT_EQ(gb3095_2012().limit(Pollutant::kPM25, Averaging::kAnnual, z2)->units, 35);
  EXPECT_EQ(gb3095_2026_transition().limit(Pollutant::kPM25, Averaging::kAnnual, z2)->units, 30);
  EXPECT_EQ(gb3095_2026_final().limit(Pollutant::kPM25, Averaging::kAnnual, z2)->units, 25);
  EXPECT_EQ(gb3095_2026_final().limit(Pollutant::kNO2, Averaging::kAnnual, z2)->units, 30);
  EXPECT_EQ(gb3095_2026_transition().limit(Pollutant::kPM10, Averaging::k24h, z2)->units, 120);
  EXPECT_EQ(gb3095_2012().limit(Pollutant::kO3, Averaging::kMaxDaily8h, z2)->units, 160);
  EXPECT_EQ(gb3095_2012().limit(Pollutant::kSO2, Averaging::kAnnual, ZoneClass::kClass1)->units, 20);
  EXPECT_FALSE(gb3095_2012().limit(Pollutant::kCO, Averaging::kAnnual, z2).has_value());
}

// Cross-check every Table 1 class-2 row of ../shared/spec/gb3095_limits.csv.
TEST(Gb3095, MatchesTheSpecTable) {
  std::string why;
  auto shared = testing::shared_dir(&why);
  if (!shared) GTEST_SKIP() << why;
  std::ifstream in(*shared / "spec" / "gb3095_limits.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  int checked = 0;
  while (std::getline(in, line)) {
    auto c = testing::split_csv_line(line);
    if (c.size() < 10 || c[4] != "Table1_basic") continue;
    const LimitSet& s = c[0] == "GB 3095-2012" ? gb3095_2012()
                        : c[1] == "transition" ? gb3095_2026_transition()
                                               : gb3095_2026_final();
    auto p = parse_pollutant(c[5]);
    ASSERT_TRUE(p.has_value()) << line;
    Averaging a = c[6] == "annual" ? Averaging::kAnnual
                  : c[6] == "24h"  ? Averaging::k24h
                  : c[6] == "1h"   ? Averaging::k1h
                                   : Averaging::kMaxDaily8h;
    EXPECT_EQ(s.limit(*p, a, ZoneClass::kClass1)->to_milli(), *parse_milli(c[8])) << line;
    EXPECT_EQ(s.limit(*p, a, ZoneClass::kClass2)->to_milli(), *parse_milli(c[9])) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 42);
}

TEST(AqiLevels, BoundariesAndColours) {
  EXPECT_EQ(aqi_level(0).level, 1);
  EXPECT_EQ(aqi_level(50).level, 1);
  EXPECT_EQ(aqi_level(51).level, 2);
  EXPECT_EQ(aqi_level(100).category, "良");
  EXPECT_EQ(aqi_level(101).hex, "#FF7E00");
  EXPECT_EQ(aqi_level(200).level, 4);
  EXPECT_EQ(aqi_level(201).category, "重度污染");
  EXPECT_EQ(aqi_level(300).level, 5);
  EXPECT_EQ(aqi_level(301).hex, "#7E0023");
  EXPECT_EQ(aqi_level(500).level, 6);
}

TEST(Composite, WeightsAndLimitsAreConfigurable) {
  CompositeRule r = composite_2018();
  EXPECT_EQ(r.s[index_of(Pollutant::kCO)].units, 4);
  ASSERT_TRUE(apply_composite_weights(r, "PM2.5=3,NO2=2,O3=2").ok());
  EXPECT_EQ(r.weight[index_of(Pollutant::kPM25)], 3);
  EXPECT_EQ(r.id, "RANK-2018/custom");
  ASSERT_TRUE(apply_composite_limits(r, "PM2.5=30,PM10=60").ok());
  EXPECT_EQ(r.s[index_of(Pollutant::kPM25)].to_milli(), 30000);
  EXPECT_FALSE(apply_composite_weights(r, "PM3=1").ok());
  EXPECT_FALSE(apply_composite_weights(r, "PM2.5").ok());
  EXPECT_FALSE(apply_composite_limits(r, "SO2=-1").ok());
}

}  // namespace
}  // namespace ecomon
