// The data audit's services (数据审核, issue 19; docs/architecture.md "Data audit"): invalidate, correct,
// flag or restore a station's hours, read their trail, close and reopen months, assign stations to counties.
// The CLI's `ecomon audit ...` and /api/audit/... call these.
//
//   app::AuditChange c{.action = AuditAction::kInvalidate, .station = "2160A",
//                      .first = *app::parse_audit_hour("2019-01-10 01:00"),
//                      .last = *app::parse_audit_hour("2019-01-11 00:00"), .reason = "instrument-fault"};
//   auto r = app::audit_change(stores, who, c);   // StatusOr<app::AuditChangeResult>
//
// Rights: the bureau (admin, analyst) audits every station; a county user only the stations assigned to its
// county (audit assign); every other caller, or a county user on another county's station, is refused with
// kPermissionDenied before anything is written. A change to an hour of a closed month is kFailedPrecondition
// until the month is reopened (with a reason, recorded).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "air/audit_view.h"
#include "app/app.h"
#include "store/api/audit.h"

namespace ecomon::app {

// "2019-01-10 01:00": the hour ending at that time (hours are named by their end; "2019-01-11 00:00" is the
// 24th hour of 2019-01-10, as is "2019-01-10 24:00"). Minutes must be 00.
StatusOr<Hour> parse_audit_hour(std::string_view text);
// The hours and pollutant an adapter's input names: `from`, `to` (empty: from), `pollutant` (empty: all six).
// Errors name the field as the CLI's flags ("--from") or, with query_parameters, as the API's fields
// ("from").
struct AuditRange {
  std::optional<Pollutant> pollutant;
  Hour first, last;
};
StatusOr<AuditRange> parse_audit_range(std::string_view from, std::string_view to, std::string_view pollutant,
                                       bool query_parameters);
// "2019-01".
StatusOr<MonthKey> parse_audit_month(std::string_view text);
std::string month_text(MonthKey m);

// The most hours one change may span (a year of one station's six pollutants: 52,704 versions at most).
inline constexpr int64_t kMaxAuditHours = 366 * 24;

// The changes a user makes, as the CLI's verbs (`ecomon audit NAME`) and the API's POST /api/air/audit/NAME
// name and describe them.
struct AuditVerb {
  std::string_view name;
  AuditAction action;
  std::string_view summary;
};
inline constexpr AuditVerb kAuditVerbs[] = {
    {"invalidate", AuditAction::kInvalidate, "invalidate a station's hours (reason code, note)"},
    {"correct", AuditAction::kCorrect, "correct a station's hours to a value"},
    {"flag", AuditAction::kFlag, "flag a station's hours as an exceptional event (HJ 663-2026)"},
    {"restore", AuditAction::kRestore, "restore a station's hours to their real-time values"}};

struct AuditChange {
  AuditAction action = AuditAction::kInvalidate;  // kInvalidate, kCorrect, kFlag or kRestore
  std::string station;                            // station code
  std::optional<Pollutant> pollutant;             // nullopt: all six
  Hour first, last;                               // inclusive
  std::string reason;  // a code of kAuditReasons (kFlag: exceptional-event only; kRestore: optional)
  std::string note;
  std::optional<Milli> value;  // kCorrect only: the corrected value (thousandths of the unit)
  std::string source = "cli";  // where the change came from: "cli", "http"
};

struct AuditChangeResult {
  std::vector<AuditVersion> recorded;  // the new versions (numbered)
  int64_t unchanged = 0;               // hours the change would not alter (left without a version)
};
StatusOr<AuditChangeResult> audit_change(Stores& stores, const Actor& who, const AuditChange& change);

struct AuditHistoryRequest {
  std::string station;
  std::optional<Pollutant> pollutant;
  Hour first, last;
};
// The hours of the range that have versions (hours without any are left out), by pollutant then hour.
// Readable by the bureau and county users (any station: audited data is public).
StatusOr<std::vector<AuditTrail>> audit_history(Stores& stores, const Actor& who,
                                                const AuditHistoryRequest& r);

// Closes (audited: the month's figures may not change) or reopens (reason required) a month. Bureau only.
Status audit_close_month(Stores& stores, const Actor& who, MonthKey month, const std::string& reason);
Status audit_reopen_month(Stores& stores, const Actor& who, MonthKey month, const std::string& reason);
// The closing history of the months of a year (every month when year is 0).
StatusOr<std::vector<MonthClosing>> audit_months(Stores& stores, const Actor& who, int year);

// The stations of a city the caller may audit, each with its county ("" when assigned to none): the bureau
// every one, a county user those assigned to its county; anyone else kPermissionDenied; a city without
// stations kNotFound. (The audit page offers only these.)
struct AuditableStation {
  StationInfo station;
  std::string county;
};
StatusOr<std::vector<AuditableStation>> audit_stations(Stores& stores, const Actor& who,
                                                       const std::string& city);
// Assigns a station to a county ("" removes it). Bureau only; kNotFound for an unknown station.
Status audit_assign_station(Stores& stores, const Actor& who, const std::string& station,
                            const std::string& county);

}  // namespace ecomon::app
