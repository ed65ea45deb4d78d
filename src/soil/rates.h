// The two soil rates of the plans (土十条; the city's 2021 plan: each ≥ 90 %), as spec §3 defines them:
//
//   受污染耕地安全利用率 A = (B + C + D) / E × 100 %  (《受污染耕地安全利用率核算方法（试行）》), over
//   farmland parcels (图斑) with their category, area and measure status; 污染地块安全利用率 = area of
//   re-developed suspected and confirmed contaminated plots that meet the soil requirement of their planned
//   use / area of all re-developed suspected and confirmed plots × 100 %.
//
// Where the spec leaves the accounting UNCONFIRMED (the mapping of categories to B/C/D/E, area or count,
// suspected plots included) the choice is a named parameter with the common practice as default
// (docs/soil.md). Pure functions over exact values.
//
//   std::vector<FarmParcel> parcels = {{"P1", *exact::parse("40"), FarmCategory::kSafeUse, false, true,
//   true},
//                                      {"P2", *exact::parse("10"), FarmCategory::kStrictControl, false,
//                                      false}};
//   SafeUseRate r = farmland_safe_use_rate(parcels, FarmRateParams{});   // 40 / 50 = 80.0 %, below 90
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/decimal.h"
#include "core/status.h"
#include "soil/gb15618.h"

namespace ecomon::soil {

// The city's target for both rates (2021 plan: 稳定在 90%以上; "以上" includes the number).
inline constexpr int64_t kSafeUseTargetPercent = 90;

struct SafeUseRate {
  Rational numerator;               // area (or count) safely used
  Rational denominator;             // area (or count) counted
  int64_t parcels_counted = 0;      // parcels or plots in the denominator
  std::optional<Rational> percent;  // exact; nullopt when nothing is counted
  std::optional<Decimal> shown;     // percent rounded half-even (GB/T 8170) to the parameter's decimals
  bool meets_target = false;        // percent ≥ target (exact)
};

// A farmland parcel (图斑) with its category (from the 详查 or the soil points), area, and what was done.
struct FarmParcel {
  std::string id;
  Rational area;  // any unit (亩, hm²); the rate is a ratio
  FarmCategory category = FarmCategory::kPriorityProtection;
  bool light_pollution = false;   // 轻微污染 (only meaningful for 优先保护类: the method's B)
  bool measures_applied = false;  // priority-protection, safe-use or strict-control measures in place
  std::optional<bool>
      produce_passes;  // 农产品 met quality standards (needed for 安全利用类); nullopt: not tested
};

struct FarmRateParams {
  // The method's B: 轻微 farmland under priority-protection measures. With the 详查 categories E ≈ 安全利用类
  // + 严格管控类 (spec §3.2: "plus 轻微 land where counted"; UNCONFIRMED). Default: not counted.
  bool count_light_priority = false;
  // 安全利用类 counts (the method's C) only with measures applied and produce passing (CONFIRMED variable
  // definition); produce not tested counts as not passing.
  int64_t target_percent = kSafeUseTargetPercent;
  int percent_decimals = 1;
};
// Each parcel is counted once, in its category (the double-measure rule of the method is UNCONFIRMED).
SafeUseRate farmland_safe_use_rate(std::span<const FarmParcel> parcels, const FarmRateParams& p);

// The development-land plot registry's stages (疑似污染地块 → 污染地块 → 风险管控/修复 → 安全利用).
enum class PlotStatus : uint8_t {
  kSuspected,     // 疑似污染地块
  kConfirmed,     // 污染地块 (investigation and risk assessment found risk)
  kUnderControl,  // 风险管控中 / 修复中
  kRemediated,    // 已修复 (effect assessment, HJ 25.5, passed)
  kSafelyUsed,    // 安全利用 (meets the soil requirement of its planned use)
};
inline constexpr int kPlotStatusCount = 5;
// "suspected", "confirmed", "under_control", "remediated", "safely_used"
std::string_view plot_status_key(PlotStatus s);
// "疑似污染地块", "污染地块", "风险管控中", "已修复", "安全利用"
std::string_view plot_status_name(PlotStatus s);
std::optional<PlotStatus> parse_plot_status(std::string_view text);  // key or name
// Whether a plot in this stage meets the soil requirement of its planned use: 已修复 and 安全利用.
bool plot_meets_requirement(PlotStatus s);

struct Plot {
  std::string id;
  Rational area;  // m² (any unit; the rate is a ratio)
  PlotStatus status = PlotStatus::kSuspected;
  bool redeveloped = false;  // 再开发利用 (entered land supply or development)
};

struct PlotRateParams {
  // Area (the Tianjin definition; single source: UNCONFIRMED) or plot count.
  bool by_area = true;
  // Plots still only suspected are in the denominator (the Tianjin definition names them; UNCONFIRMED).
  bool include_suspected = true;
  int64_t target_percent = kSafeUseTargetPercent;
  int percent_decimals = 1;
};
SafeUseRate plot_safe_use_rate(std::span<const Plot> plots, const PlotRateParams& p);

}  // namespace ecomon::soil
