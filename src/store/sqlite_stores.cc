#include "store/sqlite_stores.h"

#include "store/accounts/sqlite_account_store.h"
#include "store/audit/audit_store.h"
#include "store/dust/dust_store.h"
#include "store/emergency/sqlite_emergency_store.h"
#include "store/ledger/ledger_store.h"
#include "store/notify/notify_store.h"
#include "store/power/power_store.h"
#include "store/quality/quality_store.h"
#include "store/quality_stations/quality_station_store.h"
#include "store/record_tables_impl.h"
#include "store/soil/soil_store.h"
#include "store/sources/command_store.h"
#include "store/sources/device_key_store.h"
#include "store/sources/event_store.h"
#include "store/sources/pending_device_store.h"
#include "store/sources/registry_store.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

class SqliteStores final : public Stores {
 public:
  SqliteStores(std::unique_ptr<sqlite::Db> db, std::unique_ptr<SqliteStore> air)
      : db_(std::move(db)),
        air_(std::move(air)),
        ingest_(sqlite_source_ingest(*air_)),
        ledger_(*db_),
        quality_(*db_),
        soil_(*db_),
        accounts_(sqlite_account_store(*db_)),
        emergency_(sqlite_emergency_store(*db_)),
        source_registry_(*db_),
        source_events_(*db_),
        source_commands_(*db_),
        device_keys_(*db_),
        notify_(*db_),
        record_tables_(*db_),
        audit_(*db_),
        power_(*db_),
        pending_devices_(*db_),
        dust_(*db_),
        quality_stations_(*db_) {}
  TimeSeriesStore& time_series() override { return *air_; }
  RecordStore& records() override { return *air_; }
  SourceStore& sources() override { return *air_; }
  LedgerStore& ledger() override { return ledger_; }
  QualityStore& quality() override { return quality_; }
  SoilStore& soil() override { return soil_; }
  AccountStore& accounts() override { return *accounts_; }
  EmergencyStore& emergency() override { return *emergency_; }
  SourceRegistryStore& source_registry() override { return source_registry_; }
  SourceEventStore& source_events() override { return source_events_; }
  SourceCommandStore& source_commands() override { return source_commands_; }
  DeviceKeyStore& device_keys() override { return device_keys_; }
  NotifyStore& notify() override { return notify_; }
  SourceIngest& source_ingest() override { return *ingest_; }
  RecordTables& record_tables() override { return record_tables_; }
  AuditStore& audit() override { return audit_; }
  PowerStore& power() override { return power_; }
  PendingDeviceStore& pending_devices() override { return pending_devices_; }
  DustStore& dust() override { return dust_; }
  QualityStationStore& quality_stations() override { return quality_stations_; }

 private:
  std::unique_ptr<sqlite::Db> db_;  // the connection the concerns share (migrated on open)
  // Not on db_ yet: SqliteStore keeps its own connection (its statements and the gateway's shard files).
  std::unique_ptr<SqliteStore> air_;
  std::unique_ptr<SourceIngest> ingest_;       // on air_ (and the shard files beside it)
  SqliteLedgerStore ledger_;                   // on db_
  SqliteQualityStore quality_;                 // on db_
  SqliteSoilStore soil_;                       // on db_
  std::unique_ptr<AccountStore> accounts_;     // on db_
  std::unique_ptr<EmergencyStore> emergency_;  // on db_
  SqliteSourceRegistryStore source_registry_;
  SqliteSourceEventStore source_events_;
  SqliteSourceCommandStore source_commands_;
  SqliteDeviceKeyStore device_keys_;
  SqliteNotifyStore notify_;
  SqlRecordTables<SqliteSql> record_tables_;    // on db_
  SqliteAuditStore audit_;                      // on db_
  SqlitePowerStore power_;                      // on db_
  SqlitePendingDeviceStore pending_devices_;    // on db_
  SqliteDustStore dust_;                        // on db_
  SqliteQualityStationStore quality_stations_;  // on db_
};

}  // namespace

StatusOr<std::unique_ptr<Stores>> open_sqlite_stores(const std::string& path) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.status();
  auto air = SqliteStore::open(path);
  if (!air.ok()) return air.status();
  return std::unique_ptr<Stores>(new SqliteStores(std::move(*db), std::move(*air)));
}

StoresOpener sqlite_stores_opener(const std::string& path) {
  return [path]() { return open_sqlite_stores(path); };
}

}  // namespace ecomon
