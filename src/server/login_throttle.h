// Failed sign-ins, counted per login and per peer address: after `max_failures` failures of a login within
// `window_s` (or `max_peer_failures` from one address), further attempts are refused for `lockout_s` seconds
// without checking the password, so that a password cannot be found by trying and the Argon2id cost of a
// check cannot be used to load the server. A successful sign-in clears the login's count. In memory, per
// process.
//
//   LoginThrottle th;
//   if (int64_t wait = th.retry_after(login, peer, now); wait > 0) -> 429, try again in `wait` s
//   ... check the password; th.failed(login, peer, now) or th.succeeded(login)
//
// Thread safety: all members may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ecomon::server {

struct LoginLimits {
  int max_failures = 5;        // per login within the window
  int max_peer_failures = 30;  // per peer address within the window (many logins tried from one place)
  int64_t window_s = 15 * 60;
  int64_t lockout_s = 15 * 60;
  size_t max_tracked = 100000;  // logins + peers remembered; beyond, the oldest quiet ones are forgotten
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginLimits limits = {}) : limits_(limits) {}

  // Seconds until `login` from `peer` may try again; 0 when it may now.
  int64_t retry_after(const std::string& login, const std::string& peer, int64_t now);
  void failed(const std::string& login, const std::string& peer, int64_t now);
  void succeeded(const std::string& login);

 private:
  struct Count {
    int failures = 0;
    int64_t first = 0;         // the window's start
    int64_t locked_until = 0;  // 0: not locked
  };
  int64_t wait_of(std::map<std::string, Count>& m, const std::string& key, int64_t now);
  void count(std::map<std::string, Count>& m, const std::string& key, int limit, int64_t now);

  LoginLimits limits_;
  std::mutex mu_;
  std::map<std::string, Count> logins_, peers_;
};

}  // namespace ecomon::server
