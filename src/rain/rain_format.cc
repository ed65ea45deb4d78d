#include "rain/rain_format.h"

#include <nlohmann/json.hpp>

#include "standards/water/exact.h"

namespace ecomon::rain {

std::vector<std::vector<std::string>> site_rows(const RainReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (const SiteRow& s : r.sites) {
    const RainSummary& x = s.summary;
    rows.push_back({s.site, std::to_string(x.samples), x.mean_ph.to_string(), exact::to_string(x.min_ph),
                    x.frequency_percent.to_string() + "%", x.heavier_frequency_percent.to_string() + "%",
                    x.heavy_frequency_percent.to_string() + "%", std::string(city_class_name(x.city_class))});
  }
  return rows;
}

nlohmann::json rain_json(const RainReport& r) {
  nlohmann::json j = {{"period", r.period}};
  for (const SiteRow& s : r.sites) {
    const RainSummary& x = s.summary;
    j["sites"].push_back({{"site", s.site},
                          {"samples", x.samples},
                          {"mean_ph", x.mean_ph.to_string()},
                          {"min_ph", exact::to_string(x.min_ph)},
                          {"acid_frequency_percent", x.frequency_percent.to_string()},
                          {"heavier_frequency_percent", x.heavier_frequency_percent.to_string()},
                          {"heavy_frequency_percent", x.heavy_frequency_percent.to_string()},
                          {"class", std::string(city_class_name(x.city_class))}});
  }
  return j;
}

}  // namespace ecomon::rain
