// A soil survey as stored: monitoring points with their land use, pH and measured items (text as imported),
// judged with GB 15618 (farmland) or GB 36600 (development land) and summed up per county. Pure: the store
// hands the records in, the CLI and the API print what comes out.
//
//   SoilPoint p{"TR-01", "城区", "paddy", "6.2", {{"Cd", "0.45", false}}};
//   PointAssessment a = assess_point(p, FarmParams{}, DevParams{});   // a.farm->category == 安全利用类
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "soil/gb15618.h"
#include "soil/gb36600.h"

namespace ecomon::soil {

// A point's land use: a farmland type (GB 15618) or a development-land class (GB 36600; nullopt = unclear).
struct LandUse {
  bool farmland = true;
  FarmLandUse farm = FarmLandUse::kDryland;
  std::optional<DevClass> dev;
};
// Farmland keys and names (parse_farm_land_use), or "class1" / 第一类用地, "class2" / 第二类用地, "unclear" /
// 用途不明确 (development land whose planned use is unclear).
StatusOr<LandUse> parse_land_use(std::string_view text);
std::string_view land_use_key(const LandUse& use);  // "paddy", ..., "class1", "class2", "unclear"
std::string_view land_use_name(const LandUse& use);  // "水田", ..., "第一类用地", "第二类用地", "用途不明确"

struct SampleValue {
  std::string item;   // a GB 15618 key ("Cd") or a GB 36600 official name ("铬（六价）")
  std::string value;  // mg/kg, exact decimal text
  bool not_detected = false;
};
struct SoilPoint {
  std::string id, county, land_use, ph;  // land_use: a key of land_use_key; ph: decimal text or ""
  std::vector<SampleValue> values;
};

struct PointAssessment {
  LandUse use;
  std::optional<FarmPointResult> farm;  // farmland points
  std::optional<DevPointResult> dev;    // development-land points
  Status error;                         // why the point could not be judged (no pH, unknown item, ...)
};
PointAssessment assess_point(const SoilPoint& point, const FarmParams& fp, const DevParams& dp);

// Counts per county (and the whole, county ""): farmland points by category, development-land points by worst
// risk, points that could not be judged.
struct SurveySummary {
  std::string county;
  int64_t farm_points = 0;
  int64_t by_category[3] = {};  // FarmCategory order
  int64_t dev_points = 0;
  int64_t by_dev_risk[4] = {};  // DevRisk order
  int64_t not_judged = 0;
};
// One summary per county in first-seen order, then the total (county "").
std::vector<SurveySummary> summarize(std::span<const SoilPoint> points,
                                     std::span<const PointAssessment> results);

}  // namespace ecomon::soil
