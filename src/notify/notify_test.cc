// Notifications end to end on a temp store: rules, the planning of app::notify_step, and libcurl's
// deliveries to receivers written here on loopback (real sockets): a webhook that answers 500 then 200, one
// that never answers, one that answers 200, and an SMTP sink.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/notify.h"
#include "notify/curl_deliver.h"
#include "notify/notify_worker.h"
#include "store/sqlite_stores.h"
#include "testing/temp_dir.h"

namespace ecomon {
namespace {

using nlohmann::json;

// now: 2026-12-07 08:00:00 UTC = 16:00:00 Beijing (date -u -d "2026-12-07 08:00:00" +%s = 1796630400).
constexpr int64_t kNow = int64_t{1796630400} * 1000;
constexpr int64_t kMinute = 60000;
const std::string kMn = "010000A8900016F000169DC0";

// A loopback receiver: accepts connections on its own thread and hands each to `serve` (which may keep the
// descriptor open to hang); closes everything on destruction.
class Sink {
 public:
  explicit Sink(std::function<void(int fd, int n)> serve) : serve_(std::move(serve)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0)
      ADD_FAILURE() << "cannot listen on loopback";
    socklen_t len = sizeof a;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~Sink() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
    for (int fd : held_) ::close(fd);
  }
  int port() const { return port_; }
  void hold(int fd) {
    std::lock_guard<std::mutex> l(mu_);
    held_.push_back(fd);
  }

 private:
  void loop() {
    int n = 0;
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      serve_(fd, n++);
    }
  }
  std::function<void(int, int)> serve_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> held_;
};

// Reads from fd until `end` has arrived (or the peer closes, or 5 s pass); returns what came.
std::string read_until(int fd, const std::string& end, std::string& buffer) {
  while (buffer.find(end) == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    char b[4096];
    const ssize_t k = ::read(fd, b, sizeof b);
    if (k <= 0) break;
    buffer.append(b, static_cast<size_t>(k));
  }
  const size_t at = buffer.find(end);
  if (at == std::string::npos) return std::exchange(buffer, "");
  std::string out = buffer.substr(0, at + end.size());
  buffer.erase(0, at + end.size());
  return out;
}

void send_all(int fd, const std::string& s) { (void)!::write(fd, s.data(), s.size()); }

// A webhook: the n-th request gets statuses[min(n, size - 1)]; 0 = never answer (the connection held).
struct Webhook {
  explicit Webhook(std::vector<int> statuses)
      : sink([this, statuses](int fd, int n) {
          std::string buf;
          std::string head = read_until(fd, "\r\n\r\n", buf);
          size_t len = 0;
          if (auto at = head.find("Content-Length: "); at != std::string::npos)
            len = std::stoul(head.substr(at + 16));
          while (buf.size() < len) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 5000) <= 0) break;
            char b[4096];
            const ssize_t k = ::read(fd, b, sizeof b);
            if (k <= 0) break;
            buf.append(b, static_cast<size_t>(k));
          }
          {
            std::lock_guard<std::mutex> l(mu);
            heads.push_back(head);
            bodies.push_back(buf);
          }
          const int status = statuses[std::min<size_t>(static_cast<size_t>(n), statuses.size() - 1)];
          if (status == 0) return sink.hold(fd);
          send_all(fd, "HTTP/1.1 " + std::to_string(status) +
                           " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
          ::close(fd);
        }) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(sink.port()) + "/hook"; }
  std::vector<std::string> got() {
    std::lock_guard<std::mutex> l(mu);
    return bodies;
  }
  std::mutex mu;
  std::vector<std::string> heads, bodies;
  Sink sink;
};

// An SMTP sink: answers each command with a 2xx/3xx and keeps the envelope and the message.
struct SmtpSink {
  SmtpSink()
      : sink([this](int fd, int) {
          send_all(fd, "220 sink ESMTP\r\n");
          std::string buf, envelope;
          while (true) {
            std::string line = read_until(fd, "\r\n", buf);
            if (line.empty()) break;
            if (line.rfind("DATA", 0) == 0) {
              send_all(fd, "354 go on\r\n");
              std::string msg = read_until(fd, "\r\n.\r\n", buf);
              std::lock_guard<std::mutex> l(mu);
              mails.push_back(envelope + msg);
              send_all(fd, "250 queued\r\n");
            } else if (line.rfind("QUIT", 0) == 0) {
              send_all(fd, "221 bye\r\n");
              break;
            } else {
              if (line.rfind("MAIL", 0) == 0 || line.rfind("RCPT", 0) == 0) envelope += line;
              send_all(fd, line.rfind("EHLO", 0) == 0 ? "250 sink\r\n" : "250 ok\r\n");
            }
          }
          ::close(fd);
        }) {}
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(sink.port()); }
  std::vector<std::string> got() {
    std::lock_guard<std::mutex> l(mu);
    return mails;
  }
  std::mutex mu;
  std::vector<std::string> mails;
  Sink sink;
};

sources::EventTransition opening(const std::string& mn, sources::EventKind kind, const std::string& pollutant,
                                 const std::string& at) {
  sources::EventTransition t;
  t.transition = sources::Transition::kOpen;
  t.key = {mn, kind, pollutant, sources::DataFlag::kNormal};
  t.at = *sources::SourceTime::parse(at);
  t.data_time = t.at;
  if (kind == sources::EventKind::kExceedance) {
    t.value = Decimal{805, 1};
    t.limit = Decimal{50, 0};
    t.cause = sources::ExceedanceCause::kAboveLimit;
  }
  return t;
}

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_stores((dir_.path() / "n.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores_ = std::move(*s);
    ASSERT_TRUE(stores_->sources()
                    .upsert_device({.mn = kMn,
                                    .password = "123456",
                                    .enterprise = "晋城示范电厂",
                                    .outlet = "1号排口",
                                    .county = "泽州县"})
                    .ok());
    ASSERT_TRUE(
        stores_->sources()
            .upsert_device(
                {.mn = "MN-CHENGQU", .password = "123456", .enterprise = "城区企业", .county = "城区"})
            .ok());
  }
  // An event of kMn opened at `at` (civil), stored `raised_ms`.
  void raise(const sources::EventTransition& t, int64_t raised_ms) {
    std::vector<sources::EventTransition> v{t};
    ASSERT_TRUE(stores_->source_events().apply(v, raised_ms).ok());
  }
  NotifyRule rule(const std::string& channel, const std::string& target, const std::string& levels,
                  const std::string& county = "泽州县") {
    auto r = app::add_notify_rule(*stores_, admin_,
                                  {.role = county.empty() ? "admin" : "county",
                                   .county = county,
                                   .kinds = "exceedance,silence",
                                   .levels = levels,
                                   .channel = channel,
                                   .target = target},
                                  kNow);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : NotifyRule{};
  }
  testing::TempDir dir_{"notify"};
  std::unique_ptr<Stores> stores_;
  Actor admin_{"admin", Role::kAdmin, "", ""};
  notify::CurlOptions curl_{.timeout_ms = 400, .connect_timeout_ms = 400};
};

TEST_F(NotifyTest, RulesAreCheckedAndForAdminsOnly) {
  const Actor analyst{"ana", Role::kAnalyst, "", ""};
  const app::NotifyRuleRequest ok{.role = "county",
                                  .county = "泽州县",
                                  .kinds = "silence, exceedance",
                                  .levels = "",
                                  .channel = "webhook",
                                  .target = "http://127.0.0.1:1/h"};
  EXPECT_EQ(app::add_notify_rule(*stores_, analyst, ok, kNow).status().code(), StatusCode::kPermissionDenied);
  auto r = app::add_notify_rule(*stores_, admin_, ok, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kinds, "exceedance,silence");  // in the order of kNotifyKinds, spaces dropped
  EXPECT_EQ(r->levels, "open,escalation");    // "" = both
  EXPECT_EQ(r->created_by, "admin");
  auto bad = [&](app::NotifyRuleRequest q) {
    return app::add_notify_rule(*stores_, admin_, q, kNow).status().message();
  };
  // Each bad field and the message that names it.
  const std::vector<std::pair<std::function<void(app::NotifyRuleRequest&)>, std::string>> cases = {
      {[](auto& q) { q.county = ""; }, "county: a county rule names its county"},
      {[](auto& q) { q.kinds = "exceedance,fire"; },
       "kinds: 'fire' is not one of exceedance, silence, flag_fault, standard_check, furnace_temperature, "
       "dust_exceedance, dust_silence, treatment_not_running, production_during_stop"},
      {[](auto& q) { q.levels = "later"; }, "levels: 'later' is not one of open, escalation"},
      {[](auto& q) { q.target = "ftp://x/"; }, "target: 'ftp://x/' is not an http:// or https:// URL"},
      {[](auto& q) { q.target = "http:///nohost"; },
       "target: 'http:///nohost' is not an http:// or https:// URL"},
      {[](auto& q) {
         q.channel = "email";
         q.target = "duty@@x.org";
       },
       "target: 'duty@@x.org' is not an e-mail address"},
      {[](auto& q) { q.channel = "sms"; }, "channel: 'sms' is not one of webhook, email"},
      {[](auto& q) { q.role = "enterprise"; }, "role: 'enterprise' is not one of admin, analyst, county"},
  };
  for (const auto& [change, message] : cases) {
    app::NotifyRuleRequest q = ok;
    change(q);
    EXPECT_EQ(bad(q), message);
  }
  app::NotifyRuleRequest q = ok;
  q.channel = "email";
  q.target = "duty@x.org\r\nBcc: y@z.org";  // a header smuggled into the address
  EXPECT_EQ(bad(q).rfind("target: ", 0), 0u);
  ASSERT_EQ(app::notify_rules(*stores_, admin_)->size(), 1u);
  EXPECT_EQ(app::remove_notify_rule(*stores_, analyst, r->id).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(app::remove_notify_rule(*stores_, admin_, r->id).ok());
  EXPECT_EQ(app::remove_notify_rule(*stores_, admin_, r->id).code(), StatusCode::kNotFound);
}

// A receiver answering 500 then 200: the first attempt is logged as failed and retried after the back-off
// (2,000 ms for the first retry), the second goes; the JSON carries the event.
TEST_F(NotifyTest, WebhookRetriedAfterBackOffUntilItGoes) {
  Webhook hook({500, 200});
  rule("webhook", hook.url(), "open");
  rule("webhook", hook.url(), "open", "城区");  // another county's: not for this device
  raise(opening(kMn, sources::EventKind::kExceedance, "a21026", "2026-12-07 15:59:00"), kNow - kMinute);
  app::Deliver deliver = notify::curl_deliver(curl_);
  const app::NotifyParams params{.backoff_ms = 2000};

  auto first = app::notify_step(*stores_, params, kNow, deliver);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->queued, 1);
  EXPECT_EQ(first->attempted, 1);
  EXPECT_EQ(first->retrying, 1);
  // 1,999 ms later nothing is due; at 2,000 ms the retry goes.
  EXPECT_EQ(app::notify_step(*stores_, params, kNow + 1999, deliver)->attempted, 0);
  auto second = app::notify_step(*stores_, params, kNow + 2000, deliver);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->queued, 0);  // queued once
  EXPECT_EQ(second->sent, 1);
  EXPECT_EQ(app::notify_step(*stores_, params, kNow + 60000, deliver)->attempted, 0);

  auto log = app::notify_log(*stores_, admin_, {});
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].attempt.detail, "HTTP 200");
  EXPECT_EQ((*log)[0].attempt.attempt, 2);
  EXPECT_EQ((*log)[0].job.state, "sent");
  EXPECT_EQ((*log)[1].attempt.detail, "HTTP 500");
  EXPECT_FALSE((*log)[1].attempt.ok);
  const auto bodies = hook.got();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0], bodies[1]);
  json j = json::parse(bodies[1]);
  EXPECT_EQ(j["level"], "open");
  EXPECT_EQ(j["mn"], kMn);
  EXPECT_EQ(j["kind"], "exceedance");
  EXPECT_EQ(j["pollutant"], "a21026");
  EXPECT_EQ(j["value"], "80.5");
  EXPECT_EQ(j["limit"], "50");
  EXPECT_EQ(j["county"], "泽州县");
  EXPECT_EQ(j["enterprise"], "晋城示范电厂");
  EXPECT_EQ(j["opened_at"], "2026-12-07 15:59:00");
  EXPECT_NE(hook.heads[0].find("Content-Type: application/json"), std::string::npos);
}

// A receiver that never answers times out (400 ms here) while the good one beside it is delivered in the
// same round; after max_attempts the job is given up.
TEST_F(NotifyTest, AHangingReceiverTimesOutAndDoesNotHoldTheOthers) {
  Webhook dead({0}), good({200});
  rule("webhook", dead.url(), "open");
  rule("webhook", good.url(), "open");
  raise(opening(kMn, sources::EventKind::kSilence, "", "2026-12-07 15:58:00"), kNow - kMinute);
  app::Deliver deliver = notify::curl_deliver(curl_);
  const app::NotifyParams params{.max_attempts = 2, .backoff_ms = 1000};
  auto r = app::notify_step(*stores_, params, kNow, deliver);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attempted, 2);
  EXPECT_EQ(r->sent, 1);
  EXPECT_EQ(r->retrying, 1);
  auto again = app::notify_step(*stores_, params, kNow + 1000, deliver);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->attempted, 1);
  EXPECT_EQ(again->gave_up, 1);
  EXPECT_EQ(app::notify_step(*stores_, params, kNow + 100000, deliver)->attempted, 0);
  auto log = app::notify_log(*stores_, admin_, {});
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].attempt.detail, "timeout after 400 ms");
  EXPECT_EQ((*log)[0].job.state, "failed");
  EXPECT_EQ((*log)[0].job.target, dead.url());
  int timeouts = 0, oks = 0;
  for (const NotifyLogEntry& e : *log) {
    timeouts += e.attempt.detail == "timeout after 400 ms";
    oks += e.attempt.detail == "HTTP 200";
  }
  EXPECT_EQ(timeouts, 2);
  EXPECT_EQ(oks, 1);
  EXPECT_EQ(good.got().size(), 1u);
}

// Escalation: an open event left unacknowledged 30 minutes is mailed to the relay; one acknowledged in time
// is not; one closed is not.
TEST_F(NotifyTest, UnacknowledgedEventsEscalateByMail) {
  SmtpSink smtp;
  rule("email", "duty@bureau.example", "escalation", "");
  const auto so2 = opening(kMn, sources::EventKind::kExceedance, "a21026", "2026-12-07 15:29:00");
  const auto nox = opening(kMn, sources::EventKind::kExceedance, "a21002", "2026-12-07 15:29:00");
  const auto quiet = opening("MN-CHENGQU", sources::EventKind::kSilence, "", "2026-12-07 15:29:00");
  raise(so2, kNow - 31 * kMinute);
  raise(nox, kNow - 31 * kMinute);
  raise(quiet, kNow - 31 * kMinute);
  auto close = quiet;
  close.transition = sources::Transition::kClose;
  close.at = *sources::SourceTime::parse("2026-12-07 15:50:00");
  raise(close, kNow - 10 * kMinute);
  ASSERT_TRUE(app::acknowledge_event(*stores_, admin_, {kMn, "exceedance", "a21002", 20261207152900},
                                     "处理中", kNow - 20 * kMinute)
                  .ok());
  curl_.smtp_url = smtp.url();
  curl_.mail_from = "ecomon@bureau.example";
  const app::NotifyParams params{.escalate_after_ms = 30 * kMinute};
  // 29 minutes after it was raised nothing escalates yet.
  EXPECT_EQ(app::notify_step(*stores_, params, kNow - 2 * kMinute, notify::curl_deliver(curl_))->queued, 0);
  auto r = app::notify_step(*stores_, params, kNow, notify::curl_deliver(curl_));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->queued, 1);
  EXPECT_EQ(r->sent, 1);
  const auto mails = smtp.got();
  ASSERT_EQ(mails.size(), 1u);
  const std::string& m = mails[0];
  EXPECT_NE(m.find("MAIL FROM:<ecomon@bureau.example>"), std::string::npos) << m;
  EXPECT_NE(m.find("RCPT TO:<duty@bureau.example>"), std::string::npos) << m;
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  // 31 minutes unacknowledged (kNow - raised = 31 min); the SO2 event, not the acknowledged NOx one.
  EXPECT_NE(m.find("事件未确认已超过 31 分钟 / unacknowledged for 31 min\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("污染物 pollutant: 二氧化硫 (a21026)\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("监测值 value: 80.5\r\n限值 limit: 50\r\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("a21002"), std::string::npos);
  auto log = app::notify_log(*stores_, admin_, {});
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].attempt.detail, "SMTP 250");
  EXPECT_EQ((*log)[0].job.level, "escalation");
}

// No relay configured: the e-mail fails saying so (and is retried), nothing else breaks.
TEST_F(NotifyTest, MailWithoutARelayFailsSayingSo) {
  rule("email", "duty@bureau.example", "open");
  raise(opening(kMn, sources::EventKind::kSilence, "", "2026-12-07 15:58:00"), kNow - kMinute);
  auto r = app::notify_step(*stores_, {}, kNow, notify::curl_deliver(curl_));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->retrying, 1);
  EXPECT_EQ((*app::notify_log(*stores_, admin_, {}))[0].attempt.detail,
            "no SMTP relay configured (--smtp smtp://HOST:PORT)");
}

// The worker runs steps on its own thread and stops when asked.
TEST_F(NotifyTest, WorkerDeliversInTheBackground) {
  Webhook hook({200});
  rule("webhook", hook.url(), "open");
  raise(opening(kMn, sources::EventKind::kSilence, "", "2026-12-07 15:58:00"),
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
  const std::string db = (dir_.path() / "n.db").string();
  auto w = notify::NotifyWorker::start([db] { return open_sqlite_stores(db); }, {},
                                       notify::curl_deliver(curl_), 20);
  for (int i = 0; i < 500 && hook.got().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  w->stop();
  EXPECT_GE(w->steps(), 1);
  ASSERT_EQ(hook.got().size(), 1u);
  EXPECT_EQ(json::parse(hook.got()[0])["kind"], "silence");
}

}  // namespace
}  // namespace ecomon
