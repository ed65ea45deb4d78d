// /api/soil: the JSON of `ecomon soil assess --format json` (cli/soil_commands.h) with the points paged as
// "items": each point judged (GB 15618 category / GB 36600 risk), the counts per county and both safe-use
// rates. For staff; a county user gets its own county whatever it asks.
#include "cli/soil_commands.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

const Param kCounty{"county", "one county (区县); all when absent (county users: always their own)", false};

StatusOr<ApiReply> soil(ApiContext& ctx, const ApiRequest& req) {
  std::string county = req.actor.role == Role::kCounty ? req.actor.county : req.param("county");
  auto j = cli::soil_assessment(ctx.db, county);
  if (!j.ok()) return j.status();
  ApiReply r;
  r.body = std::move(*j);
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
