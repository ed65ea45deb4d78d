// Running a command as a user would, for end-to-end tests: its exit code and output.
//
//   CommandResult r = run_command("build/bin/ecomon --help", true);   // true: stderr folded into out
//   EXPECT_EQ(r.code, 0);
#pragma once

#include <string>

namespace ecomon::testing {

struct CommandResult {
  int code = -1;    // exit status, -1 when killed by a signal
  std::string out;  // standard output (and standard error when asked)
};

// Runs `command` with /bin/sh; stderr goes to out when with_stderr, else it is discarded.
CommandResult run_command(const std::string& command, bool with_stderr = false);

}  // namespace ecomon::testing
