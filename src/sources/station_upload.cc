#include "sources/station_upload.h"

#include <limits>
#include <string>

namespace ecomon::sources {
namespace {

constexpr int64_t kToMicro = 1000;  // mg/m³ -> µg/m³, or ng/m³ <- µg/m³
// O3 is not in HJ 212-2017 Table B.2; read like the table's other gases (mg/m³). UNCONFIRMED
// (docs/air-rules.md).
constexpr int64_t kO3UnitFactor = kToMicro;

constexpr StationAirCode kCodes[] = {
    {"a21026", Pollutant::kSO2, kToMicro, 1},  {"a21004", Pollutant::kNO2, kToMicro, 1},
    {"a34002", Pollutant::kPM10, 1, kToMicro}, {"a34004", Pollutant::kPM25, 1, kToMicro},
    {"a21005", Pollutant::kCO, 1, 1},          {"a05024", Pollutant::kO3, kO3UnitFactor, 1},
};

constexpr int64_t kMaxUnits = int64_t{1} << 40;  // far beyond any concentration; keeps the products in int64
constexpr int kMaxScale = 9;

}  // namespace

std::optional<StationAirCode> station_air_code(std::string_view hj212_code) {
  for (const StationAirCode& c : kCodes)
    if (c.code == hj212_code) return c;
  return std::nullopt;
}

StationAirCode station_air_code_of(Pollutant p) {
  for (const StationAirCode& c : kCodes)
    if (c.pollutant == p) return c;
  return kCodes[0];  // unreachable: every pollutant has a code
}

std::optional<Milli> station_value_milli(const Decimal& value, const StationAirCode& code) {
  if (value.units < 0 || value.units > kMaxUnits || value.scale < 0 || value.scale > kMaxScale)
    return std::nullopt;
  int64_t pow10 = 1;
  for (int i = 0; i < value.scale; ++i) pow10 *= 10;
  const Decimal d = round_half_even(Rational{value.units * code.num, pow10 * code.den}, 3);
  if (d.units > std::numeric_limits<Milli>::max()) return std::nullopt;
  return static_cast<Milli>(d.units);
}

StatusOr<StationObservations> station_hourly_observations(const MonitoringRecord& record) {
  if (record.kind != DataKind::kHourly)
    return invalid_argument("MN " + record.mn + ": a " + std::string(data_kind_name(record.kind)) +
                            " upload is not an hourly observation (CN 2061)");
  const int64_t in_day = record.data_time.seconds - SourceTime::of(record.data_time.day()).seconds;
  if (in_day % kSecondsPerHour != 0)
    return invalid_argument("MN " + record.mn + ": hourly upload's DataTime " + record.data_time.to_string() +
                            " is not on the hour");
  StationObservations out;
  out.hour = Hour::ending(record.data_time.day(), static_cast<int>(in_day / kSecondsPerHour) + 1);
  for (const PollutantValue& v : record.values) {
    auto code = station_air_code(v.code);
    if (!code) continue;  // meteorological and other parameters: not observations of the AQI
    const std::optional<Decimal>& x = v.avg ? v.avg : v.rtd;
    std::optional<Milli> m;
    if (x && v.flag == DataFlag::kNormal) m = station_value_milli(*x, *code);
    if (!m) {
      ++out.skipped;
      continue;
    }
    out.values.push_back({code->pollutant, *m});
  }
  return out;
}

}  // namespace ecomon::sources
