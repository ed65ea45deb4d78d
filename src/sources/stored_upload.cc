#include "sources/stored_upload.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"

namespace ecomon {
namespace {

constexpr int64_t kMsPerSecond = 1000;

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
constexpr int64_t kEarliestDigits =
    19700101000000;  // the oldest DataTime a search for past records goes back to

// The newest stored record of (mn, cn) with DataTime before `before`, found with a few indexed look-ups:
// widen the window backwards until it holds a record, then halve it down to that record.
StatusOr<std::optional<SourceRecord>> newest_before(const UploadReader& store, const std::string& mn, int cn,
                                                    sources::SourceTime before, int64_t first_width) {
  const sources::SourceTime floor = *sources::SourceTime::from_digits(kEarliestDigits);
  auto oldest_in = [&](sources::SourceTime a,
                       sources::SourceTime b) -> StatusOr<std::optional<SourceRecord>> {
    if (b <= a) return std::optional<SourceRecord>();
    auto r = store(mn, cn, a.to_digits(), (b - 1).to_digits(), 1);
    if (!r.ok()) return r.status();
    if (r->empty()) return std::optional<SourceRecord>();
    return std::optional<SourceRecord>(r->front());
  };
  int64_t width = std::max<int64_t>(first_width, 1);
  sources::SourceTime lo = before;
  for (;;) {
    lo = std::max(floor, before - width);
    auto any = oldest_in(lo, before);
    if (!any.ok()) return any.status();
    if (*any) break;
    if (lo == floor) return std::optional<SourceRecord>();
    width *= 2;
  }
  // A record lies in [lo, hi); find the newest by halving.
  sources::SourceTime hi = before;
  while (hi - lo > 1) {
    const sources::SourceTime mid = lo + (hi - lo) / 2;
    auto upper = oldest_in(mid, hi);
    if (!upper.ok()) return upper.status();
    if (*upper) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return oldest_in(lo, hi);
}

}  // namespace

StatusOr<sources::MonitoringRecord> monitoring_record(const SourceRecord& r, const std::string& password) {
  const std::string cn = std::to_string(r.cn);  // HeaderFields holds views: the text must outlive it
  hj212::HeaderFields h;
  h.qn = r.qn;
  h.st = "31";
  h.cn = cn;
  h.pw = password;
  h.mn = r.mn;
  auto frame = hj212::encode_frame(h, r.cp, hj212::kLengthFieldMax);
  if (!frame.ok()) return frame.status();
  hj212::Message m;
  hj212::FrameError e =
      hj212::decode_frame(*frame, hj212::DecodeOptions{.policy = hj212::Policy::lenient()}, &m);
  if (!e.ok()) return e.to_status();
  auto rec = sources::record_of(m);
  if (rec.ok() && r.received_ms > 0) {
    // The store keeps the receive time as UTC milliseconds; the sources domain works in civil time.
    rec->received_at = sources::SourceTime::of_utc_seconds(r.received_ms / kMsPerSecond);
  }
  return rec;
}

StatusOr<std::vector<sources::EventTransition>> feed_check_upload(const SourceRecord& r,
                                                                  const std::string& password,
                                                                  const sources::SourceRegistry& registry,
                                                                  sources::EventTracker& tracker) {
  if (!is_check_upload(r.cn)) return invalid_argument("CN " + std::to_string(r.cn) + " is not 2062 or 2111");
  const std::string cn = std::to_string(r.cn);
  hj212::HeaderFields h;
  h.qn = r.qn;
  h.st = "31";
  h.cn = cn;
  h.pw = password;
  h.mn = r.mn;
  h.flag = hj212::kFlagVersion2025;  // CNs of HJ 212-2025 only: its item suffixes (SampleRd, ...) are read
  auto frame = hj212::encode_frame(h, r.cp, hj212::kLengthFieldMax);
  if (!frame.ok()) return frame.status();
  hj212::Message m;
  hj212::FrameError e =
      hj212::decode_frame(*frame, hj212::DecodeOptions{.policy = hj212::Policy::lenient()}, &m);
  if (!e.ok()) return e.to_status();
  if (r.cn == 2062) {
    auto check = sources::standard_check_of(m);
    if (!check.ok()) return check.status();
    return tracker.feed_standard_check(registry, *check);
  }
  auto furnace = sources::furnace_temperature_of(m);
  if (!furnace.ok()) return furnace.status();
  return tracker.feed_furnace_temperature(registry, *furnace);
}

StatusOr<FeedCounts> prime_silence_clocks(const UploadReader& store, const sources::SourceRegistry& registry,
                                          sources::EventTracker& tracker, sources::SourceTime from,
                                          const std::string& mn) {
  FeedCounts n;
  const sources::EventParams& params = tracker.params();
  for (const sources::Device* d : registry.devices()) {
    if (!mn.empty() && d->mn != mn) continue;
    ++n.devices;
    const sources::DataKind quiet = sources::silence_data_kind(*d, params.silence_data);
    const int64_t interval = d->intervals.interval_seconds(quiet);
    auto prior =
        newest_before(store, d->mn, sources::command_of(quiet), from, interval * params.silent_intervals);
    if (!prior.ok()) return prior.status();
    if (!*prior) continue;
    auto m = monitoring_record(**prior, d->password);
    if (!m.ok()) {
      ++n.undecodable;
      continue;
    }
    m->values.clear();
    (void)tracker.feed(registry, *m);
    ++n.records;
  }
  return n;
}

StatusOr<FeedCounts> feed_stored_records(
    const UploadReader& store, const sources::SourceRegistry& registry, sources::EventTracker& tracker,
    std::optional<sources::SourceTime> from, sources::SourceTime to, const std::string& mn,
    const std::function<void(const std::vector<sources::EventTransition>&)>& take) {
  FeedCounts n;
  const sources::EventParams& params = tracker.params();
  std::vector<sources::MonitoringRecord> records;
  for (const sources::Device* d : registry.devices()) {
    if (!mn.empty() && d->mn != mn) continue;
    ++n.devices;
    const sources::DataKind quiet = sources::silence_data_kind(*d, params.silence_data);
    std::vector<sources::DataKind> kinds = {sources::DataKind::kHourly, params.fault_data, quiet};
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    const int64_t first = from ? from->to_digits() : 0;
    for (sources::DataKind k : kinds) {
      auto recs = store(d->mn, sources::command_of(k), first, to.to_digits(), kNoLimit);
      if (!recs.ok()) return recs.status();
      for (const SourceRecord& r : *recs) {
        auto m = monitoring_record(r, d->password);
        if (m.ok()) {
          records.push_back(std::move(*m));
        } else {
          ++n.undecodable;
        }
      }
    }
  }
  // In time order across devices; at one DataTime in the order of the kinds (real-time first).
  std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::tie(a.data_time, a.mn, a.kind) < std::tie(b.data_time, b.mn, b.kind);
  });
  n.records = static_cast<int64_t>(records.size());
  for (const sources::MonitoringRecord& r : records) {
    auto ts = tracker.feed(registry, r);
    if (ts.ok()) take(*ts);
  }
  // HJ 212-2025 standard-sample checks and furnace temperatures, per device in DataTime order.
  for (const sources::Device* d : registry.devices()) {
    if (!mn.empty() && d->mn != mn) continue;
    std::vector<SourceRecord> checks;
    for (int cn : {2062, 2111}) {
      auto recs = store(d->mn, cn, from ? from->to_digits() : 0, to.to_digits(), kNoLimit);
      if (!recs.ok()) return recs.status();
      checks.insert(checks.end(), recs->begin(), recs->end());
    }
    std::stable_sort(checks.begin(), checks.end(),
                     [](const SourceRecord& a, const SourceRecord& b) { return a.data_time < b.data_time; });
    for (const SourceRecord& r : checks) {
      auto ts = feed_check_upload(r, d->password, registry, tracker);
      if (!ts.ok()) {
        ++n.undecodable;
        continue;
      }
      ++n.records;
      take(*ts);
    }
  }
  return n;
}

}  // namespace ecomon
