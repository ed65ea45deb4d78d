// `ecomon air hourly|daily|annual|period|rank`.
#include <fmt/format.h>

#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "air/air_format.h"
#include "air/city_data.h"
#include "cli/commands.h"
#include "cli/views.h"
#include "core/json_text.h"
#include "store/sqlite_store.h"

namespace ecomon::cli {
namespace {

struct AirOpts {
  std::string city, station, format = "table", rules, weights, limits, o3_windows = "same-day", cities;
  std::string from, to, date, month, quarter, ytd;
  int year = 0;
  int zone = 2;
  bool include_reference = false;
  bool no_yoy = false;
};

// The period the options name: exactly one of --year, --month, --quarter, --ytd, --date, --from/--to.
StatusOr<DayRange> resolve_period(const AirOpts& o) {
  int given = (o.year != 0) + !o.month.empty() + !o.quarter.empty() + !o.ytd.empty() + !o.date.empty() +
              (!o.from.empty() || !o.to.empty());
  if (given != 1) {
    return invalid_argument(
        "name the period with exactly one of --year Y, --month YYYY-MM, --quarter YYYY-Qn, "
        "--ytd YYYY-MM-DD, --date YYYY-MM-DD, --from D --to D");
  }
  if (o.year != 0) {
    if (o.year < 1900 || o.year > 2999)
      return invalid_argument("--year " + std::to_string(o.year) + " is out of range");
    return DayRange::year(o.year);
  }
  if (!o.month.empty()) {
    auto d = CivilDay::parse(o.month + "-01");
    if (!d.ok()) return invalid_argument("--month '" + o.month + "' is not YYYY-MM");
    return DayRange::month(d->year(), d->month());
  }
  if (!o.quarter.empty()) {
    if (o.quarter.size() != 7 || o.quarter[4] != '-' || (o.quarter[5] != 'Q' && o.quarter[5] != 'q') ||
        o.quarter[6] < '1' || o.quarter[6] > '4') {
      return invalid_argument("--quarter '" + o.quarter + "' is not YYYY-Qn");
    }
    auto d = CivilDay::parse(o.quarter.substr(0, 4) + "-01-01");
    if (!d.ok()) return invalid_argument("--quarter '" + o.quarter + "' is not YYYY-Qn");
    return DayRange::quarter(d->year(), o.quarter[6] - '0');
  }
  if (!o.ytd.empty()) {
    auto d = CivilDay::parse(o.ytd);
    if (!d.ok()) return d.status();
    // Year to date, as of the given day: Jan 1 .. the day before (the as-of day is not complete yet).
    CivilDay first = CivilDay::from_ymd(d->year(), 1, 1);
    if (*d == first) return invalid_argument("--ytd " + o.ytd + ": no complete day of the year yet");
    return DayRange{first, *d - 1};
  }
  if (!o.date.empty()) {
    auto d = CivilDay::parse(o.date);
    if (!d.ok()) return d.status();
    return DayRange{*d, *d};
  }
  if (o.from.empty() || o.to.empty()) return invalid_argument("--from and --to go together");
  auto a = CivilDay::parse(o.from);
  if (!a.ok()) return a.status();
  auto b = CivilDay::parse(o.to);
  if (!b.ok()) return b.status();
  if (*b < *a) return invalid_argument("--to " + o.to + " is before --from " + o.from);
  return DayRange{*a, *b};
}

// Fails early, naming --rules, when no rule set is in force for part of the period and none is forced.
Status check_rules_cover(const RuleChoice& c, DayRange range, bool needs_limits) {
  if (!c.aqi) {
    for (CivilDay d : {range.first, range.last}) ECOMON_RETURN_IF_ERROR(aqi_rules_for(d).status());
  }
  if (needs_limits && !c.limits) ECOMON_RETURN_IF_ERROR(limit_set_for(range.last).status());
  return Status();
}

StatusOr<RuleChoice> resolve_rules(const AirOpts& o) {
  RuleChoice c;
  if (!o.rules.empty()) ECOMON_RETURN_IF_ERROR(apply_rules_option(c, o.rules));
  if (!o.weights.empty()) ECOMON_RETURN_IF_ERROR(apply_composite_weights(c.composite, o.weights));
  if (!o.limits.empty()) ECOMON_RETURN_IF_ERROR(apply_composite_limits(c.composite, o.limits));
  c.params.o3_windows = o.o3_windows == "rolling" ? O3WindowSet::kRolling24 : O3WindowSet::kSameDay17;
  c.params.exclude_reference_stations = !o.include_reference;
  c.zone = o.zone == 1 ? ZoneClass::kClass1 : ZoneClass::kClass2;
  return c;
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
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// The period and rules the options name, checked to be covered by rule sets.
struct Request {
  DayRange range;
  RuleChoice choice;
};
StatusOr<Request> resolve_request(const AirOpts& o, bool needs_limits) {
  auto range = resolve_period(o);
  if (!range.ok()) return range.status();
  auto choice = resolve_rules(o);
  if (!choice.ok()) return choice.status();
  ECOMON_RETURN_IF_ERROR(check_rules_cover(*choice, *range, needs_limits));
  return Request{*range, std::move(*choice)};
}

// A city's data for the request, with the open store it came from.
struct CityLoad {
  std::unique_ptr<SqliteStore> store;
  CityData data;
};
StatusOr<CityLoad> load_request_city(const std::string& db, const AirOpts& o, const Request& r) {
  auto store = SqliteStore::open(db);
  if (!store.ok()) return store.status();
  auto data = load_city(**store, **store, o.city, r.range, r.choice.params);
  if (!data.ok()) return data.status();
  return CityLoad{std::move(*store), std::move(*data)};
}

// With `result`, the JSON goes there instead of standard output.
int run_period(const std::string& db, const AirOpts& o, bool daily_only, nlohmann::json* result = nullptr) {
  auto req = resolve_request(o, !daily_only);
  if (!req.ok()) return fail(req.status());
  auto loaded = load_request_city(db, o, *req);
  if (!loaded.ok()) return fail(loaded.status());
  SqliteStore& s = *loaded->store;
  const CityData* data = &loaded->data;
  const DayRange* range = &req->range;
  const RuleChoice* choice = &req->choice;
  auto days = city_day_reports(*data, *range, *choice);
  auto format = *parse_output_format(o.format);
  if (daily_only) {
    if (format == OutputFormat::kJson || result) {
      nlohmann::json a = nlohmann::json::array();
      for (const DayReport& d : days) a.push_back(day_to_json(d));
      nlohmann::json j{{"city", o.city}, {"days", a}};
      if (result) {
        *result = std::move(j);
      } else {
        std::cout << json_text(j, 2) << "\n";
      }
    } else {
      std::cout << (format == OutputFormat::kCsv ? days_csv(days) : days_table(days));
    }
    return 0;
  }
  PeriodAssessment a = assess_period(o.city, *range, std::move(days), *choice);
  describe_stations(*data, a);
  std::optional<YearOnYear> yoy;
  if (!o.no_yoy) {
    DayRange prev = range->previous_year();
    auto prev_a = assess_city(s, s, o.city, prev, *choice);
    if (prev_a.ok() && prev_a->days.valid > 0) yoy = compare(a, *prev_a);
  }
  if (result) {
    *result = to_json(a, *choice, yoy);
    return 0;
  }
  switch (format) {
    case OutputFormat::kJson:
      std::cout << json_text(to_json(a, *choice, yoy), 2) << "\n";
      break;
    case OutputFormat::kCsv:
      std::cout << period_csv(a, yoy);
      break;
    case OutputFormat::kTable:
      std::cout << period_table(a, yoy);
      break;
  }
  return 0;
}

int run_hourly(const std::string& db, const AirOpts& o, nlohmann::json* result = nullptr) {
  auto req = resolve_request(o, false);
  if (!req.ok()) return fail(req.status());
  auto loaded = load_request_city(db, o, *req);
  if (!loaded.ok()) return fail(loaded.status());
  auto hours = city_hour_reports(loaded->data, req->range, req->choice, o.station);
  if (!hours.ok()) return fail(hours.status());
  auto format = *parse_output_format(o.format);
  if (format == OutputFormat::kJson || result) {
    nlohmann::json a = nlohmann::json::array();
    for (const HourReport& h : *hours) a.push_back(hour_to_json(h));
    nlohmann::json j{{"city", o.city}, {"station", o.station}, {"hours", a}};
    if (result) {
      *result = std::move(j);
    } else {
      std::cout << json_text(j, 2) << "\n";
    }
  } else {
    std::cout << (format == OutputFormat::kCsv ? hours_csv(*hours) : hours_table(*hours));
  }
  return 0;
}

int run_rank(const std::string& db, const AirOpts& o, nlohmann::json* result = nullptr) {
  auto req = resolve_request(o, true);
  if (!req.ok()) return fail(req.status());
  const DayRange* range = &req->range;
  const RuleChoice* choice = &req->choice;
  std::vector<std::string> cities;
  {
    auto store = SqliteStore::open(db);
    if (!store.ok()) return fail(store.status());
    if (o.cities.empty()) {
      auto all = (*store)->cities();
      if (!all.ok()) return fail(all.status());
      cities = *all;
    } else {
      for (size_t pos = 0; pos <= o.cities.size();) {
        size_t end = o.cities.find(',', pos);
        if (end == std::string::npos) end = o.cities.size();
        if (end > pos) cities.push_back(o.cities.substr(pos, end - pos));
        pos = end + 1;
      }
    }
  }
  if (cities.empty()) return fail(not_found("no cities in the store"));
  // Assess the cities on all cores, one store connection per thread.
  std::vector<std::optional<PeriodAssessment>> results(cities.size());
  std::vector<Status> errors(cities.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    auto store = SqliteStore::open(db);
    if (!store.ok()) return;
    while (true) {
      size_t i = next++;
      if (i >= cities.size()) return;
      auto a = assess_city(**store, **store, cities[i], *range, *choice);
      if (a.ok()) {
        a->daily.clear();
        results[i] = std::move(*a);
      } else {
        errors[i] = a.status();
      }
    }
  };
  unsigned n = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  // A city without data in the period is left out with a warning (exit 0: a warning alone is no failure); a
  // city that could not be assessed (the store failed) would make the ranking wrong: none is printed, exit 2.
  std::vector<PeriodAssessment> ok;
  Status failed;
  for (size_t i = 0; i < cities.size(); ++i) {
    if (results[i]) {
      ok.push_back(std::move(*results[i]));
    } else if (errors[i].code() == StatusCode::kNotFound) {
      std::cerr << "warning: " << cities[i] << ": " << errors[i].message() << "\n";
    } else if (failed.ok()) {
      failed = errors[i].ok() ? Status(StatusCode::kUnavailable, "store " + db + " could not be opened")
                              : errors[i];
      failed = failed.with_context(cities[i]);
    }
  }
  if (!failed.ok()) return fail(failed);
  auto rows = rank_cities(ok);
  if (result) {
    *result = ranking_to_json(rows, *range);
    return kExitOk;
  }
  switch (*parse_output_format(o.format)) {
    case OutputFormat::kJson:
      std::cout << json_text(ranking_to_json(rows, *range), 2) << "\n";
      break;
    case OutputFormat::kCsv:
      std::cout << ranking_csv(rows);
      break;
    case OutputFormat::kTable:
      std::cout << ranking_table(rows, *range);
      break;
  }
  return kExitOk;
}

}  // namespace

namespace {
AirOpts air_opts(const AirPeriodQuery& q) {
  AirOpts o;
  o.year = q.year;
  o.month = q.month;
  o.quarter = q.quarter;
  o.ytd = q.ytd;
  o.date = q.date;
  o.from = q.from;
  o.to = q.to;
  o.format = "json";
  return o;
}
}  // namespace

StatusOr<DayRange> air_period(const AirPeriodQuery& q) { return resolve_period(air_opts(q)); }

StatusOr<nlohmann::json> air_report(const std::string& db, std::string_view verb, const std::string& city,
                                    const std::string& station, const AirPeriodQuery& q) {
  AirOpts o = air_opts(q);
  o.city = city;
  o.station = station;
  nlohmann::json j;
  int code = verb == "hourly"   ? run_hourly(db, o, &j)
             : verb == "daily"  ? run_period(db, o, true, &j)
             : verb == "period" ? run_period(db, o, false, &j)
             : verb == "rank"
                 ? run_rank(db, o, &j)
                 : (last_view_error() = invalid_argument("no air report '" + std::string(verb) + "'"), 2);
  if (code == 2) return last_view_error();
  return j;
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
