#include "sources/emissions.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/decimal.h"

namespace ecomon::sources {
namespace {

constexpr double kMgPerKg = 1e6;
constexpr double kLitresPerM3 = 1000;
constexpr double kHourSeconds = 3600;
constexpr double kDaySeconds = 86400;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // µ (U+00B5) and μ (U+03BC) as u; ³ as 3.
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"\xc2\xb5", "u"},
                                 {"\xce\xbc", "u"},
                                 {"\xc2\xb3", "3"},
                                 {"毫克/立方米", "mg/m3"},
                                 {"毫克/升", "mg/l"},
                                 {"微克/立方米", "ug/m3"},
                                 {"微克/升", "ug/l"},
                                 {"纳克/立方米", "ng/m3"},
                                 {"纳克/升", "ng/l"},
                                 {"立方米/秒", "m3/s"},
                                 {"立方米/小时", "m3/h"},
                                 {"立方米/日", "m3/d"},
                                 {"升/秒", "l/s"}}) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size()))
      out.replace(at, from.size(), to);
  }
  return out;
}

// The (deduplicated, in-span, in-service) records of the kind, in DataTime order.
std::vector<const MonitoringRecord*> usable(const Device& device, TimeSpan span,
                                            std::span<const MonitoringRecord> records, DataKind kind) {
  std::vector<const MonitoringRecord*> out;
  std::set<int64_t> seen;
  for (const MonitoringRecord& r : records) {
    if (r.kind != kind || !span.contains(r.data_time) || r.data_time < device.registered_at) continue;
    if (device.stopped_at(r.data_time) || !seen.insert(r.data_time.seconds).second) continue;
    out.push_back(&r);
  }
  std::sort(out.begin(), out.end(),
            [](const MonitoringRecord* a, const MonitoringRecord* b) { return a->data_time < b->data_time; });
  return out;
}

// The seconds of `span` from the device's registration on, outside its stop periods.
int64_t expected_seconds(const Device& device, TimeSpan span) {
  const SourceTime begin = std::max(span.begin, device.registered_at);
  if (begin >= span.end) return 0;
  int64_t s = span.end - begin;
  for (const StopPeriod& stop : device.stops) {
    const SourceTime a = std::max(begin, stop.span.begin), b = std::min(span.end, stop.span.end);
    if (a < b) s -= b - a;  // registered stop periods do not overlap (registry validation)
  }
  return s;
}

// Whether a monitored pollutant has a load: not the flow, and a concentration or emission unit (not pH,
// temperature, O2 ...).
bool has_load(const MonitoredPollutant& mp, std::string_view flow) {
  return mp.code != flow && (concentration_factor(mp.unit) || cumulative_factor(mp.unit));
}

void add_into(std::map<std::string, LoadGroup>& groups, const std::string& key, const std::string& name,
              const DeviceLoads& d) {
  LoadGroup& g = groups[key];
  g.key = key;
  g.name = name;
  ++g.devices;
  for (const PollutantLoad& p : d.pollutants) {
    PollutantLoad& into = g.pollutants[p.pollutant];
    into.pollutant = p.pollutant;
    into += p;
  }
}

std::vector<LoadGroup> values(std::map<std::string, LoadGroup>& m) {
  std::vector<LoadGroup> out;
  for (auto& [k, g] : m) out.push_back(std::move(g));
  return out;
}

}  // namespace

std::string_view load_method_key(LoadMethod m) {
  switch (m) {
    case LoadMethod::kCumulative:
      return "cou";
    case LoadMethod::kConcentrationFlow:
      return "concentration_x_flow";
    case LoadMethod::kMixed:
      return "mixed";
    case LoadMethod::kNone:
      break;
  }
  return "none";
}

std::string_view load_method_name(LoadMethod m) {
  switch (m) {
    case LoadMethod::kCumulative:
      return "累计值(-Cou)";
    case LoadMethod::kConcentrationFlow:
      return "浓度×流量";
    case LoadMethod::kMixed:
      return "累计值与浓度×流量";
    case LoadMethod::kNone:
      break;
  }
  return "无数据";
}

LoadMethod PollutantLoad::method() const {
  if (intervals_cou > 0 && intervals_flow > 0) return LoadMethod::kMixed;
  if (intervals_cou > 0) return LoadMethod::kCumulative;
  if (intervals_flow > 0) return LoadMethod::kConcentrationFlow;
  return LoadMethod::kNone;
}

std::optional<double> PollutantLoad::completeness_percent() const {
  if (period_seconds <= 0) return std::nullopt;
  constexpr double kHundred = 100;
  return static_cast<double>(covered_seconds) * kHundred / static_cast<double>(period_seconds);
}

PollutantLoad& PollutantLoad::operator+=(const PollutantLoad& o) {
  kg += o.kg;
  intervals_cou += o.intervals_cou;
  intervals_flow += o.intervals_flow;
  intervals_missing += o.intervals_missing;
  covered_seconds += o.covered_seconds;
  period_seconds += o.period_seconds;
  return *this;
}

std::optional<double> concentration_factor(std::string_view unit) {
  const std::string u = lower(unit);
  if (u == "mg/m3") return 1.0;
  if (u == "mg/l") return kLitresPerM3;
  if (u == "ug/m3") return 1e-3;
  if (u == "ug/l") return 1.0;
  if (u == "ng/m3") return 1e-6;
  if (u == "ng/l") return 1e-3;
  return std::nullopt;
}

std::optional<double> flow_factor(std::string_view unit) {
  const std::string u = lower(unit);
  if (u == "m3/s") return 1.0;
  if (u == "l/s") return 1 / kLitresPerM3;
  if (u == "m3/h") return 1 / kHourSeconds;
  if (u == "m3/d") return 1 / kDaySeconds;
  return std::nullopt;
}

std::optional<double> cumulative_factor(std::string_view concentration_unit) {
  const std::string u = lower(concentration_unit);
  if (u.starts_with("mg/")) return 1.0;
  if (u.starts_with("ug/")) return 1e-3;
  if (u.starts_with("ng/")) return 1e-6;
  return std::nullopt;
}

std::string_view flow_code(OutletKind kind) { return kind == OutletKind::kGas ? "a00000" : "w00000"; }

StatusOr<DeviceLoads> device_loads(const Device& device, OutletKind kind, TimeSpan span,
                                   std::span<const MonitoringRecord> records, const EmissionParams& params) {
  const int64_t interval = device.intervals.interval_seconds(params.kind);
  if (interval <= 0) return invalid_argument("device " + device.mn + ": no interval for the data kind");
  const std::string flow(flow_code(kind));
  std::optional<double> to_m3_s = kind == OutletKind::kGas ? 1.0 : 1 / kLitresPerM3;  // HJ 212's defaults
  if (const MonitoredPollutant* f = device.pollutant(flow)) to_m3_s = flow_factor(f->unit);
  DeviceLoads out{device.mn, device.outlet_id, {}, 0};
  const int64_t expected = expected_seconds(device, span);
  const std::vector<const MonitoringRecord*> recs = usable(device, span, records, params.kind);
  const bool realtime = params.kind == DataKind::kRealtime;
  auto value = [&](const PollutantValue& v) { return realtime ? v.rtd : v.avg; };
  for (const MonitoredPollutant& mp : device.pollutants) {
    if (!has_load(mp, flow)) continue;
    const std::optional<double> conc = concentration_factor(mp.unit), cou = cumulative_factor(mp.unit);
    PollutantLoad load;
    load.pollutant = mp.code;
    load.period_seconds = expected;
    for (const MonitoringRecord* r : recs) {
      const PollutantValue* v = r->find(mp.code);
      if (v && v->flag == DataFlag::kNormal && v->cou && cou) {
        load.kg += v->cou->to_double() * *cou;
        ++load.intervals_cou;
        load.covered_seconds += interval;
        continue;
      }
      const PollutantValue* q = r->find(flow);
      if (v && q && conc && to_m3_s && v->flag == DataFlag::kNormal && q->flag == DataFlag::kNormal &&
          value(*v) && value(*q)) {
        const double mg = value(*v)->to_double() * *conc * value(*q)->to_double() * *to_m3_s *
                          static_cast<double>(interval);
        load.kg += mg / kMgPerKg;
        ++load.intervals_flow;
        load.covered_seconds += interval;
        continue;
      }
      ++load.intervals_missing;
    }
    out.pollutants.push_back(std::move(load));
  }
  return out;
}

StatusOr<std::vector<DayLoad>> device_day_loads(const Device& device, OutletKind kind, DayRange days,
                                                std::span<const MonitoringRecord> records,
                                                const EmissionParams& params) {
  std::map<CivilDay, std::vector<MonitoringRecord>> by_day;
  for (const MonitoringRecord& r : records) {
    if (r.kind != params.kind) continue;
    const CivilDay d = r.data_time.day();
    if (days.contains(d)) by_day[d].push_back(r);
  }
  std::vector<DayLoad> out;
  for (const auto& [day, recs] : by_day) {
    auto l = device_loads(device, kind, {SourceTime::of(day), SourceTime::of(day + 1)}, recs, params);
    if (!l.ok()) return l.status();
    for (PollutantLoad& p : l->pollutants) {
      p.period_seconds = 0;  // the registry's part: worked out when summed
      out.push_back({device.mn, params.kind, day, std::move(p)});
    }
  }
  return out;
}

DeviceLoads loads_from_days(const Device& device, OutletKind kind, DayRange days, DataKind data_kind,
                            std::span<const DayLoad> day_loads) {
  const std::string flow(flow_code(kind));
  DeviceLoads out{device.mn, device.outlet_id, {}, 0};
  const int64_t expected =
      expected_seconds(device, {SourceTime::of(days.first), SourceTime::of(days.last + 1)});
  std::map<std::string, PollutantLoad> sums;
  for (const DayLoad& d : day_loads) {
    if (d.mn != device.mn || d.kind != data_kind || !days.contains(d.day)) continue;
    sums[d.load.pollutant] += d.load;
  }
  for (const MonitoredPollutant& mp : device.pollutants) {
    if (!has_load(mp, flow)) continue;
    PollutantLoad load = sums[mp.code];
    load.pollutant = mp.code;
    load.period_seconds = expected;
    out.pollutants.push_back(std::move(load));
  }
  return out;
}

EmissionTotals emission_totals(const SourceRegistry& registry, std::span<const DeviceLoads> devices) {
  std::map<std::string, LoadGroup> outlets, enterprises, counties, industries;
  EmissionTotals t;
  for (const DeviceLoads& d : devices) {
    const Outlet* o = registry.find_outlet(d.outlet);
    const Enterprise* e = o ? registry.find_enterprise(o->enterprise_id) : nullptr;
    if (!o || !e) continue;
    add_into(outlets, o->id, o->name, d);
    add_into(enterprises, e->id, e->name, d);
    add_into(counties, e->county, e->county, d);
    add_into(industries, e->industry, e->industry, d);
    ++t.total.devices;
    for (const PollutantLoad& p : d.pollutants) {
      PollutantLoad& into = t.total.pollutants[p.pollutant];
      into.pollutant = p.pollutant;
      into += p;
    }
  }
  t.outlets = values(outlets);
  t.enterprises = values(enterprises);
  t.counties = values(counties);
  t.industries = values(industries);
  return t;
}

std::optional<double> PermitUse::share_percent() const {
  constexpr double kHundred = 100, kKgPerTonne = 1000;
  if (!kg) return std::nullopt;
  return *kg / (permit.tonnes.to_double() * kKgPerTonne) * kHundred;
}

bool PermitUse::over() const {
  auto s = share_percent();
  constexpr double kWhole = 100;
  return s && *s > kWhole;
}

std::vector<PermitUse> permit_use(const SourceRegistry& registry, const EmissionTotals& totals,
                                  std::span<const PermittedAmount* const> permits) {
  std::vector<PermitUse> out;
  for (const PermittedAmount* p : permits) {
    PermitUse u{*p, {}, {}, std::nullopt};
    const bool whole = p->outlet_id.empty();
    const std::string& key = whole ? p->enterprise_id : p->outlet_id;
    const Enterprise* e = registry.find_enterprise(p->enterprise_id);
    u.enterprise_name = e ? e->name : p->enterprise_id;
    const Outlet* o = whole ? nullptr : registry.find_outlet(key);
    u.name = whole ? u.enterprise_name : o ? o->name : key;
    for (const LoadGroup& g : whole ? totals.enterprises : totals.outlets) {
      if (g.key != key) continue;
      if (auto it = g.pollutants.find(p->pollutant);
          it != g.pollutants.end() && it->second.method() != LoadMethod::kNone)
        u.kg = it->second.kg;
    }
    out.push_back(std::move(u));
  }
  return out;
}

std::optional<double> change_percent(double current, double base) {
  if (base == 0) return std::nullopt;
  constexpr double kHundred = 100;
  return (current - base) / base * kHundred;
}

std::string round_text(double value, int digits) {
  // To integer units three digits below the last one shown (which absorbs the double's representation error:
  // 1.2345 is 1.23449999... as a double, 1234500 at 10^-6), then GB/T 8170 half-even to the digits.
  constexpr int kGuard = 3;
  int64_t den = 1;
  for (int i = 0; i < digits + kGuard; ++i) den *= 10;
  const auto units = static_cast<int64_t>(std::llround(value * static_cast<double>(den)));
  return round_half_even(Rational{units, den}, digits).to_string();
}

}  // namespace ecomon::sources
