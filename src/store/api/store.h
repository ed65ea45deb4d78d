// The store's two interfaces: time series (hourly observations keyed by station, pollutant and hour) and
// records (registries: stations and their cities). Domain code sees only these; the embedded default
// (SqliteStore, one SQLite file in WAL mode) implements both.
//
//   auto store = SqliteStore::open("ecomon.db");          // StatusOr<std::unique_ptr<SqliteStore>>
//   auto stations = (*store)->stations_of_city("晋城");    // the city's stations, reference flag included
//   std::vector<Milli> pm25;
//   Status s = (*store)->read_hourly(stations->at(0).id, Pollutant::kPM25, Hour::first_of(day), 24, pm25);
//
// Thread safety: one store object is used by one thread at a time. Open one per thread to read in parallel.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "sources/stored_upload.h"
#include "standards/pollutant.h"

namespace ecomon {

// A monitoring station (监测点) as the national centre's station list describes it.
struct StationInfo {
  int64_t id = 0;    // store key
  std::string code;  // "2160A"
  std::string name;  // "自来水公司"
  std::string city;  // "晋城"; empty = not assigned to a city (data had it, the list did not)
  std::optional<double> longitude;
  std::optional<double> latitude;
  bool is_reference = false;  // 对照点: excluded from city values by default
  bool in_site_list = false;  // known from a station list (not only seen in data)
};

// One station, one pollutant, one calendar month of hourly values (index 0 = the month's first hour).
struct HourlyBlock {
  int64_t station_id = 0;
  Pollutant pollutant = Pollutant::kSO2;
  MonthKey month;
  std::vector<Milli> values;  // size == month.hours(); kMissing where no value
};

// An incoming value that differs from the one stored for the same station-hour: the stored one is kept.
struct HourConflict {
  int64_t station_id = 0;
  Pollutant pollutant = Pollutant::kSO2;
  Hour hour;
  Milli stored = kMissing;
  Milli incoming = kMissing;
};

struct MergeStats {
  int64_t values_new = 0;          // filled a gap
  int64_t values_same = 0;         // already stored with the same value
  int64_t values_conflicting = 0;  // differed from the stored value (kept the stored one)
  int64_t blocks_written = 0;
};

class TimeSeriesStore {
 public:
  virtual ~TimeSeriesStore() = default;
  // Merges blocks into the store inside the current write transaction (see RecordStore::begin_write).
  // Never overwrites a stored value: conflicts are counted and appended to *conflicts when given.
  virtual Status merge_hourly(std::span<const HourlyBlock> blocks, MergeStats& stats,
                              std::vector<HourConflict>* conflicts) = 0;
  // Reads `count` hours from `first` into out (resized; kMissing where nothing is stored).
  virtual Status read_hourly(int64_t station_id, Pollutant p, Hour first, int64_t count,
                             std::vector<Milli>& out) = 0;
  // First and last day with any stored hourly value for the station (nullopt when none).
  virtual StatusOr<std::optional<DayRange>> hourly_extent(int64_t station_id) = 0;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;
  // Write transactions: everything between begin_write and commit lands together or not at all.
  virtual Status begin_write() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;

  // Inserts or updates a station by code; returns its id. Fields absent from `s` (empty city, no coordinates)
  // do not erase what a station list stored before.
  virtual StatusOr<int64_t> upsert_station(const StationInfo& s) = 0;
  virtual StatusOr<std::vector<StationInfo>> all_stations() = 0;
  virtual StatusOr<std::vector<StationInfo>> stations_of_city(const std::string& city) = 0;
  // Every city that has stations, sorted.
  virtual StatusOr<std::vector<std::string>> cities() = 0;
};

// A pollution-source monitoring device (数采仪) as the HJ 212 gateway needs it: its MN, password and
// protocol.
// A device's protocol (DeviceRecord::protocol): the year of its HJ 212 edition, or auto (0): the Flag version
// bits of each frame decide (000000 2005, 000001 2017, 000010 2025). A configured year wins over the Flag
// bits, since some pre-2025 devices already send Flag 8/9 (11_hj212_2025.md §1.3, §4.1).
inline constexpr int kDeviceProtocolAuto = 0;
inline constexpr int kDeviceProtocol2005 = 2005;
inline constexpr int kDeviceProtocol2017 = 2017;
inline constexpr int kDeviceProtocol2025 = 2025;

struct DeviceRecord {
  std::string mn;                      // 设备唯一标识 (24 hex characters in HJ 212-2017)
  std::string password;                // PW, 6 characters
  int protocol = kDeviceProtocol2017;  // 2005, 2017, 2025 or kDeviceProtocolAuto
  std::string enterprise;              // enterprise name (企业)
  std::string outlet;                  // outlet name (排放口)
  std::string county;                  // county (区县)
  int rtd_interval_s = 30;             // real-time upload interval (RtdInterval, s)
  int min_interval_min = 10;           // minute-data interval (MinInterval, min)
  bool active = true;
  // Tolerance policy (容错策略) of this device's frames: "strict" (the standard to the letter) or "lenient"
  // (the common deviations of real devices accepted and counted; hj212::Policy::lenient()).
  std::string policy = "lenient";
};

// The same record as views into bytes someone else owns (the gateway's batch buffers), for inserting without
// copying; the bytes must outlive the insert call.
struct SourceRecordView {
  std::string_view mn;
  int cn = 0;
  int64_t data_time = 0;
  std::string_view qn;
  int64_t received_ms = 0;
  int flag = 0;
  std::string_view cp;
};

// The stored uploads of one device, for enumerating them (a copy to another store): its DataTime span
// (yyyymmddhhmmss) over records and other versions, and how many of each.
struct SourceRecordSpan {
  std::string mn;
  int64_t first = 0;
  int64_t last = 0;
  int64_t records = 0;
  int64_t conflicts = 0;
};

class SourceStore {
 public:
  virtual ~SourceStore() = default;
  virtual Status upsert_device(const DeviceRecord& d) = 0;
  virtual StatusOr<std::vector<DeviceRecord>> devices() = 0;
  // Inserts records in one transaction (its own unless a write transaction is open). A record with the same
  // (MN, CN, DataTime) as a stored one is a duplicate and changes nothing. Returns how many were new.
  virtual StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) = 0;
  // Records of one device (all CNs when cn == 0) with DataTime in [from, to] (yyyymmddhhmmss), oldest first.
  virtual StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from,
                                                             int64_t to, int64_t limit) = 0;
  // The newest record of each device for a CN.
  virtual StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) = 0;
  virtual StatusOr<int64_t> count_source_records() = 0;
  // The other versions of records (re-sent with the same MN, CN and DataTime but another CP): same selection
  // as source_records(), oldest first.
  virtual StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string& mn, int cn,
                                                                      int64_t from, int64_t to,
                                                                      int64_t limit) = 0;
  // Every device with stored records or other versions, by MN.
  virtual StatusOr<std::vector<SourceRecordSpan>> source_record_spans() = 0;
};

// The stored uploads of `store` as the event feed and the rates read them (sources/stored_upload.h).
inline UploadReader upload_reader(SourceStore& store) {
  return [&store](const std::string& mn, int cn, int64_t from, int64_t to, int64_t limit) {
    return store.source_records(mn, cn, from, to, limit);
  };
}

}  // namespace ecomon
