// The exit-code mechanism of the `ecomon` verbs (commands.h): run_guarded turns whatever a verb throws into a
// message and exit 2 instead of std::terminate; what it returns passes through.
#include "cli/commands.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace ecomon::cli {
namespace {

TEST(RunGuarded, PassesTheExitCodeThrough) {
  std::ostringstream err;
  EXPECT_EQ(run_guarded([] { return kExitOk; }, err), 0);
  EXPECT_EQ(run_guarded([] { return kExitRejected; }, err), 1);
  EXPECT_EQ(run_guarded([] { return kExitFailed; }, err), 2);
  EXPECT_EQ(err.str(), "");
}

TEST(RunGuarded, AnExceptionIsAMessageAndExit2) {
  std::ostringstream err;
  EXPECT_EQ(run_guarded([]() -> int { throw std::runtime_error("store x: disk I/O error"); }, err), 2);
  EXPECT_EQ(err.str(), "error: store x: disk I/O error (unexpected: the command stopped here)\n");
  std::ostringstream other;
  EXPECT_EQ(run_guarded([]() -> int { throw 42; }, other), 2);  // not a std::exception
  EXPECT_EQ(other.str(), "error: unexpected failure: the command stopped here\n");
}

}  // namespace
}  // namespace ecomon::cli
