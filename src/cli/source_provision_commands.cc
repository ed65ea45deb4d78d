// `ecomon sources pending|provision`: HJ 212-2025 provisioning (app/provisioning.h). `pending` lists the data
// loggers the gateway saw announcing their hardware identity (CN 1001) without an MN; `provision` (bureau
// admin only, audited as sources.provision) gives one an MN: the device is registered and a 1002 queued,
// which the gateway sends on the logger's connection or answers at its next 1001.
//
//   ecomon sources pending
//   ecomon sources provision --pending 1 --mn 010000A8900016F000169DC0 --enterprise 晋城电厂 --as li
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "app/clock.h"
#include "app/provisioning.h"
#include "cli/cli_actor.h"
#include "cli/source_registry_commands.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "ingest/hj212/codec.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

std::string when(int64_t ms) {
  constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
  return ms == 0 ? "-" : hj212::Timestamp::from_civil_ms(ms + kBeijingOffsetMs).to_iso();
}

struct ListOpts {
  std::string as_user, format = "table";
};

int run_pending(const std::string& db, const ListOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto actor = cli_actor(**stores, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  auto rows = app::pending_devices(**stores, *actor);
  if (!rows.ok()) return fail(rows.status());
  if (o.format == "json") {
    nlohmann::json a = nlohmann::json::array();
    for (const PendingDevice& d : *rows) a.push_back(app::pending_device_json(d));
    std::cout << json_text(nlohmann::json{{"pending", a}}, 2) << "\n";
    return 0;
  }
  TextTable t({"ID", "数采仪ID", "CPU ID", "MAC1", "MAC2", "来自", "首次", "最近", "次数", "MN"});
  for (const PendingDevice& d : *rows) {
    t.add({std::to_string(d.id), d.hardware_id, d.cpu_id, d.mac1, d.mac2, d.peer, when(d.first_seen_ms),
           when(d.last_seen_ms), std::to_string(d.count), d.assigned() ? d.mn : "(待分配)"});
  }
  std::cout << t.render();
  return 0;
}

struct ProvisionOpts {
  int64_t pending = 0;
  std::string mn, protocol = "2025", enterprise, outlet, county, password, as_user, format = "table";
};

int run_provision(const std::string& db, const ProvisionOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto actor = cli_actor(**stores, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  app::ProvisionRequest r{.pending_id = o.pending,
                          .mn = o.mn,
                          .protocol = o.protocol == "auto" ? kDeviceProtocolAuto : std::stoi(o.protocol),
                          .enterprise = o.enterprise,
                          .outlet = o.outlet,
                          .county = o.county,
                          .password = o.password};
  auto p = app::provision_pending_device(**stores, *actor, r, app::now_ms());
  AuditEntry e{.user = actor->user,
               .role = std::string(role_name(actor->role)),
               .action = "sources.provision",
               .target = "pending " + std::to_string(o.pending) + " -> " + o.mn,
               .outcome = audit_outcome(p.status()),
               .detail = p.ok() ? "数采仪ID " + p->device.hardware_id + ", 1002 queued as command " +
                                      std::to_string(p->command.id)
                                : p.status().message(),
               .via = "cli"};
  if (Status a = (*stores)->accounts().audit(e); !a.ok()) return fail(a);
  if (!p.ok()) return fail(p.status());
  if (o.format == "json") {
    nlohmann::json j = app::pending_device_json(p->device);
    j["command_id"] = p->command.id;
    std::cout << json_text(j, 2) << "\n";
    return 0;
  }
  std::cout << "pending device " << p->device.id << " (数采仪ID " << p->device.hardware_id << ") is MN "
            << p->device.mn << "; 1002 queued as command " << p->command.id
            << " (the gateway sends it on the logger's connection)\n";
  return 0;
}

}  // namespace

void register_source_provisioning(CLI::App* sources_cmd, GlobalOptions& global) {
  auto l = std::make_shared<ListOpts>();
  CLI::App* pending = sources_cmd->add_subcommand(
      "pending", "HJ 212-2025 data loggers that announced themselves (CN 1001) without an MN (bureau)");
  pending->add_option("--as", l->as_user, "act as this stored user (default: the console operator)");
  pending->add_option("--format", l->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  pending->callback([l, &global] { set_exit_code(run_pending(global.db, *l)); });

  auto o = std::make_shared<ProvisionOpts>();
  CLI::App* prov = sources_cmd->add_subcommand(
      "provision",
      "give a pending data logger an MN (bureau admin): registers it and queues the 1002 the gateway sends");
  prov->add_option("--pending", o->pending, "the pending device's ID (sources pending)")->required();
  prov->add_option("--mn", o->mn, "the MN to assign: 24 characters 0-9 A-F")->required();
  prov->add_option("--protocol", o->protocol,
                   "HJ 212 edition to register: 2025 (default), 2017, 2005 or auto")
      ->check(CLI::IsMember({"2005", "2017", "2025", "auto"}));
  prov->add_option("--enterprise", o->enterprise, "enterprise name");
  prov->add_option("--outlet", o->outlet, "outlet name");
  prov->add_option("--county", o->county, "county");
  prov->add_option("--password", o->password, "the device's PW (default: the PW of its 1001)");
  prov->add_option("--as", o->as_user, "act as this stored user (default: the console operator)");
  prov->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  prov->callback([o, &global] { set_exit_code(run_provision(global.db, *o)); });
}

}  // namespace ecomon::cli
