#include "app/stations.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "app/air.h"

namespace ecomon::app {
namespace {

constexpr size_t kMaxMnLength = 24;
constexpr size_t kPasswordLength = 6;

bool alnum_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

bool quality_kind(const std::string& kind) { return kind == kStationWater || kind == kStationNoise; }

// Another station of the water and noise registry with this MN, or of this code when `code_too`.
StatusOr<std::optional<QualityStationRow>> quality_station_clash(Stores& stores, const StationRegistration& r,
                                                                 bool code_too) {
  auto all = stores.quality_stations().stations();
  if (!all.ok()) return all.status();
  for (const QualityStationRow& q : *all)
    if ((q.mn == r.mn && q.code != r.code) || (code_too && q.code == r.code))
      return std::optional<QualityStationRow>(q);
  return std::optional<QualityStationRow>();
}

// The checks every type shares: the MN, the password, the protocol.
Status check_device_fields(const StationRegistration& r) {
  if (r.mn.empty() || r.mn.size() > kMaxMnLength || !alnum_ascii(r.mn))
    return invalid_argument("station " + r.code + ": MN '" + r.mn + "' is not 1.." +
                            std::to_string(kMaxMnLength) + " letters or digits");
  if (r.password.size() != kPasswordLength)
    return invalid_argument("station " + r.code + ": the password (PW) has 6 characters, not " +
                            std::to_string(r.password.size()));
  if (r.protocol != kDeviceProtocol2005 && r.protocol != kDeviceProtocol2017 &&
      r.protocol != kDeviceProtocol2025)
    return invalid_argument("station " + r.code + ": protocol " + std::to_string(r.protocol) +
                            " is not 2005, 2017 or 2025");
  return Status();
}

// A pollution source's device with this MN.
Status check_not_a_source(Stores& stores, const StationRegistration& r) {
  auto device = stores.sources().device(r.mn);
  if (!device.ok()) return device.status();
  if (*device && !(*device)->enterprise.empty())
    return Status(StatusCode::kAlreadyExists, "station " + r.code + ": MN " + r.mn +
                                                  " is a pollution source's device (" +
                                                  (*device)->enterprise + ")");
  return Status();
}

Status write_device(Stores& stores, const StationRegistration& r) {
  DeviceRecord d{
      .mn = r.mn, .password = r.password, .protocol = r.protocol, .outlet = r.name, .county = r.county};
  return stores.sources().upsert_device(d);
}

// A surface-water automatic station (ST 21) or a noise station (ST 23): store/api/quality_stations.h.
Status register_quality_station(Stores& stores, const StationRegistration& r) {
  const std::string what = r.kind == kStationWater ? "water section" : "noise point";
  if (r.site.empty())
    return invalid_argument("station " + r.code + ": the " + what + " it stands for (--site) is empty");
  if (r.county.empty()) return invalid_argument("station " + r.code + ": the county is empty");
  if (r.assessment)
    return invalid_argument("station " + r.code + ": the assessment flag is for air stations, not " + r.kind +
                            " stations");
  if (r.longitude || r.latitude)
    return invalid_argument("station " + r.code + ": longitude and latitude are kept for air stations only");
  ECOMON_RETURN_IF_ERROR(check_device_fields(r));
  auto air = stores.records().stations_by_code_or_mn(r.code, r.mn);
  if (!air.ok()) return air.status();
  for (const StationInfo& s : *air)
    if (s.code == r.code)
      return Status(StatusCode::kAlreadyExists, "station " + r.code + ": the code is an air station's");
  if (!air->empty())  // the air station of this MN
    return Status(StatusCode::kAlreadyExists,
                  "station " + r.code + ": MN " + r.mn + " belongs to air station " + air->front().code);
  auto clash = quality_station_clash(stores, r, false);
  if (!clash.ok()) return clash.status();
  if (*clash)
    return Status(StatusCode::kAlreadyExists, "station " + r.code + ": MN " + r.mn + " belongs to " +
                                                  (*clash)->kind + " station " + (*clash)->code);
  ECOMON_RETURN_IF_ERROR(check_not_a_source(stores, r));
  ECOMON_RETURN_IF_ERROR(stores.quality_stations().upsert_station({.code = r.code,
                                                                   .name = r.name,
                                                                   .kind = r.kind,
                                                                   .site = r.site,
                                                                   .city = r.city,
                                                                   .county = r.county,
                                                                   .mn = r.mn}));
  return write_device(stores, r);
}

}  // namespace

StatusOr<int64_t> register_station(Stores& stores, const Actor& who, const StationRegistration& r) {
  if (!who.is_bureau()) return permission_denied("registering a station is for the bureau (admin, analyst)");
  if (r.code.empty()) return invalid_argument("station: the code is empty");
  if (r.city.empty()) return invalid_argument("station " + r.code + ": the city is empty");
  if (quality_kind(r.kind)) {
    ECOMON_RETURN_IF_ERROR(register_quality_station(stores, r));
    return int64_t{0};
  }
  if (std::find(std::begin(kStationKinds), std::end(kStationKinds), r.kind) == std::end(kStationKinds))
    return invalid_argument("station " + r.code + ": type '" + r.kind +
                            "' is not one of national, provincial, county, micro, water, noise");
  const bool micro = r.kind == kStationMicro;
  if (micro && r.assessment.value_or(false))
    return invalid_argument("station " + r.code + ": a micro station is never an assessment station");
  if (!r.site.empty())
    return invalid_argument("station " + r.code + ": --site is for water and noise stations");
  ECOMON_RETURN_IF_ERROR(check_device_fields(r));
  if (r.longitude && (!std::isfinite(*r.longitude) || std::abs(*r.longitude) > 180))
    return invalid_argument("station " + r.code + ": longitude out of range");
  if (r.latitude && (!std::isfinite(*r.latitude) || std::abs(*r.latitude) > 90))
    return invalid_argument("station " + r.code + ": latitude out of range");

  // Two indexed look-ups (the station by code or MN, the device by MN), not a read of the air registry (the
  // water and noise registry, tens of stations, is read whole).
  auto found = stores.records().stations_by_code_or_mn(r.code, r.mn);
  if (!found.ok()) return found.status();
  bool reference = false;  // a station list's 对照点 stays one (the upsert of a listed station sets the flag)
  for (const StationInfo& s : *found) {
    if (s.code == r.code) reference = s.is_reference;
    if (s.mn == r.mn && s.code != r.code)
      return Status(StatusCode::kAlreadyExists,
                    "station " + r.code + ": MN " + r.mn + " belongs to station " + s.code);
  }
  auto clash = quality_station_clash(stores, r, true);
  if (!clash.ok()) return clash.status();
  if (*clash)
    return Status(StatusCode::kAlreadyExists,
                  "station " + r.code + ": " +
                      ((*clash)->code == r.code
                           ? "the code is a " + (*clash)->kind + " station's"
                           : "MN " + r.mn + " belongs to " + (*clash)->kind + " station " + (*clash)->code));
  ECOMON_RETURN_IF_ERROR(check_not_a_source(stores, r));

  StationInfo s{.code = r.code,
                .name = r.name,
                .city = r.city,
                .longitude = r.longitude,
                .latitude = r.latitude,
                .is_reference = reference,
                .in_site_list = true,
                .kind = r.kind,
                .assessment = micro ? false : r.assessment.value_or(true),
                .county = r.county,
                .mn = r.mn};
  RecordStore& rs = stores.records();
  ECOMON_RETURN_IF_ERROR(rs.begin_write());
  auto id = rs.upsert_station(s);
  if (!id.ok()) {
    rs.rollback();
    return id.status();
  }
  ECOMON_RETURN_IF_ERROR(rs.commit());
  ECOMON_RETURN_IF_ERROR(write_device(stores, r));
  if (!r.county.empty()) ECOMON_RETURN_IF_ERROR(stores.audit().set_station_county(r.code, r.county));
  return *id;
}

StatusOr<std::vector<StationInfo>> network_stations(Stores& stores, const Actor&, const std::string& city) {
  return city.empty() ? stores.records().all_stations() : stores.records().stations_of_city(city);
}

StatusOr<std::vector<Hotspot>> air_hotspots(Stores& stores, const Actor&, const HotspotRequest& req) {
  RuleChoice choice;
  AuditedTimeSeries series = air_series(stores, req.data, choice);
  auto data = load_city(series, stores.records(), req.city, req.range, choice.params, NonAssessment::kLoad);
  if (!data.ok()) return data.status();
  return micro_hotspots(*data, req.range, req.params);
}

}  // namespace ecomon::app
