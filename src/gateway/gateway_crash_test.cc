// kill -9 during a load: every upload the gateway acknowledged is in the store after a restart.
// Runs the real `ecomon gateway` process, loads it with the simulator (in this process), kills it with
// SIGKILL in the middle, restarts it on the same store, and checks the simulator's log of answered uploads.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/simulator.h"
#include "store/sqlite_store.h"

namespace ecomon {
namespace {

namespace fs = std::filesystem;

// Starts `ecomon --db DB gateway --listen 127.0.0.1:0 [--writers N]`; returns its pid and the port it
// printed.
std::pair<pid_t, int> start_gateway(const std::string& db, int writers = 0) {
  int fds[2];
  if (pipe(fds) != 0) return {-1, 0};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    const std::string w = std::to_string(writers);
    if (writers > 0) {
      execl(ECOMON_BIN, ECOMON_BIN, "--db", db.c_str(), "gateway", "--listen", "127.0.0.1:0", "--max-rate",
            "1000", "--writers", w.c_str(), static_cast<char*>(nullptr));
    } else {
      execl(ECOMON_BIN, ECOMON_BIN, "--db", db.c_str(), "gateway", "--listen", "127.0.0.1:0", "--max-rate",
            "1000", static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char ch;
  while (read(fds[0], &ch, 1) == 1 && ch != '\n') line += ch;
  close(fds[0]);
  // "gateway listening on 127.0.0.1:PORT, store ..."
  size_t colon = line.find("127.0.0.1:");
  int port = colon == std::string::npos ? 0 : std::atoi(line.c_str() + colon + 10);
  return {pid, port};
}

// Param: the gateway's --writers (0: the store's one shard; 2: two shard files, two writers committing at
// once).
class GatewayCrash : public ::testing::TestWithParam<int> {};

TEST_P(GatewayCrash, EveryAcknowledgedUploadSurvivesKillDashNine) {
  const int writers = GetParam();
  fs::path dir = fs::temp_directory_path() /
                 ("ecomon_gw_crash_" + std::to_string(::getpid()) + "_" + std::to_string(writers));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string db = (dir / "gw.db").string();
  {
    auto s = SqliteStore::open(db);
    ASSERT_TRUE(s.ok());
    for (const DeviceRecord& d : sim_devices(0, 40, "123456")) ASSERT_TRUE((*s)->upsert_device(d).ok());
  }
  auto [pid, port] = start_gateway(db, writers);
  ASSERT_GT(pid, 0);
  ASSERT_GT(port, 0) << "the gateway did not report its port";
  SimOptions o;
  o.target = "127.0.0.1:" + std::to_string(port);
  o.devices = 40;
  o.interval_s = 0.005;
  o.duration_s = 2.5;
  o.connect_spread_s = 0.05;
  o.acked_log = (dir / "acked.csv").string();
  std::thread killer([pid = pid] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    kill(pid, SIGKILL);
  });
  auto stats = run_simulator(o, nullptr);
  killer.join();
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ASSERT_TRUE(stats.ok());
  ASSERT_GT(stats->answered, 100u) << "the load did not get going before the kill";
  EXPECT_GT(stats->sent, stats->answered) << "the kill should leave uploads unanswered";

  // Restart on the same store (WAL recovery; the shards it has), then check every answered upload.
  auto [pid2, port2] = start_gateway(db);
  ASSERT_GT(port2, 0);
  kill(pid2, SIGTERM);
  waitpid(pid2, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto s = SqliteStore::open(db);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->source_shards(), writers == 0 ? 1 : writers);
  std::ifstream acked(o.acked_log);
  std::string line;
  uint64_t checked = 0, missing = 0;
  while (std::getline(acked, line)) {
    // MN,CN,DataTime
    size_t a = line.find(','), b = line.rfind(',');
    std::string mn = line.substr(0, a);
    int64_t t = std::stoll(line.substr(b + 1));
    auto recs = (*s)->source_records(mn, 2011, t, t, 1);
    ASSERT_TRUE(recs.ok());
    ++checked;
    if (recs->empty()) ++missing;
  }
  EXPECT_EQ(checked, stats->answered);
  EXPECT_EQ(missing, 0u);
  std::cout << "kill -9 after " << stats->answered << " answered of " << stats->sent << " sent: " << checked
            << " answered uploads checked, " << missing << " missing, " << *(*s)->count_source_records()
            << " records stored\n";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Writers, GatewayCrash, ::testing::Values(0, 2));

}  // namespace
}  // namespace ecomon
