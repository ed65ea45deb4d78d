// The JSON results of the CLI's verbs as values, for the HTTP API (src/server): the same code computes
// `ecomon air period --format json` and GET /api/air/period, so the two never drift apart.
//
//   auto j = cli::source_rates("ecomon.db", "2025-11", "hourly");   // StatusOr<nlohmann::json>
//
// Each call opens its own store connections, so calls may run on different threads at once. A failing call
// returns the error the verb would have printed (and prints it on standard error, as the verb does).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/actor.h"
#include "core/status.h"
#include "core/time.h"

namespace ecomon {}  // namespace ecomon

namespace ecomon::cli {

// Kept only for cli/ledger_commands.cc (the targets' rank and pollutant class) until it calls app/air.h's
// air_rank and air_period: `ecomon air hourly|daily|period|rank --format json` over those services (verb one
// of the four; rank ranks every city in the store).
struct AirPeriodQuery {
  int year = 0;
  std::string month, quarter, ytd, date, from, to;
};
StatusOr<nlohmann::json> air_report(const std::string& db, std::string_view verb, const std::string& city,
                                    const std::string& station, const AirPeriodQuery& q);

// `ecomon sources events --from F --to T [--mn MN] --source S --format json` (0 = first record / now;
// source auto, stored or computed).
StatusOr<nlohmann::json> source_events(const std::string& db, int64_t from, int64_t to, const std::string& mn,
                                       const std::string& source = "auto");
// `ecomon sources rates --month M --kind K --format json`.
StatusOr<nlohmann::json> source_rates(const std::string& db, const std::string& month,
                                      const std::string& kind);

// The error of the last verb that failed on this thread (what it printed after "error: ").
Status& last_view_error();

}  // namespace ecomon::cli
