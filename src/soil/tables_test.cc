// The compiled soil tables against the spec CSVs (../shared/spec/gb15618_values.csv, gb36600_values.csv,
// gb36600_table2_values.csv; skipped with a message when the shared directory is absent), names, and the
// parameters that stand for UNCONFIRMED rules (docs/soil.md).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "soil/gb15618.h"
#include "soil/gb36600.h"
#include "standards/water/exact.h"
#include "testing/csv_cases.h"

namespace ecomon::soil {
namespace {

Rational num(std::string_view s) {
  auto v = exact::parse(s);
  EXPECT_TRUE(v.has_value()) << s;
  return v.value_or(Rational{});
}

// The spec CSVs print a few small values with an exponent ("4e-05"): mantissa × 10^exponent, exactly.
std::optional<Rational> spec_number(const std::string& text) {
  size_t e = text.find_first_of("eE");
  if (e == std::string::npos) return exact::parse(text);
  auto mantissa = exact::parse(text.substr(0, e));
  if (!mantissa) return std::nullopt;
  int exponent = std::stoi(text.substr(e + 1));
  constexpr int64_t kTen = 10;
  Rational r = *mantissa;
  for (int i = 0; i < std::abs(exponent); ++i) {
    r = exponent < 0 ? exact::div(r, Rational{kTen, 1}) : exact::mul(r, Rational{kTen, 1});
  }
  return r;
}

// Rows of a spec CSV after its header; empty when the shared directory is absent (*why says so).
std::vector<std::vector<std::string>> spec_rows(const std::string& name, std::string* why) {
  std::vector<std::vector<std::string>> rows;
  auto shared = testing::shared_dir(why);
  if (!shared) return rows;
  std::ifstream in(*shared / "spec" / name);
  if (!in) {
    *why = "spec file absent: " + (*shared / "spec" / name).string();
    return rows;
  }
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(testing::split_csv_line(line));
  }
  return rows;
}

TEST(SoilTables, Gb15618EqualsTheSpecCsv) {
  std::string why;
  auto rows = spec_rows("gb15618_values.csv", &why);
  if (rows.empty()) GTEST_SKIP() << why;
  std::set<std::tuple<int, bool, int, int>> cells;  // every (item, control, column, band) the CSV names
  for (const auto& c : rows) {
    ASSERT_GE(c.size(), 5u);
    SCOPED_TRACE(c[0] + "," + c[1] + "," + c[2] + "," + c[3]);
    auto item = farm_item_by_name(c[0]);
    ASSERT_TRUE(item.has_value());
    bool control = c[1] == "control";
    ASSERT_TRUE(control || c[1] == "screening");
    TableLandUse column = c[2] == "paddy"     ? TableLandUse::kPaddy
                          : c[2] == "orchard" ? TableLandUse::kOrchard
                          : c[2] == "other"   ? TableLandUse::kOther
                                              : TableLandUse::kAny;
    EXPECT_EQ(table_land_use_key(column), c[2]);
    std::vector<PhBand> bands;
    if (c[3] == "any") {
      bands = {PhBand::kAtMost5_5, PhBand::k5_5To6_5, PhBand::k6_5To7_5, PhBand::kAbove7_5};
    } else {
      auto band = parse_ph_band(c[3]);
      ASSERT_TRUE(band.has_value());
      bands = {*band};
    }
    for (PhBand b : bands) {
      auto v = farm_table_value(*item, control, column, b);
      ASSERT_TRUE(v.has_value());
      EXPECT_EQ(*v, *spec_number(c[4]));
      cells.insert({static_cast<int>(*item), control, static_cast<int>(column), static_cast<int>(b)});
    }
  }
  EXPECT_EQ(rows.size(), 79u);
  // And the table has no cell the CSV lacks.
  for (int i = 0; i < kFarmItemCount; ++i) {
    for (int control = 0; control < 2; ++control) {
      for (int col = 0; col < 4; ++col) {
        for (int b = 0; b < kPhBandCount; ++b) {
          bool have = farm_table_value(static_cast<FarmItem>(i), control == 1, static_cast<TableLandUse>(col),
                                       static_cast<PhBand>(b))
                          .has_value();
          EXPECT_EQ(have, cells.count({i, control == 1, col, b}) == 1)
              << i << " " << control << " " << col << " " << b;
        }
      }
    }
  }
}

void check_gb36600(const std::string& file, int table, size_t count) {
  std::string why;
  auto rows = spec_rows(file, &why);
  if (rows.empty()) GTEST_SKIP() << why;
  ASSERT_EQ(rows.size(), count);
  for (size_t n = 0; n < rows.size(); ++n) {
    const auto& c = rows[n];
    ASSERT_GE(c.size(), 7u);
    SCOPED_TRACE(file + ": " + c[0]);
    auto item = dev_item_by_name(c[0]);
    ASSERT_TRUE(item.has_value());
    const DevItemInfo& info = dev_item_info(*item);
    EXPECT_EQ(info.table, table);
    EXPECT_EQ(info.number, static_cast<int>(n + 1));
    EXPECT_EQ(info.cas, c[1]);
    EXPECT_EQ(dev_group_name(info.group), c[2]);
    EXPECT_EQ(dev_screening(*item, DevClass::kClass1), *spec_number(c[3]));
    EXPECT_EQ(dev_screening(*item, DevClass::kClass2), *spec_number(c[4]));
    EXPECT_EQ(dev_control(*item, DevClass::kClass1), *spec_number(c[5]));
    EXPECT_EQ(dev_control(*item, DevClass::kClass2), *spec_number(c[6]));
  }
}

TEST(SoilTables, Gb36600Table1EqualsTheSpecCsv) { check_gb36600("gb36600_values.csv", 1, kDevTable1Count); }
TEST(SoilTables, Gb36600Table2EqualsTheSpecCsv) {
  check_gb36600("gb36600_table2_values.csv", 2, kDevItemCount - kDevTable1Count);
}

TEST(SoilTables, Names) {
  EXPECT_EQ(farm_items().size(), static_cast<size_t>(kFarmItemCount));
  for (const FarmItemInfo& i : farm_items()) {
    EXPECT_EQ(farm_item_by_name(i.key), i.item);
    EXPECT_EQ(farm_item_by_name(i.name_cn), i.item);
    EXPECT_EQ(farm_item_by_name(i.spec_name), i.item);
  }
  EXPECT_EQ(farm_item_by_name("cd"), FarmItem::kCd);
  EXPECT_FALSE(farm_item_by_name("铬（六价）").has_value());  // a GB 36600 item, not GB 15618's total Cr
  for (int u = 0; u < kFarmLandUseCount; ++u) {
    auto use = static_cast<FarmLandUse>(u);
    EXPECT_EQ(parse_farm_land_use(land_use_key(use)), use);
    EXPECT_EQ(parse_farm_land_use(land_use_name(use)), use);
  }
  EXPECT_EQ(parse_farm_land_use("人工牧草地"), FarmLandUse::kPasture);
  EXPECT_FALSE(parse_farm_land_use("林地").has_value());  // forest land is outside GB 15618
  std::set<std::string_view> names;
  for (int i = 0; i < kDevItemCount; ++i) {
    const DevItemInfo& info = dev_item_info(static_cast<DevItem>(i));
    EXPECT_TRUE(names.insert(info.name_cn).second) << info.name_cn;
    EXPECT_EQ(dev_item_by_name(info.name_cn), static_cast<DevItem>(i)) << info.name_cn;
  }
  EXPECT_EQ(dev_item_by_name("co"), dev_item_by_name("钴"));
  EXPECT_TRUE(dev_item_info(*dev_item_by_name("As")).background_note);
  EXPECT_TRUE(dev_item_info(*dev_item_by_name("V")).background_note);
  EXPECT_FALSE(dev_item_info(*dev_item_by_name("Pb")).background_note);
  for (int s = 0; s < 3; ++s) {
    auto c = static_cast<FarmCategory>(s);
    EXPECT_EQ(parse_category(category_name(c)), c);
  }
}

// The parameters standing for UNCONFIRMED rules change the result exactly as docs/soil.md says.
TEST(SoilParams, CategoryItems) {
  // 果园 pH 7.2: Cu 180 ≤ 200; Ni 120 > 100 (no control value). All items: 安全利用类; five metals only: Ni
  // cannot move the point, 优先保护类 (its risk is still reported).
  std::vector<FarmMeasurement> m = {{FarmItem::kCu, num("180")}, {FarmItem::kNi, num("120")}};
  FarmParams p;
  EXPECT_EQ(assess_farm_point(FarmLandUse::kOrchard, num("7.2"), m, p)->category, FarmCategory::kSafeUse);
  p.category_items = CategoryItems::kControlItemsOnly;
  auto r = assess_farm_point(FarmLandUse::kOrchard, num("7.2"), m, p);
  EXPECT_EQ(r->category, FarmCategory::kPriorityProtection);
  EXPECT_EQ(r->worst, FarmRisk::kPossible);
}

TEST(SoilParams, RotationAndNotDetected) {
  FarmParams p;
  // 水旱轮作地 Cd at 5.5<pH≤6.5: stricter of 水田 0.4 and 其他 0.3 = 0.3; off: 其他 0.3 as well, so use Pb:
  // 水田 100, 其他 90 → 90 either way; Hg: 水田 0.5, 其他 1.8 → 0.5 stricter, 1.8 off.
  EXPECT_EQ(farm_screening(FarmItem::kHg, FarmLandUse::kRotation, PhBand::k5_5To6_5, p), num("0.5"));
  p.rotation_uses_stricter = false;
  EXPECT_EQ(farm_screening(FarmItem::kHg, FarmLandUse::kRotation, PhBand::k5_5To6_5, p), num("1.8"));
  // 未检出 with a detection limit 0.5 above Cd's 0.3: 风险低 by default, 安全利用 when judged by the number.
  FarmMeasurement nd{FarmItem::kCd, num("0.5"), true};
  EXPECT_EQ(judge_farm_item(nd, FarmLandUse::kDryland, PhBand::k5_5To6_5, FarmParams{}).risk, FarmRisk::kLow);
  FarmParams by_number;
  by_number.not_detected_is_low = false;
  EXPECT_EQ(judge_farm_item(nd, FarmLandUse::kDryland, PhBand::k5_5To6_5, by_number).risk,
            FarmRisk::kSafeUse);
  // Pi = C / S rounded to 2 decimals: 0.5 / 0.3 = 1.666… → 1.67.
  EXPECT_EQ(judge_farm_item(nd, FarmLandUse::kDryland, PhBand::k5_5To6_5, FarmParams{}).index.to_string(),
            "1.67");
}

TEST(SoilParams, DevelopmentLand) {
  DevItem as = *dev_item_by_name("砷");
  DevParams p;
  // Unclear use: class 1 by default (As 20/120), class 2 when configured (60/140).
  EXPECT_EQ(assess_dev_point(std::nullopt, std::vector<DevMeasurement>{{as, num("30")}}, p)->worst,
            DevRisk::kInvestigate);
  p.unclear_use_class = DevClass::kClass2;
  EXPECT_EQ(assess_dev_point(std::nullopt, std::vector<DevMeasurement>{{as, num("30")}}, p)->worst,
            DevRisk::kNegligible);
  // Footnote ①: As 30 > class-1 screening 20 but ≤ a background of 35 → not managed as contaminated; 36 is.
  DevParams bg;
  bg.background[as] = num("35");
  EXPECT_EQ(judge_dev_item({as, num("30")}, DevClass::kClass1, bg).risk, DevRisk::kBelowBackground);
  EXPECT_EQ(judge_dev_item({as, num("36")}, DevClass::kClass1, bg).risk, DevRisk::kInvestigate);
  // The footnote is for As, Co and V only: a background given for Pb changes nothing.
  DevItem pb = *dev_item_by_name("铅");
  bg.background[pb] = num("500");
  EXPECT_EQ(judge_dev_item({pb, num("450")}, DevClass::kClass1, bg).risk, DevRisk::kInvestigate);
}

}  // namespace
}  // namespace ecomon::soil
