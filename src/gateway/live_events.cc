#include "gateway/live_events.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <unordered_map>
#include <vector>

#include "gateway/registry_watch.h"
#include "gateway/worker.h"
#include "sources/stored_upload.h"

namespace ecomon {
namespace {

constexpr int64_t kBeijingOffsetS = int64_t{8} * sources::kSecondsPerHour;  // civil (Beijing) time = UTC+8
constexpr int64_t kMsPerSecond = 1000;

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

std::shared_ptr<const Judged> judged_of(const sources::SourceRegistry& reg, const sources::EventParams& p) {
  auto out = std::make_shared<Judged>();
  for (const sources::Device* d : reg.devices()) {
    std::vector<int>& cns = (*out)[d->mn];
    for (sources::DataKind k :
         {sources::DataKind::kHourly, p.fault_data, sources::silence_data_kind(*d, p.silence_data)}) {
      const int cn = sources::command_of(k);
      if (std::find(cns.begin(), cns.end(), cn) == cns.end()) cns.push_back(cn);
    }
  }
  return out;
}

}  // namespace

class LiveEvents::Impl : public GatewayWorker {
 public:
  explicit Impl(StoresOpener opener, LiveEventOptions o)
      : open_stores(std::move(opener)), options(std::move(o)), tracker(options.params) {
    if (!options.clock_ms) options.clock_ms = system_ms;
    if (!options.log) options.log = [](const std::string& line) { std::cerr << line + "\n"; };
  }

  Status open();
  void run();
  sources::SourceTime civil_now() const {
    return sources::SourceTime::of_seconds(options.clock_ms() / kMsPerSecond + kBeijingOffsetS);
  }
  Status load_registry();
  // Re-judges the last replay_hours after taking back what the store holds.
  void replay();
  void judge(std::vector<SourceRecord>& records, std::vector<sources::EventTransition>& out);
  void store(const std::vector<sources::EventTransition>& ts);

  StoresOpener open_stores;
  LiveEventOptions options;
  std::unique_ptr<Stores> stores;      // this component's (opened by start(), then the worker's)
  SourceEventStore* events = nullptr;  // stores->source_events()
  sources::SourceRegistry registry;
  sources::EventTracker tracker;
  sources::SourceTime watch_begin;
  RegistryWatch registry_watch{std::chrono::seconds(LiveEventOptions{}.registry_refresh_s)};  // set in open()

  std::vector<SourceRecord> queue;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> heartbeats;  // MN -> newest, UTC ms
  std::shared_ptr<const Judged> judged = std::make_shared<Judged>();
  bool silence_asked = false;
  bool ended = false;                // the worker has returned
  uint64_t asked = 0, answered = 0;  // check_silence() calls asked and done
  std::condition_variable done_cv;

  std::atomic<uint64_t> n_records{0}, n_transitions{0}, n_stored{0}, n_undecodable{0}, n_errors{0};
};

Status LiveEvents::Impl::load_registry() {
  // The revision first: a change during the load is seen next time.
  auto revision = stores->source_ingest().registry_revision();
  if (!revision.ok()) return revision.status();
  auto load = stores->source_registry().load();
  if (!load.ok()) return load.status();
  registry = std::move(load->registry);
  registry_watch.loaded(*revision);
  auto j = judged_of(registry, options.params);
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
  return load_registry();
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
  for (const StoredEvent& e : *past) tracker.restore(e.open, e.closed_at);
  auto primed = prime_silence_clocks(upload_reader(stores->sources()), registry, tracker, from, "");
  if (!primed.ok()) return fail(primed.status());
  auto open = events->events({.open_only = true});
  if (!open.ok()) return fail(open.status());
  for (const StoredEvent& e : *open) {
    if (e.open.at < from) tracker.restore(e.open, std::nullopt);
  }
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
    const sources::Device* d = registry.find_device(r.mn);
    if (!d) continue;  // left the registry since it was queued
    auto m = monitoring_record(r, d->password);
    if (!m.ok()) {
      ++n_undecodable;
      continue;
    }
    ++n_records;
    auto ts = tracker.feed(registry, *m);
    if (ts.ok()) out.insert(out.end(), ts->begin(), ts->end());
  }
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
      const auto ts = tracker.heartbeat(
          registry, mn, sources::SourceTime::of_seconds(utc_ms / kMsPerSecond + kBeijingOffsetS));
      out.insert(out.end(), ts.begin(), ts.end());
    }
    heard.clear();
    if (silence || last) {
      const sources::SourceTime now = civil_now();
      const auto quiet = tracker.evaluate(registry, now);
      out.insert(out.end(), quiet.begin(), quiet.end());
      (void)events->note_watch(watch_begin, now);
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
  queue_judged(*impl_, records, [](const SourceRecordView& r) {
    return SourceRecord{.mn = std::string(r.mn),
                        .cn = r.cn,
                        .data_time = r.data_time,
                        .qn = std::string(r.qn),
                        .received_ms = r.received_ms,
                        .flag = r.flag,
                        .cp = std::string(r.cp)};
  });
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
  return {impl_->n_records, impl_->n_transitions, impl_->n_stored, impl_->n_undecodable, impl_->n_errors};
}

void LiveEvents::stop() { impl_->stop_worker(); }

}  // namespace ecomon
