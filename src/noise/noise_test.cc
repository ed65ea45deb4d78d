// GB 3096-2008 / HJ 640-2012 golden cases (tests/cases/noise.csv): every zone limit on both sides, every
// grade bound on both sides, regional and length-weighted road means with GB/T 8170 rounding, point-time
// rates.
#include "noise/noise.h"

#include <gtest/gtest.h>

#include <sstream>

#include "standards/water/exact.h"
#include "testing/csv_cases.h"

namespace ecomon::noise {
namespace {

Rational num(const std::string& s) {
  auto v = exact::parse(s);
  EXPECT_TRUE(v.has_value()) << "not a number: " << s;
  return v.value_or(Rational{});
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string tok;
  while (std::getline(in, tok, sep)) out.push_back(tok);
  return out;
}

std::string rate_text(const ZoneRate& r, const std::string& zone) {
  return zone + ":" + (r.part == DayPart::kDay ? "day" : "night") + ":" + std::to_string(r.compliant) + "/" +
         std::to_string(r.measured) + ":" + (r.rate_percent ? r.rate_percent->to_string() : "-");
}

TEST(Noise, GoldenCases) {
  auto rows = testing::read_cases("noise.csv");
  ASSERT_GE(rows.size(), 60u);
  NoiseParams p;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    const std::string& kind = row.get("kind");
    DayPart part = row.get("part") == "night" ? DayPart::kNight : DayPart::kDay;
    if (kind == "comply") {
      auto zone = parse_zone(row.get("zone"));
      ASSERT_TRUE(zone.ok());
      auto parts = split(row.get("value"), ';');
      std::optional<Rational> lmax;
      if (parts.size() > 1) lmax = num(parts[1].substr(parts[1].find('=') + 1));
      EXPECT_EQ(zone_complies(*zone, part, num(parts[0]), lmax, p) ? "yes" : "no", row.get("expected"));
    } else if (kind == "regional_grade" || kind == "road_grade") {
      Decimal d = round_half_even(num(row.get("value")), 1);
      Grade g = kind == "regional_grade" ? grade_regional(part, d) : grade_road(part, d);
      EXPECT_EQ(grade_name(g), row.get("expected"));
    } else if (kind == "regional_mean") {
      std::vector<Rational> v;
      for (const auto& s : split(row.get("value"), ';')) v.push_back(num(s));
      auto g = regional_grade(part, v);
      ASSERT_TRUE(g.has_value());
      EXPECT_EQ(g->value.to_string() + "|" + std::string(grade_name(g->grade)), row.get("expected"));
    } else if (kind == "road_mean") {
      std::vector<RoadSection> v;
      for (const auto& s : split(row.get("value"), ';')) {
        auto lv = split(s, ':');
        v.push_back({num(lv[0]), num(lv[1])});
      }
      auto g = road_grade(part, v);
      ASSERT_TRUE(g.has_value());
      EXPECT_EQ(g->value.to_string() + "|" + std::string(grade_name(g->grade)), row.get("expected"));
    } else if (kind == "rate") {
      std::vector<ZoneMeasurement> m;
      for (const auto& s : split(row.get("value"), ';')) {
        auto f = split(s, ':');
        m.push_back({"p", *parse_zone(f[0]), *parse_part(f[1]), num(f[2]), std::nullopt});
      }
      ZoneCompliance c = zone_compliance(m, p);
      std::string got;
      for (const ZoneRate& r : c.by_zone)
        got += (got.empty() ? "" : ";") + rate_text(r, std::string(zone_name(r.zone)));
      got += ";" + rate_text(c.total_day, "total") + ";" + rate_text(c.total_night, "total");
      EXPECT_EQ(got, row.get("expected"));
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
}

TEST(Noise, NightLmaxIsAParameter) {
  NoiseParams p;
  p.check_night_lmax = true;
  // 1类 night limit 45: L_max 60.0 = 45 + 15 passes, 60.1 fails; the day is never checked.
  EXPECT_TRUE(zone_complies(ZoneClass::k1, DayPart::kNight, num("44"), num("60.0"), p));
  EXPECT_FALSE(zone_complies(ZoneClass::k1, DayPart::kNight, num("44"), num("60.1"), p));
  EXPECT_TRUE(zone_complies(ZoneClass::k1, DayPart::kDay, num("54"), num("80"), p));
}

TEST(Noise, Names) {
  EXPECT_EQ(*parse_zone("4A"), ZoneClass::k4a);
  EXPECT_EQ(*parse_zone("2类"), ZoneClass::k2);
  EXPECT_FALSE(parse_zone("5").ok());
  EXPECT_EQ(*parse_part("夜间"), DayPart::kNight);
  EXPECT_FALSE(parse_part("noon").ok());
  EXPECT_EQ(grade_rating(Grade::k3), "一般");
  EXPECT_FALSE(regional_grade(DayPart::kDay, {}).has_value());
}

}  // namespace
}  // namespace ecomon::noise
