// The period of a compliance check (应急减排措施落实核查) and its result over the whole list: which warning,
// against which baseline, and every entry's verdict. The period comes from the warnings history unless the
// caller names it; the data are gathered by the store side (store/emergency/compliance_data.h) and judged by
// check_compliance (emergency/compliance.h); emergency_format.h's compliance_json prints it.
//
//   auto p = resolve_compliance_period(history, {.level = "orange"});   // defaults: the last warning
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/warning.h"
#include "sources/record.h"

namespace ecomon {

struct CompliancePeriod {
  emergency::WarningLevel level = emergency::WarningLevel::kNone;
  sources::TimeSpan warning;   // [begin, end) civil time
  sources::TimeSpan baseline;  // [begin, end)
};

struct ComplianceReport {
  std::vector<emergency::ComplianceResult> results;  // by enterprise id
  int64_t records = 0;                               // hourly uploads read
  int64_t undecodable = 0;            // stored uploads the codec could not read again (not used)
  std::vector<std::string> problems;  // e.g. "JC001: source enterprise E99 is not in the source registry"
};

// What a compliance check asks (CLI options, API query parameters); empty fields take the defaults.
struct ComplianceQuery {
  std::string level;     // default: the highest level the last warning reached
  std::string from, to;  // "YYYY-MM-DD hh:mm"; default: the last warning's declaration, lift
  std::string baseline_from,
      baseline_to;  // default: as long before `from` as the warning lasted, up to `from`
};

// The period `q` names, defaults from the warnings history (oldest first). failed_precondition when the
// history has no finished warning and `q` does not give level, from and to; invalid_argument for a bad time,
// a bad level or an empty period.
StatusOr<CompliancePeriod> resolve_compliance_period(const std::vector<emergency::WarningEvent>& history,
                                                     const ComplianceQuery& q);

// Enterprises flagged: not cutting as required, or found so by an inspection.
int flagged_count(const ComplianceReport& r);

// A source enterprise's online monitoring over a check's two periods: its gas outlets' devices with their
// hourly records (the source registry and the stored HJ 212 uploads: store/emergency/compliance_data.h).
struct MonitoredSeries {
  bool registered = true;  // the source enterprise is in the source registry
  std::vector<emergency::DeviceSeries> devices;
  int64_t records = 0;      // hourly uploads read
  int64_t undecodable = 0;  // ... that the codec could not read again
};
using MonitoringReader = std::function<StatusOr<MonitoredSeries>(const std::string& source_enterprise,
                                                                 const CompliancePeriod& period)>;

}  // namespace ecomon
