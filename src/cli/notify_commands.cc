// `ecomon notify rules add|list|remove`, `ecomon notify log`, `ecomon notify run`: the notifications of
// source events (app/notify.h). Rules are the bureau's admins' (`--as USER`, else the operator at the
// console) and every change is audited; `run` makes one round (or keeps going with --every S) of what
// `ecomon serve` does in the background: queue what the events call for, deliver what is due.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/clock.h"
#include "app/notify.h"
#include "cli/cli_actor.h"
#include "cli/notify_options.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "notify/curl_deliver.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

std::string time_text(int64_t ms) {
  const std::time_t t = ms / 1000 + 8 * 3600;  // Beijing
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
  return b;
}

struct RuleOpts {
  std::string as_user, role, county, kinds, levels, webhook, email, format = "table";
  int64_t id = 0;
};

int audited(Stores& stores, const Actor& who, const std::string& action, const std::string& target,
            const Status& s) {
  AuditEntry e{.user = who.user,
               .role = std::string(role_name(who.role)),
               .action = action,
               .target = target,
               .outcome = audit_outcome(s),
               .detail = s.ok() ? "" : s.message(),
               .via = "cli"};
  if (Status a = stores.accounts().audit(e); !a.ok()) return fail(a);
  return s.ok() ? 0 : fail(s);
}

int run_add(const std::string& db, const RuleOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  if (o.webhook.empty() == o.email.empty())
    return fail(invalid_argument("give one of --webhook URL or --email ADDRESS"));
  auto r = app::add_notify_rule(**stores, *who,
                                {.role = o.role,
                                 .county = o.county,
                                 .kinds = o.kinds,
                                 .levels = o.levels,
                                 .channel = o.webhook.empty() ? "email" : "webhook",
                                 .target = o.webhook.empty() ? o.email : o.webhook},
                                app::now_ms());
  const std::string target =
      r.ok() ? std::to_string(r->id) + "|" + r->role + "|" + r->county + "|" + r->channel + "|" + r->target
             : o.role + "|" + o.county;
  if (int rc = audited(**stores, *who, "notify.rules.add", target, r.status()); rc != 0) return rc;
  std::cout << "rule " << r->id << " added\n";
  return 0;
}

int run_remove(const std::string& db, const RuleOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  Status s = app::remove_notify_rule(**stores, *who, o.id);
  if (int rc = audited(**stores, *who, "notify.rules.remove", std::to_string(o.id), s); rc != 0) return rc;
  std::cout << "rule " << o.id << " removed\n";
  return 0;
}

int run_list(const std::string& db, const RuleOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto rules = app::notify_rules(**stores, *who);
  if (!rules.ok()) return fail(rules.status());
  if (o.format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const NotifyRule& r : *rules) items.push_back(app::notify_rule_json(r));
    std::cout << json_text(nlohmann::json{{"rules", items}}, 2) << "\n";
    return 0;
  }
  TextTable t({"#", "角色", "区县", "事件", "级别", "方式", "接收方", "创建人", "创建于"});
  for (const NotifyRule& r : *rules) {
    t.add({std::to_string(r.id), r.role, r.county.empty() ? "全市" : r.county, r.kinds, r.levels, r.channel,
           r.target, r.created_by, time_text(r.created_ms)});
  }
  std::cout << t.render();
  return 0;
}

struct LogOpts {
  std::string as_user, mn, format = "table";
  int64_t rule = 0, last = 100;
};

int run_log(const std::string& db, const LogOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto log = app::notify_log(**stores, *who, {.mn = o.mn, .rule_id = o.rule, .limit = o.last});
  if (!log.ok()) return fail(log.status());
  if (o.format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const NotifyLogEntry& e : *log) items.push_back(app::notify_attempt_json(e));
    std::cout << json_text(nlohmann::json{{"attempts", items}}, 2) << "\n";
    return 0;
  }
  TextTable t({"时间", "规则", "级别", "方式", "接收方", "MN", "事件", "次", "结果", "耗时ms", "状态"});
  for (const NotifyLogEntry& e : *log) {
    t.add({time_text(e.attempt.at_ms), std::to_string(e.job.rule_id), e.job.level, e.job.channel,
           e.job.target, e.job.event.mn,
           e.job.event.kind + (e.job.event.pollutant.empty() ? "" : " " + e.job.event.pollutant),
           std::to_string(e.attempt.attempt), e.attempt.detail, std::to_string(e.attempt.took_ms),
           e.job.state});
  }
  std::cout << t.render();
  return 0;
}

struct RunOpts {
  NotifyCliOptions n;
  double every = 0;
  double duration = 0;
};

int run_run(const std::string& db, const RunOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  const app::Deliver deliver = notify::curl_deliver(o.n.curl());
  const auto start = std::chrono::steady_clock::now();
  while (true) {
    auto r = app::notify_step(**stores, o.n.params(), app::now_ms(), deliver);
    if (!r.ok()) return fail(r.status());
    std::cout << "queued " << r->queued << ", attempted " << r->attempted << ", sent " << r->sent
              << ", to retry " << r->retrying << ", given up " << r->gave_up << std::endl;
    if (o.every <= 0) return 0;
    if (o.duration > 0 &&
        std::chrono::steady_clock::now() - start >= std::chrono::duration<double>(o.duration))
      return 0;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.every));
  }
}

}  // namespace

void NotifyCliOptions::add_to(CLI::App* c) {
  c->add_option("--smtp", smtp,
                "SMTP relay for e-mail notifications, smtp://HOST:PORT (default $ECOMON_SMTP)");
  c->add_option("--mail-from", mail_from, "sender of e-mail notifications (default ecomon@localhost)");
  c->add_option("--escalate-after", escalate_min,
                "minutes an open event may stay unacknowledged before it escalates (default 30)")
      ->check(CLI::Range(1, 7 * 24 * 60));
  c->add_option("--notify-timeout", timeout_s, "seconds one delivery may take, HTTP or SMTP (default 5)")
      ->check(CLI::Range(0.1, 120.0));
  c->add_option("--notify-attempts", attempts, "attempts before a delivery is given up (default 5)")
      ->check(CLI::Range(1, 20));
}

app::NotifyParams NotifyCliOptions::params() const {
  return {.escalate_after_ms = escalate_min * 60000, .max_attempts = attempts};
}

notify::CurlOptions NotifyCliOptions::curl() const {
  notify::CurlOptions c;
  c.timeout_ms = static_cast<int64_t>(timeout_s * 1000);
  c.connect_timeout_ms = std::min<int64_t>(c.timeout_ms, 2000);
  c.smtp_url = smtp;
  if (c.smtp_url.empty()) {
    if (const char* env = std::getenv("ECOMON_SMTP")) c.smtp_url = env;
  }
  if (!mail_from.empty()) c.mail_from = mail_from;
  return c;
}

void register_notify(CLI::App& app, GlobalOptions& global) {
  CLI::App* n =
      app.add_subcommand("notify", "notifications of source events: rules, the delivery log, a run");
  n->require_subcommand(1);
  CLI::App* rules = n->add_subcommand("rules", "who is told of which events, and how (admins)");
  rules->require_subcommand(1);

  auto ao = std::make_shared<RuleOpts>();
  CLI::App* add = rules->add_subcommand("add", "add a rule");
  add->add_option("--role", ao->role, "whose duty: admin, analyst or county")->required();
  add->add_option("--county", ao->county, "only this county's devices (required for county)");
  add->add_option("--kinds", ao->kinds, "exceedance,silence,flag_fault (default all)");
  add->add_option("--levels", ao->levels, "open,escalation (default both)");
  add->add_option("--webhook", ao->webhook, "POST the event's JSON to this http(s) URL");
  add->add_option("--email", ao->email, "mail this address through the SMTP relay");
  add->add_option("--as", ao->as_user, "the admin adding it (default: the console operator)");
  add->callback([ao, &global] { set_exit_code(run_add(global.db, *ao)); });

  auto lo = std::make_shared<RuleOpts>();
  CLI::App* list = rules->add_subcommand("list", "the rules");
  list->add_option("--as", lo->as_user, "the admin asking");
  list->add_option("--format", lo->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([lo, &global] { set_exit_code(run_list(global.db, *lo)); });

  auto ro = std::make_shared<RuleOpts>();
  CLI::App* remove = rules->add_subcommand("remove", "remove a rule (its log stays)");
  remove->add_option("ID", ro->id, "the rule")->required();
  remove->add_option("--as", ro->as_user, "the admin removing it");
  remove->callback([ro, &global] { set_exit_code(run_remove(global.db, *ro)); });

  auto go = std::make_shared<LogOpts>();
  CLI::App* log = n->add_subcommand("log", "every delivery attempt, newest first");
  log->add_option("--mn", go->mn, "only this device's events");
  log->add_option("--rule", go->rule, "only this rule's deliveries");
  log->add_option("--last", go->last, "how many (default 100)")->check(CLI::Range(1, 100000));
  log->add_option("--as", go->as_user, "the admin asking");
  log->add_option("--format", go->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  log->callback([go, &global] { set_exit_code(run_log(global.db, *go)); });

  auto uo = std::make_shared<RunOpts>();
  CLI::App* run =
      n->add_subcommand("run", "one round of queueing and delivering (what `serve` does in the background)");
  uo->n.add_to(run);
  run->add_option("--every", uo->every, "repeat every S seconds (default: once)")
      ->check(CLI::Range(0.1, 3600.0));
  run->add_option("--duration", uo->duration, "with --every: stop after S seconds");
  run->callback([uo, &global] { set_exit_code(run_run(global.db, *uo)); });
}

}  // namespace ecomon::cli
