// `ecomon serve` under hostile input, over real sockets on the demo data (issue 15): bytes that are not UTF-8
// in the path, query, headers and body; NULs; broken Content-Length; slow and idle connections in numbers;
// the connection cap; running out of descriptors; an exception while serving; and the static files
// (precompressed variants, ETag, cache headers, traversal). Each reproduction of the issue asserts the new
// behaviour and that the server still answers afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "accounts/accounts.h"
#include "server/http_test_util.h"
#include "server/server.h"
#include "store/sqlite_stores.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::exchange;
using ecomon::testing::http_request;
using ecomon::testing::RawConnection;
using ecomon::testing::RawReply;
using ecomon::testing::ServeProcess;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "demo-password-1";
constexpr const char* kCitiesPath = "/api/air/cities";
constexpr const char* kAppJs = "console.log('app');\n";
constexpr const char* kAppName = "/app.0123456789ab.js";  // a content-hashed name (12 hex digits)

json body_json(const RawReply& r) { return json::parse(r.body, nullptr, false); }
std::string error_message(const RawReply& r) {
  json j = body_json(r);
  return j.is_object() && j.contains("error") ? j["error"].value("message", "") : "";
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class HttpHardening : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("ecomon_http_hardening_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "http.db").string();
    auto run = [](const std::string& args) {
      auto r = ecomon::testing::run_command(
          "ECOMON_PWHASH=min " + std::string(ECOMON_BIN) + " --db " + db_ + " " + args, true);
      ASSERT_EQ(r.code, 0) << args << "\n" << r.out;
    };
    run("demo --first-year 2025 --last-year 2025 --out " + (dir_ / "demo").string());
    run("users add admin --role admin --password " + std::string(kPassword));
    {
      // An audit row written raw by an older version (before the boundary refused such bytes).
      auto stores = ecomon::open_sqlite_stores(db_);
      ASSERT_TRUE(stores.ok());
      ecomon::AuditEntry e;
      e.user = "admin";
      e.role = "admin";
      e.action = "users.add";
      e.target = "old\xff";
      e.outcome = "invalid";
      e.via = "http 127.0.0.1";
      ASSERT_TRUE((*stores)->accounts().audit(e).ok());
    }
    // A small dashboard: index.html, a hashed module with its (stand-in) precompressed variants.
    web_ = dir_ / "web";
    write_file(web_ / "index.html",
               "<!doctype html><script type=\"module\" src=\"app.0123456789ab.js\"></script>\n");
    write_file(web_ / "app.0123456789ab.js", kAppJs);
    write_file(web_ / "app.0123456789ab.js.br", "BROTLI-BYTES");
    write_file(web_ / "app.0123456789ab.js.gz", "GZIP-BYTES");
    write_file(web_ / "style.css", "body{}\n");
    write_file(dir_ / "secret.txt", "not to be served\n");
    ASSERT_TRUE(server_.start(db_, {"--web", web_.string()}, (dir_ / "serve.log").string()));
  }

  static void TearDownTestSuite() {
    EXPECT_EQ(server_.stop(), 0) << "ecomon serve did not stop cleanly";
    fs::remove_all(dir_);
  }

  static int port() { return server_.port(); }
  static RawReply get(const std::string& target, const std::string& fields = "") {
    return exchange(port(), http_request("GET", target, fields));
  }
  // The server is alive and answers a normal request.
  static void expect_serving() {
    ASSERT_TRUE(server_.alive()) << "ecomon serve has exited";
    RawReply r = get(kCitiesPath);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // "Cookie: ...\r\nX-CSRF-Token: ...\r\n" of a fresh admin session.
  static std::string admin_session() {
    const std::string body = json{{"login", "admin"}, {"password", kPassword}}.dump();
    RawReply r =
        exchange(port(), http_request("POST", "/api/session", "Content-Type: application/json\r\n", body));
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.headers["set-cookie"].substr(0, r.headers["set-cookie"].find(';'));
    return "Cookie: " + cookie + "\r\nX-CSRF-Token: " + body_json(r).value("csrf", "") + "\r\n";
  }

  static inline fs::path dir_, web_;
  static inline std::string db_;
  static inline ServeProcess server_;
};

// ---- text at the boundary

TEST_F(HttpHardening, PathsThatAreNotUtf8Are400AndTheServerLives) {
  // Each of these aborted the old server (json type_error 316 thrown from its error handler).
  for (const std::string target : {"/%ff", "/%c3", "/vendor/%ff", "/x%ffy.js", "/api/air/%ff"}) {
    RawReply r = get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(body_json(r)["error"]["code"], "bad_request") << target;
    EXPECT_NE(error_message(r).find("the path is not valid UTF-8 (byte "), std::string::npos)
        << error_message(r);
  }
  // "/%c3": one byte, cut off: "byte 2 (0xC3)" — byte 1 is '/'.
  EXPECT_EQ(error_message(get("/%c3")), "the path is not valid UTF-8 (byte 2 (0xC3) is not valid UTF-8)");
  // Raw bytes in the request line: a 400 (or the parser's refusal), never a crash.
  RawReply raw = exchange(port(), "GET /\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.status, 400);
  EXPECT_EQ(error_message(raw), "the path is not valid UTF-8 (byte 2 (0xFF) is not valid UTF-8)");
  expect_serving();
}

TEST_F(HttpHardening, QueryAndHeadersThatAreNotUtf8Are400NamingTheField) {
  // "%E6%BC%94%FF": 演 is three bytes, then 0xFF is the 4th.
  RawReply v = get("/api/air/stations?city=%E6%BC%94%FF");
  EXPECT_EQ(v.status, 400);
  EXPECT_EQ(error_message(v), "query parameter 'city' is not valid UTF-8 (byte 4 (0xFF) is not valid UTF-8)");
  RawReply n = get("/api/air/stations?ci%FFty=x");
  EXPECT_EQ(n.status, 400);
  EXPECT_EQ(error_message(n),
            "query parameter name 'ci\\xFFty' is not valid UTF-8 (byte 3 (0xFF) is not valid UTF-8)");
  RawReply c = get(kCitiesPath, "Cookie: ecomon_session=\xc3\x28\r\n");
  EXPECT_EQ(c.status, 400);
  EXPECT_EQ(error_message(c), "header 'Cookie' is not valid UTF-8 (byte 16 (0xC3) is not valid UTF-8)");
  RawReply a = get(kCitiesPath, "Authorization: Bearer \xfe\r\n");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(error_message(a), "header 'Authorization' is not valid UTF-8 (byte 8 (0xFE) is not valid UTF-8)");
  RawReply x = get(kCitiesPath, "X-CSRF-Token: \x80\r\n");
  EXPECT_EQ(x.status, 400);
  EXPECT_EQ(error_message(x), "header 'X-CSRF-Token' is not valid UTF-8 (byte 1 (0x80) is not valid UTF-8)");
  // A good query is still served (the city's name as UTF-8).
  EXPECT_EQ(get("/api/air/stations?city=%E6%BC%94%E7%A4%BA%E5%B8%82").status, 200);
  expect_serving();
}

TEST_F(HttpHardening, NulInPathOrQueryIs400) {
  RawReply p = get("/api/air/cities%00");
  EXPECT_EQ(p.status, 400);
  EXPECT_EQ(error_message(p), "the path contains a NUL byte (byte 16)");  // "/api/air/cities" is 15 bytes
  RawReply q = get("/api/air/stations?city=a%00b");
  EXPECT_EQ(q.status, 400);
  EXPECT_EQ(error_message(q), "query parameter 'city' contains a NUL byte (byte 2)");
  // A raw NUL in the request line: the parser refuses it.
  RawReply raw = exchange(port(), std::string("GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 30));
  EXPECT_TRUE(raw.status == 400 || (raw.status == 0 && raw.closed)) << raw.status;
  expect_serving();
}

TEST_F(HttpHardening, BodyThatIsNotUtf8Is400NamingTheBody) {
  const std::string body = "{\"login\":\"ad\xffmin\",\"password\":\"x\"}";  // 0xFF is byte 13
  RawReply r =
      exchange(port(), http_request("POST", "/api/session", "Content-Type: application/json\r\n", body));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_message(r), "the request body is not valid UTF-8 (byte 13 (0xFF) is not valid UTF-8)");
  expect_serving();
}

TEST_F(HttpHardening, WritesWithBadBytesAreRefusedAndNeverAudited) {
  const std::string session = admin_session();
  // The old server audited this raw; from then on GET /api/audit answered 500.
  RawReply w =
      exchange(port(), http_request("POST", "/api/ledger/tasks/%ff/1/status", session, R"({"to":"done"})"));
  EXPECT_EQ(w.status, 400);
  EXPECT_EQ(error_message(w), "the path is not valid UTF-8 (byte 19 (0xFF) is not valid UTF-8)");
  RawReply audit = get("/api/audit?limit=1000", session);
  ASSERT_EQ(audit.status, 200) << audit.body;
  json items = body_json(audit)["items"];
  int replaced = 0;
  for (const json& e : items) {
    EXPECT_EQ(e.value("target", "").find('\xff'), std::string::npos);
    EXPECT_NE(e.value("action", ""), "ledger.status") << "a refused request was audited: " << e.dump();
    replaced += e.value("target", "") == "old\xef\xbf\xbd";  // the old raw row, served with U+FFFD
  }
  EXPECT_EQ(replaced, 1);
  expect_serving();
}

// ---- framing

TEST_F(HttpHardening, ContentLengthMustBeOneNumberWithinTheLimit) {
  auto post = [](const std::string& fields, const std::string& body = "") {
    return exchange(port(), "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                fields + "\r\n" + body);
  };
  for (const std::string cl :
       {"Content-Length: -1\r\n", "Content-Length: abc\r\n", "Content-Length: 1e3\r\n",
        "Content-Length: 99999999999999999999999\r\n",
        "Content-Length: 2\r\nContent-Length: 2\r\n",  // duplicate
        "Content-Length: 2\r\nContent-Length: 3\r\n",  // conflicting
        "Content-Length: 2, 2\r\n", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"}) {
    RawReply r = post(cl, "{}");
    EXPECT_EQ(r.status, 400) << cl;
    EXPECT_EQ(body_json(r)["error"]["code"], "bad_request") << cl;
  }
  // Larger than the body limit (64 KiB): 413 from the header alone, before any body is read.
  RawReply big = post("Content-Length: 1000000\r\n");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(error_message(big), "the request body is larger than 65536 bytes");
  // A chunked body past the limit: 413 too.
  RawConnection chunked(port());
  const std::string chunk(16 * 1024, ' ');
  std::string req = "POST /api/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) req += "4000\r\n" + chunk + "\r\n";  // 5 x 16 KiB > 64 KiB
  req += "0\r\n\r\n";
  ASSERT_TRUE(chunked.send_all(req));
  EXPECT_EQ(chunked.read_reply().status, 413);
  // A header over 16 KiB: 431.
  EXPECT_EQ(get(kCitiesPath, "X-Big: " + std::string(20000, 'a') + "\r\n").status, 431);
  expect_serving();
}

TEST_F(HttpHardening, KeepAliveRequestsPerConnectionAreCapped) {
  RawConnection c(port());
  const std::string req = "GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n";
  constexpr int kCap = 1000;  // ServeOptions::max_requests_per_connection
  for (int i = 1; i <= kCap; ++i) {
    ASSERT_TRUE(c.send_all(req)) << i;
    RawReply r = c.read_reply();
    ASSERT_EQ(r.status, 200) << i;
    if (i < kCap) {
      ASSERT_NE(r.headers["connection"], "close") << i;
    } else {
      EXPECT_EQ(r.headers["connection"], "close");
    }
  }
  EXPECT_TRUE(c.wait_closed(milliseconds(2000)));
}

// ---- slow and idle clients

// `n` connections sending one byte of a never-ending header every `period`, reconnecting when cut, until
// stop.
class Tricklers {
 public:
  Tricklers(int port, int n, milliseconds period) : port_(port), n_(n), period_(period) {
    thread_ = std::thread([this] { run(); });
  }
  ~Tricklers() {
    stop_ = true;
    thread_.join();
  }
  int connected() const { return connected_.load(); }  // the most connected at once

 private:
  void run() {
    const std::string header =
        "GET /api/air/cities HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(4096, 'a');
    std::vector<std::unique_ptr<RawConnection>> conns;
    std::vector<size_t> sent(static_cast<size_t>(n_), 0);
    for (int i = 0; i < n_; ++i) conns.push_back(std::make_unique<RawConnection>(port_));
    while (!stop_) {
      int up = 0;
      for (size_t i = 0; i < conns.size(); ++i) {
        if (!conns[i]->ok() || !conns[i]->send_all(header.substr(sent[i] % header.size(), 1))) {
          conns[i] = std::make_unique<RawConnection>(port_);  // cut by the header deadline: come back
          sent[i] = 0;
          continue;
        }
        ++sent[i];
        ++up;
      }
      if (up > connected_) connected_ = up;
      for (auto t = Clock::now() + period_; Clock::now() < t && !stop_;)
        std::this_thread::sleep_for(milliseconds(20));
    }
  }
  int port_, n_;
  milliseconds period_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connected_{0};
  std::thread thread_;
};

// A normal client's requests while something else goes on: each must be 200 within `limit`.
void expect_answers_meanwhile(int port, seconds during, milliseconds limit) {
  const auto end = Clock::now() + during;
  int answered = 0;
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    RawReply r = exchange(port, http_request("GET", "/api/session"), milliseconds(5000));
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - t0);
    EXPECT_EQ(r.status, 200);
    EXPECT_LT(took.count(), limit.count()) << "a normal request waited " << took.count() << " ms";
    ++answered;
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_GT(answered, 0);
}

TEST_F(HttpHardening, SeventyTricklingConnectionsDoNotStopService) {
  // The old server (64 request threads, no header deadline) stopped answering for as long as these lasted.
  Tricklers t(port(), 70, milliseconds(1000));
  std::this_thread::sleep_for(milliseconds(500));
  expect_answers_meanwhile(port(), seconds(4), milliseconds(1000));
  EXPECT_EQ(t.connected(), 70);
  expect_serving();
}

TEST_F(HttpHardening, SeventyIdleConnectionsDoNotStopService) {
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 70; ++i) idle.push_back(std::make_unique<RawConnection>(port()));
  for (auto& c : idle) ASSERT_TRUE(c->ok());
  std::this_thread::sleep_for(milliseconds(300));
  expect_answers_meanwhile(port(), seconds(2), milliseconds(1000));
}

TEST_F(HttpHardening, FiveHundredSlowClientsForTenSeconds) {
  Tricklers t(port(), 500, milliseconds(1000));
  expect_answers_meanwhile(port(), seconds(10), milliseconds(1000));
  EXPECT_EQ(t.connected(), 500);  // all of them at once
  expect_serving();
}

// ---- deadlines, the connection cap, descriptors

TEST_F(HttpHardening, HeaderAndIdleDeadlinesEndSlowConnections) {
  ServeProcess s;
  ASSERT_TRUE(s.start(db_, {"--header-timeout", "1", "--idle-timeout", "1"}));
  // A header trickled one byte each 200 ms never completes: cut at the 1 s header deadline.
  RawConnection slow(s.port());
  const auto t0 = Clock::now();
  bool cut = false;
  for (int i = 0; i < 50 && !cut; ++i) {
    cut = !slow.send_all("G") || slow.wait_closed(milliseconds(200));
  }
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
  EXPECT_TRUE(cut);
  EXPECT_GE(took, 800);
  EXPECT_LT(took, 5000);
  // An idle keep-alive connection is closed after the idle deadline.
  RawConnection keep(s.port());
  ASSERT_TRUE(keep.send_all("GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(keep.read_reply().status, 200);
  EXPECT_TRUE(keep.wait_closed(milliseconds(4000)));
  EXPECT_EQ(exchange(s.port(), http_request("GET", "/api/session")).status, 200);
}

TEST_F(HttpHardening, ConnectionsBeyondTheCapGet503AndOthersAreUndisturbed) {
  ServeProcess s;
  ASSERT_TRUE(s.start(db_, {"--max-connections", "5"}));
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 5; ++i) held.push_back(std::make_unique<RawConnection>(s.port()));
  std::this_thread::sleep_for(milliseconds(300));  // all five accepted
  RawReply over = exchange(s.port(), http_request("GET", "/api/session"));
  EXPECT_EQ(over.status, 503);
  EXPECT_EQ(over.headers["retry-after"], "1");
  EXPECT_EQ(error_message(over), "too many connections; retry shortly");
  // The five held ones are served.
  for (auto& c : held) {
    ASSERT_TRUE(c->send_all("GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(c->read_reply().status, 200);
  }
  held.clear();
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(exchange(s.port(), http_request("GET", "/api/session")).status, 200);
}

TEST_F(HttpHardening, OutOfDescriptorsPausesAcceptingAndKeepsServing) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check opens a pipe to test memory, and aborts the process (-fno-sanitize-recover) when no
  // descriptor is left: this runs in the Release build (build/release/src/server/http_hardening_test).
  GTEST_SKIP() << "needs a build without sanitizers";
#endif
  const fs::path log = dir_ / "emfile.log";
  ServeProcess s;
  ASSERT_TRUE(s.start(db_, {"--threads", "2"}, log.string(), {"prlimit", "--nofile=48:48", "--"}));
  std::vector<std::unique_ptr<RawConnection>> many;
  for (int i = 0; i < 80; ++i)
    many.push_back(std::make_unique<RawConnection>(s.port()));  // the backlog takes them
  std::this_thread::sleep_for(milliseconds(500));
  many.clear();  // the server gets its descriptors back
  std::this_thread::sleep_for(milliseconds(500));
  RawReply r = exchange(s.port(), http_request("GET", "/api/session"), milliseconds(5000));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(s.alive());
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t said = 0;
  for (size_t p = text.find("pausing accept"); p != std::string::npos; p = text.find("pausing accept", p + 1))
    ++said;
  EXPECT_EQ(said, 1u) << text;  // once per 10 s, not once per refused connection
}

// ---- static files

TEST_F(HttpHardening, StaticFilesNegotiateEncodingAndCache) {
  RawReply br = get(kAppName, "Accept-Encoding: gzip, deflate, br\r\n");
  ASSERT_EQ(br.status, 200);
  EXPECT_EQ(br.body, "BROTLI-BYTES");
  EXPECT_EQ(br.headers["content-encoding"], "br");
  EXPECT_EQ(br.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(br.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(br.headers["cache-control"], "public, max-age=31536000, immutable");
  RawReply gz = get(kAppName, "Accept-Encoding: gzip, br;q=0\r\n");
  EXPECT_EQ(gz.body, "GZIP-BYTES");
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  RawReply plain = get(kAppName);
  EXPECT_EQ(plain.body, kAppJs);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_NE(plain.headers["etag"], br.headers["etag"]);  // one ETag per variant
  // If-None-Match with the variant's ETag: 304, no body.
  RawReply again = get(kAppName, "Accept-Encoding: br\r\nIf-None-Match: " + br.headers["etag"] + "\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.headers["etag"], br.headers["etag"]);
  // index.html: revalidated every time; not hashed, so no-cache; served for "/".
  RawReply index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(get("/style.css").headers["cache-control"], "no-cache");
  EXPECT_EQ(get(kCitiesPath).headers["cache-control"], "no-store");
  for (const std::string h : {"x-content-type-options", "x-frame-options", "referrer-policy", "x-request-id"})
    EXPECT_FALSE(index.headers[h].empty()) << h;
  // HEAD: the length, no body.
  RawConnection head(port());
  ASSERT_TRUE(head.send_all("HEAD " + std::string(kAppName) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawReply h = head.read_reply(milliseconds(5000), true);
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.headers["content-length"], std::to_string(std::string(kAppJs).size()));
}

TEST_F(HttpHardening, StaticPathTraversalIsRefused) {
  for (const std::string target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/a/../../secret.txt", "/./index.html"}) {
    RawReply r = get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.body.find("not to be served"), std::string::npos);
  }
  EXPECT_EQ(get("/secret.txt").status, 404);
  EXPECT_EQ(get("/nothing.js").status, 404);
  EXPECT_EQ(exchange(port(), http_request("POST", "/index.html")).status, 405);
}

// ---- an exception while serving (in process: a hook that throws on the worker)

TEST_F(HttpHardening, AnExceptionBecomesA500ForThatRequestOnly) {
  ecomon::ServeOptions o;
  o.db = db_;
  o.open_stores = ecomon::sqlite_stores_opener(db_);
  o.listen = "127.0.0.1:0";
  o.before_dispatch = [](std::string_view path) {
    if (path == "/api/boom") throw std::runtime_error("boom from the test");
  };
  auto s = ecomon::HttpServer::start(o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ::testing::internal::CaptureStderr();
  RawReply r = exchange((*s)->port(), http_request("GET", "/api/boom"));
  RawReply ok = exchange((*s)->port(), http_request("GET", "/api/session"));
  (*s)->stop();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(r.status, 500);
  const std::string id = r.headers["x-request-id"];
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(error_message(r), "internal error (request " + id + ")");
  EXPECT_NE(log.find("request " + id + " (127.0.0.1 GET /api/boom): internal error: boom from the test"),
            std::string::npos)
      << log;
  EXPECT_EQ(ok.status, 200);
}

// The public cache and the data it is made of (issue 19: a live upload on the public pages within a second):
// a cached reply is reused while ServeOptions::data_generation stays; once it moves, a reply made more than
// fresh_ms earlier is computed again (and then reused under the new number); a successful API write moves it
// too. With a long fresh_ms the reply is reused although the number moved (a burst computes it once).
TEST_F(HttpHardening, TheCacheFollowsTheDataItIsMadeOf) {
  std::atomic<uint64_t> generation{0};
  std::atomic<int> computed{0};
  auto start = [&](int fresh_ms) {
    ecomon::ServeOptions o;
    o.db = db_;
    o.open_stores = ecomon::sqlite_stores_opener(db_);
    o.listen = "127.0.0.1:0";
    o.cache_seconds = 60;
    o.fresh_ms = fresh_ms;
    o.data_generation = [&generation] { return generation.load(); };
    o.before_dispatch = [&computed](std::string_view path) {
      if (path == "/api/air/cities") ++computed;
    };
    return ecomon::HttpServer::start(o);
  };
  auto s = start(0);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const int port = (*s)->port();
  auto cities = [&] {
    return ecomon::testing::exchange(port, http_request("GET", "/api/air/cities")).status;
  };
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(computed.load(), 1);  // the second from the cache
  ++generation;                   // the gateway stored something
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(computed.load(), 2);
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(computed.load(), 2);  // reused under the new number
  // A write through the API (a sign-in) moves it as well; a refused one does not.
  const std::string bad = json{{"login", "admin"}, {"password", "wrong"}}.dump();
  EXPECT_EQ(ecomon::testing::exchange(
                port, http_request("POST", "/api/session", "Content-Type: application/json\r\n", bad))
                .status,
            401);
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(computed.load(), 2);
  const std::string good = json{{"login", "admin"}, {"password", kPassword}}.dump();
  EXPECT_EQ(ecomon::testing::exchange(
                port, http_request("POST", "/api/session", "Content-Type: application/json\r\n", good))
                .status,
            200);
  EXPECT_EQ(cities(), 200);
  EXPECT_EQ(computed.load(), 3);
  (*s)->stop();

  auto slow = start(60'000);
  ASSERT_TRUE(slow.ok()) << slow.status().message();
  const int slow_port = (*slow)->port();
  computed = 0;
  EXPECT_EQ(ecomon::testing::exchange(slow_port, http_request("GET", "/api/air/cities")).status, 200);
  ++generation;
  EXPECT_EQ(ecomon::testing::exchange(slow_port, http_request("GET", "/api/air/cities")).status, 200);
  EXPECT_EQ(computed.load(), 1);  // made less than 60 s ago: reused although the number moved
  (*slow)->stop();
}

}  // namespace
