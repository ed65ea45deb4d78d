#include "cli/period_reports.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

#include "app/air.h"
#include "app/emissions.h"
#include "app/ledger.h"
#include "app/quality.h"
#include "app/sources.h"
#include "core/json_text.h"
#include "report/render.h"
#include "report/tables_xlsx.h"

namespace ecomon::cli {
namespace {

namespace fs = std::filesystem;

Status write_text(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush()) return internal_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return internal_error("cannot write " + path.string() + ": " + ec.message());
  return Status();
}

StatusOr<report::PeriodAirFigures> air_figures(Stores& stores, const Actor& who, const std::string& city,
                                               const report::ReportPeriod& period, const RuleChoice& choice) {
  app::AirRequest req{city, "", period.range, choice, true};
  auto now = app::air_period(stores, who, req);
  if (!now.ok()) return now.status();
  report::PeriodAirFigures f{now->assessment, now->year_on_year, std::nullopt, {}};
  req.range = period.previous_year().range;
  req.year_on_year = false;
  if (auto before = app::air_period(stores, who, req); before.ok()) f.previous = before->assessment;
  if (period.months.size() > 1) {
    for (MonthKey m : period.months) {
      req.range = DayRange::month(m.year(), m.month());
      auto month = app::air_period(stores, who, req);
      if (month.ok() && month->assessment.days.valid > 0)
        f.months.emplace_back(fmt::format("{}-{:02}", m.year(), m.month()), month->assessment);
    }
  }
  return f;
}

}  // namespace

report::PeriodReportRequest gather_period_report(Stores& stores, const Actor& who, const std::string& city,
                                                 const report::ReportPeriod& period) {
  report::PeriodReportRequest r{city, period};
  auto choice = app::air_rule_choice(app::AirRuleOptions{});
  if (choice.ok()) {
    r.air = air_figures(stores, who, city, period, *choice);
    auto ranking = app::air_rank(stores, who, app::AirRankRequest{{}, period.range, *choice});
    if (ranking.ok()) {
      r.ranking = std::move(ranking->rows);
    } else {
      r.ranking = ranking.status();
    }
    app::AirRankRequest counties{{}, period.range, *choice};
    counties.counties_of = city;
    auto county_rows = app::air_rank(stores, who, counties);
    if (county_rows.ok()) {
      r.county_ranking = std::move(county_rows->rows);
    } else if (county_rows.status().code() != StatusCode::kNotFound) {  // kNotFound: no county registered
      r.county_ranking = county_rows.status();
    }
  } else {
    r.air = choice.status();
    r.ranking = choice.status();
  }
  auto quality = app::quality_period(0, period.label);
  r.water = quality.ok() ? app::water_assessment(stores, who, *quality)
                         : StatusOr<water::WaterReport>(quality.status());
  std::vector<sources::RateList> rates;
  for (MonthKey m : period.months) {
    app::SourceRatesRequest req{m, fmt::format("{}-{:02}", m.year(), m.month()), "hourly"};
    auto list = app::source_rates(stores, who, req);
    if (!list.ok()) {
      rates.clear();
      r.rates = list.status().with_context("sources rates --month " + req.month_text);
      break;
    }
    rates.push_back(std::move(*list));
  }
  if (rates.size() == period.months.size()) r.rates = std::move(rates);
  app::SourceEventsRequest events{sources::SourceTime::of(period.range.first),
                                  sources::SourceTime::of(period.range.last + 1), "",
                                  app::EventSource::kAuto};
  r.events = app::source_events(stores, who, events);
  // The year to date against the year's permitted amounts (`ecomon emissions --from Y-01-01 --to LAST`).
  const DayRange ytd = report::year_to_date(period);
  app::EmissionsRequest loads{ytd, ytd.first.to_string() + ".." + ytd.last.to_string()};
  if (auto e = app::emission_totals(stores, who, loads); e.ok()) {
    r.permits = std::move(e->permits);
  } else {
    r.permits = e.status();
  }
  r.scorecard = app::ledger_scorecard(stores, who, app::ReportRequest{period.range.last, ""});
  return r;
}

StatusOr<std::vector<fs::path>> write_report_files(const report::Bulletin& b, const fs::path& dir,
                                                   const ReportFileOptions& options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return internal_error("cannot create " + dir.string() + ": " + ec.message());
  std::vector<fs::path> written;
  const fs::path html = dir / "bulletin.html", json = dir / "bulletin.json", xlsx = dir / "bulletin.xlsx";
  ECOMON_RETURN_IF_ERROR(write_text(html, report::render_html(b, {options.store, ""})));
  written.push_back(html);
  ECOMON_RETURN_IF_ERROR(write_text(json, json_text(report::bulletin_json(b), 2) + "\n"));
  written.push_back(json);
  if (Status s = report::write_tables_xlsx(b, xlsx); s.ok()) {
    written.push_back(xlsx);
  } else if (s.code() != StatusCode::kNotFound) {
    return s;
  }
  if (options.pdf) {
    const fs::path pdf = dir / "bulletin.pdf";
    ECOMON_RETURN_IF_ERROR(report::print_pdf(html, pdf, options.pdf_options));
    written.push_back(pdf);
  }
  return written;
}

ScheduleRun run_report_schedule(const StoresOpener& open, const ReportSchedule& schedule, CivilDay today,
                                const std::function<bool()>& stopping) {
  ScheduleRun run;
  std::vector<report::ReportPeriod> due =
      report::closed_periods(report::ReportPeriod::Kind::kMonth, today, schedule.months_back);
  for (report::ReportPeriod& q :
       report::closed_periods(report::ReportPeriod::Kind::kQuarter, today, schedule.quarters_back))
    due.push_back(std::move(q));
  const Actor who{"schedule", Role::kAdmin, "", ""};
  std::vector<std::string> cities = schedule.cities;
  if (cities.empty()) {
    auto stores = open();
    auto all =
        stores.ok() ? app::air_cities(**stores, who) : StatusOr<std::vector<app::AirCity>>(stores.status());
    if (!all.ok()) {
      run.failed.push_back("the store's cities: " + all.status().message());
      return run;
    }
    for (const app::AirCity& c : *all) cities.push_back(c.city);
  }
  for (const std::string& city : cities) {
    for (const report::ReportPeriod& period : due) {
      if (stopping && stopping()) return run;
      const std::string name = city + "/" + period.label;
      const fs::path final_dir = schedule.dir / city / period.label;
      std::error_code ec;
      if (fs::exists(final_dir, ec)) continue;
      auto fail = [&](const Status& s) { run.failed.push_back(name + ": " + s.message()); };
      auto stores = open();
      if (!stores.ok()) {
        fail(stores.status());
        continue;
      }
      auto b = report::build_period_report(gather_period_report(**stores, who, city, period));
      if (!b.ok()) {
        fail(b.status());
        continue;
      }
      const fs::path partial = schedule.dir / city / ("." + period.label + ".partial");
      fs::remove_all(partial, ec);
      auto files = write_report_files(*b, partial, schedule.files);
      if (!files.ok()) {
        fs::remove_all(partial, ec);
        fail(files.status());
        continue;
      }
      fs::rename(partial, final_dir, ec);
      if (ec) {
        fail(internal_error("cannot rename " + partial.string() + ": " + ec.message()));
        fs::remove_all(partial, ec);
        continue;
      }
      run.written.push_back(name);
    }
  }
  return run;
}

ReportScheduler::ReportScheduler(StoresOpener open, ReportSchedule schedule, double every_seconds)
    : open_(std::move(open)), schedule_(std::move(schedule)), every_seconds_(every_seconds) {
  thread_ = std::thread([this] { loop(); });
}

ReportScheduler::~ReportScheduler() { stop(); }

void ReportScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReportScheduler::loop() {
  std::set<std::string> told;  // failures already printed
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    ScheduleRun run = run_report_schedule(open_, schedule_, schedule_.as_of.value_or(app::today()),
                                          [this] { return stopping_.load(); });
    for (const std::string& w : run.written)
      std::cout << "reports: wrote " << (schedule_.dir / w).string() << std::endl;
    for (const std::string& f : run.failed) {
      if (told.insert(f).second) std::cout << "reports: not written: " << f << std::endl;
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::duration<double>(every_seconds_), [this] { return stopping_.load(); });
  }
}

}  // namespace ecomon::cli
