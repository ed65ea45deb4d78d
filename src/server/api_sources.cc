// /api/sources/...: devices with their state now (online, silent, exceeding), the newest uploads, events and
// the monthly transmission rates: adapters over app/sources.h, the bodies of events and rates as
// `ecomon sources events|rates --format json` (sources/sources_format.h). Every list is cut to what the
// caller may see: the bureau everything, a county user its county's enterprises, an enterprise user its own
// devices (Actor::may_access_enterprise).
#include <map>

#include "app/accounts.h"
#include "app/clock.h"
#include "app/notify.h"
#include "app/sources.h"
#include "server/api.h"
#include "sources/emissions_format.h"
#include "sources/record.h"
#include "sources/sources_format.h"

namespace ecomon::server {
namespace {

constexpr int64_t kEventWindowS = int64_t{24} * 3600;  // events: the last day unless `from` says otherwise
constexpr int64_t kDigitsMin = 19700101000000, kDigitsMax = 99991231235959;

// Whose a device is.
struct Owner {
  std::string enterprise_id, enterprise, county, outlet;
};

StatusOr<std::map<std::string, Owner>> owners(ApiContext& ctx, const Actor& who) {
  std::map<std::string, Owner> out;
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto devices = app::source_devices(**st, who);
  if (!devices.ok()) return devices.status();
  for (const DeviceRecord& d : *devices) out[d.mn] = {"", d.enterprise, d.county, d.outlet};
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto load = (*stores)->source_registry().load();
  if (!load.ok()) return load.status();
  const sources::SourceRegistry& reg = load->registry;
  // A power module (docs/power.md) is its metered lines' enterprise's: its power events show under it, and
  // its enterprise and county users see them.
  auto lines = (*stores)->power().lines("");
  if (!lines.ok()) return lines.status();
  for (const PowerLineRow& l : *lines) {
    const sources::Enterprise* e = l.mn.empty() ? nullptr : reg.find_enterprise(l.enterprise);
    if (e) out[l.mn] = {e->id, e->name, e->county, "用电监控"};
  }
  for (const sources::Device* d : reg.devices()) {
    const sources::Outlet* o = reg.find_outlet(d->outlet_id);
    const sources::Enterprise* e = o ? reg.find_enterprise(o->enterprise_id) : nullptr;
    if (e) out[d->mn] = {e->id, e->name, e->county, o->name};
  }
  return out;
}

bool visible(const Actor& a, const std::map<std::string, Owner>& own, const std::string& mn) {
  auto it = own.find(mn);
  if (it == own.end()) return a.is_bureau();
  return a.may_access_enterprise(it->second.enterprise_id, it->second.county);
}

// The `mn` parameter, refused when it names a device the caller may not see.
Status check_mn(const ApiRequest& req, const std::map<std::string, Owner>& own) {
  const std::string mn = req.param("mn");
  if (mn.empty() || visible(req.actor, own, mn)) return Status();
  return permission_denied("device " + mn + " is not yours to see");
}

int64_t civil_now_digits() { return app::civil_now().to_digits(); }

int64_t civil_digits_ago(int64_t seconds) { return (app::civil_now() - seconds).to_digits(); }

// A DataTime the parameters' checks (digits_param) have accepted.
sources::SourceTime source_time(int64_t digits) { return *sources::SourceTime::from_digits(digits); }

StatusOr<int64_t> digits_param(const ApiRequest& req, const std::string& name, int64_t fallback) {
  auto v = int_param(req, name, fallback, kDigitsMin, kDigitsMax);
  if (!v.ok()) return v.status();
  if (auto t = sources::SourceTime::from_digits(*v); !t.ok())
    return invalid_argument(name + ": " + t.status().message());
  return *v;
}

// Keeps the visible items of a list whose items carry "mn", adding the owner's enterprise id and county.
json visible_items(const Actor& a, const std::map<std::string, Owner>& own, json items) {
  json out = json::array();
  for (json& it : items) {
    const std::string mn = it.value("mn", "");
    if (!visible(a, own, mn)) continue;
    if (auto o = own.find(mn); o != own.end()) {
      it["enterprise_id"] = o->second.enterprise_id;
      it["county"] = o->second.county;
      if (it.contains("enterprise") && it["enterprise"] == "") it["enterprise"] = o->second.enterprise;
    }
    out.push_back(std::move(it));
  }
  return out;
}

StatusOr<ApiReply> devices(ApiContext& ctx, const ApiRequest& req) {
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto latest = app::latest_source_uploads(**st, req.actor, 2011);
  if (!latest.ok()) return latest.status();
  std::map<std::string, const SourceRecord*> last;
  for (const SourceRecord& r : *latest) last[r.mn] = &r;
  // The state now from the events still open over the last day.
  auto ev = app::source_events(
      **st, req.actor,
      {.from = source_time(civil_digits_ago(kEventWindowS)), .to = source_time(civil_now_digits())});
  if (!ev.ok()) return ev.status();
  std::map<std::string, std::string> state;
  for (const sources::EventRow& e : ev->events) {
    if (e.closed_at) continue;
    const std::string& mn = e.open.key.mn;
    if (e.open.key.kind == sources::EventKind::kExceedance) {
      state[mn] = "exceeding";
    } else if (e.open.key.kind == sources::EventKind::kSilence && state[mn] != "exceeding") {
      state[mn] = "silent";
    }
  }
  const std::string county = req.param("county"), enterprise = req.param("enterprise");
  json items = json::array();
  for (const auto& [mn, o] : *own) {
    if (!visible(req.actor, *own, mn)) continue;
    if (!county.empty() && o.county != county) continue;
    if (!enterprise.empty() && o.enterprise_id != enterprise) continue;
    auto l = last.find(mn);
    std::string s = state.count(mn) ? state[mn] : (l != last.end() ? "online" : "no_data");
    items.push_back({{"mn", mn},
                     {"enterprise_id", o.enterprise_id},
                     {"enterprise", o.enterprise},
                     {"county", o.county},
                     {"outlet", o.outlet},
                     {"state", s},
                     {"last_data_time", l != last.end() ? json(l->second->data_time) : json()}});
  }
  return items_reply(items);
}

StatusOr<ApiReply> latest(ApiContext& ctx, const ApiRequest& req) {
  auto cn = int_param(req, "cn", 2011, 2000, 9999);
  if (!cn.ok()) return cn.status();
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto recs = app::latest_source_uploads(**st, req.actor, static_cast<int>(*cn));
  if (!recs.ok()) return recs.status();
  json items = json::array();
  for (const SourceRecord& r : *recs) {
    items.push_back({{"mn", r.mn},
                     {"cn", r.cn},
                     {"data_time", r.data_time},
                     {"received_ms", r.received_ms},
                     {"backfill", (r.flag & kStoredFlagResent) != 0},  // HJ 212-2025 RF=1 (补传)
                     {"values", source_cp_json(r.cp)}});
  }
  return items_reply(visible_items(req.actor, *own, std::move(items)));
}

// The acknowledgement of an event as JSON: {"by", "at_ms", "note"}.
json ack_json(const EventAck& a) { return {{"by", a.by}, {"at_ms", a.at_ms}, {"note", a.note}}; }

StatusOr<ApiReply> events(ApiContext& ctx, const ApiRequest& req) {
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  ECOMON_RETURN_IF_ERROR(check_mn(req, *own));
  auto from = digits_param(req, "from", civil_digits_ago(kEventWindowS));
  if (!from.ok()) return from.status();
  auto to = digits_param(req, "to", civil_now_digits());
  if (!to.ok()) return to.status();
  if (*from > *to) return invalid_argument("from is after to");
  const std::string source = req.param("source", "auto");
  if (source != "auto" && source != "stored" && source != "computed") {
    return invalid_argument("source must be auto, stored or computed");
  }
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto list = app::source_events(**stores, req.actor,
                                 {.from = source_time(*from),
                                  .to = source_time(*to),
                                  .mn = req.param("mn"),
                                  .source = source == "stored"     ? app::EventSource::kStored
                                            : source == "computed" ? app::EventSource::kComputed
                                                                   : app::EventSource::kAuto});
  if (!list.ok()) return list.status();
  json j = source_events_json(*list);
  // Each event with its acknowledgement (who, when, note: the store's event_ack), or null.
  auto opened_digits = [](const json& e) -> int64_t {
    if (!e.contains("opened_at") || !e["opened_at"].is_string()) return 0;
    auto t = sources::SourceTime::parse(e["opened_at"].get<std::string>());
    return t.ok() ? t->to_digits() : 0;
  };
  int64_t first = *to;
  for (const json& e : j["events"]) {
    if (const int64_t d = opened_digits(e); d > 0) first = std::min(first, d);
  }
  auto acks = app::event_acks(**stores, first, *to);
  if (!acks.ok()) return acks.status();
  for (json& e : j["events"]) {
    auto str = [&](const char* k) {
      return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : "";
    };
    auto it = acks->find(EventRef{str("mn"), str("kind"), str("pollutant"), opened_digits(e)});
    e["acknowledged"] = it == acks->end() ? json(nullptr) : ack_json(it->second);
  }
  ApiReply r = items_reply(visible_items(req.actor, *own, std::move(j["events"])));
  r.body["from"] = j["from"];
  r.body["to"] = j["to"];
  r.body["source"] = j["source"];
  return r;
}

StatusOr<ApiReply> acknowledge(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"mn", "kind", "opened_at"}, {"pollutant", "note"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  const std::string mn = b["mn"], kind = b["kind"], opened = b["opened_at"];
  const std::string pollutant = b.value("pollutant", ""), note = b.value("note", "");
  if (!sources::parse_event_kind(kind))
    return failed_precondition(
        "kind must be exceedance, silence, flag_fault, standard_check, furnace_temperature, dust_exceedance, "
        "dust_silence, treatment_not_running or production_during_stop");
  if (!sources::SourceTime::parse(opened).ok())
    return failed_precondition("opened_at '" + opened + "' is not YYYY-MM-DD HH:MM:SS");
  if (note.size() > app::kMaxAckNoteBytes)
    return failed_precondition("note is longer than " + std::to_string(app::kMaxAckNoteBytes) + " bytes");
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  if (!own->count(mn)) return not_found("no device " + mn);
  if (!visible(req.actor, *own, mn)) return permission_denied("device " + mn + " is not yours to see");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const EventRef ref{mn, kind, pollutant, sources::SourceTime::parse(opened)->to_digits()};
  const int64_t now = app::now_ms();
  Status done = app::acknowledge_event(**stores, req.actor, ref, note, now);
  if (!done.ok()) {
    if (done.code() == StatusCode::kInvalidArgument) return failed_precondition(done.message());
    return done;
  }
  ApiReply r;
  r.body = {{"mn", mn},
            {"kind", kind},
            {"pollutant", pollutant},
            {"opened_at", opened},
            {"acknowledged", ack_json({ref, req.actor.user, now, note})}};
  r.audit_target = mn + "|" + kind + "|" + pollutant + "|" + opened + "|" + note;
  return r;
}

// A device's hourly series with each pollutant's limit: the duty view's 24-hour trend of one device.
StatusOr<ApiReply> device_hourly(ApiContext& ctx, const ApiRequest& req) {
  const std::string mn = req.param("mn");
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  if (!own->count(mn)) return not_found("no device " + mn);
  if (!visible(req.actor, *own, mn)) return permission_denied("device " + mn + " is not yours to see");
  auto to = digits_param(req, "to", civil_now_digits());
  if (!to.ok()) return to.status();
  auto hours = int_param(req, "hours", 24, 1, 168);
  if (!hours.ok()) return hours.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto h = app::device_hourly(**stores, req.actor, mn, source_time(*to), static_cast<int>(*hours));
  if (!h.ok()) return h.status();
  auto dec = [](const std::optional<Decimal>& d) { return d ? json(d->to_string()) : json(nullptr); };
  json series = json::array();
  for (const app::DeviceSeries& s : h->series) {
    json points = json::array();
    for (const app::DevicePoint& p : s.points) {
      points.push_back({{"time", p.data_time.to_string()},
                        {"value", dec(p.value)},
                        {"flag", std::string(1, sources::flag_letter(p.flag))}});
    }
    series.push_back({{"pollutant", s.pollutant},
                      {"name", sources::pollutant_name(s.pollutant)},
                      {"limit", dec(s.limit)},
                      {"lower", dec(s.lower)},
                      {"unit", s.unit},
                      {"basis", s.basis},
                      {"points", std::move(points)}});
  }
  ApiReply r;
  r.body = {{"mn", mn},
            {"from", h->from.to_string()},
            {"to", h->to.to_string()},
            {"undecodable", h->undecodable},
            {"series", std::move(series)}};
  return r;
}

StatusOr<ApiReply> commands(ApiContext& ctx, const ApiRequest& req) {
  auto limit = int_param(req, "last", kDefaultLimit, 1, kMaxLimit);
  if (!limit.ok()) return limit.status();
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  ECOMON_RETURN_IF_ERROR(check_mn(req, *own));
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto list = app::source_commands(**stores, req.actor, req.param("mn"), *limit);
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const SourceCommand& c : *list) items.push_back(source_command_json(c));
  return items_reply(visible_items(req.actor, *own, std::move(items)));
}

StatusOr<ApiReply> queue_command(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"mn", "command"}, {"value", "pol_id", "info_id"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  CommandRequest r{b["mn"].get<std::string>(), b["command"].get<std::string>(), {}};
  for (const char* f : {"value", "pol_id", "info_id"}) {
    if (b.contains(f)) r.args.push_back(b[f].get<std::string>());
  }
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto c = app::enqueue_source_command(**stores, req.actor, r, app::now_ms());
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kInvalidArgument) return failed_precondition(c.status().message());
    return c.status();
  }
  ApiReply reply;
  reply.status = 201;
  reply.body = source_command_json(*c);
  reply.audit_target = r.mn;
  return reply;
}

StatusOr<ApiReply> rates(ApiContext& ctx, const ApiRequest& req) {
  const std::string kind = req.param("kind", "hourly");
  if (kind != "hourly" && kind != "daily" && kind != "minute" && kind != "realtime") {
    return invalid_argument("kind must be hourly, daily, minute or realtime");
  }
  auto own = owners(ctx, req.actor);
  if (!own.ok()) return own.status();
  const std::string month = req.param("month");
  auto first = CivilDay::parse(month + "-01");
  if (!first.ok()) return invalid_argument("query parameter 'month' must be YYYY-MM, got '" + month + "'");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto list = app::source_rates(**stores, req.actor,
                                {.month = MonthKey::of(*first),
                                 .month_text = month,
                                 .kind = kind,
                                 .now = source_time(civil_now_digits())});
  if (!list.ok()) return list.status();
  json j = source_rates_json(*list);
  ApiReply r = items_reply(visible_items(req.actor, *own, std::move(j["devices"])));
  r.body["month"] = j["month"];
  r.body["kind"] = kind;
  if (j.contains("due_until")) r.body["due_until"] = j["due_until"];
  return r;
}

}  // namespace

void add_source_routes(Router& r) {
  r.add(
      {.method = "GET",
       .pattern = "/api/sources/devices",
       .access = Access::kSignedIn,
       .summary = "devices the caller may see, with owner and state now (online, silent, exceeding, no_data)",
       .params = {{"county", "only this county"}, {"enterprise", "only this enterprise id"}},
       .paged = true,
       .handler = devices});
  r.add({.method = "GET",
         .pattern = "/api/sources/latest",
         .access = Access::kSignedIn,
         .summary = "the newest upload of each visible device, values decoded",
         .params = {{"cn", "data type: 2011 real-time (default), 2051 minute, 2061 hourly, 2031 daily"}},
         .paged = true,
         .handler = latest});
  r.add({.method = "GET",
         .pattern = "/api/sources/events",
         .access = Access::kSignedIn,
         .summary = "exceedance, silence and flag-fault events (default: the last 24 hours)",
         .params = {{"from", "first DataTime, yyyymmddhhmmss"},
                    {"to", "last DataTime, yyyymmddhhmmss (default now)"},
                    {"mn", "only this device"},
                    {"source",
                     "stored (the gateway's live events), computed (from the uploads) or auto (default: "
                     "stored when the gateway watched the whole period)"}},
         .paged = true,
         .handler = events});
  r.add(
      {.method = "GET",
       .pattern = "/api/sources/commands",
       .access = Access::kSignedIn,
       .summary = "downstream commands of the visible devices, newest first, with their state and answers",
       .params = {{"mn", "only this device"}, {"last", "how many of the newest (default 100, at most 1000)"}},
       .paged = true,
       .handler = commands});
  r.add({.method = "POST",
         .pattern = "/api/sources/commands",
         .access = Access::kBureau,
         .summary =
             "queue a downstream command for a device: set-time, get-time, set-interval (value: s), "
             "get-interval, set-min-interval (value: min), get-min-interval, get-info (pol_id, info_id)",
         .action = "sources.command",
         .handler = queue_command});
  r.add({.method = "GET",
         .pattern = "/api/sources/hourly",
         .access = Access::kSignedIn,
         .summary =
             "one visible device's hourly values (CN 2061) per pollutant with its limit: the last 24 hours "
             "unless asked",
         .params = {{"mn", "the device", true},
                    {"to", "last DataTime, yyyymmddhhmmss (default now)"},
                    {"hours", "how many hours up to `to` (default 24, at most 168)"}},
         .handler = device_hourly});
  r.add({.method = "POST",
         .pattern = "/api/sources/events/ack",
         .access = Access::kSignedIn,
         .summary = "acknowledge an event of a device the caller may see (who, when, note: stored, and in "
                    "the audit log)",
         .action = "sources.events.ack",
         .handler = acknowledge});
  r.add({.method = "GET",
         .pattern = "/api/sources/rates",
         .access = Access::kSignedIn,
         .summary = "monthly transmission, validity and effective-transmission rates per device",
         .params = {{"month", "YYYY-MM", true}, {"kind", "hourly (default), daily, minute or realtime"}},
         .paged = true,
         .handler = rates});
}

}  // namespace ecomon::server
