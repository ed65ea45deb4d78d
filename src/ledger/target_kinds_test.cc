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

}  // namespace
}  // namespace ecomon
