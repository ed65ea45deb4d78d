// GB 36600-2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）: the development-land screening and control
// values (风险筛选值 / 风险管制值) of Table 1 (45 basic items) and Table 2 (40 other items) for 第一类用地
// and 第二类用地, the judgement of one measured item (clause 5.3; footnote ① on soil background values for
// As, Co and V), and of a monitoring point (its worst item). Pure functions over exact values; the tables are
// data in gb36600.cc, transcribed from ../shared/spec/gb36600_values.csv and gb36600_table2_values.csv
// (soil_tables_test checks them against both). docs/soil.md lists the rules and the parameters.
//
//   using namespace ecomon::soil;
//   auto as = dev_item_by_name("砷");                               // Table 1 item 1
//   DevItemResult r = judge_dev_item({*as, *exact::parse("61")}, DevClass::kClass2, DevParams{});
//   // class 2: screening 60 < 61 ≤ control 140: r.risk == DevRisk::kInvestigate (需详细调查/风险评估)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::soil {

// 第一类用地 (housing, schools, hospitals, welfare, community and children's parks) and 第二类用地 (industry,
// logistics, commerce, roads, utilities, other public and green land).
enum class DevClass : uint8_t { kClass1 = 1, kClass2 = 2 };
std::string_view dev_class_key(DevClass c);   // "class1", "class2"
std::string_view dev_class_name(DevClass c);  // "第一类用地", "第二类用地"

// Groups of the tables (as the spec CSVs name them).
enum class DevGroup : uint8_t { kInorganic, kVolatile, kSemiVolatile, kPesticide, kPcbDioxin, kPetroleum };
std::string_view dev_group_name(DevGroup g);  // "重金属和无机物", "挥发性有机物", ...

// An item of Table 1 or 2: an index into the compiled table (0..kDevItemCount-1, Table 1 first).
enum class DevItem : uint8_t {};
inline constexpr int kDevItemCount = 85;
inline constexpr int kDevTable1Count = 45;

struct DevItemInfo {
  int table;                 // 1 (基本项目) or 2 (其他项目)
  int number;                // the row number within its table (1-based)
  std::string_view name_cn;  // the official name: "砷", "铬（六价）", "间二甲苯+对二甲苯"
  std::string_view key;  // ASCII alias for the inorganics and benzo[a]pyrene ("As", "Cr6", "BaP"), else ""
  std::string_view cas;  // "7440-38-2"; "108-38-3,106-42-3"; "-" for sums
  DevGroup group;
  bool background_note;  // footnote ①: As (Table 1), Co and V (Table 2)
  std::string_view
      value[4];  // screening class 1, screening class 2, control class 1, control class 2 (mg/kg)
};
const DevItemInfo& dev_item_info(DevItem item);
std::span<const DevItemInfo> dev_items();
// By official name, ASCII key (case-insensitive) or CAS number (single-CAS items).
std::optional<DevItem> dev_item_by_name(std::string_view name);

Rational dev_screening(DevItem item, DevClass c);
Rational dev_control(DevItem item, DevClass c);

// The judgement of one measured item (clause 5.3), worst last.
enum class DevRisk : uint8_t {
  kNegligible,       // C ≤ screening: 风险一般情况下可以忽略
  kBelowBackground,  // footnote ①: C > screening but ≤ the soil background value: 不纳入污染地块管理
  kInvestigate,      // screening < C ≤ control: 可能存在风险, 应开展详细调查和风险评估
  kControlOrRemediate,  // C > control: 通常存在不可接受风险, 应当采取风险管控或修复措施
};
std::string_view dev_risk_key(DevRisk r);  // "negligible", "background", "investigate", "control"
// "风险可忽略", "不超过背景值", "需详细调查和风险评估", "需风险管控或修复"
std::string_view dev_risk_name(DevRisk r);

struct DevParams {
  // The class used when the planned use is unclear (用途不明确): 第一类 (spec §2.2, single source:
  // UNCONFIRMED).
  DevClass unclear_use_class = DevClass::kClass1;
  // A value below the detection limit is 风险可忽略 (practice). Off: judged by its number.
  bool not_detected_is_negligible = true;
  // Soil background values (土壤环境背景值, Appendix A or local surveys) for the footnote ① items, in mg/kg.
  // None by default: the standard's Appendix A is not in the spec data, so footnote ① applies only when
  // given.
  std::map<DevItem, Rational> background;
};

struct DevMeasurement {
  DevItem item;
  Rational value;  // mg/kg
  bool not_detected = false;
};

struct DevItemResult {
  DevItem item;
  Rational value;
  bool not_detected = false;
  Rational screening, control;
  DevRisk risk = DevRisk::kNegligible;
};
DevItemResult judge_dev_item(const DevMeasurement& m, DevClass c, const DevParams& p);

struct DevPointResult {
  DevClass cls = DevClass::kClass1;
  DevRisk worst = DevRisk::kNegligible;
  std::vector<DevItemResult> items;  // input order
  std::vector<DevItem> determining;  // items at the worst risk
};
// nullopt class = planned use unclear (DevParams::unclear_use_class). Fails with no value or a repeated item.
StatusOr<DevPointResult> assess_dev_point(std::optional<DevClass> cls, std::span<const DevMeasurement> values,
                                          const DevParams& p);

}  // namespace ecomon::soil
