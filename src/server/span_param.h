// The period of the time-window endpoints (/api/dust, /api/power, /api/enterprises/{id}/networks): the query
// parameters `from` and `to` in civil (Beijing) time, the uploads' DataTime clock. Internal to src/server.
#pragma once

#include <cstdint>

#include "server/api.h"
#include "sources/record.h"

namespace ecomon::server {

// `from` and `to` ("YYYY-MM-DD hh:mm[:ss]" or with a T; `to` exclusive) as a span, the `default_window_s`
// before now when absent; an error names the parameter ("from: ...").
StatusOr<sources::TimeSpan> span_param(const ApiRequest& req, int64_t default_window_s);

}  // namespace ecomon::server
