// GB 15618-2018 土壤环境质量 农用地土壤污染风险管控标准（试行）: the farmland screening values (风险筛选值,
// Tables 1 and 2) and control values (风险管制值, Table 3) by land use and pH band, the judgement of one
// measured item (clause 5), the judgement of a monitoring point (its worst item) and the soil-only farmland
// category (优先保护类 / 安全利用类 / 严格管控类). Pure functions over exact values; the tables are data in
// gb15618.cc, transcribed from ../shared/spec/gb15618_values.csv (soil_tables_test checks them against it).
// docs/soil.md lists the rules and the parameters chosen where the spec notes leave a fact UNCONFIRMED.
//
//   using namespace ecomon::soil;
//   auto r = assess_farm_point(FarmLandUse::kPaddy, *exact::parse("6.5"),
//                              std::vector<FarmMeasurement>{{FarmItem::kCd, *exact::parse("0.5")}},
//                              FarmParams{});
//   // r->band == PhBand::k5_5To6_5 (6.5 is the upper edge of 5.5<pH≤6.5); Cd screening 0.4 < 0.5 ≤
//   control 2.0:
//   // r->worst == FarmRisk::kSafeUse, r->category == FarmCategory::kSafeUse (安全利用类)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::soil {

// The items of GB 15618: Table 1 basic items (基本项目, mandatory) and Table 2 other items (其他项目).
enum class FarmItem : uint8_t {
  kCd,        // 镉
  kHg,        // 汞
  kAs,        // 砷
  kPb,        // 铅
  kCr,        // 铬
  kCu,        // 铜
  kNi,        // 镍
  kZn,        // 锌
  kHchTotal,  // 六六六总量 (α + β + γ + δ)
  kDdtTotal,  // 滴滴涕总量 (p,p'-DDE + p,p'-DDD + o,p'-DDT + p,p'-DDT)
  kBaP,       // 苯并[a]芘
};
inline constexpr int kFarmItemCount = 11;

struct FarmItemInfo {
  FarmItem item;
  std::string_view key;        // "Cd", "HCH", "BaP"
  std::string_view name_cn;    // "镉", "六六六总量"
  std::string_view spec_name;  // as in the spec CSV: "镉 Cd", "六六六总量 HCH total"
  bool basic;                  // Table 1 (基本项目) rather than Table 2
};
const FarmItemInfo& farm_item_info(FarmItem item);
std::span<const FarmItemInfo> farm_items();
// By key (case-insensitive), Chinese name or the spec CSV's name.
std::optional<FarmItem> farm_item_by_name(std::string_view name);

// Farmland types in the standard's scope: 耕地 (水田, 水浇地, 旱地), 园地 (果园, 茶园), 草地 (牧草地), and
// 水旱轮作地 (paddy–dryland rotation), which the Table 1 note sends to the stricter of two values.
enum class FarmLandUse : uint8_t { kPaddy, kIrrigated, kDryland, kOrchard, kTeaGarden, kPasture, kRotation };
inline constexpr int kFarmLandUseCount = 7;
// "paddy", "irrigated", "dryland", "orchard", "tea", "pasture", "rotation"
std::string_view land_use_key(FarmLandUse use);
// "水田", "水浇地", "旱地", "果园", "茶园", "牧草地", "水旱轮作地"
std::string_view land_use_name(FarmLandUse use);
// By key or Chinese name (also 天然牧草地, 人工牧草地 → 牧草地).
std::optional<FarmLandUse> parse_farm_land_use(std::string_view text);

// The land-use column of the tables as the standard has it: Cd/Hg/As/Pb/Cr have 水田 and 其他 (every
// non-paddy type); Cu has 果园 and 其他 (every non-orchard type, paddy included); Ni, Zn, Table 2 and Table
// 3: all uses.
enum class TableLandUse : uint8_t { kPaddy, kOrchard, kOther, kAny };
// "paddy", "orchard", "other", "any" (the CSV's words)
std::string_view table_land_use_key(TableLandUse use);

// pH bands of Tables 1 and 3, each including its upper bound: pH≤5.5, 5.5<pH≤6.5, 6.5<pH≤7.5, pH>7.5.
enum class PhBand : uint8_t { kAtMost5_5, k5_5To6_5, k6_5To7_5, kAbove7_5 };
inline constexpr int kPhBandCount = 4;
PhBand ph_band(const Rational& ph);
std::string_view ph_band_key(PhBand band);   // the CSV's words: "pH<=5.5", "5.5<pH<=6.5", ...
std::string_view ph_band_name(PhBand band);  // "pH≤5.5", "5.5<pH≤6.5", "6.5<pH≤7.5", "pH>7.5"
std::optional<PhBand> parse_ph_band(std::string_view text);  // key or name

// The judgement of one measured item (clause 5.1–5.3), worst last.
enum class FarmRisk : uint8_t {
  kLow,       // C ≤ screening: 风险低, 一般情况下可以忽略
  kPossible,  // C > screening, item without a control value: 可能存在风险, 加强土壤环境监测和农产品协同监测
  kSafeUse,   // screening < C ≤ control: 可能存在风险, 原则上应当采取安全利用措施
  kHigh,      // C > control: 风险高, 原则上应当采取严格管控措施
};
std::string_view risk_key(FarmRisk risk);  // "low", "possible", "safe_use", "high"
// "风险低", "可能存在风险", "可能存在风险，安全利用", "风险高，严格管控"
std::string_view risk_name(FarmRisk risk);

// Farmland categories (农用地土壤环境质量类别), soil-only preliminary mapping (spec §1.5): 优先保护类 when
// every item is ≤ its screening value, 严格管控类 when some item is > its control value, 安全利用类
// otherwise.
enum class FarmCategory : uint8_t { kPriorityProtection, kSafeUse, kStrictControl };
std::string_view category_key(FarmCategory c);   // "priority", "safe_use", "strict"
std::string_view category_name(FarmCategory c);  // "优先保护类", "安全利用类", "严格管控类"
std::optional<FarmCategory> parse_category(std::string_view text);  // key or name

// Which items may move a point out of 优先保护类 (the category guide's soil step; UNCONFIRMED, spec §1.5).
enum class CategoryItems : uint8_t {
  kAllItems,  // every measured item (the practice of the public tools, S2/S3): Cu, Ni, Zn and the Table 2
              // organics above screening give 安全利用类
  kControlItemsOnly,  // only Cd, Hg, As, Pb, Cr (the five with control values)
};

struct FarmParams {
  // 水旱轮作地: the stricter (lower) of the 水田 and 其他 screening values (Table 1 note; UNCONFIRMED). Off:
  // judged as 其他.
  bool rotation_uses_stricter = true;
  // A value below the detection limit (未检出, "0.1L") is 风险低 (practice; the standard does not say). Off:
  // judged by its number (the detection limit).
  bool not_detected_is_low = true;
  CategoryItems category_items = CategoryItems::kAllItems;
  // Decimals of the single-item index Pi = C / screening shown with a result.
  int index_decimals = 2;
};

// The table cell for a column as printed (nullopt when the table has no such cell: Cu has no 水田 row, only
// the five metals have control values). Table 2 items answer for every band.
std::optional<Rational> farm_table_value(FarmItem item, bool control, TableLandUse column, PhBand band);
// The column a land use reads for an item (水旱轮作地 reads 其他 here; see farm_screening).
TableLandUse table_column(FarmItem item, FarmLandUse use);
// Screening value for a land use and pH band (水旱轮作地: see FarmParams::rotation_uses_stricter).
Rational farm_screening(FarmItem item, FarmLandUse use, PhBand band, const FarmParams& p);
// Control value (Table 3): Cd, Hg, As, Pb, Cr only.
std::optional<Rational> farm_control(FarmItem item, PhBand band);

// One measured item, in mg/kg.
struct FarmMeasurement {
  FarmItem item;
  Rational value;
  bool not_detected = false;
};

struct FarmItemResult {
  FarmItem item;
  Rational value;
  bool not_detected = false;
  Rational screening;
  std::optional<Rational> control;
  FarmRisk risk = FarmRisk::kLow;
  Decimal index;  // Pi = C / screening (单项污染指数), rounded half-even to FarmParams::index_decimals
};
FarmItemResult judge_farm_item(const FarmMeasurement& m, FarmLandUse use, PhBand band, const FarmParams& p);

struct FarmPointResult {
  PhBand band = PhBand::kAtMost5_5;
  FarmRisk worst = FarmRisk::kLow;  // the worst item
  FarmCategory category = FarmCategory::kPriorityProtection;
  std::vector<FarmItemResult> items;  // input order
  std::vector<FarmItem> determining;  // items at the point's worst risk (input order)
};
// A point: every item judged at its pH band; the worst decides. Fails when the pH is missing or outside 0..14
// (no band is assumed: a point without pH cannot be looked up) or when there is no value, or an item repeats.
StatusOr<FarmPointResult> assess_farm_point(FarmLandUse use, std::optional<Rational> ph,
                                            std::span<const FarmMeasurement> values, const FarmParams& p);

}  // namespace ecomon::soil
