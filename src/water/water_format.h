// The surface-water and groundwater assessments of a period as typed results, and their renderings for
// people and programs: JSON (`ecomon water|groundwater assess --format json`, GET /api/water/sections and
// /api/groundwater/wells), CSV and aligned text tables. The services (app/quality.h) build the reports; the
// CLI and the API format them here, so that the two agree byte for byte.
//
//   auto report = app::water_assessment(stores, who, period);        // StatusOr<water::WaterReport>
//   std::cout << json_text(water::water_json(*report, vocab), 2) << "\n";
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "standards/water/gb14848.h"
#include "water/assessment.h"
#include "water/hourly.h"

namespace ecomon::water {

struct SectionRow {
  SectionAssessment current;
  std::optional<WaterClass> previous_class;  // the same months a year before
  std::optional<Change> change;
};
struct RiverRow {
  RiverAssessment current;
  std::optional<Change> change;
};
struct WaterReport {
  std::string period, first_month, last_month;  // the period's label and its months (YYYY-MM)
  AssessParams params;
  std::vector<SectionRow> sections;       // in registry order
  std::vector<RiverRow> rivers;           // by river name
  std::vector<SourceCompliance> sources;  // drinking-water sources and the city ("" source); empty: no sample
};

nlohmann::json water_json(const WaterReport& r, Vocabulary v);
// The tables (sections, rivers, drinking-water sources) as text, or as CSV blocks.
std::string water_text(const WaterReport& r, bool csv, Vocabulary v);

// An automatic station's hours (`ecomon water hourly`, GET /api/water/hourly): JSON with "hours", each with
// its class, status, determining items and every item (value as stored, unit, class, evaluated); as text or
// CSV one row per hour and item: 时间, 项目, 值, 单位, 类别, 参评, 小时类别.
nlohmann::json water_hourly_json(const WaterHourly& h);
std::string water_hourly_text(const WaterHourly& h, bool csv);

}  // namespace ecomon::water

namespace ecomon::groundwater {

struct WellRow {
  std::string name, county;
  size_t indicators = 0;  // indicators with a value in the period
  WellResult result;
  std::optional<FValue> f;
};
struct GroundwaterReport {
  std::string period;
  std::vector<WellRow> wells;  // in registry order
};

nlohmann::json groundwater_json(const GroundwaterReport& r);
std::string groundwater_text(const GroundwaterReport& r, bool csv);

}  // namespace ecomon::groundwater
