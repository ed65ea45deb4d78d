// The national scale workload (issue: import the whole 2019 archive in < 10 s, assess every city in < 1 s,
// peak memory < 1 GiB on 2 cores). Unpacks the archive to a temp directory (not timed), then reports:
//   import     MB/s, rows/s, values/s, seconds, peak RSS
//   cities     annual assessment of every city: seconds, hourly values/s
//   stations   annual assessment of every station as its own unit: seconds, hourly values/s
// Usage: national_bench [ARCHIVE.tar.zst] [--keep DIR]   (default:
// ../shared/data/cnemc-2019/china_sites_2019.tar.zst)
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "air/assessment.h"
#include "air/city_data.h"
#include "ingest/cnemc.h"
#include "store/sqlite_store.h"

namespace fs = std::filesystem;
using namespace ecomon;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// Runs f(item, worker) for items 0..n-1 on `workers` threads.
template <typename F>
void parallel_for(size_t n, size_t workers, F f) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      for (size_t k; (k = next++) < n;) f(k, w);
    });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

int main(int argc, char** argv) {
  fs::path archive = fs::path(ECOMON_SOURCE_DIR) / "../shared/data/cnemc-2019/china_sites_2019.tar.zst";
  if (argc > 1) archive = argv[1];
  if (!fs::exists(archive)) {
    std::cout << "national_bench: skipped, " << archive << " not found\n";
    return 0;
  }
  fs::path work = fs::temp_directory_path() / ("ecomon_national_" + std::to_string(::getpid()));
  fs::create_directories(work / "archive");
  std::string cmd =
      "zstd -dc --long=27 '" + archive.string() + "' | tar -x -C '" + (work / "archive").string() + "'";
  double t0 = now();
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "cannot unpack " << archive << " (needs zstd and tar)\n";
    return 1;
  }
  std::printf("unpacked %s in %.1f s (not part of the figures)\n", archive.filename().c_str(), now() - t0);
  fs::path sites = archive.parent_path() / "sites-2022.csv";
  fs::path db = work / "national.db";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  auto store = SqliteStore::open(db.string());
  if (!store.ok()) return 1;
  ImportOptions opt;
  opt.stations_file = sites;
  t0 = now();
  auto report = import_cnemc(**store, **store, work / "archive", opt);
  double import_s = now() - t0;
  if (!report.ok()) {
    std::cerr << report.status().message() << "\n";
    return 1;
  }
  std::printf(
      "import:   %lld files, %.1f MB, %lld rows, %lld values in %.2f s: %.1f MB/s, %.0f rows/s, %.2f M "
      "values/s;"
      " peak RSS %ld MB; store %.0f MB\n",
      static_cast<long long>(report->files), report->bytes / 1e6, static_cast<long long>(report->rows),
      static_cast<long long>(report->values), import_s, report->bytes / 1e6 / import_s,
      report->rows / import_s, report->values / 1e6 / import_s, peak_rss_mb(),
      static_cast<double>(fs::file_size(db)) / 1e6);

  // Every city, annual 2019, on all cores with a store connection per worker.
  DayRange year = DayRange::year(2019);
  auto cities = *(*store)->cities();
  std::vector<std::unique_ptr<SqliteStore>> conns;
  for (int i = 0; i < threads; ++i) conns.push_back(SqliteStore::open(db.string()).value());
  std::atomic<int64_t> hourly_values{0};
  std::atomic<int> ok_cities{0};
  RuleChoice choice;
  t0 = now();
  parallel_for(cities.size(), conns.size(), [&](size_t i, size_t w) {
    SqliteStore& mine = *conns[w];
    auto a = assess_city(mine, mine, cities[i], year, choice);
    if (!a.ok()) return;
    ++ok_cities;
    hourly_values += static_cast<int64_t>(a->stations.size()) * (year.size() + 1) * 24 * kPollutantCount;
  });
  double cities_s = now() - t0;
  std::printf(
      "cities:   %d of %zu cities assessed (annual 2019) in %.3f s: %.1f M hourly values/s; peak RSS %ld "
      "MB\n",
      ok_cities.load(), cities.size(), cities_s, hourly_values / 1e6 / cities_s, peak_rss_mb());

  // Every station on its own (a station-level annual assessment).
  auto stations = *(*store)->all_stations();
  std::atomic<int> ok_stations{0};
  t0 = now();
  parallel_for(stations.size(), conns.size(), [&](size_t i, size_t w) {
    SqliteStore* own = conns[w].get();
    const StationInfo& s = stations[i];
    CityData d;
    d.city = s.code;
    StationHours h;
    h.first = Hour::first_of(year.first) - 24;
    for (Pollutant p : kAllPollutants) {
      if (!own->read_hourly(s.id, p, h.first, int64_t{year.size() + 1} * 24, h.values[index_of(p)]).ok())
        return;
    }
    d.hours.push_back(std::move(h));
    d.stations.push_back(s);
    PeriodAssessment a = assess_period(s.code, year, city_day_reports(d, year, choice), choice);
    if (a.days.valid > 0) ++ok_stations;
  });
  double stations_s = now() - t0;
  double station_values = static_cast<double>(stations.size()) * (year.size() + 1) * 24 * kPollutantCount;
  std::printf(
      "stations: %d of %zu stations assessed (annual 2019) in %.3f s: %.1f M hourly values/s; peak RSS %ld "
      "MB\n",
      ok_stations.load(), stations.size(), stations_s, station_values / 1e6 / stations_s, peak_rss_mb());
  fs::remove_all(work);
  return 0;
}
