// `ecomon power import|lines|grid`: power-use monitoring (用电监控, docs/power.md): the metered-line
// registry, closed sites and the grid company's energy files (ingest/power_csv.h) into the store, and what is
// stored.
//
//   ecomon power import power_lines.csv          # the template from the header: lines, sites or grid energy
//   ecomon power lines --enterprise E01
//   ecomon power grid --meter M1 --from 2026-11-01 --to 2026-11-30
//   ecomon power pull --from "2026-12-01 00:00" --to "2026-12-02 00:00"   # ST 44 uploads -> readings
//   ecomon power check --from "2026-12-01 00:00" --to "2026-12-02 06:00"  # events and required cuts
//   ecomon power cases --evaluate --from 2026-12-01 --to 2026-12-07 --max-kwh 5   # closed sites -> cases
//   ecomon power cases --format json                                              # the stored cases
//   ecomon power demo-lines --out power_lines.csv     # the demo city's 50 modules (hj212-sim --power)
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/clock.h"
#include "app/power.h"
#include "cli/cli_actor.h"
#include "cli/cli_args.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "demo/power_demo.h"
#include "ingest/power_csv.h"
#include "ingest/power_uploads.h"
#include "power/power_format.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

int run_import(const std::string& db, const std::string& path) {
  auto t = power_template_of(path);
  if (!t.ok()) return fail(t.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = import_power_file((*stores)->power(), *t, path);
  if (!r.ok()) return fail(r.status());
  std::cout << r->summary();
  return r->has_rejections() || r->merge.values_conflicting > 0 ? 1 : 0;
}

int run_lines(const std::string& db, const std::string& enterprise) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto lines = (*stores)->power().lines(enterprise);
  if (!lines.ok()) return fail(lines.status());
  std::cout << "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n";
  for (const PowerLineRow& l : *lines) {
    std::cout << l.line << "," << l.enterprise << "," << l.name << "," << l.role << "," << l.running_kw << ","
              << l.interval_s << "," << l.mn << "," << l.code << "," << joined(l.serves) << ","
              << joined(l.outlets) << "," << joined(l.list_lines) << "\n";
  }
  return 0;
}

int run_grid(const std::string& db, const std::vector<std::string>& meters, const std::string& from,
             const std::string& to) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto rows = (*stores)->power().grid(meters, from, to);
  if (!rows.ok()) return fail(rows.status());
  std::cout << "enterprise,meter,period,kwh\n";
  for (const GridEnergyRow& g : *rows)
    std::cout << g.enterprise << "," << g.meter << "," << g.start << "," << g.kwh << "\n";
  return 0;
}

std::string when(const sources::SourceTime& t) {
  const int64_t d = t.to_digits();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld",
                static_cast<long long>(d / 10000000000), static_cast<long long>(d / 100000000 % 100),
                static_cast<long long>(d / 1000000 % 100), static_cast<long long>(d / 10000 % 100),
                static_cast<long long>(d / 100 % 100));
  return buf;
}

std::string percent(const std::optional<Rational>& r) {
  if (!r) return "-";
  return round_half_even(Rational{r->num * 100, r->den}, 1).to_string() + "%";
}

int run_pull(const std::string& db, const std::string& from, const std::string& to) {
  auto span = span_of(from, to);
  if (!span.ok()) return fail(span.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = power_readings_from_uploads(**stores, span->begin, span->end);
  if (!r.ok()) return fail(r.status());
  std::cout << "power uploads: " << r->uploads << " read, " << r->readings_new << " new readings, "
            << r->readings_same << " already stored, " << r->conflicts << " conflicting (stored kept), "
            << r->values_skipped << " values skipped (absent or flag not N)\n";
  for (const std::string& p : r->problems) std::cout << "  " << p << "\n";
  return r->problems.empty() ? 0 : 1;
}

int run_check(const std::string& db, const std::string& from, const std::string& to,
              const std::string& enterprise, const std::string& as_user) {
  auto span = span_of(from, to);
  if (!span.ok()) return fail(span.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, as_user);
  if (!who.ok()) return fail(who.status());
  auto r = app::power_check(**stores, *who, {.span = *span, .enterprise = enterprise});
  if (!r.ok()) return fail(r.status());
  std::cout << "events (" << r->events.size() << ")\nrule,enterprise,line,related,opened,closed,readings\n";
  for (const power::PowerEvent& e : r->events) {
    std::cout << e.rule << "," << e.enterprise << "," << e.line << "," << e.related << "," << when(e.opened)
              << "," << (e.closed ? when(*e.closed) : std::string("open")) << "," << e.readings << "\n";
  }
  std::cout << "required cuts (" << r->cuts.size()
            << ")\nenterprise,line,list_line,level,from,to,baseline_kw,during_kw,achieved,required,verdict\n";
  for (const app::PowerCut& c : r->cuts) {
    const power::CutCompliance& v = c.compliance;
    auto kw = [](const std::optional<Rational>& x) {
      return x ? round_half_even(*x, 1).to_string() : std::string("-");
    };
    std::cout << c.enterprise << "," << c.line << "," << c.list_line << "," << c.level << ","
              << when(c.during.begin) << "," << when(c.during.end) << "," << kw(v.baseline_kw) << ","
              << kw(v.during_kw) << "," << percent(v.achieved_cut) << "," << v.required_percent << "%,"
              << power::cut_verdict_name(v.verdict) << "\n";
  }
  for (const std::string& p : r->problems) std::cerr << "warning: " << p << "\n";
  return 0;
}

struct CasesOptions {
  bool evaluate = false;
  std::string from, to, as_user, format = "table";
  std::string max_kwh = "5";
};

int run_cases(const std::string& db, const CasesOptions& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  StatusOr<std::vector<power::EnforcementCase>> cases = std::vector<power::EnforcementCase>{};
  if (o.evaluate) {
    app::PowerCasesRequest req{o.from, o.to, {}};
    auto milli = parse_milli(o.max_kwh);
    Status s;
    StatusOr<app::PowerCases> r = invalid_argument("--max-kwh: '" + o.max_kwh + "' is not a number");
    if (!milli) {
      s = r.status();
    } else {
      req.site.max_kwh_per_day = Decimal::of_milli(*milli);
      const int64_t now_ms = app::now_ms();
      r = app::evaluate_power_cases(**stores, *who, req, now_ms);
      s = r.status();
    }
    // Audited, refused or not (the write is the cases table).
    AuditEntry e{
        .user = who->user,
        .role = std::string(role_name(who->role)),
        .action = "power.cases.evaluate",
        .target = o.from + ".." + o.to + " max_kwh " + o.max_kwh,
        .outcome = audit_outcome(s),
        .detail = s.ok() ? std::to_string(r->found) + " found, " + std::to_string(r->changed) + " changed"
                         : s.message(),
        .via = "cli"};
    if (Status a = (*stores)->accounts().audit(e); !a.ok()) return fail(a);
    if (!s.ok()) return fail(s);
    std::cerr << r->found << " cases found, " << r->changed << " rows added or updated\n";
    for (const std::string& p : r->problems) std::cerr << "warning: " << p << "\n";
    cases = std::move(r->cases);
  } else {
    cases = app::power_cases(**stores, *who);
    if (!cases.ok()) return fail(cases.status());
  }
  if (o.format == "json") {
    std::cout << json_text(nlohmann::json{{"items", power::cases_json(*cases)}}, 2) << "\n";
    return 0;
  }
  std::cout << "site,name,county,meter,status,opened,closed,days,threshold_kwh\n";
  for (const power::EnforcementCase& c : *cases) {
    std::cout << c.site << "," << c.name << "," << c.county << "," << c.meter << "," << c.status << ","
              << c.opened << "," << (c.closed.empty() ? "open" : c.closed) << "," << c.days << ","
              << c.threshold_kwh << "\n";
  }
  return 0;
}

}  // namespace

void register_power(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("power", "power-use monitoring (用电监控): metered lines, grid energy");
  cmd->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  CLI::App* imp = cmd->add_subcommand(
      "import",
      "import a power template: metered lines, closed sites or the grid company's energy (docs/power.md)");
  imp->add_option("file", *path, "CSV file; the template is read from its header")->required();
  imp->callback([path, &global] { set_exit_code(run_import(global.db, *path)); });

  auto demo_out = std::make_shared<std::string>();
  auto demo_count = std::make_shared<int>(demo::kDemoPowerModules);
  CLI::App* dm = cmd->add_subcommand(
      "demo-lines",
      "write the demo city's power modules' lines as the template (MNs of hj212-sim --power --first-device "
      "200)");
  dm->add_option("--out", *demo_out, "the CSV file to write")->required();
  dm->add_option("--count", *demo_count,
                 "modules (default 50: the seed's 53 power-use modules : 17 online, scaled to 16 devices)")
      ->check(CLI::Range(1, 1000000));
  auto demo_first = std::make_shared<int>(demo::kDemoPowerFirstDevice);
  dm->add_option("--first-device", *demo_first,
                 "the first module's device number (default 200; hj212-sim --first-device)")
      ->check(CLI::Range(0, 100000000));
  dm->callback([demo_out, demo_count, demo_first] {
    std::ofstream f(*demo_out, std::ios::binary);
    f << demo::power_lines_csv(*demo_count, *demo_first);
    f.close();
    if (!f) {
      set_exit_code(fail(Status(StatusCode::kInternal, "cannot write '" + *demo_out + "'")));
      return;
    }
    std::cout << "wrote " << *demo_count << " power modules (" << 2 * *demo_count << " lines) to "
              << *demo_out << "\n";
  });

  auto enterprise = std::make_shared<std::string>();
  CLI::App* lines = cmd->add_subcommand("lines", "the metered lines, as CSV");
  lines->add_option("--enterprise", *enterprise, "one enterprise");
  lines->callback([enterprise, &global] { set_exit_code(run_lines(global.db, *enterprise)); });

  auto meters = std::make_shared<std::vector<std::string>>();
  auto from = std::make_shared<std::string>("0000");
  auto to = std::make_shared<std::string>("9999");
  CLI::App* grid = cmd->add_subcommand("grid", "the grid company's energy stored, as CSV");
  grid->add_option("--meter", *meters, "meters (default: all)");
  grid->add_option("--from", *from, "first period, YYYY-MM or YYYY-MM-DD");
  grid->add_option("--to", *to, "last period, YYYY-MM or YYYY-MM-DD (inclusive)");
  grid->callback([meters, from, to, &global] { set_exit_code(run_grid(global.db, *meters, *from, *to)); });

  auto span = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* pull = cmd->add_subcommand(
      "pull", "the power modules' stored HJ 212-2025 uploads (ST 44, CN 2011) into the lines' readings");
  pull->add_option("--from", span->first, "YYYY-MM-DD hh:mm")->required();
  pull->add_option("--to", span->second, "YYYY-MM-DD hh:mm (exclusive)")->required();
  pull->callback([span, &global] { set_exit_code(run_pull(global.db, span->first, span->second)); });

  auto check = std::make_shared<std::array<std::string, 4>>();
  CLI::App* chk = cmd->add_subcommand(
      "check",
      "the power rules over a period: 治污设施未同步运行, production during a stop order, closed sites "
      "drawing power (events), and the required cuts of the warnings (verdicts)");
  chk->add_option("--from", (*check)[0], "YYYY-MM-DD hh:mm")->required();
  chk->add_option("--to", (*check)[1], "YYYY-MM-DD hh:mm (exclusive)")->required();
  chk->add_option("--enterprise", (*check)[2], "one enterprise");
  chk->add_option("--as", (*check)[3], "judge as this user (its role's view: an enterprise user, its own)");
  chk->callback([check, &global] {
    set_exit_code(run_check(global.db, (*check)[0], (*check)[1], (*check)[2], (*check)[3]));
  });

  auto cases = std::make_shared<CasesOptions>();
  CLI::App* cs = cmd->add_subcommand(
      "cases",
      "enforcement cases: closed and 散乱污 sites drawing power (stored; --evaluate judges and stores)");
  cs->add_flag("--evaluate", cases->evaluate, "judge the grid company's daily figures of --from..--to first");
  cs->add_option("--from", cases->from, "first day judged, YYYY-MM-DD (with --evaluate)");
  cs->add_option("--to", cases->to, "last day judged, YYYY-MM-DD, inclusive (with --evaluate)");
  cs->add_option("--max-kwh", cases->max_kwh, "a site draws power above this many kWh a day (default 5)");
  cs->add_option("--as", cases->as_user, "act as this stored user (default: the console operator)");
  cs->add_option("--format", cases->format, "table (CSV rows, default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  cs->callback([cases, &global] { set_exit_code(run_cases(global.db, *cases)); });
}

}  // namespace ecomon::cli
