// Formatting of pollution-source monitoring at the edge (the CLI's --format json and the API's bodies are the
// same functions): a stored upload's CP text and a queued downstream command as JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sources/commands.h"

namespace ecomon {

// "DataTime=...;a21026-Rtd=12.3,a21026-Flag=N;..." -> {"DataTime": "...", "a21026": {"Rtd": "12.3", "Flag":
// "N"}, ...}. Text stored by older versions may hold bytes that are not UTF-8: they become U+FFFD, so that no
// writer of this JSON can fail on them.
nlohmann::json source_cp_json(const std::string& stored_cp);
// A queued downstream command (`ecomon sources commands --format json`, /api/sources/commands).
nlohmann::json source_command_json(const SourceCommand& c);

}  // namespace ecomon
