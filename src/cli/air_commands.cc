// `ecomon air hourly|daily|annual|period|rank`: adapters over app/air.h (options into the request, the result
// formatted by air/air_format.h).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "air/air_format.h"
#include "app/air.h"
#include "app/stations.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

struct AirOpts {
  std::string city, station, format = "table", rules, weights, limits, o3_windows = "same-day", cities;
  std::string from, to, date, month, quarter, ytd;
  int year = 0;
  int zone = 2;
  bool include_reference = false;
  bool no_yoy = false;
  std::string data = "audited";
  int moving_average = 0;
  bool exclude_exceptional = false;
  bool counties = false;  // air rank --counties: the counties of --city
};

app::AirPeriodSpec period_spec(const AirOpts& o) {
  return app::AirPeriodSpec{o.year, o.month, o.quarter, o.ytd, o.date, o.from, o.to};
}

StatusOr<RuleChoice> resolve_rules(const AirOpts& o) {
  return app::air_rule_choice({o.rules, o.weights, o.limits,
                               o.o3_windows == "rolling" ? O3WindowSet::kRolling24 : O3WindowSet::kSameDay17,
                               o.include_reference, o.zone == 1 ? ZoneClass::kClass1 : ZoneClass::kClass2,
                               o.exclude_exceptional});
}

void add_common(CLI::App* c, AirOpts& o, bool period) {
  c->add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  c->add_option(
      "--rules", o.rules,
      "force rule sets (what-if): 2012, 2026T, 2026 or ids like HJ633-2026,GB3095-2026T (default: by date)");
  c->add_option("--composite-weights", o.weights, "composite index weights, e.g. PM2.5=3,NO2=2,O3=2");
  c->add_option("--composite-limits", o.limits, "composite index S_i, e.g. PM2.5=30,PM10=60");
  c->add_option("--o3-windows", o.o3_windows,
                "daily max 8-h O3 windows: same-day (17, default) or rolling (24)")
      ->check(CLI::IsMember({"same-day", "rolling"}));
  c->add_flag("--include-reference", o.include_reference,
              "let reference stations (对照点) enter city values");
  c->add_option("--zone", o.zone, "GB 3095 zone class for limits: 2 (default) or 1")
      ->check(CLI::IsMember({1, 2}));
  c->add_option("--data", o.data,
                "audited (default: with the data audit's versions) or realtime (as imported)")
      ->check(CLI::IsMember({"audited", "realtime"}));
  c->add_flag("--exclude-exceptional-events", o.exclude_exceptional,
              "leave out hours flagged as exceptional events (HJ 663-2026 例外事件; audited data only)");
  if (period) {
    c->add_option("--year", o.year, "a calendar year");
    c->add_option("--month", o.month, "a month, YYYY-MM");
    c->add_option("--quarter", o.quarter, "a quarter, YYYY-Qn");
    c->add_option("--ytd", o.ytd, "year to date: Jan 1 up to the day before this date");
    c->add_option("--from", o.from, "first day, YYYY-MM-DD");
    c->add_option("--to", o.to, "last day, YYYY-MM-DD");
    c->add_option("--date", o.date, "a single day, YYYY-MM-DD");
  }
}

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

// The request the options name (the period and rules checked for syntax), and the stores to ask.
struct Request {
  app::AirRequest req;
  std::unique_ptr<Stores> stores;
};
StatusOr<Request> resolve_request(const std::string& db, const AirOpts& o, bool needs_limits) {
  auto range = app::air_period_range(period_spec(o));
  if (!range.ok()) return range.status();
  auto choice = resolve_rules(o);
  if (!choice.ok()) return choice.status();
  ECOMON_RETURN_IF_ERROR(app::air_rules_cover(*choice, *range, needs_limits));
  auto stores = open_stores(db);
  if (!stores.ok()) return stores.status();
  return Request{
      app::AirRequest{o.city, o.station, *range, std::move(*choice), !o.no_yoy, *parse_data_view(o.data)},
      std::move(*stores)};
}

int run_period(const std::string& db, const AirOpts& o, bool daily_only) {
  auto r = resolve_request(db, o, !daily_only);
  if (!r.ok()) return fail(r.status());
  const Actor who = Actor::operator_cli();
  auto format = *parse_output_format(o.format);
  if (daily_only) {
    auto days = app::air_daily(*r->stores, who, r->req);
    if (!days.ok()) return fail(days.status());
    if (format == OutputFormat::kJson) {
      std::cout << json_text(days_json(o.city, *days), 2) << "\n";
    } else {
      std::cout << (format == OutputFormat::kCsv ? days_csv(*days) : days_table(*days));
    }
    return kExitOk;
  }
  if (o.moving_average != 0) {
    auto m = app::air_moving_average(*r->stores, who, r->req,
                                     {.years = o.moving_average, .min_years = o.moving_average});
    if (!m.ok()) return fail(m.status());
    if (format == OutputFormat::kJson)
      std::cout << json_text(moving_average_json(*m), 2) << "\n";
    else
      std::cout << moving_average_table(*m);
    return kExitOk;
  }
  auto p = app::air_period(*r->stores, who, r->req);
  if (!p.ok()) return fail(p.status());
  switch (format) {
    case OutputFormat::kJson:
      std::cout << json_text(to_json(p->assessment, r->req.choice, p->year_on_year), 2) << "\n";
      break;
    case OutputFormat::kCsv:
      std::cout << period_csv(p->assessment, p->year_on_year);
      break;
    case OutputFormat::kTable:
      std::cout << period_table(p->assessment, p->year_on_year);
      break;
  }
  return kExitOk;
}

int run_hourly(const std::string& db, const AirOpts& o) {
  auto r = resolve_request(db, o, false);
  if (!r.ok()) return fail(r.status());
  auto hours = app::air_hourly(*r->stores, Actor::operator_cli(), r->req);
  if (!hours.ok()) return fail(hours.status());
  auto format = *parse_output_format(o.format);
  if (format == OutputFormat::kJson) {
    std::cout << json_text(hours_json(o.city, o.station, *hours), 2) << "\n";
  } else {
    std::cout << (format == OutputFormat::kCsv ? hours_csv(*hours) : hours_table(*hours));
  }
  return kExitOk;
}

int run_rank(const std::string& db, const AirOpts& o) {
  if (o.counties != !o.city.empty())
    return fail(invalid_argument("--counties and --city go together: the counties of one city"));
  if (o.counties && !o.cities.empty())
    return fail(invalid_argument("--counties ranks one city's counties, not --cities"));
  auto r = resolve_request(db, o, true);
  if (!r.ok()) return fail(r.status());
  app::AirRankRequest req{{}, r->req.range, r->req.choice, r->req.data};
  req.counties_of = o.city;
  const RankArea area = o.counties ? RankArea::kCounty : RankArea::kCity;
  for (size_t pos = 0; pos < o.cities.size();) {
    size_t end = o.cities.find(',', pos);
    if (end == std::string::npos) end = o.cities.size();
    if (end > pos) req.cities.push_back(o.cities.substr(pos, end - pos));
    pos = end + 1;
  }
  // Assess the cities on all cores, one store connection per thread.
  const StoresOpener workers = stores_opener(db);
  auto ranking = app::air_rank(*r->stores, Actor::operator_cli(), req, &workers);
  if (!ranking.ok()) return fail(ranking.status());
  // A city without data in the period is left out with a warning (exit 0: a warning alone is no failure).
  for (const auto& [city, why] : ranking->left_out)
    std::cerr << "warning: " << city << ": " << why.message() << "\n";
  switch (*parse_output_format(o.format)) {
    case OutputFormat::kJson:
      std::cout << json_text(ranking_to_json(ranking->rows, req.range, area), 2) << "\n";
      break;
    case OutputFormat::kCsv:
      std::cout << ranking_csv(ranking->rows, area);
      break;
    case OutputFormat::kTable:
      std::cout << ranking_table(ranking->rows, req.range, area);
      break;
  }
  return kExitOk;
}

}  // namespace

struct HotspotOpts {
  std::string city, from, to, by = "PM2.5", format = "table", data = "audited";
  int nearest = 3;
  std::optional<double> radius_km;
};

// `air hotspots`: micro stations against their nearby national stations (app/stations.h).
int run_hotspots(const std::string& db, const HotspotOpts& o) {
  auto fail = [](const Status& s) {
    std::cerr << "error: " << s.message() << "\n";
    return kExitFailed;
  };
  auto range = app::air_period_range({.from = o.from, .to = o.to});
  if (!range.ok()) return fail(range.status());
  auto by = parse_pollutant(o.by);
  if (!by) return fail(invalid_argument("--by '" + o.by + "' is not one of SO2, NO2, PM10, PM2.5, CO, O3"));
  app::HotspotRequest req{.city = o.city,
                          .range = *range,
                          .params = {.nearest = o.nearest, .radius_km = o.radius_km, .rank_by = *by},
                          .data = *parse_data_view(o.data)};
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto h = app::air_hotspots(**stores, Actor::operator_cli(), req);
  if (!h.ok()) return fail(h.status());
  if (o.format == "json")
    std::cout << json_text(hotspots_json(o.city, *range, req.params, *h), 2) << "\n";
  else
    std::cout << hotspots_table(*h, *by);
  return kExitOk;
}

void register_air(CLI::App& app, GlobalOptions& global) {
  CLI::App* air = app.add_subcommand("air", "air quality: AQI, assessment, ranking");
  air->require_subcommand(1);

  auto hourly = std::make_shared<AirOpts>();
  CLI::App* h = air->add_subcommand("hourly", "real-time (hourly) AQI of a city or one of its stations");
  h->add_option("--city", hourly->city, "city name as in the station list")->required();
  h->add_option("--station", hourly->station, "one assessment station's code instead of the city");
  add_common(h, *hourly, true);
  h->callback([hourly, &global] { set_exit_code(run_hourly(global.db, *hourly)); });

  auto daily = std::make_shared<AirOpts>();
  CLI::App* d = air->add_subcommand("daily", "daily AQI and concentrations of a city");
  d->add_option("--city", daily->city, "city name")->required();
  add_common(d, *daily, true);
  d->callback([daily, &global] { set_exit_code(run_period(global.db, *daily, true)); });

  auto annual = std::make_shared<AirOpts>();
  CLI::App* a = air->add_subcommand("annual", "annual assessment of a city (HJ 663)");
  a->add_option("--city", annual->city, "city name")->required();
  a->add_option("--year", annual->year, "year")->required();
  a->add_flag("--no-yoy", annual->no_yoy, "skip the comparison with the previous year");
  a->add_option(
       "--moving-average", annual->moving_average,
       "HJ 663-2026: the N-year moving average (3) of each pollutant's assessed statistic ending with --year")
      ->check(CLI::Range(2, 10));
  add_common(a, *annual, false);
  a->callback([annual, &global] { set_exit_code(run_period(global.db, *annual, false)); });

  auto period = std::make_shared<AirOpts>();
  CLI::App* p = air->add_subcommand("period", "assessment of a city for any period");
  p->add_option("--city", period->city, "city name")->required();
  p->add_flag("--no-yoy", period->no_yoy, "skip the comparison with the same period last year");
  add_common(p, *period, true);
  p->callback([period, &global] { set_exit_code(run_period(global.db, *period, false)); });

  auto rank = std::make_shared<AirOpts>();
  CLI::App* r =
      air->add_subcommand("rank", "rank cities by composite index (every city in the store by default)");
  r->add_option("--cities", rank->cities, "comma-separated city names");
  r->add_flag("--counties", rank->counties, "rank the counties (区县) of --city instead of cities");
  r->add_option("--city", rank->city, "with --counties: the city whose counties are ranked");
  add_common(r, *rank, true);
  r->callback([rank, &global] { set_exit_code(run_rank(global.db, *rank)); });

  auto hot = std::make_shared<HotspotOpts>();
  CLI::App* hs = air->add_subcommand(
      "hotspots",
      "micro stations ranked against their nearby national stations (difference, ratio, hours above)");
  hs->add_option("--city", hot->city, "city name")->required();
  hs->add_option("--from", hot->from, "first day, YYYY-MM-DD")->required();
  hs->add_option("--to", hot->to, "last day, YYYY-MM-DD")->required();
  auto* nearest =
      hs->add_option("--nearest", hot->nearest, "compare with the nearest N assessment stations (3)")
          ->check(CLI::Range(1, 100));
  hs->add_option("--radius", hot->radius_km, "instead: every assessment station within this many km")
      ->check(CLI::PositiveNumber)
      ->excludes(nearest);
  hs->add_option("--by", hot->by, "rank by this pollutant's difference (PM2.5)");
  hs->add_option("--format", hot->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  hs->add_option("--data", hot->data, "audited (default) or realtime")
      ->check(CLI::IsMember({"audited", "realtime"}));
  hs->callback([hot, &global] { set_exit_code(run_hotspots(global.db, *hot)); });
}

}  // namespace ecomon::cli
