// Environmental noise: GB 3096-2008 functional-zone limits (声环境功能区) and compliance, and the HJ 640-2012
// grades of a city's regional (区域声环境) and road-traffic (道路交通声环境) noise. Pure functions over exact
// values in dB(A); limits and grade bounds are data (noise.cc, from ../shared/spec/gb3096_noise_limits.csv
// and 06).
//
//   using namespace ecomon::noise;
//   auto leq = *exact::parse("55.0");
//   zone_complies(ZoneClass::k1, DayPart::kDay, leq, std::nullopt, NoiseParams{});   // true: 55.0 <= 55
//   Grade g = regional_grade(DayPart::kDay, {*exact::parse("54.2"), *exact::parse("56.1")}).grade;
//   // mean 55.15 -> 55.2 (GB/T 8170, 1 decimal) -> 三级 一般
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace ecomon::noise {

// 声环境功能区类别 0, 1, 2, 3, 4a, 4b.
enum class ZoneClass : uint8_t { k0, k1, k2, k3, k4a, k4b };
inline constexpr int kZoneCount = 6;
std::string_view zone_name(ZoneClass z);                // "0", "1", "2", "3", "4a", "4b"
StatusOr<ZoneClass> parse_zone(std::string_view text);  // also "0类", "4A"

// 昼间 06:00–22:00, 夜间 22:00–06:00 (local government may shift the hours; the data says which part it is).
enum class DayPart : uint8_t { kDay, kNight };
std::string_view part_name(DayPart p);                // "昼间", "夜间"
StatusOr<DayPart> parse_part(std::string_view text);  // "day"/"d"/"昼"/"昼间", "night"/"n"/"夜"/"夜间"

// GB 3096-2008 Table 1 limit L_Aeq.
Rational zone_limit(ZoneClass z, DayPart p);

struct NoiseParams {
  // GB 3096 §5.4: at night, L_max of sudden noise must not exceed the limit by more than 15 dB(A). Routine
  // functional-zone compliance counts L_eq only, so this check is off by default; on, a night measurement
  // with an L_max over limit + 15 is not compliant.
  bool check_night_lmax = false;
  Rational night_lmax_allowance{15, 1};
  int leq_decimals = 1;  // grade values are rounded to 1 decimal (GB/T 8170) before grading
};

// One measurement complies when L_eq <= limit (and, if checked, L_max <= limit + 15 at night).
bool zone_complies(ZoneClass z, DayPart p, const Rational& leq, const std::optional<Rational>& lmax,
                   const NoiseParams& params);

struct ZoneMeasurement {
  std::string point;
  ZoneClass zone;
  DayPart part;
  Rational leq;
  std::optional<Rational> lmax;
};

// 功能区达标率 for one zone class and part of day: 达标点次 / 监测点次.
struct ZoneRate {
  ZoneClass zone;
  DayPart part;
  int64_t measured = 0;                 // 监测点次
  int64_t compliant = 0;                // 达标点次
  std::optional<Decimal> rate_percent;  // rounded to 1 decimal; nullopt when nothing was measured
};
// Per zone class and part (only combinations that were measured), then the total over all zones per part
// (zone field of the totals is meaningless; they come last, day then night).
struct ZoneCompliance {
  std::vector<ZoneRate> by_zone;
  ZoneRate total_day, total_night;
};
ZoneCompliance zone_compliance(std::span<const ZoneMeasurement> m, const NoiseParams& params);

// HJ 640-2012 grade 一级..五级 with its rating 好/较好/一般/较差/差.
enum class Grade : uint8_t { k1, k2, k3, k4, k5 };
std::string_view grade_name(Grade g);    // "一级" .. "五级"
std::string_view grade_rating(Grade g);  // "好" .. "差"

struct GradedValue {
  Decimal value;  // the mean, rounded to NoiseParams::leq_decimals
  Grade grade;
};
// 区域声环境: arithmetic mean of the grid points' L_eq. nullopt with no points.
std::optional<GradedValue> regional_grade(DayPart p, std::span<const Rational> grid_leq,
                                          const NoiseParams& params = {});

struct RoadSection {
  Rational length;  // km or m, any one unit
  Rational leq;
};
// 道路交通声环境: length-weighted mean L = Σ(l_i·L_i)/Σ l_i. nullopt with no length.
std::optional<GradedValue> road_grade(DayPart p, std::span<const RoadSection> sections,
                                      const NoiseParams& params = {});
// The grade of an already rounded value (exposed for the golden cases).
Grade grade_regional(DayPart p, const Decimal& value);
Grade grade_road(DayPart p, const Decimal& value);

}  // namespace ecomon::noise
