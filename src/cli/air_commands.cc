// `ecomon air hourly|daily|annual|period|rank`: adapters over app/air.h (options into the request, the result
// formatted by air/air_format.h).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "air/air_format.h"
#include "app/air.h"
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
  auto r = resolve_request(db, o, true);
  if (!r.ok()) return fail(r.status());
  app::AirRankRequest req{{}, r->req.range, r->req.choice, r->req.data};
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
      std::cout << json_text(ranking_to_json(ranking->rows, req.range), 2) << "\n";
      break;
    case OutputFormat::kCsv:
      std::cout << ranking_csv(ranking->rows);
      break;
    case OutputFormat::kTable:
      std::cout << ranking_table(ranking->rows, req.range);
      break;
  }
  return kExitOk;
}

}  // namespace

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
  add_common(r, *rank, true);
  r->callback([rank, &global] { set_exit_code(run_rank(global.db, *rank)); });
}

}  // namespace ecomon::cli
