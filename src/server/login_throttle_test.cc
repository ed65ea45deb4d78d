// The sign-in throttle with a clock of our own (seconds).
#include "server/login_throttle.h"

#include <gtest/gtest.h>

namespace ecomon::server {
namespace {

// Defaults: 5 failures of a login within 900 s lock it for 900 s from the fifth.
TEST(LoginThrottle, LocksALoginAfterFiveFailuresInTheWindow) {
  LoginThrottle th;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 100 + i), 0);
    th.failed("ana", "10.0.0.1", 100 + i);
  }
  EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 104), 0);
  th.failed("ana", "10.0.0.1", 104);                       // the fifth, at t = 104: locked until 1004
  EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 105), 899);  // 1004 - 105
  EXPECT_EQ(th.retry_after("ana", "10.0.0.2", 105), 899);  // the login, from anywhere
  EXPECT_EQ(th.retry_after("bob", "10.0.0.1", 105), 0);    // another login from the same peer
  EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 1003), 1);
  EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 1004), 0);  // lockout over, the count starts again
  th.failed("ana", "10.0.0.1", 1005);
  EXPECT_EQ(th.retry_after("ana", "10.0.0.1", 1006), 0);
}

TEST(LoginThrottle, FailuresOutsideTheWindowAndSuccessesDoNotCount) {
  LoginThrottle th;
  // Four failures, then the window (900 s from the first) ends: the fifth starts a new window.
  for (int i = 0; i < 4; ++i) th.failed("ana", "p", i);
  th.failed("ana", "p", 900);
  EXPECT_EQ(th.retry_after("ana", "p", 901), 0);
  // A success clears the login's count.
  for (int i = 0; i < 3; ++i) th.failed("bob", "q", 1000 + i);
  th.succeeded("bob");
  for (int i = 0; i < 4; ++i) th.failed("bob", "q", 1010 + i);
  EXPECT_EQ(th.retry_after("bob", "q", 1020), 0);
}

// One peer trying many logins: 30 failures lock the peer for every login.
TEST(LoginThrottle, LocksAPeerTryingManyLogins) {
  LoginThrottle th;
  for (int i = 0; i < 30; ++i) th.failed("user" + std::to_string(i), "10.9.9.9", 50);
  EXPECT_EQ(th.retry_after("someone-else", "10.9.9.9", 60), 890);  // 50 + 900 - 60
  EXPECT_EQ(th.retry_after("someone-else", "10.1.1.1", 60), 0);
}

// Memory is bounded: beyond max_tracked the oldest quiet entries are forgotten, a lock stays.
TEST(LoginThrottle, RemembersAtMostMaxTracked) {
  LoginThrottle th(
      {.max_failures = 2, .max_peer_failures = 1000, .window_s = 10, .lockout_s = 100, .max_tracked = 3});
  th.failed("a", "p", 0);
  th.failed("a", "p", 1);  // "a" locked until 101
  th.failed("b", "p", 2);
  th.failed("c", "p", 3);
  th.failed("d", "p", 20);  // full: "b" and "c" (windows over) are forgotten, "a" stays locked
  EXPECT_EQ(th.retry_after("a", "p", 21), 80);
  th.failed("b", "p", 22);  // a new window for "b": one failure, not locked
  EXPECT_EQ(th.retry_after("b", "p", 23), 0);
}

}  // namespace
}  // namespace ecomon::server
