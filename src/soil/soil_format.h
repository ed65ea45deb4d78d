// Renders the soil services' typed results (app/soil.h) for people and programs: the tables of `ecomon soil
// assess|plots` (aligned text or CSV) and their JSON, which is also GET /api/soil's body. One place, so the
// CLI's `--format json` and the API never drift apart.
//
//   std::cout << soil::survey_text(report, /*csv=*/false);       // points, counts per county, both rates
//   nlohmann::json j = soil::survey_json(report);                // {"county", "points", "summary", "rates"}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "soil/rates.h"
#include "soil/survey.h"

namespace ecomon::soil {

// `soil assess`: the stored points of a county ("" = all), each judged, the counts per county and both rates.
struct SurveyReport {
  std::string county;
  std::vector<SoilPoint> points;
  std::vector<PointAssessment> results;  // one per point
  std::vector<SurveySummary> summary;    // per county, then the whole (county "")
  SafeUseRate farmland_rate, plot_rate;
  int64_t farmland_target_percent = kSafeUseTargetPercent, plot_target_percent = kSafeUseTargetPercent;
  // Points that could not be judged (the verb exits 1 when there are any).
  int64_t not_judged() const { return summary.empty() ? 0 : summary.back().not_judged; }
};

// A development-land plot as registered (keys as stored: planned use class1|class2|unclear, the status key).
struct PlotEntry {
  std::string plot, name, county, planned_use, area, status;
  bool redeveloped = false;
};
// `soil plots`: the plot registry of a county ("" = all) and 污染地块安全利用率.
struct PlotReport {
  std::string county;
  std::vector<PlotEntry> plots;
  SafeUseRate rate;
  int64_t target_percent = kSafeUseTargetPercent;
};

nlohmann::json survey_json(const SurveyReport& r);
// The points' and the counts' tables (CSV blocks with `csv`), then, as a table, both rates.
std::string survey_text(const SurveyReport& r, bool csv);

nlohmann::json plots_json(const PlotReport& r);
std::string plots_text(const PlotReport& r, bool csv);

}  // namespace ecomon::soil
