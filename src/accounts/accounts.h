// Accounts (用户与权限): users with a role, password hashes (libsodium crypto_pwhash_str, Argon2id), browser
// sessions with a CSRF token, API tokens for machines, and the audit log of every write. Everything sits in
// the store's SQLite file, in tables named acc_*; a login or a token becomes the `Actor` (accounts/actor.h)
// that every module checks writes against.
//
//   auto acc = AccountStore::open("ecomon.db");          // StatusOr<std::unique_ptr<AccountStore>>
//   Status s = (*acc)->add_user({.login = "zhang", .role = Role::kCounty, .county = "泽州县"}, "a long
//   password"); StatusOr<Actor> who = (*acc)->check_password("zhang", "a long password");  //
//   permission_denied when wrong StatusOr<NewSession> ses = (*acc)->create_session(*who, now_seconds());   //
//   ses->id goes in the cookie auto back = (*acc)->find_session(ses->id, now_seconds());  //
//   StatusOr<std::optional<SessionInfo>>
//
// Secrets are stored only as hashes: passwords with Argon2id (salted, slow), session ids and API tokens (256
// random bits each) with BLAKE2b, so a copy of the store gives no way in. All SQL is parameterised.
//
// Thread safety: an AccountStore may be shared by threads; each call takes an internal lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"

namespace ecomon {

// The cost of hashing a password (crypto_pwhash opslimit/memlimit). interactive() is what libsodium
// recommends for logins (2 passes, 64 MiB); minimum() is the library's floor, for tests only
// (ECOMON_PWHASH=min).
struct PasswordLimits {
  uint64_t ops = 0;
  size_t mem = 0;
  static PasswordLimits interactive();
  static PasswordLimits minimum();
  // minimum() when the environment variable ECOMON_PWHASH is "min", else interactive().
  static PasswordLimits from_env();
};

inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 256;
inline constexpr size_t kMaxLoginLength = 64;
inline constexpr int64_t kSessionSeconds = int64_t{8} * 3600;  // a working day

struct UserInfo {
  std::string login;
  Role role = Role::kPublic;
  std::string county;
  std::string enterprise;
  int64_t created_at = 0;  // seconds since the epoch (UTC)
  bool disabled = false;   // a disabled user cannot sign in; its sessions and tokens are gone
  Actor actor() const { return Actor{login, role, county, enterprise}; }
};

struct NewSession {
  std::string id;    // 64 hex characters; only its hash is stored
  std::string csrf;  // 64 hex characters; sent back in X-CSRF-Token with every state-changing request
  int64_t expires_at = 0;
};

struct SessionInfo {
  Actor actor;
  std::string csrf;
  int64_t expires_at = 0;
};

struct TokenInfo {
  int64_t id = 0;
  std::string login;
  std::string name;
  int64_t created_at = 0;
};

// One row of the audit log: who did what, when, and how it ended.
struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;  // milliseconds since the epoch (UTC)
  std::string user;   // Actor::user ("cli" for the server console, "-" before a login)
  std::string role;
  std::string action;   // "users.add", "session.create", "tokens.create", ...
  std::string target;   // what it acted on: a login, a device MN, ...
  std::string outcome;  // "ok", "denied", "invalid", "error"
  std::string detail;   // the message of a refusal or an error
  std::string via;      // "cli", "http 127.0.0.1"
};

// Checks a new user's fields: login of 1..64 letters, digits, '_', '.', '-'; county required for the county
// role and enterprise id for the enterprise role (and neither for others); password 8..256 bytes.
Status validate_user(const UserInfo& u);
Status validate_password_text(const std::string& password);

class AccountStore {
 public:
  static StatusOr<std::unique_ptr<AccountStore>> open(const std::string& path,
                                                      PasswordLimits limits = PasswordLimits::from_env());
  ~AccountStore();
  AccountStore(const AccountStore&) = delete;
  AccountStore& operator=(const AccountStore&) = delete;

  // kAlreadyExists when the login is taken.
  Status add_user(const UserInfo& u, const std::string& password);
  // Sets a new password and, in the same transaction, ends the user's sessions and revokes its API tokens.
  // kNotFound for an unknown login.
  Status set_password(const std::string& login, const std::string& password);
  // Disables a user (it cannot sign in; its sessions end and its tokens are revoked at once, in the same
  // transaction) or enables it again (with a new sign-in; old tokens stay revoked). kNotFound when unknown.
  Status set_disabled(const std::string& login, bool disabled);
  StatusOr<std::vector<UserInfo>> users();
  StatusOr<std::optional<UserInfo>> find_user(const std::string& login);
  // The user's Actor when the password is right; permission_denied (the same message for an unknown login and
  // a wrong password) otherwise, and for a disabled user. An unknown login is verified against a dummy hash
  // of the same cost, so that it takes as long as a known one.
  StatusOr<Actor> check_password(const std::string& login, const std::string& password);
  // How many password hashes check_password() has verified (for tests: an unknown login runs the verifier
  // too).
  int64_t password_verifications() const;

  // A new session for an existing, enabled user (permission_denied otherwise).
  StatusOr<NewSession> create_session(const Actor& actor, int64_t now_s,
                                      int64_t lifetime_s = kSessionSeconds);
  // The session's actor and CSRF token while it lives; nullopt when unknown, expired or of a disabled user
  // (expired rows are dropped when the next session is created).
  StatusOr<std::optional<SessionInfo>> find_session(const std::string& id, int64_t now_s);
  Status end_session(const std::string& id);

  // A new API token for `login` ("ecm_" + 64 hex characters), shown once; only its hash is kept.
  // kNotFound for an unknown user, kFailedPrecondition for a disabled one.
  StatusOr<std::string> create_token(const std::string& login, const std::string& name, int64_t now_s);
  // The token's actor; nullopt when unknown, revoked or of a disabled user.
  StatusOr<std::optional<Actor>> find_token(const std::string& token);
  // The tokens of `login` (every user's when empty), oldest first, with the ids revoke_token() takes.
  StatusOr<std::vector<TokenInfo>> tokens(const std::string& login);
  // Revokes token `id` (of `login` when not empty): it stops working at once. kNotFound when there is no
  // such token (of that user).
  Status revoke_token(int64_t id, const std::string& login);

  Status audit(const AuditEntry& e);
  // Newest first.
  StatusOr<std::vector<AuditEntry>> audit_log(int64_t limit, int64_t offset);
  StatusOr<int64_t> audit_count();

 private:
  class Impl;
  explicit AccountStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Seconds and milliseconds since the epoch, from the system clock.
int64_t now_seconds();
int64_t now_millis();

}  // namespace ecomon
