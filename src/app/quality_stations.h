// Surface-water automatic stations (ST 21) and noise stations (ST 23) over HJ 212 (issue 19): their hourly
// values as the gateway stored them (gateway/station_feed.h, store/api/quality_stations.h), judged. A water
// station's hours get GB 3838's class per item and the hour's class, the worst evaluated item
// (water/hourly.h); a noise station's hours their L_eq, part of the day and, with the point's functional
// zone, the limit and compliance (noise/hourly.h). Registering them is app/stations.h's register_station
// (type water or noise).
//
//   auto r = app::water_hourly(stores, who, {.station = "W01", .first = a, .last = b});
//   std::cout << water::water_hourly_text(*r, false);
//
// Who may read: a water station's hours are public, as the sections' assessment is (/api/water/sections);
// a noise station's are for staff, as the noise assessment is (/api/noise).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "core/time.h"
#include "noise/hourly.h"
#include "store/api/stores.h"
#include "water/hourly.h"

namespace ecomon::app {

// At most this many hours in one request (a year and a day).
inline constexpr int64_t kMaxQualityHours = 367 * 24;

struct QualityHourlyRequest {
  std::string station;  // the station's code
  Hour first, last;     // both included, named by their end
};

// Parses --from/--to (from=/to=): an hour named by its end "YYYY-MM-DD HH:00", or a day "YYYY-MM-DD" (from:
// its first hour, 01:00; to: its last, 24:00). `to` empty: the same as from. kInvalidArgument naming the
// field for a bad text, a range that ends before it starts or spans more than kMaxQualityHours.
StatusOr<QualityHourlyRequest> quality_hourly_request(std::string station, std::string_view from,
                                                      std::string_view to, bool query_parameters);

// kNotFound for a code that is no water station (a noise station's code: says so); kDataLoss for a stored
// value that is not a decimal.
StatusOr<water::WaterHourly> water_hourly(Stores& stores, const Actor& who, const QualityHourlyRequest& req);
// kPermissionDenied for the public (staff only); kNotFound for a code that is no noise station.
StatusOr<noise::NoiseHourly> noise_hourly(Stores& stores, const Actor& who, const QualityHourlyRequest& req);

// The water and noise stations of a city (all when empty), by code.
StatusOr<std::vector<QualityStationRow>> quality_stations(Stores& stores, const Actor& who,
                                                          const std::string& city);

}  // namespace ecomon::app
