// Formatting of pollution-source monitoring at the edge (the CLI's --format json and the API's bodies are the
// same functions): a stored upload's CP text, a queued downstream command, the events and the monthly
// transmission rates (app/sources.h) as JSON and as the CLI's text.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sources/commands.h"
#include "sources/listings.h"

namespace ecomon {

// "DataTime=...;a21026-Rtd=12.3,a21026-Flag=N;..." -> {"DataTime": "...", "a21026": {"Rtd": "12.3", "Flag":
// "N"}, ...}. Text stored by older versions may hold bytes that are not UTF-8: they become U+FFFD, so that no
// writer of this JSON can fail on them.
nlohmann::json source_cp_json(const std::string& stored_cp);
// A queued downstream command (`ecomon sources commands --format json`, /api/sources/commands).
nlohmann::json source_command_json(const SourceCommand& c);

// `ecomon sources events --format json`; /api/sources/events lists its "events".
nlohmann::json source_events_json(const sources::EventList& l);
// `ecomon sources events`: a heading, the table and the notes.
std::string source_events_text(const sources::EventList& l);

// `ecomon sources rates --format json`; /api/sources/rates lists its "devices".
nlohmann::json source_rates_json(const sources::RateList& l);
// `ecomon sources rates`: a heading, the devices' table, the outlets' and enterprises' (when any), notes.
std::string source_rates_text(const sources::RateList& l);

}  // namespace ecomon
