// Real data: the 369 rows of the national surface-water automatic monitoring publication
// (../shared/data/surface-water, captured 2026-02-06..08; see ../shared/data/PROVENANCE.md), each classified
// from its own parameters and compared with the class the national system showed.
//
// How a row is judged (GB 3838-2002 single factor, 2011 method):
// - the items the automatic station measures that GB 3838 Table 1 classes: pH, 溶解氧, 高锰酸盐指数, 氨氮,
// 总磷,
//   总氮 (水温 has no class; 电导率, 浊度, 叶绿素a, 藻密度 are not GB 3838 items); missing cells ("--") are
//   skipped;
// - raw values (原始值), not the rounded display; a cell whose note says 当天质控不合格 is skipped;
// - 总氮 is not in the class, for rivers nor for lakes/reservoirs (measured: counting lake TN gives 343/365);
// - river or lake/reservoir for 总磷: a section is a lake/reservoir point when its name says so (水库 but not
// a
//   reservoir 出口 — outlet sections are judged as rivers: 后湾水库出口 shows Ⅰ with TP 0.0103, which is Ⅰ
//   for a river and Ⅱ for a lake —, 湖心, 湖区), or when it is one of the lake points whose names do not say
//   it: 采蒲台 (白洋淀) and 黄麓, 龟山, 忠庙, 靠近大坝 (巢湖 lake body). A registry holds this in production
//   (section water body).
//
// Result: 365 of the 365 rows with a published class agree (100%); 4 rows show "--" (no class published).
// With the name rule alone (no registry of lake points) 359 agree: the 6 rows of those 5 lake points disagree
// (采蒲台 twice: river TP Ⅰ vs published Ⅱ, TP 0.014 > lake Ⅰ 0.01; 黄麓 and 龟山 Ⅱ vs Ⅲ; 忠庙 Ⅱ vs Ⅳ;
// 靠近大坝 Ⅰ vs Ⅱ — each explained by the lake TP limits).
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "standards/water/exact.h"
#include "standards/water/gb3838.h"
#include "testing/csv_cases.h"

namespace ecomon::water {
namespace {

constexpr std::string_view kFile =
    "data/surface-water/cn_surface_water_auto_monitoring_snapshots_2025-2026.csv";
constexpr std::string_view kQcFailed = "当天质控不合格";

struct Column {
  std::string_view prefix;  // the CSV's column stem; <stem>_raw and <stem>_note follow it
  Item item;
};
constexpr Column kColumns[] = {
    {"水温_C", Item::kWaterTemperature},
    {"pH", Item::kPH},
    {"溶解氧_mgL", Item::kDO},
    {"高锰酸盐指数_mgL", Item::kCODMn},
    {"氨氮_mgL", Item::kNH3N},
    {"总磷_mgL", Item::kTP},
    {"总氮_mgL", Item::kTN},
};

bool name_says_lake(const std::string& name) {
  if (name.find("水库") != std::string::npos) return name.find("出口") == std::string::npos;
  return name.find("湖心") != std::string::npos || name.find("湖区") != std::string::npos;
}

bool registered_lake_point(const std::string& name) {
  static const std::set<std::string> kLakePoints = {"采蒲台", "黄麓", "龟山", "忠庙", "靠近大坝"};
  return kLakePoints.count(name) > 0;
}

struct Tally {
  int rows = 0, published = 0, agree = 0, qc_skipped = 0;
  std::vector<std::string> disagreements;
};

Tally classify_file(const std::filesystem::path& path, bool use_registry) {
  Tally t;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = testing::split_csv_line(line);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  Gb3838Params p;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells = testing::split_csv_line(line);
    if (cells.size() != header.size()) {
      ADD_FAILURE() << "row of " << cells.size() << " cells";
      continue;
    }
    ++t.rows;
    auto published = parse_class(cells[col.at("water_quality_class")]);
    if (!published.ok()) continue;  // "--": nothing published
    ++t.published;
    const std::string& name = cells[col.at("section_name")];
    WaterBody body = name_says_lake(name) || (use_registry && registered_lake_point(name))
                         ? WaterBody::kLakeReservoir
                         : WaterBody::kRiver;
    std::vector<Measurement> m;
    for (const Column& c : kColumns) {
      std::string stem(c.prefix);
      if (cells[col.at(stem + "_note")] == kQcFailed) {
        ++t.qc_skipped;
        continue;
      }
      if (auto v = exact::parse(cells[col.at(stem + "_raw")])) m.push_back({c.item, *v});
    }
    SectionResult r = classify_section(m, body, p);
    if (r.cls == *published) {
      ++t.agree;
    } else {
      t.disagreements.push_back(name + " " + cells[col.at("monitor_time_MMDD_HHMM")] + ": published " +
                                std::string(class_name(*published)) + ", computed " +
                                (r.cls ? std::string(class_name(*r.cls)) : "none"));
    }
  }
  return t;
}

TEST(RealSurfaceWater, AgreesWithThePublishedClass) {
  std::string why;
  auto dir = testing::shared_dir(&why);
  if (!dir) GTEST_SKIP() << "shared data absent: " << why;
  if (!std::filesystem::exists(*dir / kFile))
    GTEST_SKIP() << "shared data absent: " << (*dir / kFile).string();
  Tally t = classify_file(*dir / kFile, true);
  std::cout << "surface water real data: " << t.agree << " of " << t.published
            << " rows with a published class agree (" << t.rows - t.published << " rows publish no class; "
            << t.qc_skipped << " QC-failed cells skipped)\n";
  for (const auto& d : t.disagreements) std::cout << "  disagrees: " << d << "\n";
  EXPECT_EQ(t.rows, 369);
  EXPECT_EQ(t.published, 365);
  EXPECT_EQ(t.qc_skipped, 59);
  EXPECT_EQ(t.agree, 365);

  Tally names_only = classify_file(*dir / kFile, false);
  std::cout << "with the name rule alone: " << names_only.agree << " of " << names_only.published << "\n";
  for (const auto& d : names_only.disagreements) std::cout << "  disagrees: " << d << "\n";
  EXPECT_EQ(names_only.agree, 359);
}

}  // namespace
}  // namespace ecomon::water
