// `ecomon bulletin --year Y --city NAME --out DIR [--facts FILE]`: the annual bulletin as HTML, JSON, xlsx
// (its tables) and PDF; `--month YYYY-MM` or `--quarter YYYY-Qn` instead of --year: a period report (月报,
// 季报, cli/period_reports.h).
//
// The figures come from the services (app/bulletin.h: the same calls as `ecomon air annual|period|daily`
// and `ecomon water|groundwater|noise|rain assess`, the command lines the footnotes name); src/report
// renders them.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/bulletin.h"
#include "app/emissions.h"
#include "cli/bulletin_commands.h"
#include "cli/period_reports.h"
#include "core/json_text.h"
#include "report/bulletin.h"
#include "report/pdf.h"
#include "report/period_report.h"
#include "report/render.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

namespace fs = std::filesystem;

struct BulletinOpts {
  int year = 0;
  std::string month, quarter;  // a period report (月报, 季报) instead of the year's bulletin
  std::string city, out, facts, chromium;
  bool no_pdf = false;
};

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// The store must exist: a report of an empty store created by the asking is not what anyone wants.
Status store_exists(const std::string& db) {
  auto url = parse_store_url(db);
  if (!url.ok()) return url.status();
  if (url->kind == StoreUrl::Kind::kSqlite && url->sqlite_path != ":memory:" && !fs::exists(url->sqlite_path))
    return not_found("no store file '" + url->sqlite_path + "' (--db or $ECOMON_DB)");
  return Status();
}

int write_and_print(const report::Bulletin& b, const std::string& db, const BulletinOpts& o) {
  std::cout << fmt::format("{}: {} sections, {} queries\n", b.title, b.sections.size(), b.queries.size());
  for (const report::Section& s : b.sections) std::cout << "  " << s.title << "\n";
  for (const std::string& n : b.notes) std::cout << "  left out: " << n << "\n";
  ReportFileOptions files{!o.no_pdf, report::PdfOptions{o.chromium}, ""};
  if (auto url = parse_store_url(db); url.ok() && url->kind == StoreUrl::Kind::kSqlite) {
    files.store = fs::path(url->sqlite_path).filename().string();
  }
  auto written = write_report_files(b, o.out, files);
  if (!written.ok()) return fail(written.status());
  std::string list;
  for (const fs::path& f : *written) list += (list.empty() ? "" : ", ") + f.string();
  std::cout << "wrote " << list << "\n";
  return 0;
}

// `ecomon bulletin --month YYYY-MM | --quarter YYYY-Qn`: a period report.
int run_period_report(const std::string& db, const BulletinOpts& o) {
  if (!o.facts.empty()) return fail(invalid_argument("--facts belongs to the annual bulletin (--year)"));
  auto period = report::parse_report_period(o.month.empty() ? o.quarter : o.month);
  if (!period.ok()) return fail(period.status().with_context(o.month.empty() ? "--quarter" : "--month"));
  if (Status s = store_exists(db); !s.ok()) return fail(s);
  if (!o.no_pdf) {
    if (auto c = report::find_chromium(report::PdfOptions{o.chromium}); !c.ok())
      return fail(c.status().with_context("--no-pdf to skip"));
  }
  StatusOr<report::Bulletin> b = not_found("");
  {
    auto stores = open_stores(db);
    if (!stores.ok()) return fail(stores.status());
    b = report::build_period_report(gather_period_report(**stores, Actor::operator_cli(), o.city, *period));
  }
  if (!b.ok()) return fail(b.status());
  return write_and_print(*b, db, o);
}

int run_bulletin(const std::string& db, const BulletinOpts& o) {
  const int periods = (o.year != 0) + !o.month.empty() + !o.quarter.empty();
  if (periods != 1) return fail(invalid_argument("give exactly one of --year, --month and --quarter"));
  if (o.year == 0) return run_period_report(db, o);
  if (Status s = store_exists(db); !s.ok()) return fail(s);
  report::BulletinRequest req{o.year, o.city, std::nullopt};
  if (!o.facts.empty()) {
    auto f = report::read_facts_file(o.facts);
    if (!f.ok()) return fail(f.status());
    req.facts = std::move(*f);
  }
  report::PdfOptions pdf_options{o.chromium};
  if (!o.no_pdf) {
    if (auto c = report::find_chromium(pdf_options); !c.ok())
      return fail(c.status().with_context("--no-pdf to skip"));
  }
  {
    auto stores = open_stores(db);
    if (!stores.ok()) return fail(stores.status());
    auto air = app::bulletin_air(**stores, Actor::operator_cli(), o.city, o.year);
    if (!air.ok()) return fail(air.status());
    req.air = std::move(*air);
    auto q = app::bulletin_quality(**stores, Actor::operator_cli(), o.year);
    if (!q.ok()) return fail(q.status());
    req.water = std::move(q->water);
    req.groundwater = std::move(q->groundwater);
    req.noise = std::move(q->noise);
    req.rain = std::move(q->rain);
    req.noise_previous = std::move(q->noise_previous);
    auto rates = app::bulletin_rates(**stores, Actor::operator_cli(), o.year);
    if (!rates.ok()) return fail(rates.status());
    req.rates = std::move(*rates);
    // The year's loads against the permitted amounts (the same call as `ecomon emissions --year Y`).
    app::EmissionsRequest er{DayRange::year(o.year), std::to_string(o.year)};
    auto emissions = app::emission_totals(**stores, Actor::operator_cli(), er);
    if (!emissions.ok()) return fail(emissions.status());
    req.permits = std::move(emissions->permits);
    app::BulletinSoil soil = app::bulletin_soil(**stores, Actor::operator_cli());
    req.soil = std::move(soil.survey);
    req.plots = std::move(soil.plots);
    auto chronicle = app::bulletin_chronicle(**stores, Actor::operator_cli(), o.year);
    if (!chronicle.ok()) return fail(chronicle.status());
    req.chronicle = std::move(*chronicle);
  }
  auto b = report::build_bulletin(req);
  if (!b.ok()) return fail(b.status());
  return write_and_print(*b, db, o);
}

}  // namespace

void register_bulletin(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<BulletinOpts>();
  CLI::App* c = app.add_subcommand("bulletin",
                                   "the annual eco-environment bulletin (生态环境状况公报): HTML, JSON, PDF");
  c->add_option("--year", o->year, "the annual bulletin's year");
  c->add_option("--month", o->month, "a monthly report (月报) instead: YYYY-MM");
  c->add_option("--quarter", o->quarter, "a quarterly report (季报) instead: YYYY-Qn");
  c->add_option("--city", o->city, "city of the air assessment, e.g. 晋城")->required();
  c->add_option("--out", o->out, "output directory (bulletin.html, .json, .xlsx (its tables), .pdf)")
      ->required();
  c->add_option("--facts", o->facts, "the year's facts file (JSON, docs/bulletin.md)");
  c->add_option("--chromium", o->chromium,
                "browser for the PDF (default $ECOMON_CHROMIUM or /usr/bin/chromium)");
  c->add_flag("--no-pdf", o->no_pdf, "write only the HTML, JSON and xlsx");
  c->callback([o, &global] { set_exit_code(run_bulletin(global.db, *o)); });
}

}  // namespace ecomon::cli
