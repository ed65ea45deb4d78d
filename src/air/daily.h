// Daily statistics of a station and of a city, with HJ 663 / GB 3095 Table 4 validity.
//
// A station day has a 24-h mean per pollutant when >= 20 of its hours (ending 01..24) are valid, the daily
// max 8-h O3 (MDA8) when >= 14 8-h windows (each >= 6 hours) are valid or, with fewer, when the max exceeds
// the 8-h limit anyway, and the day's max 1-h O3. A city day is the mean of its stations' valid day values.
//
//   StationHours h = ...;                          // hourly values from 24 h before the first day
//   auto days = station_days(h, range, params, 160'000);
//   auto city = city_days({days_a, days_b, ...}, params);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "air/params.h"
#include "core/decimal.h"
#include "core/time.h"
#include "standards/pollutant.h"

namespace ecomon {

struct DayStats {
  // 24-h means in Milli (the O3 slot holds nothing: O3 is judged by its MDA8).
  std::array<std::optional<int64_t>, kPollutantCount> mean;
  std::optional<int64_t> o3_mda8;    // daily max 8-h mean (日最大8小时滑动平均)
  std::optional<int64_t> o3_max_1h;  // daily max 1-h value (日最大1小时平均)
  // Completeness: station day = valid hours per pollutant and valid 8-h windows; city day = valid stations.
  std::array<uint8_t, kPollutantCount> count{};
  uint8_t o3_windows = 0;
  uint8_t mda8_count = 0;  // city: stations with a valid MDA8
};

// Hourly values of one station, per pollutant, from `first` on (kMissing where none).
struct StationHours {
  Hour first;
  std::array<std::vector<Milli>, kPollutantCount> values;
  Milli at(Pollutant p, Hour h) const {
    const auto& v = values[static_cast<size_t>(index_of(p))];
    int64_t i = h - first;
    return i >= 0 && i < static_cast<int64_t>(v.size()) ? v[static_cast<size_t>(i)] : kMissing;
  }
};

// 8-h moving mean of O3 for the window ending at `end` (hours end-7..end), when >= min hours are valid.
std::optional<int64_t> o3_8h_mean(const StationHours& h, Hour end, const AssessmentParams& params);
// The real-time 8-h O3 the centre publishes: like o3_8h_mean, but the window never reaches into the previous
// day (hours ending max(1, e-7)..e), needing min(6, window length) valid hours.
std::optional<int64_t> o3_8h_within_day(const StationHours& h, Hour end, const AssessmentParams& params);
// 24-h moving mean of pollutant p for the 24 hours ending at `end`, when >= min_hours_per_day are valid.
std::optional<int64_t> moving_24h_mean(const StationHours& h, Pollutant p, Hour end,
                                       const AssessmentParams& params);

// One DayStats per day of `days`. `o3_8h_limit_milli` is the limit the MDA8 exception compares with.
std::vector<DayStats> station_days(const StationHours& h, DayRange days, const AssessmentParams& params,
                                   int64_t o3_8h_limit_milli);
// City days from each station's days (all vectors the same length).
std::vector<DayStats> city_days(std::span<const std::vector<DayStats>> stations,
                                const AssessmentParams& params);

}  // namespace ecomon
