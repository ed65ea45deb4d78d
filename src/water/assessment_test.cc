// Period assessment of sections, rivers (mean and proportion methods), change words and drinking-water source
// compliance. Every expected value is worked out from the 2011 method's text in the comment beside it.
#include "water/assessment.h"

#include <gtest/gtest.h>

#include "standards/water/exact.h"

namespace ecomon::water {
namespace {

Rational num(const char* s) { return *exact::parse(s); }

SectionAssessment section_with(const char* name, std::vector<std::vector<Measurement>> months,
                               std::optional<WaterClass> target = WaterClass::kIII) {
  SectionInput in{name, "丹河", WaterBody::kRiver, target, std::move(months)};
  return assess_section(in, AssessParams{});
}

SectionAssessment section_of_class(WaterClass c) {
  // 氨氮 values inside each class: Ⅰ 0.1, Ⅱ 0.4, Ⅲ 0.9, Ⅳ 1.4, Ⅴ 1.9, 劣Ⅴ 2.5.
  static const char* kValue[] = {"0.1", "0.4", "0.9", "1.4", "1.9", "2.5"};
  return section_with("s", {{{Item::kNH3N, num(kValue[class_rank(c) - 1])}}});
}

TEST(Section, AnnualValueIsTheMeanOfTheMonths) {
  // 氨氮 0.9 (Jan) and 1.2 (Feb): mean 1.05 > 1.0 → Ⅳ 轻度污染; target Ⅲ missed, 超标倍数 (1.05 − 1.0)/1.0 =
  // 0.05. 溶解氧 6.5 and 7.0: mean 6.75 → Ⅱ.
  SectionAssessment a = section_with("赵庄", {{{Item::kNH3N, num("0.9")}, {Item::kDO, num("6.5")}},
                                              {{Item::kNH3N, num("1.2")}, {Item::kDO, num("7.0")}}});
  ASSERT_TRUE(a.result.cls.has_value());
  EXPECT_EQ(*a.result.cls, WaterClass::kIV);
  EXPECT_EQ(a.status, WaterStatus::kLightlyPolluted);
  EXPECT_EQ(a.meets_target, false);
  ASSERT_EQ(a.over_target.size(), 1u);
  EXPECT_EQ(a.over_target[0].item, Item::kNH3N);
  EXPECT_EQ(a.over_target[0].multiple->to_string(), "0.05");
  EXPECT_EQ(a.period_values[1].value, num("6.75"));
  ASSERT_EQ(a.main_pollutants.size(), 1u);
  EXPECT_EQ(a.main_pollutants[0], Item::kNH3N);
}

TEST(Section, TargetMetAndNoTarget) {
  SectionAssessment met = section_with("洞头", {{{Item::kNH3N, num("1.9")}}}, WaterClass::kV);  // Ⅴ meets Ⅴ
  EXPECT_EQ(met.meets_target, true);
  EXPECT_TRUE(met.over_target.empty());
  EXPECT_EQ(met.over_three.size(), 1u);  // 1.9 > Ⅲ 1.0
  SectionAssessment none = section_with("x", {{{Item::kNH3N, num("0.4")}}}, std::nullopt);
  EXPECT_FALSE(none.meets_target.has_value());
}

TEST(River, MeanMethodBelowFiveSections) {
  // Three sections, 氨氮 0.8, 1.2, 1.3: item mean 1.1 → Ⅳ, 轻度污染 (the sections are Ⅲ, Ⅳ, Ⅳ).
  std::vector<SectionAssessment> s = {section_with("a", {{{Item::kNH3N, num("0.8")}}}),
                                      section_with("b", {{{Item::kNH3N, num("1.2")}}}),
                                      section_with("c", {{{Item::kNH3N, num("1.3")}}})};
  RiverAssessment r = assess_river("丹河", s, AssessParams{});
  EXPECT_EQ(r.method, RiverMethod::kMean);
  EXPECT_EQ(r.mean_class, WaterClass::kIV);
  EXPECT_EQ(r.status, WaterStatus::kLightlyPolluted);
  EXPECT_EQ(r.good_share_rounded.to_string(), "33.3");  // 1 of 3 Ⅰ–Ⅲ
}

TEST(River, ProportionMethodFromFiveSections) {
  using C = WaterClass;
  auto river = [](std::vector<C> classes) {
    std::vector<SectionAssessment> s;
    for (C c : classes) s.push_back(section_of_class(c));
    return assess_river("r", s, AssessParams{});
  };
  // Ⅱ Ⅱ Ⅲ Ⅳ 劣Ⅴ: Ⅰ–Ⅲ 3/5 = 60% < 75; 劣Ⅴ 1/5 = 20% (20 ≤ 20 < 40) → 中度污染.
  RiverAssessment a = river({C::kII, C::kII, C::kIII, C::kIV, C::kWorseThanV});
  EXPECT_EQ(a.method, RiverMethod::kProportion);
  EXPECT_EQ(a.status, WaterStatus::kModeratelyPolluted);
  // 9 of 10 Ⅰ–Ⅲ = 90% → 优 (≥ 90).
  RiverAssessment b =
      river({C::kI, C::kII, C::kII, C::kIII, C::kIII, C::kIII, C::kII, C::kI, C::kII, C::kIV});
  EXPECT_EQ(b.status, WaterStatus::kExcellent);
  // 4 of 5 = 80% → 良好 (75 ≤ 80 < 90).
  EXPECT_EQ(river({C::kI, C::kII, C::kIII, C::kIII, C::kV}).status, WaterStatus::kGood);
  // 3 of 5 Ⅰ–Ⅲ, no 劣Ⅴ → 轻度污染; 2 of 5 劣Ⅴ = 40% → 重度污染.
  EXPECT_EQ(river({C::kI, C::kII, C::kIII, C::kIV, C::kV}).status, WaterStatus::kLightlyPolluted);
  EXPECT_EQ(river({C::kI, C::kII, C::kIII, C::kWorseThanV, C::kWorseThanV}).status,
            WaterStatus::kHeavilyPolluted);
  // ΔG − ΔD: from a (G 60, D 20) to G 80, D 0: 20 − (−20) = 40 > 20 → 明显好转.
  RiverAssessment c = river({C::kII, C::kII, C::kIII, C::kIII, C::kIV});
  EXPECT_EQ(river_change(a, c, ChangeParams{}), Change::kMarkedlyBetter);
  // From a to G 60, D 0 (Ⅱ Ⅱ Ⅲ Ⅳ Ⅳ): 0 − (−20) = 20 → 有所好转 (10 < 20 ≤ 20).
  RiverAssessment d = river({C::kII, C::kII, C::kIII, C::kIV, C::kIV});
  EXPECT_EQ(river_change(a, d, ChangeParams{}), Change::kBetter);
  // Unchanged shares → 无明显变化; reversed → 明显变差.
  EXPECT_EQ(river_change(a, a, ChangeParams{}), Change::kNoChange);
  EXPECT_EQ(river_change(c, a, ChangeParams{}), Change::kMarkedlyWorse);
}

TEST(Change, SectionWordsAndVocabulary) {
  ChangeParams p;
  EXPECT_EQ(section_change(WaterClass::kII, WaterClass::kIII, p), Change::kWorse);
  EXPECT_EQ(section_change(WaterClass::kI, WaterClass::kIII, p), Change::kMarkedlyWorse);
  EXPECT_EQ(section_change(WaterClass::kIV, WaterClass::kIII, p), Change::kBetter);
  EXPECT_EQ(section_change(WaterClass::kIII, WaterClass::kIII, p), Change::kNoChange);
  EXPECT_EQ(change_name(Change::kWorse), "有所变差");
  EXPECT_EQ(change_name(Change::kWorse, Vocabulary::kBulletin),
            "水质恶化");  // the 2020 bulletin: Ⅰ→Ⅱ 水质恶化
  EXPECT_EQ(change_name(Change::kBetter, Vocabulary::kBulletin), "水质好转");
  p.section_marked_levels = 3;
  EXPECT_EQ(section_change(WaterClass::kI, WaterClass::kIII, p), Change::kWorse);
}

TEST(DrinkingWater, ComplianceBySamplesAndByVolume) {
  // Source A: 2 samples, one compliant (10 万吨) one not (20): 1/2 = 50.0%, by volume 10/30 = 33.3%.
  // Source B: 1 compliant sample of 30: 100%. City: 2/3 = 66.7%, by volume 40/60 = 66.7%.
  std::vector<SourceSample> s = {{"A", true, num("10")}, {"A", false, num("20")}, {"B", true, num("30")}};
  auto c = source_compliance(s);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].source, "A");
  EXPECT_EQ(c[0].sample_rate_percent->to_string(), "50.0");
  EXPECT_EQ(c[0].volume_rate_percent->to_string(), "33.3");
  EXPECT_EQ(c[1].volume_rate_percent->to_string(), "100.0");
  EXPECT_EQ(c[2].source, "");
  EXPECT_EQ(c[2].sample_rate_percent->to_string(), "66.7");
  EXPECT_EQ(c[2].volume_rate_percent->to_string(), "66.7");
  EXPECT_EQ(supplementary_limit(SupplementaryItem::kFe), num("0.3"));
  EXPECT_EQ(supplementary_by_name("硝酸盐"), SupplementaryItem::kNitrate);
}

}  // namespace
}  // namespace ecomon::water
