#include "soil/rates.h"

#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

constexpr int64_t kHundred = 100;

SafeUseRate finish(SafeUseRate r, int64_t target_percent, int decimals) {
  if (r.denominator.num == 0) return r;
  r.percent = exact::mul(exact::div(r.numerator, r.denominator), Rational{kHundred, 1});
  r.shown = round_half_even(*r.percent, decimals);
  r.meets_target = *r.percent >= Rational{target_percent, 1};
  return r;
}

}  // namespace

SafeUseRate farmland_safe_use_rate(std::span<const FarmParcel> parcels, const FarmRateParams& p) {
  SafeUseRate r;
  for (const FarmParcel& f : parcels) {
    bool counted = false, safe = false;
    switch (f.category) {
      case FarmCategory::kPriorityProtection:  // B: 轻微, priority-protection measures
        counted = f.light_pollution && p.count_light_priority;
        safe = f.measures_applied;
        break;
      case FarmCategory::kSafeUse:  // C: 轻中度, safe-use measures and produce passing
        counted = true;
        safe = f.measures_applied && f.produce_passes.value_or(false);
        break;
      case FarmCategory::kStrictControl:  // D: 重度, strict-control measures
        counted = true;
        safe = f.measures_applied;
        break;
    }
    if (!counted) continue;
    ++r.parcels_counted;
    r.denominator = exact::add(r.denominator, f.area);
    if (safe) r.numerator = exact::add(r.numerator, f.area);
  }
  return finish(r, p.target_percent, p.percent_decimals);
}

std::string_view plot_status_key(PlotStatus s) {
  static constexpr std::string_view kKeys[] = {"suspected", "confirmed", "under_control", "remediated",
                                               "safely_used"};
  return kKeys[static_cast<int>(s)];
}

std::string_view plot_status_name(PlotStatus s) {
  static constexpr std::string_view kNames[] = {"疑似污染地块", "污染地块", "风险管控中", "已修复",
                                                "安全利用"};
  return kNames[static_cast<int>(s)];
}

std::optional<PlotStatus> parse_plot_status(std::string_view text) {
  for (int i = 0; i < kPlotStatusCount; ++i) {
    auto s = static_cast<PlotStatus>(i);
    if (text == plot_status_key(s) || text == plot_status_name(s)) return s;
  }
  return std::nullopt;
}

bool plot_meets_requirement(PlotStatus s) {
  return s == PlotStatus::kRemediated || s == PlotStatus::kSafelyUsed;
}

SafeUseRate plot_safe_use_rate(std::span<const Plot> plots, const PlotRateParams& p) {
  SafeUseRate r;
  for (const Plot& plot : plots) {
    if (!plot.redeveloped) continue;
    if (plot.status == PlotStatus::kSuspected && !p.include_suspected) continue;
    ++r.parcels_counted;
    Rational weight = p.by_area ? plot.area : Rational{1, 1};
    r.denominator = exact::add(r.denominator, weight);
    if (plot_meets_requirement(plot.status)) r.numerator = exact::add(r.numerator, weight);
  }
  return finish(r, p.target_percent, p.percent_decimals);
}

}  // namespace ecomon::soil
