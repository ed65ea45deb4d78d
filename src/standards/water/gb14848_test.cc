// GB/T 14848-2017 golden cases (tests/cases/gb14848.csv): every limit edge of the 39 conventional indicators
// on both sides, pH, presence indicators, 不得检出, radioactivity, well class and 超标指标, 超标倍数 and the
// F value.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "standards/water/exact.h"
#include "standards/water/gb14848.h"
#include "testing/csv_cases.h"

namespace ecomon::groundwater {
namespace {

Rational num(const std::string& s) {
  auto v = exact::parse(s);
  EXPECT_TRUE(v.has_value()) << "not a number: " << s;
  return v.value_or(Rational{});
}

std::vector<GwMeasurement> parse_list(const std::string& text) {
  std::vector<GwMeasurement> out;
  std::istringstream in(text);
  std::string tok;
  while (std::getline(in, tok, ';')) {
    size_t eq = tok.find('=');
    auto ind = indicator_by_name(tok.substr(0, eq));
    EXPECT_TRUE(ind.has_value()) << tok;
    if (ind) out.push_back({*ind, num(tok.substr(eq + 1)), false});
  }
  return out;
}

std::string join(const std::vector<Indicator>& v) {
  std::string s;
  for (Indicator i : v) s += (s.empty() ? "" : "+") + std::string(indicator_info(i).key);
  return s;
}

TEST(Gb14848, GoldenCases) {
  auto rows = testing::read_cases("gb14848.csv");
  ASSERT_GE(rows.size(), 250u);
  GwParams p;
  std::set<std::string> indicators_seen;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    const std::string& kind = row.get("kind");
    if (kind == "class" || kind == "multiple") {
      auto ind = indicator_by_name(row.get("indicator"));
      ASSERT_TRUE(ind.has_value()) << row.get("indicator");
      indicators_seen.insert(row.get("indicator"));
      bool nd = row.get("nd") == "nd";
      if (kind == "class") {
        EXPECT_EQ(class_name(indicator_class(*ind, num(row.get("value")), nd, p)), row.get("expected"));
      } else {
        WellResult w = classify_well(std::vector<GwMeasurement>{{*ind, num(row.get("value")), nd}}, p);
        const auto& m = w.indicators.at(0).multiple;
        EXPECT_EQ(m ? m->to_string() : "none", row.get("expected"));
      }
    } else if (kind == "well") {
      WellResult w = classify_well(parse_list(row.get("value")), p);
      ASSERT_TRUE(w.cls.has_value());
      EXPECT_EQ(std::string(class_name(*w.cls)) + "|" + join(w.over_three), row.get("expected"));
    } else if (kind == "f") {
      WellResult w = classify_well(parse_list(row.get("value")), p);
      auto f = f_value(w, p);
      ASSERT_TRUE(f.has_value());
      EXPECT_EQ(f->f.to_string() + "|" + std::string(grade_name(f->grade)), row.get("expected"));
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
  // Every one of the 39 indicators has class cases.
  EXPECT_EQ(indicators_seen.size(), static_cast<size_t>(kIndicatorCount));
}

TEST(Gb14848, Parameters) {
  GwParams p;
  // Radioactivity above Ⅲ: Ⅳ by default, Ⅴ when the caller says so.
  EXPECT_EQ(indicator_class(Indicator::kGrossAlpha, num("0.6"), false, p), GwClass::kIV);
  p.radioactivity_above_three = GwClass::kV;
  EXPECT_EQ(indicator_class(Indicator::kGrossAlpha, num("0.6"), false, p), GwClass::kV);
  // Not detected judged by its number when the practice is switched off: As detection limit 0.002 → Ⅲ.
  GwParams q;
  q.not_detected_is_class_one = false;
  EXPECT_EQ(indicator_class(Indicator::kAs, num("0.002"), true, q), GwClass::kIII);
  // Bacteriological indicators enter F when the caller asks: 总大肠菌群 Ⅳ alone → F = 6.
  GwParams r;
  r.excluded_from_f = IndicatorSet{};
  WellResult w = classify_well(std::vector<GwMeasurement>{{Indicator::kTotalColiforms, num("50"), false}}, r);
  EXPECT_EQ(f_value(w, r)->f.to_string(), "6.00");
  EXPECT_FALSE(f_value(w, GwParams{}).has_value());  // nothing left to score
}

TEST(Gb14848, Names) {
  EXPECT_EQ(all_indicators().size(), static_cast<size_t>(kIndicatorCount));
  for (const IndicatorInfo& info : all_indicators()) {
    EXPECT_EQ(indicator_by_name(info.key), info.indicator) << info.key;
    EXPECT_EQ(indicator_by_name(info.name_cn), info.indicator) << info.name_cn;
    EXPECT_EQ(info.number, static_cast<int>(info.indicator) + 1);
  }
  EXPECT_EQ(indicator_by_name("总硬度(以CaCO3计)"), Indicator::kTotalHardness);
  EXPECT_FALSE(indicator_by_name("叶绿素").has_value());
}

}  // namespace
}  // namespace ecomon::groundwater
