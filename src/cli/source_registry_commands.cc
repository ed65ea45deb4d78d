// `ecomon sources import|events|demo-registry|command|commands` (source_registry_commands.h).
#include "cli/source_registry_commands.h"
#include "cli/cli_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "app/clock.h"
#include "app/networks.h"
#include "app/sources.h"
#include "cli/cli_actor.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "demo/demo_registry.h"
#include "ingest/hj212/encoder.h"
#include "ingest/source_registry_csv.h"
#include "sources/events.h"
#include "sources/sources_format.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

struct EventOpts {
  int64_t from = 0;  // 0: from the first record
  int64_t to = 0;    // 0: now
  std::string mn;
  std::string format = "table";
  std::string source = "auto";  // stored (the gateway's live events), computed (from the uploads), auto
};

// `sources events`: the adapter over app::source_events.
int run_events(const std::string& db, const EventOpts& o) {
  app::SourceEventsRequest req;
  if (o.from != 0) {
    auto f = sources::SourceTime::from_digits(o.from);
    if (!f.ok()) return fail(f.status().with_context("--from"));
    req.from = *f;
  }
  req.to = app::civil_now();
  if (o.to != 0) {
    auto t = sources::SourceTime::from_digits(o.to);
    if (!t.ok()) return fail(t.status().with_context("--to"));
    req.to = *t;
  }
  if (req.from && *req.from > req.to) return fail(invalid_argument("--from is after --to"));
  req.mn = o.mn;
  req.source = o.source == "stored"     ? app::EventSource::kStored
               : o.source == "computed" ? app::EventSource::kComputed
                                        : app::EventSource::kAuto;
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto list = app::source_events(**stores, Actor::operator_cli(), req);
  if (!list.ok()) return fail(list.status());
  for (const std::string& p : list->registry_problems) std::cerr << "warning: registry: " << p << "\n";
  if (o.format == "json") {
    std::cout << json_text(source_events_json(*list), 2) << "\n";
  } else {
    std::cout << source_events_text(*list);
  }
  return 0;
}

int run_import(const std::string& db, const std::string& dir, const std::string& format) {
  auto rs = open_stores(db);
  if (!rs.ok()) return fail(rs.status());
  auto r = import_registry_dir((*rs)->source_registry(), dir);
  if (!r.ok()) return fail(r.status());
  auto load = (*rs)->source_registry().load();
  if (!load.ok()) return fail(load.status());
  const ImportReport& rep = r->report;
  const int code = rep.rows_rejected + rep.files_rejected > 0 || !load->problems.empty() ? 1 : 0;
  if (format == "json") {
    nlohmann::json issues = nlohmann::json::array();
    for (const ImportIssue& i : rep.issues) {
      issues.push_back({{"kind", i.kind}, {"where", i.where()}, {"message", i.message}});
    }
    nlohmann::json out = {{"files", rep.files},
                          {"files_rejected", rep.files_rejected},
                          {"rows", rep.rows},
                          {"rows_rejected", rep.rows_rejected},
                          {"added", r->counts.added},
                          {"updated", r->counts.updated},
                          {"unchanged", r->counts.unchanged},
                          {"issues", issues},
                          {"issue_counts", rep.issue_counts},
                          {"registry",
                           {{"enterprises", load->registry.enterprises().size()},
                            {"outlets", load->registry.outlets().size()},
                            {"devices", load->registry.devices().size()},
                            {"problems", load->problems}}}};
    std::cout << json_text(out, 2) << "\n";
    return code;
  }
  std::cout << fmt::format(
      "{} files ({} rejected), {} rows ({} rejected): {} added, {} updated, {} unchanged\n", rep.files,
      rep.files_rejected, rep.rows, rep.rows_rejected, r->counts.added, r->counts.updated,
      r->counts.unchanged);
  for (const ImportIssue& i : rep.issues)
    std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  std::cout << fmt::format("registry: {} enterprises, {} outlets, {} devices\n",
                           load->registry.enterprises().size(), load->registry.outlets().size(),
                           load->registry.devices().size());
  for (const std::string& p : load->problems) std::cout << "  problem: " << p << "\n";
  return code;
}

// ---- sources command / commands: downstream commands queued for the gateway (store/sources/command_store.h)
struct CommandOpts {
  std::string mn, name, as_user, format = "table";
  std::vector<std::string> args;
};

int run_command(const std::string& db, const CommandOpts& o) {
  auto actor = cli_actor(db, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  auto cs = open_stores(db);
  if (!cs.ok()) return fail(cs.status());
  auto c = app::enqueue_source_command(**cs, *actor, {o.mn, o.name, o.args}, app::now_ms());
  // Written to the audit log like every write, refused ones included.
  AuditEntry e{.user = actor->user,
               .role = std::string(role_name(actor->role)),
               .action = "sources.command",
               .target = o.mn,
               .outcome = audit_outcome(c.status()),
               .detail = c.ok() ? fmt::format("#{} {}", c->id, o.name) : c.status().message(),
               .via = "cli"};
  if (Status a = (*cs)->accounts().audit(e); !a.ok()) return fail(a);
  if (!c.ok()) return fail(c.status());
  if (o.format == "json") {
    std::cout << json_text(source_command_json(*c), 2) << "\n";
  } else {
    std::cout << fmt::format(
        "#{} {}{} queued for {} by {}; the gateway sends it when the device is connected\n", c->id, c->name,
        c->argument.empty() ? "" : " " + c->argument, c->mn, c->created_by);
  }
  return 0;
}

std::string time_text(int64_t ms) {
  if (ms == 0) return "-";
  constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
  return hj212::Timestamp::from_civil_ms(ms + kBeijingOffsetMs).to_iso();
}

int run_list(const std::string& db, const std::string& mn, int64_t limit, const std::string& format) {
  if (limit < 1) return fail(invalid_argument("--limit must be at least 1"));
  auto cs = open_stores(db);
  if (!cs.ok()) return fail(cs.status());
  auto list = app::source_commands(**cs, Actor::operator_cli(), mn, limit);
  if (!list.ok()) return fail(list.status());
  if (format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const SourceCommand& c : *list) items.push_back(source_command_json(c));
    std::cout << json_text(nlohmann::json{{"commands", items}}, 2) << "\n";
    return 0;
  }
  TextTable t({"#", "MN", "命令", "状态", "QN", "次数", "QnRtn", "ExeRtn", "排队", "结束", "结果/说明"});
  for (const SourceCommand& c : *list) {
    t.add({std::to_string(c.id), c.mn, c.name + (c.argument.empty() ? "" : " " + c.argument), c.state,
           c.qn.empty() ? "-" : c.qn, std::to_string(c.attempts), c.qn_rtn ? std::to_string(c.qn_rtn) : "-",
           c.exe_rtn ? std::to_string(c.exe_rtn) : "-", time_text(c.created_ms), time_text(c.finished_ms),
           c.result.empty() ? c.detail : c.result});
  }
  std::cout << t.render();
  return 0;
}

// `sources enterprise E --from T --to T`: one enterprise's three networks side by side (app/networks.h).
struct EnterpriseOpts {
  std::string enterprise, from, to, as_user, format = "table";
};

int run_enterprise(const std::string& db, const EnterpriseOpts& o) {
  auto from = sources::SourceTime::parse(o.from);
  if (!from.ok()) return fail(from.status().with_context("--from"));
  auto to = sources::SourceTime::parse(o.to);
  if (!to.ok()) return fail(to.status().with_context("--to"));
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto n = app::enterprise_networks(**stores, *who, {.enterprise = o.enterprise, .span = {*from, *to}});
  if (!n.ok()) return fail(n.status());
  const nlohmann::json j = app::networks_json(*n);
  if (o.format == "json") {
    std::cout << json_text(j, 2) << "\n";
    return 0;
  }
  auto text = [](const nlohmann::json& v) {
    return v.is_null() ? std::string("open") : v.get<std::string>();
  };
  std::cout << j["enterprise"].get<std::string>() << " " << j["name"].get<std::string>() << " ("
            << j["county"].get<std::string>() << "), " << j["from"].get<std::string>() << " .. "
            << j["to"].get<std::string>() << "\n";
  std::cout << "emissions: loads";
  for (const nlohmann::json& l : j["emissions"]["loads"])
    std::cout << " " << l["pollutant"].get<std::string>() << " " << l["kg"].get<std::string>() << " kg";
  std::cout << "; " << j["emissions"]["exceedances"].size() << " exceedance event(s)\n";
  for (const nlohmann::json& e : j["emissions"]["exceedances"]) {
    std::cout << "  exceedance " << e["mn"].get<std::string>() << " " << e["pollutant"].get<std::string>()
              << " " << e["opened"].get<std::string>() << " .. " << text(e["closed"]) << "\n";
  }
  std::cout << "power: " << j["power"]["lines"].size() << " line(s), " << j["power"]["events"].size()
            << " event(s)\n";
  for (const nlohmann::json& l : j["power"]["lines"]) {
    std::cout << "  line " << l["line"].get<std::string>() << " " << l["name"].get<std::string>() << " "
              << l["role"].get<std::string>() << " " << l["readings"].get<int64_t>() << " readings "
              << l["kwh"].get<std::string>() << " kWh\n";
  }
  for (const nlohmann::json& e : j["power"]["events"]) {
    std::cout << "  " << e["kind"].get<std::string>() << " " << e["line"].get<std::string>() << " "
              << e["opened"].get<std::string>() << " .. " << text(e["closed"]) << "\n";
  }
  std::cout << "tsp: " << j["tsp"]["points"].size() << " point(s), " << j["tsp"]["events"].size()
            << " event(s)\n";
  for (const nlohmann::json& p : j["tsp"]["points"]) {
    std::cout << "  point " << p["id"].get<std::string>() << " " << p["name"].get<std::string>() << " "
              << p["state"].get<std::string>() << "\n";
  }
  for (const nlohmann::json& e : j["tsp"]["events"]) {
    std::cout << "  " << e["kind"].get<std::string>() << " " << e["point"].get<std::string>() << " "
              << e["opened"].get<std::string>() << " .. " << text(e["closed"]) << "\n";
  }
  return 0;
}

}  // namespace

void register_source_registry(CLI::App* sources_cmd, GlobalOptions& global) {
  register_source_commands(sources_cmd, global);
  auto eo = std::make_shared<EventOpts>();
  CLI::App* ev = sources_cmd->add_subcommand(
      "events", "exceedance (超标), silence (离线) and flag-fault events from the stored uploads");
  ev->add_option("--from", eo->from, "first DataTime, yyyymmddhhmmss (default: the first record)");
  ev->add_option("--to", eo->to, "last DataTime and when silence is judged, yyyymmddhhmmss (default: now)");
  ev->add_option("--mn", eo->mn, "only this device");
  ev->add_option("--format", eo->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  ev->add_option("--source", eo->source,
                 "stored (the gateway's live events), computed (judged now from the stored uploads) or auto "
                 "(default: stored when the gateway watched the whole period)")
      ->check(CLI::IsMember({"auto", "stored", "computed"}));
  ev->callback([eo, &global] { set_exit_code(run_events(global.db, *eo)); });

  auto en = std::make_shared<EnterpriseOpts>();
  CLI::App* ent = sources_cmd->add_subcommand(
      "enterprise", "one enterprise, three networks: emissions, power use and TSP points over a period");
  ent->add_option("enterprise", en->enterprise, "the source registry's enterprise id")->required();
  ent->add_option("--from", en->from, "YYYY-MM-DD hh:mm")->required();
  ent->add_option("--to", en->to, "YYYY-MM-DD hh:mm (exclusive)")->required();
  ent->add_option("--as", en->as_user, "act as this stored user (default: the console operator)");
  ent->add_option("--format", en->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  ent->callback([en, &global] { set_exit_code(run_enterprise(global.db, *en)); });

  auto dir = std::make_shared<std::string>();
  auto import_format = std::make_shared<std::string>("text");
  CLI::App* imp = sources_cmd->add_subcommand(
      "import",
      "import the registry CSV templates of a directory (enterprises.csv, outlets.csv, devices.csv, ...)");
  imp->add_option("dir", *dir, "directory holding the templates")->required();
  imp->add_option("--format", *import_format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  imp->callback(
      [dir, import_format, &global] { set_exit_code(run_import(global.db, *dir, *import_format)); });

  auto out = std::make_shared<std::string>();
  CLI::App* demo =
      sources_cmd->add_subcommand("demo-registry", "write the demo city's registry as CSV templates");
  demo->add_option("--out", *out, "directory to write")->required();
  demo->callback([out] {
    if (Status s = write_demo_registry(*out); !s.ok()) return set_exit_code(fail(s));
    std::cout << "demo registry (" << kDemoRegistryDevices << " devices) written to " << *out << "\n";
  });
}

void register_source_commands(CLI::App* sources_cmd, GlobalOptions& global) {
  auto o = std::make_shared<CommandOpts>();
  std::string names;
  for (const std::string& n : command_names()) names += (names.empty() ? "" : "|") + n;
  CLI::App* c = sources_cmd->add_subcommand(
      "command", "queue a downstream command for a device (bureau only): " + names +
                     "; the gateway sends it when the device is connected and records the answers");
  c->add_option("mn", o->mn, "the device's MN")->required();
  c->add_option("name", o->name, names)->required();
  c->add_option("args", o->args,
                "set-interval SECONDS (30..3600), set-min-interval MINUTES, get-info POLID INFOID, calibrate "
                "POLID [zero|span], sample-now POLID, standard-check POLID");
  c->add_option("--as", o->as_user,
                "act as this stored user (ecomon users add; default: the console operator)");
  c->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  c->callback([o, &global] { set_exit_code(run_command(global.db, *o)); });

  struct ListOpts {
    std::string mn, format = "table";
    int64_t limit = 50;
  };
  auto l = std::make_shared<ListOpts>();
  CLI::App* list =
      sources_cmd->add_subcommand("commands", "the downstream commands, newest first, with their outcome");
  list->add_option("--mn", l->mn, "only this device");
  list->add_option("--limit", l->limit, "rows (default 50)");
  list->add_option("--format", l->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([l, &global] { set_exit_code(run_list(global.db, l->mn, l->limit, l->format)); });
}

}  // namespace ecomon::cli
