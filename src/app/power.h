// Power-use monitoring's use case (用电监控, issue 22; docs/power.md): the rules of power/power_rules.h run
// on the stored lines, readings, warnings, reduction list and grid energy for a period:
// - 治污设施未同步运行: a treatment line off while a production line it serves runs;
// - production during a stop order: a production line linked to a reduction-list line whose measure at the
//   warning's level is 停产, running while that warning is in force;
// - the required cut (限产 x %): the production line's mean power during the warning (inside the period)
//   against the baseline days before the warning, with the verdict cutting / not cutting / insufficient data;
// - a closed or 散乱污 site whose meter draws power (the grid company's daily kWh).
//
//   auto r = app::power_check(stores, actor, {.span = {from, to}});
//   for (const power::PowerEvent& e : r->events) ...; for (const app::PowerCut& c : r->cuts) ...
//
// A power line's `enterprise` is matched to the reduction list's entry of that id, or the entry whose
// source_enterprise it is. An enterprise user sees only its own enterprise; a county user the enterprises of
// its county on the list (lines of enterprises not on the list: the bureau only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "power/power_rules.h"
#include "store/api/stores.h"

namespace ecomon::app {

struct PowerCheckRequest {
  sources::TimeSpan span;  // the period judged
  std::string enterprise;  // "" = every enterprise the actor may see
  power::TreatmentParams treatment;
  power::StopParams stop;
  power::CutParams cut;
  power::SiteParams site;
};

// The required cut of one production line during one warning (power/power_rules.h).
using PowerCut = power::LineCut;

struct PowerCheck {
  std::vector<power::PowerEvent> events;  // by rule, then enterprise, line, opening
  std::vector<PowerCut> cuts;
  std::vector<std::string> problems;  // e.g. "E01/P1: reading at 2026-12-01 08:00 is not a number"
};

StatusOr<PowerCheck> power_check(Stores& stores, const Actor& who, const PowerCheckRequest& req);

// Enforcement cases (执法线索): the closed and 散乱污 sites drawing power on the grid company's daily figures
// of the days [from, to] ("YYYY-MM-DD"), above site.max_kwh_per_day (a named parameter, default 5 kWh a
// day), stored as cases (PowerStore::write_cases: idempotent, a re-evaluation changes only what changed:
// a case that closed, a run that grew). The bureau's (all) and a county user's (its county's sites); others
// kPermissionDenied. The caller audits the write (CLI and router).
struct PowerCasesRequest {
  std::string from, to;
  power::SiteParams site;
};
struct PowerCases {
  int64_t found = 0;                          // cases (runs) in the days judged
  int64_t changed = 0;                        // rows added or updated
  std::vector<power::EnforcementCase> cases;  // every case the actor sees, after the write
  std::vector<std::string> problems;
};
StatusOr<PowerCases> evaluate_power_cases(Stores& stores, const Actor& who, const PowerCasesRequest& req,
                                          int64_t now_ms);
// The stored cases the actor sees (the bureau: all; a county user: its county's; others kPermissionDenied).
StatusOr<std::vector<power::EnforcementCase>> power_cases(Stores& stores, const Actor& who);

// The metered lines the actor sees, by line id: the bureau every line; a county user the lines of the
// enterprises of its county on the reduction list; an enterprise user its own (another enterprise named:
// kPermissionDenied); the public kPermissionDenied. `enterprise` "" = every enterprise the actor may see.
StatusOr<std::vector<PowerLineRow>> power_lines(Stores& stores, const Actor& who,
                                                const std::string& enterprise);

struct PowerReadingsRequest {
  std::string enterprise, line;  // one of them (both: the line, which must be the enterprise's)
  sources::TimeSpan span;
};
// The readings of a line, or of every line of an enterprise, whose interval starts in the span, by line then
// time. kInvalidArgument when neither is named; kNotFound for a line the actor may not see or that is not
// stored.
StatusOr<std::vector<PowerReadingRow>> power_readings(Stores& stores, const Actor& who,
                                                      const PowerReadingsRequest& req);

// A live power event the gateway stored (source_events, kinds treatment_not_running and
// production_during_stop), with the line it is about: the treatment line (related: the production line)
// or the production line under the stop order.
struct PowerEventView {
  std::string kind, enterprise, line, related, mn;
  sources::SourceTime opened;
  std::optional<sources::SourceTime> closed;
  std::string kw, running_kw;  // the line's kW at the reading that made it an event, its threshold
};
struct PowerEventsRequest {
  sources::TimeSpan span;  // events open at some time in it
  std::string enterprise;  // "" = every enterprise the actor may see
  bool open_only = false;
};
// By opening, then key; only events of lines the actor sees (power_lines).
StatusOr<std::vector<PowerEventView>> power_events(Stores& stores, const Actor& who,
                                                   const PowerEventsRequest& req);

// The stop orders of the warnings overlapping `span`, for every metered production line linked to a list
// line whose measure at the warning's level is 停产 (the live events' view: no actor; given to the gateway
// by the composition root, LiveEventOptions::stop_orders). A warning still in force ends far ahead.
StatusOr<std::vector<power::StopOrder>> power_stop_orders(Stores& stores, sources::TimeSpan span);

}  // namespace ecomon::app
