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
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
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
  // The monitoring network (issue 19), set by the station registry (`ecomon stations register`):
  // upsert_station writes these four together when `kind` is not empty and keeps the stored ones otherwise. A
  // station known only from the centre's list has kind "" and counts as an assessment station.
  std::string kind;        // one of kStationKinds; "" = not registered
  bool assessment = true;  // 评价点: enters the city value (a micro station never does)
  std::string county;      // 区县
  std::string mn;          // the MN of its HJ 212 data acquisition unit; "" = none
};

// The station types of the registry: national (国控), provincial (省控), county (县控), micro (微型站).
inline constexpr std::string_view kStationKinds[] = {"national", "provincial", "county", "micro"};
inline constexpr std::string_view kStationMicro = "micro";

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

// One hour's value of one station and pollutant: what an HJ 212 station's hourly upload brings
// (gateway/station_feed.h), a handful of hours where an import brings month blocks.
struct HourValue {
  int64_t station_id = 0;
  Pollutant pollutant = Pollutant::kSO2;
  Hour hour;
  Milli value = kMissing;  // kMissing: nothing (skipped)
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
  // merge_hourly for single hours: the same rule (a stored value is never overwritten; gaps filled; an hour
  // given twice is compared with the first; the same counts and conflicts, the conflicts in no set order)
  // inside the current write transaction, but the backend writes what arrived rather than whole month blocks
  // (SQLite: one row per hour, folded into its block later; sqlite_store.h). This default builds the month
  // blocks and calls merge_hourly.
  virtual Status merge_hours(std::span<const HourValue> values, MergeStats& stats,
                             std::vector<HourConflict>* conflicts) {
    // (station, pollutant, month) -> its blocks; an hour given twice goes into a later block of the same key
    // (blocks of one batch see each other: the second value is compared with the first).
    std::map<std::tuple<int64_t, int, int32_t>, std::vector<size_t>> index;
    std::vector<HourlyBlock> blocks;
    for (const HourValue& v : values) {
      if (v.value == kMissing) continue;
      const MonthKey m = MonthKey::of(v.hour.day());
      const size_t at = static_cast<size_t>(v.hour - m.first_hour());
      std::vector<size_t>& mine = index[{v.station_id, index_of(v.pollutant), m.ordinal}];
      size_t* free = nullptr;  // the first block after the last one that has the hour
      for (size_t& i : mine) {
        if (blocks[i].values[at] != kMissing)
          free = nullptr;
        else if (!free)
          free = &i;
      }
      if (!free) {
        mine.push_back(blocks.size());
        free = &mine.back();
        blocks.push_back(
            {v.station_id, v.pollutant, m, std::vector<Milli>(static_cast<size_t>(m.hours()), kMissing)});
      }
      blocks[*free].values[at] = v.value;
    }
    return merge_hourly(blocks, stats, conflicts);
  }
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
  // The stations whose code is `code` or whose MN is `mn` (an empty `mn` matches none), by code: at most two,
  // through the code and MN indexes (a registration's check, not a scan of the registry).
  virtual StatusOr<std::vector<StationInfo>> stations_by_code_or_mn(const std::string& code,
                                                                    const std::string& mn) = 0;
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

// Views of stored records (the one SourceRecord -> SourceRecordView conversion); `records` must outlive
// them.
inline SourceRecordView view_of(const SourceRecord& r) {
  return {.mn = r.mn,
          .cn = r.cn,
          .data_time = r.data_time,
          .qn = r.qn,
          .received_ms = r.received_ms,
          .flag = r.flag,
          .cp = r.cp};
}
// The record a view shows, owning its text (a view kept past the batch it came with).
inline SourceRecord owned_record(const SourceRecordView& v) {
  return SourceRecord{.mn = std::string(v.mn),
                      .cn = v.cn,
                      .data_time = v.data_time,
                      .qn = std::string(v.qn),
                      .received_ms = v.received_ms,
                      .flag = v.flag,
                      .cp = std::string(v.cp)};
}
inline std::vector<SourceRecordView> views_of(std::span<const SourceRecord> records) {
  std::vector<SourceRecordView> out;
  out.reserve(records.size());
  for (const SourceRecord& r : records) out.push_back(view_of(r));
  return out;
}

// The stored uploads of one device, for enumerating them (a copy to another store): its DataTime span
// (yyyymmddhhmmss) over records and other versions, and how many of each.
struct SourceRecordSpan {
  std::string mn;
  int64_t first = 0;
  int64_t last = 0;
  int64_t records = 0;
  int64_t conflicts = 0;
};

// The device table of the HJ 212 sources.
class SourceDevices {
 public:
  virtual ~SourceDevices() = default;
  virtual Status upsert_device(const DeviceRecord& d) = 0;
  virtual StatusOr<std::vector<DeviceRecord>> devices() = 0;
  // The device with this MN, if any (one indexed look-up).
  virtual StatusOr<std::optional<DeviceRecord>> device(const std::string& mn) = 0;
};

// The uploads: records and their other versions. A backend that keeps them apart from the device table
// implements this alone (the cluster: ClickHouse and PostgreSQL's spool; SourceStoreOf joins the two).
class SourceUploads {
 public:
  virtual ~SourceUploads() = default;
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

class SourceStore : public SourceDevices, public SourceUploads {};

// One SourceStore of a device table and uploads kept elsewhere (both must outlive it).
class SourceStoreOf final : public SourceStore {
 public:
  SourceStoreOf(SourceDevices& devices, SourceUploads& uploads) : devices_(devices), uploads_(uploads) {}
  Status upsert_device(const DeviceRecord& d) override { return devices_.upsert_device(d); }
  StatusOr<std::vector<DeviceRecord>> devices() override { return devices_.devices(); }
  StatusOr<std::optional<DeviceRecord>> device(const std::string& mn) override { return devices_.device(mn); }
  StatusOr<int64_t> insert_source_records(std::span<const SourceRecord> records) override {
    return uploads_.insert_source_records(records);
  }
  StatusOr<std::vector<SourceRecord>> source_records(const std::string& mn, int cn, int64_t from, int64_t to,
                                                     int64_t limit) override {
    return uploads_.source_records(mn, cn, from, to, limit);
  }
  StatusOr<std::vector<SourceRecord>> latest_source_records(int cn) override {
    return uploads_.latest_source_records(cn);
  }
  StatusOr<int64_t> count_source_records() override { return uploads_.count_source_records(); }
  StatusOr<std::vector<SourceRecord>> source_record_conflicts(const std::string& mn, int cn, int64_t from,
                                                              int64_t to, int64_t limit) override {
    return uploads_.source_record_conflicts(mn, cn, from, to, limit);
  }
  StatusOr<std::vector<SourceRecordSpan>> source_record_spans() override {
    return uploads_.source_record_spans();
  }
  // The uploads' backend (store/api/source_day_loads.h's day_loads_of asks it whether it keeps day-loads).
  SourceUploads& uploads() { return uploads_; }

 private:
  SourceDevices& devices_;
  SourceUploads& uploads_;
};

// The stored uploads of `store` as the event feed and the rates read them (sources/stored_upload.h).
inline UploadReader upload_reader(SourceStore& store) {
  return [&store](const std::string& mn, int cn, int64_t from, int64_t to, int64_t limit) {
    return store.source_records(mn, cn, from, to, limit);
  };
}

}  // namespace ecomon
