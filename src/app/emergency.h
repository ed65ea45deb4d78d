// Heavy-pollution weather response (重污染天气应急, docs/emergency.md): the services behind `ecomon emergency
// ...` and /api/emergency/... — the reduction list (read, write checked rows), the warnings (history,
// declare, lift, advice from a forecast), the control roster and the list check with what-ifs. The list
// templates are parsed by ingest/emergency_csv.h in the adapter; results are formatted by
// emergency/emergency_format.h.
//
//   auto r = app::control_roster(stores, who, {.county = "泽州县"});   // a county user: its own county only
//   auto ev = app::declare_warning(stores, who, WarningLevel::kOrange, "2020-12-01 12:00", "预测3天AQI>200");
//
// Reads are staff's (admin, analyst, county users); declaring and lifting the bureau's
// (emergency::declaration checks it in the same transaction as the history is read); list rows need
// may_write_county of their county. Every refusal comes before anything is written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/power.h"
#include "core/actor.h"
#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/compliance_period.h"
#include "emergency/list_check.h"
#include "emergency/registry.h"
#include "emergency/warning.h"
#include "store/api/emergency.h"
#include "store/api/stores.h"

namespace ecomon::app {

inline constexpr size_t kMaxWarningReasonBytes = 500;

// The stored list (staff).
StatusOr<emergency::ReductionList> emergency_list(Stores& stores, const Actor& who);
// Writes checked rows (ingest/emergency_csv.h) in one transaction; kPermissionDenied, before anything is
// written, when `who` may not write an entry's county or an inspected entry's county.
StatusOr<ListImportCounts> write_emergency_list(Stores& stores, const Actor& who,
                                                const std::vector<emergency::Enterprise>& entries,
                                                const std::vector<emergency::Inspection>& inspections);

// The warnings history, oldest first (staff).
StatusOr<std::vector<emergency::WarningEvent>> warnings_history(Stores& stores, const Actor& who);
// Declares (or upgrades/downgrades to) `level` from `effective_from`; invalid_argument for a reason longer
// than kMaxWarningReasonBytes; the domain's checks (bureau only, the history's order) otherwise.
StatusOr<emergency::WarningEvent> declare_warning(Stores& stores, const Actor& who,
                                                  emergency::WarningLevel level,
                                                  const std::string& effective_from,
                                                  const std::string& reason);
// Lifts the warning in force.
StatusOr<emergency::WarningEvent> lift_warning(Stores& stores, const Actor& who,
                                               const std::string& effective_from, const std::string& reason);

// What a daily AQI forecast calls for, given the warning in force.
struct WarningAdvice {
  emergency::WarningState in_force;
  emergency::LevelDecision decision;
  emergency::Advice advice;
};
StatusOr<WarningAdvice> warning_advice(Stores& stores, const Actor& who,
                                       const std::vector<emergency::ForecastDay>& forecast,
                                       const emergency::WarningRules& rules);

// The control roster: per county, each enterprise and line, what it must do from when.
struct RosterRequest {
  std::string level;   // default: the warning in force
  std::string from;    // default: since the warning in force
  std::string county;  // one county only (a county user: its own; another is kPermissionDenied)
};
struct Roster {
  emergency::WarningLevel level = emergency::WarningLevel::kNone;
  std::string from;
  std::vector<emergency::RosterEntry> entries;
};
StatusOr<Roster> control_roster(Stores& stores, const Actor& who, const RosterRequest& req);

// The list check of the stored list and, when `what_if` is not empty, of the list as it would be with it.
struct ListCheckResult {
  emergency::ListCheck list;
  std::optional<emergency::ListCheck> what_if;
};
StatusOr<ListCheckResult> check_emergency_list(Stores& stores, const Actor& who,
                                               const emergency::ListCheckParams& params,
                                               const emergency::WhatIf& what_if = {});

// Compliance during a warning (应急减排措施落实核查): every entry of the list judged for `period` (see
// emergency::check_compliance) on its online monitoring as `monitoring` reads it (entries without: on the
// inspections). invalid_argument for no level or an empty period.
StatusOr<ComplianceReport> judge_compliance(Stores& stores, const Actor& who, const CompliancePeriod& period,
                                            const emergency::ComplianceParams& params,
                                            const MonitoringReader& monitoring);
// The same for the period `query` names (defaults from the warnings history: resolve_compliance_period),
// cut to `county` (a county user: its own).
struct ComplianceRequest {
  ComplianceQuery query;
  emergency::ComplianceParams params;
  std::string county;
};
struct Compliance {
  CompliancePeriod period;
  ComplianceReport report;
  // Beside the emission-based verdicts: each metered production line's required cut (限产) judged on its
  // electricity during the warning (app::power_check over period.warning; docs/power.md), cut to the
  // county like the report. Empty for an actor who may not see power data.
  std::vector<PowerCut> power;
};
StatusOr<Compliance> emergency_compliance(Stores& stores, const Actor& who, const ComplianceRequest& req,
                                          const MonitoringReader& monitoring);

// The county a county user is cut to: its own (another named is kPermissionDenied); others see `county` as
// asked (empty: all).
StatusOr<std::string> county_cut(const Actor& who, const std::string& county);

}  // namespace ecomon::app
