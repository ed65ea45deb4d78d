// /api/targets/status: where the city's air targets stand and the budget left for the rest of the year, an
// adapter over the targets service (app/targets.h) formatted as `ecomon targets status --format json`
// (ledger/targets_format.h) with the targets paged as "items". City-level figures: bureau and county users
// read them.
#include "app/targets.h"
#include "ledger/targets_format.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

StatusOr<ApiReply> status(ApiContext& ctx, const ApiRequest& req) {
  auto day = CivilDay::parse(req.param("as_of"));
  if (!day.ok()) return invalid_argument("as_of: " + day.status().message());
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto report = app::targets_status(**stores, req.actor, app::TargetsRequest{req.param("city"), *day});
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kFailedPrecondition)
      return invalid_argument(report.status().message());
    return report.status();
  }
  json j = targets_json(*report);
  ApiReply r = items_reply(std::move(j["targets"]));
  r.body["city"] = j["city"];
  r.body["as_of"] = j["as_of"];
  r.body["year"] = j["year"];
  return r;
}

}  // namespace

void add_target_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/targets/status",
         .access = Access::kStaff,
         .summary = "air targets of the year: value to date, state, remaining budget, forecast",
         .params = {{"city", "city name", true}, {"as_of", "YYYY-MM-DD (the day counts)", true}},
         .paged = true,
         .handler = status});
}

}  // namespace ecomon::server
