#include "accounts/accounts.h"

#include <sodium.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "core/utf8.h"
#include "store/sqlite_status.h"

namespace ecomon {
namespace {

constexpr size_t kSecretBytes = 32;  // 256 random bits for session ids, CSRF and API tokens
constexpr std::string_view kTokenPrefix = "ecm_";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS acc_user (
  login TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  county TEXT NOT NULL DEFAULT '',
  enterprise TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_session (
  id_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES acc_user(login),
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  login TEXT NOT NULL REFERENCES acc_user(login),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS acc_audit (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  via TEXT NOT NULL
);
)sql";

std::string to_hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string random_secret() {
  unsigned char buf[kSecretBytes];
  randombytes_buf(buf, sizeof buf);
  return to_hex(buf, sizeof buf);
}

// BLAKE2b-256 of a high-entropy secret (session id, API token): enough, since such secrets cannot be guessed.
std::string secret_hash(const std::string& secret) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  return to_hex(h, sizeof h);
}

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& bind(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(st_); }
  std::string text(int c) const {
    const unsigned char* p = sqlite3_column_text(st_, c);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(st_, c)))
             : std::string();
  }
  int64_t integer(int c) const { return sqlite3_column_int64(st_, c); }
  // kUnavailable when the store stayed busy (store/sqlite_status.h), else kInternal.
  Status error(const std::string& what) const { return sqlite_status(db_, what); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// "SELECT <a user's columns, in the order user_of() reads them> " + rest, with the user table as `u`.
std::string select_user(const std::string& rest) {
  return "SELECT u.login, u.role, u.county, u.enterprise, u.created_at, u.disabled " + rest;
}

UserInfo user_of(const Stmt& st) {
  UserInfo u;
  u.login = st.text(0);
  u.role = parse_role(st.text(1)).value_or(Role::kPublic);
  u.county = st.text(2);
  u.enterprise = st.text(3);
  u.created_at = st.integer(4);
  u.disabled = st.integer(5) != 0;
  return u;
}

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

class AccountStore::Impl {
 public:
  ~Impl() { sqlite3_close(db); }
  Status exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      return Status(sqlite_status_code(sqlite3_extended_errcode(db)), "accounts store: " + m);
    }
    return Status();
  }
  // Stores of older versions: acc_user.disabled is added when absent.
  Status migrate() {
    Stmt st(db, "SELECT 1 FROM pragma_table_info('acc_user') WHERE name = 'disabled'");
    if (!st.ok()) return st.error("accounts store: migrate");
    const int rc = st.step();
    if (rc == SQLITE_ROW) return Status();
    if (rc != SQLITE_DONE) return st.error("accounts store: migrate");
    return exec("ALTER TABLE acc_user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0");
  }
  // Runs `body` in one write transaction (BEGIN IMMEDIATE waits for the write lock up to the busy timeout),
  // committed when it returns ok, rolled back otherwise. The caller holds `mu`.
  template <typename Body>
  Status in_write(Body&& body) {
    ECOMON_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (s.ok()) s = exec("COMMIT");
    if (!s.ok()) (void)exec("ROLLBACK");
    return s;
  }
  // Deletes the rows of `login` in a table (acc_session, acc_token): signs the user out everywhere.
  Status delete_all(const char* sql, const std::string& login, const char* what) {
    Stmt del(db, sql);
    if (!del.ok()) return del.error(what);
    del.bind(1, login);
    if (del.step() != SQLITE_DONE) return del.error(what);
    return Status();
  }
  Status end_sessions_and_tokens(const std::string& login) {
    ECOMON_RETURN_IF_ERROR(delete_all("DELETE FROM acc_session WHERE login = ?", login, "end sessions"));
    return delete_all("DELETE FROM acc_token WHERE login = ?", login, "revoke tokens");
  }
  StatusOr<std::string> hash_password(const std::string& password) const {
    ECOMON_RETURN_IF_ERROR(validate_password_text(password));
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), limits.ops, limits.mem) != 0) {
      return internal_error("password hashing ran out of memory");
    }
    return std::string(out);
  }
  // A hash of a random password with the same limits, verified in place of a user's hash when the login is
  // unknown, so that an unknown login costs as long as a known one (made once, on first need).
  const std::string& dummy_hash() {
    std::call_once(dummy_once, [this] {
      auto h = hash_password(random_secret());
      dummy = h.ok() ? *h : std::string();
    });
    return dummy;
  }
  StatusOr<std::optional<UserInfo>> find_user(const std::string& login, std::string* hash) {
    Stmt st(db, select_user(", u.password_hash FROM acc_user u WHERE u.login = ?").c_str());
    if (!st.ok()) return st.error("find user");
    st.bind(1, login);
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<UserInfo>();
    if (rc != SQLITE_ROW) return st.error("find user");
    if (hash) *hash = st.text(6);
    return std::optional<UserInfo>(user_of(st));
  }

  sqlite3* db = nullptr;
  PasswordLimits limits;
  std::mutex mu;
  std::once_flag dummy_once;
  std::string dummy;
  std::atomic<int64_t> verifications{0};
};

AccountStore::AccountStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AccountStore::~AccountStore() = default;

StatusOr<std::unique_ptr<AccountStore>> AccountStore::open(const std::string& path, PasswordLimits limits) {
  if (sodium_init() < 0) return internal_error("libsodium could not be initialised");
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    return internal_error("cannot open store '" + path +
                          "': " + (impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, store_busy_timeout_ms());
  ECOMON_RETURN_IF_ERROR(
      impl->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  ECOMON_RETURN_IF_ERROR(impl->exec(kSchema));
  ECOMON_RETURN_IF_ERROR(impl->migrate());
  return std::unique_ptr<AccountStore>(new AccountStore(std::move(impl)));
}

Status AccountStore::add_user(const UserInfo& u, const std::string& password) {
  ECOMON_RETURN_IF_ERROR(validate_user(u));
  auto hash = impl_->hash_password(password);
  if (!hash.ok()) return hash.status();
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db,
          "INSERT INTO acc_user(login, role, county, enterprise, password_hash, created_at, disabled) "
          "VALUES (?,?,?,?,?,?,?) ON CONFLICT(login) DO NOTHING");
  if (!st.ok()) return st.error("add user");
  st.bind(1, u.login).bind(2, std::string(role_name(u.role))).bind(3, u.county).bind(4, u.enterprise);
  st.bind(5, *hash).bind(6, u.created_at ? u.created_at : now_seconds()).bind(7, int64_t{u.disabled});
  if (st.step() != SQLITE_DONE) return st.error("add user");
  if (sqlite3_changes(impl_->db) == 0)
    return {StatusCode::kAlreadyExists, "user '" + u.login + "' already exists"};
  return Status();
}

Status AccountStore::set_password(const std::string& login, const std::string& password) {
  auto hash = impl_->hash_password(password);
  if (!hash.ok()) return hash.status();
  std::lock_guard lock(impl_->mu);
  return impl_->in_write([&]() -> Status {
    Stmt st(impl_->db, "UPDATE acc_user SET password_hash = ? WHERE login = ?");
    if (!st.ok()) return st.error("set password");
    st.bind(1, *hash).bind(2, login);
    if (st.step() != SQLITE_DONE) return st.error("set password");
    if (sqlite3_changes(impl_->db) == 0) return not_found("no user '" + login + "'");
    // A new password ends the user's sessions and revokes its tokens: whoever knew the old one is out.
    return impl_->end_sessions_and_tokens(login);
  });
}

Status AccountStore::set_disabled(const std::string& login, bool disabled) {
  std::lock_guard lock(impl_->mu);
  return impl_->in_write([&]() -> Status {
    Stmt st(impl_->db, "UPDATE acc_user SET disabled = ? WHERE login = ?");
    if (!st.ok()) return st.error("disable user");
    st.bind(1, int64_t{disabled}).bind(2, login);
    if (st.step() != SQLITE_DONE) return st.error("disable user");
    if (sqlite3_changes(impl_->db) == 0) return not_found("no user '" + login + "'");
    // Disabling ends the user's sessions and revokes its tokens at once; enabling brings none of them back.
    return disabled ? impl_->end_sessions_and_tokens(login) : Status();
  });
}

StatusOr<std::vector<UserInfo>> AccountStore::users() {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db, select_user("FROM acc_user u ORDER BY u.login").c_str());
  if (!st.ok()) return st.error("list users");
  std::vector<UserInfo> out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) out.push_back(user_of(st));
  if (rc != SQLITE_DONE) return st.error("list users");
  return out;
}

StatusOr<std::optional<UserInfo>> AccountStore::find_user(const std::string& login) {
  std::lock_guard lock(impl_->mu);
  return impl_->find_user(login, nullptr);
}

StatusOr<Actor> AccountStore::check_password(const std::string& login, const std::string& password) {
  std::string hash;
  std::optional<UserInfo> user;
  {
    std::lock_guard lock(impl_->mu);
    auto u = impl_->find_user(login, &hash);
    if (!u.ok()) return u.status();
    user = *u;
  }
  // Verified outside the lock: Argon2 is slow on purpose and must not hold up other requests. An unknown
  // login is verified against the dummy hash (same limits), so that it costs the same time as a known one
  // and the answer's delay does not tell which logins exist. The dummy is made by the first check, whichever
  // login it is for, so that the first check's extra cost tells nothing either.
  const std::string& dummy = impl_->dummy_hash();
  const std::string& against = user ? hash : dummy;
  ++impl_->verifications;
  const bool right = password.size() <= kMaxPasswordLength &&
                     crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
  if (!user || !right) return permission_denied("wrong login or password");
  // Told only to whoever knows the password.
  if (user->disabled) return permission_denied("account '" + login + "' is disabled");
  return user->actor();
}

int64_t AccountStore::password_verifications() const { return impl_->verifications.load(); }

StatusOr<NewSession> AccountStore::create_session(const Actor& actor, int64_t now_s, int64_t lifetime_s) {
  NewSession s{random_secret(), random_secret(), now_s + lifetime_s};
  std::lock_guard lock(impl_->mu);
  Status done = impl_->in_write([&]() -> Status {
    Stmt del(impl_->db, "DELETE FROM acc_session WHERE expires_at <= ?");
    if (!del.ok()) return del.error("drop expired sessions");
    del.bind(1, now_s);
    if (del.step() != SQLITE_DONE) return del.error("drop expired sessions");
    // Only for a user that exists and is not disabled (it may have been disabled since its password was
    // checked).
    Stmt st(impl_->db,
            "INSERT INTO acc_session(id_hash, login, csrf, expires_at) SELECT ?, login, ?, ? FROM acc_user "
            "WHERE login = ? AND disabled = 0");
    if (!st.ok()) return st.error("create session");
    st.bind(1, secret_hash(s.id)).bind(2, s.csrf).bind(3, s.expires_at).bind(4, actor.user);
    if (st.step() != SQLITE_DONE) return st.error("create session");
    if (sqlite3_changes(impl_->db) == 0)
      return permission_denied("account '" + actor.user + "' is disabled or gone");
    return Status();
  });
  if (!done.ok()) return done;
  return s;
}

StatusOr<std::optional<SessionInfo>> AccountStore::find_session(const std::string& id, int64_t now_s) {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db, select_user(", s.csrf, s.expires_at FROM acc_session s JOIN acc_user u ON u.login = "
                                 "s.login WHERE s.id_hash = ? AND u.disabled = 0")
                         .c_str());
  if (!st.ok()) return st.error("find session");
  st.bind(1, secret_hash(id));
  int rc = st.step();
  if (rc == SQLITE_DONE) return std::optional<SessionInfo>();
  if (rc != SQLITE_ROW) return st.error("find session");
  SessionInfo s{user_of(st).actor(), st.text(6), st.integer(7)};
  if (s.expires_at <= now_s) return std::optional<SessionInfo>();
  return std::optional<SessionInfo>(std::move(s));
}

Status AccountStore::end_session(const std::string& id) {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db, "DELETE FROM acc_session WHERE id_hash = ?");
  if (!st.ok()) return st.error("end session");
  st.bind(1, secret_hash(id));
  if (st.step() != SQLITE_DONE) return st.error("end session");
  return Status();
}

StatusOr<std::string> AccountStore::create_token(const std::string& login, const std::string& name,
                                                 int64_t now_s) {
  constexpr size_t kMaxTokenName = 128;
  if (name.empty() || name.size() > kMaxTokenName) return invalid_argument("token name: 1..128 characters");
  if (auto bad = first_invalid_utf8(name))
    return invalid_argument("token name: " + describe_invalid_utf8(name, *bad));
  std::lock_guard lock(impl_->mu);
  std::string token = std::string(kTokenPrefix) + random_secret();
  Status done = impl_->in_write([&]() -> Status {
    auto u = impl_->find_user(login, nullptr);
    if (!u.ok()) return u.status();
    if (!*u) return not_found("no user '" + login + "'");
    if ((*u)->disabled) return failed_precondition("user '" + login + "' is disabled");
    Stmt st(impl_->db, "INSERT INTO acc_token(token_hash, login, name, created_at) VALUES (?,?,?,?)");
    if (!st.ok()) return st.error("create token");
    st.bind(1, secret_hash(token)).bind(2, login).bind(3, name).bind(4, now_s);
    if (st.step() != SQLITE_DONE) return st.error("create token");
    return Status();
  });
  if (!done.ok()) return done;
  return token;
}

StatusOr<std::optional<Actor>> AccountStore::find_token(const std::string& token) {
  if (token.rfind(kTokenPrefix, 0) != 0) return std::optional<Actor>();
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db,
          select_user("FROM acc_token t JOIN acc_user u ON u.login = t.login WHERE t.token_hash = ? "
                      "AND u.disabled = 0")
              .c_str());
  if (!st.ok()) return st.error("find token");
  st.bind(1, secret_hash(token));
  int rc = st.step();
  if (rc == SQLITE_DONE) return std::optional<Actor>();
  if (rc != SQLITE_ROW) return st.error("find token");
  return std::optional<Actor>(user_of(st).actor());
}

StatusOr<std::vector<TokenInfo>> AccountStore::tokens(const std::string& login) {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db,
          "SELECT id, login, name, created_at FROM acc_token WHERE ?1 = '' OR login = ?1 ORDER BY id");
  if (!st.ok()) return st.error("list tokens");
  st.bind(1, login);
  std::vector<TokenInfo> out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW)
    out.push_back({st.integer(0), st.text(1), st.text(2), st.integer(3)});
  if (rc != SQLITE_DONE) return st.error("list tokens");
  return out;
}

Status AccountStore::revoke_token(int64_t id, const std::string& login) {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db, "DELETE FROM acc_token WHERE id = ?1 AND (?2 = '' OR login = ?2)");
  if (!st.ok()) return st.error("revoke token");
  st.bind(1, id).bind(2, login);
  if (st.step() != SQLITE_DONE) return st.error("revoke token");
  if (sqlite3_changes(impl_->db) == 0) {
    return not_found("no token " + std::to_string(id) + (login.empty() ? "" : " of user '" + login + "'"));
  }
  return Status();
}

Status AccountStore::audit(const AuditEntry& e) {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db,
          "INSERT INTO acc_audit(at_ms, user, role, action, target, outcome, detail, via) VALUES "
          "(?,?,?,?,?,?,?,?)");
  if (!st.ok()) return st.error("audit");
  st.bind(1, e.at_ms ? e.at_ms : now_millis()).bind(2, e.user).bind(3, e.role).bind(4, e.action);
  st.bind(5, e.target).bind(6, e.outcome).bind(7, e.detail).bind(8, e.via);
  if (st.step() != SQLITE_DONE) return st.error("audit");
  return Status();
}

StatusOr<std::vector<AuditEntry>> AccountStore::audit_log(int64_t limit, int64_t offset) {
  std::lock_guard lock(impl_->mu);
  Stmt st(
      impl_->db,
      "SELECT id, at_ms, user, role, action, target, outcome, detail, via FROM acc_audit ORDER BY id DESC "
      "LIMIT ? OFFSET ?");
  if (!st.ok()) return st.error("audit log");
  st.bind(1, limit).bind(2, offset);
  std::vector<AuditEntry> out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    out.push_back({st.integer(0), st.integer(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6),
                   st.text(7), st.text(8)});
  }
  if (rc != SQLITE_DONE) return st.error("audit log");
  return out;
}

StatusOr<int64_t> AccountStore::audit_count() {
  std::lock_guard lock(impl_->mu);
  Stmt st(impl_->db, "SELECT count(*) FROM acc_audit");
  if (!st.ok() || st.step() != SQLITE_ROW) return st.error("audit count");
  return st.integer(0);
}

}  // namespace ecomon
