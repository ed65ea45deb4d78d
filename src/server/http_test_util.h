// For the HTTP tests: `ecomon serve` as a child process on a free port (ServeProcess) and a raw-socket client
// that sends exactly the bytes given, malformed ones included (RawConnection, exchange). Test-only,
// header-only.
//
//   ServeProcess s;  ASSERT_TRUE(s.start(db, {"--header-timeout", "2"}));
//   RawReply r = exchange(s.port(), "GET /%ff HTTP/1.1\r\nHost: x\r\n\r\n");   // r.status == 400
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace ecomon::testing {

// `ecomon serve --listen 127.0.0.1:0 ...` with its stdout read for the port and its stderr to `log_path`.
class ServeProcess {
 public:
  ServeProcess() = default;
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { stop(); }

  // `prefix` runs the binary under another command (e.g. {"prlimit", "--nofile=64:64", "--"}).
  bool start(const std::string& db, const std::vector<std::string>& args,
             const std::string& log_path = "/dev/null", const std::vector<std::string>& prefix = {}) {
    int out[2];
    if (pipe(out) != 0) return false;
    pid_ = fork();
    if (pid_ == 0) {
      // The server dies with the test: a test that crashes must not leave it holding ctest's output pipe
      // (ctest would wait for the pipe until the test's TIMEOUT).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(out[1], STDOUT_FILENO);
      const int err = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);  // NOLINT
      if (err >= 0) dup2(err, STDERR_FILENO);
      close(out[0]);
      setenv("ECOMON_PWHASH", "min", 1);
      std::vector<std::string> all = prefix;
      for (const char* a : {ECOMON_BIN, "--db", db.c_str(), "serve", "--listen", "127.0.0.1:0"})
        all.emplace_back(a);
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512] = {0};
    const bool got = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    if (!got) return false;
    std::string s = line;  // "serving http://127.0.0.1:PORT/ (store ...)"
    const size_t at = s.find("127.0.0.1:");
    if (at == std::string::npos) return false;
    port_ = std::stoi(s.substr(at + std::string("127.0.0.1:").size()));
    return true;
  }

  bool alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

  // SIGTERM and wait; the exit status (-1 when it did not exit normally).
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct RawReply {
  int status = 0;                              // 0: no reply (closed or timed out before a status line)
  std::map<std::string, std::string> headers;  // names in lower case; the last of a repeated field
  std::string body;
  bool closed = false;     // the server ended the connection (EOF or reset)
  bool timed_out = false;  // nothing more came within the timeout
};

// One client connection over loopback, blocking with poll() timeouts.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {  // NOLINT
      close(fd_);
      fd_ = -1;
    }
    int one = 1;
    if (fd_ >= 0) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& o) noexcept : fd_(o.fd_), pending_(std::move(o.pending_)) { o.fd_ = -1; }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool send_all(const std::string& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // Reads one reply (status line, fields, then Content-Length bytes; or up to the close when there is none).
  // An interim 1xx reply (100 Continue) is skipped.
  RawReply read_reply(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
                      bool head = false) {
    for (;;) {
      RawReply r = read_one(timeout, head);
      if (r.status < 100 || r.status >= 200) return r;
    }
  }

  RawReply read_one(std::chrono::milliseconds timeout, bool head) {
    RawReply r;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t header_end = std::string::npos;
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(deadline, r)) return r;
    }
    const std::string head_text = pending_.substr(0, header_end);
    pending_.erase(0, header_end + 4);
    if (head_text.rfind("HTTP/1.", 0) != 0 || head_text.size() < 12) return r;
    r.status = std::stoi(head_text.substr(9, 3));
    size_t pos = head_text.find("\r\n");
    while (pos != std::string::npos && pos < head_text.size()) {
      const size_t next = head_text.find("\r\n", pos + 2);
      const std::string line =
          head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[name] = value;
      }
      pos = next;
    }
    const bool no_body = head || r.status == 304 || r.status == 204 || r.status / 100 == 1;
    if (no_body) return r;
    if (r.headers.count("content-length")) {
      const size_t want = std::stoul(r.headers["content-length"]);
      while (pending_.size() < want) {
        if (!fill(deadline, r)) break;
      }
      r.body = pending_.substr(0, std::min(want, pending_.size()));
      pending_.erase(0, r.body.size());
    } else {
      while (fill(deadline, r)) {
      }
      r.body = std::move(pending_);
      pending_.clear();
    }
    return r;
  }

  // True when the server closed the connection (EOF or reset) within the timeout; data before it is dropped.
  bool wait_closed(std::chrono::milliseconds timeout) {
    RawReply r;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fill(deadline, r)) pending_.clear();
    return r.closed;
  }

 private:
  int fd_ = -1;
  std::string pending_;

  bool fill(std::chrono::steady_clock::time_point deadline, RawReply& r) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      r.timed_out = true;
      return false;
    }
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      r.closed = true;
      return false;
    }
    pending_.append(buf, static_cast<size_t>(n));
    return true;
  }
};

// Bytes for a failure message: printable ASCII as is, the rest as \xHH, at most 300 of them.
inline std::string printable(const std::string& bytes) {
  constexpr size_t kShown = 300;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < kShown; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b >= 0x20 && b < 0x7f) {
      out.push_back(static_cast<char>(b));
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  if (bytes.size() > kShown) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

// Sends `request` on a new connection and reads one reply.
inline RawReply exchange(int port, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  RawConnection c(port);
  if (!c.ok() || !c.send_all(request)) return {};
  return c.read_reply(timeout);
}

// "GET <target> HTTP/1.1" with Host and Connection: close, plus `fields` ("Name: value\r\n" each) and a body.
inline std::string http_request(const std::string& method, const std::string& target,
                                const std::string& fields = "", const std::string& body = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + fields;
  if (!body.empty() || method == "POST") r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

}  // namespace ecomon::testing
