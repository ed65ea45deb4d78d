// The accounts' use cases (docs/accounts.md): sign-in and sign-out, resolving a session or an API token to
// the Actor, and the administration of users, tokens and the audit log. The CLI's `ecomon users ...` and the
// HTTP API's /api/session, /api/users, /api/audit are adapters over these calls.
//
//   app::Accounts acc(stores.accounts());                        // one per process: it holds the hasher
//   StatusOr<Actor> who = acc.sign_in("zhang", "a long password");  // permission_denied when wrong
//   StatusOr<NewSession> s = acc.create_session(*who, now_seconds());
//   Status done = acc.add_user(Actor::operator_cli(), user, "password");  // admin only
//
// Administration is checked against the caller (accounts/accounts.h: may_administer_accounts,
// may_manage_tokens) before anything is written. Thread-safe when its AccountStore is (the SQLite one is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "core/actor.h"
#include "core/status.h"
#include "store/api/accounts.h"

namespace ecomon::app {

class Accounts {
 public:
  explicit Accounts(AccountStore& store, PasswordLimits limits = PasswordLimits::from_env())
      : store_(store), hasher_(limits) {}

  // ---- administration (an admin's; the console operator is one)
  // kAlreadyExists when the login is taken; invalid_argument for a bad field or password.
  Status add_user(const Actor& who, const UserInfo& u, const std::string& password);
  // A new password; the user's sessions end and its tokens are revoked. kNotFound for an unknown login.
  Status set_password(const Actor& who, const std::string& login, const std::string& password);
  // Disables (sessions end, tokens revoked) or enables a user. kNotFound for an unknown login.
  Status set_disabled(const Actor& who, const std::string& login, bool disabled);
  StatusOr<std::vector<UserInfo>> users(const Actor& who);
  // Newest first.
  StatusOr<std::vector<AuditEntry>> audit_log(const Actor& who, int64_t limit, int64_t offset);
  // Records a write (done or refused) in the audit log.
  Status audit(const AuditEntry& e) { return store_.audit(e); }
  // The done writes of one action among the newest `scan` rows of the audit log, newest first: what a page
  // shows of its own writes (an event's acknowledgement) without the admin's right to read the whole log.
  StatusOr<std::vector<AuditEntry>> recent_done(const std::string& action, int64_t scan);

  // ---- API tokens (an admin's, or the user's own)
  // A new token for `login` ("ecm_" + 64 hex characters), shown once. kNotFound for an unknown user,
  // kFailedPrecondition for a disabled one.
  StatusOr<std::string> create_token(const Actor& who, const std::string& login, const std::string& name,
                                     int64_t now_s);
  // `login`'s tokens (every user's when empty: an admin only), oldest first.
  StatusOr<std::vector<TokenInfo>> tokens(const Actor& who, const std::string& login);
  // Revokes token `id` (of `login` when not empty: else an admin only). kNotFound when there is none.
  Status revoke_token(const Actor& who, int64_t id, const std::string& login);

  // ---- signing in
  // The stored user `login` (for the CLI's --as); nullopt when unknown.
  StatusOr<std::optional<UserInfo>> find_user(const std::string& login);
  // The user's Actor when the password is right; permission_denied (the same message for an unknown login
  // and a wrong password) otherwise, and for a disabled user. An unknown login costs as long as a known one.
  StatusOr<Actor> sign_in(const std::string& login, const std::string& password);
  // A new session for an existing, enabled user (permission_denied otherwise).
  StatusOr<NewSession> create_session(const Actor& actor, int64_t now_s,
                                      int64_t lifetime_s = kSessionSeconds);
  // The session's actor and CSRF token while it lives; nullopt when unknown, expired or of a disabled user.
  StatusOr<std::optional<SessionInfo>> find_session(const std::string& id, int64_t now_s);
  Status end_session(const std::string& id);
  // The token's actor; nullopt when unknown, revoked or of a disabled user.
  StatusOr<std::optional<Actor>> find_token(const std::string& token);

  // How many password hashes sign_in() has verified (for tests).
  int64_t password_verifications() const { return hasher_.verifications(); }

 private:
  AccountStore& store_;
  PasswordHasher hasher_;
};

}  // namespace ecomon::app
