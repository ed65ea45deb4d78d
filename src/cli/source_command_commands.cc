// `ecomon sources command MN NAME [ARGS] [--as USER]` and `ecomon sources commands`: downstream commands
// (下行命令) queued for the gateway (store/sources/command_store.h, gateway/commands.h).
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "cli/cli_actor.h"
#include "cli/source_registry_commands.h"
#include "cli/views.h"
#include "core/text_table.h"
#include "store/sources/command_store.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string outcome_of(const Status& s) {
  if (s.ok()) return "ok";
  if (s.code() == StatusCode::kPermissionDenied) return "denied";
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound) return "invalid";
  return "error";
}

struct CommandOpts {
  std::string mn, name, as_user, format = "table";
  std::vector<std::string> args;
};

int run_command(const std::string& db, const CommandOpts& o) {
  auto actor = cli_actor(db, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  auto cs = SourceCommandStore::open(db);
  if (!cs.ok()) return fail(cs.status());
  auto c = (*cs)->enqueue({o.mn, o.name, o.args}, *actor, now_ms());
  // Written to the audit log like every write, refused ones included.
  auto acc = AccountStore::open(db);
  if (!acc.ok()) return fail(acc.status());
  AuditEntry e{.user = actor->user,
               .role = std::string(role_name(actor->role)),
               .action = "sources.command",
               .target = o.mn,
               .outcome = outcome_of(c.status()),
               .detail = c.ok() ? fmt::format("#{} {}", c->id, o.name) : c.status().message(),
               .via = "cli"};
  if (Status a = (*acc)->audit(e); !a.ok()) return fail(a);
  if (!c.ok()) return fail(c.status());
  if (o.format == "json") {
    std::cout << source_command_json(*c).dump(2) << "\n";
  } else {
    std::cout << fmt::format("#{} {}{} queued for {} by {}; the gateway sends it when the device is connected\n",
                             c->id, c->name, c->argument.empty() ? "" : " " + c->argument, c->mn, c->created_by);
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
  auto cs = SourceCommandStore::open(db);
  if (!cs.ok()) return fail(cs.status());
  auto list = (*cs)->commands(mn, limit);
  if (!list.ok()) return fail(list.status());
  if (format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const SourceCommand& c : *list) items.push_back(source_command_json(c));
    std::cout << nlohmann::json{{"commands", items}}.dump(2) << "\n";
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

}  // namespace

nlohmann::json source_command_json(const SourceCommand& c) {
  auto ms = [](int64_t v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  auto rtn = [](int v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  return {{"id", c.id},
          {"mn", c.mn},
          {"command", c.name},
          {"cn", c.cn},
          {"argument", c.argument},
          {"state", c.state},
          {"qn", c.qn},
          {"attempts", c.attempts},
          {"created_ms", c.created_ms},
          {"created_by", c.created_by},
          {"sent_ms", ms(c.sent_ms)},
          {"finished_ms", ms(c.finished_ms)},
          {"qn_rtn", rtn(c.qn_rtn)},
          {"exe_rtn", rtn(c.exe_rtn)},
          {"result", c.result},
          {"detail", c.detail}};
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
  c->add_option("args", o->args, "set-interval SECONDS (30..3600), set-min-interval MINUTES, get-info POLID INFOID");
  c->add_option("--as", o->as_user, "act as this stored user (ecomon users add; default: the console operator)");
  c->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  c->callback([o, &global] { set_exit_code(run_command(global.db, *o)); });

  struct ListOpts {
    std::string mn, format = "table";
    int64_t limit = 50;
  };
  auto l = std::make_shared<ListOpts>();
  CLI::App* list = sources_cmd->add_subcommand("commands", "the downstream commands, newest first, with their outcome");
  list->add_option("--mn", l->mn, "only this device");
  list->add_option("--limit", l->limit, "rows (default 50)");
  list->add_option("--format", l->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([l, &global] { set_exit_code(run_list(global.db, l->mn, l->limit, l->format)); });
}

}  // namespace ecomon::cli
