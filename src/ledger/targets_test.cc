#include "ledger/targets.h"

#include <gtest/gtest.h>

#include <charconv>
#include <numeric>

#include "testing/csv_cases.h"

namespace ecomon {
namespace {

using testing::CaseRow;
using testing::read_cases;

int32_t to_int(const std::string& s) {
  int32_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string frac(const std::optional<Rational>& r) {
  if (!r) return "";
  int64_t g = std::gcd(r->num, r->den);
  int64_t n = r->num / g, d = r->den / g;
  return d == 1 ? std::to_string(n) : std::to_string(n) + "/" + std::to_string(d);
}
std::string dec(const std::optional<Decimal>& d) { return d ? d->to_string() : ""; }

// "START:item;item|START:item" with item = value[*count] (see tests/cases/target_budget.csv).
std::vector<DayFigure> expand(const std::string& series, bool is_mean) {
  std::vector<DayFigure> out;
  size_t seg_start = 0;
  while (seg_start <= series.size()) {
    size_t bar = series.find('|', seg_start);
    std::string seg =
        series.substr(seg_start, bar == std::string::npos ? std::string::npos : bar - seg_start);
    size_t colon = seg.find(':');
    CivilDay day = *CivilDay::parse(seg.substr(0, colon));
    std::string items = seg.substr(colon + 1);
    size_t i = 0;
    while (i <= items.size()) {
      size_t semi = items.find(';', i);
      std::string item = items.substr(i, semi == std::string::npos ? std::string::npos : semi - i);
      size_t star = item.find('*');
      std::string v = item.substr(0, star);
      int32_t count = star == std::string::npos ? 1 : to_int(item.substr(star + 1));
      for (int32_t k = 0; k < count; ++k) {
        DayFigure f{day, kMissing, DayQuality::kNoAqi};
        if (v != "-") {
          if (is_mean) {
            f.mean = static_cast<Milli>(*parse_milli(v));
          } else {
            f.quality = v == "G" ? DayQuality::kGood : v == "H" ? DayQuality::kHeavy : DayQuality::kPolluted;
          }
        }
        out.push_back(f);
        day = day + 1;
      }
      if (semi == std::string::npos) break;
      i = semi + 1;
    }
    if (bar == std::string::npos) break;
    seg_start = bar + 1;
  }
  return out;
}

Rational parse_value(const std::string& s) { return Rational{*parse_milli(s), kMilliPerUnit}; }

BudgetMeasure measure_of(const std::string& m) {
  if (m == "good_ratio") return BudgetMeasure::kGoodDayRatio;
  if (m == "heavy_ratio") return BudgetMeasure::kHeavyDayRatio;
  if (m == "heavy_days") return BudgetMeasure::kHeavyDays;
  return BudgetMeasure::kMean;
}

TEST(TargetBudgetGolden, HandWorkedCases) {
  std::vector<CaseRow> rows = read_cases("target_budget.csv");
  ASSERT_GE(rows.size(), 15u);
  for (const CaseRow& row : rows) {
    BudgetTarget t;
    t.measure = measure_of(row.get("measure"));
    t.bound = row.get("bound") == ">=" ? Bound::kAtLeast : Bound::kAtMost;
    t.value = parse_value(row.get("value"));
    t.digits = to_int(row.get("digits"));
    t.period = DayRange{*CivilDay::parse(row.get("period_first")), *CivilDay::parse(row.get("period_last"))};
    BudgetParams p;
    p.judge_reported = row.get("judge") == "reported";
    std::vector<DayFigure> days = expand(row.get("series"), t.measure == BudgetMeasure::kMean);
    StatusOr<BudgetResult> r = evaluate_budget(t, days, *CivilDay::parse(row.get("as_of")), p);
    ASSERT_TRUE(r.ok()) << row.where() << ": " << r.status().message();
    std::string at = row.where() + " (" + row.get("case") + ")";
    EXPECT_EQ(target_state_name(r->state), row.get("state")) << at;
    EXPECT_EQ(r->days_elapsed, to_int(row.get("days_elapsed"))) << at;
    EXPECT_EQ(r->days_remaining, to_int(row.get("days_remaining"))) << at;
    EXPECT_EQ(r->valid_days, to_int(row.get("valid_days"))) << at;
    EXPECT_EQ(r->missing_days, to_int(row.get("missing_days"))) << at;
    EXPECT_EQ(r->counted_days, to_int(row.get("counted_days"))) << at;
    EXPECT_EQ(frac(r->ytd), row.get("ytd")) << at;
    EXPECT_EQ(dec(r->ytd_reported), row.get("ytd_reported")) << at;
    EXPECT_EQ(frac(r->remaining_mean_limit), row.get("limit")) << at;
    if (r->remaining_mean_limit) {
      EXPECT_EQ(r->remaining_mean_limit_inclusive ? "yes" : "no", row.get("limit_inclusive")) << at;
    }
    EXPECT_EQ(dec(r->remaining_mean_reported), row.get("limit_reported")) << at;
    EXPECT_EQ(r->affordable_days ? std::to_string(*r->affordable_days) : "", row.get("affordable")) << at;
    EXPECT_EQ(r->pace_valid_days, to_int(row.get("pace_valid_days"))) << at;
    EXPECT_EQ(frac(r->pace), row.get("pace")) << at;
    EXPECT_EQ(frac(r->forecast), row.get("forecast")) << at;
    EXPECT_EQ(dec(r->forecast_reported), row.get("forecast_reported")) << at;
  }
}

BudgetTarget pm25_2022() {
  return BudgetTarget{BudgetMeasure::kMean, Bound::kAtMost, Rational{44, 1}, DayRange::year(2022), 0};
}

TEST(TargetBudget, ADayGivenTwiceIsAnError) {
  CivilDay d = CivilDay::from_ymd(2022, 1, 1);
  std::vector<DayFigure> days = {{d, 40000, DayQuality::kGood}, {d, 41000, DayQuality::kGood}};
  StatusOr<BudgetResult> r = evaluate_budget(pm25_2022(), days, d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "day 2022-01-01 given twice");
}

TEST(TargetBudget, UnsupportedComparisonIsAnError) {
  BudgetTarget t = pm25_2022();
  t.bound = Bound::kAtLeast;
  EXPECT_FALSE(evaluate_budget(t, {}, CivilDay::from_ymd(2022, 6, 1)).ok());
  t = pm25_2022();
  t.measure = BudgetMeasure::kGoodDayRatio;
  EXPECT_FALSE(evaluate_budget(t, {}, CivilDay::from_ymd(2022, 6, 1)).ok());
}

TEST(TargetBudget, APeriodWithoutValidDaysEndsWithNoData) {
  // Nothing measured in the whole year: neither met nor missed, but "no data".
  StatusOr<BudgetResult> r = evaluate_budget(pm25_2022(), {}, CivilDay::from_ymd(2023, 1, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, TargetState::kNoData);
  EXPECT_EQ(target_state_name(r->state), "no-data");
  EXPECT_FALSE(r->ytd.has_value());
  EXPECT_EQ(r->missing_days, 365);
}

TEST(TargetBudget, DaysAfterTheAsOfDateAreIgnored) {
  CivilDay d = CivilDay::from_ymd(2022, 3, 1);
  std::vector<DayFigure> days = {{d, 40000, DayQuality::kGood}, {d + 1, 900000, DayQuality::kHeavy}};
  StatusOr<BudgetResult> r = evaluate_budget(pm25_2022(), days, d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(frac(r->ytd), "40");
  EXPECT_EQ(r->valid_days, 1);
}

}  // namespace
}  // namespace ecomon
