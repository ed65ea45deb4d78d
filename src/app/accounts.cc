#include "app/accounts.h"

namespace ecomon::app {

Status Accounts::add_user(const Actor& who, const UserInfo& u, const std::string& password) {
  ECOMON_RETURN_IF_ERROR(may_administer_accounts(who));
  ECOMON_RETURN_IF_ERROR(validate_user(u));
  auto hash = hasher_.hash(password);
  if (!hash.ok()) return hash.status();
  return store_.add_user(u, *hash);
}

Status Accounts::set_password(const Actor& who, const std::string& login, const std::string& password) {
  ECOMON_RETURN_IF_ERROR(may_administer_accounts(who));
  auto hash = hasher_.hash(password);
  if (!hash.ok()) return hash.status();
  return store_.set_password_hash(login, *hash);
}

Status Accounts::set_disabled(const Actor& who, const std::string& login, bool disabled) {
  ECOMON_RETURN_IF_ERROR(may_administer_accounts(who));
  return store_.set_disabled(login, disabled);
}

StatusOr<std::vector<UserInfo>> Accounts::users(const Actor& who) {
  ECOMON_RETURN_IF_ERROR(may_administer_accounts(who));
  return store_.users();
}

StatusOr<std::vector<AuditEntry>> Accounts::audit_log(const Actor& who, int64_t limit, int64_t offset) {
  ECOMON_RETURN_IF_ERROR(may_administer_accounts(who));
  return store_.audit_log(limit, offset);
}

StatusOr<std::vector<AuditEntry>> Accounts::recent_done(const std::string& action, int64_t scan) {
  auto rows = store_.audit_log(scan, 0);
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> out;
  for (AuditEntry& e : *rows) {
    if (e.action == action && e.outcome == "ok") out.push_back(std::move(e));
  }
  return out;
}

StatusOr<std::string> Accounts::create_token(const Actor& who, const std::string& login,
                                             const std::string& name, int64_t now_s) {
  ECOMON_RETURN_IF_ERROR(may_manage_tokens(who, login));
  ECOMON_RETURN_IF_ERROR(validate_token_name(name));
  std::string token = new_api_token();
  ECOMON_RETURN_IF_ERROR(store_.add_token(secret_hash(token), login, name, now_s));
  return token;
}

StatusOr<std::vector<TokenInfo>> Accounts::tokens(const Actor& who, const std::string& login) {
  ECOMON_RETURN_IF_ERROR(login.empty() ? may_administer_accounts(who) : may_manage_tokens(who, login));
  return store_.tokens(login);
}

Status Accounts::revoke_token(const Actor& who, int64_t id, const std::string& login) {
  ECOMON_RETURN_IF_ERROR(login.empty() ? may_administer_accounts(who) : may_manage_tokens(who, login));
  return store_.revoke_token(id, login);
}

StatusOr<std::optional<UserInfo>> Accounts::find_user(const std::string& login) {
  auto u = store_.find_user(login);
  if (!u.ok()) return u.status();
  if (!*u) return std::optional<UserInfo>();
  return std::optional<UserInfo>((*u)->info);
}

StatusOr<Actor> Accounts::sign_in(const std::string& login, const std::string& password) {
  auto user = store_.find_user(login);
  if (!user.ok()) return user.status();
  // Verified outside the store's lock: Argon2 is slow on purpose and must not hold up other requests.
  const bool right = hasher_.verify(*user ? &(*user)->password_hash : nullptr, password);
  if (!*user || !right) return permission_denied("wrong login or password");
  // Told only to whoever knows the password.
  if ((*user)->info.disabled) return permission_denied("account '" + login + "' is disabled");
  return (*user)->info.actor();
}

StatusOr<NewSession> Accounts::create_session(const Actor& actor, int64_t now_s, int64_t lifetime_s) {
  NewSession s{random_secret(), random_secret(), now_s + lifetime_s};
  ECOMON_RETURN_IF_ERROR(store_.add_session(secret_hash(s.id), actor.user, s.csrf, s.expires_at, now_s));
  return s;
}

StatusOr<std::optional<SessionInfo>> Accounts::find_session(const std::string& id, int64_t now_s) {
  auto s = store_.find_session(secret_hash(id));
  if (!s.ok()) return s.status();
  if (*s && (*s)->expires_at <= now_s) return std::optional<SessionInfo>();
  return s;
}

Status Accounts::end_session(const std::string& id) { return store_.end_session(secret_hash(id)); }

StatusOr<std::optional<Actor>> Accounts::find_token(const std::string& token) {
  if (!has_token_form(token)) return std::optional<Actor>();
  return store_.find_token(secret_hash(token));
}

}  // namespace ecomon::app
