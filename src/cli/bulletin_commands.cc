// `ecomon bulletin --year Y --city NAME --out DIR [--facts FILE]`: the annual bulletin as HTML, JSON and PDF.
//
// The figures come from the services (app/bulletin.h: the same calls as `ecomon air annual|period|daily`
// and `ecomon water|groundwater|noise|rain assess`, the command lines the footnotes name); src/report
// renders them.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/bulletin.h"
#include "cli/bulletin_commands.h"
#include "core/json_text.h"
#include "report/bulletin.h"
#include "report/pdf.h"
#include "report/render.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

namespace fs = std::filesystem;

Status write_file(const fs::path& path, const std::string& text) {
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

struct BulletinOpts {
  int year = 0;
  std::string city, out, facts, chromium;
  bool no_pdf = false;
};

int run_bulletin(const std::string& db, const BulletinOpts& o) {
  auto fail = [](const Status& s) {
    std::cerr << "error: " << s.message() << "\n";
    return 2;
  };
  if (!fs::exists(db)) return fail(not_found("no store file '" + db + "' (--db or $ECOMON_DB)"));
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
    app::BulletinSoil soil = app::bulletin_soil(**stores, Actor::operator_cli());
    req.soil = std::move(soil.survey);
    req.plots = std::move(soil.plots);
    auto chronicle = app::bulletin_chronicle(**stores, Actor::operator_cli(), o.year);
    if (!chronicle.ok()) return fail(chronicle.status());
    req.chronicle = std::move(*chronicle);
  }
  auto b = report::build_bulletin(req);
  if (!b.ok()) return fail(b.status());
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) return fail(internal_error("cannot create " + o.out + ": " + ec.message()));
  const fs::path dir(o.out);
  if (Status s =
          write_file(dir / "bulletin.html", report::render_html(*b, {fs::path(db).filename().string(), ""}));
      !s.ok()) {
    return fail(s);
  }
  if (Status s = write_file(dir / "bulletin.json", json_text(report::bulletin_json(*b), 2) + "\n"); !s.ok())
    return fail(s);
  std::cout << fmt::format("{}: {} sections, {} queries\n", b->title, b->sections.size(), b->queries.size());
  for (const report::Section& s : b->sections) std::cout << "  " << s.title << "\n";
  for (const std::string& n : b->notes) std::cout << "  left out: " << n << "\n";
  std::cout << "wrote " << (dir / "bulletin.html").string() << ", " << (dir / "bulletin.json").string()
            << "\n";
  if (o.no_pdf) return 0;
  if (Status s = report::print_pdf(dir / "bulletin.html", dir / "bulletin.pdf", pdf_options); !s.ok())
    return fail(s);
  std::cout << "wrote " << (dir / "bulletin.pdf").string() << "\n";
  return 0;
}

}  // namespace

void register_bulletin(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<BulletinOpts>();
  CLI::App* c = app.add_subcommand("bulletin",
                                   "the annual eco-environment bulletin (生态环境状况公报): HTML, JSON, PDF");
  c->add_option("--year", o->year, "the bulletin's year")->required();
  c->add_option("--city", o->city, "city of the air assessment, e.g. 晋城")->required();
  c->add_option("--out", o->out, "output directory (bulletin.html, bulletin.json, bulletin.pdf)")->required();
  c->add_option("--facts", o->facts, "the year's facts file (JSON, docs/bulletin.md)");
  c->add_option("--chromium", o->chromium,
                "browser for the PDF (default $ECOMON_CHROMIUM or /usr/bin/chromium)");
  c->add_flag("--no-pdf", o->no_pdf, "write only the HTML and JSON");
  c->callback([o, &global] { set_exit_code(run_bulletin(global.db, *o)); });
}

}  // namespace ecomon::cli
