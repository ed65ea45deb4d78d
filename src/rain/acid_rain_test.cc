// Acid rain golden cases (tests/cases/acid_rain.csv): sample classes at each threshold on both sides, the
// rainfall-weighted mean pH through H⁺ (expected values computed with 40-digit arithmetic), frequencies, city
// class.
#include "rain/acid_rain.h"

#include <gtest/gtest.h>

#include <sstream>

#include "standards/water/exact.h"
#include "testing/csv_cases.h"

namespace ecomon::rain {
namespace {

Rational num(const std::string& s) {
  auto v = exact::parse(s);
  EXPECT_TRUE(v.has_value()) << "not a number: " << s;
  return v.value_or(Rational{});
}

std::vector<RainSample> samples(const std::string& text) {
  std::vector<RainSample> out;
  std::istringstream in(text);
  std::string tok;
  while (std::getline(in, tok, ';')) {
    size_t c = tok.find(':');
    out.push_back({num(tok.substr(0, c)), num(tok.substr(c + 1))});
  }
  return out;
}

TEST(AcidRain, GoldenCases) {
  auto rows = testing::read_cases("acid_rain.csv");
  ASSERT_GE(rows.size(), 15u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    const std::string& kind = row.get("kind");
    if (kind == "sample") {
      EXPECT_EQ(sample_class_name(classify_ph(num(row.get("value")))), row.get("expected"));
    } else if (kind == "mean") {
      auto m = weighted_mean_ph(samples(row.get("value")), 2);
      ASSERT_TRUE(m.has_value());
      EXPECT_EQ(m->to_string(), row.get("expected"));
    } else if (kind == "frequency") {
      auto s = summarise(samples(row.get("value")));
      ASSERT_TRUE(s.has_value());
      EXPECT_EQ(s->frequency_percent.to_string() + "|" + s->heavier_frequency_percent.to_string() + "|" +
                    s->heavy_frequency_percent.to_string(),
                row.get("expected"));
    } else if (kind == "city") {
      auto s = summarise(samples(row.get("value")));
      ASSERT_TRUE(s.has_value());
      EXPECT_EQ(city_class_name(s->city_class), row.get("expected"));
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
}

TEST(AcidRain, NoValidSample) {
  EXPECT_FALSE(summarise(samples("5.0:0")).has_value());
  EXPECT_FALSE(weighted_mean_ph({}, 2).has_value());
  auto s = summarise(samples("4.8:2;6.2:3"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->samples, 2);
  EXPECT_TRUE(s->acid_seen);
  EXPECT_EQ(s->min_ph, num("4.8"));
  EXPECT_EQ(s->max_ph, num("6.2"));
}

}  // namespace
}  // namespace ecomon::rain
