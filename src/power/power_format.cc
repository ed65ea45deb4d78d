#include "power/power_format.h"

namespace ecomon::power {

std::string kw_text(const std::optional<Rational>& kw) {
  return kw ? round_half_even(*kw, 1).to_string() : std::string();
}

std::string percent_text(const std::optional<Rational>& fraction) {
  constexpr int64_t kPercent = 100;
  return fraction ? round_half_even(Rational{fraction->num * kPercent, fraction->den}, 1).to_string()
                  : std::string();
}

namespace {
nlohmann::json or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }
}  // namespace

nlohmann::json cut_json(const LineCut& c) {
  const CutCompliance& v = c.compliance;
  return {{"enterprise", c.enterprise},
          {"line", c.line},
          {"list_line", c.list_line},
          {"level", c.level},
          {"from", c.during.begin.to_string()},
          {"to", c.during.end.to_string()},
          {"baseline_kw", or_null(kw_text(v.baseline_kw))},
          {"during_kw", or_null(kw_text(v.during_kw))},
          {"cut_percent", or_null(percent_text(v.achieved_cut))},
          {"required_percent", v.required_percent},
          {"verdict", std::string(cut_verdict_name(v.verdict))},
          {"baseline_readings", v.baseline.readings},
          {"during_readings", v.during.readings}};
}

nlohmann::json cuts_json(const std::vector<LineCut>& cuts) {
  nlohmann::json out = nlohmann::json::array();
  for (const LineCut& c : cuts) out.push_back(cut_json(c));
  return out;
}

std::string cut_summary(const LineCut& c) {
  const CutCompliance& v = c.compliance;
  auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  return c.line + " " + c.list_line + " " + or_dash(kw_text(v.baseline_kw)) + "→" +
         or_dash(kw_text(v.during_kw)) + " kW " + or_dash(percent_text(v.achieved_cut)) + "%/" +
         std::to_string(v.required_percent) + "% " + std::string(cut_verdict_name(v.verdict));
}

void attach_cuts(nlohmann::json& enterprises, const std::vector<LineCut>& cuts) {
  for (nlohmann::json& e : enterprises) {
    nlohmann::json mine = nlohmann::json::array();
    for (const LineCut& c : cuts) {
      if (e.contains("enterprise") && e["enterprise"] == c.list_enterprise) mine.push_back(cut_json(c));
    }
    e["power"] = std::move(mine);
  }
}

nlohmann::json event_json(const PowerEvent& e) {
  return {{"rule", e.rule},
          {"enterprise", e.enterprise},
          {"line", e.line},
          {"related", e.related},
          {"opened", e.opened.to_string()},
          {"closed", e.closed ? nlohmann::json(e.closed->to_string()) : nlohmann::json()},
          {"readings", e.readings}};
}

nlohmann::json case_json(const EnforcementCase& c) {
  return {{"site", c.site},
          {"name", c.name},
          {"county", c.county},
          {"meter", c.meter},
          {"status", c.status},
          {"opened", c.opened},
          {"closed", or_null(c.closed)},
          {"days", c.days},
          {"threshold_kwh", c.threshold_kwh},
          {"found_ms", c.found_ms},
          {"updated_ms", c.updated_ms}};
}

nlohmann::json cases_json(const std::vector<EnforcementCase>& cases) {
  nlohmann::json out = nlohmann::json::array();
  for (const EnforcementCase& c : cases) out.push_back(case_json(c));
  return out;
}

}  // namespace ecomon::power
