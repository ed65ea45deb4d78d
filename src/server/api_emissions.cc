// /api/emissions: an adapter over the emission totals (app/emissions.h), formatted as `ecomon emissions
// --format json` (sources/emissions_format.h): the loads per outlet, enterprise, county and industry with the
// method and completeness, and the base year's when asked. For staff (county users: own county).
#include "app/emissions.h"
#include "server/api.h"
#include "sources/emissions_format.h"

namespace ecomon::server {
namespace {

StatusOr<ApiReply> emissions(ApiContext& ctx, const ApiRequest& req) {
  auto request =
      app::emissions_request({req.param("year"), req.param("month"), req.param("from"), req.param("to"),
                              req.param("base_year"), req.param("county"), req.param("kind")});
  if (!request.ok()) return request.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto report = app::emission_totals(**stores, req.actor, *request);
  if (!report.ok()) return report.status();
  ApiReply r;
  r.body = sources::emissions_json(*report);
  return r;
}

}  // namespace

void add_emission_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/emissions",
         .access = Access::kStaff,
         .summary =
             "emission totals from the HJ 212 uploads per outlet, enterprise, county and industry, with "
             "method, completeness and the base year's (county users: own county)",
         .params = {{"year", "a year, YYYY (or month, or from and to)", false},
                    {"month", "a month, YYYY-MM", false},
                    {"from", "first day, YYYY-MM-DD (with to)", false},
                    {"to", "last day, YYYY-MM-DD (with from)", false},
                    {"base_year", "compare with the same days of this year", false},
                    {"county", "one county (区县); all when absent (county users: always their own)", false},
                    {"kind", "hourly (default), minute, daily or realtime uploads", false}},
         .handler = emissions});
}

}  // namespace ecomon::server
