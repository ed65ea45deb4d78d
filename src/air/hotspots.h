// Micro-station hotspots (微站热点, issue 19): each micro (non-assessment) station of a city against its
// nearby national (assessment) stations — the nearest N, or every one within a radius — per pollutant over a
// period: the micro station's mean, the nearby stations' mean over the same hours, their difference and
// ratio, and the hours the micro station was above them. What the bureau uses to find dust and cooking
// sources.
//
//   auto data = load_city(series, records, "晋城", range, params, NonAssessment::kLoad);
//   auto h = micro_hotspots(*data, range, {.nearest = 2});   // ranked by PM2.5 difference, largest first
//
// Rules (worked in src/air/hotspots_test.cc):
// - the reference value of an hour is the mean of the nearby stations that have a value that hour, rounded
//   half to even to thousandths of the unit;
// - only hours where both the micro station and at least one nearby station have a value count (paired
//   hours); both means are over those hours, rounded half to even to thousandths of the unit;
// - difference = micro mean − reference mean; ratio = micro mean / reference mean, 2 decimals (none when the
//   reference mean is 0); hours above: paired hours where the micro value exceeds the hour's reference value;
// - distance: great circle on a sphere of 6371.0088 km (the IUGG mean radius); a micro station without
//   coordinates, or with no nearby station, is listed with its reason and ranked last.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "air/city_data.h"
#include "core/decimal.h"

namespace ecomon {

struct HotspotParams {
  int nearest = 3;                       // the nearest N assessment stations (when radius_km is not set)
  std::optional<double> radius_km;       // instead: every assessment station within this distance
  Pollutant rank_by = Pollutant::kPM25;  // ranked by this pollutant's difference, largest first
};

struct HotspotPollutant {
  int64_t paired_hours = 0;
  std::optional<int64_t> micro_mean;      // thousandths of the unit
  std::optional<int64_t> reference_mean;  // thousandths of the unit
  std::optional<int64_t> difference;      // micro − reference, thousandths
  std::optional<Decimal> ratio;           // micro / reference, 2 decimals
  int64_t hours_above = 0;
};

struct Hotspot {
  StationInfo station;
  std::vector<std::pair<std::string, double>> nearby;  // code, km (rounded to 0.01 km)
  std::array<HotspotPollutant, kPollutantCount> pollutants;
  std::string note;  // why nothing was compared ("no coordinates", "no assessment station within 2 km")
};

// kInvalidArgument for nearest < 1 or a radius that is not a positive number.
StatusOr<std::vector<Hotspot>> micro_hotspots(const CityData& data, DayRange range,
                                              const HotspotParams& params);

// Great-circle distance in km.
double distance_km(double lon1, double lat1, double lon2, double lat2);

}  // namespace ecomon
