#include "app/sources.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "sources/rates.h"
#include "sources/stored_upload.h"

namespace ecomon::app {

StatusOr<SourceCommand> enqueue_source_command(Stores& stores, const Actor& who, const CommandRequest& r,
                                               int64_t now_ms) {
  if (!who.is_bureau()) {
    return permission_denied("only the bureau (admin, analyst) may send commands to devices; " + who.user +
                             " is " + std::string(role_name(who.role)));
  }
  // A 1002 assigns a logger its MN: provisioning, the administrator's alone (app/provisioning.h), never a
  // command any bureau user may queue.
  if (r.name == "set-mn") {
    return permission_denied(
        "set-mn is provisioning: `ecomon sources provision` (POST /api/sources/provision), "
        "administrators only");
  }
  auto c = command_of(r);
  if (!c.ok()) return c.status();
  return stores.source_commands().add(std::move(*c), who.user, now_ms);
}

StatusOr<std::vector<SourceCommand>> source_commands(Stores& stores, const Actor& /*who*/,
                                                     const std::string& mn, int64_t limit) {
  return stores.source_commands().commands(mn, limit);
}

namespace {

constexpr int64_t kMaxRecordsPerDevice = 1'000'000;  // a month of 30 s real-time data is 89,280
constexpr int kHourlyCn = 2061;

}  // namespace

int upload_cn(sources::DataKind kind) {
  switch (kind) {
    case sources::DataKind::kRealtime:
      return 2011;
    case sources::DataKind::kMinute:
      return 2051;
    case sources::DataKind::kDaily:
      return 2031;
    default:
      return kHourlyCn;
  }
}

namespace {

// The stored uploads as the rates read them (each decoded again by the codec; undecodable ones are counted).
class StoredRecords : public sources::RecordSource {
 public:
  StoredRecords(SourceStore& store, int64_t* undecodable) : store_(store), undecodable_(undecodable) {}
  StatusOr<std::vector<sources::MonitoringRecord>> records(const sources::Device& device,
                                                           sources::DataKind kind,
                                                           sources::TimeSpan period) override {
    auto recs = store_.source_records(device.mn, upload_cn(kind), period.begin.to_digits(),
                                      period.end.to_digits() - 1, kMaxRecordsPerDevice);
    if (!recs.ok()) return recs.status();
    std::vector<sources::MonitoringRecord> out;
    for (const SourceRecord& rec : *recs) {
      auto m = monitoring_record(rec, device.password);
      if (m.ok()) {
        out.push_back(std::move(*m));
      } else {
        ++*undecodable_;
      }
    }
    return out;
  }

 private:
  SourceStore& store_;
  int64_t* undecodable_;
};

}  // namespace

std::unique_ptr<sources::RecordSource> stored_record_source(Stores& stores, int64_t* undecodable) {
  return std::make_unique<StoredRecords>(stores.sources(), undecodable);
}

StatusOr<std::vector<DeviceRecord>> source_devices(Stores& stores, const Actor& /*who*/) {
  return stores.sources().devices();
}

StatusOr<std::vector<SourceRecord>> latest_source_uploads(Stores& stores, const Actor& /*who*/, int cn) {
  return stores.sources().latest_source_records(cn);
}

StatusOr<sources::EventList> source_events(Stores& stores, const Actor& /*who*/,
                                           const SourceEventsRequest& req) {
  auto load = stores.source_registry().load();
  if (!load.ok()) return load.status();
  const sources::SourceRegistry& registry = load->registry;
  if (!req.mn.empty() && !registry.find_device(req.mn)) {
    return not_found("device " + req.mn + " is not in the source registry (ecomon sources import)");
  }
  sources::EventList out;
  out.from = req.from;
  out.to = req.to;
  out.devices_without_details = load->devices_without_details;
  out.registry_problems = load->problems;
  // Stored events when the gateway watched the whole period (auto), else computed from the uploads.
  bool stored = req.source == EventSource::kStored;
  if (req.source == EventSource::kAuto) {
    auto w = stores.source_events().watched(req.from, req.to);
    if (!w.ok()) return w.status();
    stored = *w;
  }
  out.stored = stored;
  std::vector<sources::EventRow>& events = out.events;
  if (stored) {
    auto rows = stores.source_events().events({.from = req.from, .to = req.to, .mn = req.mn});
    if (!rows.ok()) return rows.status();
    for (const StoredEvent& e : *rows) {
      // As the events stood at `to`.
      events.push_back({e.open, e.closed_at && *e.closed_at <= req.to ? e.closed_at : std::nullopt, "", ""});
    }
    for (const sources::Device* d : registry.devices()) out.devices += req.mn.empty() || d->mn == req.mn;
  } else {
    const UploadReader read = upload_reader(stores.sources());
    sources::EventTracker tracker;
    if (req.from) {
      auto primed = prime_silence_clocks(read, registry, tracker, *req.from, req.mn);
      if (!primed.ok()) return primed.status();
      out.undecodable += primed->undecodable;
    }
    std::map<sources::EventKey, size_t> open;
    auto take = [&](const std::vector<sources::EventTransition>& ts) {
      for (const sources::EventTransition& t : ts) {
        if (!req.mn.empty() && t.key.mn != req.mn) continue;
        if (t.transition == sources::Transition::kOpen) {
          open[t.key] = events.size();
          events.push_back({t, std::nullopt, "", ""});
          continue;
        }
        auto it = open.find(t.key);
        if (it == open.end())
          continue;  // opened before what was fed (cannot happen: the primer has no values)
        events[it->second].closed_at = t.at;
        open.erase(it);
      }
    };
    auto fed = feed_stored_records(read, registry, tracker, req.from, req.to, req.mn, take);
    if (!fed.ok()) return fed.status();
    out.devices = fed->devices;
    out.records = fed->records;
    out.undecodable += fed->undecodable;
    take(tracker.evaluate(registry, req.to));
    // The kinds only the gateway's live thread raises (power modules, TSP points: EventTracker does not
    // compute them from the uploads) are the stored ones, watched or not, so that the duty view lists them
    // from a gateway's first minute on.
    auto live = stores.source_events().events({.from = req.from, .to = req.to, .mn = req.mn});
    if (!live.ok()) return live.status();
    for (const StoredEvent& e : *live) {
      const sources::EventKind k = e.open.key.kind;
      if (!sources::is_power_event(k) && k != sources::EventKind::kDustExceedance &&
          k != sources::EventKind::kDustSilence)
        continue;
      events.push_back({e.open, e.closed_at && *e.closed_at <= req.to ? e.closed_at : std::nullopt, "", ""});
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const sources::EventRow& a, const sources::EventRow& b) {
                       return std::tie(a.open.at, a.open.key) < std::tie(b.open.at, b.open.key);
                     });
  }
  for (sources::EventRow& e : events) {
    const sources::Device* d = registry.find_device(e.open.key.mn);
    const sources::Outlet* ou = d ? registry.find_outlet(d->outlet_id) : nullptr;
    const sources::Enterprise* en = ou ? registry.find_enterprise(ou->enterprise_id) : nullptr;
    e.enterprise = en ? en->name : "";
    e.outlet = ou ? ou->id : "";
  }
  return out;
}

StatusOr<sources::RateList> source_rates(Stores& stores, const Actor& /*who*/,
                                         const SourceRatesRequest& req) {
  sources::RateParams params;
  params.data_kind = req.kind == "daily"      ? sources::DataKind::kDaily
                     : req.kind == "minute"   ? sources::DataKind::kMinute
                     : req.kind == "realtime" ? sources::DataKind::kRealtime
                                              : sources::DataKind::kHourly;
  auto devices = stores.sources().devices();
  if (!devices.ok()) return devices.status();
  const sources::TimeSpan span = sources::month_span(req.month);
  sources::RateList out;
  out.month = req.month_text;
  out.kind = req.kind;
  if (req.now && span.contains(*req.now)) {
    params.due_until = *req.now;
    out.due_until = req.now->to_string();
  }
  // Devices with registry details (`sources import`) are rated with their registration time, stop periods
  // and rated pollutants, and so are their outlets and enterprises (ratio of sums, spec 10); the others as
  // below.
  auto load = stores.source_registry().load();
  if (!load.ok()) return load.status();
  StoredRecords stored(stores.sources(), &out.undecodable);
  auto report = sources::monthly_transmission_rates(load->registry, req.month, stored, params);
  if (!report.ok()) return report.status();
  std::map<std::string, const sources::TransmissionRate*> detailed;
  for (const sources::NamedRate& dr : report->devices) detailed[dr.id] = &dr.rate;
  for (const DeviceRecord& d : *devices) {
    sources::TransmissionRate rate;
    if (auto it = detailed.find(d.mn); it != detailed.end()) {
      rate = *it->second;
    } else {
      sources::Device device;
      device.mn = d.mn;
      device.password = d.password;
      device.active = d.active;
      device.intervals.realtime_s = d.rtd_interval_s;
      device.intervals.minute_min = d.min_interval_min;
      device.registered_at = span.begin;  // no registry details: expected all month
      auto mrecs = stored.records(device, params.data_kind, span);
      if (!mrecs.ok()) return mrecs.status();
      rate = sources::device_transmission_rate(device, span, *mrecs, params);
    }
    out.devices.push_back({d.mn, d.enterprise, rate});
  }
  out.outlets = std::move(report->outlets);
  out.enterprises = std::move(report->enterprises);
  return out;
}

MonitoringReader hj212_monitoring(Stores& stores) {
  auto loaded = std::make_shared<std::optional<RegistryLoad>>();
  return [&stores, loaded](const std::string& source_enterprise,
                           const CompliancePeriod& period) -> StatusOr<MonitoredSeries> {
    if (!*loaded) {
      auto reg = stores.source_registry().load();
      if (!reg.ok()) return reg.status();
      *loaded = std::move(*reg);
    }
    const sources::SourceRegistry& registry = (*loaded)->registry;
    SourceStore& uploads = stores.sources();
    MonitoredSeries out;
    out.registered = registry.find_enterprise(source_enterprise) != nullptr;
    auto read = [&](const sources::Device& d, const sources::TimeSpan& span,
                    std::vector<sources::MonitoringRecord>& into) -> Status {
      auto recs = uploads.source_records(d.mn, kHourlyCn, span.begin.to_digits(), (span.end - 1).to_digits(),
                                         kMaxRecordsPerDevice);
      if (!recs.ok()) return recs.status();
      for (const SourceRecord& r : *recs) {
        ++out.records;
        auto m = monitoring_record(r, d.password);
        if (m.ok()) {
          into.push_back(std::move(*m));
        } else {
          ++out.undecodable;
        }
      }
      return Status::ok_status();
    };
    for (const sources::Outlet* o : registry.outlets_of(source_enterprise)) {
      if (o->kind != sources::OutletKind::kGas) continue;
      for (const sources::Device* d : registry.devices_of(o->id)) {
        emergency::DeviceSeries s{.mn = d->mn};
        ECOMON_RETURN_IF_ERROR(read(*d, period.baseline, s.baseline));
        ECOMON_RETURN_IF_ERROR(read(*d, period.warning, s.warning));
        out.devices.push_back(std::move(s));
      }
    }
    return out;
  };
}

StatusOr<DeviceHourly> device_hourly(Stores& stores, const Actor& /*who*/, const std::string& mn,
                                     sources::SourceTime to, int hours) {
  auto load = stores.source_registry().load();
  if (!load.ok()) return load.status();
  const sources::SourceRegistry& registry = load->registry;
  const sources::Device* device = registry.find_device(mn);
  if (!device) return not_found("device " + mn + " is not in the source registry (ecomon sources import)");
  DeviceHourly out;
  out.mn = mn;
  out.to = to;
  out.from = to - int64_t{hours} * 3600;
  auto records = stores.sources().source_records(mn, 2061, (out.from + 1).to_digits(), to.to_digits(), 10000);
  if (!records.ok()) return records.status();
  std::map<std::string, DeviceSeries> series;
  for (const SourceRecord& r : *records) {
    auto m = monitoring_record(r, device->password);
    if (!m.ok()) {
      ++out.undecodable;
      continue;
    }
    for (const sources::PollutantValue& v : m->values) {
      DeviceSeries& s = series[v.code];
      if (s.pollutant.empty()) {
        s.pollutant = v.code;
        if (const sources::EmissionLimit* l = registry.limit_for(device->outlet_id, v.code, to.day())) {
          s.limit = l->upper;
          s.lower = l->lower;
          s.unit = l->unit;
          s.basis = l->basis == sources::LimitBasis::kStandardised ? "standardised" : "measured";
        }
      }
      const bool zs = s.basis == "standardised" && v.zs_avg;
      s.points.push_back({m->data_time, zs ? v.zs_avg : v.avg, v.flag});
    }
  }
  for (auto& [code, s] : series) out.series.push_back(std::move(s));
  return out;
}

}  // namespace ecomon::app
