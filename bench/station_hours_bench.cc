// The monitoring network's two store costs (issue 19), each measured both ways in one process on SQLite
// files:
//
// 1. The station feed's write at the top of the hour: STATIONS stations x 6 pollutants send one hour each
//    (shuffled: uploads arrive in no order), in one write transaction per hour (what StationFeed does with a
//    burst). "blocks" is how the feed wrote before: a month block per station and pollutant, in key order,
//    read, merged and rewritten by merge_hourly (merge_as_blocks: the old StationFeed::Impl::merge's loop);
//    "hours" is SqliteStore::merge_hours (one row per value in air_hour, a station's rows folded into their
//    blocks at its hour of the day). Each way runs on its own copy of the same file: every station-pollutant
//    has a month block holding the month's first DAYS days (so each hour merges into an existing block, as in
//    a running network).
// 2. Registering stations (app::register_station's store calls: the MN check, upsert_station in a
//    transaction, upsert_device): "scan" reads every station and every device for each registration (as
//    before), "lookup" asks RecordStore::stations_by_code_or_mn and SourceDevices::device.
//
// Usage: station_hours_bench DIR [STATIONS] [HOURS] [DAYS] [REGISTER]   (default 5000 24 14 6001)
// Prints one line per hour and a summary: wall-clock and CPU times (read the wall times with the machine's
// load).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "store/sqlite_store.h"

using namespace ecomon;
namespace fs = std::filesystem;

namespace {

constexpr Pollutant kSix[] = {Pollutant::kSO2, Pollutant::kNO2,  Pollutant::kCO,
                              Pollutant::kO3,  Pollutant::kPM10, Pollutant::kPM25};

// CPU time of the process (this program is single-threaded): steadier than wall time on a loaded machine.
double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "error: %s: %s\n", what, s.message().c_str());
  std::exit(2);
}

std::unique_ptr<SqliteStore> open_or_die(const std::string& path) {
  auto s = SqliteStore::open(path);
  if (!s.ok()) {
    std::fprintf(stderr, "error: open %s: %s\n", path.c_str(), s.status().message().c_str());
    std::exit(2);
  }
  return std::move(*s);
}

// Milli value of station i, pollutant p at hour h: deterministic, positive.
Milli value_of(int64_t i, int p, int64_t h) {
  return static_cast<Milli>(1000 * (10 + (i * 7 + p * 3 + h) % 90));
}

// How StationFeed wrote before: a month block per station and pollutant (in key order, a std::map), merged.
Status merge_as_blocks(SqliteStore& store, std::span<const HourValue> values, MergeStats& stats) {
  std::map<std::tuple<int64_t, int, int32_t>, std::vector<Milli>> blocks;
  for (const HourValue& v : values) {
    const MonthKey m = MonthKey::of(v.hour.day());
    std::vector<Milli>& b = blocks[{v.station_id, index_of(v.pollutant), m.ordinal}];
    if (b.empty()) b.assign(static_cast<size_t>(m.hours()), kMissing);
    b[static_cast<size_t>(v.hour - m.first_hour())] = v.value;
  }
  std::vector<HourlyBlock> out;
  out.reserve(blocks.size());
  for (auto& [key, b] : blocks)
    out.push_back({std::get<0>(key), static_cast<Pollutant>(std::get<1>(key)), MonthKey{std::get<2>(key)},
                   std::move(b)});
  return store.merge_hourly(out, stats, nullptr);
}

// Bytes this process has written through write(2) so far (/proc/self/io wchar): the WAL frames a commit
// writes (the files' sizes do not show them once the WAL is reused after a checkpoint).
int64_t written_bytes() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (!f) return 0;
  char line[128];
  long long n = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "wchar: %lld", &n) == 1) break;
  std::fclose(f);
  return n;
}

int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  int64_t n = 0;
  for (const char* suffix : {"", "-wal"}) {
    auto sz = fs::file_size(path + suffix, ec);
    if (!ec) n += static_cast<int64_t>(sz);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: station_hours_bench DIR [STATIONS] [HOURS] [DAYS] [REGISTER]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int stations = argc > 2 ? std::atoi(argv[2]) : 5000;
  const int hours = argc > 3 ? std::atoi(argv[3]) : 24;
  const int days = argc > 4 ? std::atoi(argv[4]) : 14;
  const int registrations = argc > 5 ? std::atoi(argv[5]) : 6001;
  fs::create_directories(dir);
  const MonthKey month = MonthKey::of(2026, 3);  // 31 days: DAYS + HOURS / 24 must stay inside
  const Hour first = month.first_hour();

  // ---- 1. the feed's write
  const std::string base = dir + "/base.db";
  fs::remove(base);
  {
    auto store = open_or_die(base);
    check(store->begin_write(), "begin");
    std::vector<HourlyBlock> blocks;
    for (int i = 0; i < stations; ++i) {
      auto id =
          store->upsert_station({.code = "S" + std::to_string(i), .city = "基准市", .in_site_list = true});
      check(id.status(), "station");
      for (int p = 0; p < 6; ++p) {
        HourlyBlock b{*id, kSix[p], month, std::vector<Milli>(static_cast<size_t>(month.hours()), kMissing)};
        for (int64_t h = 0; h < int64_t{days} * 24; ++h)
          b.values[static_cast<size_t>(h)] = value_of(*id, p, h);
        blocks.push_back(std::move(b));
      }
    }
    MergeStats stats;
    check(store->merge_hourly(blocks, stats, nullptr), "history");
    check(store->commit(), "commit");
    check(store->exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
  }
  std::printf("history: %d stations x 6 pollutants, a block each with %d days of %04d-%02d (%.1f MB)\n",
              stations, days, month.year(), month.month(), static_cast<double>(file_bytes(base)) / 1e6);
  std::vector<double> each[2], each_cpu[2];
  for (int way = 0; way < 2; ++way) {
    const std::string path = dir + (way == 0 ? "/blocks.db" : "/hours.db");
    fs::remove(path);
    fs::remove(path + "-wal");
    fs::remove(path + "-shm");
    fs::copy_file(base, path);
    auto store = open_or_die(path);
    for (int k = 0; k < hours; ++k) {
      const Hour h = first + (int64_t{days} * 24 + k);
      std::vector<HourValue> burst;
      burst.reserve(static_cast<size_t>(stations) * 6);
      for (int i = 1; i <= stations; ++i)
        for (int p = 0; p < 6; ++p) burst.push_back({i, kSix[p], h, value_of(i, p, h - first)});
      // The stations' uploads arrive in no particular order.
      std::shuffle(burst.begin(), burst.end(), std::mt19937(static_cast<uint32_t>(19 + k)));
      const int64_t before = written_bytes();
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = cpu_ms();
      MergeStats stats;
      check(store->begin_write(), "begin");
      if (way == 0)
        check(merge_as_blocks(*store, burst, stats), "merge (blocks)");
      else
        check(store->merge_hours(burst, stats, nullptr), "merge (hours)");
      check(store->commit(), "commit");
      const double ms = ms_since(t0), cpu = cpu_ms() - c0;
      each[way].push_back(ms);
      each_cpu[way].push_back(cpu);
      std::printf(
          "%-6s hour %s: %lld values new, %lld blocks written, %8.1f ms (CPU %7.1f ms), written %.1f MB\n",
          way == 0 ? "blocks" : "hours", h.to_string().c_str(), static_cast<long long>(stats.values_new),
          static_cast<long long>(stats.blocks_written), ms, cpu,
          static_cast<double>(written_bytes() - before) / 1e6);
    }
    // What a reader sees is the same both ways: the last hour of every station's PM2.5.
    std::vector<Milli> out;
    int64_t sum = 0;
    for (int i = 1; i <= stations; ++i) {
      check(store->read_hourly(i, Pollutant::kPM25, first + (int64_t{days} * 24 + hours - 1), 1, out),
            "read");
      sum += out[0];
    }
    std::printf("%-6s check: sum of the last hour's PM2.5 over the stations %lld\n",
                way == 0 ? "blocks" : "hours", static_cast<long long>(sum));
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  for (int way = 0; way < 2; ++way) {
    std::printf(
        "feed write, %d values an hour, %s: wall median %.1f ms (max %.1f), CPU median %.1f ms (max %.1f)\n",
        stations * 6, way == 0 ? "blocks" : "hours", median(each[way]),
        *std::max_element(each[way].begin(), each[way].end()), median(each_cpu[way]),
        *std::max_element(each_cpu[way].begin(), each_cpu[way].end()));
  }

  // ---- 2. registration
  double reg_ms[2] = {0, 0}, reg_cpu[2] = {0, 0};
  for (int way = 0; way < 2; ++way) {
    const std::string path = dir + (way == 0 ? "/reg-scan.db" : "/reg-lookup.db");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    auto store = open_or_die(path);
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_ms();
    for (int i = 0; i < registrations; ++i) {
      const std::string code = "S" + std::to_string(i), mn = "A22" + std::to_string(100000000 + i);
      if (way == 0) {
        auto all = store->all_stations();
        check(all.status(), "stations");
        for (const StationInfo& s : *all)
          if (s.mn == mn && s.code != code) check(invalid_argument("MN taken"), "scan");
        auto devices = store->devices();
        check(devices.status(), "devices");
        for (const DeviceRecord& d : *devices)
          if (d.mn == mn && !d.enterprise.empty()) check(invalid_argument("a source's MN"), "scan");
      } else {
        auto found = store->stations_by_code_or_mn(code, mn);
        check(found.status(), "stations");
        for (const StationInfo& s : *found)
          if (s.mn == mn && s.code != code) check(invalid_argument("MN taken"), "lookup");
        auto d = store->device(mn);
        check(d.status(), "device");
        if (*d && !(*d)->enterprise.empty()) check(invalid_argument("a source's MN"), "lookup");
      }
      StationInfo s{.code = code, .city = "基准市", .in_site_list = true, .kind = "national", .mn = mn};
      check(store->begin_write(), "begin");
      check(store->upsert_station(s).status(), "upsert");
      check(store->commit(), "commit");
      check(store->upsert_device({.mn = mn, .password = "123456"}), "device");
    }
    reg_ms[way] = ms_since(t0);
    reg_cpu[way] = cpu_ms() - c0;
  }
  for (int way = 0; way < 2; ++way) {
    std::printf("registering %d stations, %s: %.1f s wall (%.2f ms each), CPU %.1f s\n", registrations,
                way == 0 ? "scan" : "lookup", reg_ms[way] / 1000, reg_ms[way] / registrations,
                reg_cpu[way] / 1000);
  }
  return 0;
}
