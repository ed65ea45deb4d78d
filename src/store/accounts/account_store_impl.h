// The accounts store (store/api/accounts.h) once for both SQL backends (store/sql_backend.h): SQLite's
// (sqlite_account_store) and PostgreSQL's (store/postgres) are this template. Tables acc_user, acc_session,
// acc_token, acc_audit (migration 1 of each backend).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/api/accounts.h"
#include "store/sql_backend.h"

namespace ecomon {
namespace account_store_impl {

// "SELECT <a user's columns, in the order user_of() reads them> " + rest, with the user table as `u`.
inline std::string select_user(std::string_view rest) {
  return "SELECT u.login, u.role, u.county, u.enterprise, u.created_at, u.disabled " + std::string(rest);
}

inline UserInfo user_of(const auto& st) {
  UserInfo u;
  u.login = st.str(0);
  u.role = parse_role(st.text(1)).value_or(Role::kPublic);
  u.county = st.str(2);
  u.enterprise = st.str(3);
  u.created_at = st.int64(4);
  u.disabled = st.int64(5) != 0;
  return u;
}

}  // namespace account_store_impl

template <class Sql>
class SqlAccountStore : public AccountStore {
 public:
  explicit SqlAccountStore(typename Sql::Db& db) : db_(db) {}

  Status add_user(const UserInfo& u, const std::string& password_hash) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(
        "INSERT INTO acc_user(login, role, county, enterprise, password_hash, created_at, disabled) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(login) DO NOTHING");
    st.bind(1, u.login).bind(2, role_name(u.role)).bind(3, u.county).bind(4, u.enterprise);
    st.bind(5, password_hash)
        .bind(6, u.created_at ? u.created_at : now_seconds())
        .bind(7, int64_t{u.disabled});
    ECOMON_RETURN_IF_ERROR(st.run());
    if (db_.changes() == 0) return {StatusCode::kAlreadyExists, "user '" + u.login + "' already exists"};
    return Status();
  }

  Status set_password_hash(const std::string& login, const std::string& password_hash) override {
    std::lock_guard lock(mu_);
    return in_write([&]() -> Status {
      auto& st = db_.cached("UPDATE acc_user SET password_hash = ?1 WHERE login = ?2");
      ECOMON_RETURN_IF_ERROR(st.bind(1, password_hash).bind(2, login).run());
      if (db_.changes() == 0) return not_found("no user '" + login + "'");
      // A new password ends the user's sessions and revokes its tokens: whoever knew the old one is out.
      return end_sessions_and_tokens(login);
    });
  }

  Status set_disabled(const std::string& login, bool disabled) override {
    std::lock_guard lock(mu_);
    return in_write([&]() -> Status {
      auto& st = db_.cached("UPDATE acc_user SET disabled = ?1 WHERE login = ?2");
      ECOMON_RETURN_IF_ERROR(st.bind(1, int64_t{disabled}).bind(2, login).run());
      if (db_.changes() == 0) return not_found("no user '" + login + "'");
      // Disabling ends the user's sessions and revokes its tokens at once; enabling brings none of them back.
      return disabled ? end_sessions_and_tokens(login) : Status();
    });
  }

  StatusOr<std::vector<UserInfo>> users() override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(account_store_impl::select_user("FROM acc_user u ORDER BY u.login"));
    std::vector<UserInfo> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back(account_store_impl::user_of(st));
    }
    return out;
  }

  StatusOr<std::optional<StoredUser>> find_user(const std::string& login) override {
    std::lock_guard lock(mu_);
    return find_user_locked(login);
  }

  Status add_session(const std::string& id_hash, const std::string& login, const std::string& csrf,
                     int64_t expires_at, int64_t now_s) override {
    std::lock_guard lock(mu_);
    return in_write([&]() -> Status {
      ECOMON_RETURN_IF_ERROR(
          db_.cached("DELETE FROM acc_session WHERE expires_at <= ?1").bind(1, now_s).run());
      // Only for a user that exists and is not disabled (it may have been disabled since its password was
      // checked).
      auto& st = db_.cached(
          "INSERT INTO acc_session(id_hash, login, csrf, expires_at) SELECT ?1, login, ?2, ?3 FROM acc_user "
          "WHERE login = ?4 AND disabled = 0");
      ECOMON_RETURN_IF_ERROR(st.bind(1, id_hash).bind(2, csrf).bind(3, expires_at).bind(4, login).run());
      if (db_.changes() == 0) return permission_denied("account '" + login + "' is disabled or gone");
      return Status();
    });
  }

  StatusOr<std::optional<SessionInfo>> find_session(const std::string& id_hash) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(account_store_impl::select_user(
        ", s.csrf, s.expires_at FROM acc_session s JOIN acc_user u ON u.login = s.login "
        "WHERE s.id_hash = ?1 AND u.disabled = 0"));
    auto row = st.bind(1, id_hash).step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<SessionInfo>();
    SessionInfo s{account_store_impl::user_of(st).actor(), st.str(6), st.int64(7)};
    st.reset();
    return std::optional<SessionInfo>(std::move(s));
  }

  Status end_session(const std::string& id_hash) override {
    std::lock_guard lock(mu_);
    return db_.cached("DELETE FROM acc_session WHERE id_hash = ?1").bind(1, id_hash).run();
  }

  Status add_token(const std::string& token_hash, const std::string& login, const std::string& name,
                   int64_t now_s) override {
    std::lock_guard lock(mu_);
    return in_write([&]() -> Status {
      auto u = find_user_locked(login);
      if (!u.ok()) return u.status();
      if (!*u) return not_found("no user '" + login + "'");
      if ((*u)->info.disabled) return failed_precondition("user '" + login + "' is disabled");
      auto& st =
          db_.cached("INSERT INTO acc_token(token_hash, login, name, created_at) VALUES (?1,?2,?3,?4)");
      return st.bind(1, token_hash).bind(2, login).bind(3, name).bind(4, now_s).run();
    });
  }

  StatusOr<std::optional<Actor>> find_token(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(account_store_impl::select_user(
        "FROM acc_token t JOIN acc_user u ON u.login = t.login WHERE t.token_hash = ?1 AND u.disabled = 0"));
    auto row = st.bind(1, token_hash).step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Actor>();
    Actor a = account_store_impl::user_of(st).actor();
    st.reset();
    return std::optional<Actor>(std::move(a));
  }

  StatusOr<std::vector<TokenInfo>> tokens(const std::string& login) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(
        "SELECT id, login, name, created_at FROM acc_token WHERE ?1 = '' OR login = ?1 ORDER BY id");
    st.bind(1, login);
    std::vector<TokenInfo> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back({st.int64(0), st.str(1), st.str(2), st.int64(3)});
    }
    return out;
  }

  Status revoke_token(int64_t id, const std::string& login) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached("DELETE FROM acc_token WHERE id = ?1 AND (?2 = '' OR login = ?2)");
    ECOMON_RETURN_IF_ERROR(st.bind(1, id).bind(2, login).run());
    if (db_.changes() == 0) {
      return not_found("no token " + std::to_string(id) + (login.empty() ? "" : " of user '" + login + "'"));
    }
    return Status();
  }

  Status audit(const AuditEntry& e) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(
        "INSERT INTO acc_audit(at_ms, user, role, action, target, outcome, detail, via) VALUES "
        "(?1,?2,?3,?4,?5,?6,?7,?8)");
    st.bind(1, e.at_ms ? e.at_ms : now_millis()).bind(2, e.user).bind(3, e.role).bind(4, e.action);
    st.bind(5, e.target).bind(6, e.outcome).bind(7, e.detail).bind(8, e.via);
    return st.run();
  }

  StatusOr<std::vector<AuditEntry>> audit_log(int64_t limit, int64_t offset) override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached(
        "SELECT id, at_ms, user, role, action, target, outcome, detail, via FROM acc_audit ORDER BY id DESC "
        "LIMIT ?1 OFFSET ?2");
    st.bind(1, limit).bind(2, offset);
    std::vector<AuditEntry> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back({st.int64(0), st.int64(1), st.str(2), st.str(3), st.str(4), st.str(5), st.str(6),
                     st.str(7), st.str(8)});
    }
    return out;
  }

  StatusOr<int64_t> audit_count() override {
    std::lock_guard lock(mu_);
    auto& st = db_.cached("SELECT count(*) FROM acc_audit");
    auto row = st.step();
    if (!row.ok()) return row.status();
    const int64_t n = *row ? st.int64(0) : 0;
    st.reset();
    return n;
  }

 private:
  // Runs `body` in one write transaction, committed when it returns ok. The caller holds mu_.
  template <typename Body>
  Status in_write(Body&& body) {
    auto tx = Sql::begin(db_, SqlConcern::kAccounts);
    if (!tx.ok()) return tx.status();
    ECOMON_RETURN_IF_ERROR(body());
    return tx->commit();
  }
  // Signs the user out everywhere: its sessions and API tokens are deleted. The caller holds mu_.
  Status end_sessions_and_tokens(const std::string& login) {
    ECOMON_RETURN_IF_ERROR(db_.cached("DELETE FROM acc_session WHERE login = ?1").bind(1, login).run());
    return db_.cached("DELETE FROM acc_token WHERE login = ?1").bind(1, login).run();
  }
  StatusOr<std::optional<StoredUser>> find_user_locked(const std::string& login) {
    auto& st =
        db_.cached(account_store_impl::select_user(", u.password_hash FROM acc_user u WHERE u.login = ?1"));
    auto row = st.bind(1, login).step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<StoredUser>();
    StoredUser u{account_store_impl::user_of(st), st.str(6)};
    st.reset();
    return std::optional<StoredUser>(std::move(u));
  }

  typename Sql::Db& db_;
  std::mutex mu_;  // one connection, used by one thread at a time
};

}  // namespace ecomon
