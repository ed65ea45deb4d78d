// The emergency module's results as JSON documents and as tables (rendered as aligned text or CSV): what
// `ecomon emergency ... --format table|csv|json` prints, and what an HTTP API can serve unchanged.
//
//   nlohmann::json j = emergency::to_json(check);            // docs/emergency.md "JSON"
//   emergency::Table t = emergency::list_check_table(check);
//   std::cout << t.render_text();                             // or t.render_csv()
//
// Emissions are printed in kg/d with 3 decimals (exact), shares in % with 2 decimals.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emergency/compliance.h"
#include "emergency/compliance_period.h"
#include "emergency/list_check.h"
#include "emergency/warning.h"

namespace ecomon::emergency {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string render_text() const;
  std::string render_csv() const;
};

nlohmann::json to_json(const ListCheck& c);
nlohmann::json to_json(const std::vector<WarningEvent>& history);
nlohmann::json to_json(const LevelDecision& d, const Advice& a, const WarningState& in_force);
nlohmann::json to_json(const std::vector<RosterEntry>& roster);
nlohmann::json to_json(const std::vector<ComplianceResult>& results);

// Per level and pollutant: baseline, at level, reduction, share, required, reached.
Table list_check_table(const ListCheck& c);
// Per level: the carriers (largest first) with their reductions, at most `top` per level (0: all).
Table carriers_table(const ListCheck& c, size_t top);
Table warnings_table(const std::vector<WarningEvent>& history);
Table roster_table(const std::vector<RosterEntry>& roster);
Table compliance_table(const std::vector<ComplianceResult>& results);

}  // namespace ecomon::emergency

namespace ecomon {

// {"level", "warning": {from,to}, "baseline": {from,to}, "records", "undecodable", "problems", "flagged",
//  "enterprises": [...]} — what `ecomon emergency compliance --format json` prints and the API returns.
nlohmann::json compliance_json(const CompliancePeriod& p, const ComplianceReport& r);

}  // namespace ecomon
