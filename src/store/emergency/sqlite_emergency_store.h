// The emergency list, the warnings history and the inspections (store/api/emergency.h) in the store's SQLite
// file: tables em_enterprise, em_line, em_measure, em_warning, em_inspection (migration 1). Emissions are
// kept as integer grams per day. Works on the connection it is given (one thread at a time). The code is
// SqlEmergencyStore (emergency_store_impl.h), written once for SQLite and PostgreSQL (store/sql_backend.h).
//
//   auto db = sqlite::Db::open("ecomon.db");
//   std::unique_ptr<EmergencyStore> es = sqlite_emergency_store(**db);   // *db must outlive it
#pragma once

#include <memory>

#include "store/api/emergency.h"
#include "store/sqlite/db.h"

namespace ecomon {

std::unique_ptr<EmergencyStore> sqlite_emergency_store(sqlite::Db& db);

}  // namespace ecomon
