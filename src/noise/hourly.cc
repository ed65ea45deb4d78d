#include "noise/hourly.h"

#include "standards/water/exact.h"

namespace ecomon::noise {
namespace {

constexpr int kFirstDayHourEnding = 7;  // 06:00–07:00
constexpr int kLastDayHourEnding = 22;  // 21:00–22:00

}  // namespace

DayPart part_of_hour(Hour h) {
  const int e = h.hour_ending();
  return e >= kFirstDayHourEnding && e <= kLastDayHourEnding ? DayPart::kDay : DayPart::kNight;
}

StatusOr<std::vector<NoiseHour>> judge_hours(std::span<const NoiseHourValues> hours,
                                             std::optional<ZoneClass> zone, const NoiseParams& params) {
  std::vector<NoiseHour> out;
  out.reserve(hours.size());
  for (const NoiseHourValues& h : hours) {
    NoiseHour n{.hour = h.hour, .part = part_of_hour(h.hour), .indices = h.values};
    if (zone) n.limit = zone_limit(*zone, n.part);
    for (const auto& [index, text] : h.values) {
      if (index != "Leq") continue;
      auto v = exact::parse(text);
      if (!v)
        return Status(StatusCode::kDataLoss,
                      "hour " + h.hour.to_string() + ": Leq '" + text + "' is not a decimal");
      n.leq = text;
      if (zone) n.complies = zone_complies(*zone, n.part, *v, std::nullopt, params);
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace ecomon::noise
