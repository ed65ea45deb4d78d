// HJ 212-2025 provisioning end to end over loopback (issue 17): a logger without an MN (hj212-sim
// --unprovisioned) announces itself with 1001s, each answered 9013 and recorded in the pending list (one row,
// its count rising); the bureau admin assigns an MN (app::provision_pending_device); the gateway sends the
// queued 1002 on the logger's connection (or at its next 1001), the logger answers 9011 + 9012 under its new
// MN, the command ends done, and its uploads are stored under that MN.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "app/provisioning.h"
#include "gateway/gateway.h"
#include "gateway/simulator.h"
#include "ingest/hj212/encoder.h"
#include "store/sqlite_stores.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

constexpr char kHardwareId[] = "6970000000001ABCDEFG1234";  // the spec note's F1
constexpr char kMn[] = "010000A8900016F000169DC0";          // its H2

class ProvisioningE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db_ = (fs::temp_directory_path() / ("ecomon_prov_" + std::to_string(::getpid()) + "_" + name + ".db"))
              .string();
    fs::remove(db_);
    auto s = open_sqlite_stores(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores_ = std::move(*s);
    GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.stores = sqlite_stores_opener(db_);
    o.commands.poll_ms = 100;
    auto g = Gateway::start(o);
    ASSERT_TRUE(g.ok()) << g.status().message();
    gw_ = std::move(*g);
  }
  void TearDown() override {
    if (gw_) gw_->stop();
    gw_.reset();
    stores_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_ + suffix);
  }
  template <typename Pred>
  static bool wait_until(Pred pred, int seconds = 15) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!pred() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return pred();
  }
  SimOptions logger() const {
    SimOptions s;
    s.target = "127.0.0.1:" + std::to_string(gw_->port());
    s.devices = 1;
    s.protocol = 2025;
    s.interval_s = 0.2;
    s.duration_s = 20;
    s.messages_per_device = 3;
    s.connect_spread_s = 0;
    s.unprovisioned = kHardwareId;
    return s;
  }
  std::vector<PendingDevice> pending() { return stores_->pending_devices().list().value(); }
  // One connection to the gateway: each of `sends` written in turn, each followed by reading until
  // `lines[i]` more answer lines (CRLF-ended) arrived (or 10 s passed); everything read, in order.
  std::string exchange(const std::vector<std::string>& sends, const std::vector<int>& lines) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(gw_->port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string got;
    size_t want = 0;
    for (size_t i = 0; i < sends.size(); ++i) {
      EXPECT_EQ(::send(fd, sends[i].data(), sends[i].size(), 0), static_cast<ssize_t>(sends[i].size()));
      want += static_cast<size_t>(i < lines.size() ? lines[i] : 0);
      char buf[512];
      while (count_lines(got) < want) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
      }
    }
    ::close(fd);
    return got;
  }
  static size_t count_lines(const std::string& s) {
    size_t n = 0;
    for (size_t at = s.find("\r\n"); at != std::string::npos; at = s.find("\r\n", at + 2)) ++n;
    return n;
  }
  void expect_provisioned(const SimStats& stats) {
    EXPECT_EQ(stats.assigned_mn, kMn);
    EXPECT_EQ(stats.sent, 3u);
    EXPECT_EQ(stats.answered, 3u);
    EXPECT_EQ(stats.refused, 0u);
    EXPECT_GE(stats.hardware_notices, 1u);
    EXPECT_GE(stats.notices_answered, 1u);          // 9013 to its 1001s
    EXPECT_EQ(stats.answers_in_other_version, 0u);  // answered with Flag=8
    EXPECT_EQ(*stores_->sources().count_source_records(), 3);
    EXPECT_EQ(stores_->sources().source_records(kMn, 2011, 0, 99991231235959, 10)->size(), 3u);
    // The 1002 exchange finished: 9011 QnRtn=1, 9012 ExeRtn=1.
    EXPECT_TRUE(wait_until([&] {
      auto c = stores_->source_commands().commands(kMn, 10);
      return c.ok() && c->size() == 1 && c->front().state == kCommandDone;
    })) << stores_->source_commands().commands(kMn, 10)->front().state;
    const SourceCommand c = stores_->source_commands().commands(kMn, 10)->front();
    EXPECT_EQ(c.cn, 1002);
    EXPECT_EQ(c.qn_rtn, 1);
    EXPECT_EQ(c.exe_rtn, 1);
  }
  std::string db_;
  std::unique_ptr<Stores> stores_;
  std::unique_ptr<Gateway> gw_;
  const Actor admin_{"li", Role::kAdmin, "", ""};
};

// Provisioned while the logger is connected and announcing: the 1002 goes out on its connection.
TEST_F(ProvisioningE2eTest, ALoggerFromNothingToUploadsUnderItsMn) {
  SimStats stats;
  std::thread sim([&] { stats = run_simulator(logger(), nullptr).value(); });
  // Announced and recorded, more than once on one row (a 1001 every 0.2 s).
  ASSERT_TRUE(wait_until([&] {
    auto rows = pending();
    return rows.size() == 1 && rows[0].count >= 2;
  }));
  const PendingDevice row = pending().front();
  EXPECT_EQ(row.hardware_id, kHardwareId);
  EXPECT_EQ(row.cpu_id, "A800200A8C6D");
  EXPECT_EQ(row.mac1, "E86A643C7BBC");
  EXPECT_EQ(row.mac2, "A763742C1AE1");
  EXPECT_EQ(row.pw, "123456");
  EXPECT_EQ(row.peer.rfind("127.0.0.1:", 0), 0u) << row.peer;
  EXPECT_LE(row.first_seen_ms, row.last_seen_ms);
  EXPECT_FALSE(row.assigned());
  EXPECT_TRUE(stores_->sources().devices()->empty());  // nothing registered before the bureau acts
  EXPECT_EQ(*stores_->sources().count_source_records(), 0);
  auto p =
      app::provision_pending_device(*stores_, admin_, {.pending_id = row.id, .mn = kMn}, row.last_seen_ms);
  ASSERT_TRUE(p.ok()) << p.status().message();
  sim.join();
  expect_provisioned(stats);
  EXPECT_GE(gw_->stats().hardware_notices, 2u);
}

// Provisioned while the logger is away: its next 1001 (a new connection) is answered with the 1002.
TEST_F(ProvisioningE2eTest, ALoggerProvisionedWhileAwayGetsItsMnAtItsNext1001) {
  ASSERT_TRUE(
      stores_->pending_devices()
          .record_sighting({.hardware_id = kHardwareId, .st = "31", .pw = "123456", .peer = "10.0.0.9:1"})
          .ok());
  const int64_t id = pending().front().id;
  ASSERT_TRUE(app::provision_pending_device(*stores_, admin_, {.pending_id = id, .mn = kMn}, 1000).ok());
  // The gateway's registry takes the new device (revision, within ~1 s) before the logger comes back.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const SimStats stats = run_simulator(logger(), nullptr).value();
  expect_provisioned(stats);
  EXPECT_EQ(pending().front().count, 1 + static_cast<int64_t>(stats.hardware_notices));
}

// A 1001 without a usable 数采仪ID is recorded nowhere and the connection carries on: the next one, with its
// ID, is recorded and answered 9013 (MN empty, Flag=8). The simulator refuses options it cannot honour.
TEST_F(ProvisioningE2eTest, A1001WithoutAHardwareIdIsNotRecorded) {
  const auto frame = [](const std::string& qn, const std::string& cp) {
    return hj212::encode_frame({.qn = qn, .st = "31", .cn = "1001", .pw = "123456", .mn = "", .flag = 9}, cp)
        .value();
  };
  const std::string bytes = frame("20240601085857223", "i23006-Info=A800200A8C6D") +
                            frame("20240601085857224", "i23005-Info=" + std::string(65, 'A')) +
                            frame("20240601085857225", "i23005-Info=X1;i23006-Info=C1");
  const std::string got = exchange({bytes}, {1});
  // One answer only: the 9013 of the third (the first two asked too, but are not taken).
  EXPECT_NE(got.find("QN=20240601085857225;ST=91;CN=9013;PW=123456;MN=;Flag=8;CP=&&&&"), std::string::npos)
      << got;
  EXPECT_EQ(got.find("857223"), std::string::npos) << got;
  ASSERT_TRUE(wait_until([&] { return pending().size() == 1; }));
  EXPECT_EQ(pending().front().hardware_id, "X1");
  EXPECT_EQ(pending().front().cpu_id, "C1");
  EXPECT_EQ(pending().front().mac1, "");

  SimOptions wrong = logger();
  wrong.protocol = 2017;
  EXPECT_EQ(run_simulator(wrong, nullptr).status().code(), StatusCode::kInvalidArgument);
  wrong = logger();
  wrong.devices = 2;
  EXPECT_EQ(run_simulator(wrong, nullptr).status().code(), StatusCode::kInvalidArgument);
  wrong = logger();
  wrong.unprovisioned = "a,b";  // not text a CP value carries
  EXPECT_EQ(run_simulator(wrong, nullptr).status().code(), StatusCode::kInvalidArgument);
}

// The MN is bound to the logger's hardware (spec note §4.6: "bind the MN to the CPU ID and MACs"; what to
// do on a mismatch is UNCONFIRMED, docs/gateway.md). The F1 logger (数采仪ID kHardwareId, CPU A800200A8C6D)
// is given kMn while away. Then, each on its own connection:
//  - a clone: kHardwareId's 1001 with CPU ID FFFFFFFFFFFF is answered 9013 but not given the MN (no 1002),
//    and its upload under kMn is refused 9011 QnRtn=4: 2 mismatches;
//  - another logger: a 1001 of 数采仪ID ...9999 (a new pending row), then an upload under kMn: refused 9011
//    QnRtn=4: 1 mismatch;
//  - the real logger (hj212-sim): given its MN with the 1002, its 3 uploads stored and answered;
//  - a connection that stated no identity: its upload under kMn is stored and answered 9014.
// 3 mismatches; 4 uploads stored (the simulator's 3 and the last one).
TEST_F(ProvisioningE2eTest, AnMnIsRefusedToOtherHardware) {
  ASSERT_TRUE(stores_->pending_devices()
                  .record_sighting({.hardware_id = kHardwareId,
                                    .cpu_id = "A800200A8C6D",
                                    .mac1 = "E86A643C7BBC",
                                    .mac2 = "A763742C1AE1",
                                    .st = "31",
                                    .pw = "123456",
                                    .peer = "10.0.0.9:1"})
                  .ok());
  const int64_t id = pending().front().id;
  ASSERT_TRUE(app::provision_pending_device(*stores_, admin_, {.pending_id = id, .mn = kMn}, 1000).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the registry takes the new device

  const auto frame = [](const std::string& qn, const std::string& cn, const std::string& mn,
                        const std::string& cp) {
    return hj212::encode_frame(
               {.qn = qn, .st = cn == "1001" ? "31" : "32", .cn = cn, .pw = "123456", .mn = mn, .flag = 9},
               cp)
        .value();
  };
  const std::string upload_cp = "DataTime=20240601085800;w01018-Rtd=12.3,w01018-Flag=N";
  // The clone: 9013 to its 1001, then 9011 QnRtn=4 to its upload.
  std::string got = exchange({frame("20240601085857001", "1001", "",
                                    "i23005-Info=6970000000001ABCDEFG1234;i23006-Info=FFFFFFFFFFFF;"
                                    "i23007-Info=E86A643C7BBC;i23008-Info=A763742C1AE1"),
                              frame("20240601085857002", "2011", kMn, upload_cp)},
                             {1, 1});
  EXPECT_NE(got.find("QN=20240601085857001;ST=91;CN=9013;PW=123456;MN=;Flag=8;CP=&&&&"), std::string::npos)
      << got;
  EXPECT_NE(got.find("QN=20240601085857002;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=8;"
                     "CP=&&QnRtn=4&&"),
            std::string::npos)
      << got;
  EXPECT_EQ(got.find("CN=1002"), std::string::npos) << got;  // not given the MN
  EXPECT_EQ(count_lines(got), 2u) << got;
  // Another logger's connection.
  got = exchange({frame("20240601085857003", "1001", "", "i23005-Info=6970000000001ABCDEFG9999"),
                  frame("20240601085857004", "2011", kMn, upload_cp)},
                 {1, 1});
  EXPECT_NE(got.find("QN=20240601085857004;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=8;"
                     "CP=&&QnRtn=4&&"),
            std::string::npos)
      << got;
  EXPECT_EQ(gw_->stats().hardware_mismatches, 3u);
  EXPECT_EQ(*stores_->sources().count_source_records(), 0);
  // The 1002 was not sent to either (still queued for the real logger).
  EXPECT_EQ(stores_->source_commands().commands(kMn, 10)->front().state, kCommandQueued);

  // The real logger, with the identity its MN is bound to.
  const SimStats stats = run_simulator(logger(), nullptr).value();
  expect_provisioned(stats);
  // A connection that stated no identity: not checked (UNCONFIRMED), stored and answered 9014.
  got = exchange({frame("20240601085857005", "2011", kMn, "DataTime=20240601090000;w01018-Rtd=1.0")}, {1});
  EXPECT_NE(got.find("QN=20240601085857005;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=8;"
                     "CP=&&&&"),
            std::string::npos)
      << got;
  EXPECT_EQ(*stores_->sources().count_source_records(), 4);
  EXPECT_EQ(gw_->stats().hardware_mismatches, 3u);
  // The pending row kept the bound identity through the clone's 1001 (counted as a sighting).
  const PendingDevice row = pending().front();
  EXPECT_EQ(row.cpu_id, "A800200A8C6D");
  EXPECT_EQ(row.mn, kMn);
  ASSERT_TRUE(wait_until([&] { return pending().size() == 2; }));  // and the ...9999 logger's own row
  EXPECT_EQ(pending().back().hardware_id, "6970000000001ABCDEFG9999");
}

}  // namespace
}  // namespace ecomon
