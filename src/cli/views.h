// The JSON results of the CLI's verbs as values, for the HTTP API (src/server): the same code computes
// `ecomon water assess --format json` and GET /api/water/sections, so the two never drift apart.
//
//   auto j = cli::quality_assessment("ecomon.db", "water", "2025");   // StatusOr<nlohmann::json>
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

// The period the air verbs' options name: exactly one of year, month (YYYY-MM), quarter (YYYY-Qn), ytd (as of
// YYYY-MM-DD), date, or from and to (`ecomon air period --year ...`).
struct AirPeriodQuery {
  int year = 0;
  std::string month, quarter, ytd, date, from, to;
};
StatusOr<DayRange> air_period(const AirPeriodQuery& q);
// `ecomon air hourly|daily|period|rank --city C [--station S] <period> --format json`: verb is one of those
// four. Rank ranks every city in the store; an error of one city leaves it out (as the CLI does with exit
// code 1).
StatusOr<nlohmann::json> air_report(const std::string& db, std::string_view verb, const std::string& city,
                                    const std::string& station, const AirPeriodQuery& q);

// `ecomon water|groundwater|noise|rain assess --period P --format json` (not stored in q_result).
StatusOr<nlohmann::json> quality_assessment(const std::string& db, std::string_view kind,
                                            const std::string& period);
// `ecomon targets status --city C --as-of D --format json` with the default targets.
StatusOr<nlohmann::json> targets_status(const std::string& db, const std::string& city,
                                        const std::string& as_of);
// `ecomon sources events --from F --to T [--mn MN] --source S --format json` (0 = first record / now;
// source auto, stored or computed).
StatusOr<nlohmann::json> source_events(const std::string& db, int64_t from, int64_t to, const std::string& mn,
                                       const std::string& source = "auto");
// `ecomon sources rates --month M --kind K --format json`.
StatusOr<nlohmann::json> source_rates(const std::string& db, const std::string& month,
                                      const std::string& kind);
// `ecomon ledger tasks [--plan P] [--unit U] [--status S] [--overdue] [--as-of D] --format json` and the
// reports; `reader` (the API's caller) keeps only the tasks it may read (task_readable_by,
// ledger/tracking.h).
struct LedgerQuery {
  std::string dir, as_of, unit, plan, status, format = "table";
  bool overdue_only = false;
  std::optional<Actor> reader;
};
StatusOr<nlohmann::json> ledger_tasks(const std::string& db, const LedgerQuery& q);
// `ecomon ledger show ID --as-of D --format json`; PermissionDenied when `reader` may not read the task.
StatusOr<nlohmann::json> ledger_task(const std::string& db, const std::string& id, const std::string& as_of,
                                     const std::optional<Actor>& reader);
// `ecomon ledger report overdue|scorecard --as-of D [--plan P] --format json` (q.as_of required).
StatusOr<nlohmann::json> ledger_report(const std::string& db, std::string_view kind, const LedgerQuery& q);

// The error of the last verb that failed on this thread (what it printed after "error: ").
Status& last_view_error();

}  // namespace ecomon::cli
