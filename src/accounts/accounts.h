// Accounts (用户与权限), the pure part: users with a role, password hashes (libsodium crypto_pwhash_str,
// Argon2id), browser sessions with a CSRF token, API tokens for machines, and the audit log's rows. The rows
// are kept by an AccountStore (store/api/accounts.h, SQLite: store/accounts/); the use cases (sign-in, users,
// tokens) are app/accounts.h's. A login or a token becomes the `Actor` (core/actor.h) every module checks
// writes against.
//
//   PasswordHasher pw(PasswordLimits::from_env());
//   StatusOr<std::string> h = pw.hash("a long password");        // what the store keeps
//   bool right = pw.verify(&*h, "a long password");
//   std::string id = random_secret();                             // the cookie; the store keeps
//   secret_hash(id)
//
// Secrets are stored only as hashes: passwords with Argon2id (salted, slow), session ids and API tokens (256
// random bits each) with BLAKE2b, so a copy of the store gives no way in.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
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

// A secret of 256 random bits as 64 hex characters (session ids, CSRF tokens, the body of API tokens).
std::string random_secret();
// BLAKE2b-256 of a high-entropy secret (a session id, an API token), as hex: what the store keeps of it.
std::string secret_hash(const std::string& secret);
// A new API token: "ecm_" + 64 hex characters.
std::string new_api_token();
// Whether `token` has the form of an API token (so that other bearer texts are refused without a look-up).
bool has_token_form(const std::string& token);
// A token's name: 1..128 bytes of UTF-8.
Status validate_token_name(const std::string& name);

// Passwords: Argon2id hashes of a given cost (libsodium crypto_pwhash_str), checked in constant shape. One
// per process (app::Accounts holds it); thread-safe.
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordLimits limits = PasswordLimits::from_env());
  // The hash of a password that passes validate_password_text (invalid_argument otherwise).
  StatusOr<std::string> hash(const std::string& password) const;
  // Whether `password` matches `hash`. Without a hash (an unknown login) a dummy hash of the same cost is
  // verified, so that the answer takes as long as for a known login; the dummy is made by the first call,
  // whichever login it is for.
  bool verify(const std::string* hash, const std::string& password);
  // How many hashes verify() has checked (for tests: an unknown login runs the verifier too).
  int64_t verifications() const { return verifications_.load(); }

 private:
  PasswordLimits limits_;
  std::once_flag dummy_once_;
  std::string dummy_;
  std::atomic<int64_t> verifications_{0};
};

// The role rules of account administration: adding, changing and listing users and reading the audit log
// are an admin's (the console operator is one); a user's API tokens are an admin's or the user's own.
Status may_administer_accounts(const Actor& who);
Status may_manage_tokens(const Actor& who, const std::string& login);

// Seconds and milliseconds since the epoch, from the system clock.
int64_t now_seconds();
int64_t now_millis();

}  // namespace ecomon
