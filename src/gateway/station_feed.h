// Stations over HJ 212 in the gateway (issue 19): the hourly uploads (CN 2061) of the MNs registered as air
// stations (national, provincial, county, micro: StationInfo::mn, `ecomon stations register`) become hourly
// observations in the same time series as the CNEMC import, as soon as the gateway has committed them
// (sources/station_upload.h: the hour, the codes and the units). The uploads themselves are stored like every
// device's (`sources records --mn` shows them); this only adds their values to the time series.
//
//   StationFeedOptions o;
//   auto feed = StationFeed::start(opener, o);   // opens its Stores, loads the stations' MNs
//   (*feed)->committed(records);                 // the gateway's writer, after each commit
//   (*feed)->stop();                             // merges what is queued, then ends
//
// One worker thread merges (TimeSeriesStore::merge_hourly in a write transaction, many uploads at once): a
// value already stored for the hour is kept (a re-sent hour with another value is counted as a conflict, the
// upload's version kept among the records), a gap is filled. An hour of a month the data audit has closed
// (AuditStore::month_closings) is not merged: the upload stays stored as received, the month's published
// figures do not move, and the hour is counted (closed_month) and logged; after `audit reopen` nothing is
// replayed by itself (docs/gateway.md). Real-time and minute uploads are not observations
// (sources/station_upload.h says why). The stations' MNs are reloaded when the registry revision moves (a
// registration writes the device too) and at least every registry_refresh_s.
//
// Surface-water automatic stations (ST 21) and noise stations (ST 23), registered with `ecomon stations
// register --type water|noise` (store/api/quality_stations.h): their hourly uploads (CN 2061) are read by
// sources/quality_station_upload.h (GB 3838's items and units, µg/L metals ÷ 1000; noise indices in dB) and
// merged into QualityStationStore::write_hours on the same thread (a value already stored for the station,
// hour and item is kept: a re-sent upload changes nothing, another value is a conflict). The reader is chosen
// by the station's registered type (a stored upload keeps no ST). Their real-time uploads (2011) are stored
// only, like air's; the data audit's month closings are air's and do not apply to them.
// Thread safety: committed(), flush(), stats() and stop() may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "store/api/store.h"
#include "store/api/stores.h"

namespace ecomon {

struct StationFeedOptions {
  bool enabled = true;
  int registry_refresh_s = 60;
  // One line per problem (a store error, an hour of a closed month); default: standard error.
  std::function<void(const std::string&)> log;
};

struct StationFeedStats {
  uint64_t uploads = 0;       // hourly uploads of stations taken
  uint64_t values = 0;        // values handed to the time series
  uint64_t values_new = 0;    // of them, filling a gap
  uint64_t conflicts = 0;     // differing from the stored value (kept)
  uint64_t skipped = 0;       // values flagged other than N, negative or too large (station_upload.h)
  uint64_t closed_month = 0;  // values of hours in a closed month, not merged
  uint64_t undecodable = 0;   // uploads the codec could not read back, or not on the hour
  uint64_t errors = 0;        // store failures (the uploads stay stored; logged)
  // Water (ST 21) and noise (ST 23) stations' hourly uploads and their values (store/api/quality_stations.h).
  uint64_t water_uploads = 0, water_values = 0;
  uint64_t noise_uploads = 0, noise_values = 0;
  uint64_t quality_new = 0, quality_same = 0, quality_conflicts = 0;  // of those values
  uint64_t quality_skipped = 0;  // flagged other than N or negative (quality_station_upload.h)
};

class StationFeed {
 public:
  static StatusOr<std::unique_ptr<StationFeed>> start(const StoresOpener& stores, StationFeedOptions options);
  ~StationFeed();
  StationFeed(const StationFeed&) = delete;
  StationFeed& operator=(const StationFeed&) = delete;

  // The records just committed: the hourly ones of station MNs (air, water, noise) are queued, the rest
  // ignored.
  void committed(std::span<const SourceRecordView> records);
  // Returns once everything committed before the call is merged (or failed). At once after stop().
  void flush();
  StationFeedStats stats() const;
  // Merges what is queued, ends the worker. Idempotent.
  void stop();

  class Impl;

 private:
  explicit StationFeed(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
