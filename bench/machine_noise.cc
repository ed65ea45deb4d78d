// How steady this machine's CPUs are: each thread repeats the same ~0.3 ms of arithmetic and records how long
// each repetition took (wall and the thread's CPU time). On a quiet dedicated core every repetition takes the
// same time; on a VM whose vCPU the host stops now and then, some take ten times longer and the guest counts
// the stop as the thread's own CPU time. Read the gateway's latency tails (docs/performance.md) against this.
// Usage: machine_noise [THREADS=2] [SECONDS=10]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

double now_us(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

struct Times {
  std::vector<double> wall, cpu;
};

void run(double seconds, Times& out) {
  volatile unsigned long x = 1;  // the same dependent multiply-add chain every time
  const double end = now_us(CLOCK_MONOTONIC) + seconds * 1e6;
  while (true) {
    const double w0 = now_us(CLOCK_MONOTONIC);
    if (w0 >= end) break;
    const double c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
    for (int i = 0; i < 200000; ++i) x = x * 6364136223846793005UL + 1442695040888963407UL;
    out.cpu.push_back(now_us(CLOCK_THREAD_CPUTIME_ID) - c0);
    out.wall.push_back(now_us(CLOCK_MONOTONIC) - w0);
  }
}

double at(const std::vector<double>& sorted, double q) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(q * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2;
  const double seconds = argc > 2 ? std::max(1.0, std::atof(argv[2])) : 10.0;
  std::vector<Times> times(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  for (auto& t : times) pool.emplace_back([&t, seconds] { run(seconds, t); });
  for (auto& p : pool) p.join();
  std::printf("machine_noise: %d thread(s), %.0f s, the same work repeated (us per repetition)\n", threads,
              seconds);
  for (size_t i = 0; i < times.size(); ++i) {
    auto wall = times[i].wall;
    auto cpu = times[i].cpu;
    if (wall.empty()) continue;
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    const double median = at(cpu, 0.5);
    const auto slow =
        std::count_if(times[i].cpu.begin(), times[i].cpu.end(), [&](double v) { return v > 3 * median; });
    std::printf(
        "thread %zu: %zu repetitions; wall p50 %.0f p99 %.0f p99.9 %.0f max %.0f; thread CPU p50 %.0f p99 "
        "%.0f "
        "p99.9 %.0f max %.0f; over 3x the median: %lld (%.2f %%)\n",
        i, wall.size(), at(wall, 0.5), at(wall, 0.99), at(wall, 0.999), wall.back(), median, at(cpu, 0.99),
        at(cpu, 0.999), cpu.back(), static_cast<long long>(slow),
        100.0 * static_cast<double>(slow) / static_cast<double>(cpu.size()));
  }
  return 0;
}
