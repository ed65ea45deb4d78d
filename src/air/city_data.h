// Builds a city's daily and hourly reports from the store: its assessment stations' hours (reference stations
// left out unless params say otherwise), station days, city days and their AQI.
//
//   RuleChoice choice;                                        // rules by date, default parameters
//   auto a = assess_city(store, store, "晋城", DayRange::year(2019), choice);
//   auto hours = city_hour_reports(*load_city(store, store, "晋城", range, choice.params), range, choice);
#pragma once

#include <string>
#include <vector>

#include "air/assessment.h"
#include "air/daily.h"
#include "store/api/store.h"

namespace ecomon {

struct CityData {
  std::string city;
  std::vector<StationInfo> stations;      // entering the city values
  std::vector<StationInfo> excluded;      // reference stations left out
  std::vector<StationInfo> without_data;  // listed for the city but without any value in the period
  std::vector<StationHours> hours;        // per station, from 24 h before the range
  // Non-assessment stations (micro stations, issue 19): never in the city values; their hours only when
  // load_city was asked for them (the hourly report of one of them, the hotspot view).
  std::vector<StationInfo> non_assessment;
  std::vector<StationHours> non_assessment_hours;  // parallel to non_assessment when loaded, else empty
};

enum class NonAssessment { kList, kLoad };

// With `county`, only the city's stations registered in that county (区县, StationInfo::county); kNotFound
// when the city has none there. With `only_station` (a station code), that station alone is read and listed
// (one station's hourly report or export: a station-year reads 6 series, not the whole city's); kNotFound
// when it is not a station of the city, or not one whose hours a report can show (a reference station left
// out, an assessment station without data in the period).
StatusOr<CityData> load_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city, DayRange range,
                             const AssessmentParams& params, NonAssessment others = NonAssessment::kList,
                             const std::string& county = "", const std::string& only_station = "");
std::vector<DayReport> city_day_reports(const CityData& data, DayRange range, const RuleChoice& choice);
// Fills the assessment's station lists (used, reference-excluded, silent) from the loaded data.
void describe_stations(const CityData& data, PeriodAssessment& a);
StatusOr<PeriodAssessment> assess_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                       DayRange range, const RuleChoice& choice);
// A county of the city assessed as a city is (环办监测〔2018〕19号 §一: provinces rank counties by the same
// rules) from the assessment stations registered in it; the assessment is named after the county.
StatusOr<PeriodAssessment> assess_county(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                         const std::string& county, DayRange range, const RuleChoice& choice);
// The counties the city's stations are registered in (non-empty StationInfo::county), sorted, distinct.
StatusOr<std::vector<std::string>> counties_of_city(RecordStore& rs, const std::string& city);

// One hour of the real-time report (实时报): city 1-h values (mean of stations), the moving means the rule
// set needs, and the AQI.
struct HourReport {
  Hour hour;
  std::array<std::optional<int64_t>, kPollutantCount> value;  // 1-h, Milli
  std::optional<int64_t> o3_8h;                               // 8-h moving mean ending this hour
  std::array<std::optional<int64_t>, kPollutantCount> moving_24h;
  const AqiRuleSet* rules = nullptr;
  AqiResult aqi;
};
// Hourly reports for the city, or for one station when `station_code` is given.
StatusOr<std::vector<HourReport>> city_hour_reports(const CityData& data, DayRange range,
                                                    const RuleChoice& choice,
                                                    const std::string& station_code = "");

}  // namespace ecomon
