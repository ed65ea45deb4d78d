// Soil golden cases: tests/cases/soil_judgement.csv (pH bands, every GB 15618 and GB 36600 table cell at its
// edges, Cu in orchards, 水旱轮作地, items without control values, 未检出, units, points and their
// categories) and tests/cases/soil_rates.csv (the two safe-use rates on hand-worked examples). One runner for
// both.
#include <gtest/gtest.h>

#include <sstream>

#include "soil/gb15618.h"
#include "soil/gb36600.h"
#include "soil/rates.h"
#include "soil/sample.h"
#include "standards/water/exact.h"
#include "testing/csv_cases.h"

namespace ecomon::soil {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string tok;
  while (std::getline(in, tok, sep)) out.push_back(tok);
  return out;
}

// "K=V;K=V" → (name, value) pairs.
std::vector<std::pair<std::string, Rational>> pairs(const std::string& text) {
  std::vector<std::pair<std::string, Rational>> out;
  for (const std::string& kv : split(text, ';')) {
    size_t eq = kv.find('=');
    auto v = eq == std::string::npos ? std::nullopt : exact::parse(kv.substr(eq + 1));
    EXPECT_TRUE(v.has_value()) << kv;
    if (v) out.emplace_back(kv.substr(0, eq), *v);
  }
  return out;
}

std::optional<Rational> optional_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return exact::parse(text);
}

// A lab value in its unit to mg/kg, or the error.
StatusOr<LabValue> lab_mg(const std::string& value, const std::string& unit) {
  auto v = parse_lab_value(value);
  if (!v.ok()) return v.status();
  auto mg = to_mg_per_kg(v->value, unit);
  if (!mg.ok()) return mg.status();
  return LabValue{*mg, v->not_detected};
}

std::string triple(std::string_view risk, const Rational& screening, const std::optional<Rational>& control) {
  return std::string(risk) + ";" + exact::to_string(screening) + ";" +
         (control ? exact::to_string(*control) : "-");
}

std::string farm_item_case(const testing::CaseRow& row) {
  auto use = parse_farm_land_use(row.get("land_use"));
  auto item = farm_item_by_name(row.get("item"));
  auto ph = exact::parse(row.get("ph"));
  EXPECT_TRUE(use && item && ph) << "bad case";
  if (!use || !item || !ph) return "bad case";
  auto v = lab_mg(row.get("value"), row.get("unit"));
  if (!v.ok()) return "error";
  FarmItemResult r = judge_farm_item({*item, v->value, v->not_detected}, *use, ph_band(*ph), FarmParams{});
  return triple(risk_key(r.risk), r.screening, r.control);
}

std::optional<DevClass> dev_class(const std::string& text) {
  if (text == "class1") return DevClass::kClass1;
  if (text == "class2") return DevClass::kClass2;
  EXPECT_EQ(text, "unclear");
  return std::nullopt;
}

std::string dev_item_case(const testing::CaseRow& row) {
  auto item = dev_item_by_name(row.get("item"));
  EXPECT_TRUE(item.has_value()) << row.get("item");
  if (!item) return "bad case";
  auto v = lab_mg(row.get("value"), row.get("unit"));
  if (!v.ok()) return "error";
  DevParams p;
  DevItemResult r = judge_dev_item({*item, v->value, v->not_detected},
                                   dev_class(row.get("land_use")).value_or(p.unclear_use_class), p);
  return triple(dev_risk_key(r.risk), r.screening, r.control);
}

std::string farm_point_case(const testing::CaseRow& row) {
  auto use = parse_farm_land_use(row.get("land_use"));
  EXPECT_TRUE(use.has_value());
  std::vector<FarmMeasurement> values;
  for (const auto& [name, v] : pairs(row.get("item"))) {
    auto item = farm_item_by_name(name);
    EXPECT_TRUE(item.has_value()) << name;
    if (item) values.push_back({*item, v});
  }
  auto r = assess_farm_point(*use, optional_number(row.get("ph")), values, FarmParams{});
  if (!r.ok()) return "error";
  std::string items;
  for (FarmItem i : r->determining) items += (items.empty() ? "" : "+") + std::string(farm_item_info(i).key);
  return std::string(category_key(r->category)) + ";" + std::string(risk_key(r->worst)) + ";" + items;
}

std::string dev_point_case(const testing::CaseRow& row) {
  std::vector<DevMeasurement> values;
  for (const auto& [name, v] : pairs(row.get("item"))) {
    auto item = dev_item_by_name(name);
    EXPECT_TRUE(item.has_value()) << name;
    if (item) values.push_back({*item, v});
  }
  auto r = assess_dev_point(dev_class(row.get("land_use")), values, DevParams{});
  if (!r.ok()) return "error";
  std::string items;
  for (DevItem i : r->determining)
    items += (items.empty() ? "" : "+") + std::string(dev_item_info(i).name_cn);
  return std::string(dev_risk_key(r->worst)) + ";" + items;
}

std::string unit_case(const testing::CaseRow& row) {
  auto v = lab_mg(row.get("value"), row.get("unit"));
  if (!v.ok()) return "error";
  return exact::to_string(v->value) + (v->not_detected ? " nd" : "");
}

TEST(SoilGolden, Judgement) {
  auto rows = testing::read_cases("soil_judgement.csv");
  ASSERT_GE(rows.size(), 700u);
  std::map<std::string, int> kinds;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    const std::string& kind = row.get("kind");
    ++kinds[kind];
    std::string got;
    if (kind == "band") {
      got = std::string(ph_band_key(ph_band(*exact::parse(row.get("ph")))));
    } else if (kind == "farm_item") {
      got = farm_item_case(row);
    } else if (kind == "dev_item") {
      got = dev_item_case(row);
    } else if (kind == "farm_point") {
      got = farm_point_case(row);
    } else if (kind == "dev_point") {
      got = dev_point_case(row);
    } else if (kind == "unit") {
      got = unit_case(row);
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
      continue;
    }
    EXPECT_EQ(got, row.get("expected"));
  }
  // Every kind is present; the generated edges walk all 85 GB 36600 items in both classes (≥ 3 cases each).
  EXPECT_EQ(kinds.size(), 6u);
  EXPECT_GE(kinds["dev_item"], 3 * 2 * kDevItemCount);
}

SafeUseRate farm_rate(const testing::CaseRow& row) {
  std::vector<FarmParcel> parcels;
  int n = 0;
  for (const std::string& spec : split(row.get("input"), ';')) {
    auto f = split(spec, ':');
    EXPECT_GE(f.size(), 4u) << spec;
    if (f.size() < 4) continue;
    FarmParcel parcel;
    parcel.id = "P" + std::to_string(++n);
    auto cat = parse_category(f[0]);
    EXPECT_TRUE(cat.has_value()) << f[0];
    parcel.category = cat.value_or(FarmCategory::kPriorityProtection);
    parcel.area = exact::parse(f[1]).value_or(Rational{});
    parcel.measures_applied = f[2] == "m";
    if (f[3] != "-") parcel.produce_passes = f[3] == "pass";
    parcel.light_pollution = f.size() > 4 && f[4] == "light";
    parcels.push_back(parcel);
  }
  FarmRateParams p;
  p.count_light_priority = row.get("params") == "light";
  return farmland_safe_use_rate(parcels, p);
}

SafeUseRate plot_rate(const testing::CaseRow& row) {
  std::vector<Plot> plots;
  int n = 0;
  for (const std::string& spec : split(row.get("input"), ';')) {
    auto f = split(spec, ':');
    EXPECT_EQ(f.size(), 3u) << spec;
    if (f.size() != 3) continue;
    auto status = parse_plot_status(f[0]);
    EXPECT_TRUE(status.has_value()) << f[0];
    plots.push_back({"D" + std::to_string(++n), exact::parse(f[1]).value_or(Rational{}),
                     status.value_or(PlotStatus::kSuspected), f[2] == "y"});
  }
  PlotRateParams p;
  p.by_area = row.get("params") != "count";
  p.include_suspected = row.get("params") != "no_suspected";
  return plot_safe_use_rate(plots, p);
}

TEST(SoilGolden, Rates) {
  auto rows = testing::read_cases("soil_rates.csv");
  ASSERT_GE(rows.size(), 12u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.where() + " " + row.get("working"));
    SafeUseRate r = row.get("kind") == "farm" ? farm_rate(row) : plot_rate(row);
    std::string got = exact::to_string(r.numerator) + ";" + exact::to_string(r.denominator) + ";" +
                      std::to_string(r.parcels_counted) + ";" + (r.shown ? r.shown->to_string() : "-") + ";" +
                      (r.meets_target ? "yes" : "no");
    EXPECT_EQ(got, row.get("expected"));
  }
}

}  // namespace
}  // namespace ecomon::soil
