// The wall clock, read in one place for the adapters (CLI verbs, HTTP handlers) and the services that default
// a period to "now": the current civil (Beijing) time and the current UTC time in milliseconds. Everything
// below the services takes the time as a value (sources::SourceTime, milliseconds), so tests pass their own.
//
//   sources::TimeSpan last_day{app::civil_now() - sources::kSecondsPerDay, app::civil_now()};
//   auto c = app::evaluate_power_cases(stores, who, req, app::now_ms());
#pragma once

#include <cstdint>

#include "sources/record.h"

namespace ecomon::app {

sources::SourceTime civil_now();  // the system clock as Beijing civil time, to the second
int64_t now_ms();                 // the system clock, UTC milliseconds since the Unix epoch

}  // namespace ecomon::app
