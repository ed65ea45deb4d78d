#include "app/emissions.h"

#include <memory>

#include "app/emergency.h"
#include "app/sources.h"

namespace ecomon::app {
namespace {

sources::TimeSpan span_of(const DayRange& r) {
  return {sources::SourceTime::of(r.first), sources::SourceTime::of(r.last + 1)};
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
  auto now = totals_over(load->registry, *stored, req.period, *county, enterprise, params);
  if (!now.ok()) return now.status();
  r.totals = std::move(*now);
  if (req.base_year) {
    const DayRange base = same_days_in(req.period, *req.base_year);
    r.base_first_day = base.first.to_string();
    r.base_last_day = base.last.to_string();
    auto then = totals_over(load->registry, *stored, base, *county, enterprise, params);
    if (!then.ok()) return then.status();
    r.base = std::move(*then);
  }
  return r;
}

}  // namespace ecomon::app
