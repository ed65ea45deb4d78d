// Renders air results for people and programs: JSON (the documented, stable interface of docs/air-json.md),
// CSV and aligned text tables. Used by the CLI and the HTTP API.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "air/assessment.h"
#include "air/city_data.h"

namespace ecomon {

enum class OutputFormat : uint8_t { kTable, kCsv, kJson };
StatusOr<OutputFormat> parse_output_format(std::string_view text);

nlohmann::json to_json(const PeriodAssessment& a, const RuleChoice& choice,
                       const std::optional<YearOnYear>& yoy);
nlohmann::json day_to_json(const DayReport& d);
nlohmann::json hour_to_json(const HourReport& h);
nlohmann::json ranking_to_json(const std::vector<RankRow>& rows, DayRange range);

std::string period_table(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy);
std::string period_csv(const PeriodAssessment& a, const std::optional<YearOnYear>& yoy);
std::string days_table(const std::vector<DayReport>& days);
std::string days_csv(const std::vector<DayReport>& days);
std::string hours_table(const std::vector<HourReport>& hours);
std::string hours_csv(const std::vector<HourReport>& hours);
std::string ranking_table(const std::vector<RankRow>& rows, DayRange range);
std::string ranking_csv(const std::vector<RankRow>& rows);

}  // namespace ecomon
