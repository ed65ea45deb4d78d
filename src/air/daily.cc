#include "air/daily.h"

#include <algorithm>

#include "air/statistics.h"

namespace ecomon {
namespace {

constexpr int kHoursPerDay = 24;
constexpr int kWindowHours = 8;
constexpr int kFirstSameDayWindowEnd = 8;  // the first window lying wholly inside the day ends at 08:00

// Mean of a run of hourly values if at least `min` are valid, rounded to the reporting precision when asked.
std::optional<int64_t> run_mean(const Milli* v, int n, int min, Pollutant p, bool round,
                                int* valid_out = nullptr) {
  int64_t sum = 0;
  int valid = 0;
  for (int i = 0; i < n; ++i) {
    if (v[i] == kMissing) continue;
    sum += v[i];
    ++valid;
  }
  if (valid_out) *valid_out = valid;
  if (valid < min || valid == 0) return std::nullopt;
  Rational m{sum, valid};
  return round ? round_milli(p, m) : round_half_even(m, 0).units;
}

}  // namespace

std::optional<int64_t> o3_8h_mean(const StationHours& h, Hour end, const AssessmentParams& params) {
  Milli buf[kWindowHours];
  for (int i = 0; i < kWindowHours; ++i) buf[i] = h.at(Pollutant::kO3, end - (kWindowHours - 1 - i));
  return run_mean(buf, kWindowHours, params.min_hours_per_8h, Pollutant::kO3, params.round_each_level);
}

std::optional<int64_t> o3_8h_within_day(const StationHours& h, Hour end, const AssessmentParams& params) {
  int len = std::min(kWindowHours, end.hour_ending());
  Milli buf[kWindowHours];
  for (int i = 0; i < len; ++i) buf[i] = h.at(Pollutant::kO3, end - (len - 1 - i));
  return run_mean(buf, len, std::min(params.min_hours_per_8h, len), Pollutant::kO3, params.round_each_level);
}

std::optional<int64_t> moving_24h_mean(const StationHours& h, Pollutant p, Hour end,
                                       const AssessmentParams& params) {
  Milli buf[kHoursPerDay];
  for (int i = 0; i < kHoursPerDay; ++i) buf[i] = h.at(p, end - (kHoursPerDay - 1 - i));
  return run_mean(buf, kHoursPerDay, params.min_hours_per_day, p, params.round_each_level);
}

std::vector<DayStats> station_days(const StationHours& h, DayRange days, const AssessmentParams& params,
                                   int64_t o3_8h_limit_milli) {
  std::vector<DayStats> out(static_cast<size_t>(days.size()));
  std::array<Milli, kHoursPerDay> hours{};
  for (int32_t di = 0; di < days.size(); ++di) {
    DayStats& s = out[static_cast<size_t>(di)];
    Hour first = Hour::first_of(days.first + di);
    for (Pollutant p : kAllPollutants) {
      for (int i = 0; i < kHoursPerDay; ++i) hours[static_cast<size_t>(i)] = h.at(p, first + i);
      int valid = 0;
      auto m =
          run_mean(hours.data(), kHoursPerDay, params.min_hours_per_day, p, params.round_each_level, &valid);
      s.count[static_cast<size_t>(index_of(p))] = static_cast<uint8_t>(valid);
      if (p == Pollutant::kO3) {
        if (valid >= params.min_hours_for_o3_max_1h) {
          s.o3_max_1h = *std::max_element(hours.begin(), hours.end());  // kMissing is the smallest int
        }
        continue;
      }
      s.mean[static_cast<size_t>(index_of(p))] = m;
    }
    // Daily max 8-h O3 over the window set.
    int first_end = params.o3_windows == O3WindowSet::kSameDay17 ? kFirstSameDayWindowEnd : 1;
    std::optional<int64_t> best;
    int windows = 0;
    for (int e = first_end; e <= kHoursPerDay; ++e) {
      auto w = o3_8h_mean(h, Hour::ending(days.first + di, e), params);
      if (!w) continue;
      ++windows;
      best = best ? std::max(*best, *w) : *w;
    }
    s.o3_windows = static_cast<uint8_t>(windows);
    if (best && (windows >= params.min_windows_per_mda8 || *best > o3_8h_limit_milli)) s.o3_mda8 = best;
  }
  return out;
}

std::vector<DayStats> city_days(std::span<const std::vector<DayStats>> stations,
                                const AssessmentParams& params) {
  if (stations.empty()) return {};
  size_t n = stations[0].size();
  std::vector<DayStats> out(n);
  auto combine = [&](auto get, Pollutant p, uint8_t& count) -> std::optional<int64_t> {
    int64_t sum = 0;
    int k = 0;
    for (const auto& st : stations) {
      std::optional<int64_t> v = get(st);
      if (!v) continue;
      sum += *v;
      ++k;
    }
    count = static_cast<uint8_t>(k);
    if (k == 0 || k < params.min_stations_for_city_value) return std::nullopt;
    Rational m{sum, k};
    return params.round_each_level ? round_milli(p, m) : round_half_even(m, 0).units;
  };
  for (size_t d = 0; d < n; ++d) {
    DayStats& c = out[d];
    for (Pollutant p : kAllPollutants) {
      if (p == Pollutant::kO3) continue;
      size_t i = static_cast<size_t>(index_of(p));
      c.mean[i] = combine([&](const std::vector<DayStats>& st) { return st[d].mean[i]; }, p, c.count[i]);
    }
    size_t o3 = static_cast<size_t>(index_of(Pollutant::kO3));
    c.o3_mda8 =
        combine([&](const std::vector<DayStats>& st) { return st[d].o3_mda8; }, Pollutant::kO3, c.mda8_count);
    c.o3_max_1h = combine([&](const std::vector<DayStats>& st) { return st[d].o3_max_1h; }, Pollutant::kO3,
                          c.count[o3]);
  }
  return out;
}

}  // namespace ecomon
