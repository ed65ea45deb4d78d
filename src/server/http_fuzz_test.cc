// A bounded, seeded HTTP fuzz run against a running `ecomon serve` on the demo data: random methods, paths,
// query parameters, header fields and bodies (bytes that are not UTF-8, NULs, huge values, broken framing),
// each on its own connection. Every request must get an answer that is not a 500 (or, when its framing was
// broken, an answer or a clean close); none may stall; the server must be alive at the end and stop cleanly.
//   ECOMON_HTTP_FUZZ_SEED=N     replay a run (the seed is printed)
//   ECOMON_HTTP_FUZZ_REQUESTS=N how many requests (default 2000; at most 120 s either way)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "server/http_test_util.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using ecomon::testing::exchange;
using ecomon::testing::http_request;
using ecomon::testing::RawConnection;
using ecomon::testing::RawReply;
using ecomon::testing::ServeProcess;
using std::chrono::milliseconds;

constexpr int kDefaultRequests = 2000;
constexpr auto kBudget = std::chrono::seconds(120);
constexpr auto kReplyTimeout = milliseconds(15000);  // above the server's 10 s header deadline

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  // One request's bytes; well_formed says whether its framing is intact (then it must get an answer).
  std::string request(bool& well_formed) {
    well_formed = true;
    std::string method =
        pick({"GET", "GET", "GET", "POST", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"});
    if (chance(3)) method = random_token();
    std::string target = path() + query();
    if (chance(40)) {
      target = raw_bytes(between(1, 40));  // anything in the request line
      well_formed = false;
    }
    std::string req =
        method + " " + target + " HTTP/1." + (chance(10) ? "0" : "1") + "\r\nHost: 127.0.0.1\r\n";
    const int fields = chance(2) ? 0 : between(1, 5);
    for (int i = 0; i < fields; ++i) req += field(well_formed);
    std::string body;
    if (method == "POST" || method == "PUT" || chance(10)) body = this->body();
    switch (between(0, 9)) {
      case 0:  // no Content-Length: the body (if any) is taken as the next request
        break;
      case 1:  // a length that is not the body's
        req += "Content-Length: " + std::to_string(between(0, 200)) + "\r\n";
        well_formed = false;
        break;
      case 2:  // a length that is not a number
        req += "Content-Length: " + pick({"-1", "x", "1e9", "99999999999999999999999", "5, 6", " "}) + "\r\n";
        break;
      case 3: {  // chunked, maybe broken
        req += "Transfer-Encoding: chunked\r\n\r\n";
        std::ostringstream hex;
        hex << std::hex << body.size();
        std::string chunked = (body.empty() ? "" : hex.str() + "\r\n" + body + "\r\n") + "0\r\n\r\n";
        if (chance(3)) {
          chunked = chunked.substr(0, static_cast<size_t>(between(0, static_cast<int>(chunked.size()))));
          well_formed = false;
        }
        return req + chunked;
      }
      default:
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    if (chance(15)) {  // cut anywhere
      req = req.substr(0, static_cast<size_t>(between(0, static_cast<int>(req.size()))));
      well_formed = false;
    }
    return req;
  }

 private:
  std::mt19937_64 rng_;

  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int one_in) { return between(1, one_in) == 1; }
  std::string pick(std::initializer_list<const char*> items) {
    return *(items.begin() + between(0, static_cast<int>(items.size()) - 1));
  }
  std::string raw_bytes(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(between(0, 255)));
    return s;
  }
  std::string random_token() {
    std::string s;
    for (int i = between(1, 12); i > 0; --i) s.push_back(static_cast<char>(between('A', 'Z')));
    return s;
  }
  // Text that is often wrong: UTF-8, cut sequences, NULs, escapes, huge.
  std::string value() {
    switch (between(0, 11)) {
      case 0:
        return "%E6%BC%94%E7%A4%BA%E5%B8%82";  // 演示市
      case 1:
        return "%ff";
      case 2:
        return "%c3";
      case 3:
        return "%00";
      case 4:
        return std::string(between(200, 5000), 'x');
      case 5:
        return std::to_string(static_cast<int64_t>(rng_()));
      case 6:
        return "2025-" + std::to_string(between(0, 13));
      case 7:
        return "%" + raw_bytes(2);
      case 8:
        return "'%20OR%20'1'='1";
      case 9:
        return "%ED%A0%80";  // a surrogate: not UTF-8
      case 10:
        return "";
      default:
        return std::to_string(between(-5, 2000));
    }
  }
  // A value a route takes, so that requests also get past the checks into the handlers.
  std::string good_value() {
    return pick(
        {"%E6%BC%94%E7%A4%BA%E5%B8%82", "2025-12", "2025-12-31", "2025", "10", "0", "json", "csv", "1001A"});
  }
  std::string path() {
    std::string p = pick({"/api/air/cities", "/api/air/stations", "/api/air/daily", "/api/air/today",
                          "/api/air/hourly", "/api/session", "/api/users", "/api/audit", "/api/ledger/tasks",
                          "/api/ledger/tasks/P1/1/status", "/api/sources/devices", "/api/openapi.json", "/",
                          "/index.html", "/vendor/x.js", "/api/", "/api", "//", "/../etc/passwd"});
    if (chance(3))
      for (int i = between(1, 2); i > 0; --i) p += "/" + value();
    if (chance(20)) p += raw_bytes(between(1, 8));
    return p;
  }
  std::string query() {
    if (chance(3)) return "";
    std::string q = "?";
    for (int i = between(1, 5); i > 0; --i) {
      q += pick({"city", "month", "date", "limit", "offset", "format", "station", "period", "year", "q",
                 "%ff", "a%00"}) +
           std::string(chance(8) ? "" : "=") + (chance(2) ? good_value() : value()) +
           (chance(10) ? "&&" : "&");
    }
    return q;
  }
  std::string field(bool& well_formed) {
    switch (between(0, 12)) {
      case 0:
        return "Cookie: ecomon_session=" + value() + "\r\n";
      case 1:
        return "Cookie: ecomon_session=" + raw_bytes(between(1, 40)) + "\r\n";
      case 2:
        return "Authorization: Bearer " + value() + "\r\n";
      case 3:
        return "Authorization: " + raw_bytes(between(1, 20)) + "\r\n";
      case 4:
        return "X-CSRF-Token: " + raw_bytes(between(1, 20)) + "\r\n";
      case 5:
        return "Accept-Encoding: " + pick({"br", "gzip", "br;q=0, gzip;q=0.5", "*;q=0", "identity", "x"}) +
               "\r\n";
      case 6:
        return "If-None-Match: " + pick({"*", "\"x\"", "W/\"y\"", ""}) + "\r\n";
      case 7:
        return "X-Big: " + std::string(between(1000, 20000), 'b') + "\r\n";
      case 8:
        return "Expect: 100-continue\r\n";
      case 9:
        well_formed = false;
        return "no colon here\r\n";
      case 10:
        return "Connection: " + pick({"close", "keep-alive", "upgrade", "\xff"}) + "\r\n";
      case 11:
        well_formed = false;
        return raw_bytes(between(1, 30)) + "\r\n";
      default:
        return "Content-Type: application/json\r\n";
    }
  }
  std::string body() {
    switch (between(0, 7)) {
      case 0:
        return R"({"login":"admin","password":"x"})";
      case 1:
        return "{\"login\":\"" + raw_bytes(between(1, 20)) + "\"}";
      case 2:
        return std::string(between(1, 10), '\0');
      case 3:
        return std::string(between(60000, 70000), '[');
      case 4:
        return std::string(between(1, 2000), '[');
      case 5:
        return raw_bytes(between(1, 500));
      case 6:
        return R"({"to":"done","note":")" + std::string(between(0, 3000), 'n') + "\"}";
      default:
        return "";
    }
  }
};

TEST(HttpFuzz, EveryRequestIsAnsweredAndTheServerLives) {
  const fs::path dir = fs::temp_directory_path() / ("ecomon_http_fuzz_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "web");
  const std::string db = (dir / "fuzz.db").string();
  auto r = ecomon::testing::run_command("ECOMON_PWHASH=min " + std::string(ECOMON_BIN) + " --db " + db +
                                            " demo --first-year 2025 --last-year 2025 --out " +
                                            (dir / "demo").string(),
                                        true);
  ASSERT_EQ(r.code, 0) << r.out;
  { std::ofstream(dir / "web" / "index.html") << "<!doctype html>\n"; }
  ServeProcess server;
  ASSERT_TRUE(server.start(db, {"--web", (dir / "web").string()}, (dir / "serve.log").string()));

  const char* seed_text = std::getenv("ECOMON_HTTP_FUZZ_SEED");
  const uint64_t seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : std::random_device()();
  const char* count_text = std::getenv("ECOMON_HTTP_FUZZ_REQUESTS");
  const int count = count_text ? std::atoi(count_text) : kDefaultRequests;
  std::cout << "http fuzz: seed " << seed << " (replay with ECOMON_HTTP_FUZZ_SEED=" << seed << "), " << count
            << " requests" << std::endl;
  Generator gen(seed);
  const auto end = std::chrono::steady_clock::now() + kBudget;
  int sent = 0, answered = 0, closed = 0;
  std::map<int, int> statuses;
  for (; sent < count && std::chrono::steady_clock::now() < end; ++sent) {
    bool well_formed = true;
    const std::string req = gen.request(well_formed);
    RawConnection c(server.port());
    ASSERT_TRUE(c.ok()) << "request " << sent << ": cannot connect (seed " << seed << ")";
    c.send_all(req);  // the server may close before taking all of it
    c.shutdown_write();
    RawReply reply = c.read_reply(kReplyTimeout);
    ASSERT_FALSE(reply.timed_out && reply.status == 0)
        << "request " << sent << " stalled (seed " << seed << "): " << ecomon::testing::printable(req);
    if (reply.status == 0) {
      ++closed;
      EXPECT_FALSE(well_formed) << "request " << sent << " was closed unanswered (seed " << seed
                                << "): " << ecomon::testing::printable(req);
      continue;
    }
    ++answered;
    ++statuses[reply.status];
    EXPECT_TRUE(reply.status >= 200 && reply.status < 600) << reply.status;
    EXPECT_NE(reply.status, 500) << "request " << sent << " (seed " << seed
                                 << "): " << ecomon::testing::printable(req) << "\n"
                                 << reply.body;
    ASSERT_TRUE(server.alive()) << "the server died at request " << sent << " (seed " << seed << ")";
  }
  std::cout << "http fuzz: " << sent << " requests, " << answered << " answered, " << closed
            << " closed unanswered (broken framing); statuses:";
  for (const auto& [s, n] : statuses) std::cout << " " << s << "x" << n;
  std::cout << std::endl;
  EXPECT_GT(answered, sent / 2);
  ASSERT_TRUE(server.alive());
  EXPECT_EQ(exchange(server.port(), http_request("GET", "/api/air/cities")).status, 200);
  EXPECT_EQ(server.stop(), 0);
  fs::remove_all(dir);
}

}  // namespace
