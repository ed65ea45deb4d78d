// Stored survey points judged as a whole: land uses, items by their stored names, refusals, county summaries.
#include <gtest/gtest.h>

#include "soil/survey.h"

namespace ecomon::soil {
namespace {

TEST(SoilSurvey, LandUses) {
  EXPECT_TRUE(parse_land_use("水田")->farmland);
  EXPECT_EQ(parse_land_use("第二类用地")->dev, DevClass::kClass2);
  auto unclear = parse_land_use("unclear");
  ASSERT_TRUE(unclear.ok());
  EXPECT_FALSE(unclear->farmland);
  EXPECT_FALSE(unclear->dev.has_value());
  EXPECT_EQ(land_use_name(*unclear), "用途不明确");
  EXPECT_EQ(land_use_key(*parse_land_use("果园")), "orchard");
  EXPECT_FALSE(parse_land_use("林地").ok());
}

TEST(SoilSurvey, PointsAndSummary) {
  std::vector<SoilPoint> points = {
      // 水田 pH 6.2 (5.5<pH≤6.5): Cd 0.4 < 0.45 ≤ 2.0 → 安全利用类.
      {"A1", "城区", "paddy", "6.2", {{"Cd", "0.45", false}, {"Pb", "60", false}}},
      // 旱地 pH 8.0: As 110 > control 100 → 严格管控类.
      {"A2", "城区", "dryland", "8.0", {{"As", "110", false}}},
      // 果园 pH 7.0: Cu 190 ≤ 果园 200 → 优先保护类.
      {"B1", "阳城县", "orchard", "7.0", {{"Cu", "190", false}}},
      // 第二类用地: 苯 41 > control 40.
      {"D1", "阳城县", "class2", "", {{"苯", "41", false}}},
      // no pH: not judged.
      {"B2", "阳城县", "dryland", "", {{"Cd", "0.1", false}}},
      // a GB 36600 name on farmland: not judged.
      {"B3", "阳城县", "dryland", "6.0", {{"四氯化碳", "0.1", false}}},
  };
  std::vector<PointAssessment> results;
  for (const SoilPoint& p : points) results.push_back(assess_point(p, FarmParams{}, DevParams{}));
  EXPECT_EQ(results[0].farm->category, FarmCategory::kSafeUse);
  EXPECT_EQ(results[1].farm->category, FarmCategory::kStrictControl);
  EXPECT_EQ(results[2].farm->category, FarmCategory::kPriorityProtection);
  EXPECT_EQ(results[3].dev->worst, DevRisk::kControlOrRemediate);
  EXPECT_FALSE(results[4].error.ok());
  EXPECT_NE(results[4].error.message().find("no pH"), std::string::npos);
  EXPECT_NE(results[5].error.message().find("not a GB 15618 item"), std::string::npos);

  auto s = summarize(points, results);
  ASSERT_EQ(s.size(), 3u);  // 城区, 阳城县, total
  EXPECT_EQ(s[0].county, "城区");
  EXPECT_EQ(s[0].farm_points, 2);
  EXPECT_EQ(s[0].by_category[1], 1);  // 安全利用类
  EXPECT_EQ(s[0].by_category[2], 1);  // 严格管控类
  EXPECT_EQ(s[1].farm_points, 1);
  EXPECT_EQ(s[1].dev_points, 1);
  EXPECT_EQ(s[1].by_dev_risk[3], 1);
  EXPECT_EQ(s[1].not_judged, 2);
  EXPECT_EQ(s[2].county, "");
  EXPECT_EQ(s[2].farm_points, 3);
  EXPECT_EQ(s[2].not_judged, 2);
}

}  // namespace
}  // namespace ecomon::soil
