#include "sources/quality_station_upload.h"

#include <span>

namespace ecomon::sources {
namespace {

constexpr int64_t kMicro = 1000;  // µg/L -> mg/L: ÷ 1000

constexpr QualityStationCode kWater[] = {
    {"w01001", "pH"},
    {"w01009", "DO"},
    {"w01010", "water_temperature"},
    {"w01019", "CODMn"},
    {"w01018", "COD"},
    {"w01017", "BOD5"},
    {"w21003", "NH3_N"},
    {"w21011", "TP"},
    {"w21001", "TN"},
    {"w20122", "Cu", 1, 1, false},
    {"w20138", "Cu", 1, 1, false},
    {"w20123", "Zn", 1, 1, false},
    {"w20139", "Zn", 1, 1, false},
    {"w21017", "F"},
    {"w20128", "Se", 1, kMicro, false},
    {"w20140", "Se", 1, 1, false},
    {"w20119", "As", 1, kMicro, false},
    {"w20141", "As", 1, 1, false},
    {"w20111", "Hg", 1, kMicro, false},
    {"w20142", "Hg", 1, kMicro, false},
    {"w20115", "Cd", 1, kMicro, false},
    {"w20143", "Cd", 1, kMicro, false},
    {"w20117", "Cr6", 1, kMicro},
    {"w20120", "Pb", 1, kMicro, false},
    {"w20144", "Pb", 1, 1, false},
    {"w21016", "CN"},
    {"w23002", "volatile_phenol"},
    {"w22001", "petroleum"},
    {"w19002", "LAS"},
    {"w21019", "sulfide"},
    {"w02003", "fecal_coliform"},
};

constexpr QualityStationCode kNoise[] = {
    {"LA", "LA"},    {"Leq", "Leq"},  {"L10", "L10"}, {"L50", "L50"}, {"L90", "L90"},
    {"LMx", "Lmax"}, {"LMn", "Lmin"}, {"Ld", "Ld"},   {"Ln", "Ln"},
};

constexpr int kMaxScale = 12;

}  // namespace

std::optional<QualityStationCode> quality_station_code(QualityStationKind kind, std::string_view hj212_code) {
  const std::span<const QualityStationCode> table = kind == QualityStationKind::kWater
                                                        ? std::span<const QualityStationCode>(kWater)
                                                        : std::span<const QualityStationCode>(kNoise);
  for (const QualityStationCode& c : table)
    if (c.code == hj212_code) return c;
  return std::nullopt;
}

StatusOr<QualityObservations> quality_station_observations(const MonitoringRecord& record,
                                                           QualityStationKind kind) {
  QualityObservations out;
  const int64_t in_day = record.data_time.seconds - SourceTime::of(record.data_time.day()).seconds;
  if (record.kind == DataKind::kHourly) {
    if (in_day % kSecondsPerHour != 0)
      return invalid_argument("MN " + record.mn + ": hourly upload's DataTime " +
                              record.data_time.to_string() + " is not on the hour");
  } else if (record.kind == DataKind::kRealtime) {
    out.provisional = true;  // the hour it was taken in, until that hour's 2061
  } else {
    return invalid_argument("MN " + record.mn + ": a " + std::string(data_kind_name(record.kind)) +
                            " upload is not read as a station's hour (CN 2061, or 2011 as provisional)");
  }
  out.hour = Hour::ending(record.data_time.day(), static_cast<int>(in_day / kSecondsPerHour) + 1);
  for (const PollutantValue& v : record.values) {
    auto code = quality_station_code(kind, v.code);
    if (!code) continue;  // other parameters (conductivity, turbidity, ...): not judged items
    const std::optional<Decimal>& x = out.provisional ? v.rtd : (v.avg ? v.avg : v.rtd);
    const bool signed_ok = code->item == "water_temperature";
    if (!x || v.flag != DataFlag::kNormal || (x->units < 0 && !signed_ok) || x->scale < 0 ||
        x->scale > kMaxScale - 3) {
      ++out.skipped;
      continue;
    }
    // × num / den with num, den in {1, 1000}: exact by moving the decimal point.
    Decimal d = *x;
    if (code->den == kMicro) d.scale += 3;
    out.values.push_back({std::string(code->item), d});
  }
  return out;
}

}  // namespace ecomon::sources
