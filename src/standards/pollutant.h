// The six pollutants of GB 3095 Table 1 that the AQI and the annual assessment use, with their units and the
// precision concentrations are reported at (HJ 633-2026 4.2.2 / HJ 663: integers in ug/m3, CO one decimal in
// mg/m3).
//
//   for (Pollutant p : kAllPollutants) std::cout << pollutant_code(p) << " " << pollutant_unit(p);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ecomon {

enum class Pollutant : uint8_t { kSO2 = 0, kNO2, kPM10, kPM25, kCO, kO3 };
inline constexpr int kPollutantCount = 6;
inline constexpr std::array<Pollutant, kPollutantCount> kAllPollutants = {
    Pollutant::kSO2, Pollutant::kNO2, Pollutant::kPM10, Pollutant::kPM25, Pollutant::kCO, Pollutant::kO3};

constexpr int index_of(Pollutant p) { return static_cast<int>(p); }

// "SO2", "NO2", "PM10", "PM2.5", "CO", "O3" (the centre's spelling).
std::string_view pollutant_code(Pollutant p);
// Accepts the centre's spelling and common variants ("PM25", "pm2.5", "O3").
std::optional<Pollutant> parse_pollutant(std::string_view text);
// "ug/m3" or "mg/m3" (CO).
std::string_view pollutant_unit(Pollutant p);
// Decimal places concentrations are reported at: 0, CO 1.
int report_decimals(Pollutant p);

// A rule-set id as typed by a person, made comparable: upper case, no spaces or underscores ("hj 633-2012" ->
// "HJ633-2012").
std::string normalise_rule_id(std::string_view id);

}  // namespace ecomon
