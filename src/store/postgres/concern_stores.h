// PostgreSQL's accounts, ledger, emergency, quality and soil stores: the SQLite stores' own code (templates
// over the backend, store/sql_backend.h) on a pg::SqlDb, so both backends run the same statements.
//
//   pg::SqlDb db(conn);
//   auto ledger = pg_ledger_store(db);   // db (and conn) must outlive it
#pragma once

#include <memory>
#include <string>

#include "store/api/accounts.h"
#include "store/api/audit.h"
#include "store/api/dust.h"
#include "store/api/emergency.h"
#include "store/api/ledger.h"
#include "store/api/notify.h"
#include "store/api/pending_devices.h"
#include "store/api/power.h"
#include "store/api/quality.h"
#include "store/api/quality_stations.h"
#include "store/api/soil.h"
#include "store/postgres/sql_db.h"

namespace ecomon {

std::unique_ptr<AccountStore> pg_account_store(pg::SqlDb& db);
std::unique_ptr<EmergencyStore> pg_emergency_store(pg::SqlDb& db);
std::unique_ptr<LedgerStore> pg_ledger_store(pg::SqlDb& db);
std::unique_ptr<QualityStore> pg_quality_store(pg::SqlDb& db);
std::unique_ptr<SoilStore> pg_soil_store(pg::SqlDb& db);
std::unique_ptr<PowerStore> pg_power_store(pg::SqlDb& db);
std::unique_ptr<DustStore> pg_dust_store(pg::SqlDb& db);
std::unique_ptr<QualityStationStore> pg_quality_station_store(pg::SqlDb& db);
std::unique_ptr<NotifyStore> pg_notify_store(pg::SqlDb& db);
std::unique_ptr<AuditStore> pg_audit_store(pg::SqlDb& db);
std::unique_ptr<PendingDeviceStore> pg_pending_device_store(pg::SqlDb& db);

// The accounts on a connection of their own (AccountStore::open's counterpart): an AccountStore the server
// shares between its threads for its lifetime (a mutex orders the calls, as on SQLite).
StatusOr<std::unique_ptr<AccountStore>> open_postgres_account_store(const std::string& uri,
                                                                    const pg::OpenOptions& options = {});

}  // namespace ecomon
