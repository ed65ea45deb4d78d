#include "demo/soil_demo.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "demo/demo_io.h"
#include "demo/demo_random.h"

namespace ecomon::demo {
namespace {

using internal::fixed;
using internal::Rng;
using internal::Stream;

// Substream 5 of kQuality: quality_demo.cc takes 0..4.
constexpr uint64_t kSoilSubstream = 5;

constexpr std::string_view kCounties[] = {"城区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县"};
constexpr int kFarmPointsPerCounty = 10;

// Land uses of the farmland points and their cumulative shares (dry uplands dominate; few paddies).
struct UseShare {
  std::string_view use;
  double cumulative;
};
constexpr UseShare kUses[] = {{"旱地", 0.55}, {"水浇地", 0.80}, {"果园", 0.95}, {"水田", 1.0}};

// The eight GB 15618 metals: typical level (median, mg/kg), log-normal spread, decimals printed.
struct Metal {
  std::string_view key;
  double median, spread;
  int decimals;
};
constexpr Metal kMetals[] = {
    {"Cd", 0.16, 0.30, 3}, {"Hg", 0.05, 0.40, 3}, {"As", 10.5, 0.25, 1}, {"Pb", 22.0, 0.25, 1},
    {"Cr", 62.0, 0.20, 1}, {"Cu", 24.0, 0.25, 1}, {"Ni", 29.0, 0.20, 1}, {"Zn", 70.0, 0.25, 1},
};
constexpr double kPhMean = 7.9, kPhSpread = 0.35, kPhMin = 6.0, kPhMax = 8.7;

// Deliberate farmland cases: (county index, point number) → a metal set to a value.
struct Hotspot {
  int county, point;
  std::string_view key, value;
};
constexpr Hotspot kHotspots[] = {
    {3, 2, "Cd", "0.82"},  // 阳城县: old mine, Cd > 0.6 (pH>7.5 其他) → 安全利用类
    {3, 5, "Cd", "0.71"},
    {5, 7, "Cd", "0.68"},  // 沁水县
    {3, 8, "As", "112"},   // As > control 100 at pH>7.5 → 严格管控类
};
// Hotspot points are dry land on calcareous soil: 其他 column, pH>7.5 (Cd screening 0.6, As control 100).
constexpr std::string_view kHotspotUse = "旱地", kHotspotPh = "8.10";
// The county whose lab reports Hg in µg/kg.
constexpr int kHgMicrogramCounty = 2;
// Points with the Table 2 organics measured (every fourth), 未检出 below 0.01.
constexpr int kOrganicsEvery = 4;

// Development-land points on former industrial plots: plot, county, class, then item=value pairs (mg/kg).
struct DevPoint {
  std::string_view id, county, use;
  std::string_view values[4][2];
};
constexpr DevPoint kDevPoints[] = {
    {"DK-01-S1",
     "城区",
     "第一类用地",
     {{"砷", "12.4"}, {"铅", "86"}, {"苯", "0.05L"}, {"苯并[a]芘", "0.12"}}},
    {"DK-01-S2",
     "城区",
     "第一类用地",
     {{"砷", "15.1"}, {"铅", "140"}, {"苯", "0.05L"}, {"苯并[a]芘", "0.21"}}},
    {"DK-02-S1", "城区", "第二类用地", {{"砷", "18.0"}, {"铅", "420"}, {"镉", "2.1"}, {"镍", "65"}}},
    {"DK-03-S1",
     "泽州县",
     "第二类用地",
     {{"铬（六价）", "7.2"}, {"铅", "510"}, {"镍", "130"}, {"铜", "860"}}},
    {"DK-03-S2",
     "泽州县",
     "第二类用地",
     {{"铬（六价）", "96"}, {"铅", "620"}, {"镍", "210"}, {"铜", "1210"}}},
    {"DK-04-S1", "高平市", "用途不明确", {{"砷", "24"}, {"汞", "0.35"}, {"苯并[a]芘", "0.9"}, {"萘", "3.2"}}},
    {"DK-05-S1", "阳城县", "第二类用地", {{"砷", "21"}, {"苯", "0.8"}, {"甲苯", "12"}, {"乙苯", "4.1"}}},
};

constexpr std::string_view kPlots =
    "plot,name,county,planned_use,area_m2,status,redeveloped\n"
    "DK-01,原演示焦化厂,城区,第一类用地,42000,安全利用,是\n"
    "DK-02,原演示化肥厂,城区,第二类用地,18500,已修复,是\n"
    "DK-03,原演示电镀厂,泽州县,第二类用地,9600,风险管控中,是\n"
    "DK-04,原演示农药厂,高平市,第一类用地,12800,污染地块,否\n"
    "DK-05,原演示化工厂,阳城县,第二类用地,26000,已修复,否\n"
    "DK-06,原演示铸造厂,陵川县,第二类用地,7400,安全利用,是\n"
    "DK-07,原演示洗煤厂,沁水县,第二类用地,15200,疑似污染地块,否\n"
    "DK-08,原演示焦化二厂,城区,第一类用地,31000,安全利用,是\n";

}  // namespace

StatusOr<SoilDemoInfo> write_soil_demo(uint64_t seed, const std::filesystem::path& dir) {
  ECOMON_RETURN_IF_ERROR(internal::make_directory(dir));
  Rng rng(seed, Stream::kQuality, kSoilSubstream);
  SoilDemoInfo info;
  info.dir = dir;
  std::string samples = "point,county,land_use,ph,item,value,unit\n";
  for (int c = 0; c < static_cast<int>(std::size(kCounties)); ++c) {
    for (int p = 1; p <= kFarmPointsPerCounty; ++p) {
      std::string id = "TR-" + std::to_string(c + 1) + (p < 10 ? "0" : "") + std::to_string(p);
      double u = rng.uniform();
      std::string_view use = kUses[0].use;
      for (const UseShare& s : kUses) {
        if (u < s.cumulative) {
          use = s.use;
          break;
        }
      }
      std::string ph = fixed(std::clamp(kPhMean + kPhSpread * rng.normal(), kPhMin, kPhMax), 2);
      for (const Hotspot& h : kHotspots) {
        if (h.county == c && h.point == p) {
          use = kHotspotUse;
          ph = kHotspotPh;
        }
      }
      std::string head = id + "," + std::string(kCounties[c]) + "," + std::string(use) + "," + ph + ",";
      for (const Metal& m : kMetals) {
        std::string value = fixed(m.median * internal::det_exp(m.spread * rng.normal()), m.decimals);
        std::string unit = "mg/kg";
        for (const Hotspot& h : kHotspots) {
          if (h.county == c && h.point == p && h.key == m.key) value = h.value;
        }
        if (m.key == "Hg" && c == kHgMicrogramCounty) {
          value = fixed(m.median * internal::det_exp(m.spread * rng.normal()) * 1000.0, 0);
          unit = "µg/kg";
        }
        samples += head + std::string(m.key) + "," + value + "," + unit + "\n";
        ++info.sample_rows;
      }
      if (p % kOrganicsEvery == 0) {
        samples += head + "六六六总量,0.01L,mg/kg\n" + head + "滴滴涕总量," +
                   fixed(rng.uniform(0.01, 0.06), 3) + ",mg/kg\n" + head + "苯并[a]芘," +
                   fixed(rng.uniform(0.02, 0.3), 2) + ",mg/kg\n";
        info.sample_rows += 3;
      }
      ++info.farm_points;
    }
  }
  for (const DevPoint& d : kDevPoints) {
    for (const auto& v : d.values) {
      samples += std::string(d.id) + "," + std::string(d.county) + "," + std::string(d.use) + ",," +
                 std::string(v[0]) + "," + std::string(v[1]) + ",mg/kg\n";
      ++info.sample_rows;
    }
    ++info.dev_points;
  }
  ECOMON_RETURN_IF_ERROR(internal::write_file(dir / "soil_samples.csv", samples));
  ECOMON_RETURN_IF_ERROR(internal::write_file(dir / "soil_plots.csv", kPlots));
  info.plots = static_cast<int>(std::count(kPlots.begin(), kPlots.end(), '\n')) - 1;

  // Farmland parcels (图斑): most 优先保护类; 安全利用类 with measures, produce mostly passing; 严格管控类
  // with measures but one.
  std::string parcels = "parcel,county,area_mu,category,light,measures,produce\n";
  constexpr int kParcelsPerCounty = 6;
  for (int c = 0; c < static_cast<int>(std::size(kCounties)); ++c) {
    for (int p = 1; p <= kParcelsPerCounty; ++p) {
      std::string id = "TB-" + std::to_string(c + 1) + "0" + std::to_string(p);
      std::string area = fixed(rng.uniform(80.0, 600.0), 1);
      std::string_view category = p <= 3 ? "优先保护类" : p <= 5 ? "安全利用类" : "严格管控类";
      bool measures = !(p == 6 && c == 4);
      std::string produce = p == 4 || p == 5 ? (rng.bernoulli(0.9) ? "达标" : "超标") : "";
      parcels += id + "," + std::string(kCounties[c]) + "," + area + "," + std::string(category) + ",否," +
                 (measures ? "是" : "否") + "," + produce + "\n";
      ++info.parcels;
    }
  }
  ECOMON_RETURN_IF_ERROR(internal::write_file(dir / "soil_parcels.csv", parcels));
  return info;
}

}  // namespace ecomon::demo
