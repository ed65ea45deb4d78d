// The HTTP transport of `ecomon serve` on Boost.Beast/Asio: a few io threads read and write every connection,
// API handlers run on a bounded worker pool. Requests become ApiRequest (with the caller's Actor from the
// session cookie or an API token, and the CSRF check of state-changing requests), ApiReply goes back as JSON
// (json_text) or CSV; the dashboard's files are served from memory with their precompressed variants; public
// read replies are cached for a few seconds. Every connection has deadlines and every request's text is
// checked at the boundary: malformed framing, bytes that are not UTF-8 or a NUL get a 400 naming the field,
// and no request (nor an exception while serving it) can end the process.
#include <utility>  // g++ 12 with Boost 1.74: <utility> before any Boost header

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "accounts/accounts.h"
#include "app/accounts.h"
#include "core/json_text.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/export.h"
#include "server/login_throttle.h"
#include "server/server.h"

namespace ecomon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr std::string_view kSessionCookie = "ecomon_session";
constexpr size_t kMaxCacheEntries = 4096;
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;        // request line and header fields together
constexpr size_t kMaxStaticBytes = 256 * 1024 * 1024;  // the web directory is held in memory
constexpr size_t kMaxLingerBytes = 1024 * 1024;        // read and dropped after an error reply, before close
constexpr size_t kMaxRejectDrainBytes = 64 * 1024;     // the same for a connection over the cap (on accept)
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr auto kAcceptPause = std::chrono::milliseconds(100);  // after EMFILE/ENFILE
constexpr auto kAcceptLogInterval = std::chrono::seconds(10);
constexpr size_t kMaxLoggedPath = 200;
constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr int kHttp11 = 11;

std::chrono::milliseconds seconds_ms(double s) {
  constexpr double kMsPerS = 1000;
  return std::chrono::milliseconds(static_cast<int64_t>(s * kMsPerS));
}

void log_line(const std::string& line) {
  static std::mutex mu;
  try {
    std::lock_guard lock(mu);
    std::cerr << line << std::endl;
  } catch (...) {  // logging must never end a request, let alone the server
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view sv(beast::string_view v) { return {v.data(), v.size()}; }

// ---- the request's text: percent-decoding and the UTF-8 / NUL checks

int hex_value(char c) {
  constexpr int kTen = 10;
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + kTen;
  if (c >= 'A' && c <= 'F') return c - 'A' + kTen;
  return -1;
}

// %XX escapes decoded (and '+' as a space in query text); nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      constexpr int kNibble = 16;
      out.push_back(static_cast<char>(hi * kNibble + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// "" when the text is UTF-8 without NUL; else why not, for "<what> ...".
std::string text_problem(std::string_view text) {
  if (auto bad = first_invalid_utf8(text))
    return "is not valid UTF-8 (" + describe_invalid_utf8(text, *bad) + ")";
  if (size_t nul = text.find('\0'); nul != std::string_view::npos)
    return "contains a NUL byte (byte " + std::to_string(nul + 1) + ")";
  return "";
}

struct Target {
  std::string path;
  std::map<std::string, std::string> query;  // a repeated parameter keeps its last value
};

// The request target, decoded and checked; an error message naming the field otherwise.
std::variant<Target, std::string> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::string("the request target must start with '/'");
  const size_t q = target.find('?');
  Target t;
  auto path = percent_decode(target.substr(0, q), false);
  if (!path) return std::string("the path has a malformed percent-escape");
  if (std::string p = text_problem(*path); !p.empty()) return "the path " + p;
  t.path = std::move(*path);
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    auto name = percent_decode(item.substr(0, eq), true);
    if (!name) return std::string("a query parameter name has a malformed percent-escape");
    if (std::string p = text_problem(*name); !p.empty())
      return "query parameter name '" + escape_invalid_utf8(*name) + "' " + p;
    auto value =
        percent_decode(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1), true);
    if (!value) return "query parameter '" + *name + "' has a malformed percent-escape";
    if (std::string p = text_problem(*value); !p.empty()) return "query parameter '" + *name + "' " + p;
    t.query[std::move(*name)] = std::move(*value);
  }
  return t;
}

// The header fields the server reads: each must be UTF-8 without NUL.
constexpr std::array<http::field, 6> kCheckedFields = {
    http::field::cookie,        http::field::authorization, http::field::accept_encoding,
    http::field::if_none_match, http::field::content_type,  http::field::accept_language};
constexpr std::string_view kCsrfField = "X-CSRF-Token";

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view part = header.substr(pos, end - pos);
    const size_t start = part.find_first_not_of(' ');
    part = start == std::string_view::npos ? std::string_view() : part.substr(start);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return std::nullopt;
}

// ---- static files: read once at start, each with its precompressed .br/.gz variants (web/build.mjs)

enum class Encoding : uint8_t { kIdentity, kGzip, kBrotli };
constexpr size_t kEncodings = 3;
constexpr std::array<std::string_view, kEncodings> kEncodingName = {"identity", "gzip", "br"};

struct StaticFile {
  std::string mime;
  bool immutable = false;                                           // a content-hashed name
  std::array<std::shared_ptr<const std::string>, kEncodings> body;  // identity always; the others when built
  std::array<std::string, kEncodings> etag;
};

std::string mime_of(const std::string& ext) {
  static const std::unordered_map<std::string, std::string> kMime = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"}};
  auto it = kMime.find(ext);
  return it == kMime.end() ? "application/octet-stream" : it->second;
}

// A name like echarts.3f2a9c0d1e4b.min.js: one dot-separated part of at least 8 lowercase hex digits.
bool hashed_name(const std::string& filename) {
  constexpr size_t kMinHashDigits = 8;
  size_t pos = filename.find('.');
  while (pos != std::string::npos) {
    const size_t next = filename.find('.', pos + 1);
    if (next == std::string::npos) break;
    std::string_view part(filename.data() + pos + 1, next - pos - 1);
    if (part.size() >= kMinHashDigits && part.find_first_not_of("0123456789abcdef") == std::string_view::npos)
      return true;
    pos = next;
  }
  return false;
}

std::string fnv1a_hex(std::string_view s) {
  constexpr uint64_t kOffset = 14695981039346656037ULL, kPrime = 1099511628211ULL;
  uint64_t h = kOffset;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * kPrime;
  constexpr int kHexBase = 16;
  std::array<char, 16> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), h, kHexBase);
  (void)ec;
  return std::string(buf.data(), end);
}

StatusOr<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return not_found("cannot read " + p.string());
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return data_loss("cannot read " + p.string());
  return s;
}

using StaticFiles = std::unordered_map<std::string, StaticFile>;  // by URL path ("/index.html")

StatusOr<StaticFiles> load_static(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return not_found("--web '" + dir + "' is not a directory (build it: cd web && npm run build)");
  StaticFiles files;
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path& p = it->path();
    const std::string ext = p.extension().string();
    if (ext == ".gz" || ext == ".br") continue;  // variants, read with their file
    StaticFile f;
    f.mime = mime_of(ext);
    f.immutable = hashed_name(p.filename().string());
    for (size_t e = 0; e < kEncodings; ++e) {
      fs::path variant = p;
      if (e == static_cast<size_t>(Encoding::kGzip)) variant += ".gz";
      if (e == static_cast<size_t>(Encoding::kBrotli)) variant += ".br";
      if (e != 0 && !fs::is_regular_file(variant, ec)) continue;
      auto text = read_file(variant);
      if (!text.ok()) return text.status();
      total += text->size();
      if (total > kMaxStaticBytes)
        return failed_precondition("--web '" + dir + "' holds more than " + std::to_string(kMaxStaticBytes) +
                                   " bytes");
      f.body[e] = std::make_shared<const std::string>(std::move(*text));
    }
    const std::string hash = fnv1a_hex(*f.body[0]);
    for (size_t e = 0; e < kEncodings; ++e)
      f.etag[e] = "\"" + hash + "-" + std::string(kEncodingName[e]) + "\"";
    std::string url = "/" + fs::relative(p, dir, ec).generic_string();
    if (ec) return not_found("cannot list --web '" + dir + "': " + ec.message());
    if (text_problem(url).empty()) files.emplace(std::move(url), std::move(f));
  }
  if (ec) return not_found("cannot list --web '" + dir + "': " + ec.message());
  return files;
}

// The q-value the client gives to an encoding in Accept-Encoding ("br;q=0.5, gzip"): 0 when absent; '*'
// stands for the rest.
double accept_q(std::string_view header, std::string_view name) {
  double star = 0, named = -1;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    const size_t semi = item.find(';');
    std::string_view token = item.substr(0, semi);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      const size_t qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        std::string_view v = params.substr(qpos + 2);
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
        if (ec != std::errc()) q = 0;
      }
    }
    if (iequals(token, name)) named = q;
    if (token == "*") star = q;
  }
  return named >= 0 ? named : star;
}

bool etag_matches(std::string_view if_none_match, const std::string& etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

struct CachedReply {
  int status = 200;
  std::shared_ptr<const std::string> body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Disposition of an export
  Clock::time_point expires;
  Clock::time_point made;
  uint64_t generation = 0;  // Server::generation() read before the reply was computed
};

// One reply, built on a worker or an io thread and written by the connection.
struct Outgoing {
  int status = 200;
  std::string content_type{kJson};
  std::shared_ptr<const std::string> body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields
  std::string cache_control = "no-store";
  bool close = false;  // end the connection after this reply
};

Outgoing error_out(int status, const std::string& message) {
  Outgoing o;
  o.status = status;
  o.body = std::make_shared<const std::string>(json_text(server::error_body(status, message)));
  return o;
}

// The server behind HttpServer: options, routes, accounts, static files, cache, counters, io and workers.
class Server {
 public:
  ServeOptions options;
  std::unique_ptr<Stores> account_stores;  // the accounts' connection, kept for the server's life
  std::unique_ptr<app::Accounts> accounts;
  server::Router router;
  server::ApiContext ctx;
  server::LoginThrottle login_throttle;
  StaticFiles static_files;
  std::mutex cache_mu;
  std::unordered_map<std::string, CachedReply> cache;
  std::string id_prefix;
  std::atomic<uint64_t> next_request{0};
  std::atomic<int> connections{0};
  std::atomic<int> queued{0};
  std::atomic<uint64_t> writes{0};  // API writes that succeeded (part of generation())
  Clock::time_point last_accept_log{};
  int port = 0;

  // Destroyed in reverse order: the pool (its queued tasks hold connections) before the io context.
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_timer{ioc};
  std::vector<std::thread> io_threads;
  std::unique_ptr<asio::thread_pool> workers;
  bool running = false;

  std::string request_id() {
    constexpr int kDecimal = 10;
    std::array<char, 24> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), ++next_request, kDecimal);
    (void)ec;
    return id_prefix + std::string(buf.data(), end);
  }

  Outgoing api_out(const server::ApiReply& reply) {
    Outgoing o;
    o.status = reply.status;
    for (const std::string& c : reply.set_cookies) o.headers.emplace_back("Set-Cookie", c);
    const server::json& b = reply.body;
    if (b.is_object() && b.contains("error") && b["error"].is_object() &&
        b["error"].contains("retry_after_s") && b["error"]["retry_after_s"].is_number_integer())
      o.headers.emplace_back("Retry-After", std::to_string(b["error"]["retry_after_s"].get<int64_t>()));
    if (reply.file) {
      o.content_type = reply.file->content_type;
      o.body = std::make_shared<const std::string>(reply.file->bytes);
      o.headers.emplace_back("Content-Disposition", server::content_disposition(reply.file->name));
    } else {
      o.body = std::make_shared<const std::string>(json_text(b));
    }
    return o;
  }

  // The caller: signed in by session cookie or bearer token, else public. A state-changing request signed in
  // by cookie must carry the session's CSRF token; an error reply when something is wrong.
  std::optional<server::ApiReply> identify(const std::string& auth, const std::string& cookie,
                                           const std::string& csrf, server::ApiRequest& req) {
    auto fail = [](int status, const std::string& m) {
      server::ApiReply r;
      r.status = status;
      r.body = server::error_body(status, m);
      return r;
    };
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
    if (auto id = cookie_value(cookie, kSessionCookie)) {
      auto s = accounts->find_session(*id, now_seconds());
      if (!s.ok()) return fail(500, s.status().message());
      if (*s) {
        req.actor = (*s)->actor;
        req.signed_in = true;
        req.session_id = *id;
        if (req.method != "GET" && csrf != (*s)->csrf) {
          return fail(403, "missing or wrong X-CSRF-Token for this session");
        }
      }
    }
    return std::nullopt;
  }

  static std::string cache_key(const server::ApiRequest& req) {
    std::string key = req.path + "\n" + req.lang;
    for (const auto& [k, v] : req.query) key += "\n" + k + "=" + v;
    return key;
  }

  // What the cached replies are made of: this server's own successful writes, and the composition root's
  // number (ServeOptions::data_generation).
  uint64_t generation() const {
    return writes.load(std::memory_order_relaxed) + (options.data_generation ? options.data_generation() : 0);
  }

  std::optional<Outgoing> cached(const std::string& key) {
    const uint64_t now_generation = generation();
    const Clock::time_point now = Clock::now();
    std::lock_guard lock(cache_mu);
    auto it = cache.find(key);
    if (it == cache.end() || it->second.expires <= now) return std::nullopt;
    if (it->second.generation != now_generation &&
        it->second.made + std::chrono::milliseconds(options.fresh_ms) <= now) {
      return std::nullopt;  // made before the data moved, and older than fresh_ms
    }
    Outgoing o;
    o.status = it->second.status;
    o.content_type = it->second.content_type;
    o.body = it->second.body;
    o.headers = it->second.headers;
    return o;
  }

  bool cacheable(const server::ApiRequest& req) const {
    if (req.method != "GET" || options.cache_seconds <= 0) return false;
    const server::Route* route = router.match(req.method, req.path, nullptr);
    return route && route->cacheable;
  }

  // On a worker: the API request from identification to the reply.
  Outgoing run_api(server::ApiRequest& req, const std::string& auth, const std::string& cookie,
                   const std::string& csrf) {
    if (options.before_dispatch) options.before_dispatch(req.path);
    if (auto refused = identify(auth, cookie, csrf, req)) {
      server::localize_error(refused->body, req.lang);
      return api_out(*refused);
    }
    const bool can_cache = cacheable(req);
    std::string key;
    uint64_t made_under = 0;
    if (can_cache) {
      key = cache_key(req);
      if (auto hit = cached(key)) return std::move(*hit);
      made_under = generation();  // before computing: a change meanwhile leaves the reply older than the data
    }
    server::ApiReply reply = router.dispatch(ctx, req);
    Outgoing out = api_out(reply);
    if (req.method != "GET" && reply.status < 400) writes.fetch_add(1, std::memory_order_relaxed);
    if (can_cache && reply.status == 200) {
      const Clock::time_point now = Clock::now();
      std::lock_guard lock(cache_mu);
      if (cache.size() >= kMaxCacheEntries) cache.clear();
      cache[key] = {out.status,
                    out.body,
                    out.content_type,
                    out.headers,
                    now + std::chrono::seconds(options.cache_seconds),
                    now,
                    made_under};
    }
    return out;
  }

  Outgoing static_out(const std::string& path, std::string_view accept_encoding,
                      std::string_view if_none_match) {
    auto it = static_files.find(path == "/" ? std::string("/index.html") : path);
    if (it == static_files.end()) return error_out(404, "no resource " + path);
    const StaticFile& f = it->second;
    auto e = Encoding::kIdentity;
    if (f.body[static_cast<size_t>(Encoding::kBrotli)] && accept_q(accept_encoding, "br") > 0) {
      e = Encoding::kBrotli;
    } else if (f.body[static_cast<size_t>(Encoding::kGzip)] && accept_q(accept_encoding, "gzip") > 0) {
      e = Encoding::kGzip;
    }
    const auto i = static_cast<size_t>(e);
    Outgoing o;
    o.content_type = f.mime;
    o.cache_control = f.immutable ? std::string(kImmutable) : "no-cache";
    o.headers.emplace_back("ETag", f.etag[i]);
    o.headers.emplace_back("Vary", "Accept-Encoding");
    if (e != Encoding::kIdentity) o.headers.emplace_back("Content-Encoding", std::string(kEncodingName[i]));
    if (!if_none_match.empty() && etag_matches(if_none_match, f.etag[i])) {
      o.status = 304;
      return o;
    }
    o.body = f.body[i];
    return o;
  }

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
};

// One connection: read a request (header deadline, then body deadline), answer it (API on a worker), write
// the reply (write deadline), wait for the next (idle deadline), up to max_requests_per_connection.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server& srv) : stream_(std::move(socket)), srv_(srv) {
    ++srv_.connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "?" : ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() { --srv_.connections; }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->read_header(self->srv_.options.header_timeout_s); });
  }

 private:
  beast::tcp_stream stream_;
  Server& srv_;
  beast::flat_buffer buffer_{kMaxHeaderBytes + server::kMaxBodyBytes};
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::span_body<const char>> res_;
  std::shared_ptr<const std::string> body_hold_;
  std::string peer_, request_id_, method_, path_for_log_;
  int served_ = 0;
  bool close_ = false;
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

  // A keep-alive connection's next request: its header within the idle deadline (one timer and one read per
  // request rather than a wait for the first byte and then the header deadline).
  void wait_next() { read_header(srv_.options.idle_timeout_s); }

  void read_header(double deadline_s) {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(server::kMaxBodyBytes);
    request_id_ = srv_.request_id();
    method_.clear();
    path_for_log_.clear();
    stream_.expires_after(seconds_ms(deadline_s));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  // The reply to a request that could not be read; nothing when the connection just ended or timed out.
  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor || ec == http::error::partial_message)
      return shut();
    if (ec == http::error::body_limit)
      return reply(with_close(error_out(
          413, "the request body is larger than " + std::to_string(server::kMaxBodyBytes) + " bytes")));
    if (ec == http::error::header_limit)
      return reply(with_close(
          error_out(431, "the request header is larger than " + std::to_string(kMaxHeaderBytes) + " bytes")));
    if (ec == http::error::bad_content_length)
      return reply(
          with_close(error_out(400, "malformed request: Content-Length must be one decimal number")));
    if (ec.category() == http::make_error_code(http::error::body_limit).category())
      return reply(with_close(error_out(400, "malformed request: " + ec.message())));
    shut();
  }

  static Outgoing with_close(Outgoing o) {
    o.close = true;
    return o;
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& h = parser_->get();
    method_ = std::string(h.method_string());
    path_for_log_ = escape_invalid_utf8(sv(h.target()).substr(0, kMaxLoggedPath));
    // Content-Length: once, one number (Beast refuses the rest: signs, letters, overflow, conflicts).
    size_t lengths = 0;
    for (auto it = h.find(http::field::content_length);
         it != h.end() && it->name() == http::field::content_length; ++it)
      ++lengths;
    if (lengths > 1 || (lengths == 1 && h[http::field::content_length].find(',') != beast::string_view::npos))
      return reply(with_close(error_out(400, "malformed request: more than one Content-Length")));
    if (parser_->is_done()) return on_body({});
    stream_.expires_after(seconds_ms(srv_.options.body_timeout_s));
    if (iequals(sv(h[http::field::expect]), "100-continue")) {
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code wec, size_t) {
                          if (wec) return self->shut();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    stream_.expires_never();
    try {
      route();
    } catch (const std::exception& e) {
      internal_error(e.what());
    } catch (...) {
      internal_error("unknown exception");
    }
  }

  void internal_error(const std::string& what) {
    log_line("ecomon serve: request " + request_id_ + " (" + peer_ + " " + method_ + " " + path_for_log_ +
             "): internal error: " + escape_invalid_utf8(what));
    reply(error_out(500, "internal error (request " + request_id_ + ")"));
  }

  std::string field(http::field f) const { return std::string(parser_->get()[f]); }

  // Checks the request at the boundary, then serves it: static files here, the API on a worker.
  void route() {
    auto& req = parser_->get();
    for (http::field f : kCheckedFields) {
      auto v = req[f];
      if (std::string p = text_problem(std::string_view(v.data(), v.size())); !p.empty())
        return reply(error_out(400, "header '" + std::string(http::to_string(f)) + "' " + p));
    }
    auto csrf_it = req.find(beast::string_view(kCsrfField.data(), kCsrfField.size()));
    const std::string csrf = csrf_it == req.end() ? "" : std::string(csrf_it->value());
    if (std::string p = text_problem(csrf); !p.empty())
      return reply(error_out(400, "header '" + std::string(kCsrfField) + "' " + p));
    auto parsed = parse_target(std::string_view(req.target().data(), req.target().size()));
    if (auto* err = std::get_if<std::string>(&parsed)) return reply(error_out(400, *err));
    Target& t = std::get<Target>(parsed);

    if (t.path.rfind("/api/", 0) != 0) {
      if (req.method() != http::verb::get && req.method() != http::verb::head)
        return reply(error_out(405, method_ + " is not allowed on " + t.path));
      if (srv_.static_files.empty()) return reply(error_out(404, "no resource " + t.path));
      for (std::string_view seg : {"/../", "/./"}) {
        if ((t.path + "/").find(seg) != std::string::npos)
          return reply(error_out(400, "the path must not contain '.' or '..' segments"));
      }
      return reply(
          srv_.static_out(t.path, field(http::field::accept_encoding), field(http::field::if_none_match)));
    }

    if (std::string p = text_problem(req.body()); !p.empty() && !req.body().empty())
      return reply(error_out(400, "the request body " + p));
    auto api = std::make_shared<server::ApiRequest>();
    api->method = method_;
    api->path = std::move(t.path);
    api->query = std::move(t.query);
    api->body = std::move(req.body());
    api->peer = peer_;
    api->lang = server::pick_lang("", field(http::field::accept_language));
    std::string auth = field(http::field::authorization), cookie = field(http::field::cookie);
    // Fast path on the io thread: a public, cacheable read without credentials that is in the cache.
    if (auth.empty() && cookie.empty() && srv_.cacheable(*api)) {
      if (auto hit = srv_.cached(Server::cache_key(*api))) return reply(std::move(*hit));
    }
    if (srv_.queued.load() >= srv_.options.max_queued_requests)
      return reply(error_out(503, "the server is busy; retry shortly"));
    ++srv_.queued;
    asio::post(*srv_.workers,
               [self = shared_from_this(), api, auth = std::move(auth), cookie = std::move(cookie), csrf] {
                 --self->srv_.queued;
                 Outgoing out;
                 std::string failure;
                 try {
                   out = self->srv_.run_api(*api, auth, cookie, csrf);
                 } catch (const std::exception& e) {
                   failure = e.what();
                 } catch (...) {
                   failure = "unknown exception";
                 }
                 asio::post(self->stream_.get_executor(),
                            [self, out = std::move(out), failure = std::move(failure)]() mutable {
                              if (!failure.empty()) return self->internal_error(failure);
                              self->reply(std::move(out));
                            });
               });
  }

  void reply(Outgoing out) {
    try {
      build(std::move(out));
    } catch (const std::exception& e) {
      log_line("ecomon serve: request " + request_id_ + ": cannot build the reply: " + e.what());
      return shut();
    }
    stream_.expires_after(seconds_ms(srv_.options.write_timeout_s));
    http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->body_hold_.reset();
      if (ec && ec != http::error::end_of_stream) return self->shut();
      if (self->close_) return self->linger();
      self->wait_next();
    });
  }

  void build(Outgoing out) {
    ++served_;
    const bool parsed = parser_.has_value() && parser_->is_header_done();
    const bool keep = !out.close && parsed && parser_->get().keep_alive() &&
                      served_ < srv_.options.max_requests_per_connection;
    close_ = !keep;
    res_ = {};
    res_.version(parsed ? parser_->get().version() : kHttp11);
    res_.result(static_cast<unsigned>(out.status));
    res_.set(http::field::content_type, out.content_type);
    res_.set(http::field::cache_control, out.cache_control);
    res_.set("X-Content-Type-Options", "nosniff");
    res_.set("X-Frame-Options", "DENY");
    res_.set("Referrer-Policy", "same-origin");
    res_.set("X-Request-Id", request_id_);
    for (auto& [k, v] : out.headers) res_.insert(k, v);
    body_hold_ = std::move(out.body);
    const bool head = parsed && parser_->get().method() == http::verb::head;
    if (body_hold_ && !head) {
      res_.body() = {body_hold_->data(), body_hold_->size()};
    }
    res_.keep_alive(keep);
    if (out.status == 304) return;
    if (head) {
      res_.content_length(body_hold_ ? body_hold_->size() : 0);
    } else {
      res_.prepare_payload();
    }
  }

  // After an error reply that ends the connection: stop sending, read and drop what the client still sends
  // (so it sees the reply rather than a reset), then close.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return shut();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxLingerBytes) return self->shut();
                              self->drain();
                            });
  }

  void shut() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }
};

// EMFILE, ENFILE, ENOBUFS, ENOMEM from accept: what it is, or "" for other errors. Compares values only (no
// virtual call on the error category: nothing that could need a descriptor while there is none).
std::string_view out_of_descriptors(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return "";
  switch (ec.value()) {
    case EMFILE:
      return "too many open files (EMFILE)";
    case ENFILE:
      return "too many open files in the system (ENFILE)";
    case ENOBUFS:
      return "no buffer space (ENOBUFS)";
    case ENOMEM:
      return "out of memory (ENOMEM)";
    default:
      return "";
  }
}

void Server::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    if (std::string_view what = out_of_descriptors(ec); !what.empty()) {
      // Keep serving the open connections; try again shortly, and say so once per interval.
      const auto now = Clock::now();
      if (now - last_accept_log >= kAcceptLogInterval) {
        last_accept_log = now;
        log_line("ecomon serve: cannot accept connections: " + std::string(what) +
                 " (open: " + std::to_string(connections.load()) + "); pausing accept");
      }
      accept_timer.expires_after(kAcceptPause);
      accept_timer.async_wait([this](beast::error_code wec) {
        if (!wec) do_accept();
      });
      return;
    }
    return do_accept();
  }
  if (connections.load() >= options.max_connections) {
    // Over the cap: a short 503 without reading anything, then close; the others are not disturbed.
    static const std::string kBusy = [] {
      const std::string body = json_text(server::error_body(503, "too many connections; retry shortly"));
      return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
             "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    beast::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.send(asio::buffer(kBusy), tcp::socket::message_flags(MSG_NOSIGNAL), ignored);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    // Take what the client has sent already, so closing does not reset the connection before it reads the
    // 503.
    std::array<char, 4096> drop{};
    for (size_t taken = 0; taken < kMaxRejectDrainBytes;) {
      const size_t n = socket.receive(asio::buffer(drop), 0, ignored);
      if (ignored || n == 0) break;
      taken += n;
    }
    socket.close(ignored);
    return do_accept();
  }
  try {
    std::make_shared<Session>(std::move(socket), *this)->start();
  } catch (const std::exception& e) {
    log_line(std::string("ecomon serve: cannot start a connection: ") + e.what());
  }
  do_accept();
}

}  // namespace

class HttpServer::Impl {
 public:
  Server s;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { stop(); }
int HttpServer::port() const { return impl_->s.port; }

void HttpServer::stop() {
  if (!impl_->s.running) return;
  impl_->s.running = false;
  impl_->s.ioc.stop();
  for (std::thread& t : impl_->s.io_threads) t.join();
  impl_->s.io_threads.clear();
  beast::error_code ec;
  impl_->s.acceptor.close(ec);
  impl_->s.workers->join();
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::start(const ServeOptions& options) {
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos)
    return invalid_argument("--listen '" + options.listen + "' is not ADDR:PORT");
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  const std::string port_text = options.listen.substr(colon + 1);
  auto [end, perr] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  constexpr int kMaxPort = 65535;
  if (perr != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > kMaxPort)
    return invalid_argument("--listen '" + options.listen + "': bad port");
  if (options.threads < 1 || options.io_threads < 1 || options.max_connections < 1 ||
      options.max_requests_per_connection < 1 || options.max_queued_requests < 1)
    return invalid_argument("--threads, --io-threads and the connection limits must be at least 1");

  auto impl = std::make_unique<Impl>();
  impl->s.options = options;
  if (!options.open_stores)
    return invalid_argument("the server needs a store opener (ServeOptions::open_stores)");
  auto acc = options.open_stores();
  if (!acc.ok()) return acc.status();
  impl->s.account_stores = std::move(*acc);
  impl->s.accounts = std::make_unique<app::Accounts>(impl->s.account_stores->accounts());
  impl->s.router = server::all_routes();
  impl->s.ctx.db = options.db;
  impl->s.ctx.open_stores = options.open_stores;
  impl->s.ctx.accounts = impl->s.accounts.get();
  impl->s.ctx.secure_cookie = options.secure_cookie;
  impl->s.ctx.reports_dir = options.reports_dir;
  impl->s.ctx.login_throttle = &impl->s.login_throttle;
  if (!options.web_dir.empty()) {
    auto files = load_static(options.web_dir);
    if (!files.ok()) return files.status();
    impl->s.static_files = std::move(*files);
  }
  {
    // Request ids: this start's time in hex, then a counter ("18f3a2c1-42").
    constexpr int kHexBase = 16;
    constexpr uint64_t kLow32 = 0xffffffffULL;
    std::array<char, 16> buf{};
    const auto t =
        static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) & kLow32;
    auto [e, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), t, kHexBase);
    (void)ec;
    impl->s.id_prefix = std::string(buf.data(), e) + "-";
  }

  beast::error_code ec;
  auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return invalid_argument("--listen '" + options.listen + "': bad address");
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  tcp::acceptor& a = impl->s.acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status(StatusCode::kUnavailable, "cannot listen on " + options.listen + ": " + ec.message());
  impl->s.port = a.local_endpoint(ec).port();

  impl->s.workers = std::make_unique<asio::thread_pool>(static_cast<size_t>(options.threads));
  impl->s.last_accept_log = Clock::now() - kAcceptLogInterval;
  impl->s.do_accept();
  impl->s.running = true;
  Server* self = &impl->s;
  for (int i = 0; i < options.io_threads; ++i) {
    impl->s.io_threads.emplace_back([self] {
      for (;;) {
        try {
          self->ioc.run();
          return;
        } catch (const std::exception& e) {
          log_line(std::string("ecomon serve: io thread: ") + e.what());
        } catch (...) {
          log_line("ecomon serve: io thread: unknown exception");
        }
      }
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace ecomon
