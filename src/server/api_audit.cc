// /api/air/audit/...: the data audit (数据审核, issue 19) over app/audit.h, as `ecomon audit ...` is: change
// a station's hours (POST, the role rule of app/audit.h: a county user only its county's stations, 403 and
// nothing stored otherwise), read their trail, close and reopen months, assign stations to counties. Every
// POST is written to the audit log by the router (action audit.*).
#include "air/audit_format.h"
#include "app/audit.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

// A well-formed body with wrong content is 422 (kFailedPrecondition), as the router documents.
Status content_error(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument ? failed_precondition(s.message()) : s;
}

StatusOr<ApiReply> change(ApiContext& ctx, const ApiRequest& req, AuditAction action) {
  std::vector<std::string> optional = {"to", "pollutant", "reason", "note"};
  if (action == AuditAction::kCorrect) optional.push_back("value");
  auto body = parse_body(req.body, {"station", "from"}, optional);
  if (!body.ok()) return body.status();
  const json& b = *body;
  app::AuditChange c{.action = action,
                     .station = b["station"].get<std::string>(),
                     .reason = b.value("reason", ""),
                     .note = b.value("note", ""),
                     .source = "http"};
  if (action == AuditAction::kFlag && c.reason.empty()) c.reason = std::string(kReasonExceptionalEvent);
  auto range =
      app::parse_audit_range(b["from"].get<std::string>(), b.value("to", ""), b.value("pollutant", ""), true);
  if (!range.ok()) return content_error(range.status());
  c.pollutant = range->pollutant;
  c.first = range->first;
  c.last = range->last;
  if (b.contains("value")) {
    auto v = parse_milli(b["value"].get<std::string>());
    if (!v || *v < 0 || *v > std::numeric_limits<Milli>::max())
      return failed_precondition("value '" + b["value"].get<std::string>() + "' is not a concentration");
    c.value = static_cast<Milli>(*v);
  }
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::audit_change(**stores, req.actor, c);
  if (!r.ok()) return content_error(r.status());
  ApiReply reply;
  reply.body = audit_change_json(c.station, r->recorded, r->unchanged);
  reply.audit_target = c.station + " " + b.value("pollutant", "all") + " " + c.first.to_string() + ".." +
                       c.last.to_string() + " " + c.reason;
  return reply;
}

StatusOr<ApiReply> history(ApiContext& ctx, const ApiRequest& req) {
  auto range = app::parse_audit_range(req.param("from"), req.param("to"), req.param("pollutant"), true);
  if (!range.ok()) return range.status();
  app::AuditHistoryRequest q{req.param("station"), range->pollutant, range->first, range->last};
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto trails = app::audit_history(**stores, req.actor, q);
  if (!trails.ok()) return trails.status();
  json j = audit_trails_json(q.station, *trails);
  ApiReply r = items_reply(std::move(j["hours"]));
  r.body["station"] = q.station;
  return r;
}

StatusOr<ApiReply> month(ApiContext& ctx, const ApiRequest& req, bool close) {
  auto body = parse_body(
      req.body, close ? std::vector<std::string>{"month"} : std::vector<std::string>{"month", "reason"},
      close ? std::vector<std::string>{"reason"} : std::vector<std::string>{});
  if (!body.ok()) return body.status();
  auto m = app::parse_audit_month((*body)["month"].get<std::string>());
  if (!m.ok()) return failed_precondition(m.status().message());
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const std::string reason = body->value("reason", "");
  Status s = close ? app::audit_close_month(**stores, req.actor, *m, reason)
                   : app::audit_reopen_month(**stores, req.actor, *m, reason);
  ECOMON_RETURN_IF_ERROR(content_error(s));
  ApiReply r;
  r.body = {{"month", app::month_text(*m)}, {"closed", close}};
  r.audit_target = app::month_text(*m) + (reason.empty() ? "" : " " + reason);
  return r;
}

StatusOr<ApiReply> months(ApiContext& ctx, const ApiRequest& req) {
  constexpr int64_t kLastYear = 2999;
  auto y = int_param(req, "year", 0, 0, kLastYear);
  if (!y.ok()) return y.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto list = app::audit_months(**stores, req.actor, static_cast<int>(*y));
  if (!list.ok()) return list.status();
  return items_reply(std::move(month_closings_json(*list)["closings"]));
}

StatusOr<ApiReply> assign(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"station", "county"}, {});
  if (!body.ok()) return body.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const std::string station = (*body)["station"].get<std::string>(),
                    county = (*body)["county"].get<std::string>();
  ECOMON_RETURN_IF_ERROR(app::audit_assign_station(**stores, req.actor, station, county));
  ApiReply r;
  r.body = {{"station", station}, {"county", county}};
  r.audit_target = station + " " + county;
  return r;
}

StatusOr<ApiReply> stations(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto list = app::audit_stations(**stores, req.actor, req.param("city"));
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const app::AuditableStation& s : *list) {
    items.push_back({{"code", s.station.code},
                     {"name", s.station.name},
                     {"reference", s.station.is_reference},
                     {"county", s.county.empty() ? json(nullptr) : json(s.county)}});
  }
  return items_reply(items);
}

}  // namespace

void add_audit_routes(Router& r) {
  for (const app::AuditVerb& v : app::kAuditVerbs) {
    const AuditAction action = v.action;
    r.add({.method = "POST",
           .pattern = "/api/air/audit/" + std::string(v.name),
           .access = Access::kStaff,
           .summary = std::string(v.summary),
           .action = "audit." + std::string(v.name),
           .handler = [action](ApiContext& ctx, const ApiRequest& req) { return change(ctx, req, action); }});
  }
  r.add({.method = "GET",
         .pattern = "/api/air/audit/history",
         .access = Access::kStaff,
         .summary = "the audit trail of a station's hours",
         .params = {{"station", "the station's code", true},
                    {"from", "first hour, named by its end: YYYY-MM-DD HH:00", true},
                    {"to", "last hour (default: from)"},
                    {"pollutant", "one pollutant (default: all six)"}},
         .paged = true,
         .handler = history});
  r.add({.method = "GET",
         .pattern = "/api/air/audit/stations",
         .access = Access::kStaff,
         .summary = "the stations of a city the caller may audit, with their counties",
         .params = {{"city", "city name", true}},
         .paged = true,
         .handler = stations});
  r.add({.method = "POST",
         .pattern = "/api/air/audit/close",
         .access = Access::kBureau,
         .summary = "close a month: its audited figures stay as they are",
         .action = "audit.close",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return month(ctx, req, true); }});
  r.add({.method = "POST",
         .pattern = "/api/air/audit/reopen",
         .access = Access::kBureau,
         .summary = "reopen a closed month (the reason is recorded)",
         .action = "audit.reopen",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return month(ctx, req, false); }});
  r.add({.method = "GET",
         .pattern = "/api/air/audit/months",
         .access = Access::kStaff,
         .summary = "months closed and reopened",
         .params = {{"year", "one year (default: all)"}},
         .paged = true,
         .handler = months});
  r.add({.method = "POST",
         .pattern = "/api/air/audit/assign",
         .access = Access::kBureau,
         .summary = "assign a station to a county (whose users may audit it)",
         .action = "audit.assign",
         .handler = assign});
}

}  // namespace ecomon::server
