#include "testing/run_command.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace ecomon::testing {

CommandResult run_command(const std::string& command, bool with_stderr) {
  std::string cmd = command + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  CommandResult r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace ecomon::testing
