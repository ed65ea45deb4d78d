// The demo city's stations, climate and hourly series generator (internal to the demo library).
//
// The model, per hour: a regional signal shared by all stations (seasonal level x synoptic stagnation x
// weather x haze / dust episodes x diurnal profile), times a station factor and station noise, rounded to
// what the centre publishes; then the archive's gaps (outages, calibration hours, missing pollutants).
// Every number that shapes the climate is a named member of Climate; kClimate holds the values calibrated
// on the 2019 real-time archive of a mid-sized northern city (monthly means, diurnal profiles, episodes).
//
//   DemoSeries demo = generate_series(options);
//   int32_t pm = demo.series.at(0, Pollutant::kPm25, Hour::from_cnemc(CivilDay::from_ymd(2024, 1, 1), 0));
//
// Not thread-safe per object; generate_series itself has no shared state.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "demo/demo_archive.h"

namespace ecomon::demo::internal {

// The six pollutants the centre publishes hourly, in the order the model stores them.
enum class Pollutant : uint8_t { kPm25 = 0, kPm10, kSo2, kNo2, kO3, kCo };
inline constexpr int kPollutantCount = 6;
inline constexpr int index_of(Pollutant p) { return static_cast<int>(p); }

// Stored values are what the centre publishes: ug/m3 integers, CO in tenths of mg/m3 (one decimal).
inline constexpr int32_t kNoValue = -1;
inline constexpr int32_t kCoTenthsPerMg = 10;

// A monitoring station of Demo City with its multiplicative offsets from the regional signal.
struct StationSpec {
  std::string_view code;
  std::string_view name;
  std::string_view longitude;  // as written in sites.csv
  std::string_view latitude;
  bool reference = false;  // 对照点: the background station outside the built-up area
  std::array<double, kPollutantCount> factor{};  // PM2.5, PM10, SO2, NO2, O3, CO
};

inline constexpr int kStationCount = 6;
inline constexpr std::string_view kCityName = "演示市";
// clang-format off
inline constexpr std::array<StationSpec, kStationCount> kStations = {{
    //  code     name           lon         lat       ref    PM2.5 PM10  SO2   NO2   O3    CO
    {"9160A", "市监测站",     "112.8502", "35.4981", false, {1.05, 1.04, 1.00, 1.12, 0.95, 1.05}},
    {"9161A", "城东公园",     "112.8714", "35.4952", false, {0.98, 0.96, 0.95, 0.96, 1.03, 0.97}},
    {"9162A", "开发区",       "112.8236", "35.4877", false, {1.10, 1.12, 1.25, 1.10, 0.94, 1.15}},
    {"9163A", "技术学院",     "112.8655", "35.4862", false, {1.00, 1.00, 1.02, 1.02, 0.99, 1.00}},
    {"9164A", "南郊中学",     "112.8427", "35.4718", false, {1.04, 1.06, 0.98, 0.92, 1.01, 1.02}},
    {"9165A", "北山(对照点)", "112.8461", "35.5423", true,  {0.80, 0.78, 0.80, 0.55, 1.12, 0.85}},
}};
// clang-format on

using MonthTable = std::array<double, 12>;  // a value for the middle of each month, January first
using DayProfile = std::array<double, 24>;  // a factor per hour ending 01:00 .. 24:00 (index 0 = 00:00-01:00)

// Every parameter of Demo City's climate and archive. Concentrations in ug/m3 (CO mg/m3), durations in hours.
struct Climate {
  // --- Seasonal levels (regional, outside episodes; PM2.5 is then scaled to pm25_annual_mean below)
  MonthTable pm25_level = {80, 70, 52, 45, 40, 38, 36, 34, 38, 44, 56, 74};
  MonthTable pm10_to_pm25 = {1.60, 1.65, 2.10, 2.15, 2.20, 2.00, 1.85, 1.80, 1.85, 1.95, 1.90, 1.70};
  // SO2 outside the heating season, and what the heating season adds.
  MonthTable so2_level = {14, 14, 15, 15, 14, 13, 12, 12, 13, 14, 14, 14};
  double so2_heating_extra = 26;
  MonthTable no2_level = {44, 38, 36, 33, 30, 27, 25, 25, 31, 36, 41, 44};
  MonthTable co_level = {1.65, 1.40, 1.05, 0.95, 0.85, 0.72, 0.72, 0.76, 0.88, 1.00, 1.25, 1.55};
  // O3 before sunrise, and its afternoon rise on a clear day.
  MonthTable o3_night = {16, 26, 36, 44, 54, 60, 58, 52, 42, 30, 20, 16};
  MonthTable o3_amplitude = {50, 70, 86, 100, 122, 156, 150, 128, 108, 72, 56, 48};
  MonthTable summer_weight = {0, 0.1, 0.35, 0.6, 0.85, 1, 1, 0.95, 0.7, 0.4, 0.15, 0};  // blends the profiles

  // Heating season (采暖季) Nov 15 - Mar 15, boilers starting and stopping over a few days.
  int heating_start_month = 11, heating_start_day = 15, heating_end_month = 3, heating_end_day = 15;
  double heating_ramp_days = 5;

  // --- Diurnal profiles, mean 1 (winter / summer), from the 2019 archive; NO2 with rush-hour peaks
  DayProfile pm25_winter = {0.96, 0.97, 0.98, 1.01, 1.03, 1.08, 1.09, 1.14, 1.18, 1.22, 1.24, 1.21,
                            1.12, 0.96, 0.85, 0.78, 0.77, 0.81, 0.85, 0.91, 0.95, 0.98, 0.95, 0.96};
  DayProfile pm25_summer = {1.04, 1.07, 1.08, 1.09, 1.12, 1.11, 1.15, 1.23, 1.28, 1.22, 1.06, 0.95,
                            0.85, 0.82, 0.78, 0.80, 0.84, 0.86, 0.89, 0.90, 0.93, 0.96, 0.97, 1.00};
  DayProfile no2_winter = {1.04, 1.00, 0.97, 0.95, 0.95, 0.98, 1.06, 1.20, 1.28, 1.22, 1.06, 0.90,
                           0.78, 0.70, 0.67, 0.68, 0.76, 0.92, 1.12, 1.24, 1.22, 1.16, 1.10, 1.06};
  DayProfile no2_summer = {1.20, 1.18, 1.15, 1.12, 1.12, 1.18, 1.36, 1.60, 1.62, 1.30, 0.90, 0.62,
                           0.46, 0.40, 0.40, 0.45, 0.56, 0.72, 0.98, 1.22, 1.28, 1.26, 1.24, 1.22};
  DayProfile so2_winter = {0.94, 0.99, 1.02, 1.12, 1.19, 1.26, 1.34, 1.39, 1.42, 1.45, 1.36, 1.18,
                           0.99, 0.82, 0.71, 0.64, 0.63, 0.65, 0.73, 0.78, 0.79, 0.82, 0.86, 0.91};
  DayProfile so2_summer = {0.89, 0.87, 0.89, 0.93, 1.00, 1.02, 1.20, 1.48, 1.69, 1.51, 1.24, 1.04,
                           0.94, 0.87, 0.83, 0.81, 0.86, 0.80, 0.82, 0.87, 0.85, 0.86, 0.85, 0.88};
  DayProfile co_winter = {0.81, 0.84, 0.89, 0.99, 1.10, 1.22, 1.41, 1.56, 1.65, 1.61, 1.50, 1.31,
                          1.04, 0.85, 0.73, 0.64, 0.63, 0.65, 0.70, 0.74, 0.74, 0.78, 0.80, 0.80};
  DayProfile co_summer = {0.95, 0.93, 0.95, 1.01, 1.08, 1.25, 1.45, 1.66, 1.77, 1.50, 1.22, 0.97,
                          0.82, 0.71, 0.68, 0.67, 0.68, 0.70, 0.74, 0.78, 0.81, 0.83, 0.90, 0.94};
  // O3 rise above the night level, 0 .. 1 (peak at hours ending 15-16).
  DayProfile o3_shape_winter = {0.22, 0.18, 0.15, 0.11, 0.08, 0.05, 0.02, 0.00, 0.06, 0.17, 0.35, 0.56,
                                0.77, 0.91, 0.98, 1.00, 0.96, 0.82, 0.65, 0.56, 0.53, 0.45, 0.36, 0.28};
  DayProfile o3_shape_summer = {0.28, 0.22, 0.12, 0.07, 0.03, 0.01, 0.00, 0.05, 0.22, 0.48, 0.69, 0.82,
                                0.90, 0.96, 0.99, 1.00, 0.99, 0.97, 0.93, 0.84, 0.74, 0.63, 0.52, 0.36};

  // --- Weather
  double stagnation_hours = 36;    // correlation time of the regional dispersion (synoptic) signal
  double stagnation_sigma = 0.38;  // log-normal spread of that signal for PM
  double no2_stagnation_power = 0.45, so2_stagnation_power = 0.40, co_stagnation_power = 0.60;
  double o3_night_stagnation_power = -0.20, o3_amplitude_stagnation_power = -0.30;
  double stagnation_ratio_min = 0.5, stagnation_ratio_max = 6.0;  // bounds its effect on gases
  MonthTable rain_probability = {0.04, 0.06, 0.10, 0.14, 0.18, 0.24, 0.30, 0.28, 0.22, 0.12, 0.07, 0.04};
  double rain_pm_factor = 0.55;   // wash-out on a rainy day
  double rain_sun_factor = 0.45;  // O3 amplitude on a rainy day
  double sun_persistence = 0.5;   // day-to-day AR(1) coefficient of sunshine
  double sun_sigma = 0.16, sun_min = 0.55, sun_max = 1.2;
  double weekend_no2_factor = 0.92;

  // --- Winter haze episodes (重污染过程): build-up over days, then a cold front
  int haze_window_start_month = 11, haze_window_start_day = 15;  // first possible start
  int haze_window_end_month = 2, haze_window_end_day = 25;       // last possible end (next year)
  int haze_min_per_winter = 4, haze_max_per_winter = 6;
  double haze_peak_min = 150, haze_peak_max = 300;  // regional PM2.5 at the top of an episode
  int haze_build_min_hours = 48, haze_build_max_hours = 96;
  int haze_hold_min_hours = 6, haze_hold_max_hours = 18;
  int haze_front_min_hours = 6, haze_front_max_hours = 12;
  int haze_recovery_min_hours = 30, haze_recovery_max_hours = 48;
  double haze_build_exponent = 1.5;     // slow start, fast end of a build-up
  double haze_post_front_clean = 0.35;  // PM just behind the front, relative to normal
  double haze_pm10_ratio = 1.30;        // PM10/PM2.5 in haze (mostly secondary fine particles)
  double haze_peak_noise = 0.06;

  // --- Spring dust (沙尘)
  int dust_window_start_month = 3, dust_window_start_day = 1;
  int dust_window_end_month = 5, dust_window_end_day = 20;
  int dust_min_per_spring = 2, dust_max_per_spring = 3;
  double dust_peak_min = 380, dust_peak_max = 620;  // extra PM10 at the top
  int dust_rise_min_hours = 3, dust_rise_max_hours = 6;
  int dust_hold_min_hours = 6, dust_hold_max_hours = 20;
  int dust_decay_min_hours = 8, dust_decay_max_hours = 16;
  double dust_fine_fraction = 0.12;  // share of the dust that is PM2.5

  // --- Trend: each year a little cleaner than the one before
  // The realised annual mean of the regional PM2.5 (without dust) is pinned to pm25_annual_mean x trend, so
  // that every seed shows the year-on-year change: episodes and weather decide the months, not the year.
  double pm25_annual_mean = 48;
  double pm_improvement_per_year = 0.075;
  double pin_ramp_days = 10;  // the pinning factor changes gradually over this many days around Jan 1
  double gas_improvement_per_year = 0.03;  // SO2, NO2, CO

  // --- Station noise
  double station_noise_hours = 6;  // correlation time of a station's deviation from the region
  std::array<double, kPollutantCount> station_sigma = {0.15, 0.17, 0.25, 0.22, 0.08, 0.15};
  double measurement_sigma = 0.05;  // hour-to-hour instrument noise
  double pm10_min_over_pm25 = 1.05;
  std::array<int32_t, kPollutantCount> min_published = {2, 3, 2, 2, 2, 1};  // CO: 0.1 mg/m3

  // --- Archive gaps
  double outage_start_per_hour = 1.0 / 600;  // a station stops sending (all rows blank)
  int outage_max_hours = 30;
  double outage_length_skew = 2.5;                      // most outages are short
  double pollutant_outage_start_per_hour = 1.0 / 2500;  // one analyser down
  int pollutant_outage_max_hours = 12;
  int calibration_first_hour_ending = 9, calibration_last_hour_ending = 16;  // weekly gas zero/span check
  int short_station_days_per_year = 4;  // a station with fewer than 20 hours in a day
  int short_day_min_missing_hours = 6, short_day_max_missing_hours = 14;
  int missing_file_month = 4, missing_file_first_day = 3, missing_file_last_day = 27;   // one day file absent
  int partial_file_month = 2, partial_file_first_day = 10, partial_file_last_day = 25;  // one short file
  int partial_file_hours = 8;                                                           // hours 0..7 only
};

inline constexpr Climate kClimate{};

// Hourly values for all stations and pollutants over [first, first + hours).
struct HourlySeries {
  Hour first;
  int64_t hours = 0;
  std::array<std::array<std::vector<int32_t>, kPollutantCount>, kStationCount> value;  // kNoValue = missing
  std::array<std::vector<uint8_t>, kStationCount> offline;  // 1: the station sent nothing that hour

  bool contains(Hour h) const { return h >= first && h - first < hours; }
  int32_t at(int station, Pollutant p, Hour h) const {
    return contains(h) ? value[station][index_of(p)][static_cast<size_t>(h - first)] : kNoValue;
  }
  bool is_offline(int station, Hour h) const {
    return !contains(h) || offline[station][static_cast<size_t>(h - first)] != 0;
  }
};

// Day files the archive leaves out or cuts short on purpose.
struct ArchiveGaps {
  std::vector<CivilDay> missing_files;
  std::vector<CivilDay> partial_files;
  int partial_file_hours = 0;
};

struct DemoSeries {
  HourlySeries series;
  ArchiveGaps gaps;
};

// Hours generated before the first published hour, so the first file's 24-h rows are complete.
inline constexpr int64_t kWarmUpHours = 48;

// The whole hourly series for options.first_year .. options.last_year (plus warm-up). Requires a valid range.
DemoSeries generate_series(const DemoOptions& options, const Climate& climate = kClimate);

}  // namespace ecomon::demo::internal
