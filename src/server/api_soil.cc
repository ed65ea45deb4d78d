// /api/soil: an adapter over the soil service (app/soil.h), formatted as `ecomon soil assess --format json`
// (soil/soil_format.h) with the points paged as "items": each point judged (GB 15618 category / GB 36600
// risk), the counts per county and both safe-use rates. For staff; a county user gets its own county whatever
// it asks (cut by the service, on typed data).
#include "app/soil.h"
#include "server/api.h"
#include "soil/soil_format.h"

namespace ecomon::server {
namespace {

const Param kCounty{"county", "one county (区县); all when absent (county users: always their own)", false};

StatusOr<ApiReply> soil(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto report = app::soil_assessment(**stores, req.actor, req.param("county"));
  if (!report.ok()) return report.status();
  ApiReply r;
  r.body = soil::survey_json(*report);
  r.body["items"] = std::move(r.body["points"]);
  r.body.erase("points");
  return r;
}

}  // namespace

void add_soil_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/soil",
         .access = Access::kStaff,
         .summary = "soil points judged (GB 15618 categories, GB 36600 risks), counts per county, "
                    "受污染耕地安全利用率 and 污染地块安全利用率 (county users: own county)",
         .params = {kCounty},
         .paged = true,
         .handler = soil});
}

}  // namespace ecomon::server
