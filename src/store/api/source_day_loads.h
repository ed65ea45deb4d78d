// Stored day-loads (issue 21, docs/emissions.md): each device's emission load per pollutant and Beijing day
// from its uploads of one CN (sources/emissions.h's DayLoad), kept beside the uploads so that a year's
// emission totals are a sum of days, not a decoding of every stored upload.
//
// How they stay true to the uploads: every insert that stores a new upload marks its (MN, CN, day) stale in
// the same transaction (SQLite: the shard writers and insert_source_records, in the shard file that holds
// the upload; the cluster: the PostgreSQL spool's transaction, store/cluster_ingest.h, through which both the
// gateway's writers and insert_source_records store); a reader recomputes the stale days from their uploads
// (app/emissions.h) and replaces their rows with replace_day_loads, which clears a mark only if no upload
// marked it again meanwhile. So a day is either marked or its rows were computed from exactly its stored
// uploads. Each row also keeps the fingerprint of the registry entry it was computed with (the device's
// units, pollutants, intervals, registration and stop periods: app/emissions.cc): a registry change makes the
// rows of that device stale.
//
//   SourceDayLoadStore* d = day_loads_of(stores.sources());  // nullptr: the backend keeps none
//   auto stale = d->stale_days(2051, 20250101, 20251231);   // marked days of minute data in 2025
//   auto rows = d->day_loads("", 2051, 20250101, 20251231);  // every device's stored rows
//   ECOMON_RETURN_IF_ERROR(d->replace_day_loads(days, rows_of_those_days));
//
// Thread safety: that of the Stores it came from.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/api/store.h"

namespace ecomon {

// One device's uploads of one CN on one Beijing day (yyyymmdd, the DataTime's first 8 digits). `mark`: the
// stale mark's sequence as read (raised by every insert that stores an upload of the day), 0 when unmarked.
struct SourceDay {
  std::string mn;
  int cn = 0;
  int64_t day = 0;
  int64_t mark = 0;
};

// One row: a pollutant's load of a device-day, or (pollutant "") the day's own row, which every computed
// day has (also a day whose pollutants have no load) and whose `intervals_missing` counts the uploads the
// codec could not read.
struct StoredDayLoad {
  std::string mn;
  int cn = 0;
  int64_t day = 0;
  std::string pollutant;
  double kg = 0;
  int64_t intervals_cou = 0, intervals_flow = 0, intervals_missing = 0, covered_seconds = 0;
  int64_t fingerprint = 0;  // of the registry entry the row was computed with
  bool operator==(const StoredDayLoad&) const = default;
};

class SourceDayLoadStore {
 public:
  virtual ~SourceDayLoadStore() = default;
  // The marked days of CN `cn` in [first, last] (yyyymmdd), by MN and day.
  virtual StatusOr<std::vector<SourceDay>> stale_days(int cn, int64_t first, int64_t last) = 0;
  // The stored rows of CN `cn`, days in [first, last], of device `mn` ("" = every device): a device's rows by
  // day and pollutant (the devices' rows may interleave).
  virtual StatusOr<std::vector<StoredDayLoad>> day_loads(const std::string& mn, int cn, int64_t first,
                                                         int64_t last) = 0;
  // Replaces the rows of `days` by `rows` (every row of those days deleted, then `rows` inserted; each row's
  // day must be one of `days`) and deletes the marks of `days` whose sequence is still the one given (a day
  // marked again since it was read stays marked). One transaction per shard file: all or none of a shard's
  // days.
  virtual Status replace_day_loads(std::span<const SourceDay> days, std::span<const StoredDayLoad> rows) = 0;
};

// The day-loads kept with these uploads: the backend's SourceStore implements SourceDayLoadStore too where it
// keeps them (SQLite), or the uploads half of a SourceStoreOf does (the cluster's ClusterUploads: the rows
// and marks on PostgreSQL beside the spool); nullptr where none keeps them (ClickHouse's uploads alone,
// without the spool: nothing would mark their days).
inline SourceDayLoadStore* day_loads_of(SourceStore& uploads) {
  if (auto* d = dynamic_cast<SourceDayLoadStore*>(&uploads)) return d;
  if (auto* of = dynamic_cast<SourceStoreOf*>(&uploads))
    return dynamic_cast<SourceDayLoadStore*>(&of->uploads());
  return nullptr;
}

}  // namespace ecomon
