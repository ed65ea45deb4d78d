// GB 3838-2002 golden cases (tests/cases/gb3838.csv: every limit edge of every item on both sides, lake TP,
// DO and pH, the exclusions, 超标倍数 with its special cases, status words, main pollution items) and the
// exact value parser.
#include <gtest/gtest.h>

#include <sstream>

#include "standards/water/exact.h"
#include "standards/water/gb3838.h"
#include "testing/csv_cases.h"

namespace ecomon::water {
namespace {

Rational num(const std::string& s) {
  auto v = exact::parse(s);
  EXPECT_TRUE(v.has_value()) << "not a number: " << s;
  return v.value_or(Rational{});
}

std::vector<Measurement> parse_list(const std::string& text) {
  std::vector<Measurement> out;
  std::istringstream in(text);
  std::string tok;
  while (std::getline(in, tok, ';')) {
    size_t eq = tok.find('=');
    auto item = item_by_name(tok.substr(0, eq));
    EXPECT_TRUE(item.has_value()) << tok;
    if (item) out.push_back({*item, num(tok.substr(eq + 1))});
  }
  return out;
}

std::string class_text(std::optional<WaterClass> c) { return c ? std::string(class_name(*c)) : "none"; }

std::string join(const std::vector<Item>& items) {
  std::string s;
  for (Item i : items) s += (s.empty() ? "" : "+") + std::string(item_info(i).key);
  return s;
}

TEST(Exact, ParsesDecimalTextExactly) {
  EXPECT_EQ(*exact::parse("0.05281"), (Rational{5281, 100000}));
  EXPECT_EQ(*exact::parse("8.027542"), (Rational{8027542, 1000000}));
  EXPECT_EQ(*exact::parse("-0.5"), (Rational{-1, 2}));
  EXPECT_EQ(*exact::parse("0.0000500000"), (Rational{5, 100000}));  // ten decimals, as the stations publish
  EXPECT_FALSE(exact::parse("").has_value());
  EXPECT_FALSE(exact::parse("1e2").has_value());
  EXPECT_FALSE(exact::parse("--").has_value());
  EXPECT_FALSE(exact::parse("1.2.3").has_value());
  EXPECT_FALSE(exact::parse(".").has_value());
  EXPECT_EQ(exact::to_string(*exact::parse("0.05281")), "0.05281");
  EXPECT_EQ(exact::to_string(Rational{1, 3}), "0.333333");
  // A mean is exact: (0.1 + 0.2)/2 = 0.15 and compares equal to the text 0.15.
  std::vector<Rational> v = {num("0.1"), num("0.2")};
  EXPECT_EQ(*exact::mean(v), num("0.15"));
}

TEST(Exact, RunningSumGivesTheExactMean) {
  // Mixed decimals (common denominator path).
  exact::Sum s;
  for (const char* t : {"0.05281", "0.1", "12", "0.0000003", "7.25"}) s.add(*exact::parse(t));
  EXPECT_EQ(s.count(), 5);
  // (0.05281 + 0.1 + 12 + 0.0000003 + 7.25) / 5 = 19.4028103 / 5
  EXPECT_EQ(*s.mean(), (Rational{194028103, 50000000}));
  const Rational two[] = {*exact::parse("0.5"), *exact::parse("0.25")};
  EXPECT_EQ(*exact::mean(two), (Rational{3, 8}));
  EXPECT_FALSE(exact::Sum{}.mean().has_value());
  // Denominators whose least common multiple leaves 64 bits: the reducing path, still exact where it fits.
  exact::Sum primes;
  Rational chained{0, 1};
  for (int64_t d : {7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59}) {  // product > 2^63
    primes.add({1, d});
    chained = exact::add(chained, {1, d});
  }
  EXPECT_EQ(*primes.mean(), exact::div(chained, exact::of_int(14)));
}

TEST(Gb3838, GoldenCases) {
  auto rows = testing::read_cases("gb3838.csv");
  ASSERT_GE(rows.size(), 200u);
  Gb3838Params p;
  int checked = 0;
  for (const auto& row : rows) {
    const std::string& kind = row.get("kind");
    WaterBody body = row.get("body") == "lake" ? WaterBody::kLakeReservoir : WaterBody::kRiver;
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    if (kind == "class") {
      auto item = item_by_name(row.get("item"));
      ASSERT_TRUE(item.has_value());
      EXPECT_EQ(class_text(item_class(*item, num(row.get("value")), body, p)), row.get("expected"));
    } else if (kind == "section") {
      SectionResult r = classify_section(parse_list(row.get("value")), body, p);
      EXPECT_EQ(class_text(r.cls), row.get("expected"));
    } else if (kind == "multiple") {
      auto item = item_by_name(row.get("item"));
      ASSERT_TRUE(item.has_value());
      auto ref = parse_class(row.get("reference"));
      ASSERT_TRUE(ref.ok());
      auto m = exceedance_multiple(*item, num(row.get("value")), *ref, body, p);
      EXPECT_EQ(m ? round_half_even(*m, p.multiple_decimals).to_string() : "none", row.get("expected"));
    } else if (kind == "status") {
      auto c = parse_class(row.get("value"));
      ASSERT_TRUE(c.ok());
      EXPECT_EQ(status_name(status_of(*c)), row.get("expected"));
    } else if (kind == "main") {
      SectionResult r = classify_section(parse_list(row.get("value")), body, p);
      EXPECT_EQ(join(main_pollutants(r, body, p)), row.get("expected"));
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
      continue;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(rows.size()));
}

TEST(Gb3838, ExclusionsAreParameters) {
  // TN 5.2 is 劣Ⅴ; excluded for rivers by default, counted when the caller includes it.
  std::vector<Measurement> m = {{Item::kNH3N, num("0.4")}, {Item::kTN, num("5.2")}};
  Gb3838Params p;
  EXPECT_EQ(classify_section(m, WaterBody::kRiver, p).cls, WaterClass::kII);
  p.excluded_river.remove(Item::kTN);
  SectionResult r = classify_section(m, WaterBody::kRiver, p);
  EXPECT_EQ(r.cls, WaterClass::kWorseThanV);
  ASSERT_EQ(r.determining.size(), 1u);
  EXPECT_EQ(r.determining[0], Item::kTN);
  // Lakes: TN is evaluated separately by default; including it: 1.2 → Ⅳ.
  std::vector<Measurement> lake = {{Item::kTP, num("0.02")}, {Item::kTN, num("1.2")}};
  Gb3838Params q;
  EXPECT_EQ(classify_section(lake, WaterBody::kLakeReservoir, q).cls, WaterClass::kII);
  q.excluded_lake.remove(Item::kTN);
  EXPECT_EQ(classify_section(lake, WaterBody::kLakeReservoir, q).cls, WaterClass::kIV);
}

TEST(Gb3838, DoSpecialCases) {
  Gb3838Params p;
  // DO 4 against Ⅲ (5): exceeds, no multiple by default; (5 − 4)/5 = 0.2 with the deficit-ratio practice.
  EXPECT_TRUE(exceeds(Item::kDO, num("4"), WaterClass::kIII, WaterBody::kRiver, p));
  EXPECT_FALSE(exceedance_multiple(Item::kDO, num("4"), WaterClass::kIII, WaterBody::kRiver, p).has_value());
  p.ph_do_multiple = PhDoMultiple::kDoDeficitRatio;
  EXPECT_EQ(*exceedance_multiple(Item::kDO, num("4"), WaterClass::kIII, WaterBody::kRiver, p),
            (Rational{1, 5}));
  // Class I DO limit is a parameter (7.5 mg/L by default).
  Gb3838Params q;
  q.do_class_one = num("7");
  EXPECT_EQ(item_class(Item::kDO, num("7.2"), WaterBody::kRiver, q), WaterClass::kI);
  EXPECT_EQ(item_class(Item::kDO, num("7.2"), WaterBody::kRiver, Gb3838Params{}), WaterClass::kII);
}

TEST(Gb3838, NamesAndClasses) {
  EXPECT_EQ(item_by_name("氨氮"), Item::kNH3N);
  EXPECT_EQ(item_by_name("nh3_n"), Item::kNH3N);
  EXPECT_EQ(item_by_name("高锰酸盐指数"), Item::kCODMn);
  EXPECT_FALSE(item_by_name("叶绿素a").has_value());
  EXPECT_EQ(*parse_class("Ⅲ类"), WaterClass::kIII);
  EXPECT_EQ(*parse_class("劣V类"), WaterClass::kWorseThanV);
  EXPECT_EQ(*parse_class("劣Ⅴ"), WaterClass::kWorseThanV);
  EXPECT_EQ(*parse_class("IV"), WaterClass::kIV);
  EXPECT_FALSE(parse_class("劣Ⅲ").ok());
  EXPECT_FALSE(parse_class("--").ok());
  EXPECT_EQ(all_items().size(), static_cast<size_t>(kItemCount));
  for (const ItemInfo& info : all_items()) EXPECT_EQ(item_by_name(info.key), info.item) << info.key;
}

}  // namespace
}  // namespace ecomon::water
