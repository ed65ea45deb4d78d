// The monitoring network over HJ 212 (issue 19): registering a quality station (air: national, provincial,
// county or micro, assessment or not; a surface-water automatic station or a noise station with the water
// section or noise point it stands for; its county and the MN of its data acquisition unit) and listing them.
// Water and noise stations go into their own registry (store/api/quality_stations.h), not into the air
// stations the air module reads; their device is written the same way, so the gateway authenticates them.
// A registration writes the station (RecordStore::upsert_station with the network fields), its HJ 212 device
// (SourceStore::upsert_device: MN, password, protocol; the gateway authenticates it like a pollution
// source's) and its county for the data audit's role rule (AuditStore::set_station_county). Bureau only.
//
//   auto id = app::register_station(stores, who, {.code = "JC-M01", .name = "...", .city = "晋城",
//                                                 .kind = "micro", .mn = "...", .password = "123456"});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "air/audit_view.h"
#include "air/hotspots.h"
#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon::app {

struct StationRegistration {
  std::string code, name, city;
  std::string kind;                // national, provincial, county, micro; water, noise
  std::string site;                // water and noise: the water section or noise point it stands for
  std::optional<bool> assessment;  // default: true, false for micro (a micro station is never one)
  std::string county;
  std::string mn;                   // 1..24 letters or digits (HJ 212-2017: 24 hex digits)
  std::string password = "123456";  // PW, 6 characters
  int protocol = 2017;              // 2005, 2017, 2025
  std::optional<double> longitude, latitude;
};

// Returns the station's id (water and noise stations: 0, they are keyed by code). kInvalidArgument naming the
// field for a bad value (water and noise: the site and county are required; assessment, longitude and
// latitude are air's and refused); kAlreadyExists when the MN belongs to another station (air, water or
// noise) or a pollution source's device, or the code to a station of the other registry; kPermissionDenied
// for anyone but the bureau.
StatusOr<int64_t> register_station(Stores& stores, const Actor& who, const StationRegistration& r);

// The stations of a city (every station when empty), network fields included.
StatusOr<std::vector<StationInfo>> network_stations(Stores& stores, const Actor& who,
                                                    const std::string& city);

// The micro-station hotspot view of a city over a period (air/hotspots.h), from the audited view by default.
struct HotspotRequest {
  std::string city;
  DayRange range;
  HotspotParams params;
  DataView data = DataView::kAudited;
};
StatusOr<std::vector<Hotspot>> air_hotspots(Stores& stores, const Actor& who, const HotspotRequest& req);

}  // namespace ecomon::app
