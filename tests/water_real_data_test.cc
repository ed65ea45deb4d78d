// Real data: the 369 rows of the national surface-water automatic monitoring publication
// (../shared/data/surface-water, captured 2026-02-06..08; see ../shared/data/PROVENANCE.md), each classified
// from its own parameters and compared with the class the national system showed.
//
// How a row is judged (GB 3838-2002 single factor, 2011 method):
// - the items the automatic station measures that GB 3838 Table 1 classes: pH, 溶解氧, 高锰酸盐指数, 氨氮,
//   总磷, 总氮 (水温 has no class; 电导率, 浊度, 叶绿素a, 藻密度 are not GB 3838 items); missing cells ("--")
//   are skipped;
// - raw values (原始值), not the rounded display; a cell whose note says 当天质控不合格 is skipped;
// - 总氮 is not in the class, for rivers nor for lakes/reservoirs (measured: counting lake TN gives 343/365);
// - river or lake/reservoir for 总磷 comes from the section registry, as in production: the test builds the
//   registry (water_sections.csv, one row per section name) with `body` = lake when the name says so (水库
//   but not a reservoir 出口 — outlet sections are judged as rivers: 后湾水库出口 shows Ⅰ with TP 0.0103,
//   which is Ⅰ for a river and Ⅱ for a lake —, 湖心, 湖区) or when tests/cases/lake_points.csv lists it (the
//   lake points whose names do not say it, each with its reason: 采蒲台 in 白洋淀; 黄麓, 龟山, 忠庙, 靠近大坝
//   in 巢湖), else river. The registry text goes through the template check production imports it with
//   (ingest/quality_csv.h check_template_text: it validates and normalises `body`), each row's body is read
//   back with water::parse_body as app/quality.cc does, and the row is judged by water::assess_section (one
//   sample: the period values are the row's values).
//
// Result: 365 of the 365 rows with a published class agree (100%); 4 rows show "--" (no class published).
// With the name rule alone (the registry without lake_points.csv) 359 agree: the 6 rows of those 5 lake
// points disagree (采蒲台 twice: river TP Ⅰ vs published Ⅱ, TP 0.014 > lake Ⅰ 0.01; 黄麓 and 龟山 Ⅱ vs Ⅲ;
// 忠庙 Ⅱ vs Ⅳ; 靠近大坝 Ⅰ vs Ⅱ — each explained by the lake TP limits).
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "ingest/quality_csv.h"
#include "standards/water/exact.h"
#include "standards/water/gb3838.h"
#include "testing/csv_cases.h"
#include "water/assessment.h"

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

// The publication's rows: the header's columns by name, then the cells of each row.
struct Publication {
  std::map<std::string, size_t> col;
  std::vector<std::vector<std::string>> rows;
  const std::string& cell(const std::vector<std::string>& row, const std::string& name) const {
    return row[col.at(name)];
  }
};

Publication read_publication(const std::filesystem::path& path) {
  Publication pub;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = testing::split_csv_line(line);
  for (size_t i = 0; i < header.size(); ++i) pub.col[header[i]] = i;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells = testing::split_csv_line(line);
    if (cells.size() != header.size()) {
      ADD_FAILURE() << "row of " << cells.size() << " cells";
      continue;
    }
    pub.rows.push_back(std::move(cells));
  }
  return pub;
}

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The section registry production would hold for the publication's sections: water_sections.csv text (body
// "lake" by the name rule or a row of tests/cases/lake_points.csv, else "river"; the template requires a
// target, Ⅲ here — the class judged does not depend on it), checked by the importer's template check; the
// stored body of each section by name.
std::map<std::string, water::WaterBody> section_registry(const Publication& pub, bool with_lake_points) {
  std::map<std::string, std::string> lake_points;  // section -> body as the file gives it
  if (with_lake_points) {
    for (const testing::CaseRow& row : testing::read_cases("lake_points.csv")) {
      EXPECT_FALSE(row.get("reason").empty()) << row.where();
      lake_points[row.get("section")] = row.get("body");
    }
  }
  std::set<std::string> names;
  for (const auto& row : pub.rows) names.insert(pub.cell(row, "section_name"));
  std::string text = std::string(template_header(QualityTemplate::kWaterSections)) + "\n";
  for (const std::string& name : names) {
    std::string body = name_says_lake(name) ? "lake" : "river";
    if (auto it = lake_points.find(name); it != lake_points.end()) body = it->second;
    text += csv_cell(name) + ",,," + body + ",Ⅲ,\n";
  }
  ImportReport report;
  auto rows = check_template_text(QualityTemplate::kWaterSections, text, "water_sections.csv", {}, report);
  EXPECT_FALSE(report.has_rejections());
  EXPECT_EQ(rows.size(), names.size());
  std::map<std::string, water::WaterBody> out;
  for (const auto& r : rows) {
    // app/quality.cc water sections: the stored body, a river when it does not parse.
    auto body = water::parse_body(r[3]);
    out[r[0]] = body.ok() ? *body : water::WaterBody::kRiver;
  }
  return out;
}

struct Tally {
  int rows = 0, published = 0, agree = 0, qc_skipped = 0, lake_sections = 0;
  std::vector<std::string> disagreements;
};

Tally classify(const Publication& pub, const std::map<std::string, water::WaterBody>& registry) {
  Tally t;
  for (const auto& [name, body] : registry) t.lake_sections += body == WaterBody::kLakeReservoir;
  for (const auto& cells : pub.rows) {
    ++t.rows;
    auto published = parse_class(pub.cell(cells, "water_quality_class"));
    if (!published.ok()) continue;  // "--": nothing published
    ++t.published;
    const std::string& name = pub.cell(cells, "section_name");
    std::vector<Measurement> m;
    for (const Column& c : kColumns) {
      std::string stem(c.prefix);
      if (pub.cell(cells, stem + "_note") == kQcFailed) {
        ++t.qc_skipped;
        continue;
      }
      if (auto v = exact::parse(pub.cell(cells, stem + "_raw"))) m.push_back({c.item, *v});
    }
    SectionInput in{name, "", registry.at(name), std::nullopt, {m}};
    SectionAssessment a = assess_section(in, AssessParams{});
    if (a.result.cls == *published) {
      ++t.agree;
    } else {
      t.disagreements.push_back(name + " " + pub.cell(cells, "monitor_time_MMDD_HHMM") + ": published " +
                                std::string(class_name(*published)) + ", computed " +
                                (a.result.cls ? std::string(class_name(*a.result.cls)) : "none"));
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
  const Publication pub = read_publication(*dir / kFile);
  Tally t = classify(pub, section_registry(pub, true));
  std::cout << "surface water real data: " << t.agree << " of " << t.published
            << " rows with a published class agree (" << t.rows - t.published << " rows publish no class; "
            << t.qc_skipped << " QC-failed cells skipped; " << t.lake_sections
            << " lake/reservoir sections)\n";
  for (const auto& d : t.disagreements) std::cout << "  disagrees: " << d << "\n";
  EXPECT_EQ(t.rows, 369);
  EXPECT_EQ(t.published, 365);
  EXPECT_EQ(t.qc_skipped, 59);
  EXPECT_EQ(t.agree, 365);

  Tally names_only = classify(pub, section_registry(pub, false));
  std::cout << "with the name rule alone: " << names_only.agree << " of " << names_only.published << "\n";
  for (const auto& d : names_only.disagreements) std::cout << "  disagrees: " << d << "\n";
  EXPECT_EQ(names_only.agree, 359);
  EXPECT_EQ(t.lake_sections - names_only.lake_sections, 5);  // the five rows of lake_points.csv
}

}  // namespace
}  // namespace ecomon::water
