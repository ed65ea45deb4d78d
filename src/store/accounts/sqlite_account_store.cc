#include "store/accounts/sqlite_account_store.h"

#include "store/accounts/account_store_impl.h"

namespace ecomon {
namespace {

// The accounts on a connection of their own (AccountStore::open).
class OwningAccountStore final : public AccountStore {
 public:
  explicit OwningAccountStore(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)), s_(*db_) {}
  Status add_user(const UserInfo& u, const std::string& h) override { return s_.add_user(u, h); }
  Status set_password_hash(const std::string& l, const std::string& h) override {
    return s_.set_password_hash(l, h);
  }
  Status set_disabled(const std::string& l, bool d) override { return s_.set_disabled(l, d); }
  StatusOr<std::vector<UserInfo>> users() override { return s_.users(); }
  StatusOr<std::optional<StoredUser>> find_user(const std::string& l) override { return s_.find_user(l); }
  Status add_session(const std::string& id, const std::string& l, const std::string& c, int64_t e,
                     int64_t now) override {
    return s_.add_session(id, l, c, e, now);
  }
  StatusOr<std::optional<SessionInfo>> find_session(const std::string& id) override {
    return s_.find_session(id);
  }
  Status end_session(const std::string& id) override { return s_.end_session(id); }
  Status add_token(const std::string& t, const std::string& l, const std::string& n, int64_t now) override {
    return s_.add_token(t, l, n, now);
  }
  StatusOr<std::optional<Actor>> find_token(const std::string& t) override { return s_.find_token(t); }
  StatusOr<std::vector<TokenInfo>> tokens(const std::string& l) override { return s_.tokens(l); }
  Status revoke_token(int64_t id, const std::string& l) override { return s_.revoke_token(id, l); }
  Status audit(const AuditEntry& e) override { return s_.audit(e); }
  StatusOr<std::vector<AuditEntry>> audit_log(int64_t limit, int64_t offset) override {
    return s_.audit_log(limit, offset);
  }
  StatusOr<int64_t> audit_count() override { return s_.audit_count(); }

 private:
  std::unique_ptr<sqlite::Db> db_;
  SqlAccountStore<SqliteSql> s_;
};

}  // namespace

std::unique_ptr<AccountStore> sqlite_account_store(sqlite::Db& db) {
  return std::make_unique<SqlAccountStore<SqliteSql>>(db);
}

StatusOr<std::unique_ptr<AccountStore>> AccountStore::open(const std::string& path) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<AccountStore>(new OwningAccountStore(std::move(*db)));
}

}  // namespace ecomon
