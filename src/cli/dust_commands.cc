// `ecomon dust import|points|readings|events|check`: fugitive-dust (扬尘 / 无组织 TSP) points (docs/dust.md):
// the point template into the store (the bureau only; audited), the points with their state, a point's
// readings, the events the gateway stored, and the rules run over stored readings for a period.
//
//   ecomon dust import dust_points.csv
//   ecomon dust points --format json
//   ecomon dust readings --point T01 --from "2026-12-07 10:00" --to "2026-12-07 11:00"
//   ecomon dust events --from "2026-12-07 00:00" --to "2026-12-08 00:00"
//   ecomon dust check --from "2026-12-07 00:00" --to "2026-12-08 00:00" --construction-ug 600
#include <array>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/clock.h"
#include "app/dust.h"
#include "cli/cli_actor.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "demo/dust_demo.h"
#include "ingest/dust_csv.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

struct DustOpts {
  std::string as_user, format = "table", point, from, to, county;
  bool open_only = false;
  std::string boundary_ug, construction_ug, road_ug, other_ug;
  int window_min = 15, min_readings = 8, silence_min = 30;
};

template <class V, class T, class C, class J>
void print(const std::string& format, const V& v, T table, C csv, J json) {
  if (format == "json") {
    std::cout << json_text(json(v), 2) << "\n";
  } else {
    std::cout << (format == "csv" ? csv(v) : table(v));
  }
}

int run_import(const std::string& db, const std::string& path, const std::string& as_user) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, as_user);
  if (!who.ok()) return fail(who.status());
  const Status allowed = app::dust_may_import(*who);
  StatusOr<ImportReport> r =
      allowed.ok() ? import_dust_points((*stores)->dust(), path) : StatusOr<ImportReport>(allowed);
  const Status s = r.ok() ? Status() : r.status();
  AuditEntry e{.user = who->user,
               .role = std::string(role_name(who->role)),
               .action = "dust.import",
               .target = path,
               .outcome = audit_outcome(s),
               .detail = r.ok() ? std::to_string(r->merge.values_new) + " points new or changed, " +
                                      std::to_string(r->rows_rejected) + " rows rejected"
                                : s.message(),
               .via = "cli"};
  if (Status a = (*stores)->accounts().audit(e); !a.ok()) return fail(a);
  if (!r.ok()) return fail(r.status());
  std::cout << r->summary();
  return r->has_rejections() ? 1 : 0;
}

int run_points(const std::string& db, const DustOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = app::dust_points(**stores, *who, {.now = app::civil_now(), .county = o.county});
  if (!r.ok()) return fail(r.status());
  print(o.format, *r, dust::points_table, dust::points_csv, dust::points_json);
  return 0;
}

int run_readings(const std::string& db, const DustOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto span = span_of(o.from, o.to);
  if (!span.ok()) return fail(span.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = app::dust_readings(**stores, *who, {.point = o.point, .span = *span});
  if (!r.ok()) return fail(r.status());
  print(o.format, *r, dust::readings_table, dust::readings_csv, dust::readings_json);
  return 0;
}

StatusOr<dust::DustParams> params_of(const DustOpts& o) {
  dust::DustParams p;
  const std::array<std::pair<const std::string*, Decimal*>, 4> limits = {
      {{&o.boundary_ug, &p.boundary_ug},
       {&o.construction_ug, &p.construction_ug},
       {&o.road_ug, &p.road_ug},
       {&o.other_ug, &p.other_ug}}};
  for (const auto& [text, into] : limits) {
    if (text->empty()) continue;
    auto m = parse_milli(*text);
    if (!m) return invalid_argument("'" + *text + "' is not a number of µg/m³");
    *into = Decimal::of_milli(*m);
  }
  p.window_min = o.window_min;
  p.min_readings = o.min_readings;
  p.silence_min = o.silence_min;
  ECOMON_RETURN_IF_ERROR(dust::validate_dust_params(p));
  return p;
}

int run_events(const std::string& db, const DustOpts& o, bool computed) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto span = span_of(o.from, o.to);
  if (!span.ok()) return fail(span.status());
  auto params = params_of(o);
  if (!params.ok()) return fail(params.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = computed ? app::dust_check(**stores, *who, {.span = *span, .point = o.point, .params = *params})
                    : app::dust_events(**stores, *who, {.span = *span, .open_only = o.open_only});
  if (!r.ok()) return fail(r.status());
  print(o.format, *r, dust::events_table, dust::events_csv, dust::events_json);
  return 0;
}

}  // namespace

void register_dust(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd =
      app.add_subcommand("dust", "fugitive-dust (扬尘/无组织 TSP) points: registry, readings, events");
  cmd->require_subcommand(1);
  auto o = std::make_shared<DustOpts>();
  auto common = [o](CLI::App* c, bool format) {
    c->add_option("--as", o->as_user, "act as this user (its role's view)");
    if (format) c->add_option("--format", o->format, "table, csv or json");
  };

  auto path = std::make_shared<std::string>();
  CLI::App* imp =
      cmd->add_subcommand("import", "import the point template id,name,type,owner,county,lon,lat,mn");
  imp->add_option("file", *path, "CSV file (docs/dust.md)")->required();
  common(imp, false);
  imp->callback([path, o, &global] { set_exit_code(run_import(global.db, *path, o->as_user)); });

  auto out = std::make_shared<std::string>();
  auto count = std::make_shared<int>(demo::kDemoDustPoints);
  CLI::App* dm = cmd->add_subcommand(
      "demo-points",
      "write the demo city's TSP points as the template (MNs of hj212-sim --dust --first-device 100)");
  dm->add_option("--out", *out, "the CSV file to write")->required();
  dm->add_option("--count", *count,
                 "points (default 65: the seed's 69 TSP : 17 online, scaled to 16 devices)");
  dm->callback([out, count] {
    std::ofstream f(*out, std::ios::binary);
    f << demo::dust_points_csv(*count, demo::kDemoDustFirstDevice);
    f.close();
    if (!f) {
      set_exit_code(fail(Status(StatusCode::kInternal, "cannot write '" + *out + "'")));
      return;
    }
    std::cout << "wrote " << *count << " dust points to " << *out << "\n";
  });

  CLI::App* pts =
      cmd->add_subcommand("points", "the points with their state (exceedance, silent, ok, no_data)");
  pts->add_option("--county", o->county, "one county");
  common(pts, true);
  pts->callback([o, &global] { set_exit_code(run_points(global.db, *o)); });

  CLI::App* rd = cmd->add_subcommand("readings", "a point's stored readings");
  rd->add_option("--point", o->point, "the point's id")->required();
  rd->add_option("--from", o->from, "YYYY-MM-DD hh:mm")->required();
  rd->add_option("--to", o->to, "YYYY-MM-DD hh:mm (exclusive)")->required();
  common(rd, true);
  rd->callback([o, &global] { set_exit_code(run_readings(global.db, *o)); });

  CLI::App* ev = cmd->add_subcommand("events", "the dust events the gateway stored");
  ev->add_option("--from", o->from, "YYYY-MM-DD hh:mm")->required();
  ev->add_option("--to", o->to, "YYYY-MM-DD hh:mm")->required();
  ev->add_flag("--open", o->open_only, "only events still open");
  common(ev, true);
  ev->callback([o, &global] { set_exit_code(run_events(global.db, *o, false)); });

  CLI::App* chk = cmd->add_subcommand(
      "check",
      "the dust rules over stored minute readings of a period (exceedance of the window mean, silence)");
  chk->add_option("--from", o->from, "YYYY-MM-DD hh:mm")->required();
  chk->add_option("--to", o->to, "YYYY-MM-DD hh:mm (exclusive)")->required();
  chk->add_option("--point", o->point, "one point");
  chk->add_option("--boundary-ug", o->boundary_ug, "boundary threshold, µg/m³ (default 1000)");
  chk->add_option("--construction-ug", o->construction_ug,
                  "construction-site threshold, µg/m³ (default 800)");
  chk->add_option("--road-ug", o->road_ug, "road threshold, µg/m³ (default 800)");
  chk->add_option("--other-ug", o->other_ug, "other points' threshold, µg/m³ (default 1000)");
  chk->add_option("--window-min", o->window_min, "the mean's trailing window, minutes (default 15)");
  chk->add_option("--min-readings", o->min_readings, "readings a window needs to be judged (default 8)");
  chk->add_option("--silence-min", o->silence_min, "minutes without a reading before a silence (default 30)");
  common(chk, true);
  chk->callback([o, &global] { set_exit_code(run_events(global.db, *o, true)); });
}

}  // namespace ecomon::cli
