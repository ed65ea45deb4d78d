#include "accounts/accounts.h"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "core/utf8.h"

namespace ecomon {
namespace {

constexpr size_t kSecretBytes = 32;  // 256 random bits for session ids, CSRF and API tokens
constexpr std::string_view kTokenPrefix = "ecm_";

std::string to_hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

}  // namespace

std::string random_secret() {
  unsigned char buf[kSecretBytes];
  randombytes_buf(buf, sizeof buf);
  return to_hex(buf, sizeof buf);
}

// BLAKE2b-256: enough for a high-entropy secret (session id, API token), which cannot be guessed.
std::string secret_hash(const std::string& secret) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  return to_hex(h, sizeof h);
}

namespace {

bool login_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

}  // namespace

PasswordLimits PasswordLimits::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordLimits PasswordLimits::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }
PasswordLimits PasswordLimits::from_env() {
  const char* v = std::getenv("ECOMON_PWHASH");
  return v && std::string_view(v) == "min" ? minimum() : interactive();
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status validate_password_text(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return invalid_argument("password: at least " + std::to_string(kMinPasswordLength) + " characters, got " +
                            std::to_string(password.size()));
  }
  if (password.size() > kMaxPasswordLength) {
    return invalid_argument("password: at most " + std::to_string(kMaxPasswordLength) + " bytes");
  }
  return Status();
}

Status validate_user(const UserInfo& u) {
  if (u.login.empty() || u.login.size() > kMaxLoginLength) {
    return invalid_argument("login: 1.." + std::to_string(kMaxLoginLength) + " characters");
  }
  for (char c : u.login) {
    if (!login_char(c))
      return invalid_argument("login '" + u.login + "': only letters, digits, '_', '.', '-'");
  }
  const bool county = u.role == Role::kCounty, enterprise = u.role == Role::kEnterprise;
  if (county && u.county.empty()) return invalid_argument("county: required for role county");
  if (!county && !u.county.empty()) return invalid_argument("county: only for role county");
  if (enterprise && u.enterprise.empty()) return invalid_argument("enterprise: required for role enterprise");
  if (!enterprise && !u.enterprise.empty()) return invalid_argument("enterprise: only for role enterprise");
  constexpr size_t kMaxName = 128;
  if (u.county.size() > kMaxName || u.enterprise.size() > kMaxName)
    return invalid_argument("county/enterprise: too long");
  if (auto bad = first_invalid_utf8(u.county))
    return invalid_argument("county: " + describe_invalid_utf8(u.county, *bad));
  if (auto bad = first_invalid_utf8(u.enterprise))
    return invalid_argument("enterprise: " + describe_invalid_utf8(u.enterprise, *bad));
  return Status();
}

std::string new_api_token() { return std::string(kTokenPrefix) + random_secret(); }

bool has_token_form(const std::string& token) { return token.rfind(kTokenPrefix, 0) == 0; }

Status validate_token_name(const std::string& name) {
  constexpr size_t kMaxTokenName = 128;
  if (name.empty() || name.size() > kMaxTokenName) return invalid_argument("token name: 1..128 characters");
  if (auto bad = first_invalid_utf8(name))
    return invalid_argument("token name: " + describe_invalid_utf8(name, *bad));
  return Status();
}

PasswordHasher::PasswordHasher(PasswordLimits limits) : limits_(limits) {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work: nothing safe is left to do
}

StatusOr<std::string> PasswordHasher::hash(const std::string& password) const {
  ECOMON_RETURN_IF_ERROR(validate_password_text(password));
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), limits_.ops, limits_.mem) != 0) {
    return internal_error("password hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify(const std::string* hash, const std::string& password) {
  // Argon2 is slow on purpose: callers verify outside any store lock. An unknown login is verified against
  // the dummy hash (same limits), so that it costs the same time as a known one and the answer's delay does
  // not tell which logins exist. The dummy is made by the first check, whichever login it is for, so that
  // the first check's extra cost tells nothing either.
  std::call_once(dummy_once_, [this] {
    auto h = this->hash(random_secret());
    dummy_ = h.ok() ? *h : std::string();
  });
  const std::string& against = hash ? *hash : dummy_;
  ++verifications_;
  return password.size() <= kMaxPasswordLength &&
         crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
}

Status may_administer_accounts(const Actor& who) {
  if (who.role == Role::kAdmin) return Status();
  return permission_denied("only an admin may manage users and read the audit log");
}

Status may_manage_tokens(const Actor& who, const std::string& login) {
  if (who.role == Role::kAdmin || who.user == login) return Status();
  return permission_denied("only an admin or '" + login.substr(0, kMaxLoginLength) +
                           "' may manage the tokens of '" + login.substr(0, kMaxLoginLength) + "'");
}

}  // namespace ecomon
