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
};

StatusOr<CityData> load_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city, DayRange range,
                             const AssessmentParams& params);
std::vector<DayReport> city_day_reports(const CityData& data, DayRange range, const RuleChoice& choice);
// Fills the assessment's station lists (used, reference-excluded, silent) from the loaded data.
void describe_stations(const CityData& data, PeriodAssessment& a);
StatusOr<PeriodAssessment> assess_city(TimeSeriesStore& ts, RecordStore& rs, const std::string& city,
                                       DayRange range, const RuleChoice& choice);

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
