// `ecomon emissions`: an adapter over app::emission_totals; the result is formatted by
// sources/emissions_format.h (the JSON is GET /api/emissions' body).
#include "cli/emissions_commands.h"

#include <iostream>
#include <memory>
#include <tuple>

#include "app/emissions.h"
#include "cli/cli_actor.h"
#include "core/json_text.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

struct EmissionsOpts {
  app::EmissionsQuery query;
  std::string by = "county", format = "table";
  bool from_uploads = false;
};

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

struct RebuildOpts {
  std::string from, to, device, as_user;
};

// `emissions rebuild`: the stored day-loads recomputed from the uploads (app::rebuild_day_loads; audited).
int run_rebuild(const std::string& db, const RebuildOpts& o) {
  app::DayLoadRebuild req{.mn = o.device};
  for (auto [text, into, name] : {std::tuple{&o.from, &req.from, "--from"}, {&o.to, &req.to, "--to"}}) {
    if (text->empty()) continue;
    auto d = CivilDay::parse(*text);
    if (!d.ok())
      return fail(invalid_argument(std::string(name) + " '" + *text + "' is not a day YYYY-MM-DD"));
    *into = *d;
  }
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = app::rebuild_day_loads(**stores, *who, req, "cli");
  if (!r.ok()) return fail(r.status());
  std::cout << "day-loads: " << r->device_days << " device-days recomputed from their uploads, "
            << r->replaced << " replaced (" << r->rows << " rows; " << r->undecodable
            << " undecodable uploads)\n";
  return 0;
}

int run(const std::string& db, const EmissionsOpts& o) {
  auto req = app::emissions_request(o.query);
  if (!req.ok()) return fail(req.status());
  req->from_uploads = o.from_uploads;
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = app::emission_totals(**stores, Actor::operator_cli(), *req);
  if (!r.ok()) return fail(r.status());
  std::cout << (o.format == "json" ? json_text(sources::emissions_json(*r), 2) + "\n"
                                   : sources::emissions_text(*r, o.by, o.format == "csv"));
  return 0;
}

}  // namespace

void register_emissions(CLI::App& app, GlobalOptions& global) {
  auto o = std::make_shared<EmissionsOpts>();
  CLI::App* c = app.add_subcommand(
      "emissions", "emission totals from the HJ 212 uploads per outlet, enterprise, county, industry");
  c->add_option("--year", o->query.year, "a year, YYYY");
  c->add_option("--month", o->query.month, "a month, YYYY-MM");
  c->add_option("--from", o->query.from, "first day, YYYY-MM-DD (with --to)");
  c->add_option("--to", o->query.to, "last day, YYYY-MM-DD (with --from)");
  c->add_option("--base-year", o->query.base_year, "compare with the same days of this year (e.g. 2020)");
  c->add_option("--county", o->query.county, "one county (区县)");
  c->add_option("--by", o->by, "rows of the table: outlet, enterprise, county (default), industry")
      ->check(CLI::IsMember({"outlet", "enterprise", "county", "industry"}));
  c->add_option("--kind", o->query.kind, "the uploads counted: hourly (default), minute, daily, realtime")
      ->check(CLI::IsMember({"hourly", "minute", "daily", "realtime"}));
  c->add_option("--format", o->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  c->add_flag("--from-uploads", o->from_uploads,
              "compute from the stored uploads, not the stored day-loads (a check; slow)");
  auto rb = std::make_shared<RebuildOpts>();
  CLI::App* rebuild = c->add_subcommand(
      "rebuild", "recompute the stored day-loads from the uploads (idempotent; admin, analyst; audited)");
  rebuild->add_option("--from", rb->from, "first day, YYYY-MM-DD (default: each device's first upload)");
  rebuild->add_option("--to", rb->to, "last day, YYYY-MM-DD (default: each device's last upload)");
  rebuild->add_option("--device", rb->device, "one device's MN (default: every registered device)");
  rebuild->add_option("--as", rb->as_user, "act as this stored user");
  rebuild->callback([rb, &global] { set_exit_code(run_rebuild(global.db, *rb)); });
  c->callback([o, c, &global] {
    if (c->got_subcommand("rebuild")) return;
    set_exit_code(run(global.db, *o));
  });
}

}  // namespace ecomon::cli
