// A noise station's hours (issue 19): each hour's L_eq with its part of the day (GB 3096-2008: 昼间
// 06:00–22:00, 夜间 22:00–06:00; an hour named by its end belongs to the part its whole span lies in: the
// hours ending 07:00 .. 22:00 are day, 23:00 .. 06:00 night) and, when the point's functional zone is known,
// the zone's limit and whether the hour's L_eq meets it. Pure: the service (app/quality_stations.h) reads the
// values (exact decimal text in dB(A), sources/quality_station_upload.h) and the point's zone.
//
//   DayPart p = part_of_hour(Hour::ending(day, 22));   // kDay (21:00–22:00)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "noise/noise.h"

namespace ecomon::noise {

DayPart part_of_hour(Hour h);

// One hour's stored indices: (index, exact decimal text), e.g. ("Leq", "55.3"), ("L10", "58.1").
struct NoiseHourValues {
  Hour hour;
  std::vector<std::pair<std::string, std::string>> values;
};

struct NoiseHour {
  Hour hour;
  DayPart part = DayPart::kDay;
  std::optional<std::string> leq;                            // as stored; nullopt when the hour has no Leq
  std::vector<std::pair<std::string, std::string>> indices;  // every index stored, as stored, Leq included
  std::optional<Rational> limit;                             // the zone's limit for the part (zone known)
  std::optional<bool> complies;                              // L_eq <= limit (zone known and L_eq present)
};

// kDataLoss naming the hour for a stored L_eq that is not a decimal.
StatusOr<std::vector<NoiseHour>> judge_hours(std::span<const NoiseHourValues> hours,
                                             std::optional<ZoneClass> zone, const NoiseParams& params = {});

// The hourly view of one station: its registry fields, the point's zone (when the point is registered in the
// quality store with a zone), and the hours.
struct NoiseHourly {
  std::string station, name, point, county, mn;
  bool point_known = false;
  std::optional<ZoneClass> zone;
  Hour first, last;  // the hours asked for, both included
  std::vector<NoiseHour> hours;
};

}  // namespace ecomon::noise
