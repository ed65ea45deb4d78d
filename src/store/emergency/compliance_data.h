// Compliance of the listed enterprises during a warning, from what the store holds: the emergency list and
// inspections (EmergencyStore), the pollution-source registry (SourceRegistryStore: an entry's
// `source_enterprise` names its enterprise there, whose gas outlets' devices are its online monitoring) and
// the stored hourly uploads (CN 2061) of those devices (SqliteStore).
//
//   CompliancePeriod p{.level = WarningLevel::kOrange, .warning = {t0, t1}, .baseline = {t0 - 72 h, t0}};
//   StatusOr<ComplianceReport> r = list_compliance("ecomon.db", p, {});
//   for (const auto& e : r->results) if (e.verdict == emergency::Verdict::kNotCutting) ...
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/warning.h"
#include "sources/record.h"
#include "store/api/store.h"

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

// {"level", "warning": {from,to}, "baseline": {from,to}, "records", "undecodable", "problems", "flagged",
//  "enterprises": [...]} — what `ecomon emergency compliance --format json` prints and the API returns.
nlohmann::json compliance_json(const CompliancePeriod& p, const ComplianceReport& r);
// Enterprises flagged: not cutting as required, or found so by an inspection.
int flagged_count(const ComplianceReport& r);

// Every entry of the list in the store `db_path`, judged for `period` (see emergency::check_compliance).
StatusOr<ComplianceReport> list_compliance(const std::string& db_path, const CompliancePeriod& period,
                                           const emergency::ComplianceParams& params);

}  // namespace ecomon
