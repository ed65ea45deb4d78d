// The accounts' use cases (app/accounts.h) on the SQLite backend's accounts store (open_sqlite_stores) of a
// temp file.
#include "app/accounts.h"

#include <gtest/gtest.h>

#include "store/sqlite_stores.h"
#include "store/test_sqlite_file.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

const Actor kOperator = Actor::operator_cli();

// The store file's accounts and their use cases, as the console operator runs them.
struct Opened {
  std::unique_ptr<Stores> stores;
  AccountStore* store = nullptr;  // stores->accounts()
  std::unique_ptr<app::Accounts> acc;
};
StatusOr<Opened> open_accounts(const std::string& path) {
  auto stores = open_sqlite_stores(path);
  if (!stores.ok()) return stores.status();
  Opened o{std::move(*stores), nullptr, nullptr};
  o.store = &o.stores->accounts();
  o.acc = std::make_unique<app::Accounts>(*o.store, PasswordLimits::minimum());
  return o;
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_accounts((dir_.path() / "acc.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    opened_ = std::move(*s);
    acc_ = opened_.acc.get();
  }
  testing::TempDir dir_{"accounts"};
  Opened opened_;
  app::Accounts* acc_ = nullptr;
};

TEST_F(AccountsTest, UserValidation) {
  EXPECT_TRUE(validate_user({.login = "zhang", .role = Role::kCounty, .county = "泽州县"}).ok());
  EXPECT_FALSE(validate_user({.login = "zhang", .role = Role::kCounty}).ok());   // county missing
  EXPECT_FALSE(validate_user({.login = "li", .role = Role::kEnterprise}).ok());  // enterprise missing
  EXPECT_FALSE(
      validate_user({.login = "li", .role = Role::kAnalyst, .county = "x"}).ok());  // county not allowed
  EXPECT_FALSE(validate_user({.login = "a b", .role = Role::kAdmin}).ok());         // space in login
  EXPECT_FALSE(validate_user({.login = "x' OR '1'='1", .role = Role::kAdmin}).ok());
  EXPECT_FALSE(validate_user({.login = std::string(kMaxLoginLength + 1, 'a'), .role = Role::kAdmin}).ok());
  EXPECT_FALSE(validate_password_text("1234567").ok());  // 7 < 8
  EXPECT_TRUE(validate_password_text("12345678").ok());
}

TEST_F(AccountsTest, PasswordIsHashedAndChecked) {
  ASSERT_TRUE(
      acc_->add_user(kOperator, {.login = "zhang", .role = Role::kCounty, .county = "泽州县"}, "secret-pass")
          .ok());
  auto again = acc_->add_user(kOperator, {.login = "zhang", .role = Role::kAdmin}, "other-pass");
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  auto who = acc_->sign_in("zhang", "secret-pass");
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_EQ(who->user, "zhang");
  EXPECT_EQ(who->role, Role::kCounty);
  EXPECT_EQ(who->county, "泽州县");
  EXPECT_EQ(acc_->sign_in("zhang", "wrong-pass").status().code(), StatusCode::kPermissionDenied);
  // An unknown login gets the very same answer as a wrong password.
  auto unknown = acc_->sign_in("nobody", "secret-pass");
  EXPECT_EQ(unknown.status().message(), acc_->sign_in("zhang", "x").status().message());
  ASSERT_TRUE(acc_->set_password(kOperator, "zhang", "new-secret").ok());
  EXPECT_FALSE(acc_->sign_in("zhang", "secret-pass").ok());
  EXPECT_TRUE(acc_->sign_in("zhang", "new-secret").ok());
  EXPECT_EQ(acc_->set_password(kOperator, "nobody", "new-secret").code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, SessionsExpireAndEnd) {
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
  Actor a{"ana", Role::kAnalyst, "", ""};
  auto s = acc_->create_session(a, 1000, 60);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->id.size(), 64u);
  EXPECT_EQ(s->csrf.size(), 64u);
  EXPECT_NE(s->id, s->csrf);
  EXPECT_EQ(s->expires_at, 1060);
  auto found = acc_->find_session(s->id, 1059);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->actor.user, "ana");
  EXPECT_EQ((*found)->csrf, s->csrf);
  EXPECT_FALSE(*acc_->find_session(s->id, 1060));  // expires_at is the first second it is dead
  EXPECT_FALSE(*acc_->find_session("not-a-session", 1000));
  auto s2 = acc_->create_session(a, 2000, 60);
  ASSERT_TRUE(s2.ok());
  EXPECT_NE(s2->id, s->id);
  ASSERT_TRUE(acc_->end_session(s2->id).ok());
  EXPECT_FALSE(*acc_->find_session(s2->id, 2001));
  // A password change ends every session of the user.
  auto s3 = acc_->create_session(a, 3000, 60);
  ASSERT_TRUE(acc_->set_password(kOperator, "ana", "another-pass").ok());
  EXPECT_FALSE(*acc_->find_session(s3->id, 3001));
}

TEST_F(AccountsTest, TokensAreStoredHashed) {
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "e1", .role = Role::kEnterprise, .enterprise = "E01"},
                             "enterprise-pw")
                  .ok());
  auto t = acc_->create_token(kOperator, "e1", "uploader", 5);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 4u + 64u);
  EXPECT_EQ(t->substr(0, 4), "ecm_");
  auto who = acc_->find_token(*t);
  ASSERT_TRUE(who.ok() && *who);
  EXPECT_EQ((*who)->enterprise, "E01");
  EXPECT_FALSE(*acc_->find_token("ecm_" + std::string(64, '0')));
  EXPECT_FALSE(*acc_->find_token("bearer-without-prefix"));
  EXPECT_EQ(acc_->create_token(kOperator, "nobody", "x", 5).status().code(), StatusCode::kNotFound);
  auto list = acc_->tokens(kOperator, "e1");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "uploader");
}

TEST_F(AccountsTest, AuditLogNewestFirst) {
  ASSERT_TRUE(acc_->audit({.at_ms = 1,
                           .user = "cli",
                           .role = "admin",
                           .action = "users.add",
                           .target = "a",
                           .outcome = "ok",
                           .via = "cli"})
                  .ok());
  ASSERT_TRUE(acc_->audit({.at_ms = 2,
                           .user = "bob",
                           .role = "county",
                           .action = "users.add",
                           .target = "b",
                           .outcome = "denied",
                           .detail = "admin only",
                           .via = "http 127.0.0.1"})
                  .ok());
  auto log = acc_->audit_log(kOperator, 10, 0);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].user, "bob");
  EXPECT_EQ((*log)[0].outcome, "denied");
  EXPECT_EQ((*log)[1].at_ms, 1);
  EXPECT_EQ(acc_->audit_log(kOperator, 1, 1)->at(0).user, "cli");
  EXPECT_EQ(*opened_.store->audit_count(), 2);
}

// A password change revokes the user's API tokens too (whoever knew the old password may have made one).
TEST_F(AccountsTest, PasswordChangeRevokesTokens) {
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "bob", .role = Role::kAnalyst}, "analyst-pass").ok());
  auto t = acc_->create_token(kOperator, "ana", "script", 5);
  auto other = acc_->create_token(kOperator, "bob", "script", 5);
  ASSERT_TRUE(t.ok() && other.ok());
  ASSERT_TRUE(*acc_->find_token(*t));
  ASSERT_TRUE(acc_->set_password(kOperator, "ana", "another-pass").ok());
  EXPECT_FALSE(*acc_->find_token(*t));
  EXPECT_TRUE(acc_->tokens(kOperator, "ana")->empty());
  EXPECT_TRUE(*acc_->find_token(*other));  // bob's stays
}

// Disabling ends the sessions and tokens at once and refuses sign-in (also with the right password); enabling
// lets the user sign in again but brings no old token back.
TEST_F(AccountsTest, DisabledUserIsOutAtOnce) {
  ASSERT_TRUE(
      acc_->add_user(kOperator, {.login = "cq", .role = Role::kCounty, .county = "城区"}, "county-pass")
          .ok());
  Actor a{"cq", Role::kCounty, "城区", ""};
  auto s = acc_->create_session(a, 1000, 60);
  auto t = acc_->create_token(kOperator, "cq", "script", 1000);
  ASSERT_TRUE(s.ok() && t.ok());
  ASSERT_TRUE(acc_->set_disabled(kOperator, "cq", true).ok());
  EXPECT_FALSE(*acc_->find_session(s->id, 1001));
  EXPECT_FALSE(*acc_->find_token(*t));
  EXPECT_TRUE(acc_->find_user("cq")->value().disabled);
  auto refused = acc_->sign_in("cq", "county-pass");
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "account 'cq' is disabled");
  // A wrong password gets the usual answer: being disabled is told only to whoever knows the password.
  EXPECT_EQ(acc_->sign_in("cq", "wrong-pass").status().message(), "wrong login or password");
  // A session made from an Actor checked before the disable is refused too.
  EXPECT_EQ(acc_->create_session(a, 1002, 60).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(acc_->create_token(kOperator, "cq", "again", 1002).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(acc_->set_disabled(kOperator, "nobody", true).code(), StatusCode::kNotFound);

  ASSERT_TRUE(acc_->set_disabled(kOperator, "cq", false).ok());
  EXPECT_FALSE(acc_->find_user("cq")->value().disabled);
  EXPECT_TRUE(acc_->sign_in("cq", "county-pass").ok());
  EXPECT_FALSE(*acc_->find_token(*t));
  auto s2 = acc_->create_session(a, 2000, 60);
  ASSERT_TRUE(s2.ok());
  EXPECT_TRUE(*acc_->find_session(s2->id, 2001));
}

// Tokens are listed with their ids; revoking one (of the named user only) stops it at once, and only it.
TEST_F(AccountsTest, TokensAreRevokedById) {
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "bob", .role = Role::kAnalyst}, "analyst-pass").ok());
  auto t1 = acc_->create_token(kOperator, "ana", "one", 5);
  auto t2 = acc_->create_token(kOperator, "ana", "two", 6);
  auto t3 = acc_->create_token(kOperator, "bob", "three", 7);
  ASSERT_TRUE(t1.ok() && t2.ok() && t3.ok());
  auto all = acc_->tokens(kOperator, "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].login, "bob");
  const int64_t id2 = (*acc_->tokens(kOperator, "ana"))[1].id, id3 = (*all)[2].id;
  // Token 3 is bob's: not revoked as one of ana's.
  EXPECT_EQ(acc_->revoke_token(kOperator, id3, "ana").code(), StatusCode::kNotFound);
  EXPECT_TRUE(*acc_->find_token(*t3));
  ASSERT_TRUE(acc_->revoke_token(kOperator, id2, "ana").ok());
  EXPECT_FALSE(*acc_->find_token(*t2));
  EXPECT_TRUE(*acc_->find_token(*t1));
  EXPECT_EQ(acc_->revoke_token(kOperator, id2, "ana").code(), StatusCode::kNotFound);  // already gone
  ASSERT_TRUE(acc_->revoke_token(kOperator, id3, "").ok());  // any user's, as the operator
  EXPECT_FALSE(*acc_->find_token(*t3));
  EXPECT_EQ(acc_->tokens(kOperator, "")->size(), 1u);
}

// An unknown login runs the password verifier just like a known one (against a dummy hash of the same cost),
// so its answer takes as long and does not tell which logins exist.
TEST_F(AccountsTest, UnknownLoginRunsTheVerifier) {
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
  const int64_t before = acc_->password_verifications();
  EXPECT_FALSE(acc_->sign_in("ana", "wrong-pass").ok());
  EXPECT_EQ(acc_->password_verifications(), before + 1);
  EXPECT_FALSE(acc_->sign_in("nobody", "analyst-pass").ok());
  EXPECT_EQ(acc_->password_verifications(), before + 2);
  EXPECT_FALSE(acc_->sign_in("nobody-else", "analyst-pass").ok());
  EXPECT_EQ(acc_->password_verifications(), before + 3);
}

// Administration is an admin's: anyone else is refused before anything is written; tokens are also the
// user's own to manage.
TEST_F(AccountsTest, AdministrationIsCheckedAgainstTheCaller) {
  const Actor county{"cq", Role::kCounty, "城区", ""};
  EXPECT_EQ(acc_->add_user(county, {.login = "x", .role = Role::kAnalyst}, "analyst-pass").code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(acc_->users(kOperator)->empty());
  EXPECT_EQ(acc_->users(county).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(acc_->audit_log(county, 10, 0).status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(
      acc_->add_user(kOperator, {.login = "cq", .role = Role::kCounty, .county = "城区"}, "county-pass")
          .ok());
  ASSERT_TRUE(acc_->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
  EXPECT_TRUE(acc_->create_token(county, "cq", "own", 5).ok());
  EXPECT_EQ(acc_->create_token(county, "ana", "other", 5).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(acc_->tokens(county, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(acc_->tokens(county, "cq")->size(), 1u);
}

// A store written before `disabled` existed opens (the column is added) and its users, sessions and tokens
// keep working.
TEST(AccountsMigration, OldStoreGetsTheDisabledColumn) {
  testing::TempDir dir("accounts_migration");
  const std::string path = (dir.path() / "old.db").string();
  std::string hash, token;
  {
    auto fresh = open_accounts((dir.path() / "fresh.db").string());
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(
        fresh->acc->add_user(kOperator, {.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
    auto f = testing::SqliteFile::open((dir.path() / "fresh.db").string());
    ASSERT_TRUE(f.ok()) << f.status().message();
    auto h = (*f)->text("SELECT password_hash FROM acc_user");
    ASSERT_TRUE(h.ok()) << h.status().message();
    hash = *h;
    *fresh = Opened{};
  }
  auto old = testing::SqliteFile::open(path);  // a new file: no migration, the old table only
  ASSERT_TRUE(old.ok()) << old.status().message();
  const std::string old_schema =
      "CREATE TABLE acc_user (login TEXT PRIMARY KEY, role TEXT NOT NULL, county TEXT NOT NULL DEFAULT '', "
      "enterprise TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);"
      "INSERT INTO acc_user VALUES ('ana', 'analyst', '', '', '" +
      hash + "', 5);";
  ASSERT_TRUE((*old)->exec(old_schema).ok());
  old->reset();

  auto acc = open_accounts(path);
  ASSERT_TRUE(acc.ok()) << acc.status().message();
  auto ana = acc->acc->find_user("ana");
  ASSERT_TRUE(ana.ok() && *ana);
  EXPECT_FALSE((*ana)->disabled);
  EXPECT_EQ((*ana)->created_at, 5);
  EXPECT_TRUE(acc->acc->sign_in("ana", "analyst-pass").ok());
  ASSERT_TRUE(acc->acc->set_disabled(kOperator, "ana", true).ok());
  *acc = Opened{};
  // Opening again finds the column there and changes nothing.
  auto again = open_accounts(path);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->acc->find_user("ana")->value().disabled);
}

}  // namespace
}  // namespace ecomon
