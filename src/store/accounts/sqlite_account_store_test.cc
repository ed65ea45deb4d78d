// The SQLite accounts store against a temp file: rows by hash, the transactions that sign a user out.
#include "store/accounts/sqlite_account_store.h"

#include <gtest/gtest.h>

#include "store/test_store_backends.h"

#include "testing/temp_dir.h"

namespace ecomon {
namespace {

// On every backend (store/test_store_backends.h).
class SqliteAccountStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ECOMON_OPEN_TEST_STORES(ts_);
    store_ = &ts_->stores().accounts();
  }
  std::unique_ptr<TestStores> ts_;
  AccountStore* store_ = nullptr;
};

TEST_P(SqliteAccountStoreTest, UsersSessionsTokens) {
  ASSERT_TRUE(
      store_->add_user({.login = "cq", .role = Role::kCounty, .county = "城区", .created_at = 7}, "H1").ok());
  EXPECT_EQ(store_->add_user({.login = "cq", .role = Role::kAdmin}, "H2").code(), StatusCode::kAlreadyExists);
  auto u = store_->find_user("cq");
  ASSERT_TRUE(u.ok() && *u);
  EXPECT_EQ((*u)->password_hash, "H1");
  EXPECT_EQ((*u)->info.county, "城区");
  EXPECT_EQ((*u)->info.created_at, 7);
  EXPECT_FALSE(*store_->find_user("nobody"));

  ASSERT_TRUE(store_->add_session("S1", "cq", "C1", 100, 10).ok());
  EXPECT_EQ(store_->add_session("S2", "nobody", "C2", 100, 10).code(), StatusCode::kPermissionDenied);
  auto s = store_->find_session("S1");
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ((*s)->actor.user, "cq");
  EXPECT_EQ((*s)->csrf, "C1");
  EXPECT_EQ((*s)->expires_at, 100);
  // Sessions expired at `now` are dropped when the next one is added.
  ASSERT_TRUE(store_->add_session("S3", "cq", "C3", 300, 200).ok());
  EXPECT_FALSE(*store_->find_session("S1"));

  ASSERT_TRUE(store_->add_token("T1", "cq", "script", 5).ok());
  EXPECT_EQ(store_->add_token("T2", "nobody", "x", 5).code(), StatusCode::kNotFound);
  EXPECT_EQ((*store_->find_token("T1"))->county, "城区");
  ASSERT_EQ(store_->tokens("")->size(), 1u);

  // A new password hash signs the user out everywhere, in one transaction.
  ASSERT_TRUE(store_->set_password_hash("cq", "H3").ok());
  EXPECT_FALSE(*store_->find_session("S3"));
  EXPECT_FALSE(*store_->find_token("T1"));
  EXPECT_EQ((*store_->find_user("cq"))->password_hash, "H3");
  EXPECT_EQ(store_->set_password_hash("nobody", "H").code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->set_disabled("cq", true).ok());
  EXPECT_EQ(store_->add_token("T4", "cq", "x", 5).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->add_session("S4", "cq", "C4", 900, 800).code(), StatusCode::kPermissionDenied);
}

TEST_P(SqliteAccountStoreTest, AuditRowsNewestFirst) {
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(store_->audit({.at_ms = i, .user = "u" + std::to_string(i), .outcome = "ok"}).ok());
  auto log = store_->audit_log(2, 0);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].user, "u3");
  EXPECT_EQ(store_->audit_log(2, 2)->at(0).at_ms, 1);
  EXPECT_EQ(*store_->audit_count(), 3);
}

// AccountStore::open: the accounts on a connection of their own (the file migrated), for the verbs that only
// audit.
TEST(AccountStoreOpen, OwnConnection) {
  testing::TempDir dir("store_accounts_open");
  auto acc = AccountStore::open((dir.path() / "x.db").string());
  ASSERT_TRUE(acc.ok()) << acc.status().message();
  ASSERT_TRUE((*acc)->audit({.user = "cli", .action = "a"}).ok());
  EXPECT_GT((*acc)->audit_log(1, 0)->at(0).at_ms, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteAccountStoreTest, store_backends(), store_backend_name);

}  // namespace
}  // namespace ecomon
