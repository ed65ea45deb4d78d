#include "ledger/target_kinds.h"

#include <gtest/gtest.h>

#include <charconv>

#include "testing/csv_cases.h"

namespace ecomon {
namespace {

using testing::CaseRow;
using testing::read_cases;

int64_t to_i64(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// "num" or "num/den".
Rational fraction(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return {to_i64(s), 1};
  return {to_i64(s.substr(0, slash)), to_i64(s.substr(slash + 1))};
}

Bound bound_of(const std::string& s) {
  if (s == "<=") return Bound::kAtMost;
  if (s == ">=") return Bound::kAtLeast;
  if (s == "<") return Bound::kLessThan;
  if (s == ">") return Bound::kMoreThan;
  return Bound::kExactly;
}

TEST(TargetKindsGolden, HandWorkedCases) {
  std::vector<CaseRow> rows = read_cases("target_kinds.csv");
  ASSERT_GE(rows.size(), 15u);
  for (const CaseRow& row : rows) {
    std::optional<Rational> value;
    if (!row.get("value").empty()) value = fraction(row.get("value"));
    DayRange period{*CivilDay::parse(row.get("period_first")), *CivilDay::parse(row.get("period_last"))};
    LevelResult r = evaluate_level(value, bound_of(row.get("bound")), fraction(row.get("target")), period,
                                   *CivilDay::parse(row.get("as_of")));
    EXPECT_EQ(level_state_name(r), row.get("state")) << row.where() << " " << row.get("case");
    EXPECT_EQ(r.period_over, row.get("over") == "yes") << row.where();
    EXPECT_EQ(r.value.has_value(), value.has_value()) << row.where();
    EXPECT_EQ(r.reason.empty(), value.has_value()) << row.where();
  }
}

TEST(TargetKinds, NotComputedCarriesTheReason) {
  LevelResult r = not_computed("no module computes emissions");
  EXPECT_EQ(level_state_name(r), "not-computed");
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.reason, "no module computes emissions");
}

TEST(TargetKinds, ComparisonIsExactOnFractions) {
  // 148/1 against 296/2 (= 148): equal, so <= and >= hold and < does not.
  EXPECT_TRUE(level_meets({148, 1}, Bound::kAtMost, {296, 2}));
  EXPECT_TRUE(level_meets({148, 1}, Bound::kAtLeast, {296, 2}));
  EXPECT_TRUE(level_meets({148, 1}, Bound::kExactly, {296, 2}));
  EXPECT_FALSE(level_meets({148, 1}, Bound::kLessThan, {296, 2}));
  EXPECT_FALSE(level_meets({148, 1}, Bound::kMoreThan, {296, 2}));
  // 1/3 < 0.3334 = 3334/10000: 10000 < 3·3334 = 10002.
  EXPECT_TRUE(level_meets({1, 3}, Bound::kLessThan, {3334, 10000}));
}

TEST(TargetKinds, Gb3095ClassReached) {
  // GB 3095-2012 Table 1 annual means: SO2 class 1 20, class 2 60 ug/m3; NO2 40 and 40.
  EXPECT_EQ(gb3095_class_reached({18, 1}, {20, 1}, {60, 1}), 1);  // 18 <= 20
  EXPECT_EQ(gb3095_class_reached({20, 1}, {20, 1}, {60, 1}), 1);  // at the limit is within it
  EXPECT_EQ(gb3095_class_reached({21, 1}, {20, 1}, {60, 1}), 2);  // 20 < 21 <= 60
  EXPECT_EQ(gb3095_class_reached({61, 1}, {20, 1}, {60, 1}), 3);  // beyond class 2
  EXPECT_EQ(gb3095_class_reached({40, 1}, {40, 1}, {40, 1}), 1);  // NO2: one limit for both classes
  EXPECT_EQ(gb3095_class_reached({41, 1}, {40, 1}, {40, 1}), 3);
  // CO 24 h 95th percentile 4 mg/m3 for both classes; 4.1 = 41/10 is beyond.
  EXPECT_EQ(gb3095_class_reached({41, 10}, {4, 1}, {4, 1}), 3);
}

}  // namespace
}  // namespace ecomon
