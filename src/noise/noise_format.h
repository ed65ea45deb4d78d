// The noise assessment of a period as a typed result (functional-zone compliance, regional and road-traffic
// grades) and its renderings: JSON (`ecomon noise assess --format json`, GET /api/noise) and the rows of the
// two tables the CLI prints. The service (app/quality.h) builds the report.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "noise/hourly.h"
#include "noise/noise.h"

namespace ecomon::noise {

struct GradeRow {
  bool road = false;  // road traffic; else regional
  DayPart part = DayPart::kDay;
  GradedValue graded;
};
struct NoiseReport {
  std::string period;
  ZoneCompliance zones;
  std::vector<GradeRow> grades;  // day regional, day road, night regional, night road (those with data)
};

nlohmann::json noise_json(const NoiseReport& r);
// 功能区, 时段, 达标点次/监测点次, 达标率: each zone, then all zones by day and by night.
std::vector<std::vector<std::string>> zone_rows(const NoiseReport& r);
// 类型, 时段, 等效声级dB(A), 等级, 评价
std::vector<std::vector<std::string>> grade_rows(const NoiseReport& r);

// A noise station's hours (`ecomon noise hourly`, GET /api/noise/hourly): JSON with "hours", each with its
// L_eq, part of the day, the zone's limit and compliance, and every index stored; as text or CSV one row
// per hour: 时间, 时段, Leq dB(A), 限值, 达标, 其他指标.
nlohmann::json noise_hourly_json(const NoiseHourly& h);
std::string noise_hourly_text(const NoiseHourly& h, bool csv);

}  // namespace ecomon::noise
