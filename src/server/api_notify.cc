// /api/notify: the notification rules (per role and county: which event kinds and levels, to whom) and the
// log of every delivery attempt. The bureau's admins only; the router audits the writes
// (notify.rules.add, notify.rules.remove). The same services as `ecomon notify ...` (app/notify.h).

#include "app/clock.h"
#include "app/notify.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

StatusOr<ApiReply> list_rules(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto rules = app::notify_rules(**stores, req.actor);
  if (!rules.ok()) return rules.status();
  json items = json::array();
  for (const NotifyRule& r : *rules) items.push_back(app::notify_rule_json(r));
  return items_reply(std::move(items));
}

StatusOr<ApiReply> add_rule(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"role", "channel", "target"}, {"county", "kinds", "levels"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto r = app::add_notify_rule(**stores, req.actor,
                                {.role = b["role"],
                                 .county = b.value("county", ""),
                                 .kinds = b.value("kinds", ""),
                                 .levels = b.value("levels", ""),
                                 .channel = b["channel"],
                                 .target = b["target"]},
                                app::now_ms());
  if (!r.ok()) {
    if (r.status().code() == StatusCode::kInvalidArgument) return failed_precondition(r.status().message());
    return r.status();
  }
  ApiReply reply;
  reply.status = 201;
  reply.body = app::notify_rule_json(*r);
  reply.audit_target =
      std::to_string(r->id) + "|" + r->role + "|" + r->county + "|" + r->channel + "|" + r->target;
  return reply;
}

StatusOr<ApiReply> remove_rule(ApiContext& ctx, const ApiRequest& req) {
  const std::string text = req.path_params.at("id");
  int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > 100000000000)
      return invalid_argument("rule id '" + text + "' is not a number");
    id = id * 10 + (c - '0');
  }
  if (text.empty()) return invalid_argument("rule id is empty");
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  ECOMON_RETURN_IF_ERROR(app::remove_notify_rule(**stores, req.actor, id));
  ApiReply reply;
  reply.body = {{"removed", id}};
  reply.audit_target = text;
  return reply;
}

StatusOr<ApiReply> log(ApiContext& ctx, const ApiRequest& req) {
  auto last = int_param(req, "last", kDefaultLimit, 1, kMaxLimit);
  if (!last.ok()) return last.status();
  auto rule = int_param(req, "rule", 0, 0, int64_t{1} << 53);
  if (!rule.ok()) return rule.status();
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto entries =
      app::notify_log(**stores, req.actor, {.mn = req.param("mn"), .rule_id = *rule, .limit = *last});
  if (!entries.ok()) return entries.status();
  json items = json::array();
  for (const NotifyLogEntry& e : *entries) items.push_back(app::notify_attempt_json(e));
  return items_reply(std::move(items));
}

}  // namespace

void add_notify_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/notify/rules",
         .access = Access::kAdmin,
         .summary = "the notification rules (role, county, event kinds and levels, channel and recipient)",
         .paged = true,
         .handler = list_rules});
  r.add(
      {.method = "POST",
       .pattern = "/api/notify/rules",
       .access = Access::kAdmin,
       .summary = "add a notification rule: {role, county?, kinds?, levels?, channel: webhook|email, target}",
       .action = "notify.rules.add",
       .handler = add_rule});
  r.add({.method = "DELETE",
         .pattern = "/api/notify/rules/{id}",
         .access = Access::kAdmin,
         .summary = "remove a notification rule (its deliveries stay in the log)",
         .action = "notify.rules.remove",
         .handler = remove_rule});
  r.add({.method = "GET",
         .pattern = "/api/notify/log",
         .access = Access::kAdmin,
         .summary = "every delivery attempt of the notifications, newest first",
         .params = {{"mn", "only this device's events"},
                    {"rule", "only this rule's deliveries"},
                    {"last", "how many of the newest (default 100, at most 1000)"}},
         .paged = true,
         .handler = log});
}

}  // namespace ecomon::server
