#include "demo/dust_demo.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "sources/demo_devices.h"

namespace ecomon::demo {
namespace {

struct CountyBox {
  const char* county;
  double lon0, lon1, lat0, lat1;  // a rectangle inside the county on the demo map
};
constexpr std::array<CountyBox, 6> kBoxes = {{
    {"城区", 112.845, 112.91, 35.468, 35.505},
    {"高新区", 112.802, 112.828, 35.472, 35.505},
    {"东阳县", 112.932, 112.948, 35.43, 35.58},
    {"西山县", 112.765, 112.785, 35.45, 35.58},
    {"南河县", 112.8, 112.91, 35.415, 35.452},
    {"北山县", 112.81, 112.91, 35.53, 35.588},
}};
struct Enterprise {
  const char* id;
  const char* county;
};
// The demo registry's enterprises (src/demo/demo_registry.cc) and their counties.
constexpr std::array<Enterprise, 12> kEnterprises = {{{"E01", "城区"},
                                                      {"E02", "东阳县"},
                                                      {"E03", "西山县"},
                                                      {"E04", "高新区"},
                                                      {"E05", "城区"},
                                                      {"E06", "南河县"},
                                                      {"E07", "东阳县"},
                                                      {"E08", "西山县"},
                                                      {"E09", "南河县"},
                                                      {"E10", "高新区"},
                                                      {"E11", "城区"},
                                                      {"E12", "南河县"}}};

const CountyBox& box_of(const char* county) {
  for (const CountyBox& b : kBoxes) {
    if (std::string(b.county) == county) return b;
  }
  return kBoxes[0];
}

// A fixed spread inside the box: the i-th point of a low-discrepancy pattern (no randomness: the same file
// every time).
std::string coord(double lo, double hi, int i, int step) {
  const double f = static_cast<double>((i * step) % 97) / 97.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", lo + (hi - lo) * f);
  return buf;
}

}  // namespace

std::string dust_points_csv(int count, int first_device) {
  std::string out = "id,name,type,owner,county,lon,lat,mn\n";
  for (int i = 0; i < count; ++i) {
    std::string id = std::to_string(i + 1);
    id = "T" + std::string(3 - std::min<size_t>(3, id.size()), '0') + id;
    const char* county = nullptr;
    std::string name, type, owner;
    if (i < static_cast<int>(kEnterprises.size())) {
      const Enterprise& e = kEnterprises[static_cast<size_t>(i)];
      county = e.county;
      type = "boundary";
      owner = e.id;
      name = std::string(e.id) + " 厂界";
    } else {
      const int k = i - static_cast<int>(kEnterprises.size());
      county = kBoxes[static_cast<size_t>(k) % kBoxes.size()].county;
      const bool road = k % 4 == 3;
      type = road ? "road" : "construction";
      owner = road ? std::string(county) + "交通运输局" : "演示建设项目" + std::to_string(k / 4 + 1) + "标段";
      name = std::string(county) + (road ? "道路" : "工地") + std::to_string(k + 1);
    }
    const CountyBox& b = box_of(county);
    out += id + "," + name + "," + type + "," + owner + "," + county + "," + coord(b.lon0, b.lon1, i, 37) +
           "," + coord(b.lat0, b.lat1, i, 59) + "," + sim_mn(first_device + i) + "\n";
  }
  return out;
}

}  // namespace ecomon::demo
