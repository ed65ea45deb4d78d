// `ecomon users add|list|passwd|token|audit`: the platform's accounts (src/accounts, docs/accounts.md), run
// by the bureau's operator at the server console. Every change is written to the audit log as done by "cli".
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "core/text_table.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// The password from --password, else one line of standard input (prompted when it is a terminal).
std::string read_password(const std::string& given) {
  if (!given.empty()) return given;
  if (isatty(STDIN_FILENO)) std::cerr << "password: " << std::flush;
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

// Runs a change and records it in the audit log with its outcome.
int audited(AccountStore& acc, const std::string& action, const std::string& target, const Status& s) {
  AuditEntry e{.user = "cli",
               .role = "admin",
               .action = action,
               .target = target,
               .outcome = s.ok() ? "ok" : (s.code() == StatusCode::kInvalidArgument ? "invalid" : "error"),
               .detail = s.ok() ? "" : s.message(),
               .via = "cli"};
  if (Status a = acc.audit(e); !a.ok()) return fail(a);
  return s.ok() ? 0 : fail(s);
}

struct UserOpts {
  std::string login, role, county, enterprise, password, name = "api", format = "table";
  int64_t limit = 50;
};

}  // namespace

void register_users(CLI::App& app, GlobalOptions& global) {
  CLI::App* users = app.add_subcommand("users", "accounts: users, roles, passwords, API tokens, audit log");
  users->require_subcommand(1);
  auto o = std::make_shared<UserOpts>();
  auto open = [&global]() { return AccountStore::open(global.db); };

  CLI::App* add = users->add_subcommand("add", "add a user (password from --password or standard input)");
  add->add_option("login", o->login, "login name")->required();
  add->add_option("--role", o->role, "admin, analyst, county, enterprise or public")->required();
  add->add_option("--county", o->county, "the county (区县) of a county user");
  add->add_option("--enterprise", o->enterprise, "the enterprise id of an enterprise user");
  add->add_option("--password", o->password, "the password (else read from standard input)");
  add->callback([o, open] {
    auto role = parse_role(o->role);
    if (!role) return set_exit_code(fail(invalid_argument("--role '" + o->role + "' is not a role")));
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    UserInfo u{o->login, *role, o->county, o->enterprise, 0};
    int code = audited(**acc, "users.add", o->login, (*acc)->add_user(u, read_password(o->password)));
    if (code == 0) std::cout << "user " << o->login << " (" << o->role << ") added\n";
    set_exit_code(code);
  });

  CLI::App* list = users->add_subcommand("list", "list the users");
  list->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto all = (*acc)->users();
    if (!all.ok()) return set_exit_code(fail(all.status()));
    nlohmann::json j = nlohmann::json::array();
    TextTable t({"login", "role", "county", "enterprise"});
    for (const UserInfo& u : *all) {
      t.add({u.login, std::string(role_name(u.role)), u.county, u.enterprise});
      j.push_back({{"login", u.login},
                   {"role", role_name(u.role)},
                   {"county", u.county},
                   {"enterprise", u.enterprise},
                   {"created_at", u.created_at}});
    }
    std::cout << (o->format == "json" ? j.dump(2) + "\n" : t.render());
  });

  CLI::App* passwd = users->add_subcommand("passwd", "set a user's password (ends the user's sessions)");
  passwd->add_option("login", o->login, "login name")->required();
  passwd->add_option("--password", o->password, "the new password (else read from standard input)");
  passwd->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    int code =
        audited(**acc, "users.passwd", o->login, (*acc)->set_password(o->login, read_password(o->password)));
    if (code == 0) std::cout << "password of " << o->login << " set\n";
    set_exit_code(code);
  });

  CLI::App* token =
      users->add_subcommand("token", "create an API token for a user (printed once, stored hashed)");
  token->add_option("login", o->login, "login name")->required();
  token->add_option("--name", o->name, "what the token is for (default: api)");
  token->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto t = (*acc)->create_token(o->login, o->name, now_seconds());
    int code = audited(**acc, "tokens.create", o->login, t.status());
    if (code == 0) std::cout << *t << "\n";
    set_exit_code(code);
  });

  CLI::App* audit = users->add_subcommand("audit", "the audit log of writes, newest first");
  audit->add_option("--limit", o->limit, "rows (default 50)");
  audit->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto log = (*acc)->audit_log(o->limit, 0);
    if (!log.ok()) return set_exit_code(fail(log.status()));
    TextTable t({"at_ms", "user", "role", "action", "target", "outcome", "detail", "via"});
    for (const AuditEntry& e : *log) {
      t.add({std::to_string(e.at_ms), e.user, e.role, e.action, e.target, e.outcome, e.detail, e.via});
    }
    std::cout << t.render();
  });
}

}  // namespace ecomon::cli
