// /api/water/sections, /api/groundwater/wells, /api/noise, /api/rain: the JSON of `ecomon
// water|groundwater|noise| rain assess --format json` (cli/views.h), the lists paged. The water summary is
// public; groundwater, noise and rain are for staff, and a county user sees only the wells of its own county.
#include "cli/views.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

const Param kPeriod{"period", "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM", true};

// The assessment with its list `key` moved to "items".
StatusOr<ApiReply> assessment(ApiContext& ctx, const ApiRequest& req, std::string_view kind,
                              const char* key) {
  auto j = cli::quality_assessment(ctx.db, kind, req.param("period"));
  if (!j.ok()) return j.status();
  ApiReply r;
  r.body = std::move(*j);
  if (key) {
    r.body["items"] = r.body.contains(key) ? std::move(r.body[key]) : json::array();
    r.body.erase(key);
  }
  return r;
}

StatusOr<ApiReply> wells(ApiContext& ctx, const ApiRequest& req) {
  auto r = assessment(ctx, req, "groundwater", "wells");
  if (!r.ok() || req.actor.role != Role::kCounty) return r;
  json mine = json::array();
  for (json& w : r->body["items"]) {
    if (w.value("county", "") == req.actor.county) mine.push_back(std::move(w));
  }
  r->body["items"] = std::move(mine);
  return r;
}

}  // namespace

void add_quality_routes(Router& r) {
  r.add(
      {.method = "GET",
       .pattern = "/api/water/sections",
       .summary = "surface-water sections: class, target, status, change; rivers; drinking-water sources",
       .params = {kPeriod},
       .paged = true,
       .cacheable = true,
       .handler = [](ApiContext& c, const ApiRequest& q) { return assessment(c, q, "water", "sections"); }});
  r.add({.method = "GET",
         .pattern = "/api/groundwater/wells",
         .access = Access::kStaff,
         .summary = "groundwater wells: class, indicators over class III, F value and grade (county users: "
                    "own county)",
         .params = {kPeriod},
         .paged = true,
         .handler = wells});
  r.add({.method = "GET",
         .pattern = "/api/noise",
         .access = Access::kStaff,
         .summary = "functional-zone compliance and regional / road-traffic noise grades",
         .params = {kPeriod},
         .handler = [](ApiContext& c, const ApiRequest& q) { return assessment(c, q, "noise", nullptr); }});
  r.add({.method = "GET",
         .pattern = "/api/rain",
         .access = Access::kStaff,
         .summary = "acid rain: weighted pH, frequencies, class per site",
         .params = {kPeriod},
         .paged = true,
         .handler = [](ApiContext& c, const ApiRequest& q) { return assessment(c, q, "rain", "sites"); }});
}

}  // namespace ecomon::server
