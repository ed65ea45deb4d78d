#include "core/decimal.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

// GB/T 8170 "四舍六入五成双" on exact decimal values.
TEST(RoundHalfEven, TiesGoToTheEvenNeighbour) {
  EXPECT_EQ(round_half_even({445, 10}, 0).units, 44);    // 44.5 -> 44 (4 is even)
  EXPECT_EQ(round_half_even({455, 10}, 0).units, 46);    // 45.5 -> 46
  EXPECT_EQ(round_half_even({4451, 100}, 0).units, 45);  // 44.51 -> 45 (above the tie)
  EXPECT_EQ(round_half_even({446, 10}, 0).units, 45);    // 44.6 -> 45
  EXPECT_EQ(round_half_even({444, 10}, 0).units, 44);    // 44.4 -> 44
  EXPECT_EQ(round_half_even({125, 100}, 1).units, 12);   // 1.25 -> 1.2
  EXPECT_EQ(round_half_even({135, 100}, 1).units, 14);   // 1.35 -> 1.4
  EXPECT_EQ(round_half_even({-445, 10}, 0).units, -44);  // symmetric for negatives
  EXPECT_EQ(round_half_even({-455, 10}, 0).units, -46);
  // A value a binary float gets wrong: 2.675 is stored as 2.67499999... but the exact tie rounds to 2.68.
  EXPECT_EQ(round_half_even({2675, 1000}, 2).units, 268);
  // Thirds never tie: 1/3 -> 0, 2/3 -> 1.
  EXPECT_EQ(round_half_even({1, 3}, 0).units, 0);
  EXPECT_EQ(round_half_even({2, 3}, 0).units, 1);
}

TEST(CeilToInt, AlwaysUp) {
  EXPECT_EQ(ceil_to_int({101, 2}), 51);
  EXPECT_EQ(ceil_to_int({100, 2}), 50);
  EXPECT_EQ(ceil_to_int({1, 1000}), 1);
  EXPECT_EQ(ceil_to_int({0, 7}), 0);
}

TEST(ParseMilli, AcceptsPlainDecimalsOnly) {
  EXPECT_EQ(parse_milli("45"), 45000);
  EXPECT_EQ(parse_milli("0.9"), 900);
  EXPECT_EQ(parse_milli("1.25"), 1250);
  EXPECT_EQ(parse_milli(".5"), 500);
  EXPECT_EQ(parse_milli("-3.2"), -3200);
  EXPECT_EQ(parse_milli("7."), 7000);
  EXPECT_FALSE(parse_milli("").has_value());
  EXPECT_FALSE(parse_milli("1.2345").has_value());  // more precision than thousandths
  EXPECT_FALSE(parse_milli("1e2").has_value());
  EXPECT_FALSE(parse_milli("abc").has_value());
  EXPECT_FALSE(parse_milli(".").has_value());
  EXPECT_FALSE(parse_milli("1,5").has_value());
}

TEST(Decimal, FormatsWithItsScale) {
  EXPECT_EQ((Decimal{44, 0}).to_string(), "44");
  EXPECT_EQ((Decimal{13, 1}).to_string(), "1.3");
  EXPECT_EQ((Decimal{5, 2}).to_string(), "0.05");
  EXPECT_EQ((Decimal{-114, 1}).to_string(), "-11.4");
  EXPECT_EQ((Decimal{900, 3}).to_milli(), 900);
  EXPECT_EQ((Decimal{13, 1}).to_milli(), 1300);
  EXPECT_TRUE((Decimal{13, 1}) == (Decimal{1300, 3}));
}

TEST(PercentChange, ExactFromReportedValues) {
  // 39 -> 44: (44-39)/39*100 = 12.820...% -> 12.8
  auto c = percent_change(Decimal{44, 0}, Decimal{39, 0});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(round_half_even(*c, 1).to_string(), "12.8");
  // 48 -> 39: -18.75% -> -18.8 (the 5 is followed by nothing: tie, 7 odd -> 8)
  EXPECT_EQ(round_half_even(*percent_change(Decimal{39, 0}, Decimal{48, 0}), 1).to_string(), "-18.8");
  EXPECT_FALSE(percent_change(Decimal{1, 0}, Decimal{0, 0}).has_value());
}

}  // namespace
}  // namespace ecomon

namespace ecomon {
namespace {

// Scales beyond 9 (the HJ 212 codec accepts up to 17 digits after the point): 0.000000000012 = 12 / 10^12;
// in thousandths 0.000000000012 -> 0 (half-even); 1.23456789012345678 (scale 17) -> 1235 thousandths.
TEST(Decimal, LargeScalesUseTheFullPowerTable) {
  const Decimal tiny{12, 12};
  EXPECT_EQ(tiny.to_rational().num, 12);
  EXPECT_EQ(tiny.to_rational().den, 1000000000000);
  EXPECT_DOUBLE_EQ(tiny.to_double(), 12e-12);
  EXPECT_EQ(tiny.to_milli(), 0);
  const Decimal long_one{123456789012345678, 17};
  EXPECT_EQ(long_one.to_milli(), 1235);
  EXPECT_EQ(long_one.to_string(), "1.23456789012345678");
  const Decimal max_scale{1, 18};
  EXPECT_EQ(max_scale.to_rational().den, 1000000000000000000);
}

}  // namespace
}  // namespace ecomon
