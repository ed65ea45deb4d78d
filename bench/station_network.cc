// Registers the network of bench/station_latency.sh through the same service as `ecomon stations register`
// (app::register_station, as the operator): NATIONAL national stations (codes S00000.., 20 to a city,
// 基准市001..) and MICRO micro stations (M05000.., spread over the same cities) with the simulator's station
// MNs (sim_station_mn 0..NATIONAL+MICRO-1), and the probe station P0001 of 探针市 (MN
// A22FFFFFFFFFFFFFFFFFFFFF). One process instead of 6,001 `ecomon stations register` runs (~190 ms each on
// the loaded machine). Usage: station_network STORE_URL [NATIONAL] [MICRO]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "app/stations.h"
#include "gateway/simulator.h"
#include "store/open.h"

using namespace ecomon;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: station_network STORE_URL [NATIONAL] [MICRO]\n");
    return 2;
  }
  const int national = argc > 2 ? std::atoi(argv[2]) : 5000;
  const int micro = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int cities = std::max(1, national / 20);
  auto stores = open_stores(argv[1]);
  if (!stores.ok()) {
    std::fprintf(stderr, "error: %s\n", stores.status().message().c_str());
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const Actor who = Actor::operator_cli();
  for (int i = 0; i <= national + micro; ++i) {
    app::StationRegistration r;
    if (i == national + micro) {
      r = {.code = "P0001", .city = "探针市", .kind = "national", .mn = "A22FFFFFFFFFFFFFFFFFFFFF"};
    } else if (i < national) {
      r = {.code = fmt::format("S{:05d}", i),
           .city = fmt::format("基准市{:03d}", i / 20 + 1),
           .kind = "national",
           .mn = sim_station_mn(i)};
    } else {
      r = {.code = fmt::format("M{:05d}", i),
           .city = fmt::format("基准市{:03d}", (i - national) % cities + 1),
           .kind = "micro",
           .mn = sim_station_mn(i)};
    }
    auto id = app::register_station(**stores, who, r);
    if (!id.ok()) {
      std::fprintf(stderr, "error: station %s: %s\n", r.code.c_str(), id.status().message().c_str());
      return 2;
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("registered %d stations in %.1f s\n", national + micro + 1, s);
  return 0;
}
