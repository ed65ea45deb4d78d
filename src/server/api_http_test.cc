// The API over real HTTP: `ecomon serve` on a free port over a temp store loaded with `ecomon demo` (2025),
// the demo source registry and a day of hourly uploads; users made with `ecomon users add`. Every endpoint,
// the role checks, and bad requests (malformed JSON, oversize bodies, unknown fields and parameters,
// SQL-looking strings); tokens listed and revoked, users disabled, audit rows that are not UTF-8, and a busy
// store (a write answered 503 with Retry-After, nothing stored).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "demo/demo_registry.h"
#include "gateway/simulator.h"
#include "store/sqlite_stores.h"
#include "store/test_sqlite_file.h"
#include "testing/run_command.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kCity = "演示市";
constexpr const char* kPassword = "demo-password-1";
constexpr int kHours = 24;
constexpr int64_t kDay = 20250310;  // the uploads' day
constexpr int64_t kDigitsPerDay = 1000000, kDigitsPerHour = 10000;

std::string ecomon_cmd(const std::string& db, const std::string& args) {
  return "ECOMON_PWHASH=min " + std::string(ECOMON_BIN) + " --db " + db + " " + args;
}

json cli_json(const std::string& db, const std::string& args) {
  auto r = ecomon::testing::run_command(ecomon_cmd(db, args));
  EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
  return json::parse(r.out, nullptr, false);
}

// A stored hourly upload (CN 2061) of demo device `d` at DataTime `t` with these CP items.
ecomon::SourceRecord hourly_record(int d, int64_t t, const std::string& items) {
  return {.mn = ecomon::sim_mn(d),
          .cn = 2061,
          .data_time = t,
          .qn = "",
          .received_ms = 0,
          .flag = 0,
          .cp = "DataTime=" + std::to_string(t) + ";" + items};
}

// `ecomon serve` on a free port over `db`, with these environment variables set; its first line names the
// port.
void start_serve(const std::string& db, const std::vector<std::pair<std::string, std::string>>& env,
                 pid_t* pid, int* port) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  *pid = fork();
  if (*pid == 0) {
    // The server dies with the test: a test that crashes must not leave it holding ctest's output pipe.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    setenv("ECOMON_PWHASH", "min", 1);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl(ECOMON_BIN, ECOMON_BIN, "--db", db.c_str(), "serve", "--listen", "127.0.0.1:0", "--cache-seconds",
          "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[512] = {0};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr) << "ecomon serve printed nothing";
  fclose(f);
  std::string s = line;  // "serving http://127.0.0.1:PORT/ (store ...)"
  size_t colon = s.find(':', s.find("127.0.0.1"));
  ASSERT_NE(colon, std::string::npos) << s;
  *port = std::stoi(s.substr(colon + 1));
}

void stop_serve(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "ecomon serve did not stop cleanly";
}

class ApiHttp : public ::testing::Test {
 protected:
  // The fixture's store: the demo city (2024-2025), the demo source registry with a day of hourly uploads,
  // the ledger, the emergency list and five users. gtest_discover_tests runs each test in its own process,
  // so the store is built once per build of `ecomon` and of this test (the key: both files' size and mtime)
  // into a template directory under a lock, and each process copies it: the tests write, so each gets its
  // own copy; the build takes ~7 s, the copy a fraction of a second.
  static void build_fixture(const fs::path& dir) {
    const std::string db = (dir / "api.db").string();
    auto run = [&db](const std::string& args) {
      auto r = ecomon::testing::run_command(ecomon_cmd(db, args), true);
      ASSERT_EQ(r.code, 0) << args << "\n" << r.out;
    };
    ASSERT_NO_FATAL_FAILURE(run("demo --first-year 2024 --last-year 2025 --out " + (dir / "demo").string()));
    ASSERT_TRUE(ecomon::write_demo_registry((dir / "registry").string()).ok());
    ASSERT_NO_FATAL_FAILURE(run("sources import " + (dir / "registry").string()));
    {
      auto store = ecomon::open_sqlite_stores(db);
      ASSERT_TRUE(store.ok());
      std::vector<ecomon::SourceRecord> recs;
      for (int d = 0; d < ecomon::kDemoRegistryDevices; ++d) {
        for (int h = 0; h < kHours; ++h) {
          const int64_t t = kDay * kDigitsPerDay + h * kDigitsPerHour;
          recs.push_back(hourly_record(d, t,
                                       "a21026-Avg=8.0,a21026-ZsAvg=10.0,a21026-Flag=N;a21002-Avg=20.0,"
                                       "a21002-ZsAvg=25.0,a21002-Flag=N;a34013-Avg=3.0,a34013-ZsAvg=4.0,"
                                       "a34013-Flag=N"));
        }
      }
      ASSERT_TRUE((*store)->sources().insert_source_records(recs).ok());
    }
    ASSERT_NO_FATAL_FAILURE(run("ledger import " + std::string(ECOMON_SOURCE_DIR) + "/demo/ledger"));
    ASSERT_NO_FATAL_FAILURE(run("emergency demo-registry --out " + (dir / "emergency").string()));
    ASSERT_NO_FATAL_FAILURE(run("emergency import " + (dir / "emergency").string()));
    for (const char* user :
         {"admin --role admin", "ana --role analyst", "chengqu --role county --county 城区",
          "e02 --role enterprise --enterprise E02", "citizen --role public"}) {
      ASSERT_NO_FATAL_FAILURE(run("users add " + std::string(user) + " --password " + kPassword));
    }
  }

  static std::string file_stamp(const char* path) {
    struct stat st {};
    if (::stat(path, &st) != 0) return "none";
    return std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  }

  // The template's directory, built when missing (under an exclusive lock, so that parallel test processes
  // build it once); templates of other builds are removed when a new one is made.
  static void fixture_template(fs::path* out) {
    const std::string key = file_stamp(ECOMON_BIN) + "-" + file_stamp("/proc/self/exe");
    const std::string prefix = "ecomon_api_http_fixture_";
    const fs::path tpl = fs::temp_directory_path() / (prefix + std::to_string(std::hash<std::string>{}(key)));
    const std::string lock_path = tpl.string() + ".lock";
    const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    ASSERT_GE(lock, 0) << lock_path;
    ASSERT_EQ(::flock(lock, LOCK_EX), 0);
    if (!fs::exists(tpl / "api.db")) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec)) {
        const std::string name = e.path().filename().string();
        // Another build's template (another worktree's tests may be copying one: only those a day old).
        const bool old =
            fs::last_write_time(e.path(), ec) < fs::file_time_type::clock::now() - std::chrono::hours(24);
        if (name.starts_with(prefix) && !name.ends_with(".lock") && e.path() != tpl && old)
          fs::remove_all(e.path(), ec);
      }
      const fs::path tmp = tpl.string() + ".tmp";
      fs::remove_all(tmp);
      fs::create_directories(tmp);
      build_fixture(tmp);
      if (!::testing::Test::HasFatalFailure()) fs::rename(tmp, tpl);
    }
    ::close(lock);  // releases the lock
    *out = tpl;
  }

  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("ecomon_api_http_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "api.db").string();
    fs::path tpl;
    ASSERT_NO_FATAL_FAILURE(fixture_template(&tpl));
    for (const auto& e : fs::directory_iterator(tpl)) {
      if (e.path().filename().string().starts_with("api.db"))
        fs::copy_file(e.path(), dir_ / e.path().filename());
    }

    ASSERT_NO_FATAL_FAILURE(start_serve(db_, {}, &pid_, &port_));
  }

  static void TearDownTestSuite() {
    stop_serve(pid_);
    fs::remove_all(dir_);
  }

  static httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(120, 0);
    return c;
  }

  struct Reply {
    int status = 0;
    json body;
    std::string text;
    httplib::Headers headers;
  };
  static Reply wrap(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.text = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }
  static Reply get(const std::string& path, const httplib::Headers& h = {}) {
    return wrap(client().Get(path, h));
  }
  static Reply send(const std::string& method, const std::string& path, const std::string& body,
                    const httplib::Headers& h = {}) {
    auto c = client();
    if (method == "POST") return wrap(c.Post(path, h, body, "application/json"));
    return wrap(c.Delete(path, h, body, "application/json"));
  }

  // Signs in; the cookie and CSRF token to send with later requests.
  struct Session {
    std::string cookie, csrf;
    httplib::Headers read() const { return {{"Cookie", cookie}}; }
    httplib::Headers write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
  };
  static Session login(const std::string& user) {
    Reply r = send("POST", "/api/session", json{{"login", user}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.text;
    Session s;
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") s.cookie = v.substr(0, v.find(';'));
    }
    s.csrf = r.body.value("csrf", "");
    return s;
  }

  static std::set<std::string> mns(const json& items) {
    std::set<std::string> out;
    for (const json& i : items) out.insert(i.value("mn", ""));
    return out;
  }

  static inline fs::path dir_;
  static inline std::string db_;
  static inline pid_t pid_ = -1;
  static inline int port_ = 0;
};

std::string enc(const std::string& s) { return httplib::detail::encode_query_param(s); }

TEST_F(ApiHttp, OpenApiIsServed) {
  Reply r = get("/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["openapi"], "3.0.3");
  EXPECT_TRUE(r.body["paths"].contains("/api/air/today"));
}

TEST_F(ApiHttp, AirIsPublicAndEqualsTheCli) {
  Reply cities = get("/api/air/cities");
  ASSERT_EQ(cities.status, 200) << cities.text;
  ASSERT_EQ(cities.body["total"], 1);
  EXPECT_EQ(cities.body["items"][0]["city"], kCity);

  Reply st = get("/api/air/stations?city=" + enc(kCity));
  ASSERT_EQ(st.status, 200);
  EXPECT_EQ(st.body["total"], 6);  // six stations, one of them the reference station

  // Today: the newest day with data (the demo ends 2025-12-31), each assessment station with its hour.
  Reply today = get("/api/air/today?city=" + enc(kCity));
  ASSERT_EQ(today.status, 200) << today.text;
  EXPECT_EQ(today.body["date"], "2025-12-31");
  EXPECT_EQ(today.body["stations"].size(), 5u);
  ASSERT_TRUE(today.body["city_hour"].is_object());
  EXPECT_FALSE(today.body["city_hour"].value("advice", "").empty());

  // The period assessment is exactly `ecomon air annual --format json`.
  Reply period = get("/api/air/period?city=" + enc(kCity) + "&year=2025");
  ASSERT_EQ(period.status, 200) << period.text;
  EXPECT_EQ(period.body,
            cli_json(db_, std::string("air annual --city ") + kCity + " --year 2025 --format json"));

  // Daily: a month is 31 days; paging and CSV of the same list.
  Reply daily = get("/api/air/daily?city=" + enc(kCity) + "&month=2025-01&limit=10&offset=30");
  ASSERT_EQ(daily.status, 200) << daily.text;
  EXPECT_EQ(daily.body["total"], 31);
  ASSERT_EQ(daily.body["items"].size(), 1u);
  EXPECT_EQ(daily.body["items"][0]["date"], "2025-01-31");
  Reply csv = get("/api/air/daily?city=" + enc(kCity) + "&month=2025-02&format=csv&limit=1000");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.text.begin(), csv.text.end(), '\n'), 29);  // header + 28 days
  EXPECT_EQ(csv.text.substr(0, 7),
            "\xEF\xBB\xBF"
            "aqi,");                                                      // the BOM, then the flat keys
  EXPECT_NE(csv.text.find(",concentrations.PM2.5,"), std::string::npos);  // flat columns, no JSON in cells
  EXPECT_EQ(csv.text.find('{'), std::string::npos);
  // The file name (cpp-httplib 0.11 percent-decodes header values: on the wire filename*=UTF-8''air-daily-
  // %E6%BC%94%E7%A4%BA%E5%B8%82-2025-02.csv).
  EXPECT_EQ(
      csv.headers.find("Content-Disposition")->second,
      "attachment; filename=\"air-daily-___-2025-02.csv\"; filename*=UTF-8''air-daily-演示市-2025-02.csv");
  // The year's days without limit: every one of the 365 (JSON would page 100); xlsx with Chinese headers.
  Reply year = get("/api/air/daily?city=" + enc(kCity) + "&year=2025&format=csv&lang=zh");
  ASSERT_EQ(year.status, 200);
  EXPECT_EQ(std::count(year.text.begin(), year.text.end(), '\n'), 366);
  EXPECT_EQ(year.text.substr(0, 3 + 10),
            "\xEF\xBB\xBF"
            "AQI,类别");
  Reply xlsx = get("/api/air/daily?city=" + enc(kCity) + "&year=2025&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.text.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(xlsx.headers.find("Content-Type")->second,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // Period errors name the query parameter, not the CLI's flag.
  Reply bad = get("/api/air/daily?city=" + enc(kCity) + "&month=2025-13");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["message"], "query parameter month='2025-13' is not YYYY-MM");
  // In the caller's language (Accept-Language), the English kept beside it.
  Reply zh =
      get("/api/air/daily?city=" + enc(kCity) + "&month=2025-13", {{"Accept-Language", "zh-CN,zh;q=0.9"}});
  EXPECT_EQ(zh.body["error"]["message"], "查询参数 month='2025-13' 不是 YYYY-MM 格式");
  EXPECT_EQ(zh.body["error"]["message_en"], "query parameter month='2025-13' is not YYYY-MM");

  Reply hourly = get("/api/air/hourly?city=" + enc(kCity) + "&date=2025-07-01");
  ASSERT_EQ(hourly.status, 200);
  EXPECT_EQ(hourly.body["total"], 24);

  Reply monthly = get("/api/air/monthly?city=" + enc(kCity) + "&year=2025");
  ASSERT_EQ(monthly.status, 200) << monthly.text;
  ASSERT_EQ(monthly.body["total"], 12);
  EXPECT_EQ(monthly.body["items"][0]["month"], "2025-01");
  EXPECT_EQ(monthly.body["items"][0]["PM2.5_limit"], 35);  // GB 3095-2012 annual limit, class 2

  Reply rank = get("/api/air/rank?year=2025");
  ASSERT_EQ(rank.status, 200) << rank.text;
  EXPECT_EQ(rank.body["ranking"][0]["city"], kCity);
  EXPECT_EQ(rank.body["ranking"][0]["rank"], 1);
}

// GET /api/air/rank?counties=true&city=C: the city's counties, the JSON of `air rank --counties --city C`.
// `stations demo-network` puts every national station of 演示市 in 城区 (and micro stations, which never
// enter an assessment, in 城区 and 东阳县): one county ranked, 1st, with the city's own composite index.
TEST_F(ApiHttp, AirRankOfACitysCounties) {
  auto r = ecomon::testing::run_command(ecomon_cmd(db_, "stations demo-network --micro 2"), true);
  ASSERT_EQ(r.code, 0) << r.out;
  Reply counties = get("/api/air/rank?year=2025&counties=true&city=" + enc(kCity));
  ASSERT_EQ(counties.status, 200) << counties.text;
  EXPECT_EQ(counties.body,
            cli_json(db_, "air rank --counties --city " + std::string(kCity) + " --year 2025 --format json"));
  ASSERT_EQ(counties.body["ranking"].size(), 1u) << counties.text;
  EXPECT_EQ(counties.body["ranking"][0]["county"], "城区");
  EXPECT_EQ(counties.body["ranking"][0]["rank"], 1);
  Reply city = get("/api/air/rank?year=2025");
  ASSERT_EQ(city.status, 200) << city.text;
  EXPECT_EQ(counties.body["ranking"][0]["composite_index"], city.body["ranking"][0]["composite_index"]);
  // Bad input: counties without a city, a city without counties, counties neither true nor false.
  EXPECT_EQ(get("/api/air/rank?year=2025&counties=true").status, 400);
  EXPECT_EQ(get("/api/air/rank?year=2025&city=" + enc(kCity)).status, 400);
  Reply bad = get("/api/air/rank?year=2025&counties=yes&city=" + enc(kCity));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["message"], "counties must be true or false");
}

TEST_F(ApiHttp, WaterIsPublicTheRestNeedsStaff) {
  Reply water = get("/api/water/sections?period=2025&limit=1000");
  ASSERT_EQ(water.status, 200) << water.text;
  json cli = cli_json(db_, "water assess --period 2025 --format json");
  EXPECT_EQ(water.body["items"], cli["sections"]);
  EXPECT_EQ(water.body["rivers"], cli["rivers"]);

  EXPECT_EQ(get("/api/groundwater/wells?period=2025").status, 401);
  EXPECT_EQ(get("/api/noise?period=2025").status, 401);
  EXPECT_EQ(get("/api/rain?period=2025").status, 401);
  Session citizen = login("citizen");
  Reply denied = get("/api/noise?period=2025", citizen.read());
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.body["error"]["code"], "forbidden");

  Session ana = login("ana");
  Reply wells = get("/api/groundwater/wells?period=2025", ana.read());
  ASSERT_EQ(wells.status, 200) << wells.text;
  EXPECT_EQ(wells.body["items"], cli_json(db_, "groundwater assess --period 2025 --format json")["wells"]);
  EXPECT_EQ(get("/api/noise?period=2025", ana.read()).body,
            cli_json(db_, "noise assess --period 2025 --format json"));
  EXPECT_EQ(get("/api/rain?period=2025", ana.read()).body["items"],
            cli_json(db_, "rain assess --period 2025 --format json")["sites"]);

  // A county user sees only its own county's wells.
  Session cq = login("chengqu");
  Reply own = get("/api/groundwater/wells?period=2025", cq.read());
  ASSERT_EQ(own.status, 200);
  ASSERT_GT(own.body["total"].get<int>(), 0);
  EXPECT_LT(own.body["total"].get<int>(), wells.body["total"].get<int>());
  for (const json& w : own.body["items"]) EXPECT_EQ(w["county"], "城区");
}

// The duty view's acknowledgement of an event: who, when, note, stored (event_ack), kept in the audit log and
// shown with the event; a later acknowledgement replaces it.
TEST_F(ApiHttp, AnEventIsAcknowledgedAndAudited) {
  Session ana = login("ana"), e02 = login("e02"), admin = login("admin");
  const std::string from = "&from=20250101000000";
  Reply ev = get("/api/sources/events?limit=1000" + from, ana.read());
  ASSERT_EQ(ev.status, 200) << ev.text;
  json target;
  for (const json& e : ev.body["items"]) {
    if (e["mn"] == "E0C000000000000000000002" && e["closed_at"].is_null()) target = e;  // E02's, open
  }
  ASSERT_FALSE(target.is_null()) << ev.text.substr(0, 400);
  EXPECT_TRUE(target["acknowledged"].is_null());
  json ack = {{"mn", target["mn"]},
              {"kind", target["kind"]},
              {"opened_at", target["opened_at"]},
              {"note", "已电话通知企业 | 排查中"}};
  if (target["pollutant"].is_string()) ack["pollutant"] = target["pollutant"];
  // Another enterprise's device is not the enterprise user's; a bad kind is 422; then the analyst's is
  // stored.
  Session e01_free = login("e02");
  json other = ack;
  other["mn"] = "E0C000000000000000000000";  // E01's
  EXPECT_EQ(send("POST", "/api/sources/events/ack", other.dump(), e01_free.write()).status, 403);
  json bad = ack;
  bad["kind"] = "fire";
  EXPECT_EQ(send("POST", "/api/sources/events/ack", bad.dump(), ana.write()).status, 422);
  Reply done = send("POST", "/api/sources/events/ack", ack.dump(), ana.write());
  ASSERT_EQ(done.status, 200) << done.text;
  // Shown with the event (the note whole, its '|' kept), and in the audit log.
  Reply after = get("/api/sources/events?limit=1000" + from, e02.read());
  bool seen = false;
  for (const json& e : after.body["items"]) {
    if (e["mn"] == target["mn"] && e["opened_at"] == target["opened_at"] && e["kind"] == target["kind"]) {
      ASSERT_TRUE(e["acknowledged"].is_object()) << e.dump();
      EXPECT_EQ(e["acknowledged"]["by"], "ana");
      EXPECT_EQ(e["acknowledged"]["note"], "已电话通知企业 | 排查中");
      EXPECT_GT(e["acknowledged"]["at_ms"].get<int64_t>(), 0);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
  Reply audit = get("/api/audit?limit=5", admin.read());
  bool audited = false;
  for (const json& a : audit.body["items"]) {
    audited = audited || (a["action"] == "sources.events.ack" && a["user"] == "ana" && a["outcome"] == "ok");
  }
  EXPECT_TRUE(audited) << audit.text;

  // In the store itself, where the escalation reads it: one row for the event, the analyst's.
  auto opened = ecomon::sources::SourceTime::parse(target["opened_at"].get<std::string>());
  ASSERT_TRUE(opened.ok());
  const ecomon::EventRef ref{target["mn"], target["kind"], ack.value("pollutant", ""), opened->to_digits()};
  auto stored_by = [&]() -> std::string {
    auto store = ecomon::open_sqlite_stores(db_);
    if (!store.ok()) return "cannot open: " + store.status().message();
    auto acks = (*store)->notify().acks(ref.opened_at, ref.opened_at);
    if (!acks.ok()) return "cannot read: " + acks.status().message();
    std::string out;
    for (const ecomon::EventAck& a : *acks) {
      if (a.event == ref) out += a.by + ":" + a.note + ";";
    }
    return out;
  };
  EXPECT_EQ(stored_by(), "ana:已电话通知企业 | 排查中;");
  // The enterprise acknowledges its own device's event too; the newest replaces the analyst's.
  json mine = ack;
  mine["note"] = "";
  ASSERT_EQ(send("POST", "/api/sources/events/ack", mine.dump(), e02.write()).status, 200);
  EXPECT_EQ(stored_by(), "e02:;");
  // A note over 500 bytes is refused and nothing changes.
  mine["note"] = std::string(501, 'x');
  EXPECT_EQ(send("POST", "/api/sources/events/ack", mine.dump(), e02.write()).status, 422);
  EXPECT_EQ(stored_by(), "e02:;");
}

// The duty view's per-device trend: a visible device's hourly values per pollutant over the 24 hours up to
// `to`, with the limit the events are judged by.
TEST_F(ApiHttp, ADevicesHourlySeriesCarriesItsLimits) {
  Session ana = login("ana"), e02 = login("e02");
  // Device 2 is E02's cement kiln (E02-G1, demo_registry.cc: GB 4915-2013, SO2 100, NOx 320, dust 20 mg/m3,
  // standardised): its 24 uploads of 2025-03-10 (SetUpTestSuite) read ZsAvg 10.0, 25.0 and 4.0, so each
  // series is 24 points of the standardised value with the limit beside it.
  const std::string mn = "E0C000000000000000000002";
  Reply h = get("/api/sources/hourly?mn=" + mn + "&to=20250310230000", e02.read());
  ASSERT_EQ(h.status, 200) << h.text;
  EXPECT_EQ(h.body["from"], "2025-03-09 23:00:00");
  EXPECT_EQ(h.body["to"], "2025-03-10 23:00:00");
  EXPECT_EQ(h.body["undecodable"], 0);
  ASSERT_EQ(h.body["series"].size(), 3u) << h.text.substr(0, 400);
  const std::vector<std::array<std::string, 4>> want = {{"a21002", "25.0", "320", "氮氧化物"},
                                                        {"a21026", "10.0", "100", "二氧化硫"},
                                                        {"a34013", "4.0", "20", ""}};
  for (size_t i = 0; i < want.size(); ++i) {
    const json& s = h.body["series"][i];
    EXPECT_EQ(s["pollutant"], want[i][0]);
    EXPECT_EQ(s["limit"], want[i][2]);
    EXPECT_EQ(s["basis"], "standardised");
    EXPECT_EQ(s["unit"], "mg/m3");
    if (!want[i][3].empty()) {
      EXPECT_EQ(s["name"], want[i][3]);
    }
    ASSERT_EQ(s["points"].size(), 24u);
    EXPECT_EQ(s["points"][0]["time"], "2025-03-10 00:00:00");
    EXPECT_EQ(s["points"][23]["time"], "2025-03-10 23:00:00");
    for (const json& p : s["points"]) {
      EXPECT_EQ(p["value"], want[i][1]);
      EXPECT_EQ(p["flag"], "N");
    }
  }
  // Five hours up to 05:00: the window (00:00, 05:00] leaves 00:00 out, so 01:00..05:00.
  Reply five = get("/api/sources/hourly?mn=" + mn + "&to=20250310050000&hours=5", ana.read());
  ASSERT_EQ(five.status, 200) << five.text;
  ASSERT_EQ(five.body["series"][0]["points"].size(), 5u);
  EXPECT_EQ(five.body["series"][0]["points"][0]["time"], "2025-03-10 01:00:00");
  // Not another enterprise's device, not an unknown one, not a bad window.
  EXPECT_EQ(get("/api/sources/hourly?mn=E0C000000000000000000000", e02.read()).status, 403);
  EXPECT_EQ(get("/api/sources/hourly?mn=NOPE", ana.read()).status, 404);
  EXPECT_EQ(get("/api/sources/hourly?mn=" + mn + "&hours=0", ana.read()).status, 400);
  EXPECT_EQ(get("/api/sources/hourly?mn=" + mn + "&to=20251399000000", ana.read()).status, 400);
}

// Notification rules and their log: the bureau's admins only, each change audited; bad input 422 with the
// field named.
TEST_F(ApiHttp, NotificationRulesAreForAdminsAndAudited) {
  Session ana = login("ana"), admin = login("admin");
  EXPECT_EQ(get("/api/notify/rules").status, 401);
  EXPECT_EQ(get("/api/notify/rules", ana.read()).status, 403);
  const json rule = {{"role", "county"},
                     {"county", "泽州县"},
                     {"kinds", "silence,exceedance"},
                     {"channel", "webhook"},
                     {"target", "http://127.0.0.1:9/hook"}};
  EXPECT_EQ(send("POST", "/api/notify/rules", rule.dump(), ana.write()).status, 403);
  json bad = rule;
  bad["channel"] = "sms";
  Reply refused = send("POST", "/api/notify/rules", bad.dump(), admin.write());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body["error"]["message"], "channel: 'sms' is not one of webhook, email") << refused.text;
  Reply added = send("POST", "/api/notify/rules", rule.dump(), admin.write());
  ASSERT_EQ(added.status, 201) << added.text;
  EXPECT_EQ(added.body["kinds"], "exceedance,silence");
  EXPECT_EQ(added.body["levels"], "open,escalation");
  EXPECT_EQ(added.body["created_by"], "admin");
  const std::string id = std::to_string(added.body["id"].get<int64_t>());
  Reply list = get("/api/notify/rules", admin.read());
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["target"], "http://127.0.0.1:9/hook");
  Reply log = get("/api/notify/log", admin.read());
  ASSERT_EQ(log.status, 200) << log.text;
  EXPECT_EQ(log.body["total"], 0);
  EXPECT_EQ(send("DELETE", "/api/notify/rules/x1", "", admin.write()).status, 400);
  EXPECT_EQ(send("DELETE", "/api/notify/rules/" + id, "", ana.write()).status, 403);
  EXPECT_EQ(send("DELETE", "/api/notify/rules/" + id, "", admin.write()).status, 200);
  EXPECT_EQ(send("DELETE", "/api/notify/rules/" + id, "", admin.write()).status, 404);
  EXPECT_EQ(get("/api/notify/rules", admin.read()).body["total"], 0);
  Reply audit = get("/api/audit?limit=20", admin.read());
  int adds = 0, removes = 0;
  for (const json& a : audit.body["items"]) {
    adds += a["action"] == "notify.rules.add" && a["outcome"] == "ok";
    removes += a["action"] == "notify.rules.remove" && a["outcome"] == "ok";
  }
  EXPECT_EQ(adds, 1) << audit.text;
  EXPECT_EQ(removes, 1);
}

TEST_F(ApiHttp, SourcesAreCutToWhatTheCallerMaySee) {
  EXPECT_EQ(get("/api/sources/devices").status, 401);
  Session ana = login("ana"), cq = login("chengqu"), e02 = login("e02");
  Reply all = get("/api/sources/devices", ana.read());
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.body["total"], ecomon::kDemoRegistryDevices);
  // 城区: E01 (devices 0, 1), E05 (device 7) and E11 (device 14) of the demo registry.
  Reply county = get("/api/sources/devices", cq.read());
  ASSERT_EQ(county.status, 200);
  EXPECT_EQ(mns(county.body["items"]), (std::set<std::string>{ecomon::sim_mn(0), ecomon::sim_mn(1),
                                                              ecomon::sim_mn(7), ecomon::sim_mn(14)}));
  // E02: devices 2 and 3 only.
  Reply own = get("/api/sources/devices", e02.read());
  EXPECT_EQ(mns(own.body["items"]), (std::set<std::string>{ecomon::sim_mn(2), ecomon::sim_mn(3)}));
  const std::string day = "from=20250310000000&to=20250310235959";
  Reply ev = get("/api/sources/events?" + day + "&mn=" + ecomon::sim_mn(2), e02.read());
  EXPECT_EQ(ev.status, 200) << ev.text;
  Reply theirs = get("/api/sources/events?" + day + "&mn=" + ecomon::sim_mn(0), e02.read());
  EXPECT_EQ(theirs.status, 403);
  Reply rates = get("/api/sources/rates?month=2025-03", e02.read());
  ASSERT_EQ(rates.status, 200) << rates.text;
  EXPECT_EQ(mns(rates.body["items"]), (std::set<std::string>{ecomon::sim_mn(2), ecomon::sim_mn(3)}));
  // Device 2 sent 24 of the 744 hourly values of March: 3.23 %.
  EXPECT_EQ(rates.body["items"][0]["received"], 24);
  Reply latest = get("/api/sources/latest?cn=2061", e02.read());
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(latest.body["total"], 2);
  EXPECT_EQ(latest.body["items"][0]["data_time"], kDay * kDigitsPerDay + 23 * kDigitsPerHour);
  EXPECT_EQ(latest.body["items"][0]["values"]["a21026"]["ZsAvg"], "10.0");
  EXPECT_EQ(get("/api/sources/events?from=2025", ana.read()).status, 400);  // not yyyymmddhhmmss
}

// docs/accounts.md's roles table, county row: what a county user reads (200) and what stays the bureau's
// (403).
TEST_F(ApiHttp, CountyReadsItsShareAsDocumented) {
  Session chengqu = login("chengqu");
  const std::string as_of = "2021-06-30";
  for (const std::string& path : {
           std::string("/api/water/sections?period=2025"),
           "/api/targets/status?city=" + enc(kCity) + "&as_of=2025-06-30",
           std::string("/api/noise?period=2025"),
           std::string("/api/rain?period=2025"),
           "/api/ledger/tasks?as_of=" + as_of,
           "/api/ledger/reports/scorecard?as_of=" + as_of,
           std::string("/api/emergency/warnings"),
           std::string("/api/emergency/check-list"),
           "/api/emergency/roster?level=yellow&from=" + enc("2025-01-10 00:00"),
           std::string("/api/soil"),
           std::string("/api/groundwater/wells?period=2025"),
           std::string("/api/sources/devices"),
       }) {
    EXPECT_EQ(get(path, chengqu.read()).status, 200) << path;
  }
  // Cut to its county: the soil points and the wells are 城区's only.
  // (The replies are kept: a range-for over a temporary's member would read freed memory.)
  const json soil = get("/api/soil?limit=1000", chengqu.read()).body;
  for (const json& p : soil["items"]) EXPECT_EQ(p["county"], "城区");
  const json wells = get("/api/groundwater/wells?period=2025&limit=1000", chengqu.read()).body;
  for (const json& w : wells["items"]) EXPECT_EQ(w["county"], "城区");
  // The bureau's: accounts, the audit log, declaring a warning.
  EXPECT_EQ(get("/api/users", chengqu.read()).status, 403);
  EXPECT_EQ(get("/api/audit", chengqu.read()).status, 403);
  EXPECT_EQ(send("POST", "/api/emergency/declare", R"({"level":"yellow","from":"2025-01-10 08:00"})",
                 chengqu.write())
                .status,
            403);
}

TEST_F(ApiHttp, TargetsForStaff) {
  Session ana = login("ana");
  Reply t = get("/api/targets/status?city=" + enc(kCity) + "&as_of=2025-06-30", ana.read());
  ASSERT_EQ(t.status, 200) << t.text;
  json cli =
      cli_json(db_, std::string("targets status --city ") + kCity + " --as-of 2025-06-30 --format json");
  EXPECT_EQ(t.body["items"], cli["targets"]);
  EXPECT_EQ(get("/api/targets/status?city=" + enc(kCity) + "&as_of=2025-06-31", ana.read()).status, 400);
  EXPECT_EQ(get("/api/targets/status?city=" + enc(kCity) + "&as_of=2025-06-30", login("e02").read()).status,
            403);
}

// Five failed sign-ins of one login lock it for 15 minutes (LoginThrottle's defaults): the next attempt is
// refused with 429 and Retry-After before any password check (a login that does not exist is treated alike,
// so the answer does not tell which logins exist); other logins from the same address still work.
TEST_F(ApiHttp, FailedSignInsAreThrottled) {
  const std::string wrong = R"({"login":"guesswho","password":"wrong-guess"})";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(send("POST", "/api/session", wrong).status, 401) << i;
  Reply locked = send("POST", "/api/session", wrong);
  EXPECT_EQ(locked.status, 429) << locked.text;
  EXPECT_EQ(locked.body["error"]["code"], "too_many_requests");
  const int64_t wait = locked.body["error"]["retry_after_s"].get<int64_t>();
  EXPECT_GT(wait, 890);  // 900 s from the fifth failure, a few seconds ago at most
  EXPECT_LE(wait, 900);
  bool header = false;
  for (const auto& [k, v] : locked.headers) header = header || (k == "Retry-After" && std::stoll(v) == wait);
  EXPECT_TRUE(header);
  Session admin = login("admin");  // another login, same address
  EXPECT_FALSE(admin.cookie.empty());
  // The refusals are audited as denied.
  Reply audit = get("/api/audit?limit=1000", admin.read());
  int denied = 0;
  for (const json& e : audit.body["items"])
    denied += e.value("target", "") == "guesswho" && e.value("outcome", "") == "denied";
  EXPECT_EQ(denied, 6);
}

TEST_F(ApiHttp, SessionsCsrfAndWrites) {
  Reply wrong = send("POST", "/api/session", R"({"login":"admin","password":"not-the-password"})");
  EXPECT_EQ(wrong.status, 401);
  Reply r = send("POST", "/api/session", json{{"login", "admin"}, {"password", kPassword}}.dump());
  ASSERT_EQ(r.status, 200);
  std::string cookie;
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie") cookie = v;
  }
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  Session admin = login("admin");
  Reply me = get("/api/session", admin.read());
  EXPECT_EQ(me.body["role"], "admin");
  EXPECT_EQ(me.body["signed_in"], true);
  EXPECT_EQ(me.body["csrf"], admin.csrf);

  const std::string user = json{{"login", "newbie"}, {"password", kPassword}, {"role", "analyst"}}.dump();
  EXPECT_EQ(send("POST", "/api/users", user, admin.read()).status, 403);  // no CSRF token
  EXPECT_EQ(send("POST", "/api/users", user, {{"Cookie", admin.cookie}, {"X-CSRF-Token", "x"}}).status, 403);
  Reply made = send("POST", "/api/users", user, admin.write());
  ASSERT_EQ(made.status, 201) << made.text;
  EXPECT_EQ(send("POST", "/api/users", user, admin.write()).status, 409);
  // A county user may not add users.
  Session cq = login("chengqu");
  EXPECT_EQ(send("POST", "/api/users", user, cq.write()).status, 403);

  // Bad requests.
  Reply bad = send("POST", "/api/users", R"({"login": "x", )", admin.write());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["code"], "bad_request");
  Reply unknown =
      send("POST", "/api/users",
           json{{"login", "x1"}, {"password", kPassword}, {"role", "analyst"}, {"is_admin", "1"}}.dump(),
           admin.write());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body["error"]["message"], "unknown field 'is_admin'");
  Reply sql =
      send("POST", "/api/users",
           json{{"login", "x' OR '1'='1"}, {"password", kPassword}, {"role", "admin"}}.dump(), admin.write());
  EXPECT_EQ(sql.status, 422);
  Reply big = send("POST", "/api/users", std::string(100 * 1024, ' '), admin.write());
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["error"]["code"], "payload_too_large");
  Reply sql_city = get("/api/air/stations?city=" + enc("演示市' OR '1'='1"));
  EXPECT_EQ(sql_city.status, 200);
  EXPECT_EQ(sql_city.body["total"], 0);  // no such city: the quote is data, not SQL
  EXPECT_EQ(get("/api/air/stations?city=x&sort=1").status, 400);
  EXPECT_EQ(get("/api/no/such/thing").body["error"]["code"], "not_found");
  EXPECT_EQ(send("DELETE", "/api/air/cities", "").status, 405);
  Reply users = get("/api/users", admin.read());
  EXPECT_EQ(users.body["total"], 6);  // five from the CLI and newbie

  // An API token acts as its user without cookie or CSRF.
  Reply tok = send("POST", "/api/users/e02/tokens", R"({"name":"uploader"})", admin.write());
  ASSERT_EQ(tok.status, 201) << tok.text;
  httplib::Headers bearer{{"Authorization", "Bearer " + tok.body["token"].get<std::string>()}};
  Reply dev = get("/api/sources/devices", bearer);
  EXPECT_EQ(mns(dev.body["items"]), (std::set<std::string>{ecomon::sim_mn(2), ecomon::sim_mn(3)}));
  EXPECT_EQ(send("POST", "/api/users", user, bearer).status, 403);
  EXPECT_EQ(get("/api/sources/devices", {{"Authorization", "Bearer ecm_nope"}}).status, 401);

  // Every write is in the audit log, refused ones too.
  Reply audit = get("/api/audit?limit=1000", admin.read());
  ASSERT_EQ(audit.status, 200);
  std::set<std::string> seen;
  for (const json& e : audit.body["items"])
    seen.insert(e["action"].get<std::string>() + " " + e["outcome"].get<std::string>());
  EXPECT_TRUE(seen.count("users.add ok"));
  EXPECT_TRUE(seen.count("users.add denied"));
  EXPECT_TRUE(seen.count("users.add invalid"));
  EXPECT_TRUE(seen.count("session.create denied"));
  EXPECT_TRUE(seen.count("tokens.create ok"));
  EXPECT_EQ(get("/api/audit", cq.read()).status, 403);

  // Log out: the session is gone.
  Session gone = login("ana");
  EXPECT_EQ(send("DELETE", "/api/session", "", gone.read()).status, 403);  // CSRF here too
  EXPECT_EQ(send("DELETE", "/api/session", "", gone.write()).status, 200);
  Reply after = get("/api/session", gone.read());
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body["signed_in"], false);
}

// The accounts CLI against the running server: a token made by `users token` works over HTTP; `users passwd`
// changes the password; `users audit` lists the CLI's own writes.
TEST_F(ApiHttp, UsersCliWithTheServer) {
  auto run = [](const std::string& args) {
    return ecomon::testing::run_command(ecomon_cmd(db_, args), true);
  };
  auto add = run("users add cli-made --role county --county 东阳县 --password " + std::string(kPassword));
  ASSERT_EQ(add.code, 0) << add.out;
  EXPECT_EQ(run("users add cli-made --role county --county 东阳县 --password " + std::string(kPassword)).code,
            2);
  EXPECT_EQ(run("users add bad --role county --password " + std::string(kPassword)).code, 2);  // no county
  EXPECT_EQ(run("users add short --role analyst --password 1234567").code, 2);                 // 7 characters
  auto token = run("users token cli-made --name test");
  ASSERT_EQ(token.code, 0) << token.out;
  std::string t = token.out.substr(0, token.out.find('\n'));
  Reply dev = get("/api/sources/devices", {{"Authorization", "Bearer " + t}});
  ASSERT_EQ(dev.status, 200) << dev.text;
  // 东阳县: E02 (devices 2, 3) and E07 (device 10).
  EXPECT_EQ(mns(dev.body["items"]),
            (std::set<std::string>{ecomon::sim_mn(2), ecomon::sim_mn(3), ecomon::sim_mn(10)}));
  ASSERT_EQ(run("users passwd cli-made --password another-password").code, 0);
  EXPECT_EQ(send("POST", "/api/session", json{{"login", "cli-made"}, {"password", kPassword}}.dump()).status,
            401);
  EXPECT_EQ(send("POST", "/api/session", R"({"login":"cli-made","password":"another-password"})").status,
            200);
  auto audit = run("users audit --limit 200");
  ASSERT_EQ(audit.code, 0);
  EXPECT_NE(audit.out.find("users.passwd"), std::string::npos);
  EXPECT_NE(audit.out.find("invalid"), std::string::npos);  // the refused adds are there too
}

// Tokens over HTTP: listed with their ids (never the tokens), revoked by id by an admin or by their own user
// (with the session's CSRF token, or by the token itself), audited; a revoked token stops working at once.
TEST_F(ApiHttp, TokensAreListedAndRevoked) {
  Session admin = login("admin"), e02 = login("e02"), cq = login("chengqu");
  Reply t1 = send("POST", "/api/users/e02/tokens", R"({"name":"one"})", admin.write());
  Reply t2 = send("POST", "/api/users/e02/tokens", R"({"name":"two"})", admin.write());
  ASSERT_EQ(t1.status, 201) << t1.text;
  ASSERT_EQ(t2.status, 201) << t2.text;
  const httplib::Headers b1{{"Authorization", "Bearer " + t1.body["token"].get<std::string>()}};
  const httplib::Headers b2{{"Authorization", "Bearer " + t2.body["token"].get<std::string>()}};
  Reply list = get("/api/users/e02/tokens", e02.read());
  ASSERT_EQ(list.status, 200) << list.text;
  std::string id1, id2;
  for (const json& t : list.body["items"]) {
    EXPECT_FALSE(t.contains("token")) << t.dump();
    EXPECT_EQ(t["login"], "e02");
    if (t["name"] == "one") id1 = std::to_string(t["id"].get<int64_t>());
    if (t["name"] == "two") id2 = std::to_string(t["id"].get<int64_t>());
  }
  ASSERT_FALSE(id1.empty());
  ASSERT_FALSE(id2.empty());
  EXPECT_EQ(get("/api/users/e02/tokens", admin.read()).status, 200);
  EXPECT_EQ(get("/api/users/e02/tokens", cq.read()).status, 403);  // another user's
  EXPECT_EQ(get("/api/users/e02/tokens").status, 401);

  const std::string one = "/api/users/e02/tokens/" + id1, two = "/api/users/e02/tokens/" + id2;
  EXPECT_EQ(send("DELETE", one, "", cq.write()).status, 403);  // not chengqu's token
  EXPECT_EQ(send("DELETE", one, "", e02.read()).status, 403);  // no CSRF token
  EXPECT_EQ(get("/api/sources/devices", b1).status, 200);      // still works
  Reply revoked = send("DELETE", one, "", e02.write());
  ASSERT_EQ(revoked.status, 200) << revoked.text;
  EXPECT_EQ(revoked.body, (json{{"login", "e02"}, {"id", std::stoll(id1)}, {"revoked", true}}));
  EXPECT_EQ(get("/api/sources/devices", b1).status, 401);       // at once
  EXPECT_EQ(get("/api/sources/devices", b2).status, 200);       // the other one still works
  EXPECT_EQ(send("DELETE", one, "", e02.write()).status, 404);  // already gone
  EXPECT_EQ(send("DELETE", "/api/users/e02/tokens/x1", "", admin.write()).status, 400);
  // Token two is e02's: not found under another user's path, and not revoked by trying.
  EXPECT_EQ(send("DELETE", "/api/users/ana/tokens/" + id2, "", admin.write()).status, 404);
  EXPECT_EQ(get("/api/sources/devices", b2).status, 200);
  // A token may revoke itself (bearer: no CSRF token needed).
  EXPECT_EQ(send("DELETE", two, "", b2).status, 200);
  EXPECT_EQ(get("/api/sources/devices", b2).status, 401);

  Reply audit = get("/api/audit?limit=1000", admin.read());
  ASSERT_EQ(audit.status, 200);
  std::map<std::string, int> seen;
  for (const json& e : audit.body["items"]) {
    if (e["action"] == "tokens.revoke") ++seen[e["outcome"].get<std::string>()];
  }
  EXPECT_EQ(seen["ok"], 2);
  EXPECT_EQ(seen["denied"], 1);   // chengqu's try (the one without CSRF token is refused before the route)
  EXPECT_EQ(seen["invalid"], 3);  // gone, x1, another user's path
}

// `ecomon users disable` while the server runs: the user's cookie and token stop working at once and it
// cannot sign in (told so only with the right password); `enable` lets it sign in again, the old token stays
// revoked. A password change revokes the user's tokens too.
TEST_F(ApiHttp, DisabledUserIsOutAtOnce) {
  auto run = [](const std::string& args) {
    return ecomon::testing::run_command(ecomon_cmd(db_, args), true);
  };
  ASSERT_EQ(run("users add dis --role analyst --password " + std::string(kPassword)).code, 0);
  Session dis = login("dis");
  auto made = run("users token dis --name script");
  ASSERT_EQ(made.code, 0) << made.out;
  const httplib::Headers bearer{{"Authorization", "Bearer " + made.out.substr(0, made.out.find('\n'))}};
  EXPECT_EQ(get("/api/session", dis.read()).body["signed_in"], true);
  EXPECT_EQ(get("/api/users/dis/tokens", bearer).status, 200);

  auto off = run("users disable dis");
  ASSERT_EQ(off.code, 0) << off.out;
  EXPECT_EQ(off.out, "user dis disabled\n");
  EXPECT_EQ(get("/api/session", dis.read()).body["signed_in"], false);
  EXPECT_EQ(get("/api/users/dis/tokens", bearer).status, 401);
  Reply refused = send("POST", "/api/session", json{{"login", "dis"}, {"password", kPassword}}.dump());
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body["error"]["message"], "account 'dis' is disabled");
  Reply wrong = send("POST", "/api/session", R"({"login":"dis","password":"not-the-password"})");
  EXPECT_EQ(wrong.body["error"]["message"], "wrong login or password");
  std::map<std::string, bool> disabled;
  for (const json& u : cli_json(db_, "users list --format json")) disabled[u["login"]] = u["disabled"];
  EXPECT_TRUE(disabled.at("dis"));
  EXPECT_FALSE(disabled.at("ana"));
  EXPECT_EQ(run("users token dis --name again").code, 2);  // no token for a disabled user
  EXPECT_EQ(run("users disable nobody").code, 2);

  ASSERT_EQ(run("users enable dis").code, 0);
  Session back = login("dis");
  EXPECT_FALSE(back.cookie.empty());
  EXPECT_EQ(get("/api/users/dis/tokens", bearer).status, 401);  // still revoked

  auto fresh = run("users token dis --name fresh");
  ASSERT_EQ(fresh.code, 0) << fresh.out;
  const httplib::Headers bearer2{{"Authorization", "Bearer " + fresh.out.substr(0, fresh.out.find('\n'))}};
  EXPECT_EQ(get("/api/users/dis/tokens", bearer2).status, 200);
  ASSERT_EQ(run("users passwd dis --password another-password").code, 0);
  EXPECT_EQ(get("/api/users/dis/tokens", bearer2).status, 401);
  EXPECT_EQ(get("/api/session", back.read()).body["signed_in"], false);
  EXPECT_EQ(cli_json(db_, "users tokens dis --format json"), json::array());

  auto audit = run("users audit --limit 20 --format json");
  ASSERT_EQ(audit.code, 0) << audit.out;
  std::set<std::string> actions;
  for (const json& e : json::parse(audit.out)) {
    if (e["target"] == "dis")
      actions.insert(e["action"].get<std::string>() + " " + e["outcome"].get<std::string>());
  }
  EXPECT_TRUE(actions.count("users.disable ok"));
  EXPECT_TRUE(actions.count("users.enable ok"));
  EXPECT_TRUE(actions.count("users.passwd ok"));
  EXPECT_TRUE(actions.count("tokens.create invalid"));  // the refused token
}

// Audit rows of an older version holding bytes that are not UTF-8 (put there with raw SQL): GET /api/audit
// and `users audit --format json` show each bad part as U+FFFD, the table as \xHH; neither fails.
TEST_F(ApiHttp, AuditRowsThatAreNotUtf8) {
  Session admin = login("admin");  // first: signing in is audited too, and the bad row must be the newest
  {
    auto db = ecomon::testing::SqliteFile::open(db_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    // target "ab\xFFc" (0xFF is never UTF-8), detail "\xC3" (a sequence cut off).
    ecomon::Status put = (*db)->exec(
        "INSERT INTO acc_audit(at_ms, user, role, action, target, outcome, detail, via) VALUES "
        "(1, 'old', 'admin', 'users.add', CAST(X'6162FF63' AS TEXT), 'ok', CAST(X'C3' AS TEXT), 'cli')");
    ASSERT_TRUE(put.ok()) << put.message();
  }
  const std::string replaced =
      "ab\xEF\xBF\xBD"
      "c";  // U+FFFD in UTF-8: EF BF BD

  Reply api = get("/api/audit?limit=1", admin.read());
  ASSERT_EQ(api.status, 200) << api.text;
  ASSERT_EQ(api.body["items"].size(), 1u);
  EXPECT_EQ(api.body["items"][0]["target"], replaced);
  EXPECT_EQ(api.body["items"][0]["detail"], "\xEF\xBF\xBD");
  Reply csv = get("/api/audit?limit=1&format=csv", admin.read());
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.text.find(replaced), std::string::npos) << csv.text;

  auto json_out = ecomon::testing::run_command(ecomon_cmd(db_, "users audit --limit 1 --format json"));
  ASSERT_EQ(json_out.code, 0) << json_out.out;
  json j = json::parse(json_out.out, nullptr, false);
  ASSERT_TRUE(j.is_array()) << json_out.out;
  EXPECT_EQ(j[0]["target"], replaced);
  auto table = ecomon::testing::run_command(ecomon_cmd(db_, "users audit --limit 1"));
  ASSERT_EQ(table.code, 0) << table.out;
  EXPECT_NE(table.out.find("ab\\xFFc"), std::string::npos) << table.out;
}

// The ledger (demo/ledger). Who may read what: the bureau every task; the 城区 user the tasks naming 城区 or
// 各县（市、区）人民政府 — exactly what `ledger tasks --unit 城区` lists (the CLI's unit filter also matches
// the county's government and the every-county unit). Tasks used:
// - autumn-winter-2020/3: 责任单位 市工信局、泽州县人民政府 — 泽州县's, not 城区's;
// - autumn-winter-2020/17: 责任单位 市生态环境局、城区人民政府, 2 座加油站, due 2020-12-31 — 城区's;
// - autumn-winter-2020/1: 搬迁企业 4 家, 责任单位 includes 城区人民政府.
TEST_F(ApiHttp, LedgerReadsAreTheCliCutToTheCounty) {
  Session ana = login("ana"), chengqu = login("chengqu");
  const std::string as_of = "2021-06-30";
  Reply all = get("/api/ledger/tasks?limit=1000&as_of=" + as_of, ana.read());
  ASSERT_EQ(all.status, 200) << all.text;
  json cli = cli_json(db_, "ledger tasks --as-of " + as_of + " --format json");
  EXPECT_EQ(all.body["items"], cli);
  EXPECT_EQ(all.body["items"].size(), 175u);  // demo/ledger: 175 tasks in 5 plans

  Reply own = get("/api/ledger/tasks?limit=1000&as_of=" + as_of, chengqu.read());
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_EQ(own.body["items"], cli_json(db_, "ledger tasks --unit 城区 --as-of " + as_of + " --format json"));
  std::set<std::string> ids;
  for (const json& t : own.body["items"]) ids.insert(t["id"]);
  EXPECT_TRUE(ids.count("autumn-winter-2020/17"));
  EXPECT_FALSE(ids.count("autumn-winter-2020/3"));

  // Filters: 17 is overdue on 2021-06-30 (due 2020-12-31, not started).
  Reply od =
      get("/api/ledger/tasks?overdue=true&plan=autumn-winter-2020&limit=1000&as_of=" + as_of, ana.read());
  ASSERT_EQ(od.status, 200) << od.text;
  EXPECT_EQ(od.body["items"], cli_json(db_, "ledger tasks --overdue --plan autumn-winter-2020 --as-of " +
                                                as_of + " --format json"));
  Reply csv = get("/api/ledger/tasks?format=csv&unit=" + enc("城区") + "&as_of=" + as_of, ana.read());
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.text.rfind("\xEF\xBB\xBF"
                           "deadline,due,id,lead_units,no,",
                           0),
            0u)
      << csv.text.substr(0, 80);
  EXPECT_EQ(get("/api/ledger/tasks?status=maybe", ana.read()).status, 400);
  EXPECT_EQ(get("/api/ledger/tasks?overdue=yes", ana.read()).status, 400);
  EXPECT_EQ(get("/api/ledger/tasks?as_of=2021-02-30", ana.read()).status, 400);
  EXPECT_EQ(get("/api/ledger/tasks?bogus=1", ana.read()).status, 400);
  EXPECT_EQ(get("/api/ledger/tasks", login("e02").read()).status, 403);
  EXPECT_EQ(get("/api/ledger/tasks").status, 401);

  // One task: the CLI's `ledger show`; another county's task is 403, an unknown one 404.
  Reply one = get("/api/ledger/tasks/autumn-winter-2020/17?as_of=" + as_of, chengqu.read());
  ASSERT_EQ(one.status, 200) << one.text;
  EXPECT_EQ(one.body, cli_json(db_, "ledger show autumn-winter-2020/17 --as-of " + as_of + " --format json"));
  EXPECT_EQ(one.body["overdue"], true);
  EXPECT_EQ(get("/api/ledger/tasks/autumn-winter-2020/3", chengqu.read()).status, 403);
  EXPECT_EQ(get("/api/ledger/tasks/autumn-winter-2020/3", ana.read()).status, 200);
  EXPECT_EQ(get("/api/ledger/tasks/autumn-winter-2020/999", ana.read()).status, 404);

  // Reports: the CLI's for the bureau; for a county user over its tasks only.
  Reply ov = get("/api/ledger/reports/overdue?limit=1000&as_of=" + as_of, ana.read());
  ASSERT_EQ(ov.status, 200) << ov.text;
  EXPECT_EQ(ov.body["items"], cli_json(db_, "ledger report overdue --as-of " + as_of + " --format json"));
  Reply sc = get("/api/ledger/reports/scorecard?limit=1000&as_of=" + as_of, ana.read());
  ASSERT_EQ(sc.status, 200) << sc.text;
  EXPECT_EQ(sc.body["items"], cli_json(db_, "ledger report scorecard --as-of " + as_of + " --format json"));
  Reply csc = get("/api/ledger/reports/scorecard?limit=1000&as_of=" + as_of, chengqu.read());
  ASSERT_EQ(csc.status, 200) << csc.text;
  for (const json& row : csc.body["items"]) {
    // Every row counts only 城区's tasks: the 城区 row has them all (126, as the bureau's 城区 row: 103 from
    // the annexes and the water body, 15 soil rows naming 各县（市、区）人民政府 (item 2 names 相关县), 8
    // rows of seed 003's body naming it: 八, 十, 十一, 十二a-c, 十五a-b).
    EXPECT_LE(row["total"].get<int>(), 126) << row.dump();
    if (row["unit"] == "城区") {
      EXPECT_EQ(row["total"], 126);
    }
    if (row["unit"] == "市工信局") {
      EXPECT_LT(row["total"].get<int>(), 31);  // 31 for the bureau (soil 6, 9, 12a; 003 body 十, 十一)
    }
  }
  EXPECT_EQ(get("/api/ledger/reports/overdue", ana.read()).status, 400);  // as_of is required
}

TEST_F(ApiHttp, LedgerWritesRunAsTheCaller) {
  Session admin = login("admin"), chengqu = login("chengqu");
  const std::string other = "/api/ledger/tasks/autumn-winter-2020/3",
                    own = "/api/ledger/tasks/autumn-winter-2020/17";
  const std::string start = R"({"to":"in-progress","day":"2020-11-02","note":"启动"})";
  // Another county's task: 403 and nothing stored.
  Reply refused = send("POST", other + "/status", start, chengqu.write());
  EXPECT_EQ(refused.status, 403) << refused.text;
  EXPECT_EQ(send("POST", other + "/progress", R"({"amount":"1","day":"2020-11-02"})", chengqu.write()).status,
            403);
  Reply unchanged = get(other + "?as_of=2021-06-30", admin.read());
  EXPECT_EQ(unchanged.body["status"], "not-started");
  EXPECT_TRUE(unchanged.body["status_history"].empty());
  EXPECT_TRUE(unchanged.body["history"].empty());

  // Bad bodies: malformed 400, unknown field / wrong value 422, no CSRF token 403; nothing stored.
  EXPECT_EQ(send("POST", own + "/status", "{", chengqu.write()).status, 400);
  EXPECT_EQ(
      send("POST", own + "/status", R"({"to":"done","day":"2020-11-02","x":"1"})", chengqu.write()).status,
      422);
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"maybe","day":"2020-11-02"})", chengqu.write()).status,
            422);
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"done","day":"2020-13-02"})", chengqu.write()).status,
            422);
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"done"})", chengqu.write()).status, 422);
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"done","day":2020})", chengqu.write()).status, 422);
  EXPECT_EQ(send("POST", own + "/status", start, chengqu.read()).status, 403);  // no CSRF token
  // 销号 is the bureau's; 未开始 → 销号 is not a transition either way.
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"closed","day":"2020-11-02"})", chengqu.write()).status,
            403);
  EXPECT_EQ(send("POST", own + "/status", R"({"to":"closed","day":"2020-11-02"})", admin.write()).status,
            422);
  EXPECT_TRUE(get(own, admin.read()).body["status_history"].empty());

  // The county's own task: stored with the user as who did it.
  Reply ok = send("POST", own + "/status", start, chengqu.write());
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["status"], "in-progress");
  ASSERT_EQ(ok.body["status_history"].size(), 1u);
  EXPECT_EQ(ok.body["status_history"][0]["user"], "chengqu");
  EXPECT_EQ(ok.body["status_history"][0]["note"], "启动");
  json shown = cli_json(db_, "ledger show autumn-winter-2020/17 --as-of 2021-06-30 --format json");
  EXPECT_EQ(shown["status"], "in-progress");
  // Same status again: not a transition (422).
  EXPECT_EQ(send("POST", own + "/status", start, chengqu.write()).status, 422);

  // Progress: 1 of the 2 座 加油站 → 50 %; a wrong unit or amount is 422.
  Reply pg = send("POST", own + "/progress", R"({"amount":"1 座","day":"2020-11-20","note":"一座"})",
                  chengqu.write());
  ASSERT_EQ(pg.status, 200) << pg.text;
  ASSERT_EQ(pg.body["progress"].size(), 1u);
  EXPECT_EQ(pg.body["progress"][0]["done"], "1");
  EXPECT_EQ(pg.body["progress"][0]["share_percent"], 50.0);
  EXPECT_EQ(pg.body["progress_reports"][0]["county"], "城区");
  EXPECT_EQ(
      send("POST", own + "/progress", R"({"amount":"1 辆","day":"2020-11-20"})", chengqu.write()).status,
      422);
  EXPECT_EQ(
      send("POST", own + "/progress", R"({"amount":"lots","day":"2020-11-20"})", chengqu.write()).status,
      422);
  EXPECT_EQ(send("POST", "/api/ledger/tasks/autumn-winter-2020/999/status", start, admin.write()).status,
            404);

  // The writes are audited with their target.
  Reply audit = get("/api/audit?limit=1000", admin.read());
  std::set<std::string> seen;
  for (const json& e : audit.body["items"])
    seen.insert(e.value("action", "") + " " + e.value("target", "") + " " + e.value("outcome", ""));
  EXPECT_TRUE(seen.count("ledger.status autumn-winter-2020/17 ok")) << audit.text.substr(0, 400);
}

// Emergency (the demo list of `emergency demo-registry`): the JSON of the CLI; the roster cut to a county
// user's county; declare and lift for the bureau only.
TEST_F(ApiHttp, EmergencyReadsAndBureauWrites) {
  Session ana = login("ana"), admin = login("admin"), chengqu = login("chengqu");
  Reply w = get("/api/emergency/warnings", ana.read());
  ASSERT_EQ(w.status, 200) << w.text;
  EXPECT_EQ(w.body["in_force"]["level"], "none");
  EXPECT_TRUE(w.body["items"].empty());
  Reply cl = get("/api/emergency/check-list", chengqu.read());
  ASSERT_EQ(cl.status, 200) << cl.text;
  EXPECT_EQ(cl.body, cli_json(db_, "emergency check-list --format json")["list"]);
  // No warning in force: the roster needs level and from.
  EXPECT_EQ(get("/api/emergency/roster", ana.read()).status, 400);
  const std::string q = "/api/emergency/roster?limit=1000&level=yellow&from=" + enc("2025-01-10 00:00");
  Reply all = get(q, ana.read());
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(
      all.body["items"],
      cli_json(db_, "emergency roster --level yellow --from '2025-01-10 00:00' --format json")["entries"]);
  // The roster's export is complete: all 486 lines of the demo list (the page of 1000 holds them too).
  EXPECT_EQ(all.body["total"], 486);
  Reply roster_csv =
      get("/api/emergency/roster?format=csv&level=yellow&from=" + enc("2025-01-10 00:00"), ana.read());
  ASSERT_EQ(roster_csv.status, 200);
  EXPECT_EQ(std::count(roster_csv.text.begin(), roster_csv.text.end(), '\n'), 487);  // header + 486
  Reply own = get(q, chengqu.read());
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_FALSE(own.body["items"].empty());
  for (const json& e : own.body["items"]) EXPECT_EQ(e["county"], "城区");
  EXPECT_LT(own.body["items"].size(), all.body["items"].size());
  EXPECT_EQ(get(q + "&county=" + enc("东阳县"), chengqu.read()).status, 403);
  EXPECT_EQ(get("/api/emergency/roster?level=purple&from=" + enc("2025-01-10 00:00"), ana.read()).status,
            400);
  EXPECT_EQ(get("/api/emergency/warnings", login("e02").read()).status, 403);

  // Writes: the bureau only; a county user is 403 and nothing is stored.
  const std::string yellow = R"({"level":"yellow","from":"2025-01-10 08:00","reason":"预报"})";
  EXPECT_EQ(send("POST", "/api/emergency/declare", yellow, chengqu.write()).status, 403);
  EXPECT_TRUE(get("/api/emergency/warnings", ana.read()).body["items"].empty());
  EXPECT_EQ(send("POST", "/api/emergency/declare", R"({"level":"yellow"})", admin.write()).status, 422);
  EXPECT_EQ(
      send("POST", "/api/emergency/declare", R"({"level":"pink","from":"2025-01-10 08:00"})", admin.write())
          .status,
      422);
  EXPECT_EQ(send("POST", "/api/emergency/declare", yellow, admin.read()).status, 403);  // no CSRF token
  Reply d = send("POST", "/api/emergency/declare", yellow, admin.write());
  ASSERT_EQ(d.status, 200) << d.text;
  EXPECT_EQ(d.body["level"], "yellow");
  Reply now = get("/api/emergency/warnings", ana.read());
  EXPECT_EQ(now.body["in_force"]["level"], "yellow");
  EXPECT_EQ(now.body["in_force"]["since"], "2025-01-10 08:00");
  Reply r = get("/api/emergency/roster?limit=1000", chengqu.read());  // the warning in force
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["level"], "yellow");
  EXPECT_EQ(r.body["items"].size(), own.body["items"].size());
  EXPECT_EQ(send("POST", "/api/emergency/lift", R"({"from":"2025-01-12 08:00"})", chengqu.write()).status,
            403);
  Reply l = send("POST", "/api/emergency/lift", R"({"from":"2025-01-12 08:00"})", admin.write());
  ASSERT_EQ(l.status, 200) << l.text;
  EXPECT_EQ(get("/api/emergency/warnings", ana.read()).body["in_force"]["level"], "none");
  EXPECT_EQ(get("/api/emergency/warnings", ana.read()).body["items"].size(), 2u);
}

// Downstream commands: queued by the bureau only (audited), bad input refused with the reason; the queue cut
// to what the caller may see.
TEST_F(ApiHttp, SourceCommandsQueuedByTheBureauOnly) {
  Session ana = login("ana"), cq = login("chengqu"), e02 = login("e02");
  const std::string mn = ecomon::sim_mn(2);  // E02's device
  const std::string set = R"({"mn":")" + mn + R"(","command":"set-interval","value":"60"})";
  EXPECT_EQ(send("POST", "/api/sources/commands", set, cq.write()).status, 403);
  EXPECT_EQ(send("POST", "/api/sources/commands", set, e02.write()).status, 403);
  Reply bad = send("POST", "/api/sources/commands",
                   R"({"mn":")" + mn + R"(","command":"set-interval","value":"20"})", ana.write());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["error"]["message"], "set-interval: RtdInterval must be 30..3600 s, got 20");
  EXPECT_EQ(send("POST", "/api/sources/commands", R"({"mn":")" + mn + R"(","command":"reboot"})", ana.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/sources/commands", R"({"mn":"E0C0FFFFFFFFFFFFFFFFFFFF","command":"get-time"})",
                 ana.write())
                .status,
            404);
  Reply ok = send("POST", "/api/sources/commands", set, ana.write());
  ASSERT_EQ(ok.status, 201) << ok.text;
  EXPECT_EQ(ok.body["state"], "queued");
  EXPECT_EQ(ok.body["cn"], 1062);
  EXPECT_EQ(ok.body["created_by"], "ana");
  // E02 sees its device's command; 城区 does not (E02 is in 东阳县); another device's mn is 403 for E02.
  Reply own = get("/api/sources/commands", e02.read());
  ASSERT_EQ(own.status, 200) << own.text;
  ASSERT_EQ(own.body["total"], 1);
  EXPECT_EQ(own.body["items"][0]["id"], ok.body["id"]);
  EXPECT_EQ(get("/api/sources/commands", cq.read()).body["total"], 0);
  EXPECT_EQ(get("/api/sources/commands?mn=" + ecomon::sim_mn(0), e02.read()).status, 403);
  const std::string audit = ecomon::testing::run_command(ecomon_cmd(db_, "users audit --limit 20")).out;
  int commands = 0;
  for (size_t at = audit.find("sources.command"); at != std::string::npos;
       at = audit.find("sources.command", at + 1)) {
    ++commands;
  }
  EXPECT_EQ(commands, 6);  // the 6 POSTs above, refusals included
}

// HJ 212-2025 provisioning: the pending list for the bureau, the assignment for admins only (audited,
// refusals included); a bad MN is 422, another assignment of the same row 422.
TEST_F(ApiHttp, PendingLoggersAreProvisionedByAnAdminOnly) {
  {
    auto store = ecomon::open_sqlite_stores(db_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->pending_devices()
                    .record_sighting({.hardware_id = "HTTP0000000001ABCDEFG1234",
                                      .cpu_id = "A800200A8C6D",
                                      .st = "31",
                                      .pw = "123456",
                                      .peer = "10.1.2.3:4000",
                                      .seen_ms = 1000})
                    .ok());
  }
  Session ana = login("ana"), cq = login("chengqu"), admin = login("admin");
  EXPECT_EQ(get("/api/sources/pending", cq.read()).status, 403);
  Reply list = get("/api/sources/pending", ana.read());
  ASSERT_EQ(list.status, 200) << list.text;
  int64_t id = 0;
  for (const auto& item : list.body["items"]) {
    if (item["hardware_id"] == "HTTP0000000001ABCDEFG1234") id = item["id"].get<int64_t>();
  }
  ASSERT_NE(id, 0) << list.text;
  const std::string body =
      R"({"pending_id":")" + std::to_string(id) + R"(","mn":"0100000000000000000000AA"})";
  EXPECT_EQ(send("POST", "/api/sources/provision", body, ana.write()).status, 403);
  EXPECT_EQ(send("POST", "/api/sources/provision", body, cq.write()).status, 403);
  EXPECT_EQ(send("POST", "/api/sources/provision",
                 R"({"pending_id":")" + std::to_string(id) + R"(","mn":"short"})", admin.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/sources/provision", R"({"pending_id":"x1","mn":"0100000000000000000000AA"})",
                 admin.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/sources/provision",
                 R"({"pending_id":"999999","mn":"0100000000000000000000AA"})", admin.write())
                .status,
            404);
  Reply ok = send("POST", "/api/sources/provision", body, admin.write());
  ASSERT_EQ(ok.status, 201) << ok.text;
  EXPECT_EQ(ok.body["mn"], "0100000000000000000000AA");
  EXPECT_EQ(ok.body["state"], "assigned");
  EXPECT_EQ(ok.body["assigned_by"], "admin");
  EXPECT_EQ(send("POST", "/api/sources/provision", body, admin.write()).status, 422);
  Reply command = get("/api/sources/commands?mn=0100000000000000000000AA", ana.read());
  ASSERT_EQ(command.status, 200) << command.text;
  ASSERT_EQ(command.body["total"], 1);
  EXPECT_EQ(command.body["items"][0]["cn"], 1002);
  EXPECT_EQ(command.body["items"][0]["argument"], "HTTP0000000001ABCDEFG1234");
  const std::string audit = ecomon::testing::run_command(ecomon_cmd(db_, "users audit --limit 50")).out;
  int provisions = 0;
  for (size_t at = audit.find("sources.provision"); at != std::string::npos;
       at = audit.find("sources.provision", at + 1)) {
    ++provisions;
  }
  EXPECT_EQ(provisions, 7);  // the 7 POSTs above, refusals included
}

// Compliance over hourly uploads of 2025-03-11 stored here for every demo device: 00-11 h SO2 100 mg/m3,
// 12-23 h SO2 50 mg/m3, NOx 20 and PM 3 all day, flow 1000 m3/h: the CLI's JSON, the county cut, bad input.
TEST_F(ApiHttp, EmergencyCompliance) {
  {
    auto store = ecomon::open_sqlite_stores(db_);
    ASSERT_TRUE(store.ok());
    std::vector<ecomon::SourceRecord> recs;
    constexpr int64_t kDay2 = 20250311;
    for (int d = 0; d < ecomon::kDemoRegistryDevices; ++d) {
      for (int h = 0; h < kHours; ++h) {
        const int64_t t = kDay2 * kDigitsPerDay + h * kDigitsPerHour;
        const std::string so2 = h < kHours / 2 ? "100.0" : "50.0";
        recs.push_back(
            hourly_record(d, t,
                          "a00000-Avg=1000.0,a00000-Flag=N;a21026-Avg=" + so2 +
                              ",a21026-Flag=N;a21002-Avg=20.0,a21002-Flag=N;a34013-Avg=3.0,a34013-Flag=N"));
      }
    }
    ASSERT_TRUE((*store)->sources().insert_source_records(recs).ok());
  }
  Session ana = login("ana"), chengqu = login("chengqu");
  const std::string period =
      "level=orange&from=" + enc("2025-03-11 12:00") + "&to=" + enc("2025-03-12 00:00");
  Reply c = get("/api/emergency/compliance?limit=1000&" + period, ana.read());
  ASSERT_EQ(c.status, 200) << c.text;
  const json cli =
      cli_json(db_,
               "emergency compliance --level orange --from '2025-03-11 12:00' --to '2025-03-12 00:00' "
               "--format json");
  EXPECT_EQ(c.body["items"], cli["enterprises"]);
  EXPECT_EQ(c.body["flagged"], cli["flagged"]);
  EXPECT_EQ(c.body["records"], cli["records"]);
  // The baseline defaults to as long before the warning as it lasts: 12 h before 12:00.
  EXPECT_EQ(c.body["baseline"]["from"], "2025-03-11 00:00:00");
  EXPECT_EQ(c.body["baseline"]["to"], "2025-03-11 12:00:00");
  EXPECT_EQ(c.body["total"], 253);  // the demo list's entries
  // JC0001 (E01, monitored): orange = stop both units, so a 100 % cut of SO2 is required; its SO2 load went
  // from 100 x 1000 to 50 x 1000 per hour: achieved 1 - 50/100 = 50 % < 100 % -> not cutting.
  const json* jc1 = nullptr;
  for (const json& e : c.body["items"])
    if (e["enterprise"] == "JC0001") jc1 = &e;
  ASSERT_NE(jc1, nullptr);
  EXPECT_EQ((*jc1)["verdict"], "not-cutting") << jc1->dump();
  EXPECT_EQ((*jc1)["pollutants"][0]["pollutant"], "SO2");
  EXPECT_DOUBLE_EQ((*jc1)["pollutants"][0]["achieved_percent"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ((*jc1)["pollutants"][0]["required_percent"].get<double>(), 100.0);
  EXPECT_GE(c.body["flagged"].get<int>(), 1);

  Reply own = get("/api/emergency/compliance?limit=1000&" + period, chengqu.read());
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_FALSE(own.body["items"].empty());
  for (const json& e : own.body["items"]) EXPECT_EQ(e["county"], "城区");
  EXPECT_LT(own.body["items"].size(), c.body["items"].size());
  EXPECT_EQ(get("/api/emergency/compliance?" + period + "&county=" + enc("东阳县"), chengqu.read()).status,
            403);
  EXPECT_EQ(get("/api/emergency/compliance?" + period, login("e02").read()).status, 403);
  // Bad parameters: a level, an empty period, times, tolerance.
  EXPECT_EQ(get("/api/emergency/compliance?level=purple&from=" + enc("2025-03-11 12:00") +
                    "&to=" + enc("2025-03-12 00:00"),
                ana.read())
                .status,
            400);
  EXPECT_EQ(get("/api/emergency/compliance?level=red&from=" + enc("2025-03-11 00:00") +
                    "&to=" + enc("2025-03-10 12:00"),
                ana.read())
                .status,
            400);
  EXPECT_EQ(
      get("/api/emergency/compliance?level=red&from=yesterday&to=" + enc("2025-03-10 12:00"), ana.read())
          .status,
      400);
  EXPECT_EQ(get("/api/emergency/compliance?" + period + "&tolerance=-1", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/compliance?" + period + "&tolerance=5x", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/compliance?" + period + "&min_hours=0", ana.read()).status, 400);
}

// The forecast advice: the warning rules on a forecast given in the query, as the CLI decides on the same
// forecast as a CSV file.
TEST_F(ApiHttp, EmergencyAdvice) {
  Session ana = login("ana");
  // 2025-12-01..04: 150, 210, 230, 180. Two days > 200 (12-02, 12-03), none > 300: yellow (spec 08: yellow
  // >= 2 days > 200; orange needs 3). No warning in force, so the advice is to raise yellow from 12-02.
  Reply a = get("/api/emergency/advice?start=2025-12-01&aqi=150,210,230,180", ana.read());
  ASSERT_EQ(a.status, 200) << a.text;
  EXPECT_EQ(a.body["decision"]["level"], "yellow");
  EXPECT_EQ(a.body["decision"]["first"], "2025-12-02");
  EXPECT_EQ(a.body["decision"]["last"], "2025-12-03");
  EXPECT_EQ(a.body["decision"]["heavy_days"], 2);
  EXPECT_EQ(a.body["advice"]["level"], "yellow");
  EXPECT_EQ(a.body["advice"]["from"], "2025-12-02");
  const fs::path csv = dir_ / "forecast.csv";
  {
    std::ofstream f(csv);
    f << "date,aqi\n2025-12-01,150\n2025-12-02,210\n2025-12-03,230\n2025-12-04,180\n";
  }
  const json cli = cli_json(db_, "emergency warnings --forecast " + csv.string() + " --format json");
  // The in-force state depends on the warnings other tests declared; compare what the forecast decides.
  EXPECT_EQ(a.body["decision"], cli["decision"]);
  // Three days > 200: orange; with the orange rule lowered by an override the same three days stay orange.
  Reply o =
      get("/api/emergency/advice?start=2025-12-01&aqi=210,230,250&rules=" + enc("lift_hours=24"), ana.read());
  ASSERT_EQ(o.status, 200) << o.text;
  EXPECT_EQ(o.body["decision"]["level"], "orange");
  EXPECT_EQ(get("/api/emergency/advice?start=2025-12-01&aqi=150,abc", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?start=2025-12-01&aqi=150,2001", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?start=2025-12-01&aqi=150,,160", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?start=2025-13-01&aqi=150", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?aqi=150", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?start=2025-12-01&aqi=150&rules=nonsense=1", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/advice?start=2025-12-01&aqi=150", login("citizen").read()).status, 403);
}

// What-ifs on the list: a grade change and an added entry, as the CLI computes them; bad input is 422.
TEST_F(ApiHttp, EmergencyWhatIf) {
  Session ana = login("ana");
  auto yellow_so2 = [](const json& check, const std::string& field) {
    for (const json& p : check["levels"][0]["pollutants"])
      if (p["pollutant"] == "SO2") return p[field].get<std::string>();
    return std::string("?");
  };
  const json list = get("/api/emergency/check-list", ana.read()).body;
  // JC0001 (D, yellow: both units cut 50 %: (762 + 888) x 50 % = 825 kg/d SO2) becomes A: voluntary with the
  // assumed cut 0, so the list's yellow SO2 reduction falls by 825 kg/d.
  Reply g = send("POST", "/api/emergency/what-if", R"({"grades":"JC0001=A"})", ana.write());
  ASSERT_EQ(g.status, 200) << g.text;
  EXPECT_EQ(g.body["levels"], list["levels"]);
  const json cli = cli_json(db_, "emergency check-list --what-if-grade JC0001=A --format json");
  EXPECT_EQ(g.body["what_if"], cli["what_if"]);
  const double before = std::stod(yellow_so2(list, "reduction_kg_d"));
  EXPECT_DOUBLE_EQ(before - std::stod(yellow_so2(g.body["what_if"], "reduction_kg_d")), 825.0);

  // An added entry: one line of 1000 kg/d SO2, cut 20 % at yellow: baseline +1000, reduction +200 kg/d.
  const json add = {
      {"enterprises_csv",
       "id,name,county,industry,grade,guarantee,source_enterprise\nJCX01,新增焦化有限公司,城区,焦化,C,N,\n"},
      {"lines_csv",
       "enterprise,line,name,process,unit,so2,nox,pm,vocs\nJCX01,L1,焦炉,,kg/d,1000,2000,500,0\n"},
      {"measures_csv",
       "enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note\n"
       "JCX01,L1,yellow,cut,20,,,,,,,\nJCX01,L1,orange,cut,40,,,,,,,\nJCX01,L1,red,stop,,,,,,,,\n"}};
  Reply w = send("POST", "/api/emergency/what-if", add.dump(), ana.write());
  ASSERT_EQ(w.status, 200) << w.text;
  EXPECT_EQ(w.body["what_if"]["enterprises"], list["enterprises"].get<int>() + 1);
  EXPECT_DOUBLE_EQ(std::stod(yellow_so2(w.body["what_if"], "baseline_kg_d")) -
                       std::stod(yellow_so2(list, "baseline_kg_d")),
                   1000.0);
  EXPECT_DOUBLE_EQ(std::stod(yellow_so2(w.body["what_if"], "reduction_kg_d")) - before, 200.0);
  const fs::path d = dir_ / "what-if-add";
  fs::create_directories(d);
  for (const char* f : {"enterprises", "lines", "measures"}) {
    std::ofstream out(d / (std::string(f) + ".csv"));
    out << add[std::string(f) + "_csv"].get<std::string>();
  }
  EXPECT_EQ(w.body["what_if"],
            cli_json(db_, "emergency check-list --what-if-add " + d.string() + " --format json")["what_if"]);

  // Bad input: an unknown entry, a bad grade, a bad template row (named file:line [field]), nothing asked,
  // unknown fields, no CSRF token, a public user.
  EXPECT_EQ(send("POST", "/api/emergency/what-if", R"({"grades":"NOPE=A"})", ana.write()).status, 422);
  EXPECT_EQ(send("POST", "/api/emergency/what-if", R"({"grades":"JC0001=Z"})", ana.write()).status, 422);
  json bad = add;
  bad["lines_csv"] = "enterprise,line,name,process,unit,so2,nox,pm,vocs\nJCX01,L1,焦炉,,kg/d,-5,2000,500,0\n";
  Reply b = send("POST", "/api/emergency/what-if", bad.dump(), ana.write());
  EXPECT_EQ(b.status, 422);
  EXPECT_NE(b.text.find("lines.csv:2 [so2]"), std::string::npos) << b.text;
  EXPECT_EQ(send("POST", "/api/emergency/what-if", "{}", ana.write()).status, 422);
  EXPECT_EQ(send("POST", "/api/emergency/what-if", R"({"grade":"JC0001=A"})", ana.write()).status, 422);
  EXPECT_EQ(send("POST", "/api/emergency/what-if", R"({"grades":"JC0001=A"})", ana.read()).status, 403);
  EXPECT_EQ(
      send("POST", "/api/emergency/what-if", R"({"grades":"JC0001=A"})", login("citizen").write()).status,
      403);
  // The list check's own parameters.
  Reply req = get("/api/emergency/check-list?required=40/50/60", ana.read());
  ASSERT_EQ(req.status, 200) << req.text;
  EXPECT_EQ(req.body["levels"][0]["required_percent"], 40);
  EXPECT_EQ(get("/api/emergency/check-list?required=10/20", ana.read()).status, 400);
  EXPECT_EQ(get("/api/emergency/check-list?exclude_guarantee=maybe", ana.read()).status, 400);
}

// /api/soil (docs/soil.md): for staff, exactly `ecomon soil assess --format json` with the points as the
// page's items; a county user gets its own county whatever it asks; the public is refused.
TEST_F(ApiHttp, SoilForStaffAndOwnCounty) {
  EXPECT_EQ(get("/api/soil").status, 401);
  EXPECT_EQ(get("/api/soil", login("citizen").read()).status, 403);
  Session ana = login("ana");
  Reply all = get("/api/soil?limit=1000", ana.read());
  ASSERT_EQ(all.status, 200) << all.text;
  json cli = cli_json(db_, "soil assess --format json");
  EXPECT_EQ(all.body["total"], cli["points"].size());
  EXPECT_EQ(all.body["items"], cli["points"]);
  EXPECT_EQ(all.body["summary"], cli["summary"]);
  EXPECT_EQ(all.body["rates"], cli["rates"]);

  Reply own = get("/api/soil?county=" + enc("阳城县"), login("chengqu").read());
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_EQ(own.body["county"], "城区");
  ASSERT_GT(own.body["items"].size(), 0u);
  for (const json& p : own.body["items"]) EXPECT_EQ(p["county"], "城区");
  EXPECT_EQ(own.body["rates"], cli_json(db_, "soil assess --county 城区 --format json")["rates"]);
}

// /api/emissions (docs/emissions.md): for staff, exactly `ecomon emissions ... --format json`; a bad period
// is 400 naming it; the public is refused.
TEST_F(ApiHttp, EmissionsForStaff) {
  EXPECT_EQ(get("/api/emissions?year=2025").status, 401);
  EXPECT_EQ(get("/api/emissions?year=2025", login("citizen").read()).status, 403);
  Session ana = login("ana");
  Reply r = get("/api/emissions?year=2025&base_year=2024", ana.read());
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body, cli_json(db_, "emissions --year 2025 --base-year 2024 --format json"));
  Reply bad = get("/api/emissions?month=2025-13", ana.read());
  EXPECT_EQ(bad.status, 400) << bad.text;
  EXPECT_NE(bad.text.find("2025-13"), std::string::npos) << bad.text;
}

// A store held by another connection (as a long import holds it) for longer than the server waits for it
// (ECOMON_BUSY_TIMEOUT_MS=1000 here): the write is answered 503 with Retry-After and nothing is stored, never
// a 500 or a write reported as done; held for less than the wait, the same write waits and is stored.
TEST(ApiBusyStore, WriteWaitsThen503WithRetryAfter) {
  const fs::path dir = fs::temp_directory_path() / ("ecomon_api_busy_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "busy.db").string();
  ASSERT_EQ(
      ecomon::testing::run_command(ecomon_cmd(db, "users add admin --role admin --password x-password-1"))
          .code,
      0);
  auto made = ecomon::testing::run_command(ecomon_cmd(db, "users token admin --name busy"));
  ASSERT_EQ(made.code, 0) << made.out;
  const httplib::Headers bearer{{"Authorization", "Bearer " + made.out.substr(0, made.out.find('\n'))}};
  pid_t pid = -1;
  int port = 0;
  ASSERT_NO_FATAL_FAILURE(start_serve(db, {{"ECOMON_BUSY_TIMEOUT_MS", "1000"}}, &pid, &port));
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(120, 0);
  auto add = [&](const std::string& login) {
    return c.Post("/api/users", bearer,
                  json{{"login", login}, {"password", "y-password-1"}, {"role", "analyst"}}.dump(),
                  "application/json");
  };
  auto logins = [&] {
    std::set<std::string> out;
    auto r = c.Get("/api/users", bearer);
    if (!r) return out;
    const json page = json::parse(r->body);
    for (const json& u : page["items"]) out.insert(u["login"].get<std::string>());
    return out;
  };

  auto opened = ecomon::testing::SqliteFile::open(db);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  ecomon::testing::SqliteFile* lock = opened->get();  // another program's connection
  // Held through the whole request: longer than the server's 1 s wait.
  ASSERT_TRUE(lock->exec("BEGIN EXCLUSIVE").ok());
  auto busy = add("late");
  ASSERT_TRUE(lock->exec("COMMIT").ok());
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503) << busy->body;
  EXPECT_EQ(busy->get_header_value("Retry-After"), "5");
  json err = json::parse(busy->body, nullptr, false);
  EXPECT_EQ(err["error"]["code"], "unavailable");
  EXPECT_NE(err["error"]["message"].get<std::string>().find("database is locked"), std::string::npos)
      << busy->body;
  EXPECT_FALSE(logins().count("late"));

  // Held for 0.3 s: the write waits for it and is stored.
  ASSERT_TRUE(lock->exec("BEGIN EXCLUSIVE").ok());
  std::thread release([lock] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    (void)lock->exec("COMMIT");
  });
  auto waited = add("late");
  release.join();
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->status, 201) << waited->body;
  EXPECT_TRUE(logins().count("late"));
  opened->reset();
  stop_serve(pid);
  fs::remove_all(dir);
}

// The data audit over HTTP (issue 19): a county user refused another county's station (403, nothing stored);
// the bureau invalidates a station-day, the audited daily figures move while data=realtime stays the CLI's
// real-time output; the trail; restore brings the figures back; bad parameters and bodies are named.
TEST_F(ApiHttp, AuditWritesAreRoleCheckedAndTheAirReadsFollowThem) {
  Session admin = login("admin"), chengqu = login("chengqu");
  const std::string day = "/api/air/daily?city=" + enc(kCity) + "&date=2025-03-10";
  const json before = get(day).body;
  ASSERT_EQ(before["total"], 1) << before.dump();
  EXPECT_EQ(get(day + "&data=realtime").body, before);  // nothing audited yet: the two views agree
  EXPECT_EQ(get(day + "&data=old").status, 400);
  ASSERT_EQ(ecomon::testing::run_command(ecomon_cmd(db_, "audit assign --station 9161A --county 城区")).code,
            0);
  const std::string body =
      R"({"station":"9160A","from":"2025-03-10 01:00","to":"2025-03-11 00:00","reason":"instrument-fault","note":"断电"})";
  // 9160A belongs to no county: the county user is refused and nothing is stored.
  Reply refused = send("POST", "/api/air/audit/invalidate", body, chengqu.write());
  EXPECT_EQ(refused.status, 403) << refused.text;
  const std::string hist = "/api/air/audit/history?station=9160A&from=" + enc("2025-03-10 01:00") +
                           "&to=" + enc("2025-03-11 00:00");
  Reply none = get(hist, admin.read());
  ASSERT_EQ(none.status, 200) << none.text;
  EXPECT_EQ(none.body["total"], 0);
  EXPECT_EQ(get(hist).status, 401);  // the trail is staff's
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate", body, chengqu.read()).status, 403);  // no CSRF token
  // Bad bodies: unknown reason and malformed hour 422, unknown field 422, unknown station 404.
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate",
                 R"({"station":"9160A","from":"2025-03-10 01:00","reason":"bad-luck"})", admin.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate",
                 R"({"station":"9160A","from":"2025-03-10 1:00","reason":"other"})", admin.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate",
                 R"({"station":"9160A","from":"2025-03-10 01:00","x":"1"})", admin.write())
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate",
                 R"({"station":"0000X","from":"2025-03-10 01:00","reason":"other"})", admin.write())
                .status,
            404);
  EXPECT_EQ(get(hist, admin.read()).body["total"], 0);

  // The bureau invalidates the station's whole day: every pollutant's 24 hours.
  Reply ok = send("POST", "/api/air/audit/invalidate", body, admin.write());
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["recorded"].size(), 6u * 24u);
  const json after = get(day).body;
  EXPECT_NE(after, before);  // the city day is now the other assessment stations' mean
  EXPECT_EQ(get(day + "&data=realtime").body, before);
  json cli = cli_json(db_, std::string("air daily --city ") + kCity + " --date 2025-03-10 --format json");
  EXPECT_EQ(after["items"], cli["days"]);
  json cli_rt = cli_json(
      db_, std::string("air daily --city ") + kCity + " --date 2025-03-10 --format json --data realtime");
  EXPECT_EQ(before["items"], cli_rt["days"]);
  Reply trail = get(hist + "&pollutant=PM2.5", chengqu.read());
  ASSERT_EQ(trail.status, 200) << trail.text;
  EXPECT_EQ(trail.body["total"], 24);
  EXPECT_EQ(trail.body["items"][0]["state"], "invalidated");
  EXPECT_EQ(trail.body["items"][0]["versions"][0]["who"], "admin");
  EXPECT_EQ(trail.body["items"][0]["versions"][0]["source"], "http");
  // Restored: the original figures.
  Reply back =
      send("POST", "/api/air/audit/restore",
           R"({"station":"9160A","from":"2025-03-10 01:00","to":"2025-03-11 00:00"})", admin.write());
  ASSERT_EQ(back.status, 200) << back.text;
  EXPECT_EQ(get(day).body, before);
  // Months: bureau only.
  EXPECT_EQ(send("POST", "/api/air/audit/close", R"({"month":"2025-03"})", chengqu.write()).status, 403);
  ASSERT_EQ(send("POST", "/api/air/audit/close", R"({"month":"2025-03"})", admin.write()).status, 200);
  EXPECT_EQ(send("POST", "/api/air/audit/invalidate", body, admin.write()).status, 422);  // closed
  EXPECT_EQ(send("POST", "/api/air/audit/reopen", R"({"month":"2025-03"})", admin.write()).status,
            422);  // reason
  ASSERT_EQ(
      send("POST", "/api/air/audit/reopen", R"({"month":"2025-03","reason":"复核"})", admin.write()).status,
      200);
  Reply months = get("/api/air/audit/months?year=2025", admin.read());
  ASSERT_EQ(months.status, 200);
  EXPECT_EQ(months.body["total"], 2);
  // The writes are in the audit log with their outcome.
  Reply log = get("/api/audit?limit=50", admin.read());
  EXPECT_NE(log.text.find("audit.invalidate"), std::string::npos);
  EXPECT_NE(log.text.find("denied"), std::string::npos);
}

// The audit page's station list: the bureau sees every station with its county, a county user only its own
// county's, anyone else is refused; an unknown city is 404.
TEST_F(ApiHttp, AuditStationsAreCutToTheCallersCounty) {
  Session admin = login("admin"), chengqu = login("chengqu"), citizen = login("citizen"), e02 = login("e02");
  ASSERT_EQ(ecomon::testing::run_command(ecomon_cmd(db_, "audit assign --station 9162A --county 城区")).code,
            0);
  ASSERT_EQ(
      ecomon::testing::run_command(ecomon_cmd(db_, "audit assign --station 9163A --county 东阳县")).code, 0);
  const std::string path = "/api/air/audit/stations?city=" + enc(kCity);
  Reply all = get(path, admin.read());
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.body["total"], 6);  // the demo city's six stations, the reference 9165A included
  std::map<std::string, json> by_code;
  for (const json& s : all.body["items"]) by_code[s["code"]] = s;
  EXPECT_EQ(by_code["9162A"]["county"], "城区");
  EXPECT_EQ(by_code["9163A"]["county"], "东阳县");
  EXPECT_EQ(by_code["9165A"]["reference"], true);
  EXPECT_EQ(by_code["9160A"]["county"], nullptr);  // assigned to no county
  Reply own = get(path, chengqu.read());
  ASSERT_EQ(own.status, 200) << own.text;
  bool has_9162 = false;
  for (const json& s : own.body["items"]) {
    EXPECT_EQ(s["county"], "城区") << s.dump();
    has_9162 = has_9162 || s["code"] == "9162A";
  }
  EXPECT_TRUE(has_9162) << own.text;
  EXPECT_EQ(get(path).status, 401);
  EXPECT_EQ(get(path, citizen.read()).status, 403);
  EXPECT_EQ(get(path, e02.read()).status, 403);
  EXPECT_EQ(get("/api/air/audit/stations?city=" + enc("无此市"), admin.read()).status, 404);
  EXPECT_EQ(get("/api/air/audit/stations", admin.read()).status, 400);  // city is required
}

// HJ 663-2026's moving average over the API is the CLI's `air annual --moving-average N` JSON.
TEST_F(ApiHttp, PeriodMovingAverageIsTheClis) {
  const std::string base = "/api/air/period?city=" + enc(kCity) + "&year=2025&data=realtime";
  Reply m = get(base + "&moving_average=2");
  ASSERT_EQ(m.status, 200) << m.text;
  EXPECT_EQ(m.body, cli_json(db_, std::string("air annual --city ") + kCity +
                                      " --year 2025 --moving-average 2 --data realtime --format json"));
  EXPECT_EQ(m.body["years"], json::array({2024, 2025}));
  // Each pollutant's statistic averaged over the two years and rounded half to even at its precision:
  // PM2.5 (50 + 46) / 2 = 48 against 35, not met; NO2 (33 + 32) / 2 = 32.5 -> 32 (half to even);
  // CO's 95th percentile (1.9 + 2.0) / 2 = 1.95 -> 2.0 (half to even at one decimal).
  const json& rows = m.body["pollutants"];
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[3]["pollutant"], "PM2.5");
  EXPECT_EQ(rows[3]["by_year"], json::array({"50", "46"}));
  EXPECT_EQ(rows[3]["value"], "48");
  EXPECT_EQ(rows[3]["limit"], "35");
  EXPECT_EQ(rows[3]["compliant"], false);
  EXPECT_EQ(rows[1]["by_year"], json::array({"33", "32"}));
  EXPECT_EQ(rows[1]["value"], "32");
  EXPECT_EQ(rows[4]["by_year"], json::array({"1.9", "2.0"}));
  EXPECT_EQ(rows[4]["value"], "2.0");
  EXPECT_EQ(get(base + "&moving_average=1").status, 400);
  EXPECT_EQ(get(base + "&moving_average=11").status, 400);
  EXPECT_EQ(get(base + "&moving_average=x").status, 400);
}

// /api/power (docs/power.md): the metered lines, their readings, the live events and the enforcement cases,
// cut by role; evaluating cases is the bureau's and audited. The demo list links JC0001 -> E01 (城区) and
// JC0002 -> E02 (东阳县), so the county user 城区 sees E01's lines, the enterprise user e02 E02's.
TEST_F(ApiHttp, PowerLinesReadingsEventsAndCases) {
  const fs::path lines = dir_ / "power_lines.csv", sites = dir_ / "power_sites.csv",
                 grid = dir_ / "power_grid.csv";
  std::ofstream(lines)
      << "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n"
         "E01/P1,E01,磨煤机,production,50,60,PWR0000000000000000E01,d20101,,,\n"
         "E01/T1,E01,脱硫,treatment,20,60,PWR0000000000000000E01,d30101,E01/P1,,\n"
         "E02/P1,E02,回转窑,production,80,60,PWR0000000000000000E02,d20101,,,\n";
  std::ofstream(sites) << "site,name,county,meter,status,closed_since\n"
                          "S1,砖厂,城区,M1,closed,2026-11-30\n"
                          "S2,洗煤点,东阳县,M2,scattered,2026-11-30\n";
  // S1 30 kWh on 12-01 (above 5), 4 on 12-02 (at or below): a case opened 12-01, closed 12-02, 1 day.
  // S2 10 kWh on 12-01, no figure on 12-02 (a day without a figure ends the run): opened 12-01, closed 12-02.
  std::ofstream(grid) << "enterprise,meter,period,kwh\nX,M1,2026-12-01,30\nX,M1,2026-12-02,4\n"
                         "Y,M2,2026-12-01,10\n";
  for (const fs::path& f : {lines, sites, grid}) {
    auto r = ecomon::testing::run_command(ecomon_cmd(db_, "power import " + f.string()), true);
    ASSERT_EQ(r.code, 0) << r.out;
  }
  {
    auto store = ecomon::open_sqlite_stores(db_);
    ASSERT_TRUE(store.ok());
    using ecomon::sources::SourceTime;
    auto t = [](const char* s) { return *SourceTime::parse(s); };
    ASSERT_TRUE((*store)
                    ->power()
                    .write_readings({{"E01/P1", t("2026-12-01 10:00"), "100"},
                                     {"E01/P1", t("2026-12-01 10:01"), "100.5"},
                                     {"E01/P1", t("2026-12-02 10:00"), "1"},  // after the period asked
                                     {"E02/P1", t("2026-12-01 10:00"), "80"}})
                    .ok());
    // The gateway's events: E01's treatment line off 10:00-10:30 while E01/P1 ran (closed); E02/P1 running
    // during a stop order from 12-02 00:00 (still open).
    using ecomon::sources::EventKind;
    using ecomon::sources::Transition;
    std::vector<ecomon::sources::EventTransition> ts(3);
    ts[0] = {.transition = Transition::kOpen,
             .key = {"PWR0000000000000000E01", EventKind::kTreatmentNotRunning, "E01/T1>E01/P1"},
             .at = t("2026-12-01 10:00"),
             .data_time = t("2026-12-01 10:14"),
             .value = ecomon::Decimal{0, 0},
             .limit = ecomon::Decimal{20, 0}};
    ts[1] = ts[0];
    ts[1].transition = Transition::kClose;
    ts[1].at = ts[1].data_time = t("2026-12-01 10:30");
    ts[2] = {.transition = Transition::kOpen,
             .key = {"PWR0000000000000000E02", EventKind::kProductionDuringStop, "E02/P1"},
             .at = t("2026-12-02 00:00"),
             .data_time = t("2026-12-02 00:14"),
             .value = ecomon::Decimal{95, 0},
             .limit = ecomon::Decimal{80, 0}};
    ASSERT_TRUE((*store)->source_events().apply(ts, 1000).ok());
  }
  Session admin = login("admin"), chengqu = login("chengqu"), e02 = login("e02"), citizen = login("citizen");
  auto ids = [](const json& items, const char* key) {
    std::vector<std::string> out;
    for (const json& i : items) out.push_back(i.value(key, ""));
    return out;
  };

  // Lines: the bureau all three; 城区 E01's two; e02 its own (E01 named: refused); the public refused.
  Reply all = get("/api/power/lines", admin.read());
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(ids(all.body["items"], "line"), (std::vector<std::string>{"E01/P1", "E01/T1", "E02/P1"}));
  EXPECT_EQ(all.body["items"][1]["serves"], json::array({"E01/P1"}));
  EXPECT_EQ(all.body["items"][1]["role"], "treatment");
  EXPECT_EQ(all.body["items"][1]["running_kw"], "20");
  EXPECT_EQ(ids(get("/api/power/lines", chengqu.read()).body["items"], "line"),
            (std::vector<std::string>{"E01/P1", "E01/T1"}));
  EXPECT_TRUE(get("/api/power/lines?enterprise=E02", chengqu.read()).body["items"].empty());
  EXPECT_EQ(ids(get("/api/power/lines", e02.read()).body["items"], "line"),
            (std::vector<std::string>{"E02/P1"}));
  EXPECT_EQ(get("/api/power/lines?enterprise=E01", e02.read()).status, 403);
  EXPECT_EQ(get("/api/power/lines", citizen.read()).status, 403);
  EXPECT_EQ(get("/api/power/lines").status, 401);

  // Readings: a line's over the day (the 12-02 reading is after `to`), an enterprise's lines.
  const std::string day = "&from=" + enc("2026-12-01 00:00") + "&to=" + enc("2026-12-02 00:00");
  Reply rs = get("/api/power/readings?line=E01/P1" + day, admin.read());
  ASSERT_EQ(rs.status, 200) << rs.text;
  EXPECT_EQ(rs.body["items"], json::parse(R"([{"line":"E01/P1","at":"2026-12-01 10:00:00","kw":"100"},
                                              {"line":"E01/P1","at":"2026-12-01 10:01:00","kw":"100.5"}])"));
  EXPECT_EQ(get("/api/power/readings?enterprise=E01" + day, chengqu.read()).body["total"], 2);
  EXPECT_EQ(get("/api/power/readings?enterprise=E02" + day, e02.read()).body["total"], 1);
  EXPECT_EQ(get("/api/power/readings?line=E01/P1" + day, e02.read()).status, 404);  // not its line
  EXPECT_EQ(get("/api/power/readings?line=E01/P1" + day, citizen.read()).status, 403);
  Reply none = get("/api/power/readings" + std::string("?") + day.substr(1), admin.read());
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.body["error"]["message"], "query parameter 'enterprise' or 'line' is required");
  Reply bad = get("/api/power/readings?line=E01/P1&from=2026-13-01%2000:00", admin.read());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["message"].get<std::string>().rfind("from: ", 0), 0u) << bad.text;
  EXPECT_EQ(get("/api/power/readings?line=E01/P1&step=1", admin.read()).status, 400);

  // Events: both for the bureau, by opening; each county / enterprise its own; open=true the stop only.
  const std::string two_days = "?from=" + enc("2026-12-01 00:00") + "&to=" + enc("2026-12-03 00:00");
  Reply ev = get("/api/power/events" + two_days, admin.read());
  ASSERT_EQ(ev.status, 200) << ev.text;
  EXPECT_EQ(ev.body["items"], json::parse(R"([
      {"kind":"treatment_not_running","enterprise":"E01","line":"E01/T1","related":"E01/P1",
       "mn":"PWR0000000000000000E01","opened":"2026-12-01 10:00:00","closed":"2026-12-01 10:30:00",
       "kw":"0","running_kw":"20"},
      {"kind":"production_during_stop","enterprise":"E02","line":"E02/P1","related":null,
       "mn":"PWR0000000000000000E02","opened":"2026-12-02 00:00:00","closed":null,
       "kw":"95","running_kw":"80"}])"));
  EXPECT_EQ(ids(get("/api/power/events" + two_days, chengqu.read()).body["items"], "line"),
            (std::vector<std::string>{"E01/T1"}));
  EXPECT_EQ(ids(get("/api/power/events" + two_days, e02.read()).body["items"], "line"),
            (std::vector<std::string>{"E02/P1"}));
  EXPECT_EQ(ids(get("/api/power/events" + two_days + "&open=true", admin.read()).body["items"], "line"),
            (std::vector<std::string>{"E02/P1"}));
  Reply open_bad = get("/api/power/events" + two_days + "&open=yes", admin.read());
  EXPECT_EQ(open_bad.status, 400);
  EXPECT_EQ(open_bad.body["error"]["message"], "query parameter 'open' must be true or false");
  EXPECT_EQ(get("/api/power/events" + two_days, citizen.read()).status, 403);

  // Cases: evaluating is the bureau's (a county user refused, audited as denied); bad body fields 422.
  const std::string body = R"({"from":"2026-12-01","to":"2026-12-02"})";
  EXPECT_EQ(send("POST", "/api/power/cases/evaluate", body, chengqu.write()).status, 403);
  Reply bad_kwh = send("POST", "/api/power/cases/evaluate",
                       R"({"from":"2026-12-01","to":"2026-12-02","max_kwh":"lots"})", admin.write());
  EXPECT_EQ(bad_kwh.status, 422);
  EXPECT_EQ(bad_kwh.body["error"]["message"], "max_kwh: 'lots' is not a number");
  Reply bad_day =
      send("POST", "/api/power/cases/evaluate", R"({"from":"2026-12-32","to":"2026-12-02"})", admin.write());
  EXPECT_EQ(bad_day.status, 422);
  EXPECT_EQ(bad_day.body["error"]["message"].get<std::string>().rfind("from", 0), 0u) << bad_day.text;
  Reply ok = send("POST", "/api/power/cases/evaluate", body, admin.write());
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["found"], 2);
  EXPECT_EQ(ok.body["changed"], 2);
  ASSERT_EQ(ok.body["items"].size(), 2u);
  const json& s1 = ok.body["items"][0];  // by opened, then site
  EXPECT_EQ(s1["site"], "S1");
  EXPECT_EQ(s1["opened"], "2026-12-01");
  EXPECT_EQ(s1["closed"], "2026-12-02");
  EXPECT_EQ(s1["days"], 1);
  EXPECT_EQ(s1["threshold_kwh"], "5.000");
  // Again: nothing changes.
  Reply again = send("POST", "/api/power/cases/evaluate", body, admin.write());
  EXPECT_EQ(again.body["changed"], 0);
  // Listed: the bureau both, 城区 its S1; an enterprise and the public refused.
  EXPECT_EQ(ids(get("/api/power/cases", admin.read()).body["items"], "site"),
            (std::vector<std::string>{"S1", "S2"}));
  EXPECT_EQ(ids(get("/api/power/cases", chengqu.read()).body["items"], "site"),
            (std::vector<std::string>{"S1"}));
  EXPECT_EQ(get("/api/power/cases", e02.read()).status, 403);
  EXPECT_EQ(get("/api/power/cases", citizen.read()).status, 403);

  Reply audit = get("/api/audit?limit=20", admin.read());
  std::vector<std::string> outcomes;
  for (const json& a : audit.body["items"]) {
    if (a["action"] == "power.cases.evaluate")
      outcomes.push_back(a["user"].get<std::string>() + " " + a["outcome"].get<std::string>());
  }
  // Newest first: the two evaluations, the two bad bodies, the county's refusal.
  EXPECT_EQ(outcomes, (std::vector<std::string>{"admin ok", "admin ok", "admin invalid", "admin invalid",
                                                "chengqu denied"}));

  // One enterprise, three networks: E01's lines with their energy over 12-01 (E01/P1: 100 kW for a minute
  // and 100.5 kW for a minute = (100 + 100.5) / 60 = 3.3416… → 3.3 kWh; E01/T1 none), its events. 城区 sees
  // it, e02 is refused, E99 unknown.
  Reply net = get("/api/enterprises/E01/networks" + std::string("?") + day.substr(1), chengqu.read());
  ASSERT_EQ(net.status, 200) << net.text;
  EXPECT_EQ(net.body["county"], "城区");
  EXPECT_EQ(net.body["power"]["lines"], json::parse(R"([
      {"line":"E01/P1","name":"磨煤机","role":"production","readings":2,"kwh":"3.3"},
      {"line":"E01/T1","name":"脱硫","role":"treatment","readings":0,"kwh":"0.0"}])"));
  EXPECT_EQ(ids(net.body["power"]["events"], "kind"), (std::vector<std::string>{"treatment_not_running"}));
  // E01's device monitors SO2, NOx and particulate and sent nothing on 12-01: 0 kg, 0.0 % complete.
  ASSERT_EQ(net.body["emissions"]["loads"].size(), 3u) << net.text;
  for (const json& l : net.body["emissions"]["loads"]) {
    EXPECT_EQ(l["kg"], "0.000");
    EXPECT_EQ(l["completeness_percent"], "0.0");
  }
  EXPECT_TRUE(net.body["emissions"]["exceedances"].empty());
  EXPECT_EQ(get("/api/enterprises/E01/networks", e02.read()).status, 403);
  EXPECT_EQ(get("/api/enterprises/E99/networks", admin.read()).status, 404);
  EXPECT_EQ(get("/api/enterprises/E01/networks?from=yesterday", admin.read()).status, 400);
}

}  // namespace
