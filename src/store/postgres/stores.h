// The cluster's Stores with every record concern on PostgreSQL (one connection per Stores, so one per thread)
// and the time series and HJ 212 uploads from another backend (ClickHouse in the cluster): sources() is the
// PostgreSQL device table (PgDeviceStore) with the other backend's uploads.
//
//   auto uploads = ...;   // the time-series backend: a TimeSeriesStore and a SourceStore for the uploads
//   auto s = open_postgres_stores("postgresql://ecomon@127.0.0.1:55432/ecomon", {.time_series = ts,
//                                 .uploads = up, .owner = keep_alive});
//   auto cities = (*s)->records().cities();
//
// Thread safety: one thread at a time (open one per thread; StoresOpener).
#pragma once

#include <memory>
#include <string>

#include "store/api/stores.h"
#include "store/postgres/db.h"

namespace ecomon {

// What PostgreSQL does not hold. The references must stay valid while the Stores lives; `owner` (anything)
// is kept alive with it for that.
struct TimeSeriesBackend {
  TimeSeriesStore* time_series = nullptr;
  SourceUploads* uploads = nullptr;
  // The gateway's shard writers into the uploads (the device table is PostgreSQL's). nullptr:
  // source_ingest() opens no writer.
  SourceShards* ingest = nullptr;
  std::shared_ptr<void> owner;
};

StatusOr<std::unique_ptr<Stores>> open_postgres_stores(const std::string& uri, TimeSeriesBackend rest,
                                                       const pg::OpenOptions& options = {});

// The registry's revision (meta.registry_revision, raised by triggers on every device-table row changed) of
// the PostgreSQL behind `stores` (one opened by open_postgres_stores); kFailedPrecondition for another kind.
StatusOr<int64_t> postgres_registry_revision(Stores& stores);

// The connection of a Stores opened by open_postgres_stores (nullptr for another kind): for a backend part
// that reads PostgreSQL tables of its own on the Stores' connection (the cluster's upload spool).
pg::Conn* postgres_connection(Stores& stores);

}  // namespace ecomon
