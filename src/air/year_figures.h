// The figures of a city's air year that the annual bulletin reports (report/bulletin.h), as typed values:
// gathered by app/bulletin.h through the air services, rendered by src/report. Each figure stands for the
// command line the bulletin's footnote names (`ecomon air annual|period|daily ... --format json`).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "air/assessment.h"
#include "core/status.h"

namespace ecomon {

struct AirYearFigures {
  // `ecomon air annual --city C --year Y`: the assessment and the change from last year; the error when none.
  std::optional<PeriodAssessment> annual;
  std::optional<YearOnYear> annual_year_on_year;
  Status annual_error;
  // `ecomon air annual --city C --year Y-1` (nullopt: none).
  std::optional<PeriodAssessment> previous;
  // `ecomon air period --city C --month Y-MM` of the year and of the year before (nullopt: none).
  std::array<std::optional<PeriodAssessment>, 12> months, previous_months;
  // `ecomon air daily --city C --year Y`: the days; the error when none.
  std::optional<std::vector<DayReport>> daily;
  Status daily_error;
};

}  // namespace ecomon
