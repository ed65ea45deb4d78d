#include "store/postgres/stores.h"

#include "store/postgres/concern_stores.h"
#include "store/postgres/device_key_store.h"
#include "store/postgres/record_store.h"
#include "store/postgres/source_stores.h"
#include "store/postgres/sql_db.h"
#include "store/record_tables_impl.h"

namespace ecomon {
namespace {

// SourceIngest: the device list and its revision from PostgreSQL, the shards and writers from the uploads'
// backend.
class PgSourceIngest final : public SourceIngest {
 public:
  PgSourceIngest(PgDeviceStore& devices, SourceShards* uploads) : devices_(devices), uploads_(uploads) {}
  StatusOr<std::vector<DeviceRecord>> devices() override { return devices_.devices(); }
  StatusOr<int64_t> registry_revision() override { return devices_.registry_revision(); }
  int shards() override { return uploads_ ? uploads_->shards() : 1; }
  int shard_of(std::string_view mn, int shards) const override {
    return uploads_ ? uploads_->shard_of(mn, shards) : 0;
  }
  Status set_shards(int n) override {
    if (!uploads_) return none();
    return uploads_->set_shards(n);
  }
  StatusOr<std::unique_ptr<SourceShardWriter>> open_writer(int shard) override {
    if (!uploads_) return none();
    return uploads_->open_writer(shard);
  }
  StatusOr<std::unique_ptr<SourceShardMaintainer>> open_maintainer(int shard) override {
    if (!uploads_) return none();
    return uploads_->open_maintainer(shard);
  }

 private:
  static Status none() {
    return failed_precondition("this PostgreSQL store was opened without an uploads backend for the gateway");
  }
  PgDeviceStore& devices_;
  SourceShards* uploads_;
};

class PgStores final : public Stores {
 public:
  PgStores(std::unique_ptr<pg::Conn> c, TimeSeriesBackend rest)
      : conn_(std::move(c)),
        rest_(std::move(rest)),
        db_(*conn_),
        records_(*conn_),
        devices_(*conn_),
        sources_(devices_, *rest_.uploads),
        ledger_(pg_ledger_store(db_)),
        quality_(pg_quality_store(db_)),
        soil_(pg_soil_store(db_)),
        accounts_(pg_account_store(db_)),
        emergency_(pg_emergency_store(db_)),
        source_registry_(*conn_),
        source_events_(*conn_),
        source_commands_(*conn_),
        device_keys_(*conn_),
        notify_(pg_notify_store(db_)),
        ingest_(devices_, rest_.ingest),
        record_tables_(db_),
        audit_(pg_audit_store(db_)),
        power_(pg_power_store(db_)),
        pending_devices_(pg_pending_device_store(db_)),
        dust_(pg_dust_store(db_)),
        quality_stations_(pg_quality_station_store(db_)) {}
  TimeSeriesStore& time_series() override { return *rest_.time_series; }
  RecordStore& records() override { return records_; }
  SourceStore& sources() override { return sources_; }
  LedgerStore& ledger() override { return *ledger_; }
  QualityStore& quality() override { return *quality_; }
  SoilStore& soil() override { return *soil_; }
  AccountStore& accounts() override { return *accounts_; }
  EmergencyStore& emergency() override { return *emergency_; }
  SourceRegistryStore& source_registry() override { return source_registry_; }
  SourceEventStore& source_events() override { return source_events_; }
  SourceCommandStore& source_commands() override { return source_commands_; }
  DeviceKeyStore& device_keys() override { return device_keys_; }
  NotifyStore& notify() override { return *notify_; }
  SourceIngest& source_ingest() override { return ingest_; }
  RecordTables& record_tables() override { return record_tables_; }
  AuditStore& audit() override { return *audit_; }
  PowerStore& power() override { return *power_; }
  PendingDeviceStore& pending_devices() override { return *pending_devices_; }
  DustStore& dust() override { return *dust_; }
  QualityStationStore& quality_stations() override { return *quality_stations_; }
  PgDeviceStore& device_store() { return devices_; }
  pg::Conn& conn() { return *conn_; }

 private:
  std::unique_ptr<pg::Conn> conn_;
  TimeSeriesBackend rest_;
  pg::SqlDb db_;  // the concerns written once for both backends work on it
  PgRecordStore records_;
  PgDeviceStore devices_;
  SourceStoreOf sources_;  // devices_ and the other backend's uploads
  std::unique_ptr<LedgerStore> ledger_;
  std::unique_ptr<QualityStore> quality_;
  std::unique_ptr<SoilStore> soil_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<EmergencyStore> emergency_;
  PgSourceRegistryStore source_registry_;
  PgSourceEventStore source_events_;
  PgSourceCommandStore source_commands_;
  PgDeviceKeyStore device_keys_;
  std::unique_ptr<NotifyStore> notify_;
  PgSourceIngest ingest_;
  SqlRecordTables<PgSql> record_tables_;  // on db_
  std::unique_ptr<AuditStore> audit_;
  std::unique_ptr<PowerStore> power_;
  std::unique_ptr<PendingDeviceStore> pending_devices_;
  std::unique_ptr<DustStore> dust_;
  std::unique_ptr<QualityStationStore> quality_stations_;
};

}  // namespace

StatusOr<std::unique_ptr<Stores>> open_postgres_stores(const std::string& uri, TimeSeriesBackend rest,
                                                       const pg::OpenOptions& options) {
  if (!rest.time_series || !rest.uploads) {
    return Status(StatusCode::kInvalidArgument, "open_postgres_stores: no time-series backend given");
  }
  auto c = pg::Conn::open(uri, options);
  if (!c.ok()) return c.status();
  return std::unique_ptr<Stores>(new PgStores(std::move(*c), std::move(rest)));
}

StatusOr<int64_t> postgres_registry_revision(Stores& stores) {
  auto* pg = dynamic_cast<PgStores*>(&stores);
  if (!pg) return Status(StatusCode::kFailedPrecondition, "not a PostgreSQL store");
  return pg->device_store().registry_revision();
}

pg::Conn* postgres_connection(Stores& stores) {
  auto* pg = dynamic_cast<PgStores*>(&stores);
  return pg ? &pg->conn() : nullptr;
}

}  // namespace ecomon
