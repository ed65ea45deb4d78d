#include "demo/emergency_list_demo.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "core/decimal.h"
#include "core/text_table.h"
#include "core/time.h"
#include "emergency/list_templates.h"
#include "emergency/registry.h"

namespace ecomon {
namespace {

namespace em = emergency;

// The demo city's six counties (the first five are the demo source registry's).
constexpr std::array<const char*, 6> kCounties = {"城区", "高新区", "东阳县", "西山县", "南河县", "北山县"};

struct Industry {
  const char* name;
  int count;                   // entries in the demo list
  std::array<int, 4> base_kg;  // typical line baseline, kg/d: SO2 NOx PM VOCs
  const char* line;            // line name
  const char* process;         // process that stops under stop-process
  bool leading_scheme;         // graded 引领性/非引领性 in this demo instead of A-D
};
// clang-format off
constexpr std::array<Industry, 18> kIndustries = {{
    {"工业涂装", 66, {0, 2, 8, 60}, "涂装线", "喷涂", false},
    {"塑料制品", 7, {0, 1, 3, 25}, "注塑线", "注塑", false},
    {"包装印刷", 5, {0, 1, 2, 40}, "印刷线", "印刷", false},
    {"化工", 4, {60, 120, 30, 150}, "生产装置", "反应", false},
    {"煤炭洗选", 4, {5, 10, 80, 0}, "洗选线", "筛分", true},
    {"钢铁", 2, {900, 1500, 700, 60}, "烧结机", "烧结", false},
    {"水泥", 1, {300, 1800, 250, 0}, "熟料线", "粉磨", false},
    {"焦化", 10, {350, 900, 200, 120}, "焦炉", "装煤", false},
    {"铸造", 25, {40, 60, 90, 20}, "熔炼线", "熔炼", false},
    {"砖瓦窑", 30, {120, 150, 90, 0}, "隧道窑", "焙烧", true},
    {"石灰窑", 10, {80, 200, 120, 0}, "石灰窑", "煅烧", true},
    {"陶瓷", 8, {100, 220, 60, 5}, "辊道窑", "烧成", false},
    {"耐火材料", 10, {60, 140, 70, 0}, "隧道窑", "烧成", false},
    {"玻璃", 3, {250, 900, 80, 0}, "熔窑", "熔化", false},
    {"火电", 4, {600, 900, 150, 0}, "机组", "", false},
    {"热力", 12, {80, 150, 30, 0}, "供热锅炉", "", false},
    {"建材", 25, {10, 20, 120, 0}, "破碎线", "破碎", false},
    {"机械加工", 27, {2, 5, 15, 10}, "加工线", "喷漆", false},
}};
// clang-format on

// The demo source registry's gas enterprises, linked by id (names and counties as there).
struct Linked {
  const char* source;
  const char* name;
  const char* county;
  const char* industry;
};
constexpr std::array<Linked, kDemoListLinked> kLinked = {{
    {"E01", "演示第一发电有限公司", "城区", "火电"},
    {"E02", "演示水泥有限公司", "东阳县", "水泥"},
    {"E03", "演示焦化有限公司", "西山县", "焦化"},
    {"E04", "演示钢铁有限公司", "高新区", "钢铁"},
    {"E05", "演示热力有限公司", "城区", "热力"},
    {"E06", "演示化工有限公司", "南河县", "化工"},
    {"E07", "演示陶瓷有限公司", "东阳县", "陶瓷"},
    {"E08", "演示玻璃有限公司", "西山县", "玻璃"},
    {"E09", "演示铸造有限公司", "南河县", "铸造"},
    {"E10", "演示煤层气发电有限公司", "高新区", "火电"},
}};

// splitmix64: a small deterministic generator (the same list on every machine).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

// Grade by a roll out of 100 (A-D scheme): A 3, B 14, C 38, D 25, 未分级 20.
em::Grade grade_roll(Rng& r, bool leading_scheme) {
  const int x = r.below(100);
  if (leading_scheme)
    return x < 15 ? em::Grade::kLeading : x < 85 ? em::Grade::kNonLeading : em::Grade::kUngraded;
  return x < 3    ? em::Grade::kA
         : x < 17 ? em::Grade::kB
         : x < 55 ? em::Grade::kC
         : x < 80 ? em::Grade::kD
                  : em::Grade::kUngraded;
}

// The production cut per level (yellow, orange, red) by grade; -1 = the line stops; 0 = no measure.
std::array<int, 3> cuts_of(em::Grade g, bool guarantee) {
  if (guarantee) return {0, 0, 10};
  switch (g) {
    case em::Grade::kB:
      return {20, 30, 50};
    case em::Grade::kC:
      return {30, 50, -1};
    case em::Grade::kD:
    case em::Grade::kNonLeading:
      return {50, -1, -1};
    default:
      // 未分级: "采取停产或最严级别限产措施，以生产线计" (seed 003): stopped at every level.
      return {-1, -1, -1};
  }
}

std::string kg(int64_t grams) { return em::kg_per_day(grams); }

Status write(const std::filesystem::path& dir, const char* file, const char* header,
             const std::vector<std::vector<std::string>>& rows) {
  std::ofstream out(dir / file, std::ios::binary | std::ios::trunc);
  out << header << "\n";
  for (const auto& r : rows) out << csv_row(r);  // csv_row ends the line
  out.close();
  if (!out) return internal_error(std::string("cannot write ") + (dir / file).string());
  return Status::ok_status();
}

// The list's rows (template order), the same on every call.
struct ListRows {
  std::vector<std::vector<std::string>> ents, lines, measures, inspections;
};
ListRows list_rows() {
  ListRows rows;
  Rng rng{20201028};  // the date of the 2020-21 autumn-winter plan (seed 003)
  auto& ents = rows.ents;
  auto& lines = rows.lines;
  auto& measures = rows.measures;
  auto& inspections = rows.inspections;
  int n = 0;
  auto add = [&](const std::string& name, const std::string& county, const Industry& ind,
                 const std::string& source, em::Grade grade, bool guarantee) {
    const std::string id = fmt::format("JC{:04d}", ++n);
    ents.push_back(
        {id, name, county, ind.name, std::string(em::grade_name(grade)), guarantee ? "Y" : "N", source});
    const int line_count = 1 + rng.below(3);
    for (int l = 1; l <= line_count; ++l) {
      const std::string lid = fmt::format("L{}", l);
      std::array<int64_t, 4> base{};
      const int factor = 30 + rng.below(141);  // 0.30 .. 1.70 of the industry's typical line
      for (size_t p = 0; p < base.size(); ++p) base[p] = int64_t{ind.base_kg[p]} * 1000 * factor / 100;
      lines.push_back({id, lid, fmt::format("{}#{}", l, ind.line), ind.process[0] ? ind.process : ind.line,
                       "kg/d", kg(base[0]), kg(base[1]), kg(base[2]), kg(base[3])});
      const std::array<int, 3> cuts = cuts_of(grade, guarantee);
      const bool voluntary = grade == em::Grade::kA || grade == em::Grade::kLeading;
      for (em::WarningLevel lv : em::kLevels) {
        const size_t i = em::level_index(lv);
        std::vector<std::string> row = {id, lid, std::string(em::level_name(lv))};
        if (voluntary) {
          // A and 引领性 declare their own measures: here 5 / 10 / 15 % less output.
          const int pct = 5 * static_cast<int>(i + 1);
          row.insert(row.end(), {"voluntary", "", "", "kg/d"});
          for (int64_t b : base) row.push_back(kg(b - b * pct / 100));
          row.push_back(fmt::format("自主减排（申报减产{}%）", pct));
        } else if (ind.process[0] && ind.base_kg[3] > ind.base_kg[2] && i > 0 && cuts[i] != 0 &&
                   grade != em::Grade::kUngraded) {
          // VOCs lines: the coating/printing process stops at orange and red; what is left is drying and
          // storage.
          row.insert(row.end(), {"stop-process", "", ind.process, "kg/d"});
          for (size_t p = 0; p < base.size(); ++p) row.push_back(kg(p == 3 ? base[p] / 10 : base[p] / 2));
          row.push_back(fmt::format("停止{}工序", ind.process));
        } else if (cuts[i] == -1) {
          row.insert(row.end(), {"stop", "", "", "", "", "", "", "", "停产"});
        } else if (cuts[i] == 0) {
          row.insert(row.end(), {"none", "", "", "", "", "", "", "", guarantee ? "保障类：按需生产" : ""});
        } else {
          row.insert(row.end(), {"cut", std::to_string(cuts[i]), "", "", "", "", "", ""});
          row.push_back(fmt::format("限产{}%", cuts[i]));
        }
        measures.push_back(std::move(row));
      }
    }
  };
  for (const Linked& l : kLinked) {
    const Industry* ind = &kIndustries[0];
    for (const Industry& x : kIndustries)
      if (std::string_view(x.name) == l.industry) ind = &x;
    const bool guarantee = std::string_view(l.industry) == "热力";
    add(l.name, l.county, *ind, l.source, guarantee ? em::Grade::kUngraded : grade_roll(rng, false),
        guarantee);
  }
  for (const Industry& ind : kIndustries) {
    int have = 0;
    for (const Linked& l : kLinked) have += std::string_view(l.industry) == ind.name ? 1 : 0;
    for (int k = have; k < ind.count; ++k) {
      const std::string county =
          kCounties[static_cast<size_t>(rng.below(static_cast<int>(kCounties.size())))];
      const bool guarantee = std::string_view(ind.name) == "热力" || rng.below(100) < 2;
      const em::Grade g = guarantee ? em::Grade::kUngraded : grade_roll(rng, ind.leading_scheme);
      add(fmt::format("演示{}{}{:02d}有限公司", county, ind.name, k + 1), county, ind, "", g, guarantee);
    }
  }
  // Inspections of two unmonitored entries during the sample forecast's orange episode.
  inspections.push_back({"JC0011", "2025-12-03 10:30", "zhao", "compliant", "现场核查：喷涂工序已停"});
  inspections.push_back(
      {"JC0012", "2025-12-04 09:00", "qian", "not-compliant", "现场核查：未按要求停止喷涂"});
  return rows;
}

}  // namespace

std::map<std::string, std::vector<std::string>> demo_list_linked_lines() {
  const ListRows rows = list_rows();
  std::map<std::string, std::string> source_of;  // list id -> source registry id
  for (const auto& e : rows.ents) {
    if (!e.back().empty()) source_of[e[0]] = e.back();
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& l : rows.lines) {
    if (auto it = source_of.find(l[0]); it != source_of.end()) out[it->second].push_back(l[1]);
  }
  return out;
}

Status write_demo_list(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return internal_error("cannot create " + dir + ": " + ec.message());
  const ListRows rows = list_rows();
  const auto& [ents, lines, measures, inspections] = rows;
  ECOMON_RETURN_IF_ERROR(
      write(dir, "enterprises.csv", emergency_template_header(EmergencyTemplate::kEnterprises), ents));
  ECOMON_RETURN_IF_ERROR(
      write(dir, "lines.csv", emergency_template_header(EmergencyTemplate::kLines), lines));
  ECOMON_RETURN_IF_ERROR(
      write(dir, "measures.csv", emergency_template_header(EmergencyTemplate::kMeasures), measures));
  ECOMON_RETURN_IF_ERROR(
      write(dir, "inspections.csv", emergency_template_header(EmergencyTemplate::kInspections), inspections));
  // A forecast with a three-day episode > 200 (orange from 2025-12-03) and its end.
  const std::array<int, 10> aqi = {120, 160, 215, 240, 265, 190, 150, 120, 110, 100};
  std::vector<std::vector<std::string>> forecast;
  const CivilDay first = CivilDay::from_ymd(2025, 12, 1);
  for (size_t i = 0; i < aqi.size(); ++i)
    forecast.push_back({(first + static_cast<int>(i)).to_string(), std::to_string(aqi[i])});
  return write(dir, "forecast.csv", kForecastHeader, forecast);
}

}  // namespace ecomon
