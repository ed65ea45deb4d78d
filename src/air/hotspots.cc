#include "air/hotspots.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ecomon {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kHundredths = 100.0;

int64_t mean_milli(int64_t sum, int64_t n) { return round_half_even(Rational{sum, n}, 0).units; }

}  // namespace

double distance_km(double lon1, double lat1, double lon2, double lat2) {
  const double r = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * r) * std::cos(lat2 * r) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

StatusOr<std::vector<Hotspot>> micro_hotspots(const CityData& data, DayRange range,
                                              const HotspotParams& params) {
  if (params.nearest < 1)
    return invalid_argument("nearest: at least 1 station, not " + std::to_string(params.nearest));
  if (params.radius_km && !(std::isfinite(*params.radius_km) && *params.radius_km > 0))
    return invalid_argument("radius: a positive number of km");
  const Hour first = Hour::first_of(range.first);
  const Hour end = Hour::first_of(range.last + 1);
  std::vector<Hotspot> out;
  for (size_t m = 0; m < data.non_assessment.size() && m < data.non_assessment_hours.size(); ++m) {
    Hotspot h;
    h.station = data.non_assessment[m];
    const StationInfo& s = h.station;
    if (!s.longitude || !s.latitude) {
      h.note = "no coordinates";
      out.push_back(std::move(h));
      continue;
    }
    std::vector<std::pair<double, size_t>> by_distance;
    for (size_t i = 0; i < data.stations.size(); ++i) {
      const StationInfo& n = data.stations[i];
      if (!n.longitude || !n.latitude) continue;
      by_distance.push_back({distance_km(*s.longitude, *s.latitude, *n.longitude, *n.latitude), i});
    }
    std::sort(by_distance.begin(), by_distance.end());
    if (params.radius_km) {
      std::erase_if(by_distance, [&](const auto& d) { return d.first > *params.radius_km; });
    } else if (by_distance.size() > static_cast<size_t>(params.nearest)) {
      by_distance.resize(static_cast<size_t>(params.nearest));
    }
    if (by_distance.empty()) {
      h.note = params.radius_km ? "no assessment station with coordinates within the radius"
                                : "no assessment station with coordinates";
      out.push_back(std::move(h));
      continue;
    }
    for (const auto& [km, i] : by_distance)
      h.nearby.push_back({data.stations[i].code, std::round(km * kHundredths) / kHundredths});
    const StationHours& mine = data.non_assessment_hours[m];
    for (Pollutant p : kAllPollutants) {
      HotspotPollutant& r = h.pollutants[static_cast<size_t>(index_of(p))];
      int64_t micro_sum = 0;
      int64_t ref_total = 0;  // Σ of the hours' reference values (each rounded to thousandths)
      for (Hour t = first; t < end; t = t + 1) {
        const Milli v = mine.at(p, t);
        if (v == kMissing) continue;
        int64_t sum = 0, n = 0;
        for (const auto& [km, i] : by_distance) {
          const Milli x = data.hours[i].at(p, t);
          if (x == kMissing) continue;
          sum += x;
          ++n;
        }
        if (n == 0) continue;
        ++r.paired_hours;
        micro_sum += v;
        ref_total += mean_milli(sum, n);
        if (int64_t{v} * n > sum) ++r.hours_above;
      }
      if (r.paired_hours == 0) continue;
      r.micro_mean = mean_milli(micro_sum, r.paired_hours);
      r.reference_mean = mean_milli(ref_total, r.paired_hours);
      r.difference = *r.micro_mean - *r.reference_mean;
      if (*r.reference_mean != 0) r.ratio = round_half_even(Rational{*r.micro_mean, *r.reference_mean}, 2);
    }
    out.push_back(std::move(h));
  }
  const size_t k = static_cast<size_t>(index_of(params.rank_by));
  std::stable_sort(out.begin(), out.end(), [k](const Hotspot& a, const Hotspot& b) {
    const auto& x = a.pollutants[k].difference;
    const auto& y = b.pollutants[k].difference;
    if (x.has_value() != y.has_value()) return x.has_value();
    if (x && *x != *y) return *x > *y;
    return a.station.code < b.station.code;
  });
  return out;
}

}  // namespace ecomon
