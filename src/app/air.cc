#include "app/air.h"

#include <fmt/format.h>
#include <atomic>
#include <thread>

namespace ecomon::app {
namespace {

// `one_station`: only req.station is read (its hourly report), which may be a micro station's (never part of
// the city's values).
StatusOr<CityData> load(Stores& stores, const AirRequest& req, bool needs_limits, bool one_station = false) {
  ECOMON_RETURN_IF_ERROR(air_rules_cover(req.choice, req.range, needs_limits));
  AuditedTimeSeries series = air_series(stores, req.data, req.choice);
  const bool station = one_station && !req.station.empty();
  return load_city(series, stores.records(), req.city, req.range, req.choice.params,
                   station ? NonAssessment::kLoad : NonAssessment::kList, "", station ? req.station : "");
}

}  // namespace

AuditedTimeSeries air_series(Stores& stores, DataView data, const RuleChoice& choice) {
  return AuditedTimeSeries(stores.time_series(), stores.audit(),
                           {data, choice.params.exclude_exceptional_events});
}

Status air_rules_cover(const RuleChoice& c, DayRange range, bool needs_limits) {
  if (!c.aqi) {
    for (CivilDay d : {range.first, range.last}) ECOMON_RETURN_IF_ERROR(aqi_rules_for(d).status());
  }
  if (needs_limits && !c.limits) ECOMON_RETURN_IF_ERROR(limit_set_for(range.last).status());
  return Status();
}

StatusOr<DayRange> air_period_range(const AirPeriodSpec& o) {
  // "--year 2019" for the CLI, "query parameter year=2019" for the API.
  auto arg = [&](std::string_view name, const std::string& value) {
    return o.query_parameters ? fmt::format("query parameter {}={}", name, value)
                              : fmt::format("--{} {}", name, value);
  };
  int given = (o.year != 0) + !o.month.empty() + !o.quarter.empty() + !o.ytd.empty() + !o.date.empty() +
              (!o.from.empty() || !o.to.empty());
  if (given != 1) {
    return invalid_argument(
        o.query_parameters
            ? "name the period with exactly one of the query parameters year=Y, month=YYYY-MM, "
              "quarter=YYYY-Qn, ytd=YYYY-MM-DD, date=YYYY-MM-DD, from=D&to=D"
            : "name the period with exactly one of --year Y, --month YYYY-MM, --quarter YYYY-Qn, "
              "--ytd YYYY-MM-DD, --date YYYY-MM-DD, --from D --to D");
  }
  if (o.year != 0) {
    if (o.year < 1900 || o.year > 2999)
      return invalid_argument(arg("year", std::to_string(o.year)) + " is out of range");
    return DayRange::year(o.year);
  }
  if (!o.month.empty()) {
    auto d = CivilDay::parse(o.month + "-01");
    if (!d.ok()) return invalid_argument(arg("month", "'" + o.month + "'") + " is not YYYY-MM");
    return DayRange::month(d->year(), d->month());
  }
  if (!o.quarter.empty()) {
    const std::string bad = arg("quarter", "'" + o.quarter + "'") + " is not YYYY-Qn";
    if (o.quarter.size() != 7 || o.quarter[4] != '-' || (o.quarter[5] != 'Q' && o.quarter[5] != 'q') ||
        o.quarter[6] < '1' || o.quarter[6] > '4') {
      return invalid_argument(bad);
    }
    auto d = CivilDay::parse(o.quarter.substr(0, 4) + "-01-01");
    if (!d.ok()) return invalid_argument(bad);
    return DayRange::quarter(d->year(), o.quarter[6] - '0');
  }
  if (!o.ytd.empty()) {
    auto d = CivilDay::parse(o.ytd);
    if (!d.ok()) return invalid_argument(arg("ytd", "'" + o.ytd + "'") + ": " + d.status().message());
    // Year to date, as of the given day: Jan 1 .. the day before (the as-of day is not complete yet).
    CivilDay first = CivilDay::from_ymd(d->year(), 1, 1);
    if (*d == first) return invalid_argument(arg("ytd", o.ytd) + ": no complete day of the year yet");
    return DayRange{first, *d - 1};
  }
  if (!o.date.empty()) {
    auto d = CivilDay::parse(o.date);
    if (!d.ok()) return invalid_argument(arg("date", "'" + o.date + "'") + ": " + d.status().message());
    return DayRange{*d, *d};
  }
  if (o.from.empty() || o.to.empty())
    return invalid_argument(o.query_parameters ? "query parameters from and to go together"
                                               : "--from and --to go together");
  auto a = CivilDay::parse(o.from);
  if (!a.ok()) return invalid_argument(arg("from", "'" + o.from + "'") + ": " + a.status().message());
  auto b = CivilDay::parse(o.to);
  if (!b.ok()) return invalid_argument(arg("to", "'" + o.to + "'") + ": " + b.status().message());
  if (*b < *a) return invalid_argument(arg("to", o.to) + " is before " + arg("from", o.from));
  return DayRange{*a, *b};
}

StatusOr<RuleChoice> air_rule_choice(const AirRuleOptions& o) {
  RuleChoice c;
  if (!o.rules.empty()) ECOMON_RETURN_IF_ERROR(apply_rules_option(c, o.rules));
  if (!o.weights.empty()) ECOMON_RETURN_IF_ERROR(apply_composite_weights(c.composite, o.weights));
  if (!o.limits.empty()) ECOMON_RETURN_IF_ERROR(apply_composite_limits(c.composite, o.limits));
  c.params.o3_windows = o.o3_windows;
  c.params.exclude_reference_stations = !o.include_reference;
  c.params.exclude_exceptional_events = o.exclude_exceptional_events;
  c.zone = o.zone;
  return c;
}

StatusOr<std::vector<HourReport>> air_hourly(Stores& stores, const Actor&, const AirRequest& req) {
  auto data = load(stores, req, false, true);
  if (!data.ok()) return data.status();
  return city_hour_reports(*data, req.range, req.choice, req.station);
}

StatusOr<std::vector<DayReport>> air_daily(Stores& stores, const Actor&, const AirRequest& req) {
  auto data = load(stores, req, false);
  if (!data.ok()) return data.status();
  return city_day_reports(*data, req.range, req.choice);
}

StatusOr<AirPeriod> air_period(Stores& stores, const Actor&, const AirRequest& req) {
  auto data = load(stores, req, true);
  if (!data.ok()) return data.status();
  AirPeriod r;
  r.assessment =
      assess_period(req.city, req.range, city_day_reports(*data, req.range, req.choice), req.choice);
  describe_stations(*data, r.assessment);
  if (req.year_on_year) {
    AuditedTimeSeries series = air_series(stores, req.data, req.choice);
    auto prev = assess_city(series, stores.records(), req.city, req.range.previous_year(), req.choice);
    if (prev.ok() && prev->days.valid > 0) r.year_on_year = compare(r.assessment, *prev);
  }
  return r;
}

StatusOr<MovingAverage> air_moving_average(Stores& stores, const Actor& who, const AirRequest& req,
                                           const MovingAverageParams& params) {
  constexpr int kMaxYears = 10;
  if (params.years < 2 || params.years > kMaxYears)
    return invalid_argument("a moving average spans 2.." + std::to_string(kMaxYears) + " years, not " +
                            std::to_string(params.years));
  const int last = req.range.last.year();
  std::vector<PeriodAssessment> years;
  for (int y = last - params.years + 1; y <= last; ++y) {
    AirRequest one = req;
    one.range = DayRange::year(y);
    one.year_on_year = false;
    auto p = air_period(stores, who, one);
    if (p.ok()) {
      years.push_back(std::move(p->assessment));
    } else if (p.status().code() == StatusCode::kNotFound) {
      PeriodAssessment none;  // no data that year
      none.city = req.city;
      none.range = one.range;
      years.push_back(std::move(none));
    } else {
      return p.status().with_context(std::to_string(y));
    }
  }
  return moving_average(req.city, years, params);
}

StatusOr<AirRanking> air_rank(Stores& stores, const Actor&, const AirRankRequest& req,
                              const StoresOpener* workers) {
  ECOMON_RETURN_IF_ERROR(air_rules_cover(req.choice, req.range, true));
  if (!req.counties_of.empty() && !req.cities.empty())
    return invalid_argument("rank either cities or the counties of one city");
  std::vector<std::string> cities = req.cities;  // the areas ranked: cities, or the city's counties
  if (!req.counties_of.empty()) {
    auto counties = counties_of_city(stores.records(), req.counties_of);
    if (!counties.ok()) return counties.status();
    if (counties->empty())
      return not_found("no station of city '" + req.counties_of +
                       "' is registered in a county (`ecomon stations register --county`)");
    cities = std::move(*counties);
  } else if (cities.empty()) {
    auto all = stores.records().cities();
    if (!all.ok()) return all.status();
    cities = *all;
  }
  if (cities.empty()) return not_found("no cities in the store");
  std::vector<std::optional<PeriodAssessment>> results(cities.size());
  std::vector<Status> errors(cities.size());
  std::atomic<size_t> next{0};
  auto work = [&](Stores& s) {
    while (true) {
      size_t i = next++;
      if (i >= cities.size()) return;
      AuditedTimeSeries series = air_series(s, req.data, req.choice);
      auto a = req.counties_of.empty()
                   ? assess_city(series, s.records(), cities[i], req.range, req.choice)
                   : assess_county(series, s.records(), req.counties_of, cities[i], req.range, req.choice);
      if (a.ok()) {
        a->daily.clear();
        results[i] = std::move(*a);
      } else {
        errors[i] = a.status();
      }
    }
  };
  Status open_failed;
  if (workers && *workers) {
    // One store connection per thread; the caller's serves the first.
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    std::mutex mu;
    for (unsigned t = 1; t < n; ++t) {
      pool.emplace_back([&] {
        auto s = (*workers)();
        if (!s.ok()) {
          std::lock_guard lock(mu);
          if (open_failed.ok()) open_failed = s.status();
          return;
        }
        work(**s);
      });
    }
    work(stores);
    for (auto& t : pool) t.join();
  } else {
    work(stores);
  }
  // A city without data in the period is left out (a warning); a city that could not be assessed (the store
  // failed) would make the ranking wrong: no ranking then.
  AirRanking r;
  std::vector<PeriodAssessment> ok;
  for (size_t i = 0; i < cities.size(); ++i) {
    if (results[i]) {
      ok.push_back(std::move(*results[i]));
    } else if (errors[i].code() == StatusCode::kNotFound) {
      r.left_out.emplace_back(cities[i], errors[i]);
    } else {
      Status failed = errors[i].ok() ? open_failed : errors[i];
      return failed.with_context(cities[i]);
    }
  }
  r.rows = rank_cities(ok);
  return r;
}

StatusOr<AirToday> air_today(Stores& stores, const Actor&, const std::string& city,
                             std::optional<CivilDay> day, DataView view) {
  auto list = stores.records().stations_of_city(city);
  if (!list.ok()) return list.status();
  if (list->empty()) return not_found("no stations for city '" + city + "'");
  if (!day) {
    // The extent is by month (a store keeps month blocks); the newest day is that of the newest hour with a
    // value in the newest month, so that a month still running (HJ 212 stations, a live demo) opens on today.
    std::vector<Milli> v;
    for (const StationInfo& s : *list) {
      auto e = stores.time_series().hourly_extent(s.id);
      if (!e.ok()) return e.status();
      if (!*e) continue;
      const MonthKey m = MonthKey::of((*e)->last);
      std::optional<CivilDay> last;
      for (Pollutant p : kAllPollutants) {
        ECOMON_RETURN_IF_ERROR(stores.time_series().read_hourly(s.id, p, m.first_hour(), m.hours(), v));
        for (size_t i = v.size(); i-- > 0;) {
          if (v[i] == kMissing) continue;
          const CivilDay d = (m.first_hour() + static_cast<int64_t>(i)).day();
          if (!last || d > *last) last = d;
          break;
        }
      }
      if (!last) last = (*e)->last;  // values only in an earlier month of the extent: as before
      if (!day || *last > *day) day = *last;
    }
  }
  if (!day) return not_found("no data for city '" + city + "'");
  DayRange range{*day, *day};
  RuleChoice choice;
  ECOMON_RETURN_IF_ERROR(aqi_rules_for(*day).status());
  AuditedTimeSeries series = air_series(stores, view, choice);
  auto data = load_city(series, stores.records(), city, range, choice.params);
  if (!data.ok()) return data.status();
  auto hours = city_hour_reports(*data, range, choice);
  if (!hours.ok()) return hours.status();
  AirToday t{city, *day, std::move(*hours), data->stations, {}};
  for (const StationInfo& s : data->stations) {
    auto sh = city_hour_reports(*data, range, choice, s.code);
    t.station_hours.push_back(sh.ok() ? std::optional(std::move(*sh)) : std::nullopt);
  }
  return t;
}

StatusOr<std::vector<AirCity>> air_cities(Stores& stores, const Actor&) {
  auto all = stores.records().cities();
  if (!all.ok()) return all.status();
  std::vector<AirCity> out;
  for (const std::string& c : *all) {
    auto s = stores.records().stations_of_city(c);
    if (!s.ok()) return s.status();
    out.push_back({c, s->size()});
  }
  return out;
}

StatusOr<std::vector<StationInfo>> air_stations(Stores& stores, const Actor&, const std::string& city) {
  return stores.records().stations_of_city(city);
}

StatusOr<std::vector<AirMonth>> air_monthly(Stores& stores, const Actor& who, const std::string& city,
                                            int year, DataView data) {
  std::vector<AirMonth> out;
  constexpr int kMonths = 12;
  for (int m = 1; m <= kMonths; ++m) {
    AirRequest req{city, "", DayRange::month(year, m), RuleChoice{}, false, data};
    auto p = air_period(stores, who, req);
    if (!p.ok()) {
      if (p.status().code() == StatusCode::kNotFound) return p.status();
      continue;  // a month no rule set covers or without data is left out
    }
    out.push_back({fmt::format("{}-{:02d}", year, m), std::move(p->assessment)});
  }
  return out;
}

}  // namespace ecomon::app
