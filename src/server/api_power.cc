// /api/power: adapters over power-use monitoring (用电监控, app/power.h; docs/power.md): the metered lines,
// their readings, the live events the gateway stored (治污设施未同步运行, production during a stop order)
// and the enforcement cases (closed and 散乱污 sites drawing power), listed and evaluated. Signed-in users;
// the service cuts by role (county: the enterprises of its county on the reduction list and its county's
// sites; enterprise: its own lines, no cases; the public refused). Evaluating cases is the bureau's, audited
// as power.cases.evaluate like `ecomon power cases --evaluate`. And "one enterprise, three networks"
// (app/networks.h): /api/enterprises/{id}/networks.

#include "server/api_power.h"
#include "app/clock.h"
#include "app/networks.h"
#include "app/power.h"
#include "core/decimal.h"
#include "power/power_format.h"
#include "server/api.h"
#include "server/span_param.h"

namespace ecomon::server {
namespace {

constexpr int64_t kDefaultWindowS = int64_t{24} * 3600;  // readings and events: the last day by default

json line_json(const PowerLineRow& l) {
  return {{"line", l.line},
          {"enterprise", l.enterprise},
          {"name", l.name},
          {"role", l.role},
          {"running_kw", l.running_kw},
          {"interval_s", l.interval_s},
          {"mn", l.mn},
          {"code", l.code},
          {"serves", l.serves},
          {"outlets", l.outlets},
          {"list_lines", l.list_lines}};
}

json event_json(const app::PowerEventView& e) {
  auto or_null = [](const std::string& s) { return s.empty() ? json() : json(s); };
  return {{"kind", e.kind},
          {"enterprise", e.enterprise},
          {"line", e.line},
          {"related", or_null(e.related)},
          {"mn", e.mn},
          {"opened", e.opened.to_string()},
          {"closed", e.closed ? json(e.closed->to_string()) : json()},
          {"kw", or_null(e.kw)},
          {"running_kw", or_null(e.running_kw)}};
}

StatusOr<ApiReply> lines(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::power_lines(**stores, req.actor, req.param("enterprise"));
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const PowerLineRow& l : *r) items.push_back(line_json(l));
  return items_reply(std::move(items));
}

StatusOr<ApiReply> readings(ApiContext& ctx, const ApiRequest& req) {
  auto span = span_param(req, kDefaultWindowS);
  if (!span.ok()) return span.status();
  if (req.param("enterprise").empty() && req.param("line").empty())
    return invalid_argument("query parameter 'enterprise' or 'line' is required");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::power_readings(
      **stores, req.actor, {.enterprise = req.param("enterprise"), .line = req.param("line"), .span = *span});
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const PowerReadingRow& x : *r)
    items.push_back({{"line", x.line}, {"at", x.at.to_string()}, {"kw", x.kw}});
  return items_reply(std::move(items));
}

StatusOr<ApiReply> events(ApiContext& ctx, const ApiRequest& req) {
  auto span = span_param(req, kDefaultWindowS);
  if (!span.ok()) return span.status();
  const std::string open = req.param("open", "false");
  if (open != "true" && open != "false")
    return invalid_argument("query parameter 'open' must be true or false");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r =
      app::power_events(**stores, req.actor,
                        {.span = *span, .enterprise = req.param("enterprise"), .open_only = open == "true"});
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const app::PowerEventView& e : *r) items.push_back(event_json(e));
  return items_reply(std::move(items));
}

StatusOr<ApiReply> cases(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::power_cases(**stores, req.actor);
  if (!r.ok()) return r.status();
  return items_reply(power::cases_json(*r));
}

StatusOr<ApiReply> evaluate(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"from", "to"}, {"max_kwh"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  app::PowerCasesRequest r{b["from"].get<std::string>(), b["to"].get<std::string>(), {}};
  const std::string max_kwh = b.value("max_kwh", "5");
  auto milli = parse_milli(max_kwh);
  if (!milli) return failed_precondition("max_kwh: '" + max_kwh + "' is not a number");
  r.site.max_kwh_per_day = Decimal::of_milli(*milli);
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const int64_t now_ms = app::now_ms();
  auto c = app::evaluate_power_cases(**stores, req.actor, r, now_ms);
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kInvalidArgument) return failed_precondition(c.status().message());
    return c.status();
  }
  ApiReply reply;
  reply.body = {{"found", c->found},
                {"changed", c->changed},
                {"problems", c->problems},
                {"items", power::cases_json(c->cases)}};
  reply.audit_target = r.from + ".." + r.to + " max_kwh " + max_kwh;
  return reply;
}

StatusOr<ApiReply> networks(ApiContext& ctx, const ApiRequest& req) {
  auto span = span_param(req, kDefaultWindowS);
  if (!span.ok()) return span.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto n =
      app::enterprise_networks(**stores, req.actor, {.enterprise = req.path_params.at("id"), .span = *span});
  if (!n.ok()) return n.status();
  return ApiReply{.body = app::networks_json(*n)};
}

const Param kFrom{"from", "YYYY-MM-DD hh:mm (civil time); default 24 h ago", false};
const Param kTo{"to", "YYYY-MM-DD hh:mm (exclusive); default now", false};
const Param kEnterprise{"enterprise", "one enterprise (an enterprise user: its own)", false};

}  // namespace

void add_power_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/power/lines",
         .access = Access::kSignedIn,
         .summary = "the metered lines (production / treatment) with their modules, thresholds and links",
         .params = {kEnterprise},
         .paged = true,
         .handler = lines});
  r.add({.method = "GET",
         .pattern = "/api/power/readings",
         .access = Access::kSignedIn,
         .summary = "the power readings (kW) of a line or of an enterprise's lines over a period",
         .params = {kEnterprise, {"line", "one line (enterprise or line is required)", false}, kFrom, kTo},
         .paged = true,
         .handler = readings});
  r.add(
      {.method = "GET",
       .pattern = "/api/power/events",
       .access = Access::kSignedIn,
       .summary = "live power events (treatment_not_running, production_during_stop) open during the period",
       .params = {kEnterprise, kFrom, kTo, {"open", "true: only events still open", false}},
       .paged = true,
       .handler = events});
  r.add({.method = "GET",
         .pattern = "/api/power/cases",
         .access = Access::kSignedIn,
         .summary = "enforcement cases: closed and 散乱污 sites drawing power (bureau: all; county: its own)",
         .paged = true,
         .handler = cases});
  r.add({.method = "POST",
         .pattern = "/api/power/cases/evaluate",
         .access = Access::kBureau,
         .summary = "judge the grid company's daily figures of from..to and store the enforcement cases",
         .action = "power.cases.evaluate",
         .handler = evaluate});
  r.add({.method = "GET",
         .pattern = "/api/enterprises/{id}/networks",
         .access = Access::kSignedIn,
         .summary = "one enterprise, three networks: emission loads and exceedances, power lines with energy "
                    "and events, TSP points at its boundary with events, over a period",
         .params = {kFrom, kTo},
         .handler = networks});
}

}  // namespace ecomon::server
