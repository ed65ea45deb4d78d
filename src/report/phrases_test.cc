// The bulletin's wording rules against the golden table tests/cases/bulletin_phrases.csv (each row has its
// working).
#include "report/phrases.h"

#include <gtest/gtest.h>

#include "report/facts.h"
#include "testing/csv_cases.h"

namespace ecomon::report {
namespace {

Decimal dec_of(const testing::CaseRow& row, const std::string& column) {
  auto d = parse_decimal(row.get(column));
  EXPECT_TRUE(d.has_value()) << row.where() << ": bad number in " << column;
  return d.value_or(Decimal{});
}

TEST(BulletinPhrases, GoldenTable) {
  auto rows = testing::read_cases("bulletin_phrases.csv");
  ASSERT_GE(rows.size(), 20u);
  for (const auto& row : rows) {
    const std::string& rule = row.get("rule");
    const std::string& expected = row.get("expected");
    std::string got;
    if (rule == "percent") {
      got = percent_change_phrase(dec_of(row, "a"), dec_of(row, "b"));
    } else if (rule == "rounded") {
      got = rounded_percent_phrase(dec_of(row, "a"));
    } else if (rule == "days") {
      got = days_change_phrase(dec_of(row, "a").units);
    } else if (rule == "count") {
      got = count_change_phrase(dec_of(row, "a").units, row.get("b"));
    } else if (rule == "points") {
      got = points_change_phrase(dec_of(row, "a"));
    } else if (rule == "decibel") {
      got = decibel_change_phrase(dec_of(row, "a"), dec_of(row, "b"));
    } else if (rule == "share") {
      auto s = share_percent(dec_of(row, "a").units, dec_of(row, "b").units);
      got = s ? s->to_string() : "";
    } else if (rule == "attain") {
      got = attainment_phrase(row.get("a"));
    } else if (rule == "limit") {
      got = limit_phrase(row.get("a").empty() ? std::nullopt : std::optional<Decimal>(dec_of(row, "a")));
    } else {
      ADD_FAILURE() << row.where() << ": unknown rule " << rule;
      continue;
    }
    EXPECT_EQ(got, expected) << row.where() << " (" << row.get("working") << ")";
  }
}

TEST(BulletinPhrases, RoundedChangeIsHalfEvenOnTheExactValue) {
  // 39 vs 48: -18.75 exactly -> -18.8 (7 odd -> up); 41 vs 48 = -14.5833 -> -14.6.
  EXPECT_EQ(rounded_percent_change(Decimal{39, 0}, Decimal{48, 0})->to_string(), "-18.8");
  EXPECT_EQ(rounded_percent_change(Decimal{41, 0}, Decimal{48, 0})->to_string(), "-14.6");
  // 0.25% exactly (1 of 400) -> 0.2 (2 even), not 0.3.
  EXPECT_EQ(rounded_percent_change(Decimal{401, 0}, Decimal{400, 0})->to_string(), "0.2");
  EXPECT_FALSE(rounded_percent_change(Decimal{1, 0}, Decimal{0, 0}).has_value());
}

}  // namespace
}  // namespace ecomon::report
