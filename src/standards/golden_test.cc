// Runs the declarative golden cases of tests/cases/ that concern the standards' pure functions:
// iaqi.csv (one indicator), aqi.csv (a whole daily or real-time report), rounding.csv (GB/T 8170).
// Each case row carries its working from the standard's text in its `working` column.
#include <gtest/gtest.h>

#include <sstream>

#include "core/decimal.h"
#include "standards/aqi.h"
#include "testing/csv_cases.h"

namespace ecomon {
namespace {

using testing::read_cases;

const AqiRuleSet& rules_of(const testing::CaseRow& row) {
  auto r = aqi_rules_by_id(row.get("rules"));
  EXPECT_TRUE(r.ok()) << row.where() << ": " << r.status().message();
  return r.ok() ? **r : hj633_2012();
}

int64_t milli_of(const testing::CaseRow& row, const std::string& text) {
  auto v = parse_milli(text);
  EXPECT_TRUE(v.has_value()) << row.where() << ": bad number '" << text << "'";
  return v.value_or(0);
}

std::string describe(const IaqiResult& r) {
  switch (r.status) {
    case IaqiStatus::kNotComputedUse24h:
      return "USE_24H";
    case IaqiStatus::kNotComputedUse1h:
      return "USE_1H";
    case IaqiStatus::kNotInTable:
      return "NO_TABLE";
    case IaqiStatus::kValue:
      return r.above_table ? "500+" : std::to_string(r.value);
  }
  return "?";
}

TEST(Golden, IndividualAqi) {
  auto rows = read_cases("iaqi.csv");
  ASSERT_GT(rows.size(), 200u) << "iaqi.csv should cover every breakpoint of both versions";
  for (const auto& row : rows) {
    auto ind = parse_indicator(row.get("indicator"));
    ASSERT_TRUE(ind.has_value()) << row.where() << ": unknown indicator " << row.get("indicator");
    IaqiResult r = iaqi(rules_of(row), *ind, milli_of(row, row.get("concentration")));
    EXPECT_EQ(describe(r), row.get("expected")) << row.where() << " " << row.get("working");
  }
}

TEST(Golden, WholeReports) {
  auto rows = read_cases("aqi.csv");
  ASSERT_GT(rows.size(), 20u);
  for (const auto& row : rows) {
    const AqiRuleSet& rules = rules_of(row);
    AqiMode mode = row.get("mode") == "daily" ? AqiMode::kDaily : AqiMode::kRealtime;
    ASSERT_TRUE(row.get("mode") == "daily" || row.get("mode") == "realtime") << row.where();
    IndicatorValues v;
    for (int i = 0; i < kIndicatorCount; ++i) {
      std::string code(indicator_code(static_cast<AqiIndicator>(i)));
      auto it = row.fields.find(code);
      ASSERT_NE(it, row.fields.end()) << row.where() << ": no column " << code;
      if (!it->second.empty()) v[static_cast<size_t>(i)] = milli_of(row, it->second);
    }
    AqiResult r = compute_aqi(rules, mode, v);
    std::string aqi = r.aqi ? std::to_string(*r.aqi) : "NA";
    EXPECT_EQ(aqi, row.get("aqi")) << row.where() << " " << row.get("working");
    EXPECT_EQ(std::to_string(r.level()), row.get("level")) << row.where();
    std::string primary;
    for (Pollutant p : r.primary) primary += (primary.empty() ? "" : ";") + std::string(pollutant_code(p));
    if (primary.empty()) primary = "-";
    EXPECT_EQ(primary, row.get("primary")) << row.where() << " " << row.get("working");
  }
}

TEST(Golden, Gbt8170Rounding) {
  auto rows = read_cases("rounding.csv");
  ASSERT_GT(rows.size(), 10u);
  for (const auto& row : rows) {
    // value is an exact fraction "num/den" or a decimal
    const std::string& value = row.get("value");
    Rational q;
    if (auto slash = value.find('/'); slash != std::string::npos) {
      q = {std::stoll(value.substr(0, slash)), std::stoll(value.substr(slash + 1))};
    } else {
      q = {milli_of(row, value), kMilliPerUnit};
    }
    Decimal d = round_half_even(q, std::stoi(row.get("digits")));
    EXPECT_EQ(d.to_string(), row.get("expected")) << row.where() << " " << row.get("working");
  }
}

}  // namespace
}  // namespace ecomon
