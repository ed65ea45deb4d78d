#include "report/pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace ecomon::report {
namespace fs = std::filesystem;

StatusOr<std::string> find_chromium(const PdfOptions& options) {
  std::string path = options.chromium;
  if (path.empty()) {
    const char* env = std::getenv("ECOMON_CHROMIUM");
    path = env && *env ? env : "/usr/bin/chromium";
  }
  if (::access(path.c_str(), X_OK) != 0) {
    return not_found("Chromium not found at '" + path +
                     "' (install the chromium package, or set --chromium or "
                     "ECOMON_CHROMIUM)");
  }
  return path;
}

Status print_pdf(const fs::path& html, const fs::path& pdf, const PdfOptions& options) {
  auto chromium = find_chromium(options);
  if (!chromium.ok()) return chromium.status();
  std::error_code ec;
  const fs::path html_abs = fs::absolute(html, ec);
  if (ec || !fs::exists(html_abs)) return not_found("no HTML file '" + html.string() + "'");
  const fs::path pdf_abs = fs::absolute(pdf, ec);
  const fs::path profile = pdf_abs.parent_path() / (".chromium-profile-" + std::to_string(::getpid()));
  const fs::path log = pdf_abs.parent_path() / (".chromium-" + std::to_string(::getpid()) + ".log");
  fs::remove(pdf_abs, ec);
  std::vector<std::string> args = {*chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-pdf-header-footer",
                                   "--no-first-run",
                                   "--user-data-dir=" + profile.string(),
                                   "--print-to-pdf=" + pdf_abs.string(),
                                   "file://" + html_abs.string()};
  pid_t pid = ::fork();
  if (pid < 0) return internal_error("cannot start Chromium: fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  int status = 0;
  bool timed_out = false;
  while (true) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(-pid, SIGKILL);  // helpers the browser may have left behind in its group
  std::ostringstream tail;
  if (std::ifstream in(log); in) tail << in.rdbuf();
  fs::remove_all(profile, ec);
  fs::remove(log, ec);
  if (timed_out)
    return internal_error("Chromium did not finish within " + std::to_string(options.timeout_seconds) + " s");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(pdf_abs) || fs::file_size(pdf_abs) == 0) {
    std::string t = tail.str();
    constexpr size_t kTail = 600;
    if (t.size() > kTail) t = t.substr(t.size() - kTail);
    return internal_error("Chromium failed to print " + pdf.string() + ": " + t);
  }
  return Status();
}

}  // namespace ecomon::report
