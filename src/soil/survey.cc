#include "soil/survey.h"

#include <map>

#include "standards/water/exact.h"

namespace ecomon::soil {

StatusOr<LandUse> parse_land_use(std::string_view text) {
  if (auto farm = parse_farm_land_use(text)) return LandUse{true, *farm, std::nullopt};
  if (text == "class1" || text == "第一类用地")
    return LandUse{false, FarmLandUse::kDryland, DevClass::kClass1};
  if (text == "class2" || text == "第二类用地")
    return LandUse{false, FarmLandUse::kDryland, DevClass::kClass2};
  if (text == "unclear" || text == "用途不明确") return LandUse{false, FarmLandUse::kDryland, std::nullopt};
  return invalid_argument("'" + std::string(text) +
                          "' is not a land use (水田 水浇地 旱地 果园 茶园 牧草地 水旱轮作地, or 第一类用地 "
                          "第二类用地 用途不明确; keys paddy ... rotation, class1 class2 unclear)");
}

std::string_view land_use_key(const LandUse& use) {
  if (use.farmland) return land_use_key(use.farm);
  return use.dev ? dev_class_key(*use.dev) : "unclear";
}

std::string_view land_use_name(const LandUse& use) {
  if (use.farmland) return land_use_name(use.farm);
  return use.dev ? dev_class_name(*use.dev) : "用途不明确";
}

PointAssessment assess_point(const SoilPoint& point, const FarmParams& fp, const DevParams& dp) {
  PointAssessment a;
  auto use = parse_land_use(point.land_use);
  if (!use.ok()) {
    a.error = use.status();
    return a;
  }
  a.use = *use;
  std::vector<FarmMeasurement> farm;
  std::vector<DevMeasurement> dev;
  for (const SampleValue& v : point.values) {
    auto value = exact::parse(v.value);
    if (!value) {
      a.error = invalid_argument(v.item + ": '" + v.value + "' is not a number");
      return a;
    }
    if (a.use.farmland) {
      auto item = farm_item_by_name(v.item);
      if (!item) {
        a.error = invalid_argument("'" + v.item + "' is not a GB 15618 item");
        return a;
      }
      farm.push_back({*item, *value, v.not_detected});
    } else {
      auto item = dev_item_by_name(v.item);
      if (!item) {
        a.error = invalid_argument("'" + v.item + "' is not a GB 36600 item");
        return a;
      }
      dev.push_back({*item, *value, v.not_detected});
    }
  }
  if (a.use.farmland) {
    std::optional<Rational> ph;
    if (!point.ph.empty()) ph = exact::parse(point.ph);
    auto r = assess_farm_point(a.use.farm, ph, farm, fp);
    if (r.ok())
      a.farm = std::move(*r);
    else
      a.error = r.status();
  } else {
    auto r = assess_dev_point(a.use.dev, dev, dp);
    if (r.ok())
      a.dev = std::move(*r);
    else
      a.error = r.status();
  }
  return a;
}

std::vector<SurveySummary> summarize(std::span<const SoilPoint> points,
                                     std::span<const PointAssessment> results) {
  std::vector<SurveySummary> out;
  std::map<std::string, size_t> index;
  SurveySummary total;
  for (size_t i = 0; i < points.size() && i < results.size(); ++i) {
    auto [it, added] = index.emplace(points[i].county, out.size());
    if (added) out.push_back(SurveySummary{points[i].county});
    for (SurveySummary* s : {&out[it->second], &total}) {
      const PointAssessment& a = results[i];
      if (a.farm) {
        ++s->farm_points;
        ++s->by_category[static_cast<int>(a.farm->category)];
      } else if (a.dev) {
        ++s->dev_points;
        ++s->by_dev_risk[static_cast<int>(a.dev->worst)];
      } else {
        ++s->not_judged;
      }
    }
  }
  out.push_back(total);
  return out;
}

}  // namespace ecomon::soil
