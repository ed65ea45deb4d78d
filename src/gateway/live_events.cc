#include "gateway/live_events.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <unordered_map>
#include <vector>

#include "core/decimal.h"
#include "gateway/registry_watch.h"
#include "gateway/worker.h"
#include "sources/stored_upload.h"

namespace ecomon {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int kPowerCn = 2011;  // power modules' real-time data (HJ 212-2025 ST 44)
constexpr int kDustRealtimeCn = 2011, kDustMinuteCn = 2051;  // TSP points' data (ST 39 and boundary points)

bool is_dust_kind(sources::EventKind k) {
  return k == sources::EventKind::kDustExceedance || k == sources::EventKind::kDustSilence;
}

int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Which CNs of which devices the tracker judges: hourly (exceedances), the fault kind and the silence kind.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using Judged = std::unordered_map<std::string, std::vector<int>, StringHash, std::equal_to<>>;

std::shared_ptr<Judged> judged_of(const sources::SourceRegistry& reg, const sources::EventParams& p) {
  auto out = std::make_shared<Judged>();
  for (const sources::Device* d : reg.devices()) {
    std::vector<int>& cns = (*out)[d->mn];
    for (sources::DataKind k :
         {sources::DataKind::kHourly, p.fault_data, sources::silence_data_kind(*d, p.silence_data)}) {
      const int cn = sources::command_of(k);
      if (std::find(cns.begin(), cns.end(), cn) == cns.end()) cns.push_back(cn);
    }
    cns.push_back(2062);  // HJ 212-2025 standard-sample checks and furnace temperatures
    cns.push_back(2111);
  }
  return out;
}

}  // namespace

class LiveEvents::Impl : public GatewayWorker {
 public:
  explicit Impl(StoresOpener opener, LiveEventOptions o)
      : open_stores(std::move(opener)),
        options(std::move(o)),
        tracker(options.params),
        treatment_tracker(options.power),
        stop_tracker(options.power_stop) {
    if (!options.clock_ms) options.clock_ms = system_ms;
    if (!options.log) options.log = [](const std::string& line) { std::cerr << line + "\n"; };
  }

  Status open();
  void run();
  sources::SourceTime civil_now() const {
    return sources::SourceTime::of_utc_seconds(options.clock_ms() / kMsPerSecond);
  }
  Status load_registry();
  // Re-judges the last replay_hours after taking back what the store holds.
  void replay();
  void judge(std::vector<SourceRecord>& records, std::vector<sources::EventTransition>& out);
  void store(const std::vector<sources::EventTransition>& ts);
  // The power modules' readings of the records judged (power_modules), written in one batch, and judged
  // by the power trackers (their transitions into `out`).
  void power_readings(const SourceRecord& r, std::vector<sources::EventTransition>& out);
  void write_power_readings();
  // TSP points: a committed upload's reading (kept for write_dust_readings) and its transitions.
  void dust_upload(const SourceRecord& r, std::vector<sources::EventTransition>& out);
  void write_dust_readings();
  Status restore_dust();
  void power_feed(const std::string& line, sources::SourceTime t, Decimal kw,
                  std::vector<sources::EventTransition>& out);
  // The stop orders of the warnings (LiveEventOptions::stop_orders), into the stop tracker.
  void load_stop_orders();
  // The stored power events still open that began before `from`, taken back by the trackers, then the
  // readings of [from, now) judged again (a transition lost in a crash is raised; the rest is stored).
  void replay_power(sources::SourceTime from, sources::SourceTime now, const std::vector<StoredEvent>& open,
                    std::vector<sources::EventTransition>& out);

  StoresOpener open_stores;
  LiveEventOptions options;
  std::unique_ptr<Stores> stores;      // this component's (opened by start(), then the worker's)
  SourceEventStore* events = nullptr;  // stores->source_events()
  sources::SourceRegistry registry;
  // Power modules: MN -> its password (the gateway's device list) and the (line, code) of its metered lines
  // (PowerStore); the readings of a batch.
  struct PowerModule {
    std::string password;
    std::vector<std::pair<std::string, std::string>> lines;
  };
  std::unordered_map<std::string, PowerModule> power_modules;
  std::vector<PowerReadingRow> power_rows;
  // TSP points by MN (DustStore) with their devices' passwords; the readings of a batch; their rules.
  struct DustPoint {
    dust::Point point;
    std::string password;
  };
  std::unordered_map<std::string, DustPoint> dust_points;
  std::vector<DustReadingRow> dust_rows;
  dust::DustTracker dust_tracker{options.dust};
  std::unordered_map<std::string, std::string> line_mn;  // metered line -> its power module's MN
  sources::EventTracker tracker;
  power::TreatmentTracker treatment_tracker;
  power::StopTracker stop_tracker;
  sources::SourceTime orders_from;  // stop orders are read from here on (fixed at the start)
  sources::SourceTime watch_begin;
  RegistryWatch registry_watch{std::chrono::seconds(LiveEventOptions{}.registry_refresh_s)};  // set in open()

  std::vector<SourceRecord> queue;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> heartbeats;  // MN -> newest, UTC ms
  std::shared_ptr<const Judged> judged = std::make_shared<Judged>();
  bool silence_asked = false;
  bool ended = false;                // the worker has returned
  uint64_t asked = 0, answered = 0;  // check_silence() calls asked and done
  std::condition_variable done_cv;

  std::atomic<uint64_t> n_records{0}, n_transitions{0}, n_stored{0}, n_undecodable{0}, n_errors{0},
      n_power{0}, n_power_transitions{0}, n_dust{0};
};

Status LiveEvents::Impl::load_registry() {
  // The revision first: a change during the load is seen next time.
  auto revision = stores->source_ingest().registry_revision();
  if (!revision.ok()) return revision.status();
  auto load = stores->source_registry().load();
  if (!load.ok()) return load.status();
  registry = std::move(load->registry);
  registry_watch.loaded(*revision);
  auto lines = stores->power().lines("");
  if (!lines.ok()) return lines.status();
  power_modules.clear();
  line_mn.clear();
  std::vector<power::MeteredLine> metered;
  for (const PowerLineRow& l : *lines) {
    if (!l.mn.empty() && !l.code.empty()) power_modules[l.mn].lines.emplace_back(l.line, l.code);
    line_mn[l.line] = l.mn;
    auto kw = parse_milli(l.running_kw);
    if (!kw) continue;  // `ecomon power check` names it
    metered.push_back({l.line, l.enterprise, l.name,
                       l.role == "treatment" ? power::LineRole::kTreatment : power::LineRole::kProduction,
                       Decimal::of_milli(*kw), l.serves, l.interval_s});
  }
  treatment_tracker.set_lines(metered);
  stop_tracker.set_lines(metered);
  if (!power_modules.empty()) {
    auto devices = stores->sources().devices();
    if (!devices.ok()) return devices.status();
    for (const DeviceRecord& d : *devices) {
      if (auto it = power_modules.find(d.mn); it != power_modules.end()) it->second.password = d.password;
    }
  }
  auto points = stores->dust().points();
  if (!points.ok()) return points.status();
  dust_points.clear();
  for (const DustPointRow& p : *points) {
    auto type = dust::parse_point_type(p.type);
    dust_points[p.mn].point = {p.id, p.mn, type.value_or(dust::PointType::kOther)};
  }
  if (!dust_points.empty()) {
    auto devices = stores->sources().devices();
    if (!devices.ok()) return devices.status();
    for (const DeviceRecord& d : *devices) {
      if (auto it = dust_points.find(d.mn); it != dust_points.end()) it->second.password = d.password;
    }
  }
  auto j = judged_of(registry, options.params);
  for (const auto& [mn, unused] : dust_points) {
    std::vector<int>& cns = (*j)[mn];
    for (int cn : {kDustRealtimeCn, kDustMinuteCn}) {
      if (std::find(cns.begin(), cns.end(), cn) == cns.end()) cns.push_back(cn);
    }
  }
  for (const auto& [mn, unused] : power_modules) {
    std::vector<int>& cns = (*j)[mn];
    if (std::find(cns.begin(), cns.end(), kPowerCn) == cns.end()) cns.push_back(kPowerCn);
  }
  std::lock_guard<std::mutex> lock(mu);
  judged = std::move(j);
  return Status();
}

Status LiveEvents::Impl::open() {
  ECOMON_RETURN_IF_ERROR(sources::validate_event_params(options.params));
  if (!open_stores) return invalid_argument("live events: no store to open");
  auto s = open_stores();
  if (!s.ok()) return s.status();
  stores = std::move(*s);
  events = &stores->source_events();
  registry_watch = RegistryWatch(std::chrono::seconds(options.registry_refresh_s));
  ECOMON_RETURN_IF_ERROR(dust::validate_dust_params(options.dust));
  ECOMON_RETURN_IF_ERROR(power::validate_tracker_params(options.power));
  orders_from = civil_now() - int64_t{options.remember_days} * sources::kSecondsPerDay;
  ECOMON_RETURN_IF_ERROR(load_registry());
  load_stop_orders();
  return restore_dust();
}

Status LiveEvents::Impl::restore_dust() {
  if (dust_points.empty()) return Status();
  auto open = events->events({.open_only = true});
  if (!open.ok()) return open.status();
  for (const StoredEvent& e : *open) {
    auto it = dust_points.find(e.open.key.mn);
    if (is_dust_kind(e.open.key.kind) && it != dust_points.end())
      dust_tracker.restore(it->second.point, e.open);
  }
  const sources::SourceTime now = civil_now();
  auto recent =
      stores->dust().readings({}, {now - int64_t{options.replay_hours} * sources::kSecondsPerHour, now + 1});
  if (!recent.ok()) return recent.status();
  std::unordered_map<std::string, const dust::Point*> by_id;
  for (const auto& [mn, p] : dust_points) by_id[p.point.id] = &p.point;
  for (const DustReadingRow& r : *recent) {
    if (auto it = by_id.find(r.point); it != by_id.end() && r.cn == kDustMinuteCn && !r.tsp.empty()) {
      dust_tracker.seen(*it->second, r.at);
    }
  }
  return Status();
}

void LiveEvents::Impl::load_stop_orders() {
  if (!options.stop_orders || line_mn.empty()) return;
  auto orders =
      options.stop_orders(*stores, {orders_from, sources::SourceTime::of_seconds(int64_t{1} << 50)});
  if (!orders.ok()) {
    ++n_errors;
    options.log("power stop orders: " + orders.status().message());
    return;
  }
  stop_tracker.set_orders(*orders);
}

void LiveEvents::Impl::store(const std::vector<sources::EventTransition>& ts) {
  if (ts.empty()) return;
  n_transitions += ts.size();
  auto changed = events->apply(ts, options.clock_ms());
  if (!changed.ok()) {
    ++n_errors;
    options.log("event store error: " + changed.status().message());
    return;
  }
  n_stored += static_cast<uint64_t>(*changed);
  for (const sources::EventTransition& t : ts) options.log("event " + sources::describe(t));
}

void LiveEvents::Impl::replay() {
  const sources::SourceTime now = civil_now();
  const sources::SourceTime from = now - int64_t{options.replay_hours} * sources::kSecondsPerHour;
  const sources::SourceTime remembered = now - int64_t{options.remember_days} * sources::kSecondsPerDay;
  watch_begin = from;
  std::vector<sources::EventTransition> out;
  auto fail = [&](const Status& s) {
    ++n_errors;
    options.log("events: cannot re-judge the last hours: " + s.message());
  };
  // Past events (late records inside them are not raised again), then the silence clocks, then the events
  // still open that began before the hours judged again (those after are raised again, idempotently).
  auto past = events->events({.closed_since = remembered});
  if (!past.ok()) return fail(past.status());
  for (const StoredEvent& e : *past) {
    if (!is_dust_kind(e.open.key.kind) && !sources::is_power_event(e.open.key.kind))
      tracker.restore(e.open, e.closed_at);
  }
  auto primed = prime_silence_clocks(upload_reader(stores->sources()), registry, tracker, from, "");
  if (!primed.ok()) return fail(primed.status());
  auto open = events->events({.open_only = true});
  if (!open.ok()) return fail(open.status());
  for (const StoredEvent& e : *open) {
    if (e.open.at < from && !is_dust_kind(e.open.key.kind) && !sources::is_power_event(e.open.key.kind))
      tracker.restore(e.open, std::nullopt);
  }
  replay_power(from, now, *open, out);
  auto fed = feed_stored_records(
      upload_reader(stores->sources()), registry, tracker, from, now, "",
      [&](const std::vector<sources::EventTransition>& ts) { out.insert(out.end(), ts.begin(), ts.end()); });
  if (!fed.ok()) return fail(fed.status());
  n_undecodable += static_cast<uint64_t>(fed->undecodable);
  const auto quiet = tracker.evaluate(registry, now);
  out.insert(out.end(), quiet.begin(), quiet.end());
  store(out);
  (void)events->note_watch(watch_begin, now);
}

void LiveEvents::Impl::judge(std::vector<SourceRecord>& records, std::vector<sources::EventTransition>& out) {
  for (const SourceRecord& r : records) {
    if (r.cn == kPowerCn) power_readings(r, out);
    if ((r.cn == kDustRealtimeCn || r.cn == kDustMinuteCn) && !dust_points.empty()) dust_upload(r, out);
    const sources::Device* d = registry.find_device(r.mn);
    if (!d) continue;  // left the registry since it was queued
    if (is_check_upload(r.cn)) {
      auto ts = feed_check_upload(r, d->password, registry, tracker);
      if (!ts.ok()) {
        ++n_undecodable;
        continue;
      }
      ++n_records;
      out.insert(out.end(), ts->begin(), ts->end());
      continue;
    }
    auto m = monitoring_record(r, d->password);
    if (!m.ok()) {
      ++n_undecodable;
      continue;
    }
    ++n_records;
    auto ts = tracker.feed(registry, *m);
    if (ts.ok()) out.insert(out.end(), ts->begin(), ts->end());
  }
  write_power_readings();
  write_dust_readings();
}

void LiveEvents::Impl::dust_upload(const SourceRecord& r, std::vector<sources::EventTransition>& out) {
  auto it = dust_points.find(r.mn);
  if (it == dust_points.end()) return;
  auto m = monitoring_record(r, it->second.password);
  if (!m.ok()) {
    ++n_undecodable;
    return;
  }
  auto v = dust::upload_values(*m);
  if (!v) return;
  dust_rows.push_back(
      {it->second.point.id, v->cn, v->at, v->tsp, v->pm10, v->pm25, v->noise, v->wind_speed, v->wind_dir});
  // The rule reads the minute data's TSP (its DataTime the minute's start); real-time data are kept only.
  if (v->cn != kDustMinuteCn || v->tsp.empty()) return;
  auto tsp = parse_milli(v->tsp);
  if (!tsp) return;
  const auto ts = dust_tracker.feed(it->second.point, {v->at, Decimal::of_milli(*tsp)});
  out.insert(out.end(), ts.begin(), ts.end());
}

void LiveEvents::Impl::write_dust_readings() {
  if (dust_rows.empty()) return;
  auto w = stores->dust().write_readings(dust_rows);
  if (!w.ok()) {
    ++n_errors;
    options.log("dust readings: " + w.status().message());
  } else {
    n_dust += dust_rows.size();
  }
  dust_rows.clear();
}

void LiveEvents::Impl::power_feed(const std::string& line, sources::SourceTime t, Decimal kw,
                                  std::vector<sources::EventTransition>& out) {
  auto add = [&](const std::vector<power::PowerTransition>& ts) {
    for (const power::PowerTransition& p : ts) {
      const bool treat = p.event.rule == "treatment_not_running";
      sources::EventTransition e;
      e.transition = p.open ? sources::Transition::kOpen : sources::Transition::kClose;
      // The treatment line's module (treatment) or the production line's (stop).
      e.key.mn = line_mn[treat ? p.event.related : p.event.line];
      e.key.kind =
          treat ? sources::EventKind::kTreatmentNotRunning : sources::EventKind::kProductionDuringStop;
      e.key.pollutant = treat ? p.event.related + ">" + p.event.line : p.event.line;
      e.at = p.open ? p.event.opened : *p.event.closed;
      e.data_time = t;
      if (p.open) {
        e.value = p.kw;
        e.limit = p.running_kw;
      }
      out.push_back(std::move(e));
      ++n_power_transitions;
    }
  };
  add(treatment_tracker.feed(line, t, kw));
  add(stop_tracker.feed(line, t, kw));
}

void LiveEvents::Impl::replay_power(sources::SourceTime from, sources::SourceTime now,
                                    const std::vector<StoredEvent>& open,
                                    std::vector<sources::EventTransition>& out) {
  if (line_mn.empty()) return;
  for (const StoredEvent& e : open) {
    if (!(e.open.at < from)) continue;  // raised again from the readings below
    const std::string& k = e.open.key.pollutant;
    if (e.open.key.kind == sources::EventKind::kTreatmentNotRunning) {
      const size_t gt = k.find('>');
      if (gt != std::string::npos)
        treatment_tracker.restore_open(k.substr(0, gt), k.substr(gt + 1), e.open.at);
    } else if (e.open.key.kind == sources::EventKind::kProductionDuringStop) {
      stop_tracker.restore_open(k, e.open.at);
    }
  }
  std::vector<std::string> ids;
  for (const auto& [line, mn] : line_mn) ids.push_back(line);
  auto rs = stores->power().readings(ids, {from, now + 1});
  if (!rs.ok()) {
    ++n_errors;
    options.log("events: cannot re-judge the power readings: " + rs.status().message());
    return;
  }
  // In time order across lines: a reading waits for its partner line's at the same time.
  std::stable_sort(rs->begin(), rs->end(),
                   [](const PowerReadingRow& a, const PowerReadingRow& b) { return a.at < b.at; });
  for (const PowerReadingRow& r : *rs) {
    if (auto kw = parse_milli(r.kw)) power_feed(r.line, r.at, Decimal::of_milli(*kw), out);
  }
}

void LiveEvents::Impl::power_readings(const SourceRecord& r, std::vector<sources::EventTransition>& out) {
  auto it = power_modules.find(r.mn);
  if (it == power_modules.end()) return;
  auto m = monitoring_record(r, it->second.password);
  if (!m.ok()) {
    ++n_undecodable;
    return;
  }
  for (const auto& [line, code] : it->second.lines) {
    const sources::PollutantValue* v = m->find(code);
    if (v != nullptr && v->rtd && v->flag == sources::DataFlag::kNormal) {
      power_rows.push_back({line, m->data_time, v->rtd->to_string()});
      power_feed(line, m->data_time, *v->rtd, out);
    }
  }
}

void LiveEvents::Impl::write_power_readings() {
  if (power_rows.empty()) return;
  auto w = stores->power().write_readings(power_rows);
  if (!w.ok()) {
    ++n_errors;
    options.log("power readings: " + w.status().message());
  } else {
    n_power += w->size();
  }
  power_rows.clear();
}

void LiveEvents::Impl::run() {
  replay();
  auto next_silence = std::chrono::steady_clock::now() + std::chrono::seconds(options.silence_check_s);
  auto last_forget = std::chrono::steady_clock::now();
  std::vector<SourceRecord> batch;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> heard;
  while (true) {
    bool silence = false, last = false;
    uint64_t generation = 0;
    {
      std::unique_lock<std::mutex> lock(mu);
      // At most a second: the registry's revision is checked that often (below).
      cv.wait_until(lock, std::min(next_silence, std::chrono::steady_clock::now() + std::chrono::seconds(1)),
                    [&] { return stopping || silence_asked || !queue.empty(); });
      batch.swap(queue);
      heard.swap(heartbeats);
      generation = asked;
      silence = silence_asked || std::chrono::steady_clock::now() >= next_silence;
      silence_asked = false;
      last = stopping;
    }
    // The registry: reloaded when a device, outlet, limit or stop period changed (RegistryWatch).
    if (registry_watch.due(stores->source_ingest())) {
      if (Status s = load_registry(); !s.ok()) options.log("events: registry: " + s.message());
    }
    std::vector<sources::EventTransition> out;
    judge(batch, out);
    batch.clear();
    for (const auto& [mn, utc_ms] : heard) {
      const auto ts =
          tracker.heartbeat(registry, mn, sources::SourceTime::of_utc_seconds(utc_ms / kMsPerSecond));
      out.insert(out.end(), ts.begin(), ts.end());
    }
    heard.clear();
    if (silence || last) {
      const sources::SourceTime now = civil_now();
      const auto quiet = tracker.evaluate(registry, now);
      out.insert(out.end(), quiet.begin(), quiet.end());
      const auto dust_quiet = dust_tracker.evaluate(now);
      out.insert(out.end(), dust_quiet.begin(), dust_quiet.end());
      (void)events->note_watch(watch_begin, now);
      load_stop_orders();  // a warning declared or lifted: within silence_check_s
      next_silence = std::chrono::steady_clock::now() + std::chrono::seconds(options.silence_check_s);
      if (std::chrono::steady_clock::now() - last_forget > std::chrono::hours(1)) {
        tracker.forget_before(now - int64_t{options.remember_days} * sources::kSecondsPerDay);
        last_forget = std::chrono::steady_clock::now();
      }
    }
    store(out);
    {
      std::lock_guard<std::mutex> lock(mu);
      answered = std::max(answered, generation);
      ended = last;
    }
    done_cv.notify_all();
    if (last) return;
  }
}

LiveEvents::LiveEvents(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveEvents::~LiveEvents() { stop(); }

StatusOr<std::unique_ptr<LiveEvents>> LiveEvents::start(const StoresOpener& stores,
                                                        LiveEventOptions options) {
  auto impl = std::make_unique<Impl>(stores, std::move(options));
  ECOMON_RETURN_IF_ERROR(impl->open());
  Impl* raw = impl.get();
  raw->worker = std::thread([raw] { raw->run(); });
  return std::unique_ptr<LiveEvents>(new LiveEvents(std::move(impl)));
}

// Copies the records of devices and kinds the tracker judges into the worker's queue and wakes it.
template <typename Record, typename Copy>
void queue_judged(LiveEvents::Impl& impl, std::span<const Record> records, Copy copy) {
  std::shared_ptr<const Judged> judged;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    judged = impl.judged;
  }
  if (judged->empty()) return;
  std::vector<SourceRecord> wanted;
  for (const Record& r : records) {
    auto it = judged->find(std::string_view(r.mn));
    if (it == judged->end() || std::find(it->second.begin(), it->second.end(), r.cn) == it->second.end()) {
      continue;
    }
    wanted.push_back(copy(r));
  }
  if (wanted.empty()) return;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    impl.queue.insert(impl.queue.end(), std::make_move_iterator(wanted.begin()),
                      std::make_move_iterator(wanted.end()));
  }
  impl.cv.notify_one();
}

void LiveEvents::committed(std::span<const SourceRecord> records) {
  queue_judged(*impl_, records, [](const SourceRecord& r) { return r; });
}

void LiveEvents::committed(std::span<const SourceRecordView> records) {
  queue_judged(*impl_, records, [](const SourceRecordView& r) { return owned_record(r); });
}

void LiveEvents::heartbeat(std::string_view mn, int64_t utc_ms) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->heartbeats.find(mn);
  if (it == impl_->heartbeats.end()) {
    impl_->heartbeats.emplace(std::string(mn), utc_ms);
  } else if (it->second < utc_ms) {
    it->second = utc_ms;
  }
}

void LiveEvents::check_silence() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->silence_asked = true;
  const uint64_t mine = ++impl_->asked;
  impl_->cv.notify_one();
  impl_->done_cv.wait(lock, [&] { return impl_->ended || impl_->answered >= mine; });
}

LiveEventStats LiveEvents::stats() const {
  return {impl_->n_records,           impl_->n_transitions, impl_->n_stored,
          impl_->n_undecodable,       impl_->n_errors,      impl_->n_power,
          impl_->n_power_transitions, impl_->n_dust};
}

void LiveEvents::stop() { impl_->stop_worker(); }

}  // namespace ecomon
