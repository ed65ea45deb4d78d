// /api/air/...: cities and stations, today's real-time AQI, hourly and daily AQI, period assessment, the
// monthly trend, the ranking. Adapters over app/air.h, as `ecomon air ... --format json` is: the JSON is
// docs/air-json.md's, from air/air_format.h.
#include "air/air_format.h"
#include "app/air.h"
#include "app/stations.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

const std::vector<Param>& period_params() {
  static const std::vector<Param> kParams = {
      {"city", "city name as in the station list", true},
      {"year", "a calendar year"},
      {"month", "a month, YYYY-MM"},
      {"quarter", "a quarter, YYYY-Qn"},
      {"ytd", "year to date, as of YYYY-MM-DD"},
      {"date", "one day, YYYY-MM-DD"},
      {"from", "first day, YYYY-MM-DD (with to)"},
      {"to", "last day, YYYY-MM-DD (with from)"},
      {"data", "audited (default: with the data audit's versions) or realtime (as imported)"},
  };
  return kParams;
}

StatusOr<DayRange> period_range(const ApiRequest& req) {
  app::AirPeriodSpec q;
  q.query_parameters = true;  // messages name the query parameters, not the CLI's flags
  constexpr int64_t kFirstYear = 1900, kLastYear = 2999;
  if (req.query.count("year")) {
    auto y = int_param(req, "year", 0, kFirstYear, kLastYear);
    if (!y.ok()) return y.status();
    q.year = static_cast<int>(*y);
  }
  q.month = req.param("month");
  q.quarter = req.param("quarter");
  q.ytd = req.param("ytd");
  q.date = req.param("date");
  q.from = req.param("from");
  q.to = req.param("to");
  return app::air_period_range(q);
}

// The data= query parameter: audited (default) or realtime.
StatusOr<DataView> data_view(const ApiRequest& req) {
  auto v = parse_data_view(req.param("data", "audited"));
  if (!v) return invalid_argument("query parameter data='" + req.param("data") + "': audited or realtime");
  return *v;
}

// Every error of the air code about the caller's input is a bad request, except an unknown city.
Status as_request_error(const Status& s) {
  if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kInvalidArgument) return s;
  if (s.code() == StatusCode::kFailedPrecondition) return invalid_argument(s.message());
  return s;
}

// The request of /api/air/hourly|daily|period|rank (rules by date, the defaults) and the thread's stores.
StatusOr<app::AirRequest> air_request(ApiContext& ctx, const ApiRequest& req, bool needs_limits,
                                      Stores** stores) {
  auto range = period_range(req);
  if (!range.ok()) return range.status();
  if (Status s = app::air_rules_cover(RuleChoice{}, *range, needs_limits); !s.ok())
    return as_request_error(s);
  auto data = data_view(req);
  if (!data.ok()) return data.status();
  auto st = ctx.stores();
  if (!st.ok()) return as_request_error(st.status());
  *stores = *st;
  return app::AirRequest{req.param("city"), req.param("station"), *range, RuleChoice{}, true, *data};
}

ApiReply list_reply(json j, const char* list_key, const ApiRequest& req) {
  ApiReply r = items_reply(std::move(j[list_key]));
  r.body["city"] = req.param("city");
  return r;
}

StatusOr<ApiReply> hourly(ApiContext& ctx, const ApiRequest& req) {
  Stores* stores = nullptr;
  auto q = air_request(ctx, req, false, &stores);
  if (!q.ok()) return q.status();
  auto h = app::air_hourly(*stores, req.actor, *q);
  if (!h.ok()) return as_request_error(h.status());
  return list_reply(hours_json(q->city, q->station, *h), "hours", req);
}

StatusOr<ApiReply> daily(ApiContext& ctx, const ApiRequest& req) {
  Stores* stores = nullptr;
  auto q = air_request(ctx, req, false, &stores);
  if (!q.ok()) return q.status();
  auto d = app::air_daily(*stores, req.actor, *q);
  if (!d.ok()) return as_request_error(d.status());
  return list_reply(days_json(q->city, *d), "days", req);
}

StatusOr<ApiReply> period(ApiContext& ctx, const ApiRequest& req) {
  Stores* stores = nullptr;
  auto q = air_request(ctx, req, true, &stores);
  if (!q.ok()) return q.status();
  ApiReply r;
  if (req.query.count("moving_average")) {
    // HJ 663-2026's moving-average assessment of the years ending with the period's last year, as `air
    // annual --moving-average N` prints it (the same JSON).
    constexpr int64_t kMinYears = 2, kMaxYears = 10;
    auto n = int_param(req, "moving_average", 0, kMinYears, kMaxYears);
    if (!n.ok()) return n.status();
    const int years = static_cast<int>(*n);
    auto m = app::air_moving_average(*stores, req.actor, *q, {.years = years, .min_years = years});
    if (!m.ok()) return as_request_error(m.status());
    r.body = moving_average_json(*m);
    return r;
  }
  auto p = app::air_period(*stores, req.actor, *q);
  if (!p.ok()) return as_request_error(p.status());
  r.body = to_json(p->assessment, q->choice, p->year_on_year);
  return r;
}

StatusOr<ApiReply> rank(ApiContext& ctx, const ApiRequest& req) {
  Stores* stores = nullptr;
  auto q = air_request(ctx, req, true, &stores);
  if (!q.ok()) return q.status();
  // counties=true with city: the city's counties (区县), as `air rank --counties --city` (the same JSON).
  const std::string counties = req.param("counties", "false");
  if (counties != "true" && counties != "false") return invalid_argument("counties must be true or false");
  const bool by_county = counties == "true";
  if (by_county == q->city.empty())
    return invalid_argument("counties=true and city go together: the counties of one city");
  app::AirRankRequest rank_req{{}, q->range, q->choice, q->data};
  rank_req.counties_of = q->city;
  auto k = app::air_rank(*stores, req.actor, rank_req, &ctx.open_stores);
  if (!k.ok()) return as_request_error(k.status());
  ApiReply r;
  r.body = ranking_to_json(k->rows, q->range, by_county ? RankArea::kCounty : RankArea::kCity);
  return r;
}

StatusOr<ApiReply> cities(ApiContext& ctx, const ApiRequest& req) {
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto all = app::air_cities(**st, req.actor);
  if (!all.ok()) return all.status();
  json items = json::array();
  for (const app::AirCity& c : *all) items.push_back({{"city", c.city}, {"stations", c.stations}});
  return items_reply(items);
}

StatusOr<ApiReply> stations(ApiContext& ctx, const ApiRequest& req) {
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto list = app::air_stations(**st, req.actor, req.param("city"));
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const StationInfo& s : *list) items.push_back(station_json(s));
  return items_reply(items);
}

// Today (实时): the city's newest hour with an AQI on the given day (default: the newest day with data) and
// each assessment station's.
StatusOr<ApiReply> today(ApiContext& ctx, const ApiRequest& req) {
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  std::optional<CivilDay> day;
  if (req.query.count("date")) {
    auto d = CivilDay::parse(req.param("date"));
    if (!d.ok()) return invalid_argument("date: " + d.status().message());
    day = *d;
  }
  auto data = data_view(req);
  if (!data.ok()) return data.status();
  auto t = app::air_today(**st, req.actor, req.param("city"), day, *data);
  if (!t.ok()) return t.status();
  ApiReply r;
  r.body = {{"city", t->city}, {"date", t->day.to_string()}, {"city_hour", latest_hour_json(t->city_hours)}};
  json stations = json::array();
  for (size_t i = 0; i < t->stations.size(); ++i) {
    json j = station_json(t->stations[i]);
    j["hour"] = t->station_hours[i] ? latest_hour_json(*t->station_hours[i]) : json();
    stations.push_back(j);
  }
  r.body["stations"] = stations;
  return r;
}

// The monthly trend of a year: each month's assessed value of the six pollutants and the limit it is judged
// by.
StatusOr<ApiReply> monthly(ApiContext& ctx, const ApiRequest& req) {
  constexpr int64_t kFirstYear = 1900, kLastYear = 2999;
  auto y = int_param(req, "year", 0, kFirstYear, kLastYear);
  if (!y.ok()) return y.status();
  auto data = data_view(req);
  if (!data.ok()) return data.status();
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto months = app::air_monthly(**st, req.actor, req.param("city"), static_cast<int>(*y), *data);
  if (!months.ok()) return as_request_error(months.status());
  json items = json::array();
  for (const app::AirMonth& m : *months) items.push_back(month_json(m.month, m.assessment, RuleChoice{}));
  ApiReply r = items_reply(items);
  r.body["city"] = req.param("city");
  r.body["year"] = *y;
  return r;
}

// Micro-station hotspots: each micro station against its nearby assessment stations (app/stations.h).
StatusOr<ApiReply> hotspots(ApiContext& ctx, const ApiRequest& req) {
  constexpr int64_t kMaxNearest = 100;
  auto range = period_range(req);
  if (!range.ok()) return range.status();
  auto data = data_view(req);
  if (!data.ok()) return data.status();
  auto nearest = int_param(req, "nearest", HotspotParams{}.nearest, 1, kMaxNearest);
  if (!nearest.ok()) return nearest.status();
  app::HotspotRequest q{.city = req.param("city"), .range = *range, .data = *data};
  q.params.nearest = static_cast<int>(*nearest);
  if (req.query.count("radius_km")) {
    const std::string text = req.param("radius_km");
    auto km = parse_milli(text);
    if (!km || *km <= 0)
      return invalid_argument("query parameter radius_km='" + text + "': a positive number of km");
    q.params.radius_km = static_cast<double>(*km) / kMilliPerUnit;
  }
  if (req.query.count("by")) {
    auto p = parse_pollutant(req.param("by"));
    if (!p)
      return invalid_argument("query parameter by='" + req.param("by") +
                              "': SO2, NO2, PM10, PM2.5, CO or O3");
    q.params.rank_by = *p;
  }
  auto st = ctx.stores();
  if (!st.ok()) return st.status();
  auto h = app::air_hotspots(**st, req.actor, q);
  if (!h.ok()) return as_request_error(h.status());
  ApiReply r;
  r.body = hotspots_json(q.city, *range, q.params, *h);
  return r;
}

}  // namespace

void add_air_routes(Router& r) {
  auto with = [](std::vector<Param> extra) {
    std::vector<Param> p = period_params();
    p.insert(p.end(), extra.begin(), extra.end());
    return p;
  };
  r.add({.method = "GET",
         .pattern = "/api/air/cities",
         .summary = "the cities in the store",
         .paged = true,
         .cacheable = true,
         .handler = cities});
  r.add({.method = "GET",
         .pattern = "/api/air/stations",
         .summary = "a city's stations with coordinates",
         .params = {{"city", "city name", true}},
         .paged = true,
         .cacheable = true,
         .handler = stations});
  r.add(
      {.method = "GET",
       .pattern = "/api/air/today",
       .summary = "real-time AQI of the city and each station: newest hour of a day (default the newest day)",
       .params = {{"city", "city name", true},
                  {"date", "the day, YYYY-MM-DD"},
                  {"data", "audited (default) or realtime"}},
       .cacheable = true,
       .handler = today});
  r.add({.method = "GET",
         .pattern = "/api/air/hourly",
         .summary = "hourly (real-time) AQI of a city or station",
         .params = with({{"station", "one station's code instead of the city"}}),
         .paged = true,
         .cacheable = true,
         .handler = hourly});
  r.add({.method = "GET",
         .pattern = "/api/air/daily",
         .summary = "daily AQI, level and primary pollutant",
         .params = period_params(),
         .paged = true,
         .cacheable = true,
         .handler = daily});
  r.add({.method = "GET",
         .pattern = "/api/air/period",
         .summary = "assessment of a period (HJ 663): statistics, days, composite index, year-on-year",
         .params = with({{"moving_average",
                          "N (2..10): HJ 663-2026's moving average of the N years ending with the period's "
                          "last year instead"}}),
         .cacheable = true,
         .handler = period});
  r.add({.method = "GET",
         .pattern = "/api/air/monthly",
         .summary = "each month's assessed value of the six pollutants with their limits",
         .params = {{"city", "city name", true},
                    {"year", "the year", true},
                    {"data", "audited (default) or realtime"}},
         .paged = true,
         .cacheable = true,
         .handler = monthly});
  r.add({.method = "GET",
         .pattern = "/api/air/hotspots",
         .summary =
             "micro stations ranked against their nearby national stations: difference, ratio, hours above",
         .params = with({{"nearest", "compare with the nearest N assessment stations (default 3)"},
                         {"radius_km", "instead: every assessment station within this many km"},
                         {"by", "rank by this pollutant's difference (default PM2.5)"}}),
         .cacheable = true,
         .handler = hotspots});
  std::vector<Param> rank_params(period_params().begin() + 1, period_params().end());
  rank_params.push_back({"counties", "true: rank the counties (区县) of `city` instead of the cities"});
  rank_params.push_back({"city", "with counties=true: the city whose counties are ranked"});
  r.add({.method = "GET",
         .pattern = "/api/air/rank",
         .summary = "every city in the store ranked by composite index, or one city's counties",
         .params = rank_params,
         .cacheable = true,
         .handler = rank});
}

}  // namespace ecomon::server
