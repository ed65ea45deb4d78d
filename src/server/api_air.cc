// /api/air/...: cities and stations, today's real-time AQI, hourly and daily AQI, period assessment, the
// monthly trend, the ranking. The JSON is docs/air-json.md's, computed by the same code as `ecomon air ...
// --format json` (cli/views.h).
#include "air/air_format.h"
#include "air/city_data.h"
#include "cli/views.h"
#include "server/api.h"
#include "standards/aqi.h"
#include "store/sqlite_store.h"

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
  };
  return kParams;
}

StatusOr<cli::AirPeriodQuery> period_query(const ApiRequest& req) {
  cli::AirPeriodQuery q;
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
  ECOMON_RETURN_IF_ERROR(cli::air_period(q).status());
  return q;
}

// Every error of the air code about the caller's input is a bad request, except an unknown city.
Status as_request_error(const Status& s) {
  if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kInvalidArgument) return s;
  if (s.code() == StatusCode::kFailedPrecondition) return invalid_argument(s.message());
  return s;
}

StatusOr<ApiReply> report(ApiContext& ctx, const ApiRequest& req, std::string_view verb,
                          const char* list_key) {
  auto q = period_query(req);
  if (!q.ok()) return q.status();
  auto j = cli::air_report(ctx.db, verb, req.param("city"), req.param("station"), *q);
  if (!j.ok()) return as_request_error(j.status());
  if (!list_key) {
    ApiReply r;
    r.body = std::move(*j);
    return r;
  }
  ApiReply r = items_reply(std::move((*j)[list_key]));
  r.body["city"] = req.param("city");
  return r;
}

StatusOr<ApiReply> cities(ApiContext& ctx, const ApiRequest&) {
  auto st = ctx.store();
  if (!st.ok()) return st.status();
  auto all = (*st)->cities();
  if (!all.ok()) return all.status();
  json items = json::array();
  for (const std::string& c : *all) {
    auto s = (*st)->stations_of_city(c);
    if (!s.ok()) return s.status();
    items.push_back({{"city", c}, {"stations", s->size()}});
  }
  return items_reply(items);
}

json station_json(const StationInfo& s) {
  return {{"code", s.code},
          {"name", s.name},
          {"city", s.city},
          {"longitude", s.longitude ? json(*s.longitude) : json()},
          {"latitude", s.latitude ? json(*s.latitude) : json()},
          {"reference", s.is_reference}};
}

StatusOr<ApiReply> stations(ApiContext& ctx, const ApiRequest& req) {
  auto st = ctx.store();
  if (!st.ok()) return st.status();
  auto list = (*st)->stations_of_city(req.param("city"));
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const StationInfo& s : *list) items.push_back(station_json(s));
  return items_reply(items);
}

// The newest hour with an AQI in the reports, with its level's words.
json latest_hour(const std::vector<HourReport>& hours) {
  for (auto it = hours.rbegin(); it != hours.rend(); ++it) {
    if (!it->aqi.aqi) continue;
    json j = hour_to_json(*it);
    const AqiLevel& l = aqi_level(*it->aqi.aqi);
    j["level_name"] = std::string(l.level_name);
    j["category_en"] = std::string(l.category_en);
    j["health_effect"] = std::string(l.health_effect);
    j["advice"] = std::string(l.advice);
    return j;
  }
  return json();
}

// Today (实时): the city's newest hour with an AQI on the given day (default: the newest day with data) and
// each assessment station's.
StatusOr<ApiReply> today(ApiContext& ctx, const ApiRequest& req) {
  auto st = ctx.store();
  if (!st.ok()) return st.status();
  const std::string city = req.param("city");
  auto list = (*st)->stations_of_city(city);
  if (!list.ok()) return list.status();
  if (list->empty()) return not_found("no stations for city '" + city + "'");
  std::optional<CivilDay> day;
  if (req.query.count("date")) {
    auto d = CivilDay::parse(req.param("date"));
    if (!d.ok()) return invalid_argument("date: " + d.status().message());
    day = *d;
  } else {
    for (const StationInfo& s : *list) {
      auto e = (*st)->hourly_extent(s.id);
      if (!e.ok()) return e.status();
      if (*e && (!day || (*e)->last > *day)) day = (*e)->last;
    }
  }
  if (!day) return not_found("no data for city '" + city + "'");
  DayRange range{*day, *day};
  RuleChoice choice;
  ECOMON_RETURN_IF_ERROR(aqi_rules_for(*day).status());
  auto data = load_city(**st, **st, city, range, choice.params);
  if (!data.ok()) return data.status();
  auto hours = city_hour_reports(*data, range, choice);
  if (!hours.ok()) return hours.status();
  ApiReply r;
  r.body = {{"city", city}, {"date", day->to_string()}, {"city_hour", latest_hour(*hours)}};
  json stations = json::array();
  for (const StationInfo& s : data->stations) {
    auto sh = city_hour_reports(*data, range, choice, s.code);
    json j = station_json(s);
    j["hour"] = sh.ok() ? latest_hour(*sh) : json();
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
  json items = json::array();
  constexpr int kMonths = 12;
  for (int m = 1; m <= kMonths; ++m) {
    cli::AirPeriodQuery q;
    q.month = std::to_string(*y) + (m < 10 ? "-0" : "-") + std::to_string(m);
    auto j = cli::air_report(ctx.db, "period", req.param("city"), "", q);
    if (!j.ok()) {
      if (j.status().code() == StatusCode::kNotFound) return j.status();
      continue;  // a month no rule set covers or without data is left out
    }
    json row = {{"month", q.month},
                {"valid_days", (*j)["days"].value("valid", 0)},
                {"good_ratio", (*j)["days"].value("good_ratio", json())},
                {"composite_index", (*j)["composite_index"].value("value", json())}};
    for (const auto& [p, v] : (*j)["pollutants"].items()) {
      const json& a = v.value("assessed", json::object());
      row[p] = a.value("value", json());
      row[p + "_limit"] = a.value("limit", json());
    }
    items.push_back(row);
  }
  ApiReply r = items_reply(items);
  r.body["city"] = req.param("city");
  r.body["year"] = *y;
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
       .params = {{"city", "city name", true}, {"date", "the day, YYYY-MM-DD"}},
       .cacheable = true,
       .handler = today});
  r.add({.method = "GET",
         .pattern = "/api/air/hourly",
         .summary = "hourly (real-time) AQI of a city or station",
         .params = with({{"station", "one station's code instead of the city"}}),
         .paged = true,
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) { return report(c, q, "hourly", "hours"); }});
  r.add({.method = "GET",
         .pattern = "/api/air/daily",
         .summary = "daily AQI, level and primary pollutant",
         .params = period_params(),
         .paged = true,
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) { return report(c, q, "daily", "days"); }});
  r.add({.method = "GET",
         .pattern = "/api/air/period",
         .summary = "assessment of a period (HJ 663): statistics, days, composite index, year-on-year",
         .params = period_params(),
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) { return report(c, q, "period", nullptr); }});
  r.add({.method = "GET",
         .pattern = "/api/air/monthly",
         .summary = "each month's assessed value of the six pollutants with their limits",
         .params = {{"city", "city name", true}, {"year", "the year", true}},
         .paged = true,
         .cacheable = true,
         .handler = monthly});
  std::vector<Param> rank_params(period_params().begin() + 1, period_params().end());
  r.add({.method = "GET",
         .pattern = "/api/air/rank",
         .summary = "every city in the store ranked by composite index",
         .params = rank_params,
         .cacheable = true,
         .handler = [](ApiContext& c, const ApiRequest& q) { return report(c, q, "rank", nullptr); }});
}

}  // namespace ecomon::server
