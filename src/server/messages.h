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

// The Chinese text of a "reason" the emergency module writes (the forecast advice, a compliance verdict),
// part by part ("; " separates parts): "3 days > 200 (2026-12-07..2026-12-09), 1 of them > 300" ->
// "2026-12-07 至 2026-12-09 连续 3 天 AQI > 200, 其中 1 天 > 300"; nullopt when a part is not known.
std::optional<std::string> reason_zh(const std::string& english);

}  // namespace ecomon::server
