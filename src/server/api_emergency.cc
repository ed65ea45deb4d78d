// /api/emergency/...: heavy-pollution emergency (重污染天气应急). The JSON is emergency_format.h's, the same
// `ecomon emergency warnings|roster|check-list --format json` prints. Staff read; a county user's roster is
// its county's only (another county is 403). Declaring and lifting a warning is the bureau's (route access;
// EmergencyStore checks the Actor again).
#include "emergency/emergency_format.h"
#include "emergency/list_check.h"
#include "emergency/registry.h"
#include "emergency/warning.h"
#include "server/api.h"
#include "store/emergency/emergency_store.h"

namespace ecomon::server {
namespace {

namespace em = emergency;

constexpr size_t kMaxReasonBytes = 2000;

StatusOr<ApiReply> warnings(ApiContext& ctx, const ApiRequest&) {
  auto es = EmergencyStore::open(ctx.db);
  if (!es.ok()) return es.status();
  auto h = (*es)->warnings();
  if (!h.ok()) return h.status();
  const em::WarningState state = em::state_of(*h);
  ApiReply r = items_reply(em::to_json(*h));
  r.body["in_force"] = {{"level", em::level_name(state.level)}, {"since", state.since}};
  return r;
}

StatusOr<ApiReply> roster(ApiContext& ctx, const ApiRequest& req) {
  std::string county = req.param("county");
  if (req.actor.role == Role::kCounty) {
    if (!county.empty() && county != req.actor.county)
      return permission_denied("county " + county + " is not yours to see");
    county = req.actor.county;
  }
  auto es = EmergencyStore::open(ctx.db);
  if (!es.ok()) return es.status();
  auto h = (*es)->warnings();
  if (!h.ok()) return h.status();
  const em::WarningState state = em::state_of(*h);
  em::WarningLevel level = state.level;
  const std::string level_text = req.param("level"), from_param = req.param("from");
  if (!level_text.empty()) {
    std::optional<em::WarningLevel> l = em::parse_level(level_text);
    if (!l || *l == em::WarningLevel::kNone) return invalid_argument("level must be yellow, orange or red");
    level = *l;
  }
  const std::string from = from_param.empty() ? state.since : from_param;
  if (level == em::WarningLevel::kNone || (state.level == em::WarningLevel::kNone && from_param.empty()))
    return invalid_argument("no warning in force: give level and from");
  if (Status s = em::validate_civil_minute(from); !s.ok()) return invalid_argument("from: " + s.message());
  auto list = (*es)->load_list();
  if (!list.ok()) return list.status();
  ApiReply r = items_reply(em::to_json(em::roster(*list, level, from, county)));
  r.body["level"] = em::level_name(level);
  r.body["from"] = from;
  return r;
}

StatusOr<ApiReply> check_list(ApiContext& ctx, const ApiRequest&) {
  auto es = EmergencyStore::open(ctx.db);
  if (!es.ok()) return es.status();
  auto list = (*es)->load_list();
  if (!list.ok()) return list.status();
  ApiReply r;
  r.body = em::to_json(em::check_list(*list, em::ListCheckParams{}));
  return r;
}

StatusOr<ApiReply> declare_or_lift(ApiContext& ctx, const ApiRequest& req, bool lift) {
  auto body =
      lift ? parse_body(req.body, {"from"}, {"reason"}) : parse_body(req.body, {"level", "from"}, {"reason"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  const std::string reason = b.value("reason", "");
  if (reason.size() > kMaxReasonBytes)
    return failed_precondition("reason: longer than " + std::to_string(kMaxReasonBytes) + " bytes");
  auto es = EmergencyStore::open(ctx.db);
  if (!es.ok()) return es.status();
  StatusOr<em::WarningEvent> ev = em::WarningEvent{};
  if (lift) {
    ev = (*es)->lift(b["from"].get<std::string>(), req.actor, reason);
  } else {
    std::optional<em::WarningLevel> l = em::parse_level(b["level"].get<std::string>());
    if (!l || *l == em::WarningLevel::kNone) return failed_precondition("level: yellow, orange or red");
    ev = (*es)->declare(*l, b["from"].get<std::string>(), req.actor, reason);
  }
  if (!ev.ok()) {
    if (ev.status().code() == StatusCode::kInvalidArgument) return failed_precondition(ev.status().message());
    return ev.status();
  }
  ApiReply r;
  r.body = em::to_json(std::vector<em::WarningEvent>{*ev})[0];
  r.audit_target = std::string(em::level_name(ev->level));
  return r;
}

}  // namespace

void add_emergency_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/emergency/warnings",
         .access = Access::kStaff,
         .summary = "the warning in force and the warnings history (oldest first)",
         .paged = true,
         .handler = warnings});
  r.add({.method = "GET",
         .pattern = "/api/emergency/roster",
         .access = Access::kStaff,
         .summary = "the control roster: per county each enterprise and line, what it must do from when",
         .params = {{"level", "yellow, orange or red (default: the warning in force)"},
                    {"from", "YYYY-MM-DD hh:mm (default: since the warning in force)"},
                    {"county", "one county only (county users: their own)"}},
         .paged = true,
         .handler = roster});
  r.add({.method = "GET",
         .pattern = "/api/emergency/check-list",
         .access = Access::kStaff,
         .summary =
             "per level each pollutant's reduction across the list and whether the required share is reached",
         .handler = check_list});
  r.add({.method = "POST",
         .pattern = "/api/emergency/declare",
         .access = Access::kBureau,
         .summary = "declare, upgrade or downgrade the warning",
         .action = "emergency.declare",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return declare_or_lift(ctx, req, false); }});
  r.add({.method = "POST",
         .pattern = "/api/emergency/lift",
         .access = Access::kBureau,
         .summary = "lift the warning in force",
         .action = "emergency.lift",
         .handler = [](ApiContext& ctx, const ApiRequest& req) { return declare_or_lift(ctx, req, true); }});
}

}  // namespace ecomon::server
