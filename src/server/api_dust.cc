// /api/dust: adapters over the fugitive-dust service (app/dust.h), formatted as `ecomon dust ... --format
// json` (dust/dust_format.h): the points with their state (the map colours them by it), a point's readings
// and the dust events the gateway stored. Signed-in users; the service cuts by role (county: its county's
// points; enterprise: the boundary points it owns).
#include "app/clock.h"
#include "app/dust.h"
#include "dust/dust_format.h"
#include "server/api.h"
#include "server/span_param.h"

namespace ecomon::server {
namespace {

constexpr int64_t kDefaultWindowS = int64_t{24} * 3600;  // readings and events: the last day by default

StatusOr<ApiReply> points(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::dust_points(**stores, req.actor, {.now = app::civil_now(), .county = req.param("county")});
  if (!r.ok()) return r.status();
  return ApiReply{.body = dust::points_json(*r)};
}

StatusOr<ApiReply> readings(ApiContext& ctx, const ApiRequest& req) {
  auto span = span_param(req, kDefaultWindowS);
  if (!span.ok()) return span.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::dust_readings(**stores, req.actor, {.point = req.param("point"), .span = *span});
  if (!r.ok()) return r.status();
  return ApiReply{.body = dust::readings_json(*r)};
}

StatusOr<ApiReply> events(ApiContext& ctx, const ApiRequest& req) {
  auto span = span_param(req, kDefaultWindowS);
  if (!span.ok()) return span.status();
  const std::string open = req.param("open", "false");
  if (open != "true" && open != "false") return invalid_argument("open must be true or false");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::dust_events(**stores, req.actor, {.span = *span, .open_only = open == "true"});
  if (!r.ok()) return r.status();
  return ApiReply{.body = dust::events_json(*r)};
}

const Param kFrom{"from", "YYYY-MM-DD hh:mm (civil time); default 24 h ago", false};
const Param kTo{"to", "YYYY-MM-DD hh:mm (exclusive); default now", false};

}  // namespace

void add_dust_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/dust/points",
         .access = Access::kSignedIn,
         .summary = "fugitive-dust (TSP) points with their state: exceedance, silent, ok, no_data",
         .params = {{"county", "one county", false}},
         .handler = points});
  r.add({.method = "GET",
         .pattern = "/api/dust/readings",
         .access = Access::kSignedIn,
         .summary = "a TSP point's readings (TSP, PM10, PM2.5, noise, wind; CN 2011 and 2051)",
         .params = {{"point", "the point's id", true}, kFrom, kTo},
         .handler = readings});
  r.add(
      {.method = "GET",
       .pattern = "/api/dust/events",
       .access = Access::kSignedIn,
       .summary = "dust events stored by the gateway (dust_exceedance, dust_silence) open during the period",
       .params = {kFrom, kTo, {"open", "true: only events still open", false}},
       .handler = events});
}

}  // namespace ecomon::server
