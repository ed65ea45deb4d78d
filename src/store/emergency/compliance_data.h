// Compliance of the listed enterprises during a warning, from what the store holds: the emergency list and
// inspections (EmergencyStore, store/api/emergency.h), the pollution-source registry (SourceRegistryStore: an
// entry's `source_enterprise` names its enterprise there, whose gas outlets' devices are its online
// monitoring) and the stored hourly uploads (CN 2061) of those devices (SqliteStore).
//
//   CompliancePeriod p{.level = WarningLevel::kOrange, .warning = {t0, t1}, .baseline = {t0 - 72 h, t0}};
//   StatusOr<ComplianceReport> r = list_compliance(stores.emergency(), "ecomon.db", p, {});
//   for (const auto& e : r->results) if (e.verdict == emergency::Verdict::kNotCutting) ...
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/compliance_period.h"
#include "emergency/warning.h"
#include "sources/record.h"
#include "store/api/emergency.h"
#include "store/api/store.h"

namespace ecomon {

// Every entry of the list in `es`, judged for `period` (see emergency::check_compliance) on the source
// registry and the HJ 212 uploads of the store `db_path` (their stores are not in `Stores` yet).
StatusOr<ComplianceReport> list_compliance(EmergencyStore& es, const std::string& db_path,
                                           const CompliancePeriod& period,
                                           const emergency::ComplianceParams& params);

}  // namespace ecomon
