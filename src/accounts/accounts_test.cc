#include "accounts/accounts.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace ecomon {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = AccountStore::open((dir_.path() / "acc.db").string(), PasswordLimits::minimum());
    ASSERT_TRUE(s.ok()) << s.status().message();
    acc_ = std::move(*s);
  }
  testing::TempDir dir_{"accounts"};
  std::unique_ptr<AccountStore> acc_;
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
      acc_->add_user({.login = "zhang", .role = Role::kCounty, .county = "泽州县"}, "secret-pass").ok());
  auto again = acc_->add_user({.login = "zhang", .role = Role::kAdmin}, "other-pass");
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  auto who = acc_->check_password("zhang", "secret-pass");
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_EQ(who->user, "zhang");
  EXPECT_EQ(who->role, Role::kCounty);
  EXPECT_EQ(who->county, "泽州县");
  EXPECT_EQ(acc_->check_password("zhang", "wrong-pass").status().code(), StatusCode::kPermissionDenied);
  // An unknown login gets the very same answer as a wrong password.
  auto unknown = acc_->check_password("nobody", "secret-pass");
  EXPECT_EQ(unknown.status().message(), acc_->check_password("zhang", "x").status().message());
  ASSERT_TRUE(acc_->set_password("zhang", "new-secret").ok());
  EXPECT_FALSE(acc_->check_password("zhang", "secret-pass").ok());
  EXPECT_TRUE(acc_->check_password("zhang", "new-secret").ok());
  EXPECT_EQ(acc_->set_password("nobody", "new-secret").code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, SessionsExpireAndEnd) {
  ASSERT_TRUE(acc_->add_user({.login = "ana", .role = Role::kAnalyst}, "analyst-pass").ok());
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
  ASSERT_TRUE(acc_->set_password("ana", "another-pass").ok());
  EXPECT_FALSE(*acc_->find_session(s3->id, 3001));
}

TEST_F(AccountsTest, TokensAreStoredHashed) {
  ASSERT_TRUE(
      acc_->add_user({.login = "e1", .role = Role::kEnterprise, .enterprise = "E01"}, "enterprise-pw").ok());
  auto t = acc_->create_token("e1", "uploader", 5);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 4u + 64u);
  EXPECT_EQ(t->substr(0, 4), "ecm_");
  auto who = acc_->find_token(*t);
  ASSERT_TRUE(who.ok() && *who);
  EXPECT_EQ((*who)->enterprise, "E01");
  EXPECT_FALSE(*acc_->find_token("ecm_" + std::string(64, '0')));
  EXPECT_FALSE(*acc_->find_token("bearer-without-prefix"));
  EXPECT_EQ(acc_->create_token("nobody", "x", 5).status().code(), StatusCode::kNotFound);
  auto list = acc_->tokens("e1");
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
  auto log = acc_->audit_log(10, 0);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].user, "bob");
  EXPECT_EQ((*log)[0].outcome, "denied");
  EXPECT_EQ((*log)[1].at_ms, 1);
  EXPECT_EQ(acc_->audit_log(1, 1)->at(0).user, "cli");
  EXPECT_EQ(*acc_->audit_count(), 2);
}

}  // namespace
}  // namespace ecomon
