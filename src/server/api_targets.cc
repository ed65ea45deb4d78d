// /api/targets/status: where the city's air targets stand and the budget left for the rest of the year
// (`ecomon targets status --format json`, cli/views.h). City-level figures: bureau and county users read
// them.
#include "cli/views.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

StatusOr<ApiReply> status(ApiContext& ctx, const ApiRequest& req) {
  auto day = CivilDay::parse(req.param("as_of"));
  if (!day.ok()) return invalid_argument("as_of: " + day.status().message());
  auto j = cli::targets_status(ctx.db, req.param("city"), req.param("as_of"));
  if (!j.ok()) {
    if (j.status().code() == StatusCode::kFailedPrecondition) return invalid_argument(j.status().message());
    return j.status();
  }
  ApiReply r = items_reply(std::move((*j)["targets"]));
  r.body["city"] = (*j)["city"];
  r.body["as_of"] = (*j)["as_of"];
  r.body["year"] = (*j)["year"];
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
