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
