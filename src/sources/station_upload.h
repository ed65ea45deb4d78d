// HJ 212 uploads of air quality stations (ST 22: national, provincial, county and micro stations) read as the
// hourly observations of the time series the CNEMC import writes: an hourly upload (CN 2061) of hour
// hh:00..hh+1:00 (its DataTime is the hour's start, HJ 212-2017 Table 4) is the hour ending hh+1 (the
// platform names hours by their end). Units follow the standard's code table (hj212_codes.csv, HJ 212-2017
// Appendix B.2) and are converted into the store's (µg/m³; CO mg/m³):
//
//   code    pollutant  code table unit   factor to the store's unit
//   a21026  SO2        mg/m³             × 1000
//   a21004  NO2        mg/m³             × 1000
//   a21005  CO         mg/m³             × 1 (the store keeps CO in mg/m³)
//   a05024  O3         (not in B.2)      × 1000: mg/m³ like the other gases, UNCONFIRMED (kO3UnitFactor)
//   a34002  PM10       ng/m³ (纳克)       ÷ 1000
//   a34004  PM2.5      ng/m³ (纳克)       ÷ 1000
//
// HJ/T 212-2005 codes are mapped to these by the codec (sources::record_of). Only values flagged N (normal)
// are taken; a value flagged F, M, S, D, C, T or B, negative, or too large for the store is skipped and
// counted (the upload itself stays stored as received). Real-time (2011) and minute (2051) uploads are not
// observations: the time series holds hourly values, and an hour's value is the station's own hourly mean
// (2061), not a mean the platform would make of the samples it happened to receive (docs/gateway.md).
//
//   auto obs = station_hourly_observations(record);   // StatusOr<StationObservations>
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "sources/record.h"
#include "standards/pollutant.h"

namespace ecomon::sources {

// An HJ 212 air code's pollutant and the factor num/den from the code table's unit to the store's.
struct StationAirCode {
  std::string_view code;
  Pollutant pollutant;
  int64_t num = 1;
  int64_t den = 1;
};
std::optional<StationAirCode> station_air_code(std::string_view hj212_code);
// The HJ 212 code of a pollutant (the simulator's and the tests' direction).
StationAirCode station_air_code_of(Pollutant p);

struct StationObservation {
  Pollutant pollutant = Pollutant::kSO2;
  Milli value = kMissing;  // in the store's unit, thousandths
};

struct StationObservations {
  Hour hour;                               // the hour, named by its end
  std::vector<StationObservation> values;  // in code order of the upload
  int64_t skipped = 0;                     // values flagged other than N, negative or out of range
};

// The hourly observations of one hourly upload (DataKind::kHourly); kInvalidArgument for another kind or a
// DataTime not on the hour (the message says which).
StatusOr<StationObservations> station_hourly_observations(const MonitoringRecord& record);

// A value in the code table's unit as thousandths of the store's unit (rounded half to even); nullopt when
// negative or beyond what the store holds.
std::optional<Milli> station_value_milli(const Decimal& value, const StationAirCode& code);

}  // namespace ecomon::sources
