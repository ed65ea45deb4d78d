// The HJ 212 gateway on the cluster with real processes (ctest label `cluster`, run serially: it kills and
// restarts the cluster's servers): two `ecomon gateway` processes on one store URL with devices spread over
// them, and kill -9 of a ClickHouse shard and of PostgreSQL under load from the simulator. Skipped without
// ECOMON_TEST_STORE; the kill checks also need ECOMON_TEST_CLUSTER_DIR (the directory `scripts/cluster.sh up`
// was given: its servers' pid files, and `up` to restart them; ./test sets both).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "gateway/simulator.h"
#include "store/open.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

struct Gateway {
  pid_t pid = -1;
  int port = 0;
  std::string log;  // its standard error
};

// `ecomon --store URL gateway --listen 127.0.0.1:0`, its standard error into `log`; the port it printed.
Gateway start_gateway(const std::string& url, const std::string& log) {
  Gateway g{.log = log};
  int fds[2];
  if (pipe(fds) != 0) return g;
  g.pid = fork();
  if (g.pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    FILE* err = std::fopen(log.c_str(), "w");
    if (err) dup2(fileno(err), STDERR_FILENO);
    close(fds[0]);
    execl(ECOMON_BIN, ECOMON_BIN, "--store", url.c_str(), "gateway", "--listen", "127.0.0.1:0", "--max-rate",
          "1000", "--no-events", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char ch;
  while (read(fds[0], &ch, 1) == 1 && ch != '\n') line += ch;
  close(fds[0]);
  const size_t at = line.find("127.0.0.1:");
  g.port = at == std::string::npos ? 0 : std::atoi(line.c_str() + at + 10);
  return g;
}

int stop_gateway(const Gateway& g) {
  kill(g.pid, SIGTERM);
  int status = 0;
  waitpid(g.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

int run(const std::string& command) { return std::system(command.c_str()); }

class GatewayCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* u = std::getenv("ECOMON_TEST_STORE");
    if (!u || !*u) GTEST_SKIP() << "ECOMON_TEST_STORE is not set: no cluster (scripts/cluster.sh up; ./test)";
    url = u;
    dir = fs::temp_directory_path() / ("ecomon_gw_cluster_" + std::to_string(::getpid()) + "_" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto s = open_stores(url);
    ASSERT_TRUE(s.ok()) << s.status().message();
    stores = std::move(*s);
    // Devices of this run only: numbers no other run of this test uses at once.
    first = 100000 + static_cast<int>(::getpid() % 5000) * 100;
    for (const DeviceRecord& d : sim_devices(first, kDevices, "123456"))
      ASSERT_TRUE(stores->sources().upsert_device(d).ok());
  }
  void TearDown() override { fs::remove_all(dir); }

  SimOptions sim(int port, int from, int n, const std::string& acked) const {
    SimOptions o;
    o.target = "127.0.0.1:" + std::to_string(port);
    o.first_device = first + from;
    o.devices = n;
    o.interval_s = 0.01;
    o.connect_spread_s = 0.05;
    o.acked_log = (dir / acked).string();
    return o;
  }
  // Every upload the simulator logged as answered is stored, exactly once: `sources records` of its key
  // gives one row, and the device's records have no key twice. Returns how many answers were logged (an
  // upload every 10 ms has a DataTime of whole seconds: ~100 answers share a key, stored once).
  uint64_t check_acknowledged(const std::vector<std::string>& logs) {
    auto s = open_stores(url);  // a fresh reader, after the restarts
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return 0;
    std::map<std::string, std::set<int64_t>> acked;
    uint64_t logged = 0;
    for (const std::string& log : logs) {
      std::istringstream in(slurp((dir / log).string()));
      std::string line;
      while (std::getline(in, line)) {
        const size_t a = line.find(','), b = line.rfind(',');
        if (line.substr(a + 1, b - a - 1) != "2011") continue;  // (the simulator logs real-time uploads)
        acked[line.substr(0, a)].insert(std::stoll(line.substr(b + 1)));
        ++logged;
      }
    }
    uint64_t checked = 0, missing = 0, twice = 0;
    for (const auto& [mn, times] : acked) {
      auto recs = (*s)->sources().source_records(mn, 2011, *times.begin(), *times.rbegin(), 1000000);
      EXPECT_TRUE(recs.ok()) << recs.status().message();
      if (!recs.ok()) return 0;
      std::set<int64_t> stored;
      for (const SourceRecord& r : *recs) {
        if (!stored.insert(r.data_time).second) ++twice;
      }
      for (int64_t t : times) {
        ++checked;
        if (!stored.count(t)) ++missing;
      }
    }
    EXPECT_EQ(missing, 0u) << "of " << checked << " keys answered";
    EXPECT_EQ(twice, 0u);
    return logged;
  }

  static constexpr int kDevices = 40;
  std::string url;
  fs::path dir;
  std::unique_ptr<Stores> stores;
  int first = 0;
};

// Two gateways, the devices split between them: each upload is stored once, and a device's command is sent
// by the gateway that holds its connection only — also after the device moved to the other one.
TEST_F(GatewayCluster, TwoGatewaysShareTheStoreAndEachSendsItsDevicesCommands) {
  Gateway g1 = start_gateway(url, (dir / "g1.log").string());
  Gateway g2 = start_gateway(url, (dir / "g2.log").string());
  ASSERT_GT(g1.port, 0) << slurp(g1.log);
  ASSERT_GT(g2.port, 0) << slurp(g2.log);
  const std::string a = sim_mn(first + 5), b = sim_mn(first + 25);
  std::atomic<bool> stop{false};
  SimOptions o1 = sim(g1.port, 0, 20, "acked1.csv"), o2 = sim(g2.port, 20, 20, "acked2.csv");
  o1.duration_s = o2.duration_s = 0;  // until `stop`
  StatusOr<SimStats> s1 = SimStats{}, s2 = SimStats{};
  std::thread t1([&] { s1 = run_simulator(o1, &stop); });
  std::thread t2([&] { s2 = run_simulator(o2, &stop); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // both connected and holding their devices
  auto ca = stores->source_commands().add(*command_of({a, "get-time", {}}), "test", 1);
  auto cb = stores->source_commands().add(*command_of({b, "get-time", {}}), "test", 1);
  ASSERT_TRUE(ca.ok() && cb.ok());
  // Done within a few polls (1 s each): the simulator answers 9011, the data, 9012.
  for (int i = 0; i < 100; ++i) {
    if (stores->source_commands().command(ca->id)->state == "done" &&
        stores->source_commands().command(cb->id)->state == "done")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stores->source_commands().command(ca->id)->state, "done");
  EXPECT_EQ(stores->source_commands().command(cb->id)->state, "done");
  stop = true;
  t1.join();
  t2.join();
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_GT(s1->answered, 50u);
  EXPECT_GT(s2->answered, 50u);

  // Device a moves to gateway 2 (its connection to gateway 1 closed): its next command goes out there.
  std::atomic<bool> stop2{false};
  SimOptions moved = sim(g2.port, 5, 1, "acked3.csv");
  moved.duration_s = 0;
  StatusOr<SimStats> s3 = SimStats{};
  std::thread t3([&] { s3 = run_simulator(moved, &stop2); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto ca2 = stores->source_commands().add(*command_of({a, "get-interval", {}}), "test", 2);
  ASSERT_TRUE(ca2.ok());
  for (int i = 0; i < 100 && stores->source_commands().command(ca2->id)->state != "done"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(stores->source_commands().command(ca2->id)->state, "done");
  stop2 = true;
  t3.join();
  EXPECT_EQ(stop_gateway(g1), 0);
  EXPECT_EQ(stop_gateway(g2), 0);
  const std::string l1 = slurp(g1.log), l2 = slurp(g2.log);
  const auto sent = [](const std::string& log, int64_t id) {
    return log.find("command #" + std::to_string(id) + " ") != std::string::npos;
  };
  EXPECT_TRUE(sent(l1, ca->id)) << l1;
  EXPECT_FALSE(sent(l2, ca->id)) << l2;
  EXPECT_TRUE(sent(l2, cb->id)) << l2;
  EXPECT_FALSE(sent(l1, cb->id)) << l1;
  EXPECT_TRUE(sent(l2, ca2->id)) << l2;
  EXPECT_FALSE(sent(l1, ca2->id)) << l1;
  const uint64_t checked = check_acknowledged({"acked1.csv", "acked2.csv", "acked3.csv"});
  EXPECT_EQ(checked, s1->answered + s2->answered + s3->answered);
}

// kill -9 of one server under load from two gateways, restarted 2 s later: nothing answered is lost or
// stored twice. `what`: "clickhouse" (shard 2) or "postgres".
void kill_and_restart(const fs::path& cluster, const std::string& what) {
  if (what == "clickhouse") {
    ASSERT_EQ(run("kill -9 $(cat '" + (cluster / "ch/s2/pid").string() + "')"), 0);
  } else {
    // The postmaster and its children at once, as a machine losing power would stop them.
    const std::string pid = "$(head -1 '" + (cluster / "pg/data/postmaster.pid").string() + "')";
    ASSERT_EQ(run("p=" + pid + "; kill -9 $p $(pgrep -P $p)"), 0);
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(run("scripts/cluster.sh up '" + cluster.string() + "' >/dev/null 2>&1 || " + ECOMON_SOURCE_DIR +
                "/scripts/cluster.sh up '" + cluster.string() + "' >/dev/null"),
            0);
}

class GatewayClusterKill : public GatewayCluster, public ::testing::WithParamInterface<std::string> {};

TEST_P(GatewayClusterKill, AcknowledgedUploadsSurviveKillDashNine) {
  const char* c = std::getenv("ECOMON_TEST_CLUSTER_DIR");
  if (!c || !*c)
    GTEST_SKIP()
        << "ECOMON_TEST_CLUSTER_DIR is not set: the kill -9 checks need the directory the cluster was "
           "started in (scripts/cluster.sh up DIR)";
  const fs::path cluster = fs::absolute(c);
  Gateway g1 = start_gateway(url, (dir / "g1.log").string());
  Gateway g2 = start_gateway(url, (dir / "g2.log").string());
  ASSERT_GT(g1.port, 0) << slurp(g1.log);
  ASSERT_GT(g2.port, 0) << slurp(g2.log);
  SimOptions o1 = sim(g1.port, 0, 20, "acked1.csv"), o2 = sim(g2.port, 20, 20, "acked2.csv");
  o1.duration_s = o2.duration_s = 12;
  StatusOr<SimStats> s1 = SimStats{}, s2 = SimStats{};
  std::thread t1([&] { s1 = run_simulator(o1, nullptr); });
  std::thread t2([&] { s2 = run_simulator(o2, nullptr); });
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  kill_and_restart(cluster, GetParam());
  t1.join();
  t2.join();
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_GT(s1->answered + s2->answered, 200u) << "the load did not get going";
  EXPECT_EQ(stop_gateway(g1), 0);
  EXPECT_EQ(stop_gateway(g2), 0);
  const uint64_t checked = check_acknowledged({"acked1.csv", "acked2.csv"});
  EXPECT_EQ(checked, s1->answered + s2->answered);
  std::cout << "kill -9 " << GetParam() << ": " << s1->answered + s2->answered << " answered of "
            << s1->sent + s2->sent << " sent, " << checked << " checked: each stored once\n";
  // What gateway 1 said while the server was down (its first lines other than conflicts).
  std::istringstream said(slurp(g1.log));
  int shown = 0;
  for (std::string line; std::getline(said, line) && shown < 4;) {
    if (line.find("conflict") != std::string::npos) continue;
    std::cout << "  gateway 1: " << line.substr(0, 300) << "\n";
    ++shown;
  }
}

INSTANTIATE_TEST_SUITE_P(Server, GatewayClusterKill, ::testing::Values("clickhouse", "postgres"));

}  // namespace
}  // namespace ecomon
