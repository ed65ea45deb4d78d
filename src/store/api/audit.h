// AuditStore: the data audit (数据审核, issue 19) of the hourly observations. The time series keeps every
// value as it was imported or uploaded (the real-time view); the audit is a layer of versions on top of it,
// kept with the records (SQLite: the store file; the cluster: PostgreSQL), and overlaid on the time series at
// read time (air/audit_view.h). docs/architecture.md, "Data audit", says why.
//
//   AuditStore& a = stores.audit();
//   AuditVersion v{.station_id = 7, .pollutant = Pollutant::kPM25, .hour = h, .action =
//   AuditAction::kInvalidate,
//                  .reason = "instrument-fault", .note = "...", .who = "zhang"};
//   ECOMON_RETURN_IF_ERROR(a.append({&v, 1}));                  // version numbers are the store's
//   auto trail = a.versions({}, h, h);                          // every station's versions of that hour
//
// Thread safety: that of the Stores it came from (one thread at a time).
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "standards/pollutant.h"

namespace ecomon {

// What a version does to the value of its (station, pollutant, hour).
enum class AuditAction : uint8_t {
  kInvalidate,  // the hour has no valid value (value kMissing)
  kCorrect,     // the hour's value is `value`
  kRestore,     // back to the real-time value: every earlier version is undone
  kFlag,        // an exceptional event (例外事件, HJ 663-2026): the value stays, the hour is marked
  kRepublish,   // the national centre republished the hour: `value`, from `source` (a file)
};
inline constexpr std::string_view kAuditActionNames[] = {"invalidate", "correct", "restore", "flag",
                                                         "republish"};
inline std::string_view audit_action_name(AuditAction a) { return kAuditActionNames[static_cast<size_t>(a)]; }
inline std::optional<AuditAction> parse_audit_action(std::string_view s) {
  for (size_t i = 0; i < std::size(kAuditActionNames); ++i)
    if (kAuditActionNames[i] == s) return static_cast<AuditAction>(i);
  return std::nullopt;
}

// The reason codes of issue 19 (and "republished" for kRepublish, which no user gives).
inline constexpr std::string_view kAuditReasons[] = {
    "instrument-fault",   "calibration",       "maintenance", "power-cut",
    "communication-loss", "exceptional-event", "other"};
inline constexpr std::string_view kReasonRepublished = "republished";
inline constexpr std::string_view kReasonExceptionalEvent = "exceptional-event";
inline bool is_audit_reason(std::string_view s) {
  for (std::string_view r : kAuditReasons)
    if (r == s) return true;
  return false;
}

struct AuditVersion {
  int64_t station_id = 0;
  Pollutant pollutant = Pollutant::kSO2;
  Hour hour;
  int64_t version = 0;  // 1, 2, ... per (station, pollutant, hour); set by append()
  AuditAction action = AuditAction::kInvalidate;
  Milli value = kMissing;  // kCorrect, kRepublish: the new value
  Milli previous =
      kMissing;        // the audited value before this version (the trail's "old"), as the caller saw it
  std::string reason;  // one of kAuditReasons, or kReasonRepublished; may be empty for kRestore
  std::string note;
  std::string source;  // where the value came from: "cli", "http", a republished file's path
  std::string who;     // Actor::user
  int64_t at_ms = 0;   // when it was recorded (ms since the epoch, UTC); 0 in append(): now
};

// A month closed (audited) or reopened: the closing history of a month, oldest first.
struct MonthClosing {
  MonthKey month;
  bool closed = true;  // false: a reopening
  std::string who, reason;
  int64_t at_ms = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends the versions in one transaction, numbering each after the last of its key (AuditVersion::version
  // and at_ms are set in `versions`). kFailedPrecondition, and nothing stored, when an hour lies in a closed
  // month (the message names the month).
  virtual Status append(std::span<AuditVersion> versions) = 0;
  // The versions of hours first..last (inclusive) of the given stations (every station when empty), ordered
  // by station, pollutant, hour and version.
  virtual StatusOr<std::vector<AuditVersion>> versions(std::span<const int64_t> stations, Hour first,
                                                       Hour last) = 0;
  // How many versions are stored in all: 0 means the audited view is the real-time one (the overlay then
  // reads nothing more).
  virtual StatusOr<int64_t> version_count() = 0;

  // Closes (`closing.closed`) or reopens a month; kFailedPrecondition when it is already in that state (a
  // month never closed is open).
  virtual Status set_month_closed(const MonthClosing& closing) = 0;
  // The closing history of the months first..last (every month when both are nullopt), by month then time.
  virtual StatusOr<std::vector<MonthClosing>> month_closings(std::optional<MonthKey> first,
                                                             std::optional<MonthKey> last) = 0;

  // Which county (区县) a station belongs to, for the role rule (county users audit only their county's
  // stations): the centre's station list does not say, so the bureau assigns it. "" removes it.
  virtual Status set_station_county(const std::string& station_code, const std::string& county) = 0;
  // "" when none is assigned.
  virtual StatusOr<std::string> station_county(const std::string& station_code) = 0;
};

}  // namespace ecomon
