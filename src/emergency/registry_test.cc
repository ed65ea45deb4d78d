// The list entry's own checks: units, grades, measures against the baseline (bad input named exactly).
#include <gtest/gtest.h>

#include "emergency/registry.h"
#include "emergency/test_list.h"

namespace ecomon::emergency {
namespace {

using test::coke_b;
using test::kKg;

TEST(EmergencyRegistry, ParsesEmissionsExactlyInGramsPerDay) {
  EXPECT_EQ(parse_emission("1.234", EmissionUnit::kTonnesPerDay), 1'234'000);  // 1.234 t = 1234 kg
  EXPECT_EQ(parse_emission("1.234", EmissionUnit::kKgPerDay), 1'234);
  EXPECT_EQ(parse_emission("0", EmissionUnit::kKgPerDay), 0);
  EXPECT_FALSE(parse_emission("-1", EmissionUnit::kKgPerDay));      // negative
  EXPECT_FALSE(parse_emission("1.2345", EmissionUnit::kKgPerDay));  // below a gram
  EXPECT_FALSE(parse_emission("abc", EmissionUnit::kKgPerDay));
  EXPECT_FALSE(parse_emission("2000000", EmissionUnit::kTonnesPerDay));  // above 1e6 t/d
  EXPECT_EQ(kg_per_day(1'234), "1.234");
  EXPECT_FALSE(parse_emission_unit("t/a"));
}

TEST(EmergencyRegistry, NamesParseBothWays) {
  for (Grade g :
       {Grade::kA, Grade::kB, Grade::kC, Grade::kD, Grade::kLeading, Grade::kNonLeading, Grade::kUngraded})
    EXPECT_EQ(parse_grade(grade_name(g)), g);
  EXPECT_FALSE(parse_grade("E"));
  EXPECT_FALSE(parse_grade("a"));
  EXPECT_EQ(parse_level("橙色"), WarningLevel::kOrange);
  EXPECT_EQ(parse_measure("限产"), MeasureKind::kCutProduction);
}

TEST(EmergencyRegistry, ValidEntrySumsItsLines) {
  Enterprise e = coke_b();
  ASSERT_TRUE(validate_enterprise(e, {}).ok()) << validate_enterprise(e, {}).message();
  Line l2 = e.lines[0];
  l2.id = "L2";
  e.lines.push_back(l2);
  EXPECT_EQ(e.baseline(), (Emissions{200 * kKg, 400 * kKg, 100 * kKg, 20 * kKg}));
  EXPECT_EQ(e.emission_at(WarningLevel::kOrange), (Emissions{100 * kKg, 200 * kKg, 50 * kKg, 10 * kKg}));
  EXPECT_EQ(e.emission_at(WarningLevel::kNone), e.baseline());
}

TEST(EmergencyRegistry, MeasureAboveBaselineIsRefusedWithItsPlace) {
  Enterprise e = coke_b();
  e.lines[0].measures[1].emission[1] = 250 * kKg;  // orange NOx 250 > baseline 200
  Status s = validate_enterprise(e, {});
  EXPECT_EQ(s.message(),
            "enterprise JC001 line L1 orange: NOx emission 250.000 kg/d exceeds the baseline 200.000");
}

TEST(EmergencyRegistry, NegativeAndLooseningRefused) {
  Enterprise e = coke_b();
  e.lines[0].baseline[0] = -1;
  EXPECT_FALSE(validate_enterprise(e, {}).ok());
  e = coke_b();
  e.lines[0].measures[2].emission[3] = -5;
  EXPECT_NE(validate_enterprise(e, {}).message().find("VOCs emission is negative"), std::string::npos);
  e = coke_b();
  e.lines[0].measures[1].emission[0] = 90 * kKg;  // orange SO2 90 > yellow 80: loosens
  EXPECT_NE(validate_enterprise(e, {}).message().find("above the lower level's 80.000"), std::string::npos);
  ListRules lax;
  lax.require_tightening = false;
  EXPECT_TRUE(validate_enterprise(e, lax).ok());
}

TEST(EmergencyRegistry, GradeRules) {
  Enterprise e = coke_b();
  e.lines[0].measures[0].kind = MeasureKind::kVoluntary;  // B may not choose
  e.lines[0].measures[0].cut_percent = 0;
  EXPECT_EQ(validate_enterprise(e, {}).message(),
            "enterprise JC001 line L1 yellow: grade B may not take voluntary measures");
  e.grade = Grade::kA;
  EXPECT_TRUE(validate_enterprise(e, {}).ok());
  e.grade = Grade::kLeading;
  EXPECT_TRUE(validate_enterprise(e, {}).ok());
  e = coke_b();
  e.lines[0].measures[2] = e.lines[0].measures[1];
  e.lines[0].measures[2].kind = MeasureKind::kNone;
  e.lines[0].measures[2].cut_percent = 0;
  EXPECT_NE(validate_enterprise(e, {}).message().find("names no measure at red"), std::string::npos);
  e.guarantee = true;  // 保障类 may have none
  EXPECT_TRUE(validate_enterprise(e, {}).ok());
  e = coke_b();
  e.lines[0].measures[2].emission[0] = 1;  // a stop that emits
  EXPECT_NE(validate_enterprise(e, {}).message().find("must be 0 when the line stops"), std::string::npos);
  e = coke_b();
  e.lines[0].measures[0].cut_percent = 0;
  EXPECT_NE(validate_enterprise(e, {}).message().find("cut percent must be 1..100"), std::string::npos);
  e = coke_b();
  e.lines[0].measures[0] = {MeasureKind::kStopProcess, 0, "", "", e.lines[0].measures[0].emission};
  EXPECT_NE(validate_enterprise(e, {}).message().find("names no process"), std::string::npos);
  e = coke_b();
  e.lines.push_back(e.lines[0]);
  EXPECT_NE(validate_enterprise(e, {}).message().find("line id repeated"), std::string::npos);
}

}  // namespace
}  // namespace ecomon::emergency
