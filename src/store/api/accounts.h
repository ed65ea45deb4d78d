// AccountStore: the accounts' rows (users with their password hashes, sessions, API tokens, the audit log),
// as the use cases of app/accounts.h need them. Secrets arrive hashed (accounts/accounts.h): the store never
// sees a password, a session id or a token. SQLite: store/accounts/sqlite_account_store.h.
//
//   AccountStore& acc = stores.accounts();
//   ECOMON_RETURN_IF_ERROR(acc.add_user(user, *hasher.hash(password)));
//   auto u = acc.find_user("zhang");   // StatusOr<std::optional<StoredUser>>
//
// Each call is one round trip (a login, a session, a page of the audit log), and every multi-row change (a
// new password ends the user's sessions and tokens) is one transaction of the backend.
//
// Thread safety: an AccountStore may be shared by threads (the server keeps one for its lifetime).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "core/actor.h"
#include "core/status.h"

namespace ecomon {

// A user with its password hash (read only by the sign-in).
struct StoredUser {
  UserInfo info;
  std::string password_hash;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // The embedded backend's accounts alone, on their own connection to the store file `path` (migrated): for
  // the verbs that only write the audit log and do not take a Stores yet.
  static StatusOr<std::unique_ptr<AccountStore>> open(const std::string& path);

  // kAlreadyExists when the login is taken. `u.created_at` 0: now.
  virtual Status add_user(const UserInfo& u, const std::string& password_hash) = 0;
  // Sets the hash and, in the same transaction, ends the user's sessions and revokes its API tokens.
  // kNotFound for an unknown login.
  virtual Status set_password_hash(const std::string& login, const std::string& password_hash) = 0;
  // Disables a user (its sessions end and its tokens are revoked in the same transaction) or enables it
  // again (old tokens stay revoked). kNotFound when unknown.
  virtual Status set_disabled(const std::string& login, bool disabled) = 0;
  // By login.
  virtual StatusOr<std::vector<UserInfo>> users() = 0;
  virtual StatusOr<std::optional<StoredUser>> find_user(const std::string& login) = 0;

  // Stores a session (by the hash of its id) for an existing, enabled user (permission_denied otherwise),
  // dropping the sessions expired at `now_s` in the same transaction.
  virtual Status add_session(const std::string& id_hash, const std::string& login, const std::string& csrf,
                             int64_t expires_at, int64_t now_s) = 0;
  // The session's actor, CSRF token and expiry; nullopt when unknown or of a disabled user (expiry is the
  // caller's to check).
  virtual StatusOr<std::optional<SessionInfo>> find_session(const std::string& id_hash) = 0;
  virtual Status end_session(const std::string& id_hash) = 0;

  // Stores a token (by its hash) for `login`: kNotFound for an unknown user, kFailedPrecondition for a
  // disabled one.
  virtual Status add_token(const std::string& token_hash, const std::string& login, const std::string& name,
                           int64_t now_s) = 0;
  // The token's actor; nullopt when unknown, revoked or of a disabled user.
  virtual StatusOr<std::optional<Actor>> find_token(const std::string& token_hash) = 0;
  // The tokens of `login` (every user's when empty), oldest first.
  virtual StatusOr<std::vector<TokenInfo>> tokens(const std::string& login) = 0;
  // kNotFound when there is no token `id` (of `login` when not empty).
  virtual Status revoke_token(int64_t id, const std::string& login) = 0;

  // One audit row (`at_ms` 0: now).
  virtual Status audit(const AuditEntry& e) = 0;
  // Newest first.
  virtual StatusOr<std::vector<AuditEntry>> audit_log(int64_t limit, int64_t offset) = 0;
  virtual StatusOr<int64_t> audit_count() = 0;
};

}  // namespace ecomon
