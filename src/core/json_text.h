// The one JSON writer of the platform: every JSON that ecomon prints, serves or stores goes through
// json_text. It cannot throw on bad bytes: a string that is not UTF-8 (text stored by an older version,
// before the boundaries refused it) is written with each ill-formed part replaced by U+FFFD.
//
//   std::cout << json_text(j, 2) << "\n";       // pretty, as the CLI prints it
//   res.body = json_text(reply);                // compact, as the API serves it
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace ecomon {

// indent < 0: compact; otherwise pretty with that many spaces. Never throws on string content.
std::string json_text(const nlohmann::json& j, int indent = -1);

}  // namespace ecomon
