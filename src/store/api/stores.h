// Stores: every storage concern a service uses, for one thread. A backend (SQLite today:
// store/sqlite_stores.h; ClickHouse + PostgreSQL for the cluster) implements each concern's interface and
// hands them out here. The services (src/app) take a `Stores&` and never learn which backend is behind it;
// the composition root (the CLI's main, `ecomon serve`) opens one per process, or one per thread where
// threads read in parallel.
//
//   auto stores = open_sqlite_stores("ecomon.db");     // StatusOr<std::unique_ptr<Stores>>
//   auto cities = (*stores)->records().cities();
//
// The interfaces are designed for a remote backend too: reads and writes take batches (a month block, a
// file's rows, a day's records), never one round trip per row, and no backend's SQL leaks through them.
#pragma once

#include <functional>
#include <memory>

#include "core/status.h"
#include "store/api/accounts.h"
#include "store/api/audit.h"
#include "store/api/device_keys.h"
#include "store/api/dust.h"
#include "store/api/emergency.h"
#include "store/api/ledger.h"
#include "store/api/notify.h"
#include "store/api/pending_devices.h"
#include "store/api/power.h"
#include "store/api/quality.h"
#include "store/api/quality_stations.h"
#include "store/api/record_tables.h"
#include "store/api/soil.h"
#include "store/api/source_commands.h"
#include "store/api/source_events.h"
#include "store/api/source_ingest.h"
#include "store/api/source_registry.h"
#include "store/api/store.h"

namespace ecomon {

class Stores {
 public:
  virtual ~Stores() = default;
  // Hourly air observations (and later every time series).
  virtual TimeSeriesStore& time_series() = 0;
  // Registries of stations and cities; write transactions.
  virtual RecordStore& records() = 0;
  // HJ 212 devices and their uploads.
  virtual SourceStore& sources() = 0;
  // The task ledgers and targets (store/api/ledger.h).
  virtual LedgerStore& ledger() = 0;
  // Water sections, wells, drinking-water sources, noise, acid rain (store/api/quality.h).
  virtual QualityStore& quality() = 0;
  // Soil points, plots and parcels (store/api/soil.h).
  virtual SoilStore& soil() = 0;
  // Users, sessions, API tokens and the audit log (store/api/accounts.h).
  virtual AccountStore& accounts() = 0;
  // The emergency reduction list, warnings and inspections (store/api/emergency.h).
  virtual EmergencyStore& emergency() = 0;
  // The pollution-source registry, its events and downstream commands (source_registry.h, source_events.h,
  // source_commands.h).
  virtual SourceRegistryStore& source_registry() = 0;
  virtual SourceEventStore& source_events() = 0;
  virtual SourceCommandStore& source_commands() = 0;
  // HJ 212-2025 session keys, sealed (device_keys.h).
  virtual DeviceKeyStore& device_keys() = 0;
  // Event acknowledgements and notifications: rules, outbox, delivery log (notify.h).
  virtual NotifyStore& notify() = 0;
  // What the HJ 212 gateway takes uploads in with: devices, registry revision, shard writers that return once
  // a batch is durable, their background maintenance (source_ingest.h).
  virtual SourceIngest& source_ingest() = 0;
  // Every record concern's rows as stored, for moving the store to another backend (record_tables.h).
  virtual RecordTables& record_tables() = 0;
  // The data audit of the hourly observations: versions, month closings, station counties (audit.h). Kept
  // with the records (SQLite: the store file; the cluster: PostgreSQL); air/audit_view.h overlays it on
  // time_series().
  virtual AuditStore& audit() = 0;
  // Power-use monitoring: metered lines, closed sites, readings, grid energy (power.h). Kept with the records
  // (SQLite: the store file; the cluster: PostgreSQL).
  virtual PowerStore& power() = 0;
  // HJ 212-2025 data loggers seen without an MN (CN 1001) and the MNs the bureau assigned
  // (pending_devices.h).
  virtual PendingDeviceStore& pending_devices() = 0;
  // Fugitive-dust (TSP) points and their readings (dust.h). Kept with the records, as power is.
  virtual DustStore& dust() = 0;
  // Surface-water (ST 21) and noise (ST 23) stations over HJ 212 and their hourly values
  // (quality_stations.h). Kept with the records, as dust is.
  virtual QualityStationStore& quality_stations() = 0;
  // One accessor per further concern (quality, soil, source registry, events, commands, ledger, emergency,
  // accounts) as each gets its interface (issue 16).
};

// Opens a Stores for the calling thread (the server keeps one per worker thread).
using StoresOpener = std::function<StatusOr<std::unique_ptr<Stores>>()>;

}  // namespace ecomon
