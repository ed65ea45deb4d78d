#include "standards/pollutant.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace ecomon {

std::string_view pollutant_code(Pollutant p) {
  static constexpr std::array<std::string_view, kPollutantCount> kCodes = {"SO2",   "NO2", "PM10",
                                                                           "PM2.5", "CO",  "O3"};
  return kCodes[static_cast<size_t>(index_of(p))];
}

std::optional<Pollutant> parse_pollutant(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (t == "PM25" || t == "PM2_5") t = "PM2.5";
  for (Pollutant p : kAllPollutants) {
    if (pollutant_code(p) == t) return p;
  }
  return std::nullopt;
}

std::string_view pollutant_unit(Pollutant p) { return p == Pollutant::kCO ? "mg/m3" : "ug/m3"; }

int report_decimals(Pollutant p) { return p == Pollutant::kCO ? 1 : 0; }

std::string normalise_rule_id(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c != ' ' && c != '_') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace ecomon
