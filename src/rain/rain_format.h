// The acid-rain assessment of a period as a typed result (each site, and the city when there are several) and
// its renderings: JSON (`ecomon rain assess --format json`, GET /api/rain) and the rows of the table the CLI
// prints. The service (app/quality.h) builds the report.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "rain/acid_rain.h"

namespace ecomon::rain {

struct SiteRow {
  std::string site;  // "全市" for the city
  RainSummary summary;
};
struct RainReport {
  std::string period;
  std::vector<SiteRow> sites;  // by site name, then the city when more than one site has samples
};

nlohmann::json rain_json(const RainReport& r);
// 站点, 样品数, 雨量加权pH, 最低pH, 酸雨频率, 较重酸雨频率, 重酸雨频率, 类别
std::vector<std::vector<std::string>> site_rows(const RainReport& r);

}  // namespace ecomon::rain
