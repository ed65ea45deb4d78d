// `ecomon stations register|list`: the monitoring network over HJ 212 (issue 19) over app/stations.h. A
// registration is recorded in the audit log (users audit) with its outcome.
#include <fmt/format.h>
#include <cmath>

#include <iostream>
#include <nlohmann/json.hpp>
#include <numbers>

#include "app/quality_stations.h"
#include "app/stations.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "gateway/simulator.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

struct RegisterOpts {
  app::StationRegistration r;
  std::string assessment, as_user;
};

int run_register(const std::string& db, const RegisterOpts& o) {
  app::StationRegistration r = o.r;
  if (o.assessment == "yes") r.assessment = true;
  if (o.assessment == "no") r.assessment = false;
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto id = app::register_station(**stores, *who, r);
  AuditEntry e{.user = who->user,
               .role = std::string(role_name(who->role)),
               .action = "stations.register",
               .target = r.code,
               .outcome = audit_outcome(id.status()),
               .detail = id.ok() ? r.kind + " MN " + r.mn : id.status().message(),
               .via = "cli"};
  if (Status a = (*stores)->accounts().audit(e); !a.ok()) return fail(a);
  if (!id.ok()) return fail(id.status());
  std::cout << "registered station " << r.code << " (" << r.kind << (r.site.empty() ? "" : " " + r.site)
            << ", MN " << r.mn << ")\n";
  return kExitOk;
}

struct ListOpts {
  std::string city, format = "table", as_user;
};

int run_list(const std::string& db, const ListOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto list = app::network_stations(**stores, *who, o.city);
  if (!list.ok()) return fail(list.status());
  auto quality = app::quality_stations(**stores, *who, o.city);  // water and noise, after the air stations
  if (!quality.ok()) return fail(quality.status());
  if (o.format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const StationInfo& s : *list) {
      j.push_back({{"code", s.code},
                   {"name", s.name},
                   {"city", s.city},
                   {"type", s.kind},
                   {"assessment", s.assessment},
                   {"county", s.county},
                   {"mn", s.mn},
                   {"reference", s.is_reference}});
    }
    for (const QualityStationRow& q : *quality) {
      j.push_back({{"code", q.code},
                   {"name", q.name},
                   {"city", q.city},
                   {"type", q.kind},
                   {"site", q.site},
                   {"county", q.county},
                   {"mn", q.mn}});
    }
    std::cout << json_text(j, 2) << "\n";
    return kExitOk;
  }
  TextTable t({"code", "name", "city", "type", "assessment", "county", "MN", "site"});
  for (const StationInfo& s : *list)
    t.add({s.code, s.name, s.city, s.kind, s.assessment ? "yes" : "no", s.county, s.mn, "-"});
  for (const QualityStationRow& q : *quality)
    t.add({q.code, q.name, q.city, q.kind, "-", q.county, q.mn, q.site});
  std::cout << t.render();
  return kExitOk;
}

struct DemoNetworkOpts {
  std::string city = "演示市";
  int micro = 20;
};

// The live demo's network: the city's stations as national stations with the simulator's station MNs
// (sim_station_mn 0..n-1, in code order), and `micro` micro stations around the non-reference ones (seed
// 001: 20 micro monitors around the national stations) with MNs n.., each 0.4..1.6 km from its station in a
// golden-angle spiral, so the hotspot view has neighbours to compare with. Idempotent.
int run_demo_network(const std::string& db, const DemoNetworkOpts& o) {
  constexpr double kKmPerDegree = 111.195, kGoldenAngleDeg = 137.508, kStepKm = 0.4;
  constexpr int kRings = 4;
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  const Actor who = Actor::operator_cli();
  auto list = (*stores)->records().stations_of_city(o.city);
  if (!list.ok()) return fail(list.status());
  std::vector<StationInfo> national;
  for (const StationInfo& s : *list)
    if (s.kind != kStationMicro) national.push_back(s);
  if (national.empty())
    return fail(not_found("no stations for city '" + o.city + "' (run `ecomon demo` first)"));
  std::vector<const StationInfo*> centres;
  for (const StationInfo& s : national)
    if (!s.is_reference && s.longitude && s.latitude) centres.push_back(&s);
  if (centres.empty() && o.micro > 0) return fail(not_found("no station of " + o.city + " has coordinates"));
  int n = 0;
  for (const StationInfo& s : national) {
    auto id = app::register_station(**stores, who,
                                    {.code = s.code,
                                     .name = s.name,
                                     .city = o.city,
                                     .kind = "national",
                                     .county = "城区",
                                     .mn = sim_station_mn(n++)});
    if (!id.ok()) return fail(id.status());
  }
  for (int k = 0; k < o.micro; ++k) {
    const StationInfo& c = *centres[static_cast<size_t>(k) % centres.size()];
    const double km = kStepKm * (1 + k % kRings);
    const double a = k * kGoldenAngleDeg * std::numbers::pi / 180;
    const double lat = *c.latitude + km * std::cos(a) / kKmPerDegree;
    const double lon =
        *c.longitude + km * std::sin(a) / (kKmPerDegree * std::cos(*c.latitude * std::numbers::pi / 180));
    const std::string code = fmt::format("{}-M{:02d}", c.code, k + 1);
    auto id = app::register_station(**stores, who,
                                    {.code = code,
                                     .name = fmt::format("微站{:02d}", k + 1),
                                     .city = o.city,
                                     .kind = "micro",
                                     .county = k % 2 == 0 ? "城区" : "东阳县",
                                     .mn = sim_station_mn(n + k),
                                     .longitude = lon,
                                     .latitude = lat});
    if (!id.ok()) return fail(id.status());
  }
  std::cout << "demo network of " << o.city << ": " << national.size() << " national stations (MN "
            << sim_station_mn(0) << " ..), " << o.micro << " micro stations; hj212-sim --stations --devices "
            << national.size() + static_cast<size_t>(o.micro) << " --micro-from " << national.size() << "\n";
  return kExitOk;
}

}  // namespace

void register_stations(CLI::App& app, GlobalOptions& global) {
  CLI::App* st = app.add_subcommand("stations", "the monitoring network: quality stations over HJ 212");
  st->require_subcommand(1);
  auto o = std::make_shared<RegisterOpts>();
  CLI::App* reg = st->add_subcommand("register", "register (or update) a station and its HJ 212 MN");
  reg->add_option("--code", o->r.code, "the station's code")->required();
  reg->add_option("--name", o->r.name, "its name");
  reg->add_option("--city", o->r.city, "its city")->required();
  reg->add_option(
         "--type", o->r.kind,
         "national, provincial, county or micro (air, ST 22); water (surface-water automatic station, "
         "ST 21) or noise (noise station, ST 23)")
      ->required()
      ->check(CLI::IsMember({"national", "provincial", "county", "micro", "water", "noise"}));
  reg->add_option("--site", o->r.site,
                  "water: the water section it stands for; noise: the noise point (required for those)");
  reg->add_option("--assessment", o->assessment, "yes or no (default: yes; micro: always no)")
      ->check(CLI::IsMember({"yes", "no"}));
  reg->add_option("--county", o->r.county, "its county (区县)");
  reg->add_option("--mn", o->r.mn, "the MN of its data acquisition unit")->required();
  reg->add_option("--password", o->r.password, "its HJ 212 password (PW, 6 characters)");
  reg->add_option("--protocol", o->r.protocol, "HJ 212 edition: 2005, 2017 or 2025");
  reg->add_option("--longitude", o->r.longitude, "degrees east");
  reg->add_option("--latitude", o->r.latitude, "degrees north");
  reg->add_option("--as", o->as_user, "act as this stored user");
  reg->callback([o, &global] { set_exit_code(run_register(global.db, *o)); });

  auto l = std::make_shared<ListOpts>();
  CLI::App* list =
      st->add_subcommand("list", "the stations with their type, county and MN (water and noise: site)");
  list->add_option("--city", l->city, "one city (default: all)");
  list->add_option("--format", l->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->add_option("--as", l->as_user, "act as this stored user");
  list->callback([l, &global] { set_exit_code(run_list(global.db, *l)); });

  auto d = std::make_shared<DemoNetworkOpts>();
  CLI::App* demo = st->add_subcommand(
      "demo-network", "the live demo: the city's stations and micro stations with the simulator's MNs");
  demo->add_option("--city", d->city, "the demo city (演示市)");
  demo->add_option("--micro", d->micro, "micro stations around the national ones (20)")
      ->check(CLI::Range(0, 1000));
  demo->callback([d, &global] { set_exit_code(run_demo_network(global.db, *d)); });
}

}  // namespace ecomon::cli
