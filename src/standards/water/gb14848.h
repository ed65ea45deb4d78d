// GB/T 14848-2017 groundwater quality (地下水质量标准): the 39 conventional indicators (常规指标, Table 1),
// class per indicator (6.2, 从优不从劣 for equal limits), well class = the worst indicator (6.3), indicators
// over class Ⅲ with 超标倍数, and the legacy F-value method of GB/T 14848-93 (综合评价 F 值, still printed in
// bulletins). Pure functions over exact values; the table is data (gb14848.cc, from
// ../shared/spec/gb14848_limits.csv).
//
//   using namespace ecomon::groundwater;
//   std::vector<GwMeasurement> m = {{Indicator::kTotalHardness, *exact::parse("451")}};
//   WellResult w = classify_well(m, GwParams{});      // w.cls == GwClass::kIV (总硬度 451 > 450)
//   FValue f = f_value(w, GwParams{});                // one indicator scoring 6: F = sqrt((36+36)/2) = 6.00,
//   较差
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::groundwater {

// 地下水质量类别 Ⅰ..Ⅴ.
enum class GwClass : uint8_t { kI = 1, kII, kIII, kIV, kV };
std::string_view class_name(GwClass c);  // "Ⅰ".."Ⅴ"
StatusOr<GwClass> parse_class(std::string_view text);
inline int class_rank(GwClass c) { return static_cast<int>(c); }

// The 39 conventional indicators in the table's order (numbers 1..39).
enum class Indicator : uint8_t {
  kColour,
  kOdourTaste,
  kTurbidity,
  kVisibleMatter,
  kPH,
  kTotalHardness,
  kTDS,
  kSulfate,
  kChloride,
  kFe,
  kMn,
  kCu,
  kZn,
  kAl,
  kVolatilePhenols,
  kLAS,
  kCODMn,
  kNH3N,
  kSulfide,
  kNa,
  kTotalColiforms,
  kTotalBacteria,
  kNitrite,
  kNitrate,
  kCyanide,
  kFluoride,
  kIodide,
  kHg,
  kAs,
  kSe,
  kCd,
  kCr6,
  kPb,
  kChloroform,
  kCarbonTetrachloride,
  kBenzene,
  kToluene,
  kGrossAlpha,
  kGrossBeta,
};
inline constexpr int kIndicatorCount = 39;

enum class GwRule : uint8_t {
  kUpper,              // Ⅰ..Ⅳ are "≤" limits, Ⅴ above Ⅳ
  kPresence,           // 嗅和味, 肉眼可见物: 无 → Ⅰ, 有 → Ⅴ (value 0 = 无, 1 = 有)
  kPH,                 // Ⅰ–Ⅲ 6.5–8.5; Ⅳ 5.5≤pH<6.5 or 8.5<pH≤9.0; Ⅴ otherwise
  kUpperNotDetectedI,  // 阴离子表面活性剂: Ⅰ only when not detected (不得检出)
  kRadioactivity,  // 总α, 总β: above Ⅲ, Ⅳ and Ⅴ share one limit (see GwParams::radioactivity_above_three)
};

struct IndicatorInfo {
  Indicator indicator;
  int number;                // 1..39, as in Table 1
  std::string_view key;      // "total_hardness"
  std::string_view name_cn;  // "总硬度"
  std::string_view unit;     // "mg/L", "ug/L", "NTU", ...
  GwRule rule;
  bool bacteriological;  // 总大肠菌群, 菌落总数 (kept out of F by default)
};
const IndicatorInfo& indicator_info(Indicator i);
std::span<const IndicatorInfo> all_indicators();
// By key (case-insensitive) or Chinese name ("总硬度", "总硬度(以CaCO3计)").
std::optional<Indicator> indicator_by_name(std::string_view name);

struct IndicatorSet {
  uint64_t bits = 0;
  bool has(Indicator i) const { return (bits >> static_cast<int>(i)) & 1U; }
  IndicatorSet& add(Indicator i) {
    bits |= uint64_t{1} << static_cast<int>(i);
    return *this;
  }
  IndicatorSet& remove(Indicator i) {
    bits &= ~(uint64_t{1} << static_cast<int>(i));
    return *this;
  }
};

// F-value grade (GB/T 14848-93): 优良 < 0.80 ≤ 良好 < 2.50 ≤ 较好 < 4.25 ≤ 较差 < 7.20 ≤ 极差.
enum class FGrade : uint8_t { kExcellent, kGood, kFair, kPoor, kVeryPoor };
std::string_view grade_name(FGrade g);  // 优良 良好 较好 较差 极差

struct GwParams {
  // A value reported as not detected (未检出, below the detection limit) is class Ⅰ (practice of platforms;
  // the standard does not say). Off: not-detected values are judged by their number (usually the detection
  // limit).
  bool not_detected_is_class_one = true;
  // 总α/总β above the Ⅲ limit: Ⅳ and Ⅴ cannot be told apart from the table; platforms assign Ⅳ (UNCONFIRMED).
  GwClass radioactivity_above_three = GwClass::kIV;
  // Indicators kept out of the F value: the bacteriological ones (the 1993 text and the 2020 bulletin agree).
  IndicatorSet excluded_from_f =
      IndicatorSet{}.add(Indicator::kTotalColiforms).add(Indicator::kTotalBacteria);
  // Scores Fi of classes Ⅰ..Ⅴ.
  int f_scores[5] = {0, 1, 3, 6, 10};
  int multiple_decimals = 2;
};

struct GwMeasurement {
  Indicator indicator;
  Rational value;
  bool not_detected = false;  // 未检出 (value is then the detection limit, or 0)
};

// Class of one value.
GwClass indicator_class(Indicator i, const Rational& value, bool not_detected, const GwParams& p);
// The class Ⅲ limit of an upper-limit indicator (nullopt for presence and pH).
std::optional<Rational> class_three_limit(Indicator i);

struct GwIndicatorResult {
  Indicator indicator;
  Rational value;
  bool not_detected;
  GwClass cls;
  std::optional<Decimal>
      multiple;  // 超标倍数 over class Ⅲ, (C − S)/S; nullopt when within Ⅲ or not computable
};

struct WellResult {
  std::optional<GwClass> cls;                 // worst indicator; nullopt with no values
  std::vector<GwIndicatorResult> indicators;  // input order
  std::vector<Indicator> determining;         // indicators at the well's class
  std::vector<Indicator> over_three;          // 超标指标: indicators worse than Ⅲ, table order
};
WellResult classify_well(std::span<const GwMeasurement> values, const GwParams& p);

struct FValue {
  int n = 0;                          // indicators scored
  Rational f_squared;                 // (F̄² + F_max²)/2, exact
  Decimal f;                          // F rounded to 2 decimals (GB/T 8170), for display
  FGrade grade = FGrade::kExcellent;  // graded on the unrounded F
};
// nullopt when no indicator enters F.
std::optional<FValue> f_value(const WellResult& w, const GwParams& p);

}  // namespace ecomon::groundwater
