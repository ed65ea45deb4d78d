// PostgreSQL's instances of the concern stores written once for both backends (store/sql_backend.h): the
// accounts, ledger, emergency, quality and soil stores on pg::SqlDb (store/postgres/sql_db.h).
#include "store/postgres/concern_stores.h"

#include "store/accounts/account_store_impl.h"
#include "store/audit/audit_store_impl.h"
#include "store/dust/dust_store_impl.h"
#include "store/emergency/emergency_store_impl.h"
#include "store/ledger/ledger_store_impl.h"
#include "store/notify/notify_store_impl.h"
#include "store/power/power_store_impl.h"
#include "store/quality/quality_store_impl.h"
#include "store/quality_stations/quality_station_store_impl.h"
#include "store/soil/soil_store_impl.h"
#include "store/sources/pending_device_store_impl.h"

namespace ecomon {

template class SqlQualityStore<PgSql>;
template class SqlSoilStore<PgSql>;
template class SqlPowerStore<PgSql>;
template class SqlDustStore<PgSql>;
template class SqlQualityStationStore<PgSql>;
template class SqlNotifyStore<PgSql>;

std::unique_ptr<AccountStore> pg_account_store(pg::SqlDb& db) {
  return std::make_unique<SqlAccountStore<PgSql>>(db);
}

std::unique_ptr<EmergencyStore> pg_emergency_store(pg::SqlDb& db) {
  return std::make_unique<SqlEmergencyStore<PgSql>>(db);
}

std::unique_ptr<LedgerStore> pg_ledger_store(pg::SqlDb& db) {
  return std::make_unique<SqlLedgerStore>(std::make_unique<SqlLedgerImpl<PgSql>>(db));
}

std::unique_ptr<QualityStore> pg_quality_store(pg::SqlDb& db) {
  return std::make_unique<SqlQualityStore<PgSql>>(db);
}

std::unique_ptr<SoilStore> pg_soil_store(pg::SqlDb& db) { return std::make_unique<SqlSoilStore<PgSql>>(db); }
std::unique_ptr<PowerStore> pg_power_store(pg::SqlDb& db) {
  return std::make_unique<SqlPowerStore<PgSql>>(db);
}

std::unique_ptr<DustStore> pg_dust_store(pg::SqlDb& db) { return std::make_unique<SqlDustStore<PgSql>>(db); }

std::unique_ptr<QualityStationStore> pg_quality_station_store(pg::SqlDb& db) {
  return std::make_unique<SqlQualityStationStore<PgSql>>(db);
}

std::unique_ptr<NotifyStore> pg_notify_store(pg::SqlDb& db) {
  return std::make_unique<SqlNotifyStore<PgSql>>(db);
}

std::unique_ptr<AuditStore> pg_audit_store(pg::SqlDb& db) {
  return std::make_unique<SqlAuditStore<PgSql>>(db);
}

std::unique_ptr<PendingDeviceStore> pg_pending_device_store(pg::SqlDb& db) {
  return std::make_unique<SqlPendingDeviceStore<PgSql>>(db);
}

namespace {

// The connection, made before the store that works on it (a base constructed first).
struct PgConnHolder {
  explicit PgConnHolder(std::unique_ptr<pg::Conn> c) : conn(std::move(c)), db(*conn) {}
  std::unique_ptr<pg::Conn> conn;
  pg::SqlDb db;
};

// The accounts with the connection they own.
class OwningPgAccountStore final : private PgConnHolder, public SqlAccountStore<PgSql> {
 public:
  explicit OwningPgAccountStore(std::unique_ptr<pg::Conn> c)
      : PgConnHolder(std::move(c)), SqlAccountStore<PgSql>(db) {}
};

}  // namespace

StatusOr<std::unique_ptr<AccountStore>> open_postgres_account_store(const std::string& uri,
                                                                    const pg::OpenOptions& options) {
  auto c = pg::Conn::open(uri, options);
  if (!c.ok()) return c.status();
  return std::unique_ptr<AccountStore>(new OwningPgAccountStore(std::move(*c)));
}

}  // namespace ecomon
