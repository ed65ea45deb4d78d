#include "app/emissions.h"

#include <map>
#include <memory>
#include <set>

#include "app/emergency.h"
#include "app/sources.h"
#include "sources/stored_upload.h"
#include "store/api/source_day_loads.h"

namespace ecomon::app {
namespace {

sources::TimeSpan span_of(const DayRange& r) {
  return {sources::SourceTime::of(r.first), sources::SourceTime::of(r.last + 1)};
}

constexpr int64_t kMaxRecordsPerRead = 1'000'000;  // a month of 30 s real-time data is 89,280
constexpr int64_t kYearDigits = 10000, kMonthDigits = 100;
constexpr sources::DataKind kAllKinds[] = {sources::DataKind::kRealtime, sources::DataKind::kMinute,
                                           sources::DataKind::kHourly, sources::DataKind::kDaily};

int64_t day_digits(CivilDay d) { return d.year() * kYearDigits + d.month() * kMonthDigits + d.day(); }
CivilDay day_of_digits(int64_t v) {
  return CivilDay::from_ymd(static_cast<int>(v / kYearDigits), static_cast<int>(v / kMonthDigits % 100),
                            static_cast<int>(v % kMonthDigits));
}

// A registered device the loads count: active, its outlet and enterprise in the registry.
struct Counted {
  const sources::Device* device;
  sources::OutletKind kind;
};
std::vector<Counted> counted_devices(const sources::SourceRegistry& registry, const std::string& county,
                                     const std::string& enterprise, const std::string& mn = "") {
  std::vector<Counted> out;
  for (const sources::Device* d : registry.devices()) {
    const sources::Outlet* o = registry.find_outlet(d->outlet_id);
    const sources::Enterprise* e = o ? registry.find_enterprise(o->enterprise_id) : nullptr;
    if (!o || !e || !d->active) continue;
    if ((!county.empty() && e->county != county) || (!enterprise.empty() && e->id != enterprise)) continue;
    if (!mn.empty() && d->mn != mn) continue;
    out.push_back({d, o->kind});
  }
  return out;
}

// The rows of a device's days in `days` computed from its stored uploads of `kind`: per day with an upload,
// the day's own row (pollutant "", intervals_missing = the uploads the codec could not read) and one per
// pollutant with a load.
StatusOr<std::vector<StoredDayLoad>> computed_rows(SourceStore& uploads, const Counted& c,
                                                   sources::DataKind kind, DayRange days) {
  const sources::Device& d = *c.device;
  const int cn = upload_cn(kind);
  const sources::TimeSpan span = span_of(days);
  auto recs =
      uploads.source_records(d.mn, cn, span.begin.to_digits(), span.end.to_digits() - 1, kMaxRecordsPerRead);
  if (!recs.ok()) return recs.status().with_context("device " + d.mn);
  const int64_t fp = day_load_fingerprint(d, c.kind);
  std::map<int64_t, StoredDayLoad> day_rows;  // the days with an upload
  std::vector<sources::MonitoringRecord> decoded;
  decoded.reserve(recs->size());
  for (const SourceRecord& rec : *recs) {
    const int64_t day = rec.data_time / 1000000;
    StoredDayLoad& own = day_rows[day];
    own = {d.mn, cn, day, "", 0, 0, 0, own.intervals_missing, 0, fp};
    auto m = monitoring_record(rec, d.password);
    if (m.ok()) {
      decoded.push_back(std::move(*m));
    } else {
      ++own.intervals_missing;
    }
  }
  auto loads = sources::device_day_loads(d, c.kind, days, decoded, {kind});
  if (!loads.ok()) return loads.status();
  std::vector<StoredDayLoad> out;
  for (auto& [day, own] : day_rows) out.push_back(own);
  for (const sources::DayLoad& l : *loads) {
    const sources::PollutantLoad& p = l.load;
    out.push_back({d.mn, cn, day_digits(l.day), p.pollutant, p.kg, p.intervals_cou, p.intervals_flow,
                   p.intervals_missing, p.covered_seconds, fp});
  }
  std::sort(out.begin(), out.end(), [](const StoredDayLoad& a, const StoredDayLoad& b) {
    return std::tie(a.mn, a.day, a.pollutant) < std::tie(b.mn, b.day, b.pollutant);
  });
  return out;
}

// The day-loads of the counted devices over `range` as stored, after the stale ones are recomputed and
// stored (marked by an upload, or computed under another registry entry): by MN. The uploads the codec
// could not read are added to *undecodable.
StatusOr<std::map<std::string, std::vector<sources::DayLoad>>> fresh_day_loads(
    Stores& stores, SourceDayLoadStore& store, std::span<const Counted> devices, sources::DataKind kind,
    DayRange range, int64_t* undecodable) {
  const int cn = upload_cn(kind);
  const int64_t first = day_digits(range.first), last = day_digits(range.last);
  auto rows = store.day_loads("", cn, first, last);
  if (!rows.ok()) return rows.status();
  auto stale = store.stale_days(cn, first, last);
  if (!stale.ok()) return stale.status();
  std::map<std::string, std::map<int64_t, int64_t>> redo;  // MN -> day -> mark (0: unmarked)
  for (const SourceDay& d : *stale) redo[d.mn][d.day] = d.mark;
  std::map<std::string, std::vector<const StoredDayLoad*>> by_mn;
  for (const StoredDayLoad& r : *rows) by_mn[r.mn].push_back(&r);
  std::map<std::string, std::vector<sources::DayLoad>> out;
  std::vector<SourceDay> replaced;
  std::vector<StoredDayLoad> written;
  for (const Counted& c : devices) {
    const std::string& mn = c.device->mn;
    const int64_t fp = day_load_fingerprint(*c.device, c.kind);
    std::map<int64_t, int64_t>& days = redo[mn];
    for (const StoredDayLoad* r : by_mn[mn])
      if (r->fingerprint != fp) days.emplace(r->day, 0);
    std::vector<const StoredDayLoad*> kept;
    for (const StoredDayLoad* r : by_mn[mn])
      if (!days.count(r->day)) kept.push_back(r);
    const size_t fresh_from = written.size();
    for (const auto& [day, mark] : days) {
      const CivilDay cd = day_of_digits(day);
      auto fresh = computed_rows(stores.sources(), c, kind, {cd, cd});
      if (!fresh.ok()) return fresh.status();
      replaced.push_back({mn, cn, day, mark});
      written.insert(written.end(), fresh->begin(), fresh->end());
    }
    std::vector<sources::DayLoad>& into = out[mn];
    auto add = [&](const StoredDayLoad& r) {
      if (r.pollutant.empty()) {
        *undecodable += r.intervals_missing;
        return;
      }
      into.push_back({r.mn, kind, day_of_digits(r.day),
                      sources::PollutantLoad{.pollutant = r.pollutant,
                                             .kg = r.kg,
                                             .intervals_cou = r.intervals_cou,
                                             .intervals_flow = r.intervals_flow,
                                             .intervals_missing = r.intervals_missing,
                                             .covered_seconds = r.covered_seconds}});
    };
    for (size_t i = fresh_from; i < written.size(); ++i) kept.push_back(&written[i]);
    // Summed day by day (the order of a double's sum); the stored rows come so.
    if (fresh_from < written.size()) {
      std::sort(kept.begin(), kept.end(), [](const StoredDayLoad* a, const StoredDayLoad* b) {
        return std::tie(a->day, a->pollutant) < std::tie(b->day, b->pollutant);
      });
    }
    for (const StoredDayLoad* r : kept) add(*r);
  }
  ECOMON_RETURN_IF_ERROR(store.replace_day_loads(replaced, written));
  return out;
}

// The loads of the counted devices over `range` from their day-loads.
StatusOr<sources::EmissionTotals> totals_from_days(Stores& stores, SourceDayLoadStore& store,
                                                   const sources::SourceRegistry& registry,
                                                   std::span<const Counted> devices, const DayRange& range,
                                                   sources::DataKind kind, int64_t* undecodable) {
  auto days = fresh_day_loads(stores, store, devices, kind, range, undecodable);
  if (!days.ok()) return days.status();
  std::vector<sources::DeviceLoads> loads;
  loads.reserve(devices.size());
  for (const Counted& c : devices) {
    if (c.device->intervals.interval_seconds(kind) <= 0)
      return invalid_argument("device " + c.device->mn + ": no interval for the data kind");
    loads.push_back(sources::loads_from_days(*c.device, c.kind, range, kind, (*days)[c.device->mn]));
  }
  return sources::emission_totals(registry, loads);
}

// The loads of the registry's devices the actor may see over `range`.
StatusOr<sources::EmissionTotals> totals_over(const sources::SourceRegistry& registry,
                                              sources::RecordSource& stored, const DayRange& range,
                                              const std::string& county, const std::string& enterprise,
                                              const sources::EmissionParams& params) {
  const sources::TimeSpan span = span_of(range);
  std::vector<sources::DeviceLoads> loads;
  for (const sources::Device* d : registry.devices()) {
    const sources::Outlet* o = registry.find_outlet(d->outlet_id);
    const sources::Enterprise* e = o ? registry.find_enterprise(o->enterprise_id) : nullptr;
    if (!o || !e || !d->active) continue;
    if ((!county.empty() && e->county != county) || (!enterprise.empty() && e->id != enterprise)) continue;
    auto recs = stored.records(*d, params.kind, span);
    if (!recs.ok()) return recs.status().with_context("device " + d->mn);
    auto l = sources::device_loads(*d, o->kind, span, *recs, params);
    if (!l.ok()) return l.status();
    loads.push_back(std::move(*l));
  }
  return sources::emission_totals(registry, loads);
}

}  // namespace

StatusOr<EmissionsRequest> emissions_request(const EmissionsQuery& q) {
  EmissionsRequest req;
  const int given = !q.year.empty() + !q.month.empty() + (!q.from.empty() || !q.to.empty());
  if (given != 1) return invalid_argument("give one of --year YYYY, --month YYYY-MM, --from D --to D");
  if (!q.year.empty()) {
    auto d = CivilDay::parse(q.year + "-01-01");
    if (q.year.size() != 4 || !d.ok()) return invalid_argument("--year '" + q.year + "' is not a year YYYY");
    req.period = DayRange::year(d->year());
    req.period_text = q.year;
  } else if (!q.month.empty()) {
    auto d = CivilDay::parse(q.month + "-01");
    if (q.month.size() != 7 || !d.ok()) return invalid_argument("--month '" + q.month + "' is not YYYY-MM");
    req.period = DayRange::month(d->year(), d->month());
    req.period_text = q.month;
  } else {
    auto a = CivilDay::parse(q.from), b = CivilDay::parse(q.to);
    if (!a.ok()) return invalid_argument("--from '" + q.from + "' is not a day YYYY-MM-DD");
    if (!b.ok()) return invalid_argument("--to '" + q.to + "' is not a day YYYY-MM-DD");
    req.period = DayRange{*a, *b};
    req.period_text = q.from + ".." + q.to;
  }
  if (!q.base_year.empty()) {
    auto d = CivilDay::parse(q.base_year + "-01-01");
    if (q.base_year.size() != 4 || !d.ok())
      return invalid_argument("--base-year '" + q.base_year + "' is not a year YYYY");
    req.base_year = d->year();
  }
  req.county = q.county;
  if (!q.kind.empty()) {
    auto kind = sources::parse_data_kind(q.kind);
    if (!kind || q.kind.find_first_of("0123456789") != std::string::npos)
      return invalid_argument("--kind '" + q.kind + "' is not hourly, minute, daily or realtime");
    req.kind = *kind;
  }
  return req;
}

int64_t day_load_fingerprint(const sources::Device& d, sources::OutletKind kind) {
  std::string key = d.password + "|" + std::to_string(static_cast<int>(kind)) + "|" +
                    std::to_string(d.registered_at.seconds);
  for (sources::DataKind k : kAllKinds) key += "|" + std::to_string(d.intervals.interval_seconds(k));
  for (const sources::StopPeriod& p : d.stops)
    key += "|s" + std::to_string(p.span.begin.seconds) + "-" + std::to_string(p.span.end.seconds);
  for (const sources::MonitoredPollutant& p : d.pollutants) key += "|p" + p.code + " " + p.unit;
  uint64_t h = 14695981039346656037ULL;  // FNV-1a, 64 bits: the same in every build
  for (unsigned char ch : key) h = (h ^ ch) * 1099511628211ULL;
  return static_cast<int64_t>(h >> 1);  // a non-negative SQL integer
}

StatusOr<DayLoadRebuildReport> rebuild_day_loads(Stores& stores, const Actor& who, const DayLoadRebuild& req,
                                                 const std::string& via) {
  DayLoadRebuildReport rep;
  auto run = [&]() -> Status {
    if (!who.is_bureau())
      return permission_denied("rebuilding the day-loads is the bureau's (admin, analyst); " + who.user +
                               " is " + std::string(role_name(who.role)));
    if (req.from && req.to && *req.to < *req.from) return invalid_argument("--to is before --from");
    SourceDayLoadStore* store = day_loads_of(stores.sources());
    if (!store) return failed_precondition("this store keeps no day-loads (its uploads have no stale marks)");
    auto load = stores.source_registry().load();
    if (!load.ok()) return load.status();
    if (!req.mn.empty() && !load->registry.find_device(req.mn))
      return not_found("device " + req.mn + " is not in the source registry (ecomon sources import)");
    auto spans = stores.sources().source_record_spans();
    if (!spans.ok()) return spans.status();
    std::map<std::string, DayRange> stored;  // each device's days with uploads
    for (const SourceRecordSpan& sp : *spans) {
      if (sp.records == 0) continue;
      stored[sp.mn] = DayRange{day_of_digits(sp.first / 1000000), day_of_digits(sp.last / 1000000)};
    }
    for (const Counted& c : counted_devices(load->registry, "", "", req.mn)) {
      auto it = stored.find(c.device->mn);
      if (it == stored.end()) continue;
      const DayRange all{req.from ? std::max(*req.from, it->second.first) : it->second.first,
                         req.to ? std::min(*req.to, it->second.last) : it->second.last};
      for (sources::DataKind kind : kAllKinds) {
        if (c.device->intervals.interval_seconds(kind) <= 0) continue;
        const int cn = upload_cn(kind);
        // A month at a time: its uploads read once, its rows compared day by day.
        for (CivilDay m = all.first; m <= all.last;) {
          const DayRange month = DayRange::month(m.year(), m.month());
          const DayRange part{std::max(m, month.first), std::min(all.last, month.last)};
          m = part.last + 1;
          const int64_t first = day_digits(part.first), last = day_digits(part.last);
          auto now = store->day_loads(c.device->mn, cn, first, last);
          if (!now.ok()) return now.status();
          auto stale = store->stale_days(cn, first, last);
          if (!stale.ok()) return stale.status();
          auto fresh = computed_rows(stores.sources(), c, kind, part);
          if (!fresh.ok()) return fresh.status();
          std::map<int64_t, std::pair<std::vector<StoredDayLoad>, std::vector<StoredDayLoad>>> by_day;
          for (StoredDayLoad& r : *now) by_day[r.day].first.push_back(std::move(r));
          for (StoredDayLoad& r : *fresh) by_day[r.day].second.push_back(std::move(r));
          std::map<int64_t, int64_t> marks;
          for (const SourceDay& d : *stale)
            if (d.mn == c.device->mn) marks[d.day] = d.mark;
          std::vector<SourceDay> days;
          std::vector<StoredDayLoad> rows;
          for (auto& [day, both] : by_day) {
            rep.rows += static_cast<int64_t>(both.second.size());
            if (!both.second.empty()) ++rep.device_days;
            for (const StoredDayLoad& r : both.second)
              if (r.pollutant.empty()) rep.undecodable += r.intervals_missing;
            if (both.first == both.second && !marks.count(day)) continue;
            days.push_back({c.device->mn, cn, day, marks.count(day) ? marks[day] : 0});
            rows.insert(rows.end(), both.second.begin(), both.second.end());
          }
          rep.replaced += static_cast<int64_t>(days.size());
          ECOMON_RETURN_IF_ERROR(store->replace_day_loads(days, rows));
        }
      }
    }
    return Status();
  };
  const Status s = run();
  const std::string target = (req.mn.empty() ? std::string("every device") : req.mn) + " " +
                             (req.from ? req.from->to_string() : std::string("…")) + ".." +
                             (req.to ? req.to->to_string() : std::string("…"));
  AuditEntry e{.user = who.user,
               .role = std::string(role_name(who.role)),
               .action = "emissions.rebuild",
               .target = target,
               .outcome = s.ok()                                      ? "ok"
                          : s.code() == StatusCode::kPermissionDenied ? "denied"
                          : s.code() == StatusCode::kInvalidArgument  ? "invalid"
                                                                      : "error",
               .detail = s.ok() ? std::to_string(rep.device_days) + " device-days recomputed, " +
                                      std::to_string(rep.replaced) + " replaced"
                                : s.message(),
               .via = via};
  ECOMON_RETURN_IF_ERROR(stores.accounts().audit(e));
  if (!s.ok()) return s;
  return rep;
}

DayRange same_days_in(const DayRange& period, int year) {
  auto shift = [year](CivilDay d) {
    const int day = std::min(d.day(), days_in_month(year, d.month()));
    return CivilDay::from_ymd(year, d.month(), day);
  };
  const int years = period.last.year() - period.first.year();
  return DayRange{
      shift(period.first),
      CivilDay::from_ymd(year + years, period.last.month(),
                         std::min(period.last.day(), days_in_month(year + years, period.last.month())))};
}

StatusOr<sources::EmissionReport> emission_totals(Stores& stores, const Actor& who,
                                                  const EmissionsRequest& req) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  if (who.role == Role::kPublic) return permission_denied("emission totals are for staff and enterprises");
  if (req.period.last < req.period.first) return invalid_argument("the period ends before it begins");
  if (req.base_year) {
    if (*req.base_year < kMinYear || *req.base_year > kMaxYear)
      return invalid_argument("--base-year " + std::to_string(*req.base_year) + " is out of range");
    if (*req.base_year == req.period.first.year())
      return invalid_argument("--base-year " + std::to_string(*req.base_year) + " is the period's own year");
  }
  auto county = county_cut(who, req.county);
  if (!county.ok()) return county.status();
  const std::string enterprise = who.role == Role::kEnterprise ? who.enterprise : "";
  auto load = stores.source_registry().load();
  if (!load.ok()) return load.status();
  sources::EmissionReport r;
  r.period = req.period_text;
  r.first_day = req.period.first.to_string();
  r.last_day = req.period.last.to_string();
  r.kind = std::string(sources::data_kind_name(req.kind));
  r.county = *county;
  r.base_year = req.base_year;
  auto stored = stored_record_source(stores, &r.undecodable);
  const sources::EmissionParams params{req.kind};
  SourceDayLoadStore* day_store = req.from_uploads ? nullptr : day_loads_of(stores.sources());
  const std::vector<Counted> devices = counted_devices(load->registry, *county, enterprise);
  auto totals = [&](const DayRange& range) {
    return day_store ? totals_from_days(stores, *day_store, load->registry, devices, range, req.kind,
                                        &r.undecodable)
                     : totals_over(load->registry, *stored, range, *county, enterprise, params);
  };
  auto now = totals(req.period);
  if (!now.ok()) return now.status();
  r.totals = std::move(*now);
  if (req.period.first.year() == req.period.last.year()) {
    r.permit_year = req.period.first.year();
    std::vector<const sources::PermittedAmount*> permits;
    for (const sources::PermittedAmount* p : load->registry.permits_of(*r.permit_year)) {
      const sources::Enterprise* e = load->registry.find_enterprise(p->enterprise_id);
      if (!e || (!county->empty() && e->county != *county) || (!enterprise.empty() && e->id != enterprise))
        continue;
      permits.push_back(p);
    }
    r.permits = sources::permit_use(load->registry, r.totals, permits);
  }
  if (req.base_year) {
    const DayRange base = same_days_in(req.period, *req.base_year);
    r.base_first_day = base.first.to_string();
    r.base_last_day = base.last.to_string();
    auto then = totals(base);
    if (!then.ok()) return then.status();
    r.base = std::move(*then);
  }
  return r;
}

}  // namespace ecomon::app
