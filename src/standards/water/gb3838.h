// GB 3838-2002 surface water quality (地表水环境质量标准) Table 1 and the single-factor judgement of the
// 地表水环境质量评价办法（试行）(环办〔2011〕22号): class per item, section class, status word, 超标倍数,
// main pollution items. Pure functions over exact values; the limit table is data (gb3838.cc, from
// ../shared/spec/gb3838_limits.csv). Every choice the spec leaves open is a field of Gb3838Params.
//
//   using namespace ecomon::water;
//   std::vector<Measurement> m = {{Item::kDO, *exact::parse("4.9")}, {Item::kNH3N, *exact::parse("0.5")}};
//   SectionResult r = classify_section(m, WaterBody::kRiver, Gb3838Params{});
//   // r.cls == WaterClass::kIV (溶解氧 4.9 < 5, >= 3), status_of(*r.cls) == WaterStatus::kLightlyPolluted
//
// Thread safety: everything here is immutable or a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::water {

// 水质类别. kWorseThanV is 劣Ⅴ类.
enum class WaterClass : uint8_t { kI = 1, kII, kIII, kIV, kV, kWorseThanV };
inline constexpr int kClassCount = 6;
std::string_view class_name(WaterClass c);  // "Ⅰ" .. "Ⅴ", "劣Ⅴ"
// Accepts "Ⅰ", "I", "1", "Ⅲ类", "III类", "劣Ⅴ", "劣V", "劣V类" (and the same with "类" omitted).
StatusOr<WaterClass> parse_class(std::string_view text);
inline int class_rank(WaterClass c) { return static_cast<int>(c); }

// 水质状况 (2011 method): Ⅰ–Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染.
enum class WaterStatus : uint8_t {
  kExcellent,
  kGood,
  kLightlyPolluted,
  kModeratelyPolluted,
  kHeavilyPolluted
};
std::string_view status_name(WaterStatus s);
WaterStatus status_of(WaterClass c);

// Rivers and lakes/reservoirs differ for 总磷 (and 总氮 is a lake/reservoir item).
enum class WaterBody : uint8_t { kRiver, kLakeReservoir };
std::string_view body_name(WaterBody b);  // "河流", "湖库"
StatusOr<WaterBody> parse_body(
    std::string_view text);  // "river"/"河流", "lake"/"reservoir"/"湖库"/"湖泊"/"水库"

// The 24 basic items of Table 1, in the standard's order.
enum class Item : uint8_t {
  kWaterTemperature,  // 水温 (no class limits)
  kPH,                // pH值 (6–9 for every class)
  kDO,                // 溶解氧 (a lower limit)
  kCODMn,             // 高锰酸盐指数
  kCOD,               // 化学需氧量
  kBOD5,              // 五日生化需氧量
  kNH3N,              // 氨氮
  kTP,                // 总磷 (river / lake-reservoir limits)
  kTN,                // 总氮 (湖、库)
  kCu,
  kZn,
  kF,
  kSe,
  kAs,
  kHg,
  kCd,
  kCr6,
  kPb,
  kCN,              // 氰化物
  kVolatilePhenol,  // 挥发酚
  kPetroleum,       // 石油类
  kLAS,             // 阴离子表面活性剂
  kSulfide,         // 硫化物
  kFecalColiform,   // 粪大肠菌群 (个/L)
};
inline constexpr int kItemCount = 24;

enum class LimitKind : uint8_t { kNone, kUpper, kLower, kRange };

struct ItemInfo {
  Item item;
  std::string_view key;      // "NH3_N": the CSV and JSON name
  std::string_view name_cn;  // "氨氮"
  std::string_view unit;     // "mg/L", "个/L", "无量纲", "℃"
  LimitKind kind;
};
const ItemInfo& item_info(Item item);
std::span<const ItemInfo> all_items();
// By key ("NH3_N", case-insensitive), Chinese name ("氨氮", "氨氮(NH3-N)") or a common alias ("COD_Mn",
// "TP").
std::optional<Item> item_by_name(std::string_view name);

// A set of items as a bit mask.
struct ItemSet {
  uint32_t bits = 0;
  bool has(Item i) const { return (bits >> static_cast<int>(i)) & 1U; }
  ItemSet& add(Item i) {
    bits |= 1U << static_cast<int>(i);
    return *this;
  }
  ItemSet& remove(Item i) {
    bits &= ~(1U << static_cast<int>(i));
    return *this;
  }
};

// How 超标倍数 is given for pH and 溶解氧 (the 2011 method: 水温、pH、溶解氧 get none).
enum class PhDoMultiple : uint8_t {
  kNotComputed,     // default: exceeding, but no multiple
  kDoDeficitRatio,  // DO: (S − C)/S; pH: none (a practice seen in some local reports)
};

// Where the spec leaves a choice (UNCONFIRMED items): the most common practice as the default.
struct Gb3838Params {
  // Items left out of the class (评价指标以外). Defaults: 水温, 总氮, 粪大肠菌群 for rivers; for lakes and
  // reservoirs 总氮 is evaluated separately (not in the class) — measured on the national automatic-station
  // data, see docs/quality-rules.md — so the default is the same set.
  ItemSet excluded_river = default_excluded();
  ItemSet excluded_lake = default_excluded();
  // 溶解氧 class I limit: 7.5 mg/L (the table's "或7.5"; 饱和率90% is not computed).
  Rational do_class_one{15, 2};
  PhDoMultiple ph_do_multiple = PhDoMultiple::kNotComputed;
  int multiple_decimals = 2;     // 超标倍数 reported to 2 decimals, GB/T 8170
  int main_pollutant_count = 3;  // 主要污染指标: top 3 by 超标倍数 over class III

  static ItemSet default_excluded() {
    return ItemSet{}.add(Item::kWaterTemperature).add(Item::kTN).add(Item::kFecalColiform);
  }
  const ItemSet& excluded(WaterBody b) const {
    return b == WaterBody::kRiver ? excluded_river : excluded_lake;
  }
};

// The limit of `item` for class `c` (Ⅰ..Ⅴ); pH gives the upper end (9), kNone items nullopt.
std::optional<Rational> limit_of(Item item, WaterClass c, WaterBody body, const Gb3838Params& p);

// Single-factor class of one value (单因子评价): the best class whose limit it meets (从优不从劣 for equal
// limits), 劣Ⅴ when it meets none. pH outside 6–9 is 劣Ⅴ. nullopt for 水温 (no class limits).
std::optional<WaterClass> item_class(Item item, const Rational& value, WaterBody body, const Gb3838Params& p);

struct Measurement {
  Item item;
  Rational value;
};

struct ItemResult {
  Item item;
  Rational value;
  std::optional<WaterClass> cls;  // nullopt for 水温
  bool evaluated = false;         // counts for the section class
};

struct SectionResult {
  std::optional<WaterClass> cls;  // worst evaluated item; nullopt when no item was evaluated
  std::vector<ItemResult> items;  // in the input order
  std::vector<Item> determining;  // evaluated items at the section's class (定类指标)
};

// Section class = the worst class among the evaluated items (a repeated item: the last value wins).
SectionResult classify_section(std::span<const Measurement> values, WaterBody body, const Gb3838Params& p);

// 超标倍数 of a value against the limit of class `reference` (the section's target, or Ⅲ): (C − S)/S, exact.
// nullopt when the value meets the limit, for 水温, and for pH/溶解氧 unless p.ph_do_multiple says otherwise.
std::optional<Rational> exceedance_multiple(Item item, const Rational& value, WaterClass reference,
                                            WaterBody body, const Gb3838Params& p);
// Whether the value fails the limit of class `reference` (pH outside 6–9, DO below, others above).
bool exceeds(Item item, const Rational& value, WaterClass reference, WaterBody body, const Gb3838Params& p);

struct Exceedance {
  Item item;
  Rational value;
  WaterClass cls;
  std::optional<Decimal> multiple;  // rounded to p.multiple_decimals; nullopt: not computed (pH, DO)
};
// Evaluated items failing class `reference`, in the standard's item order.
std::vector<Exceedance> exceedances(const SectionResult& r, WaterClass reference, WaterBody body,
                                    const Gb3838Params& p);
// 主要污染指标: items over class Ⅲ ranked by 超标倍数 (largest first; items without a multiple after them,
// worse class first), at most p.main_pollutant_count.
std::vector<Item> main_pollutants(const SectionResult& r, WaterBody body, const Gb3838Params& p);

// 达标: the class is the target class or better.
inline bool meets_target(WaterClass cls, WaterClass target) { return class_rank(cls) <= class_rank(target); }

}  // namespace ecomon::water
