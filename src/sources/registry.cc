#include "sources/registry.h"

#include <algorithm>

namespace ecomon::sources {
namespace {

constexpr char kLimitKeySeparator = '\x1f';

std::string limit_key(std::string_view outlet_id, std::string_view pollutant) {
  std::string k(outlet_id);
  k += kLimitKeySeparator;
  k += pollutant;
  return k;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
// Printable ASCII that does not break an HJ 212 data segment (';' '=' '&' ',' separate fields and items).
bool is_password_char(char c) { return c > ' ' && c <= '~' && c != ';' && c != '=' && c != '&' && c != ','; }

hj212::Medium medium_of(OutletKind kind) {
  return kind == OutletKind::kWater ? hj212::Medium::kWater : hj212::Medium::kAir;
}
const char* outlet_kind_name(OutletKind kind) { return kind == OutletKind::kWater ? "water" : "gas"; }

Status require(bool ok, const std::string& message) { return ok ? Status() : invalid_argument(message); }

Status validate_pollutant_code(std::string_view what, std::string_view code) {
  if (code.empty()) return invalid_argument(std::string(what) + ": pollutant code is empty");
  if (!hj212::find_pollutant(code)) {
    return invalid_argument(std::string(what) + ": unknown pollutant code '" + std::string(code) +
                            "' (not in the HJ 212-2017 vocabulary)");
  }
  return Status();
}

// "permit E1/a21026 2025", "permit E1/G1/a21026 2025".
std::string permit_name(const PermittedAmount& p) {
  return "permit " + p.enterprise_id + (p.outlet_id.empty() ? "" : "/" + p.outlet_id) + "/" + p.pollutant +
         " " + std::to_string(p.year);
}

}  // namespace

bool ReportingIntervals::uploads(DataKind kind) const {
  switch (kind) {
    case DataKind::kRealtime:
      return realtime;
    case DataKind::kMinute:
      return minute;
    case DataKind::kHourly:
      return hourly;
    case DataKind::kDaily:
      return daily;
  }
  return false;
}

int64_t ReportingIntervals::interval_seconds(DataKind kind) const {
  switch (kind) {
    case DataKind::kRealtime:
      return realtime_s;
    case DataKind::kMinute:
      return int64_t{minute_min} * kSecondsPerMinute;
    case DataKind::kHourly:
      return kSecondsPerHour;
    case DataKind::kDaily:
      return kSecondsPerDay;
  }
  return kSecondsPerHour;
}

const MonitoredPollutant* Device::pollutant(std::string_view code) const {
  for (const MonitoredPollutant& p : pollutants) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

bool Device::stopped_at(SourceTime t) const {
  return std::any_of(stops.begin(), stops.end(), [&](const StopPeriod& s) { return s.span.contains(t); });
}

Status validate_enterprise(const Enterprise& e) {
  ECOMON_RETURN_IF_ERROR(require(!e.id.empty(), "enterprise: id is empty"));
  return require(!e.name.empty(), "enterprise " + e.id + ": name is empty");
}

Status validate_outlet(const Outlet& o) {
  ECOMON_RETURN_IF_ERROR(require(!o.id.empty(), "outlet: id is empty"));
  ECOMON_RETURN_IF_ERROR(require(!o.enterprise_id.empty(), "outlet " + o.id + ": enterprise id is empty"));
  return require(!o.name.empty(), "outlet " + o.id + ": name is empty");
}

Status validate_mn(std::string_view mn, ProtocolYear protocol, const RegistryOptions& options) {
  const std::string quoted = "MN '" + std::string(mn) + "'";
  if (mn.empty()) return invalid_argument("MN is empty");
  if (options.allow_nonstandard_mn) {
    ECOMON_RETURN_IF_ERROR(require(mn.size() <= kMnMaxLength, quoted + " is longer than 24 characters"));
    return require(std::all_of(mn.begin(), mn.end(), is_alnum), quoted + " may hold only letters and digits");
  }
  if (protocol == ProtocolYear::k2017) {
    return require(
        mn.size() == kMnLength2017 && std::all_of(mn.begin(), mn.end(), is_hex),
        quoted +
            " is not 24 hexadecimal characters as HJ 212-2017 requires (allow_nonstandard_mn accepts it)");
  }
  return require(
      mn.size() == kMnLength2005 && std::all_of(mn.begin(), mn.end(), is_alnum),
      quoted + " is not 14 letters and digits as HJ/T 212-2005 requires (allow_nonstandard_mn accepts it)");
}

Status validate_intervals(const ReportingIntervals& i) {
  if (i.realtime_s < 0 || i.minute_min < 0) return invalid_argument("reporting interval is negative");
  if (!i.realtime && !i.minute && !i.hourly && !i.daily) return invalid_argument("uploads no data at all");
  if (i.realtime && (i.realtime_s < kMinRealtimeIntervalS || i.realtime_s > kMaxRealtimeIntervalS)) {
    return invalid_argument("real-time interval " + std::to_string(i.realtime_s) +
                            " s is outside 30..3600 s");
  }
  if (i.minute && std::find(std::begin(kAllowedMinuteIntervals), std::end(kAllowedMinuteIntervals),
                            i.minute_min) == std::end(kAllowedMinuteIntervals)) {
    return invalid_argument("minute interval " + std::to_string(i.minute_min) +
                            " min is not one of 1 2 3 4 5 6 10 12 15 20 30");
  }
  return Status();
}

Status validate_password(std::string_view password) {
  ECOMON_RETURN_IF_ERROR(require(password.size() == kPasswordLength,
                                 "password must be 6 characters, got " + std::to_string(password.size())));
  return require(std::all_of(password.begin(), password.end(), is_password_char),
                 "password may hold only printable ASCII other than ; = & ,");
}

Status validate_device_settings(const Device& d, const RegistryOptions& options) {
  const std::string what = "device " + d.mn;
  ECOMON_RETURN_IF_ERROR(validate_mn(d.mn, d.protocol, options).with_context("device"));
  ECOMON_RETURN_IF_ERROR(validate_password(d.password).with_context(what));
  ECOMON_RETURN_IF_ERROR(require(!d.outlet_id.empty(), what + ": outlet id is empty"));
  ECOMON_RETURN_IF_ERROR(validate_intervals(d.intervals).with_context(what));
  for (const StopPeriod& s : d.stops) {
    ECOMON_RETURN_IF_ERROR(
        require(s.span.begin < s.span.end, what + ": stop period " + s.span.begin.to_string() + " .. " +
                                               s.span.end.to_string() + " is empty or reversed"));
  }
  return Status();
}

Status validate_device(const Device& d, const RegistryOptions& options) {
  const std::string what = "device " + d.mn;
  ECOMON_RETURN_IF_ERROR(validate_device_settings(d, options));
  ECOMON_RETURN_IF_ERROR(require(!d.pollutants.empty(), what + ": monitors no pollutant"));
  bool any_rated = false;
  for (size_t i = 0; i < d.pollutants.size(); ++i) {
    const MonitoredPollutant& p = d.pollutants[i];
    ECOMON_RETURN_IF_ERROR(validate_pollutant_code(what, p.code));
    ECOMON_RETURN_IF_ERROR(require(!p.unit.empty(), what + ": pollutant " + p.code + " has no unit"));
    for (size_t j = 0; j < i; ++j) {
      ECOMON_RETURN_IF_ERROR(
          require(d.pollutants[j].code != p.code, what + ": pollutant " + p.code + " listed twice"));
    }
    any_rated = any_rated || p.rated;
  }
  return require(any_rated,
                 what + ": no pollutant is rated (at least one must count in the transmission rate)");
}

Status validate_limit(const EmissionLimit& l) {
  const std::string what = "limit " + l.outlet_id + "/" + l.pollutant;
  ECOMON_RETURN_IF_ERROR(require(!l.outlet_id.empty(), "limit: outlet id is empty"));
  ECOMON_RETURN_IF_ERROR(validate_pollutant_code(what, l.pollutant));
  ECOMON_RETURN_IF_ERROR(require(!l.unit.empty(), what + ": limit has no unit"));
  ECOMON_RETURN_IF_ERROR(
      require(l.upper > Decimal{}, what + ": limit " + l.upper.to_string() + " is not positive"));
  if (l.lower) {
    ECOMON_RETURN_IF_ERROR(
        require(*l.lower >= Decimal{}, what + ": lower limit " + l.lower->to_string() + " is negative"));
    ECOMON_RETURN_IF_ERROR(require(*l.lower < l.upper, what + ": lower limit " + l.lower->to_string() +
                                                           " is not below the upper limit " +
                                                           l.upper.to_string()));
  }
  if (l.valid_to) {
    ECOMON_RETURN_IF_ERROR(require(
        l.valid_from <= *l.valid_to,
        what + ": valid from " + l.valid_from.to_string() + " is after valid to " + l.valid_to->to_string()));
  }
  return Status();
}

Status validate_permit(const PermittedAmount& p) {
  constexpr int kMinYear = 1900, kMaxYear = 2999;
  const std::string what = permit_name(p);
  ECOMON_RETURN_IF_ERROR(require(!p.enterprise_id.empty(), "permit: enterprise id is empty"));
  ECOMON_RETURN_IF_ERROR(validate_pollutant_code(what, p.pollutant));
  ECOMON_RETURN_IF_ERROR(require(p.year >= kMinYear && p.year <= kMaxYear,
                                 what + ": year " + std::to_string(p.year) + " is not 1900..2999"));
  ECOMON_RETURN_IF_ERROR(
      require(p.tonnes > Decimal{}, what + ": " + p.tonnes.to_string() + " t is not positive"));
  return require(!p.licence.empty(), what + ": licence number is empty");
}

Status SourceRegistry::add_permit(PermittedAmount p) {
  ECOMON_RETURN_IF_ERROR(validate_permit(p));
  const std::string what = permit_name(p);
  if (!find_enterprise(p.enterprise_id))
    return not_found(what + ": enterprise " + p.enterprise_id + " is not registered");
  if (!p.outlet_id.empty()) {
    const Outlet* outlet = find_outlet(p.outlet_id);
    if (!outlet || outlet->enterprise_id != p.enterprise_id)
      return not_found(what + ": outlet " + p.outlet_id + " is not an outlet of " + p.enterprise_id);
    if (hj212::find_pollutant(p.pollutant)->medium != medium_of(outlet->kind)) {
      return invalid_argument(what + ": pollutant does not belong on a " +
                              std::string(outlet_kind_name(outlet->kind)) + " outlet");
    }
  }
  auto key = std::make_tuple(p.year, p.enterprise_id, p.outlet_id, p.pollutant);
  if (permits_.contains(key)) return {StatusCode::kAlreadyExists, what + " already registered"};
  permits_.emplace(std::move(key), std::move(p));
  return Status();
}

std::vector<const PermittedAmount*> SourceRegistry::permits_of(int year) const {
  std::vector<const PermittedAmount*> out;
  for (auto it = permits_.lower_bound(std::make_tuple(year, std::string(), std::string(), std::string()));
       it != permits_.end() && std::get<0>(it->first) == year; ++it) {
    out.push_back(&it->second);
  }
  return out;
}

Status SourceRegistry::add_enterprise(Enterprise e) {
  ECOMON_RETURN_IF_ERROR(validate_enterprise(e));
  if (enterprises_.contains(e.id))
    return {StatusCode::kAlreadyExists, "enterprise " + e.id + " already registered"};
  std::string id = e.id;
  enterprises_.emplace(std::move(id), std::move(e));
  return Status();
}

Status SourceRegistry::add_outlet(Outlet o) {
  ECOMON_RETURN_IF_ERROR(validate_outlet(o));
  if (outlets_.contains(o.id)) return {StatusCode::kAlreadyExists, "outlet " + o.id + " already registered"};
  if (!find_enterprise(o.enterprise_id)) {
    return not_found("outlet " + o.id + ": enterprise " + o.enterprise_id + " is not registered");
  }
  std::string id = o.id;
  outlets_.emplace(std::move(id), std::move(o));
  return Status();
}

Status SourceRegistry::add_device(Device d) {
  ECOMON_RETURN_IF_ERROR(validate_device(d, options_));
  const std::string what = "device " + d.mn;
  if (devices_.contains(d.mn)) return {StatusCode::kAlreadyExists, what + " already registered"};
  const Outlet* outlet = find_outlet(d.outlet_id);
  if (!outlet) return not_found(what + ": outlet " + d.outlet_id + " is not registered");
  for (const MonitoredPollutant& p : d.pollutants) {
    const hj212::PollutantCode* code = hj212::find_pollutant(p.code);
    if (code->medium != medium_of(outlet->kind)) {
      return invalid_argument(what + ": pollutant " + p.code + " does not belong on a " +
                              outlet_kind_name(outlet->kind) + " outlet");
    }
    auto it = limits_.find(limit_key(d.outlet_id, p.code));
    if (it == limits_.end()) continue;
    for (const EmissionLimit& l : it->second) {
      if (l.unit != p.unit) {
        return invalid_argument(what + ": reports " + p.code + " in " + p.unit +
                                " but its outlet's limit is in " + l.unit);
      }
    }
  }
  std::string mn = d.mn;
  devices_.emplace(std::move(mn), std::move(d));
  return Status();
}

Status SourceRegistry::add_limit(EmissionLimit l) {
  ECOMON_RETURN_IF_ERROR(validate_limit(l));
  const std::string what = "limit " + l.outlet_id + "/" + l.pollutant;
  const Outlet* outlet = find_outlet(l.outlet_id);
  if (!outlet) return not_found(what + ": outlet " + l.outlet_id + " is not registered");
  if (hj212::find_pollutant(l.pollutant)->medium != medium_of(outlet->kind)) {
    return invalid_argument(what + ": pollutant does not belong on a " +
                            std::string(outlet_kind_name(outlet->kind)) + " outlet");
  }
  if (l.basis == LimitBasis::kStandardised && outlet->kind != OutletKind::kGas) {
    return invalid_argument(what + ": a standardised (折算) limit applies to flue gas only");
  }
  for (const Device* d : devices_of(l.outlet_id)) {
    const MonitoredPollutant* p = d->pollutant(l.pollutant);
    if (p && p->unit != l.unit) {
      return invalid_argument(what + ": limit is in " + l.unit + " but device " + d->mn + " reports in " +
                              p->unit);
    }
  }
  std::deque<EmissionLimit>& same = limits_[limit_key(l.outlet_id, l.pollutant)];
  for (const EmissionLimit& other : same) {
    const bool disjoint =
        (other.valid_to && *other.valid_to < l.valid_from) || (l.valid_to && *l.valid_to < other.valid_from);
    if (!disjoint) {
      return {StatusCode::kAlreadyExists, what + ": validity from " + l.valid_from.to_string() +
                                              " overlaps the limit valid from " +
                                              other.valid_from.to_string()};
    }
  }
  same.push_back(std::move(l));
  return Status();
}

const Enterprise* SourceRegistry::find_enterprise(std::string_view id) const {
  auto it = enterprises_.find(id);
  return it == enterprises_.end() ? nullptr : &it->second;
}

const Outlet* SourceRegistry::find_outlet(std::string_view id) const {
  auto it = outlets_.find(id);
  return it == outlets_.end() ? nullptr : &it->second;
}

const Device* SourceRegistry::find_device(std::string_view mn) const {
  auto it = devices_.find(mn);
  return it == devices_.end() ? nullptr : &it->second;
}

const EmissionLimit* SourceRegistry::limit_for(std::string_view outlet_id, std::string_view pollutant,
                                               CivilDay day) const {
  auto it = limits_.find(limit_key(outlet_id, pollutant));
  if (it == limits_.end()) return nullptr;
  for (const EmissionLimit& l : it->second) {
    if (l.applies_on(day)) return &l;
  }
  return nullptr;
}

std::vector<const Enterprise*> SourceRegistry::enterprises() const {
  std::vector<const Enterprise*> out;
  for (const auto& [id, e] : enterprises_) out.push_back(&e);
  return out;
}

std::vector<const Outlet*> SourceRegistry::outlets() const {
  std::vector<const Outlet*> out;
  for (const auto& [id, o] : outlets_) out.push_back(&o);
  return out;
}

std::vector<const Device*> SourceRegistry::devices() const {
  std::vector<const Device*> out;
  for (const auto& [mn, d] : devices_) out.push_back(&d);
  return out;
}

std::vector<const Outlet*> SourceRegistry::outlets_of(std::string_view enterprise_id) const {
  std::vector<const Outlet*> out;
  for (const auto& [id, o] : outlets_) {
    if (o.enterprise_id == enterprise_id) out.push_back(&o);
  }
  return out;
}

std::vector<const Device*> SourceRegistry::devices_of(std::string_view outlet_id) const {
  std::vector<const Device*> out;
  for (const auto& [mn, d] : devices_) {
    if (d.outlet_id == outlet_id) out.push_back(&d);
  }
  return out;
}

}  // namespace ecomon::sources
