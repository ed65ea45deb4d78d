// Renders air results for people and programs: JSON (the documented, stable interface of docs/air-json.md),
// CSV and aligned text tables. Used by the CLI and the HTTP API.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "air/assessment.h"
#include "air/city_data.h"
#include "air/hotspots.h"
#include "air/moving_average.h"

namespace ecomon {

enum class OutputFormat : uint8_t { kTable, kCsv, kJson };
StatusOr<OutputFormat> parse_output_format(std::string_view text);

nlohmann::json to_json(const PeriodAssessment& a, const RuleChoice& choice,
                       const std::optional<YearOnYear>& yoy);
nlohmann::json day_to_json(const DayReport& d);
nlohmann::json hour_to_json(const HourReport& h);
// What a ranking's rows name: cities (`air rank`) or a city's counties (`air rank --counties --city C`);
// the JSON and CSV key ("city" / "county") and the table's words (城市 / 区县) follow it.
enum class RankArea { kCity, kCounty };
nlohmann::json ranking_to_json(const std::vector<RankRow>& rows, DayRange range,
                               RankArea area = RankArea::kCity);
// `ecomon air daily|hourly --format json` and /api/air/daily|hourly: {"city", "days"} and
// {"city", "station", "hours"}.
nlohmann::json days_json(const std::string& city, const std::vector<DayReport>& days);
nlohmann::json hours_json(const std::string& city, const std::string& station,
                          const std::vector<HourReport>& hours);
// A station of the registry (/api/air/stations, /api/air/today).
nlohmann::json station_json(const StationInfo& s);
// The micro-station hotspots (`air hotspots --format json`, /api/air/hotspots): {"city", "from", "to",
// "ranked_by", "nearest" or "radius_km", "items": [{"station", "name", "nearby": [{"station", "km"}],
// "pollutants": {"PM2.5": {"hours", "micro_mean", "nearby_mean", "difference", "ratio", "hours_above"}},
// "note"?}]}; values in the pollutant's unit.
nlohmann::json hotspots_json(const std::string& city, DayRange range, const HotspotParams& params,
                             const std::vector<Hotspot>& hotspots);
std::string hotspots_table(const std::vector<Hotspot>& hotspots, Pollutant p);
// The newest hour with an AQI, with its level's words (null when none).
nlohmann::json latest_hour_json(const std::vector<HourReport>& hours);
// One month of the monthly trend (/api/air/monthly): valid days, good ratio, composite index and each
// pollutant's assessed value with its limit.
nlohmann::json month_json(const std::string& month, const PeriodAssessment& a, const RuleChoice& choice);

// The moving-average assessment (`air annual --moving-average N --format json`): {"city", "years",
// "pollutants":
// [{"pollutant", "statistic", "by_year", "value", "limit", "compliant"}]}.
nlohmann::json moving_average_json(const MovingAverage& m);
std::string moving_average_table(const MovingAverage& m);

std::string period_table(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy);
std::string period_csv(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy);
std::string days_table(const std::vector<DayReport>& days);
std::string days_csv(const std::vector<DayReport>& days);
std::string hours_table(const std::vector<HourReport>& hours);
std::string hours_csv(const std::vector<HourReport>& hours);
std::string ranking_table(const std::vector<RankRow>& rows, DayRange range, RankArea area = RankArea::kCity);
std::string ranking_csv(const std::vector<RankRow>& rows, RankArea area = RankArea::kCity);

}  // namespace ecomon
