// Error messages in the caller's language: the API writes them in English; for a caller whose language is
// Chinese (ApiRequest::lang "zh") the router puts the Chinese text in error.message and keeps the English in
// error.message_en. The translations are patterns over the messages the router and the common parameter
// checks write ("query parameter 'year' is required" -> "缺少查询参数 'year'"); a message no pattern knows
// stays English.
//
// Internal to src/server.
#pragma once

#include <optional>
#include <string>

namespace ecomon::server {

// The Chinese text of an English API message, or nullopt when no pattern knows it.
std::optional<std::string> message_zh(const std::string& english);

}  // namespace ecomon::server
