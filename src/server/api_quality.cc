// /api/water/sections, /api/groundwater/wells, /api/noise, /api/rain: adapters over the quality services
// (app/quality.h), formatted as `ecomon water|groundwater|noise|rain assess --format json` prints them
// (water/water_format.h, noise/noise_format.h, rain/rain_format.h), the lists paged. The water summary is
// public; groundwater, noise and rain are for staff, and a county user sees only the wells of its own county
// (cut by the service, on typed data). /api/water/hourly and /api/noise/hourly: the automatic stations' hours
// over HJ 212 (app/quality_stations.h), as `ecomon water|noise hourly --format json` prints them, "hours"
// moved to "items" and paged; water public like the sections, noise for staff like /api/noise.
#include "app/quality.h"
#include "app/quality_stations.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

const Param kPeriod{"period", "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM", true};

// The assessment's JSON with its list `key` moved to "items".
template <typename Report>
StatusOr<ApiReply> assessment(ApiContext& ctx, const ApiRequest& req,
                              StatusOr<Report> (*service)(Stores&, const Actor&, const app::QualityPeriod&),
                              json (*to_json)(const Report&), const char* key) {
  auto period = app::quality_period(0, req.param("period"));
  if (!period.ok()) return period.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto report = service(**stores, req.actor, *period);
  if (!report.ok()) return report.status();
  ApiReply r;
  r.body = to_json(*report);
  if (key) {
    r.body["items"] = r.body.contains(key) ? std::move(r.body[key]) : json::array();
    r.body.erase(key);
  }
  return r;
}

json water_json(const water::WaterReport& r) { return water::water_json(r, water::Vocabulary::kMethod2011); }

const std::vector<Param> kHourlyParams = {
    {"station", "the station's code", true},
    {"from", "first hour named by its end (YYYY-MM-DD HH:00) or a day (its 01:00)", true},
    {"to", "last hour (YYYY-MM-DD HH:00) or a day (its 24:00); default: from", false}};

// A station's hours: the JSON of the CLI's --format json with "hours" moved to "items".
template <typename Result>
StatusOr<ApiReply> hourly(ApiContext& ctx, const ApiRequest& req,
                          StatusOr<Result> (*service)(Stores&, const Actor&,
                                                      const app::QualityHourlyRequest&),
                          json (*to_json)(const Result&)) {
  auto q = app::quality_hourly_request(req.param("station"), req.param("from"), req.param("to"), true);
  if (!q.ok()) return q.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto result = service(**stores, req.actor, *q);
  if (!result.ok()) return result.status();
  ApiReply r;
  r.body = to_json(*result);
  r.body["items"] = std::move(r.body["hours"]);
  r.body.erase("hours");
  return r;
}

}  // namespace

void add_quality_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/water/sections",
         .summary = "surface-water sections: class, target, status, change; rivers; drinking-water sources",
         .params = {kPeriod},
         .paged = true,
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return assessment<water::WaterReport>(c, q, app::water_assessment, water_json, "sections");
         }});
  r.add({.method = "GET",
         .pattern = "/api/water/hourly",
         .summary =
             "a surface-water automatic station's hours (HJ 212 ST 21): GB 3838 class per item and the "
             "hour's class",
         .params = kHourlyParams,
         .paged = true,
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return hourly<water::WaterHourly>(c, q, app::water_hourly, water::water_hourly_json);
         }});
  r.add({.method = "GET",
         .pattern = "/api/noise/hourly",
         .access = Access::kStaff,
         .summary =
             "a noise station's hours (HJ 212 ST 23): L_eq, day or night, the zone's limit and compliance",
         .params = kHourlyParams,
         .paged = true,
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return hourly<noise::NoiseHourly>(c, q, app::noise_hourly, noise::noise_hourly_json);
         }});
  r.add({.method = "GET",
         .pattern = "/api/groundwater/wells",
         .access = Access::kStaff,
         .summary = "groundwater wells: class, indicators over class III, F value and grade (county users: "
                    "own county)",
         .params = {kPeriod},
         .paged = true,
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return assessment<groundwater::GroundwaterReport>(c, q, app::groundwater_assessment,
                                                             groundwater::groundwater_json, "wells");
         }});
  r.add({.method = "GET",
         .pattern = "/api/noise",
         .access = Access::kStaff,
         .summary = "functional-zone compliance and regional / road-traffic noise grades",
         .params = {kPeriod},
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return assessment<noise::NoiseReport>(c, q, app::noise_assessment, noise::noise_json, nullptr);
         }});
  r.add({.method = "GET",
         .pattern = "/api/rain",
         .access = Access::kStaff,
         .summary = "acid rain: weighted pH, frequencies, class per site",
         .params = {kPeriod},
         .paged = true,
         .handler = [](ApiContext& c, const ApiRequest& q) {
           return assessment<rain::RainReport>(c, q, app::rain_assessment, rain::rain_json, "sites");
         }});
}

}  // namespace ecomon::server
