// DustStore: fugitive-dust monitoring points (扬尘 / 无组织 TSP 监测点, issue 22 item 3; docs/dust.md): the
// registry of points — enterprise boundaries, construction sites, roads — with their HJ 212 MN, and the
// points' readings decoded from their uploads (real-time CN 2011 and minute CN 2051: TSP, PM10, PM2.5,
// noise, wind where present).
//
//   stores.dust().write_points(rows);                   // a row replaces its point
//   auto counts = stores.dust().write_readings(rs);     // new / same / conflict
//   auto rs = stores.dust().readings({"T01"}, span);
//
// Readings merge like the other time series: a reading stored for the same point, CN and time is kept (the
// same values: same; others: a conflict, the stored kept). Writing the same rows twice changes nothing.
// Values are exact decimal text as uploaded ("" = absent); TSP, PM10, PM2.5 in µg/m³ (UNCONFIRMED: the code
// table says ng/m³; devices send µg/m³), noise dB(A), wind m/s and degrees.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/record.h"

namespace ecomon {

struct DustPointRow {
  std::string id;  // unique within the platform, e.g. "T01"
  std::string name;
  std::string type;   // "boundary" | "construction" | "road" | "other" (dust::point_type_name)
  std::string owner;  // the enterprise (boundary) or the site / project
  std::string county;
  std::string lon, lat;  // decimal degrees, text as imported
  std::string mn;        // the point's HJ 212 MN (unique)
  bool operator==(const DustPointRow&) const = default;
};

struct DustReadingRow {
  std::string point;
  int cn = 2051;                                             // 2011 real-time (Rtd) or 2051 minute (Avg)
  sources::SourceTime at;                                    // DataTime
  std::string tsp, pm10, pm25, noise, wind_speed, wind_dir;  // "" = not in the upload
  bool operator==(const DustReadingRow&) const = default;
};

struct DustWriteCounts {
  int64_t fresh = 0, same = 0, conflicts = 0;
  std::vector<size_t> conflicting;  // indexes into the rows written
};

class DustStore {
 public:
  virtual ~DustStore() = default;
  // The registry: a row replaces what is stored for its id, in one transaction.
  virtual Status write_points(const std::vector<DustPointRow>& rows) = 0;
  // By id.
  virtual StatusOr<std::vector<DustPointRow>> points() = 0;
  // Merged as above, in one transaction.
  virtual StatusOr<DustWriteCounts> write_readings(const std::vector<DustReadingRow>& rows) = 0;
  // The readings of the points (empty: every point) with DataTime in [span.begin, span.end), by point, time,
  // CN.
  virtual StatusOr<std::vector<DustReadingRow>> readings(const std::vector<std::string>& points,
                                                         sources::TimeSpan span) = 0;
};

}  // namespace ecomon
