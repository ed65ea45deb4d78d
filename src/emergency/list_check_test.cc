// What-if lists and the control roster, on a hand-worked two-entry list (kg/d in the comments).
#include "emergency/list_check.h"

#include <gtest/gtest.h>

#include "emergency/test_list.h"

namespace ecomon::emergency {
namespace {

using test::kKg;

// JC001: the B coke plant of test_list.h (SO2 100 -> red stop). JC002: an A cement plant, SO2/NOx/PM 100
// each, voluntary 90 / 80 / 70 at yellow / orange / red.
ReductionList two_entries() {
  Enterprise a{.id = "JC002", .name = "演示水泥", .county = "东阳县", .industry = "水泥", .grade = Grade::kA};
  Line l{.id = "L1", .name = "熟料线", .process = "窑", .baseline = {100 * kKg, 100 * kKg, 100 * kKg, 0}};
  for (int i = 0; i < kLevelCount; ++i) {
    const int64_t v = (90 - 10 * i) * kKg;
    l.measures[static_cast<size_t>(i)] = {MeasureKind::kVoluntary, 0, "", "自主减排", {v, v, v, 0}};
  }
  a.lines.push_back(l);
  return ReductionList{{test::coke_b(), a}};
}

const PollutantShare& so2_at(const ListCheck& c, WarningLevel l) {
  return c.levels[level_index(l)].pollutants[0];
}

TEST(EmergencyListCheck, RedReachedOnTheHandWorkedList) {
  // Red SO2: baseline 100+100=200, at red 0+70=70, reduction 130/200 = 65.00 %.
  const ListCheck c = check_list(two_entries(), {});
  EXPECT_EQ(c.enterprises, 2);
  EXPECT_EQ(so2_at(c, WarningLevel::kRed).share_percent->to_string(), "65.00");
  EXPECT_TRUE(so2_at(c, WarningLevel::kRed).reached);
  // VOCs: only JC001 emits 10, stopped at red: 100 %.
  EXPECT_EQ(c.levels[2].pollutants[3].share_percent->to_string(), "100.00");
  // Yellow SO2: 80+90=170, 30/200 = 15.00 % >= 10.
  EXPECT_EQ(so2_at(c, WarningLevel::kYellow).share_percent->to_string(), "15.00");
}

// Seed 003: an enterprise outside the grading (未分级) stops or takes its strictest (red) cut at every level,
// line by line; 保障类 and graded entries are not held to it.
TEST(EmergencyListCheck, UngradedStopsOrTakesTheStrictestCutAtEveryLevel) {
  // The coke plant ungraded: yellow cut 20 % (SO2 80 kg/d) and orange 50 % (50) are looser than red's stop
  // (0): two findings, yellow and orange.
  Enterprise coke = test::coke_b();
  coke.grade = Grade::kUngraded;
  // A second line cut 50 % at every level (SO2 50 / 50 / 50 of 100): the strictest cut throughout, no
  // finding.
  Line even{.id = "L2", .name = "2#焦炉", .process = "炼焦", .baseline = {100 * kKg, 0, 0, 0}};
  for (Measure& m : even.measures) m = {MeasureKind::kCutProduction, 50, "", "限产50%", {50 * kKg, 0, 0, 0}};
  coke.lines.push_back(even);
  // A third line with no measure at red: one finding at red (and no comparison of the lower levels).
  Line none{.id = "L3", .name = "3#焦炉", .process = "炼焦", .baseline = {10 * kKg, 0, 0, 0}};
  for (Measure& m : none.measures) m = {MeasureKind::kNone, 0, "", "", {10 * kKg, 0, 0, 0}};
  coke.lines.push_back(none);
  // 保障类 ungraded: exempt. B grade with the same loose measures: not this rule's business.
  Enterprise guarantee = test::coke_b();
  guarantee.id = "JC005";
  guarantee.grade = Grade::kUngraded;
  guarantee.guarantee = true;
  Enterprise graded = test::coke_b();
  graded.id = "JC006";
  const ReductionList list{{coke, guarantee, graded}};
  const ListCheck c = check_list(list, {});
  ASSERT_EQ(c.findings.size(), 3u);
  EXPECT_EQ(c.findings[0].rule, "ungraded-strictest");
  EXPECT_EQ(c.findings[0].enterprise, "JC001");
  EXPECT_EQ(c.findings[0].line, "L1");
  EXPECT_EQ(c.findings[0].level, WarningLevel::kYellow);
  EXPECT_EQ(
      c.findings[0].message,
      "未分级企业JC001（演示焦化）生产线L1 黄色预警：限产20%，应停产或采取最严级别限产（红色预警：停产）");
  EXPECT_EQ(c.findings[1].level, WarningLevel::kOrange);
  EXPECT_EQ(c.findings[2].line, "L3");
  EXPECT_EQ(c.findings[2].level, WarningLevel::kRed);
  EXPECT_EQ(c.findings[2].message, "未分级企业JC001（演示焦化）生产线L3 红色预警：无措施，应停产或限产");
  // The edge: yellow at exactly red's emission is the strictest cut (L2 above); one gram more is not.
  coke.lines[1].measures[0].emission[0] = 50 * kKg + 1;
  const ListCheck edge = check_list(ReductionList{{coke}}, {});
  ASSERT_EQ(edge.findings.size(), 4u);
  EXPECT_EQ(edge.findings[2].line, "L2");
  EXPECT_EQ(edge.findings[2].level, WarningLevel::kYellow);
  // The rule is a parameter.
  ListCheckParams off;
  off.ungraded_strictest = false;
  EXPECT_TRUE(check_list(list, off).findings.empty());
}

TEST(EmergencyListCheck, WhatIfGradeToAWithAssumedCut) {
  // JC001 becomes A: voluntary with an assumed cut of 0 % -> emits 100 at red; red SO2 = 100+70 = 170,
  // reduction 30/200 = 15.00 % < 30: the list no longer reaches red's share.
  auto w = with_grade(two_entries(), "JC001", Grade::kA, {}, {});
  ASSERT_TRUE(w.ok()) << w.status().message();
  const ListCheck c = check_list(*w, {});
  EXPECT_EQ(so2_at(c, WarningLevel::kRed).share_percent->to_string(), "15.00");
  EXPECT_FALSE(so2_at(c, WarningLevel::kRed).reached);
  EXPECT_FALSE(c.levels[2].all_reached);
  EXPECT_EQ(w->find("JC001")->lines[0].measures[2].kind, MeasureKind::kVoluntary);
  // Assumed cut 50 %: JC001 emits 50; red SO2 = 50+70 = 120, 80/200 = 40.00 %.
  auto w50 = with_grade(two_entries(), "JC001", Grade::kA, {}, {.voluntary_assumed_cut_percent = 50});
  ASSERT_TRUE(w50.ok());
  EXPECT_EQ(so2_at(check_list(*w50, {}), WarningLevel::kRed).share_percent->to_string(), "40.00");
}

TEST(EmergencyListCheck, WhatIfGradeDownNeedsNewMeasures) {
  auto w = with_grade(two_entries(), "JC002", Grade::kB, {}, {});
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("grade B may not take voluntary measures"), std::string::npos);
  EXPECT_EQ(with_grade(two_entries(), "NOPE", Grade::kA, {}, {}).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(
      with_grade(two_entries(), "JC001", Grade::kA, {}, {.voluntary_assumed_cut_percent = 101}).ok());
}

TEST(EmergencyListCheck, WhatIfAddedEnterprise) {
  // JC003 (C, SO2 100, stops at red): red SO2 baseline 300, at red 0+70+0 = 70, 230/300 = 76.666 -> 76.67 %.
  Enterprise c3 = test::coke_b();
  c3.id = "JC003";
  c3.county = "城区";
  c3.grade = Grade::kC;
  auto w = with_added(two_entries(), {c3}, {});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->enterprises.size(), 3U);
  EXPECT_EQ(so2_at(check_list(*w, {}), WarningLevel::kRed).share_percent->to_string(), "76.67");
  // A bad added entry is refused whole.
  c3.lines[0].measures[0].emission[0] = 200 * kKg;
  EXPECT_FALSE(with_added(two_entries(), {c3}, {}).ok());
}

TEST(EmergencyListCheck, RosterPerCountyAndLine) {
  const auto r = roster(two_entries(), WarningLevel::kOrange, "2020-12-01 12:00");
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[0].county, "东阳县");  // sorted by county (byte order of UTF-8)
  EXPECT_EQ(r[0].measure.kind, MeasureKind::kVoluntary);
  EXPECT_EQ(r[1].enterprise, "JC001");
  EXPECT_EQ(r[1].measure.cut_percent, 50);
  EXPECT_EQ(r[1].from, "2020-12-01 12:00");
  // Orange cut 50 %: baseline 100/200/50/10 minus 50/100/25/5.
  EXPECT_EQ(r[1].reduction, (Emissions{50 * kKg, 100 * kKg, 25 * kKg, 5 * kKg}));
  EXPECT_EQ(roster(two_entries(), WarningLevel::kOrange, "x", "西山县").size(), 1U);
  EXPECT_TRUE(roster(two_entries(), WarningLevel::kNone, "x").empty());
}

}  // namespace
}  // namespace ecomon::emergency

namespace ecomon::emergency {
namespace {

TEST(EmergencyWhatIf, ParsesGradeChangesAndRequiredShares) {
  auto g = parse_grade_change("JC0003=A");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->first, "JC0003");
  EXPECT_EQ(g->second, Grade::kA);
  EXPECT_EQ(parse_grade_change("JC0003=引领性")->second, Grade::kLeading);
  for (const char* bad : {"JC0003", "=A", "JC0003=Z", "JC0003="})
    EXPECT_EQ(parse_grade_change(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  auto r = parse_required_percent("10/20/30");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::array<int, kLevelCount>{10, 20, 30}));
  EXPECT_EQ(*parse_required_percent("0/0/100"), (std::array<int, kLevelCount>{0, 0, 100}));
  for (const char* bad : {"10/20", "10/20/30/40", "10-20-30", "10/20/101", "-1/20/30", "10/20/30x", ""})
    EXPECT_EQ(parse_required_percent(bad).status().code(), StatusCode::kInvalidArgument) << bad;
}

// Added entries first, then grade changes: JC002 (A, voluntary) replaced by an added D entry is then turned
// back to A by a grade change, which applies to the added entry: voluntary with the assumed cut 0 -> JC002
// reduces nothing, and the list's yellow SO2 reduction is JC001's alone.
TEST(EmergencyWhatIf, AppliesAddedEntriesThenGrades) {
  const ReductionList list = two_entries();
  Enterprise d = list.enterprises[1];
  d.grade = Grade::kD;
  for (Measure& m : d.lines[0].measures) m = {MeasureKind::kStop, 0, "", "停产", {0, 0, 0, 0}};
  WhatIf w{.grades = {{"JC002", Grade::kA}}, .added = {d}};
  auto out = apply_what_if(list, w, {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  const ListCheck only_jc001 = check_list(ReductionList{{list.enterprises[0]}}, {});
  EXPECT_EQ(so2_at(check_list(*out, {}), WarningLevel::kYellow).reduction,
            so2_at(only_jc001, WarningLevel::kYellow).reduction);
  EXPECT_EQ(apply_what_if(list, {.grades = {{"NOPE", Grade::kA}}}, {}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace ecomon::emergency
