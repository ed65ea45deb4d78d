// PostgreSQL's RecordStore (stations and their cities, write transactions) and the gateway's device table
// (SourceStore's upsert_device/devices; the uploads themselves are the time-series backend's), on a
// connection they are given (store/postgres/db.h). The SQL is store/sqlite_store.cc's, ported.
//
//   auto c = pg::Conn::open(uri);
//   PgRecordStore records(**c);
//   ECOMON_RETURN_IF_ERROR(records.begin_write());
//   auto id = records.upsert_station({.code = "2160A", .name = "自来水公司", .city = "晋城"});
//   ECOMON_RETURN_IF_ERROR(records.commit());
//
// Thread safety: that of its Conn.
#pragma once

#include <optional>

#include "store/api/store.h"
#include "store/postgres/db.h"

namespace ecomon {

class PgRecordStore final : public RecordStore {
 public:
  explicit PgRecordStore(pg::Conn& c) : c_(c) {}
  // Everything between begin_write and commit lands together or not at all. The other concerns' writes on
  // the same connection in between join the transaction (as savepoints).
  Status begin_write() override;
  Status commit() override;
  void rollback() override;

  StatusOr<int64_t> upsert_station(const StationInfo& s) override;
  StatusOr<std::vector<StationInfo>> all_stations() override;
  StatusOr<std::vector<StationInfo>> stations_of_city(const std::string& city) override;
  StatusOr<std::vector<StationInfo>> stations_by_code_or_mn(const std::string& code,
                                                            const std::string& mn) override;
  StatusOr<std::vector<std::string>> cities() override;

 private:
  // The stations WHERE `where` ("" = all) with its parameters, by code.
  StatusOr<std::vector<StationInfo>> query_stations(const std::string& where, const pg::Params& params);
  pg::Conn& c_;
  std::optional<pg::Tx> tx_;
};

// The gateway's authentication table (source_device) and the registry's revision: what a SourceStore on the
// cluster delegates to PostgreSQL (its uploads go to the time-series backend).
class PgDeviceStore final : public SourceDevices {
 public:
  explicit PgDeviceStore(pg::Conn& c) : c_(c) {}
  Status upsert_device(const DeviceRecord& d) override;
  // Sorted by MN.
  StatusOr<std::vector<DeviceRecord>> devices() override;
  StatusOr<std::optional<DeviceRecord>> device(const std::string& mn) override;
  // meta.registry_revision: raised by triggers on every row changed in source_device and the registry's
  // sr_* tables (migration 2), whichever process writes; SqliteStore::registry_revision's counterpart.
  StatusOr<int64_t> registry_revision();

 private:
  StatusOr<std::vector<DeviceRecord>> query_devices(const std::string& where, const pg::Params& params);
  pg::Conn& c_;
};

}  // namespace ecomon
