#include "server/login_throttle.h"

#include <algorithm>

namespace ecomon::server {

int64_t LoginThrottle::wait_of(std::map<std::string, Count>& m, const std::string& key, int64_t now) {
  auto it = m.find(key);
  if (it == m.end()) return 0;
  if (it->second.locked_until > now) return it->second.locked_until - now;
  if (it->second.locked_until != 0 || now - it->second.first >= limits_.window_s) m.erase(it);  // expired
  return 0;
}

void LoginThrottle::count(std::map<std::string, Count>& m, const std::string& key, int limit, int64_t now) {
  if (m.size() >= limits_.max_tracked && !m.count(key)) {
    // Forget entries whose window is over and that are not locked; if none, the oldest window.
    std::erase_if(m, [&](const auto& kv) {
      return kv.second.locked_until <= now && now - kv.second.first >= limits_.window_s;
    });
    if (m.size() >= limits_.max_tracked)
      m.erase(std::min_element(m.begin(), m.end(),
                               [](const auto& a, const auto& b) { return a.second.first < b.second.first; }));
  }
  Count& c = m[key];
  if (c.failures == 0 || now - c.first >= limits_.window_s) c = Count{0, now, 0};
  if (++c.failures >= limit) c.locked_until = now + limits_.lockout_s;
}

int64_t LoginThrottle::retry_after(const std::string& login, const std::string& peer, int64_t now) {
  std::lock_guard lock(mu_);
  return std::max(wait_of(logins_, login, now), wait_of(peers_, peer, now));
}

void LoginThrottle::failed(const std::string& login, const std::string& peer, int64_t now) {
  std::lock_guard lock(mu_);
  count(logins_, login, limits_.max_failures, now);
  count(peers_, peer, limits_.max_peer_failures, now);
}

void LoginThrottle::succeeded(const std::string& login) {
  std::lock_guard lock(mu_);
  logins_.erase(login);
}

}  // namespace ecomon::server
