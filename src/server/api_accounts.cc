// /api/session (log in and out), /api/users, /api/users/{login}/tokens (create, list, revoke), /api/audit.
#include "accounts/accounts.h"
#include "app/accounts.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/login_throttle.h"

namespace ecomon::server {
namespace {

std::string session_cookie(const std::string& value, int64_t max_age, bool secure) {
  return "ecomon_session=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

json actor_json(const Actor& a) {
  return {{"login", a.user}, {"role", role_name(a.role)}, {"county", a.county}, {"enterprise", a.enterprise}};
}

StatusOr<ApiReply> login(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"login", "password"}, {});
  if (!body.ok()) return body.status();
  const std::string user = (*body)["login"];
  ApiReply r;
  r.audit_target = user.substr(0, kMaxLoginLength);
  const int64_t now = now_seconds();
  if (ctx.login_throttle) {
    if (const int64_t wait = ctx.login_throttle->retry_after(user, req.peer, now); wait > 0) {
      constexpr int kTooMany = 429;
      r.status = kTooMany;
      r.body =
          error_body(kTooMany, "too many failed sign-ins for this login or from this address; try again in " +
                                   std::to_string(wait) + " s");
      r.body["error"]["retry_after_s"] = wait;
      return r;
    }
  }
  auto who = ctx.accounts->sign_in(user, (*body)["password"]);
  if (!who.ok()) {
    if (who.status().code() != StatusCode::kPermissionDenied) return who.status();
    if (ctx.login_throttle) ctx.login_throttle->failed(user, req.peer, now);
    r.status = 401;
    r.body = error_body(401, who.status().message());
    return r;
  }
  if (ctx.login_throttle) ctx.login_throttle->succeeded(user);
  auto s = ctx.accounts->create_session(*who, now);
  if (!s.ok()) return s.status();
  r.set_cookies.push_back(session_cookie(s->id, kSessionSeconds, ctx.secure_cookie));
  r.body = actor_json(*who);
  r.body["csrf"] = s->csrf;
  r.body["expires_at"] = s->expires_at;
  return r;
}

StatusOr<ApiReply> whoami(ApiContext& ctx, const ApiRequest& req) {
  ApiReply r;
  if (!req.signed_in) {
    r.body = {{"signed_in", false}};
    return r;
  }
  r.body = actor_json(req.actor);
  r.body["signed_in"] = true;
  if (!req.session_id.empty()) {
    auto s = ctx.accounts->find_session(req.session_id, now_seconds());
    if (!s.ok()) return s.status();
    if (*s) {
      r.body["csrf"] = (*s)->csrf;
      r.body["expires_at"] = (*s)->expires_at;
    }
  }
  return r;
}

StatusOr<ApiReply> logout(ApiContext& ctx, const ApiRequest& req) {
  ApiReply r;
  r.audit_target = req.actor.user;
  if (!req.session_id.empty()) ECOMON_RETURN_IF_ERROR(ctx.accounts->end_session(req.session_id));
  r.set_cookies.push_back(session_cookie("", 0, ctx.secure_cookie));
  r.body = {{"signed_out", true}};
  return r;
}

StatusOr<ApiReply> list_users(ApiContext& ctx, const ApiRequest& req) {
  auto users = ctx.accounts->users(req.actor);
  if (!users.ok()) return users.status();
  json items = json::array();
  for (const UserInfo& u : *users) {
    json j = actor_json(u.actor());
    j["created_at"] = u.created_at;
    items.push_back(j);
  }
  return items_reply(items);
}

StatusOr<ApiReply> add_user(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"login", "password", "role"}, {"county", "enterprise"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  ApiReply r;
  r.audit_target = b["login"].get<std::string>().substr(0, kMaxLoginLength);
  auto role = parse_role(b["role"].get<std::string>());
  if (!role) return failed_precondition("role: one of admin, analyst, county, enterprise, public");
  UserInfo u{b["login"], *role, b.value("county", ""), b.value("enterprise", ""), 0};
  if (Status s = validate_user(u); !s.ok()) return failed_precondition(s.message());
  if (Status s = validate_password_text(b["password"]); !s.ok()) return failed_precondition(s.message());
  ECOMON_RETURN_IF_ERROR(ctx.accounts->add_user(req.actor, u, b["password"]));
  r.status = 201;
  r.body = actor_json(u.actor());
  return r;
}

StatusOr<ApiReply> add_token(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"name"}, {});
  if (!body.ok()) return body.status();
  const std::string login = req.path_params.at("login");
  ApiReply r;
  r.audit_target = login.substr(0, kMaxLoginLength);
  auto t = ctx.accounts->create_token(req.actor, login, (*body)["name"], now_seconds());
  if (!t.ok()) {
    if (t.status().code() == StatusCode::kInvalidArgument) return failed_precondition(t.status().message());
    return t.status();
  }
  r.status = 201;
  r.body = {{"login", login}, {"name", (*body)["name"]}, {"token", *t}};
  return r;
}

StatusOr<ApiReply> list_tokens(ApiContext& ctx, const ApiRequest& req) {
  const std::string login = req.path_params.at("login");
  ECOMON_RETURN_IF_ERROR(may_manage_tokens(req.actor, login));
  auto tokens = ctx.accounts->tokens(req.actor, login);
  if (!tokens.ok()) return tokens.status();
  json items = json::array();
  for (const TokenInfo& t : *tokens)
    items.push_back({{"id", t.id}, {"login", t.login}, {"name", t.name}, {"created_at", t.created_at}});
  return items_reply(items);
}

StatusOr<ApiReply> revoke_token(ApiContext& ctx, const ApiRequest& req) {
  const std::string login = req.path_params.at("login");
  const std::string id_text = req.path_params.at("id");
  ECOMON_RETURN_IF_ERROR(may_manage_tokens(req.actor, login));
  constexpr size_t kMaxIdDigits = 18;  // fits int64
  if (id_text.size() > kMaxIdDigits || id_text.find_first_not_of("0123456789") != std::string::npos) {
    return invalid_argument("token id must be a whole number, got '" + id_text.substr(0, kMaxIdDigits) + "'");
  }
  const int64_t id = std::stoll(id_text);
  ECOMON_RETURN_IF_ERROR(ctx.accounts->revoke_token(req.actor, id, login));
  ApiReply r;
  r.audit_target = login.substr(0, kMaxLoginLength) + " token " + id_text;
  r.body = {{"login", login}, {"id", id}, {"revoked", true}};
  return r;
}

StatusOr<ApiReply> audit_log(ApiContext& ctx, const ApiRequest& req) {
  // The newest rows; the router pages through them.
  auto log = ctx.accounts->audit_log(req.actor, kMaxLimit * 10, 0);
  if (!log.ok()) return log.status();
  // Rows written by older versions may hold bytes that are not UTF-8: each ill-formed part becomes U+FFFD
  // here, so that neither the JSON nor the CSV of the page can fail on them, whatever writes the reply.
  auto text = [](const std::string& s) { return replace_invalid_utf8(s); };
  json items = json::array();
  for (const AuditEntry& e : *log) {
    items.push_back({{"id", e.id},
                     {"at_ms", e.at_ms},
                     {"user", text(e.user)},
                     {"role", text(e.role)},
                     {"action", text(e.action)},
                     {"target", text(e.target)},
                     {"outcome", text(e.outcome)},
                     {"detail", text(e.detail)},
                     {"via", text(e.via)}});
  }
  return items_reply(items);
}

}  // namespace

void add_account_routes(Router& r) {
  r.add({.method = "POST",
         .pattern = "/api/session",
         .access = Access::kPublic,
         .summary = "log in: sets the session cookie, returns the user and the CSRF token",
         .action = "session.create",
         .handler = login});
  r.add({.method = "GET",
         .pattern = "/api/session",
         .access = Access::kPublic,
         .summary = "who is signed in (signed_in false when nobody), with the session's CSRF token",
         .handler = whoami});
  r.add({.method = "DELETE",
         .pattern = "/api/session",
         .access = Access::kSignedIn,
         .summary = "log out",
         .action = "session.end",
         .handler = logout});
  r.add({.method = "GET",
         .pattern = "/api/users",
         .access = Access::kAdmin,
         .summary = "the users",
         .paged = true,
         .handler = list_users});
  r.add({.method = "POST",
         .pattern = "/api/users",
         .access = Access::kAdmin,
         .summary = "add a user",
         .action = "users.add",
         .handler = add_user});
  r.add({.method = "POST",
         .pattern = "/api/users/{login}/tokens",
         .access = Access::kAdmin,
         .summary = "create an API token for a user (shown once)",
         .action = "tokens.create",
         .handler = add_token});
  r.add({.method = "GET",
         .pattern = "/api/users/{login}/tokens",
         .access = Access::kSignedIn,
         .summary = "a user's API tokens with their ids (admin, or the user itself); never the tokens",
         .paged = true,
         .handler = list_tokens});
  r.add({.method = "DELETE",
         .pattern = "/api/users/{login}/tokens/{id}",
         .access = Access::kSignedIn,
         .summary = "revoke an API token by id (admin, or the user itself): it stops working at once",
         .action = "tokens.revoke",
         .handler = revoke_token});
  r.add({.method = "GET",
         .pattern = "/api/audit",
         .access = Access::kAdmin,
         .summary = "the audit log of writes, newest first",
         .paged = true,
         .handler = audit_log});
}

}  // namespace ecomon::server
