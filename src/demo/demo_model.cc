#include "demo/demo_model.h"

#include <algorithm>
#include <cmath>

#include "demo/demo_random.h"

namespace ecomon::demo::internal {
namespace {

constexpr int kMonths = 12;
constexpr int kHoursPerDay = 24;
constexpr double kHoursPerYear = 24 * 365.25;
constexpr int kSaturday = 5;  // weekday index, Monday = 0
constexpr int kDaysPerWeek = 7;
constexpr int kEpochWeekdayOffset = 3;  // 1970-01-01 was a Thursday
constexpr int kLastSummerMonth = 6;     // a heating season touching a day in Jan..Jun started the year before
constexpr int kShortDayFirstHourEnding = 2;  // a short station-day's gap starts after hour 0 of its file
constexpr double kSmallestUniform = 1e-12;   // keeps det_pow away from log(0)

// Linear interpolation between mid-month values (December wraps to January).
double month_table_at(const MonthTable& table, CivilDay d) {
  const double days = days_in_month(d.year(), d.month());
  const double position = (d.month() - 1) + (d.day() - 0.5) / days - 0.5;  // -0.5 .. 11.5
  const double whole = std::floor(position);
  const double fraction = position - whole;
  const int a = (static_cast<int>(whole) + kMonths) % kMonths;
  const int b = (a + 1) % kMonths;
  return table[a] + (table[b] - table[a]) * fraction;
}

double profile_at(const DayProfile& winter, const DayProfile& summer, double summer_weight, int hour_ending) {
  const auto i = static_cast<size_t>(hour_ending - 1);
  return winter[i] + (summer[i] - winter[i]) * summer_weight;
}

// 0 outside the heating season, 1 inside, ramping over the first and last days.
double heating_weight(const Climate& c, CivilDay d) {
  const int start_year = d.month() <= kLastSummerMonth ? d.year() - 1 : d.year();
  const CivilDay start = CivilDay::from_ymd(start_year, c.heating_start_month, c.heating_start_day);
  const CivilDay end = CivilDay::from_ymd(start_year + 1, c.heating_end_month, c.heating_end_day);
  if (d < start || d > end) return 0.0;
  const double days_from_edge = std::min(d - start, end - d) + 1;
  return std::min(1.0, days_from_edge / c.heating_ramp_days);
}

int weekday(CivilDay d) { return (d.days_since_epoch() + kEpochWeekdayOffset) % kDaysPerWeek; }

// The seasonal levels of one day (regional, before trend, weather and episodes).
struct DayLevels {
  double pm25 = 0, pm10_ratio = 0, so2 = 0, no2 = 0, co = 0, o3_night = 0, o3_amplitude = 0, summer = 0;
};

DayLevels day_levels(const Climate& c, CivilDay d) {
  DayLevels l;
  l.pm25 = month_table_at(c.pm25_level, d);
  l.pm10_ratio = month_table_at(c.pm10_to_pm25, d);
  l.so2 = month_table_at(c.so2_level, d) + c.so2_heating_extra * heating_weight(c, d);
  l.no2 = month_table_at(c.no2_level, d) * (weekday(d) >= kSaturday ? c.weekend_no2_factor : 1.0);
  l.co = month_table_at(c.co_level, d);
  l.o3_night = month_table_at(c.o3_night, d);
  l.o3_amplitude = month_table_at(c.o3_amplitude, d);
  l.summer = month_table_at(c.summer_weight, d);
  return l;
}

// The time axis of a run and conversions between hours, days and array indices.
struct Timeline {
  Hour first;
  int64_t hours = 0;
  CivilDay first_day;  // the natural day of `first`
  Hour trend_origin;   // first hour of first_year: the trend factor is 1 there

  size_t index(Hour h) const { return static_cast<size_t>(h - first); }
  bool contains(Hour h) const { return h >= first && h - first < hours; }
  int32_t day_count() const { return (first + (hours - 1)).day() - first_day + 1; }
  double years_since_origin(Hour h) const { return static_cast<double>(h - trend_origin) / kHoursPerYear; }
};

// Regional episode signals per hour.
struct Episodes {
  std::vector<double> haze;       // 0..1: how far the region is into a haze build-up
  std::vector<double> haze_peak;  // PM2.5 the episode builds towards
  std::vector<double> clean;      // behind a cold front: < 1
  std::vector<double> dust;       // extra regional PM10
};

void add_haze_episode(const Climate& c, const Timeline& t, Rng& rng, Hour start, double peak, Episodes& e) {
  const int build = rng.uniform_int(c.haze_build_min_hours, c.haze_build_max_hours);
  const int hold = rng.uniform_int(c.haze_hold_min_hours, c.haze_hold_max_hours);
  const int front = rng.uniform_int(c.haze_front_min_hours, c.haze_front_max_hours);
  const int recovery = rng.uniform_int(c.haze_recovery_min_hours, c.haze_recovery_max_hours);
  auto set = [&](int64_t offset, double haze, double clean) {
    const Hour h = start + offset;
    if (!t.contains(h)) return;
    const size_t i = t.index(h);
    e.haze[i] = haze;
    e.haze_peak[i] = peak;
    e.clean[i] = std::min(e.clean[i], clean);
  };
  int64_t offset = 0;
  for (int j = 0; j < build; ++j) {
    set(offset++, det_pow(static_cast<double>(j + 1) / build, c.haze_build_exponent), 1.0);
  }
  for (int j = 0; j < hold; ++j) set(offset++, 1.0, 1.0);
  for (int j = 0; j < front; ++j) {
    const double progress = static_cast<double>(j + 1) / front;
    set(offset++, 1.0 - progress, 1.0 - (1.0 - c.haze_post_front_clean) * progress);
  }
  for (int j = 0; j < recovery; ++j) {
    const double progress = static_cast<double>(j + 1) / recovery;
    set(offset++, 0.0, c.haze_post_front_clean + (1.0 - c.haze_post_front_clean) * progress);
  }
}

void add_dust_event(const Climate& c, const Timeline& t, Rng& rng, Hour start, Episodes& e) {
  const double peak = rng.uniform(c.dust_peak_min, c.dust_peak_max);
  const int rise = rng.uniform_int(c.dust_rise_min_hours, c.dust_rise_max_hours);
  const int hold = rng.uniform_int(c.dust_hold_min_hours, c.dust_hold_max_hours);
  const int decay = rng.uniform_int(c.dust_decay_min_hours, c.dust_decay_max_hours);
  auto set = [&](int64_t offset, double value) {
    const Hour h = start + offset;
    if (t.contains(h)) e.dust[t.index(h)] = value;
  };
  int64_t offset = 0;
  for (int j = 0; j < rise; ++j) set(offset++, peak * (j + 1) / rise);
  for (int j = 0; j < hold; ++j) set(offset++, peak);
  for (int j = 0; j < decay; ++j) set(offset++, peak * (1.0 - static_cast<double>(j + 1) / (decay + 1)));
}

// Spreads `count` events over [window_first, window_last]: one per equal slot, at a random start in its slot.
template <typename AddEvent>
void schedule_in_slots(Rng& rng, CivilDay window_first, CivilDay window_last, int count, int64_t event_hours,
                       AddEvent add_event) {
  const Hour window_start = Hour::first_of(window_first);
  const int64_t window_hours = int64_t{window_last - window_first + 1} * kHoursPerDay;
  const int64_t slot = window_hours / count;
  const int64_t slack = std::max<int64_t>(0, slot - event_hours);
  for (int k = 0; k < count; ++k) {
    const int64_t offset = rng.uniform_int(0, static_cast<int32_t>(slack));
    add_event(window_start + (k * slot + offset));
  }
}

Episodes schedule_episodes(const Climate& c, const Timeline& t, const DemoOptions& o, Rng& rng) {
  Episodes e;
  const auto n = static_cast<size_t>(t.hours);
  e.haze.assign(n, 0.0);
  e.haze_peak.assign(n, 0.0);
  e.clean.assign(n, 1.0);
  e.dust.assign(n, 0.0);

  const int64_t longest_haze = int64_t{c.haze_build_max_hours} + c.haze_hold_max_hours +
                               c.haze_front_max_hours + c.haze_recovery_max_hours;
  for (int year = o.first_year - 1; year <= o.last_year; ++year) {
    const CivilDay first = CivilDay::from_ymd(year, c.haze_window_start_month, c.haze_window_start_day);
    const CivilDay last = CivilDay::from_ymd(year + 1, c.haze_window_end_month, c.haze_window_end_day);
    const int count = rng.uniform_int(c.haze_min_per_winter, c.haze_max_per_winter);
    schedule_in_slots(rng, first, last, count, longest_haze, [&](Hour start) {
      const double trend = det_pow(1.0 - c.pm_improvement_per_year, t.years_since_origin(start));
      const double peak = rng.uniform(c.haze_peak_min, c.haze_peak_max) * trend;
      add_haze_episode(c, t, rng, start, peak, e);
    });
  }

  const int64_t longest_dust =
      int64_t{c.dust_rise_max_hours} + c.dust_hold_max_hours + c.dust_decay_max_hours;
  for (int year = o.first_year; year <= o.last_year; ++year) {
    const CivilDay first = CivilDay::from_ymd(year, c.dust_window_start_month, c.dust_window_start_day);
    const CivilDay last = CivilDay::from_ymd(year, c.dust_window_end_month, c.dust_window_end_day);
    const int count = rng.uniform_int(c.dust_min_per_spring, c.dust_max_per_spring);
    schedule_in_slots(rng, first, last, count, longest_dust,
                      [&](Hour start) { add_dust_event(c, t, rng, start, e); });
  }
  return e;
}

// Daily weather: wash-out factor for PM and sunshine for O3, one value per natural day.
struct Weather {
  std::vector<double> pm_factor;
  std::vector<double> sun;
};

Weather daily_weather(const Climate& c, const Timeline& t, Rng& rng) {
  Weather w;
  const int32_t days = t.day_count() + 1;  // one spare day for interpolation at the end
  const double innovation = std::sqrt(1.0 - c.sun_persistence * c.sun_persistence);
  double state = rng.normal();
  for (int32_t i = 0; i < days; ++i) {
    const CivilDay d = t.first_day + i;
    const bool rain = rng.bernoulli(month_table_at(c.rain_probability, d));
    state = c.sun_persistence * state + innovation * rng.normal();
    const double sun = std::clamp(1.0 + c.sun_sigma * state, c.sun_min, c.sun_max);
    w.pm_factor.push_back(rain ? c.rain_pm_factor : 1.0);
    w.sun.push_back(rain ? sun * c.rain_sun_factor : sun);
  }
  return w;
}

// A daily value interpolated between day midpoints, so that weather changes through the night, not at 00:00.
double daily_at(const std::vector<double>& per_day, const Timeline& t, Hour h) {
  const double position = (h.day() - t.first_day) + (h.hour_ending() - 0.5) / kHoursPerDay - 0.5;
  const double clamped = std::clamp(position, 0.0, static_cast<double>(per_day.size() - 1));
  const double whole = std::floor(clamped);
  const auto a = static_cast<size_t>(whole);
  const size_t b = std::min(a + 1, per_day.size() - 1);
  return per_day[a] + (per_day[b] - per_day[a]) * (clamped - whole);
}

// One hour of the regional signal, in the units the centre publishes (CO in mg/m3).
struct Regional {
  double pm25_core = 0;  // without dust
  double pm10_ratio = 0;
  double dust = 0;
  double so2 = 0, no2 = 0, o3 = 0, co = 0;
};

ArchiveGaps schedule_gaps(const Climate& c, const DemoOptions& o, const Timeline& t, Rng& rng,
                          HourlySeries& series) {
  ArchiveGaps gaps;
  gaps.partial_file_hours = c.partial_file_hours;
  for (int year = o.first_year; year <= o.last_year; ++year) {
    const CivilDay missing = CivilDay::from_ymd(
        year, c.missing_file_month, rng.uniform_int(c.missing_file_first_day, c.missing_file_last_day));
    const CivilDay partial = CivilDay::from_ymd(
        year, c.partial_file_month, rng.uniform_int(c.partial_file_first_day, c.partial_file_last_day));
    gaps.missing_files.push_back(missing);
    gaps.partial_files.push_back(partial);
    // A few station-days with fewer than 20 hours, inside one natural day and away from the day files above.
    const CivilDay jan1 = CivilDay::from_ymd(year, 1, 1);
    for (int k = 0; k < c.short_station_days_per_year; ++k) {
      CivilDay day = jan1 + rng.uniform_int(1, days_in_year(year) - 2);
      if (day == missing || day == partial) day = day + 1;
      const int station = rng.uniform_int(0, kStationCount - 1);
      const int length = rng.uniform_int(c.short_day_min_missing_hours, c.short_day_max_missing_hours);
      const int first_hour_ending = rng.uniform_int(kShortDayFirstHourEnding, kHoursPerDay - length);
      for (int j = 0; j < length; ++j) {
        const Hour h = Hour::ending(day, first_hour_ending + j);
        if (t.contains(h)) series.offline[station][t.index(h)] = 1;
      }
    }
  }
  return gaps;
}

// Draws the length of an outage: 1..max hours, mostly short.
int outage_length(Rng& rng, int max_hours, double skew) {
  const double u = det_pow(std::max(rng.uniform(), kSmallestUniform), skew);
  return 1 + static_cast<int>(std::floor(u * (max_hours - 1) + 0.5));
}

bool is_gas(Pollutant p) {
  return p == Pollutant::kSo2 || p == Pollutant::kNo2 || p == Pollutant::kO3 || p == Pollutant::kCo;
}

int32_t publish(double value, Pollutant p, int32_t min_published) {
  const double scaled = p == Pollutant::kCo ? value * kCoTenthsPerMg : value;
  const auto rounded = static_cast<int32_t>(std::lround(std::max(scaled, 0.0)));
  return std::max(rounded, min_published);
}

// Scales each year's regional PM2.5 so that its realised mean is climate.pm25_annual_mean x trend; the factor
// moves from one year's value to the next over pin_ramp_days around Jan 1, so no step shows at midnight.
void pin_annual_means(const Climate& c, const DemoOptions& o, const Timeline& t,
                      std::vector<Regional>& regional) {
  const auto years = static_cast<size_t>(o.last_year - o.first_year + 1);
  std::vector<double> sum(years, 0.0);
  std::vector<int64_t> count(years, 0);
  for (size_t i = 0; i < regional.size(); ++i) {
    const int y = (t.first + static_cast<int64_t>(i)).day().year() - o.first_year;
    if (y < 0 || static_cast<size_t>(y) >= years) continue;
    sum[static_cast<size_t>(y)] += regional[i].pm25_core;
    ++count[static_cast<size_t>(y)];
  }
  std::vector<double> factor(years, 1.0);
  for (size_t y = 0; y < years; ++y) {
    if (count[y] == 0 || sum[y] <= 0.0) continue;
    const double target =
        c.pm25_annual_mean * det_pow(1.0 - c.pm_improvement_per_year, static_cast<double>(y));
    factor[y] = target / (sum[y] / static_cast<double>(count[y]));
  }
  const double ramp_hours = c.pin_ramp_days * kHoursPerDay;
  for (size_t i = 0; i < regional.size(); ++i) {
    const Hour h = t.first + static_cast<int64_t>(i);
    const int year = std::clamp(h.day().year(), o.first_year, o.last_year);
    const auto y = static_cast<size_t>(year - o.first_year);
    double f = factor[y];
    const int64_t since_start = h - Hour::first_of(CivilDay::from_ymd(year, 1, 1));
    const int64_t until_next = Hour::first_of(CivilDay::from_ymd(year + 1, 1, 1)) - h;
    if (y > 0 && since_start < ramp_hours / 2) {
      f = factor[y - 1] + (factor[y] - factor[y - 1]) * (0.5 + static_cast<double>(since_start) / ramp_hours);
    } else if (y + 1 < years && until_next <= ramp_hours / 2) {
      f = factor[y] + (factor[y + 1] - factor[y]) * (0.5 - static_cast<double>(until_next) / ramp_hours);
    }
    regional[i].pm25_core *= f;
  }
}

}  // namespace

DemoSeries generate_series(const DemoOptions& options, const Climate& c) {
  Timeline t;
  const Hour first_published = Hour::from_cnemc(CivilDay::from_ymd(options.first_year, 1, 1), 0);
  const Hour last_published = Hour::from_cnemc(CivilDay::from_ymd(options.last_year + 1, 1, 1), 0);
  t.first = first_published - kWarmUpHours;
  t.hours = last_published - t.first + 1;
  t.first_day = t.first.day();
  t.trend_origin = Hour::first_of(CivilDay::from_ymd(options.first_year, 1, 1));

  DemoSeries out;
  HourlySeries& s = out.series;
  s.first = t.first;
  s.hours = t.hours;
  const auto n = static_cast<size_t>(t.hours);
  for (int st = 0; st < kStationCount; ++st) {
    for (auto& v : s.value[st]) v.assign(n, kNoValue);
    s.offline[st].assign(n, 0);
  }

  Rng events(options.seed, Stream::kEvents);
  const Episodes episodes = schedule_episodes(c, t, options, events);
  out.gaps = schedule_gaps(c, options, t, events, s);
  Rng weather_rng(options.seed, Stream::kWeather);
  const Weather weather = daily_weather(c, t, weather_rng);

  // Regional signal, hour by hour.
  Rng regional_rng(options.seed, Stream::kRegional);
  const double stagnation_phi = det_exp(-1.0 / c.stagnation_hours);
  const double stagnation_innovation = std::sqrt(1.0 - stagnation_phi * stagnation_phi);
  const double sigma = c.stagnation_sigma;
  double stagnation_z = regional_rng.normal();
  std::vector<Regional> regional(n);
  CivilDay levels_day = t.first_day - 1;
  DayLevels levels;
  for (size_t i = 0; i < n; ++i) {
    const Hour h = t.first + static_cast<int64_t>(i);
    if (h.day() != levels_day) {
      levels_day = h.day();
      levels = day_levels(c, levels_day);
    }
    stagnation_z = stagnation_phi * stagnation_z + stagnation_innovation * regional_rng.normal();
    const double stagnation = det_exp(sigma * stagnation_z - sigma * sigma / 2);
    const double years = t.years_since_origin(h);
    const double pm_trend = det_pow(1.0 - c.pm_improvement_per_year, years);
    const double gas_trend = det_pow(1.0 - c.gas_improvement_per_year, years);
    const double pm_base = levels.pm25 * pm_trend;
    const double haze = episodes.haze[i];
    const double haze_level = episodes.haze_peak[i] * det_exp(c.haze_peak_noise * stagnation_z);
    const double pm_regional =
        ((1.0 - haze) * pm_base * stagnation * daily_at(weather.pm_factor, t, h) + haze * haze_level) *
        episodes.clean[i];
    const double ratio = std::clamp(pm_regional / pm_base, c.stagnation_ratio_min, c.stagnation_ratio_max);
    const int he = h.hour_ending();
    const double w = levels.summer;
    Regional& r = regional[i];
    r.pm25_core = pm_regional * profile_at(c.pm25_winter, c.pm25_summer, w, he);
    r.pm10_ratio = levels.pm10_ratio + (c.haze_pm10_ratio - levels.pm10_ratio) * haze;
    r.dust = episodes.dust[i];
    r.so2 = levels.so2 * gas_trend * det_pow(ratio, c.so2_stagnation_power) *
            profile_at(c.so2_winter, c.so2_summer, w, he);
    r.no2 = levels.no2 * gas_trend * det_pow(ratio, c.no2_stagnation_power) *
            profile_at(c.no2_winter, c.no2_summer, w, he);
    r.co = levels.co * gas_trend * det_pow(ratio, c.co_stagnation_power) *
           profile_at(c.co_winter, c.co_summer, w, he);
    r.o3 = levels.o3_night * det_pow(ratio, c.o3_night_stagnation_power) +
           levels.o3_amplitude * daily_at(weather.sun, t, h) *
               det_pow(ratio, c.o3_amplitude_stagnation_power) *
               profile_at(c.o3_shape_winter, c.o3_shape_summer, w, he);
  }

  pin_annual_means(c, options, t, regional);

  // Stations: regional signal x station factor x station noise, then outages.
  const double noise_phi = det_exp(-1.0 / c.station_noise_hours);
  const double noise_innovation = std::sqrt(1.0 - noise_phi * noise_phi);
  const double m = c.measurement_sigma;
  for (int st = 0; st < kStationCount; ++st) {
    Rng rng(options.seed, Stream::kStationBase, static_cast<uint64_t>(st));
    const StationSpec& spec = kStations[st];
    const int calibration_weekday = rng.uniform_int(0, kDaysPerWeek - 1);
    const int calibration_hour =
        rng.uniform_int(c.calibration_first_hour_ending, c.calibration_last_hour_ending);
    std::array<double, kPollutantCount> z{};
    for (double& zp : z) zp = rng.normal();
    int outage_left = 0;
    std::array<int, kPollutantCount> pollutant_outage_left{};
    for (size_t i = 0; i < n; ++i) {
      const Hour h = t.first + static_cast<int64_t>(i);
      std::array<double, kPollutantCount> noise{};
      for (int p = 0; p < kPollutantCount; ++p) {
        z[p] = noise_phi * z[p] + noise_innovation * rng.normal();
        const double sp = c.station_sigma[p];
        noise[p] = det_exp(sp * z[p] - sp * sp / 2 + m * rng.normal() - m * m / 2);
      }
      if (outage_left == 0 && rng.bernoulli(c.outage_start_per_hour)) {
        outage_left = outage_length(rng, c.outage_max_hours, c.outage_length_skew);
      }
      for (int p = 0; p < kPollutantCount; ++p) {
        if (pollutant_outage_left[p] == 0 && rng.bernoulli(c.pollutant_outage_start_per_hour)) {
          pollutant_outage_left[p] = outage_length(rng, c.pollutant_outage_max_hours, c.outage_length_skew);
        }
      }
      if (outage_left > 0) {
        --outage_left;
        s.offline[st][i] = 1;
      }

      const Regional& r = regional[i];
      const auto& f = spec.factor;
      const auto pm25 = index_of(Pollutant::kPm25), pm10 = index_of(Pollutant::kPm10);
      std::array<double, kPollutantCount> v{};
      v[pm25] = (r.pm25_core + r.dust * c.dust_fine_fraction) * f[pm25] * noise[pm25];
      v[pm10] = (r.pm25_core * r.pm10_ratio * noise[pm25] + r.dust) * f[pm10] * noise[pm10];
      v[pm10] = std::max(v[pm10], v[pm25] * c.pm10_min_over_pm25);
      v[index_of(Pollutant::kSo2)] = r.so2 * f[index_of(Pollutant::kSo2)] * noise[index_of(Pollutant::kSo2)];
      v[index_of(Pollutant::kNo2)] = r.no2 * f[index_of(Pollutant::kNo2)] * noise[index_of(Pollutant::kNo2)];
      v[index_of(Pollutant::kO3)] = r.o3 * f[index_of(Pollutant::kO3)] * noise[index_of(Pollutant::kO3)];
      v[index_of(Pollutant::kCo)] = r.co * f[index_of(Pollutant::kCo)] * noise[index_of(Pollutant::kCo)];

      const bool offline = s.offline[st][i] != 0;
      const bool calibrating = weekday(h.day()) == calibration_weekday && h.hour_ending() == calibration_hour;
      for (int p = 0; p < kPollutantCount; ++p) {
        const auto pollutant = static_cast<Pollutant>(p);
        const bool analyser_down = pollutant_outage_left[p] > 0;
        if (analyser_down) --pollutant_outage_left[p];
        if (offline || analyser_down || (calibrating && is_gas(pollutant))) continue;
        s.value[st][p][i] = publish(v[p], pollutant, c.min_published[p]);
      }
    }
  }
  return out;
}

}  // namespace ecomon::demo::internal
