// cpp-httplib glue: requests become ApiRequest (with the caller's Actor from the session cookie or an API
// token, and the CSRF check of state-changing requests), ApiReply goes back as JSON or CSV; the dashboard's
// files are served from the web directory; public read replies are cached for a few seconds.
#include "server/server.h"

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "accounts/accounts.h"
#include "server/api.h"
#include "server/login_throttle.h"

namespace ecomon {
namespace {

constexpr std::string_view kSessionCookie = "ecomon_session";
constexpr size_t kMaxCacheEntries = 4096;

std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

struct CachedReply {
  int status = 200;
  std::string body, content_type;
  std::chrono::steady_clock::time_point expires;
};

}  // namespace

class HttpServer::Impl {
 public:
  ServeOptions options;
  std::unique_ptr<AccountStore> accounts;
  server::Router router;
  server::ApiContext ctx;
  server::LoginThrottle login_throttle;
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::mutex cache_mu;
  std::unordered_map<std::string, CachedReply> cache;

  void send(httplib::Response& res, const server::ApiReply& reply) {
    res.status = reply.status;
    for (const std::string& c : reply.set_cookies) res.set_header("Set-Cookie", c);
    if (reply.body.is_object() && reply.body.contains("error") &&
        reply.body["error"].contains("retry_after_s"))
      res.set_header("Retry-After", std::to_string(reply.body["error"]["retry_after_s"].get<int64_t>()));
    if (reply.body.is_object() && reply.body.contains("__csv")) {
      res.set_content(reply.body["__csv"].get<std::string>(), "text/csv; charset=utf-8");
    } else {
      res.set_content(reply.body.dump(), "application/json; charset=utf-8");
    }
  }

  // The caller: signed in by session cookie or bearer token, else public. A state-changing request signed in
  // by cookie must carry the session's CSRF token; an error reply when something is wrong.
  std::optional<server::ApiReply> identify(const httplib::Request& hr, server::ApiRequest& req) {
    auto fail = [](int status, const std::string& m) {
      server::ApiReply r;
      r.status = status;
      r.body = server::error_body(status, m);
      return r;
    };
    const std::string auth = hr.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!auth.empty()) {
      if (auth.rfind(kBearer, 0) != 0) return fail(401, "Authorization must be 'Bearer <token>'");
      auto who = accounts->find_token(auth.substr(kBearer.size()));
      if (!who.ok()) return fail(500, who.status().message());
      if (!*who) return fail(401, "unknown API token");
      req.actor = **who;
      req.signed_in = true;
      return std::nullopt;
    }
    if (auto id = cookie_value(hr, kSessionCookie)) {
      auto s = accounts->find_session(*id, now_seconds());
      if (!s.ok()) return fail(500, s.status().message());
      if (*s) {
        req.actor = (*s)->actor;
        req.signed_in = true;
        req.session_id = *id;
        if (req.method != "GET" && hr.get_header_value("X-CSRF-Token") != (*s)->csrf) {
          return fail(403, "missing or wrong X-CSRF-Token for this session");
        }
      }
    }
    return std::nullopt;
  }

  void handle(const httplib::Request& hr, httplib::Response& res) {
    server::ApiRequest req;
    req.method = hr.method;
    req.path = hr.path;
    for (const auto& [k, v] : hr.params) req.query[k] = v;  // a repeated parameter keeps its last value
    req.body = hr.body;
    req.peer = hr.remote_addr;
    if (auto refused = identify(hr, req)) return send(res, *refused);

    // Public, caller-independent reads may come from the cache.
    const server::Route* route = router.match(req.method, req.path, nullptr);
    const bool cacheable = route && route->cacheable && req.method == "GET" && options.cache_seconds > 0;
    std::string key;
    if (cacheable) {
      key = req.path;
      for (const auto& [k, v] : req.query) key += "\n" + k + "=" + v;
      std::lock_guard lock(cache_mu);
      auto it = cache.find(key);
      if (it != cache.end() && it->second.expires > std::chrono::steady_clock::now()) {
        res.status = it->second.status;
        res.set_content(it->second.body, it->second.content_type.c_str());
        return;
      }
    }
    server::ApiReply reply = router.dispatch(ctx, req);
    send(res, reply);
    if (cacheable && reply.status == 200) {
      std::lock_guard lock(cache_mu);
      if (cache.size() >= kMaxCacheEntries) cache.clear();
      cache[key] = {res.status, res.body, res.get_header_value("Content-Type"),
                    std::chrono::steady_clock::now() + std::chrono::seconds(options.cache_seconds)};
    }
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { stop(); }
int HttpServer::port() const { return impl_->port; }

void HttpServer::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->http.stop();
  impl_->thread.join();
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::start(const ServeOptions& options) {
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos)
    return invalid_argument("--listen '" + options.listen + "' is not ADDR:PORT");
  const std::string host = options.listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
    return invalid_argument("--listen '" + options.listen + "': bad port");
  }
  constexpr int kMaxPort = 65535;
  if (port < 0 || port > kMaxPort) return invalid_argument("--listen '" + options.listen + "': bad port");

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto acc = AccountStore::open(options.db);
  if (!acc.ok()) return acc.status();
  impl->accounts = std::move(*acc);
  impl->router = server::all_routes();
  impl->ctx.db = options.db;
  impl->ctx.accounts = impl->accounts.get();
  impl->ctx.login_throttle = &impl->login_throttle;

  Impl* self = impl.get();
  httplib::Server& http = impl->http;
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(server::kMaxBodyBytes);
  // cpp-httplib gives a keep-alive connection its thread until the connection ends, so with more clients than
  // threads the rest wait; its default of 5 requests per connection keeps them taking turns (docs/performance.md).
  const int threads = std::max(1, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "same-origin"},
                            {"Cache-Control", "no-store"}});
  auto api = [self](const httplib::Request& req, httplib::Response& res) { self->handle(req, res); };
  http.Get(R"(/api/.*)", api);
  http.Post(R"(/api/.*)", api);
  http.Put(R"(/api/.*)", api);
  http.Patch(R"(/api/.*)", api);
  http.Delete(R"(/api/.*)", api);
  // Errors httplib answers itself (413 body too large, 404 for unknown files): the API's error shape.
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = res.status == 413 ? "the request body is larger than " +
                                                  std::to_string(server::kMaxBodyBytes) + " bytes"
                          : res.status == 404 ? "no resource " + req.path
                                              : "request failed";
    res.set_content(server::error_body(res.status, message).dump(), "application/json; charset=utf-8");
  });
  if (!options.web_dir.empty()) {
    if (!http.set_mount_point("/", options.web_dir)) {
      return not_found("--web '" + options.web_dir +
                       "' is not a directory (build it: cd web && npm run build)");
    }
    http.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  }
  if (port == 0) {
    impl->port = http.bind_to_any_port(host);
    if (impl->port < 0) return Status(StatusCode::kUnavailable, "cannot listen on " + host);
  } else {
    if (!http.bind_to_port(host, port))
      return Status(StatusCode::kUnavailable, "cannot listen on " + options.listen);
    impl->port = port;
  }
  impl->thread = std::thread([self] { self->http.listen_after_bind(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace ecomon
