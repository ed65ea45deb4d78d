// QualityStationStore: the surface-water automatic stations (水质自动监测站, HJ 212 ST 21) and the noise
// stations (噪声自动监测站, ST 23) of the monitoring network (issue 19), and the hourly values their HJ 212
// uploads bring (gateway/station_feed.h).
//
//   stores.quality_stations().upsert_station({.code = "W01", .kind = "water", .site = "赵庄", ...});
//   auto counts = stores.quality_stations().write_hours(rows);     // fresh / same / conflicts
//   auto hours = stores.quality_stations().hours("W01", first, last);
//
// A station stands for a water section (WaterSectionRecord::name) or a noise point (SiteRecord::name) of the
// quality store; the registry keeps the name as given (a section not imported yet is allowed). Values are
// exact decimal text in the quality templates' units, as sources/quality_station_upload.h converts them
// (GB 3838's mg/L, pH none, ℃, 个/L; noise dB(A)). Hours merge like the other time series: a value stored for
// the same station, hour and item is kept (the same text: same; another: a conflict, the stored kept), so a
// re-sent upload changes nothing. Kept with the records (SQLite: the store file; the cluster: PostgreSQL, as
// the dust and power readings are).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace ecomon {

// The registry's types of quality station beside air's four (store.h kStationKinds).
inline constexpr std::string_view kStationWater = "water";  // 地表水水质自动站, ST 21
inline constexpr std::string_view kStationNoise = "noise";  // 噪声自动站, ST 23

struct QualityStationRow {
  std::string code;  // unique, and not an air station's code
  std::string name;
  std::string kind;  // kStationWater or kStationNoise
  std::string site;  // the water section or noise point it stands for
  std::string city, county;
  std::string mn;  // its data acquisition unit's HJ 212 MN (unique)
  bool operator==(const QualityStationRow&) const = default;
};

struct QualityHourRow {
  std::string station;  // QualityStationRow::code
  Hour hour;            // named by its end
  std::string item;     // GB 3838 key ("NH3_N") or noise index ("Leq")
  std::string value;    // exact decimal text, template unit
  bool operator==(const QualityHourRow&) const = default;
};

struct QualityHourCounts {
  int64_t fresh = 0, same = 0, conflicts = 0;
};

class QualityStationStore {
 public:
  virtual ~QualityStationStore() = default;
  // Inserts or replaces the station of `s.code` (one transaction).
  virtual Status upsert_station(const QualityStationRow& s) = 0;
  // Every station, by code.
  virtual StatusOr<std::vector<QualityStationRow>> stations() = 0;
  // Merged as above, in one transaction.
  virtual StatusOr<QualityHourCounts> write_hours(const std::vector<QualityHourRow>& rows) = 0;
  // The station's values of the hours first..last (both included), by hour, then item.
  virtual StatusOr<std::vector<QualityHourRow>> hours(const std::string& station, Hour first, Hour last) = 0;
};

}  // namespace ecomon
