#include "gateway/station_feed.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <unordered_map>
#include <vector>

#include "gateway/registry_watch.h"
#include "gateway/worker.h"
#include "sources/quality_station_upload.h"
#include "sources/station_upload.h"
#include "sources/stored_upload.h"

namespace ecomon {
namespace {

constexpr int kHourlyCn = 2061;
// The CP is decoded again by the codec, which wants a whole frame; the password plays no part in it.
const std::string kAnyPassword = "000000";

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StationsByMn = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

// A water or noise station: its code and which reader its uploads take.
struct QualityTarget {
  std::string code;
  sources::QualityStationKind kind = sources::QualityStationKind::kWater;
};
using QualityByMn = std::unordered_map<std::string, QualityTarget, StringHash, std::equal_to<>>;

}  // namespace

class StationFeed::Impl : public GatewayWorker {
 public:
  Impl(StoresOpener opener, StationFeedOptions o) : open_stores(std::move(opener)), options(std::move(o)) {
    if (!options.log) options.log = [](const std::string& line) { std::cerr << line + "\n"; };
  }

  Status open() {
    if (!open_stores) return invalid_argument("station feed: no store to open");
    auto s = open_stores();
    if (!s.ok()) return s.status();
    stores = std::move(*s);
    watch = RegistryWatch(std::chrono::seconds(options.registry_refresh_s));
    return load_stations();
  }

  Status load_stations() {
    auto revision = stores->source_ingest().registry_revision();
    if (!revision.ok()) return revision.status();
    auto all = stores->records().all_stations();
    if (!all.ok()) return all.status();
    auto map = std::make_shared<StationsByMn>();
    for (const StationInfo& s : *all)
      if (!s.mn.empty()) (*map)[s.mn] = s.id;
    auto qs = stores->quality_stations().stations();
    if (!qs.ok()) return qs.status();
    auto qmap = std::make_shared<QualityByMn>();
    for (const QualityStationRow& q : *qs) {
      if (q.mn.empty()) continue;
      (*qmap)[q.mn] = {q.code, q.kind == kStationNoise ? sources::QualityStationKind::kNoise
                                                       : sources::QualityStationKind::kWater};
    }
    watch.loaded(*revision);
    std::lock_guard<std::mutex> lock(mu);
    stations = std::move(map);
    quality = std::move(qmap);
    return Status();
  }

  void merge(std::vector<std::pair<int64_t, SourceRecord>>& batch);
  void merge_quality(std::vector<std::pair<QualityTarget, SourceRecord>>& batch);
  void run();

  StoresOpener open_stores;
  StationFeedOptions options;
  std::unique_ptr<Stores> stores;
  RegistryWatch watch{std::chrono::seconds(StationFeedOptions{}.registry_refresh_s)};

  std::shared_ptr<const StationsByMn> stations = std::make_shared<StationsByMn>();  // guarded by mu
  std::vector<std::pair<int64_t, SourceRecord>> queue;                              // guarded by mu
  std::shared_ptr<const QualityByMn> quality = std::make_shared<QualityByMn>();     // guarded by mu
  std::vector<std::pair<QualityTarget, SourceRecord>> quality_queue;                // guarded by mu
  uint64_t asked = 0, answered = 0;
  bool ended = false;
  std::condition_variable done_cv;

  std::atomic<uint64_t> n_uploads{0}, n_values{0}, n_new{0}, n_conflicts{0}, n_skipped{0}, n_closed{0},
      n_undecodable{0}, n_errors{0};
  std::atomic<uint64_t> n_water_uploads{0}, n_water_values{0}, n_noise_uploads{0}, n_noise_values{0},
      n_quality_new{0}, n_quality_same{0}, n_quality_conflicts{0}, n_quality_skipped{0};
};

void StationFeed::Impl::merge_quality(std::vector<std::pair<QualityTarget, SourceRecord>>& batch) {
  if (batch.empty()) return;
  std::vector<QualityHourRow> rows;
  for (const auto& [target, record] : batch) {
    auto m = monitoring_record(record, kAnyPassword);
    auto obs = m.ok() ? sources::quality_station_observations(*m, target.kind)
                      : StatusOr<sources::QualityObservations>(m.status());
    if (!obs.ok()) {
      ++n_undecodable;
      options.log("station feed: " +
                  std::string(target.kind == sources::QualityStationKind::kWater ? "water" : "noise") +
                  " station " + target.code + " MN " + record.mn + " DataTime " +
                  std::to_string(record.data_time) + ": " + obs.status().message());
      continue;
    }
    const bool water = target.kind == sources::QualityStationKind::kWater;
    ++(water ? n_water_uploads : n_noise_uploads);
    (water ? n_water_values : n_noise_values) += obs->values.size();
    n_quality_skipped += static_cast<uint64_t>(obs->skipped);
    for (const sources::QualityObservation& v : obs->values)
      rows.push_back({target.code, obs->hour, v.item, v.value.to_string()});
  }
  if (rows.empty()) return;
  auto counts = stores->quality_stations().write_hours(rows);
  if (!counts.ok()) {
    ++n_errors;
    options.log("station feed: merging " + std::to_string(rows.size()) +
                " hourly water and noise values: " + counts.status().message());
    return;
  }
  n_quality_new += static_cast<uint64_t>(counts->fresh);
  n_quality_same += static_cast<uint64_t>(counts->same);
  n_quality_conflicts += static_cast<uint64_t>(counts->conflicts);
}

void StationFeed::Impl::merge(std::vector<std::pair<int64_t, SourceRecord>>& batch) {
  if (batch.empty()) return;
  auto closings = stores->audit().month_closings(std::nullopt, std::nullopt);
  if (!closings.ok()) {
    ++n_errors;
    options.log("station feed: month closings: " + closings.status().message());
    return;
  }
  std::set<int32_t> closed;
  for (const MonthClosing& m : *closings) {
    if (m.closed)
      closed.insert(m.month.ordinal);
    else
      closed.erase(m.month.ordinal);
  }
  // The hours that arrived, no more: TimeSeriesStore::merge_hours writes each alone (SQLite: a row in
  // air_hour) rather than a month block of 744 values per station and pollutant.
  std::vector<HourValue> hours;
  for (const auto& [station_id, record] : batch) {
    auto m = monitoring_record(record, kAnyPassword);
    auto obs = m.ok() ? sources::station_hourly_observations(*m)
                      : StatusOr<sources::StationObservations>(m.status());
    if (!obs.ok()) {
      ++n_undecodable;
      options.log("station feed: MN " + record.mn + " DataTime " + std::to_string(record.data_time) + ": " +
                  obs.status().message());
      continue;
    }
    ++n_uploads;
    n_skipped += static_cast<uint64_t>(obs->skipped);
    const MonthKey month = MonthKey::of(obs->hour.day());
    if (closed.count(month.ordinal)) {
      n_closed += obs->values.size();
      options.log("station feed: MN " + record.mn + " hour " + obs->hour.to_string() + ": month " +
                  std::to_string(month.year()) + "-" + (month.month() < 10 ? "0" : "") +
                  std::to_string(month.month()) +
                  " is closed by the data audit; the upload is kept, its values not merged");
      continue;
    }
    for (const sources::StationObservation& v : obs->values) {
      hours.push_back({station_id, v.pollutant, obs->hour, v.value});
      ++n_values;
    }
  }
  if (hours.empty()) return;
  MergeStats stats;
  RecordStore& rs = stores->records();
  Status s = rs.begin_write();
  if (s.ok()) s = stores->time_series().merge_hours(hours, stats, nullptr);
  if (s.ok()) {
    s = rs.commit();
  } else {
    rs.rollback();
  }
  if (!s.ok()) {
    ++n_errors;
    options.log("station feed: merging " + std::to_string(hours.size()) + " hourly values: " + s.message());
    return;
  }
  n_new += static_cast<uint64_t>(stats.values_new);
  n_conflicts += static_cast<uint64_t>(stats.values_conflicting);
}

void StationFeed::Impl::run() {
  std::vector<std::pair<int64_t, SourceRecord>> batch;
  std::vector<std::pair<QualityTarget, SourceRecord>> quality_batch;
  while (true) {
    bool last = false;
    uint64_t generation = 0;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::seconds(1),
                  [&] { return stopping || !queue.empty() || !quality_queue.empty() || asked > answered; });
      batch.swap(queue);
      quality_batch.swap(quality_queue);
      generation = asked;
      last = stopping;
    }
    if (watch.due(stores->source_ingest())) {
      if (Status s = load_stations(); !s.ok()) options.log("station feed: stations: " + s.message());
    }
    merge(batch);
    batch.clear();
    merge_quality(quality_batch);
    quality_batch.clear();
    {
      std::lock_guard<std::mutex> lock(mu);
      answered = std::max(answered, generation);
      ended = last;
    }
    done_cv.notify_all();
    if (last) return;
  }
}

StationFeed::StationFeed(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StationFeed::~StationFeed() { stop(); }

StatusOr<std::unique_ptr<StationFeed>> StationFeed::start(const StoresOpener& stores,
                                                          StationFeedOptions options) {
  auto impl = std::make_unique<Impl>(stores, std::move(options));
  ECOMON_RETURN_IF_ERROR(impl->open());
  Impl* raw = impl.get();
  raw->worker = std::thread([raw] { raw->run(); });
  return std::unique_ptr<StationFeed>(new StationFeed(std::move(impl)));
}

void StationFeed::committed(std::span<const SourceRecordView> records) {
  std::shared_ptr<const StationsByMn> stations;
  std::shared_ptr<const QualityByMn> quality;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    stations = impl_->stations;
    quality = impl_->quality;
  }
  if (stations->empty() && quality->empty()) return;
  std::vector<std::pair<int64_t, SourceRecord>> wanted;
  std::vector<std::pair<QualityTarget, SourceRecord>> wanted_quality;
  for (const SourceRecordView& r : records) {
    if (r.cn != kHourlyCn) continue;
    if (auto it = stations->find(r.mn); it != stations->end()) {
      wanted.push_back({it->second, owned_record(r)});
    } else if (auto q = quality->find(r.mn); q != quality->end()) {
      wanted_quality.push_back({q->second, owned_record(r)});
    }
  }
  if (wanted.empty() && wanted_quality.empty()) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->queue.insert(impl_->queue.end(), std::make_move_iterator(wanted.begin()),
                        std::make_move_iterator(wanted.end()));
    impl_->quality_queue.insert(impl_->quality_queue.end(), std::make_move_iterator(wanted_quality.begin()),
                                std::make_move_iterator(wanted_quality.end()));
  }
  impl_->cv.notify_one();
}

void StationFeed::flush() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  const uint64_t mine = ++impl_->asked;
  impl_->cv.notify_one();
  impl_->done_cv.wait(lock, [&] { return impl_->ended || impl_->answered >= mine; });
}

StationFeedStats StationFeed::stats() const {
  StationFeedStats s{impl_->n_uploads, impl_->n_values, impl_->n_new,         impl_->n_conflicts,
                     impl_->n_skipped, impl_->n_closed, impl_->n_undecodable, impl_->n_errors};
  s.water_uploads = impl_->n_water_uploads;
  s.water_values = impl_->n_water_values;
  s.noise_uploads = impl_->n_noise_uploads;
  s.noise_values = impl_->n_noise_values;
  s.quality_new = impl_->n_quality_new;
  s.quality_same = impl_->n_quality_same;
  s.quality_conflicts = impl_->n_quality_conflicts;
  s.quality_skipped = impl_->n_quality_skipped;
  return s;
}

void StationFeed::stop() { impl_->stop_worker(); }

}  // namespace ecomon
