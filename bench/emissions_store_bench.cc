// Issue 21: "emission totals of a county-year from minute data of 500 devices in < 2 s", before and after the
// stored day-loads (docs/emissions.md), in one run over a fresh SQLite store:
//   - a registry of 500 gas devices (one county, MinInterval 1: 525,600 minute uploads a device-year, SO2
//     and NOx as concentration × flow, NMHC with -Cou);
//   - a year (2025) of minute uploads of the first --uploaded devices (default 2), stored as the gateway
//     keeps them (CP text);
//   - BEFORE: `ecomon emissions --year 2025 --kind minute --from-uploads` (every stored upload decoded
//     again): its time over the uploaded devices, and that time × 500 / --uploaded (the county-year);
//   - the first read from day-loads (the uploaded devices' 365 days each computed and stored: what a rebuild
//     or the reads after ingest cost once);
//   - the other devices' day-loads: device 0's stored rows under their MNs (same registry entry, so the
//     same figures), written through the store's replace_day_loads;
//   - AFTER: `ecomon emissions --year 2025 --kind minute` over all 500 devices' 182,500 device-days from
//     the stored day-loads (min and median of 5), and a check that device 0's outlet gets the same load both
//     ways.
// Run: build/release/bench/emissions_store_bench [--uploaded N] [--devices N] [--store URL]
// --store: an empty store to fill (a cluster URL with a PostgreSQL database and a clickhouse_db of their own:
// docs/performance.md); default a fresh SQLite file under /tmp. On the cluster the uploads are shipped from
// the spool to ClickHouse before the reads (as a running gateway does), and the CPU figures are this
// process's only (PostgreSQL's and ClickHouse's are not in them): read the wall times there.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/emissions.h"
#include "ingest/source_registry_csv.h"
#include "sources/stored_upload.h"
#include "store/api/source_day_loads.h"
#include "store/open.h"

namespace fs = std::filesystem;
using namespace ecomon;

namespace {

void check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.message().c_str());
    std::exit(1);
  }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The process's CPU seconds (user + system): the figure to read on a loaded machine, beside the wall time.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string mn_of(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "E0B%021d", i);
  return buf;
}

void write_registry(const fs::path& dir, int devices) {
  fs::create_directories(dir);
  std::ofstream e(dir / "enterprises.csv"), o(dir / "outlets.csv"), d(dir / "devices.csv"),
      p(dir / "device_pollutants.csv");
  e << "id,name,county,industry\n";
  o << "id,enterprise,kind,name\n";
  d << "mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active\n";
  p << "mn,pollutant,unit,rated\n";
  for (int i = 0; i < devices; ++i) {
    const std::string id = "E" + std::to_string(i), mn = mn_of(i);
    e << id << ",企业" << i << ",城区,火电\n";
    o << id << "-G1," << id << ",gas,1#排放口\n";
    d << mn << ",123456,2017," << id << "-G1,30,1,Y,Y,2024-01-01 00:00:00,Y\n";
    p << mn << ",a21026,mg/m3,Y\n"
      << mn << ",a21002,mg/m3,Y\n"
      << mn << ",a24088,mg/m3,Y\n"
      << mn << ",a00000,m3/s,N\n";
  }
}

// One device's minute uploads of one day (1,440).
std::vector<SourceRecord> day_of_minutes(const std::string& mn, CivilDay day) {
  std::vector<SourceRecord> out;
  out.reserve(1440);
  const int64_t d = day.year() * 10000LL + day.month() * 100 + day.day();
  for (int m = 0; m < 1440; ++m) {
    const int64_t t = d * 1000000 + (m / 60) * 10000 + (m % 60) * 100;
    const std::string so2 = std::to_string(18 + m % 5) + ".0", nox = std::to_string(45 + m % 7) + ".5";
    out.push_back({.mn = mn,
                   .cn = 2051,
                   .data_time = t,
                   .cp = "DataTime=" + std::to_string(t) +
                         ";a00000-Avg=10.0,a00000-Flag=N;a21026-Avg=" + so2 +
                         ",a21026-Flag=N;a21002-Avg=" + nox + ",a21002-Flag=N;a24088-Avg=5.0,a24088-Cou=0.0" +
                         std::to_string(1 + m % 3) + ",a24088-Flag=N"});
  }
  return out;
}

std::string outlet_so2(const sources::EmissionReport& r, const std::string& outlet) {
  nlohmann::json j = sources::emissions_json(r);
  for (const nlohmann::json& o : j["outlets"]) {
    if (o["key"] != outlet) continue;
    for (const nlohmann::json& p : o["pollutants"])
      if (p["pollutant"] == "a21026") return p["load_kg"].get<std::string>();
  }
  return "none";
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes
  int uploaded = 2, devices = 500;
  std::string url;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--uploaded") uploaded = std::atoi(argv[i + 1]);
    if (a == "--devices") devices = std::atoi(argv[i + 1]);
    if (a == "--store") url = argv[i + 1];
  }
  if (uploaded < 1 || devices < uploaded) {
    std::fprintf(stderr, "usage: emissions_store_bench [--uploaded N>=1] [--devices M>=N] [--store URL]\n");
    return 2;
  }
  const fs::path dir = fs::temp_directory_path() / ("emissions_store_bench." + std::to_string(getpid()));
  fs::create_directories(dir);
  write_registry(dir / "registry", devices);
  if (url.empty()) url = (dir / "e.db").string();
  auto opened = open_stores(url);
  check(opened.status(), "open");
  Stores& stores = **opened;
  check(import_registry_dir(stores.source_registry(), (dir / "registry").string()).status(), "registry");

  const DayRange year = DayRange::year(2025);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < uploaded; ++i) {
    for (CivilDay d = year.first; d <= year.last; d = d + 1)
      check(stores.sources().insert_source_records(day_of_minutes(mn_of(i), d)).status(), "insert");
  }
  std::printf("stored %d device-years of minute uploads (%d uploads) in %.1f s\n", uploaded,
              uploaded * 525600, seconds_since(t0));
  t0 = std::chrono::steady_clock::now();
  auto shipped = ship_store_uploads(url);  // the cluster's spool to ClickHouse; 0 on SQLite
  check(shipped.status(), "ship");
  if (*shipped > 0)
    std::printf("shipped %lld uploads to ClickHouse in %.1f s\n", static_cast<long long>(*shipped),
                seconds_since(t0));

  auto req = app::emissions_request({"2025", "", "", "", "", "", "minute"});
  check(req.status(), "request");
  const Actor who = Actor::operator_cli();
  req->from_uploads = true;
  t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  auto before = app::emission_totals(stores, who, *req);
  const double before_s = seconds_since(t0), before_cpu = cpu_seconds() - c0;
  check(before.status(), "before");
  std::printf(
      "BEFORE (from the uploads): %.2f s wall, %.2f s CPU for %d device-years -> %.1f s wall, %.1f s CPU "
      "for %d device-years\n",
      before_s, before_cpu, uploaded, before_s * devices / uploaded, before_cpu * devices / uploaded,
      devices);

  req->from_uploads = false;
  t0 = std::chrono::steady_clock::now();
  c0 = cpu_seconds();
  auto first = app::emission_totals(stores, who, *req);
  check(first.status(), "first read");
  std::printf("first read from day-loads (computes and stores %d x 365 days): %.2f s wall, %.2f s CPU\n",
              uploaded, seconds_since(t0), cpu_seconds() - c0);

  SourceDayLoadStore* store = day_loads_of(stores.sources());
  if (!store) check(failed_precondition("no day-loads"), "day-loads");
  auto rows0 = store->day_loads(mn_of(0), 2051, 20250101, 20251231);
  check(rows0.status(), "rows");
  t0 = std::chrono::steady_clock::now();
  std::vector<SourceDay> days;
  std::vector<StoredDayLoad> rows;
  for (int i = uploaded; i < devices; ++i) {
    for (const StoredDayLoad& r : *rows0) {
      if (r.pollutant.empty()) days.push_back({mn_of(i), 2051, r.day, 0});
      StoredDayLoad c = r;
      c.mn = mn_of(i);
      rows.push_back(std::move(c));
    }
  }
  check(store->replace_day_loads(days, rows), "write day-loads");
  std::printf("wrote %zu day-load rows of %d more devices in %.1f s\n", rows.size(), devices - uploaded,
              seconds_since(t0));

  std::vector<double> times, cpu;
  StatusOr<sources::EmissionReport> after = first;
  for (int k = 0; k < 5; ++k) {
    t0 = std::chrono::steady_clock::now();
    c0 = cpu_seconds();
    after = app::emission_totals(stores, who, *req);
    times.push_back(seconds_since(t0));
    cpu.push_back(cpu_seconds() - c0);
    check(after.status(), "after");
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "AFTER (from day-loads): %d device-years (%d device-days): wall %.3f s min, %.3f s median; CPU "
      "%.3f s min, %.3f s median (5 runs)\n",
      devices, devices * 365, times.front(), times[2], cpu.front(), cpu[2]);
  const std::string b = outlet_so2(*before, "E0-G1"), a = outlet_so2(*after, "E0-G1");
  std::printf("device 0's outlet SO2 of the year: %s kg before, %s kg after (%s)\n", b.c_str(), a.c_str(),
              a == b ? "equal" : "DIFFERENT");
  fs::remove_all(dir);
  return a == b ? 0 : 1;
}
