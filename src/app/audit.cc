#include "app/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace ecomon::app {
namespace {

StatusOr<StationInfo> find_station(Stores& stores, const std::string& code) {
  if (code.empty()) return invalid_argument("name the station (its code, e.g. 2160A)");
  auto all = stores.records().all_stations();
  if (!all.ok()) return all.status();
  for (StationInfo& s : *all)
    if (s.code == code) return std::move(s);
  return not_found("no station '" + code + "' in the store");
}

// Whether `who` may audit `station`: the bureau any, a county user its county's (as assigned).
Status may_audit(Stores& stores, const Actor& who, const std::string& station) {
  if (who.is_bureau()) return Status();
  if (who.role != Role::kCounty) {
    return permission_denied("user " + who.user + " (" + std::string(role_name(who.role)) +
                             ") may not audit monitoring data");
  }
  auto county = stores.audit().station_county(station);
  if (!county.ok()) return county.status();
  if (county->empty() || !who.may_write_county(*county)) {
    return permission_denied("user " + who.user + " of " + who.county + " may not audit station " + station +
                             (county->empty() ? " (assigned to no county)" : " (of " + *county + ")"));
  }
  return Status();
}

Status check_range(Hour first, Hour last) {
  if (last < first)
    return invalid_argument("the range ends (" + last.to_string() + ") before it starts (" +
                            first.to_string() + ")");
  if (last - first + 1 > kMaxAuditHours)
    return invalid_argument("the range spans " + std::to_string(last - first + 1) + " hours; at most " +
                            std::to_string(kMaxAuditHours) + " at once");
  return Status();
}

std::vector<Pollutant> pollutants_of(const std::optional<Pollutant>& p) {
  if (p) return {*p};
  return {kAllPollutants.begin(), kAllPollutants.end()};
}

Status check_change(const AuditChange& c) {
  const std::string action(audit_action_name(c.action));
  switch (c.action) {
    case AuditAction::kInvalidate:
    case AuditAction::kCorrect:
    case AuditAction::kFlag:
      if (c.reason.empty()) return invalid_argument(action + " needs a reason (--reason)");
      break;
    case AuditAction::kRestore:
      break;
    case AuditAction::kRepublish:
      return invalid_argument("republished values come from an import, not from a user");
  }
  if (!c.reason.empty() && !is_audit_reason(c.reason)) {
    std::string codes;
    for (std::string_view r : kAuditReasons) codes += (codes.empty() ? "" : ", ") + std::string(r);
    return invalid_argument("reason '" + c.reason + "' is not one of " + codes);
  }
  if (c.action == AuditAction::kFlag && c.reason != kReasonExceptionalEvent)
    return invalid_argument("flag marks exceptional events only: --reason exceptional-event");
  if (c.action == AuditAction::kCorrect) {
    if (!c.value) return invalid_argument("correct needs the corrected value (--value)");
    if (*c.value < 0 || *c.value == kMissing) return invalid_argument("a corrected value cannot be negative");
  } else if (c.value) {
    return invalid_argument(action + " takes no value (--value is for correct)");
  }
  if (c.note.size() > 2000) return invalid_argument("the note is longer than 2,000 bytes");
  return check_range(c.first, c.last);
}

bool same(const AuditedHour& a, const AuditedHour& b) {
  return a.value == b.value && a.state == b.state && a.exceptional == b.exceptional;
}

// The versions of one station in [first, last], by (pollutant, hour), oldest first.
using VersionMap = std::map<std::pair<int, int64_t>, std::vector<AuditVersion>>;
StatusOr<VersionMap> versions_by_hour(Stores& stores, int64_t station, Hour first, Hour last) {
  auto vs = stores.audit().versions(std::span(&station, 1), first, last);
  if (!vs.ok()) return vs.status();
  VersionMap out;
  for (AuditVersion& v : *vs) out[{index_of(v.pollutant), v.hour.index()}].push_back(std::move(v));
  return out;
}

}  // namespace

StatusOr<Hour> parse_audit_hour(std::string_view text) {
  const auto bad = [&] {
    return invalid_argument("'" + std::string(text) +
                            "' is not an hour named by its end, YYYY-MM-DD HH:00 (HH 01..24, or 00 for the "
                            "previous day's 24:00)");
  };
  if (text.size() != 16 || text[10] != ' ' || text[13] != ':' || text.substr(14) != "00") return bad();
  auto day = CivilDay::parse(text.substr(0, 10));
  if (!day.ok()) return bad();
  const char h1 = text[11], h2 = text[12];
  if (h1 < '0' || h1 > '9' || h2 < '0' || h2 > '9') return bad();
  const int hour = (h1 - '0') * 10 + (h2 - '0');
  if (hour > 24) return bad();
  return hour == 0 ? Hour::ending(*day - 1, 24) : Hour::ending(*day, hour);
}

StatusOr<AuditRange> parse_audit_range(std::string_view from, std::string_view to, std::string_view pollutant,
                                       bool query_parameters) {
  const std::string dash = query_parameters ? "" : "--";
  AuditRange r;
  if (!pollutant.empty()) {
    r.pollutant = parse_pollutant(pollutant);
    if (!r.pollutant)
      return invalid_argument(dash + "pollutant '" + std::string(pollutant) +
                              "' is not SO2, NO2, PM10, PM2.5, CO or O3");
  }
  auto a = parse_audit_hour(from);
  if (!a.ok()) return a.status().with_context(dash + "from");
  auto b = to.empty() ? a : parse_audit_hour(to);
  if (!b.ok()) return b.status().with_context(dash + "to");
  r.first = *a;
  r.last = *b;
  return r;
}

StatusOr<MonthKey> parse_audit_month(std::string_view text) {
  auto d = CivilDay::parse(std::string(text) + "-01");
  if (text.size() != 7 || !d.ok())
    return invalid_argument("'" + std::string(text) + "' is not a month, YYYY-MM");
  return MonthKey::of(*d);
}

std::string month_text(MonthKey m) { return fmt::format("{}-{:02d}", m.year(), m.month()); }

StatusOr<AuditChangeResult> audit_change(Stores& stores, const Actor& who, const AuditChange& c) {
  ECOMON_RETURN_IF_ERROR(check_change(c));
  auto station = find_station(stores, c.station);
  if (!station.ok()) return station.status();
  ECOMON_RETURN_IF_ERROR(may_audit(stores, who, c.station));
  auto versions = versions_by_hour(stores, station->id, c.first, c.last);
  if (!versions.ok()) return versions.status();
  const int64_t count = c.last - c.first + 1;
  AuditChangeResult result;
  std::vector<Milli> realtime;
  for (Pollutant p : pollutants_of(c.pollutant)) {
    ECOMON_RETURN_IF_ERROR(stores.time_series().read_hourly(station->id, p, c.first, count, realtime));
    for (int64_t i = 0; i < count; ++i) {
      const Hour h = c.first + i;
      const Milli rt = realtime[static_cast<size_t>(i)];
      auto it = versions->find({index_of(p), h.index()});
      std::vector<AuditVersion> trail = it == versions->end() ? std::vector<AuditVersion>{} : it->second;
      const AuditedHour now = apply_versions(rt, trail);
      AuditVersion v{.station_id = station->id,
                     .pollutant = p,
                     .hour = h,
                     .action = c.action,
                     .value = c.action == AuditAction::kCorrect ? *c.value : kMissing,
                     .previous = now.value,
                     .reason = c.reason,
                     .note = c.note,
                     .source = c.source,
                     .who = who.user};
      trail.push_back(v);
      const AuditedHour after = apply_versions(rt, trail);
      // A restore of an hour never audited, or a change to what the hour already is, records nothing.
      const bool never_audited =
          c.action == AuditAction::kRestore && now.state == AuditedHour::State::kRealtime;
      if (never_audited || same(now, after)) {
        ++result.unchanged;
        continue;
      }
      result.recorded.push_back(std::move(v));
    }
  }
  ECOMON_RETURN_IF_ERROR(stores.audit().append(result.recorded));
  return result;
}

StatusOr<std::vector<AuditTrail>> audit_history(Stores& stores, const Actor& who,
                                                const AuditHistoryRequest& r) {
  if (!who.is_bureau() && who.role != Role::kCounty)
    return permission_denied("user " + who.user + " (" + std::string(role_name(who.role)) +
                             ") may not read the audit trail");
  ECOMON_RETURN_IF_ERROR(check_range(r.first, r.last));
  auto station = find_station(stores, r.station);
  if (!station.ok()) return station.status();
  auto versions = versions_by_hour(stores, station->id, r.first, r.last);
  if (!versions.ok()) return versions.status();
  auto closings = stores.audit().month_closings(MonthKey::of(r.first.day()), MonthKey::of(r.last.day()));
  if (!closings.ok()) return closings.status();
  std::map<int32_t, bool> closed;
  for (const MonthClosing& m : *closings) closed[m.month.ordinal] = m.closed;
  std::vector<AuditTrail> out;
  std::vector<Milli> realtime;
  for (auto& [key, trail] : *versions) {
    const Pollutant p = static_cast<Pollutant>(key.first);
    if (r.pollutant && *r.pollutant != p) continue;
    const Hour h = Hour::from_index(key.second);
    ECOMON_RETURN_IF_ERROR(stores.time_series().read_hourly(station->id, p, h, 1, realtime));
    AuditTrail t{.station = station->code, .pollutant = p, .hour = h, .realtime = realtime[0]};
    t.versions = std::move(trail);
    const AuditedHour a = apply_versions(t.realtime, t.versions);
    t.audited = a.value;
    t.state = a.state;
    t.exceptional = a.exceptional;
    auto m = closed.find(MonthKey::of(h.day()).ordinal);
    t.month_closed = m != closed.end() && m->second;
    out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(), [](const AuditTrail& a, const AuditTrail& b) {
    return std::pair(index_of(a.pollutant), a.hour) < std::pair(index_of(b.pollutant), b.hour);
  });
  return out;
}

namespace {

Status set_closed(Stores& stores, const Actor& who, MonthKey month, const std::string& reason, bool closed) {
  if (!who.is_bureau())
    return permission_denied("user " + who.user + " (" + std::string(role_name(who.role)) + ") may not " +
                             (closed ? "close" : "reopen") + " a month: bureau only");
  if (!closed && reason.empty()) return invalid_argument("reopening a month needs a reason (--reason)");
  if (reason.size() > 2000) return invalid_argument("the reason is longer than 2,000 bytes");
  return stores.audit().set_month_closed({month, closed, who.user, reason, 0});
}

}  // namespace

Status audit_close_month(Stores& stores, const Actor& who, MonthKey month, const std::string& reason) {
  return set_closed(stores, who, month, reason, true);
}

Status audit_reopen_month(Stores& stores, const Actor& who, MonthKey month, const std::string& reason) {
  return set_closed(stores, who, month, reason, false);
}

StatusOr<std::vector<MonthClosing>> audit_months(Stores& stores, const Actor&, int year) {
  if (year == 0) return stores.audit().month_closings(std::nullopt, std::nullopt);
  return stores.audit().month_closings(MonthKey::of(year, 1), MonthKey::of(year, 12));
}

StatusOr<std::vector<AuditableStation>> audit_stations(Stores& stores, const Actor& who,
                                                       const std::string& city) {
  if (!who.is_bureau() && who.role != Role::kCounty)
    return permission_denied("user " + who.user + " (" + std::string(role_name(who.role)) +
                             ") may not audit monitoring data");
  auto all = stores.records().stations_of_city(city);
  if (!all.ok()) return all.status();
  if (all->empty()) return not_found("no stations of city '" + city + "' in the store");
  std::vector<AuditableStation> out;
  for (StationInfo& s : *all) {
    auto county = stores.audit().station_county(s.code);
    if (!county.ok()) return county.status();
    if (!who.is_bureau() && (county->empty() || !who.may_write_county(*county))) continue;
    out.push_back({std::move(s), std::move(*county)});
  }
  return out;
}

Status audit_assign_station(Stores& stores, const Actor& who, const std::string& station,
                            const std::string& county) {
  if (!who.is_bureau())
    return permission_denied("user " + who.user + " may not assign stations to counties: bureau only");
  auto s = find_station(stores, station);
  if (!s.ok()) return s.status();
  return stores.audit().set_station_county(station, county);
}

}  // namespace ecomon::app
