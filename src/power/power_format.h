// Power-use results as JSON and text (CLI and API alike, docs/power.md): the required cuts' verdicts
// (beside the emission-based compliance, `ecomon emergency compliance`, /api/emergency/compliance) and the
// rules' events. kW and percentages are exact decimals rounded half-even to one place, as text.
//
//   j["power"] = power::cuts_json(cuts);            // [{"line": "E01/P2", "baseline_kw": "200.0", ...}]
//   row.push_back(power::cut_summary(cut));         // "E01/P2 球团 200.0→160.0 kW -20.0%/30% not_cutting"
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "power/power_rules.h"

namespace ecomon::power {

// "200.0" (kW) or "" when absent; a fraction as a percentage "20.0" ("" when absent).
std::string kw_text(const std::optional<Rational>& kw);
std::string percent_text(const std::optional<Rational>& fraction);

// {"enterprise", "line", "list_line", "level", "from", "to", "baseline_kw", "during_kw", "cut_percent",
//  "required_percent", "verdict", "baseline_readings", "during_readings"}; absent figures are null.
nlohmann::json cut_json(const LineCut& c);
nlohmann::json cuts_json(const std::vector<LineCut>& cuts);
std::string cut_summary(const LineCut& c);
// Beside the emission-based compliance: each item of `enterprises` (compliance_json's, keyed "enterprise" by
// the reduction list's id) gets "power": the cuts of its lines (list_enterprise), [] when none.
void attach_cuts(nlohmann::json& enterprises, const std::vector<LineCut>& cuts);

nlohmann::json event_json(const PowerEvent& e);
// {"site", "name", "county", "meter", "status", "opened", "closed" (null while open), "days",
//  "threshold_kwh", "found_ms", "updated_ms"}
nlohmann::json case_json(const EnforcementCase& c);
nlohmann::json cases_json(
    const std::vector<EnforcementCase>& cases);  // {"rule", "enterprise", "line", "related", "opened", ...}

}  // namespace ecomon::power
