// Renders the data audit's results (app/audit.h) for people and programs: the versions a change recorded,
// the hours' trails and the months' closings, as JSON (the CLI's --format json and the API's bodies) and text
// tables. Times are Beijing time (UTC+8), "2019-01-10 09:30:00"; values in the pollutant's unit.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "air/audit_view.h"

namespace ecomon {

std::string audit_time_text(int64_t ms);  // Beijing time
nlohmann::json audit_version_json(const AuditVersion& v, const std::string& station_code);
// {"station", "recorded": [...], "unchanged": n}
nlohmann::json audit_change_json(const std::string& station_code, const std::vector<AuditVersion>& recorded,
                                 int64_t unchanged);
// {"station", "hours": [{"pollutant", "hour", "realtime", "audited", "state", "exceptional", "month_closed",
// "versions": [...]}]}
nlohmann::json audit_trails_json(const std::string& station_code, const std::vector<AuditTrail>& trails);
nlohmann::json month_closings_json(const std::vector<MonthClosing>& closings);

std::string audit_change_table(const std::string& station_code, const std::vector<AuditVersion>& recorded,
                               int64_t unchanged);
std::string audit_trails_table(const std::vector<AuditTrail>& trails);
std::string month_closings_table(const std::vector<MonthClosing>& closings);

}  // namespace ecomon
