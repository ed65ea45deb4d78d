// The data of a compliance check (app/emergency.h) that are not behind `Stores` yet: the pollution-source
// registry (SourceRegistryStore: an entry's `source_enterprise` names its enterprise there, whose gas
// outlets' devices are its online monitoring) and the stored hourly uploads (CN 2061) of those devices
// (SqliteStore).
//
//   auto r = app::emergency_compliance(stores, who, request, hj212_monitoring("ecomon.db"));
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

// The monitoring of source enterprises read from the store `db_path`: the source registry (opened on first
// use) and the hourly uploads (CN 2061) of the gas outlets' devices, decoded again with each device's
// password.
MonitoringReader hj212_monitoring(const std::string& db_path);

}  // namespace ecomon
