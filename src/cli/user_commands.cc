// `ecomon users add|list|passwd|disable|enable|token|tokens|audit`: the platform's accounts (src/accounts,
// docs/accounts.md), run by the bureau's operator at the server console. Every change is written to the audit
// log as done by "cli". Exit codes: 0 done, 2 refused or failed (the message says why).
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "app/accounts.h"
#include "cli/cli_actor.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "core/utf8.h"
#include "store/open.h"

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

// Text from the store for a terminal: bytes that are not UTF-8 (rows of older versions) shown as \xHH.
std::string shown(const std::string& s) { return escape_invalid_utf8(s); }

// Runs a change and records it in the audit log with its outcome.
int audited(app::Accounts& acc, const std::string& action, const std::string& target, const Status& s) {
  AuditEntry e{.user = "cli",
               .role = "admin",
               .action = action,
               .target = target,
               .outcome = audit_outcome(s),
               .detail = s.ok() ? "" : s.message(),
               .via = "cli"};
  if (Status a = acc.audit(e); !a.ok()) return fail(a);
  return s.ok() ? 0 : fail(s);
}

// The store's accounts and their use cases, run as the console operator.
struct OpenedAccounts {
  std::unique_ptr<Stores> stores;
  std::unique_ptr<app::Accounts> accounts;
  app::Accounts* operator->() const { return accounts.get(); }
};
StatusOr<OpenedAccounts> open_accounts(const std::string& db) {
  auto stores = open_stores(db);
  if (!stores.ok()) return stores.status();
  auto acc = std::make_unique<app::Accounts>((*stores)->accounts());
  return OpenedAccounts{std::move(*stores), std::move(acc)};
}

const Actor kOperator = Actor::operator_cli();

struct UserOpts {
  std::string login, role, county, enterprise, password, name = "api", format = "table";
  int64_t limit = 50;
  int64_t token_id = 0;
};

}  // namespace

void register_users(CLI::App& app, GlobalOptions& global) {
  CLI::App* users = app.add_subcommand("users", "accounts: users, roles, passwords, API tokens, audit log");
  users->require_subcommand(1);
  auto o = std::make_shared<UserOpts>();
  auto open = [&global]() { return open_accounts(global.db); };

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
    int code = audited(*acc->accounts, "users.add", o->login,
                       (*acc)->add_user(kOperator, u, read_password(o->password)));
    if (code == 0) std::cout << "user " << o->login << " (" << o->role << ") added\n";
    set_exit_code(code);
  });

  CLI::App* list = users->add_subcommand("list", "list the users");
  list->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto all = (*acc)->users(kOperator);
    if (!all.ok()) return set_exit_code(fail(all.status()));
    nlohmann::json j = nlohmann::json::array();
    TextTable t({"login", "role", "county", "enterprise", "state"});
    for (const UserInfo& u : *all) {
      const std::string state = u.disabled ? "disabled" : "active";
      t.add({u.login, std::string(role_name(u.role)), shown(u.county), shown(u.enterprise), state});
      j.push_back({{"login", u.login},
                   {"role", role_name(u.role)},
                   {"county", u.county},
                   {"enterprise", u.enterprise},
                   {"created_at", u.created_at},
                   {"disabled", u.disabled}});
    }
    std::cout << (o->format == "json" ? json_text(j, 2) + "\n" : t.render());
  });

  CLI::App* passwd =
      users->add_subcommand("passwd", "set a user's password (ends the user's sessions, revokes its tokens)");
  passwd->add_option("login", o->login, "login name")->required();
  passwd->add_option("--password", o->password, "the new password (else read from standard input)");
  passwd->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    int code = audited(*acc->accounts, "users.passwd", o->login,
                       (*acc)->set_password(kOperator, o->login, read_password(o->password)));
    if (code == 0) std::cout << "password of " << o->login << " set; its sessions and tokens are ended\n";
    set_exit_code(code);
  });

  for (const bool disable : {true, false}) {
    CLI::App* c = users->add_subcommand(
        disable ? "disable" : "enable",
        disable ? "disable a user: it cannot sign in; its sessions end and its tokens are revoked at once"
                : "enable a disabled user again (old tokens stay revoked)");
    c->add_option("login", o->login, "login name")->required();
    c->callback([o, open, disable] {
      auto acc = open();
      if (!acc.ok()) return set_exit_code(fail(acc.status()));
      int code = audited(*acc->accounts, disable ? "users.disable" : "users.enable", o->login,
                         (*acc)->set_disabled(kOperator, o->login, disable));
      if (code == 0) std::cout << "user " << o->login << (disable ? " disabled\n" : " enabled\n");
      set_exit_code(code);
    });
  }

  CLI::App* token = users->add_subcommand(
      "token", "create an API token for a user (printed once, stored hashed); `token revoke ID` revokes one");
  token->add_option("login", o->login, "login name");
  token->add_option("--name", o->name, "what the token is for (default: api)");
  CLI::App* revoke =
      token->add_subcommand("revoke", "revoke an API token by its id (`users tokens` lists them)");
  revoke->add_option("id", o->token_id, "the token's id")->required()->check(CLI::PositiveNumber);
  revoke->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    int code = audited(*acc->accounts, "tokens.revoke", "token " + std::to_string(o->token_id),
                       (*acc)->revoke_token(kOperator, o->token_id, ""));
    if (code == 0) std::cout << "token " << o->token_id << " revoked\n";
    set_exit_code(code);
  });
  token->callback([o, open, token, revoke] {
    if (token->got_subcommand(revoke)) return;
    if (o->login.empty())
      return set_exit_code(fail(invalid_argument("users token: name the login (or: revoke ID)")));
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto t = (*acc)->create_token(kOperator, o->login, o->name, now_seconds());
    int code = audited(*acc->accounts, "tokens.create", o->login, t.status());
    if (code == 0) std::cout << *t << "\n";
    set_exit_code(code);
  });

  CLI::App* tokens =
      users->add_subcommand("tokens", "the API tokens with their ids (never the tokens themselves)");
  tokens->add_option("login", o->login, "only this user's (default: every user's)");
  tokens->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  tokens->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto all = (*acc)->tokens(kOperator, o->login);
    if (!all.ok()) return set_exit_code(fail(all.status()));
    nlohmann::json j = nlohmann::json::array();
    TextTable t({"id", "login", "name", "created_at"});
    for (const TokenInfo& k : *all) {
      t.add({std::to_string(k.id), k.login, shown(k.name), std::to_string(k.created_at)});
      j.push_back({{"id", k.id}, {"login", k.login}, {"name", k.name}, {"created_at", k.created_at}});
    }
    std::cout << (o->format == "json" ? json_text(j, 2) + "\n" : t.render());
  });

  CLI::App* audit = users->add_subcommand("audit", "the audit log of writes, newest first");
  audit->add_option("--limit", o->limit, "rows (default 50)")->check(CLI::PositiveNumber);
  audit->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  audit->callback([o, open] {
    auto acc = open();
    if (!acc.ok()) return set_exit_code(fail(acc.status()));
    auto log = (*acc)->audit_log(kOperator, o->limit, 0);
    if (!log.ok()) return set_exit_code(fail(log.status()));
    nlohmann::json j = nlohmann::json::array();
    TextTable t({"at_ms", "user", "role", "action", "target", "outcome", "detail", "via"});
    for (const AuditEntry& e : *log) {
      // Rows of older versions may hold bytes that are not UTF-8: escaped in the table, replaced (U+FFFD) by
      // json_text in the JSON; never a crash.
      t.add({std::to_string(e.at_ms), shown(e.user), shown(e.role), shown(e.action), shown(e.target),
             shown(e.outcome), shown(e.detail), shown(e.via)});
      j.push_back({{"id", e.id},
                   {"at_ms", e.at_ms},
                   {"user", e.user},
                   {"role", e.role},
                   {"action", e.action},
                   {"target", e.target},
                   {"outcome", e.outcome},
                   {"detail", e.detail},
                   {"via", e.via}});
    }
    std::cout << (o->format == "json" ? json_text(j, 2) + "\n" : t.render());
  });
}

}  // namespace ecomon::cli
