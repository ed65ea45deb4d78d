// The emergency reduction list (重污染天气应急减排清单) as plain values: enterprises with their industry,
// county, performance grade (绩效分级) and 保障类 flag; their production lines and processes with baseline
// emissions of SO2, NOx, particulate matter and VOCs; and per warning level (yellow / orange / red) the
// measure each line takes (stop, cut production by x %, stop a process, voluntary) with the emission that
// results.
//
// Emissions are exact integers in grams per day (the CSV templates take t/d or kg/d with up to 3 decimals),
// so sums and shares over a list are exact fractions.
//
//   emergency::Enterprise e{.id = "JC001", .name = "演示焦化", .county = "西山县", .industry = "焦化",
//                           .grade = emergency::Grade::kB};
//   emergency::Line l{.id = "L1", .name = "1#焦炉", .baseline = {1'000'000, 2'000'000, 500'000, 0}};
//   l.measures[level_index(WarningLevel::kYellow)] = {.kind = MeasureKind::kCutProduction, .cut_percent = 30,
//                                                     .emission = {700'000, 1'400'000, 350'000, 0}};
//   e.lines.push_back(l);
//   Status s = emergency::validate_enterprise(e, {});   // names the enterprise, line, level and field
//
// Everything is a value type; functions are pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ecomon::emergency {

// The four pollutants whose reduction a warning requires.
enum class Pollutant : uint8_t { kSO2, kNOx, kPM, kVOCs };
inline constexpr int kPollutantCount = 4;
inline constexpr std::array<Pollutant, kPollutantCount> kPollutants = {Pollutant::kSO2, Pollutant::kNOx,
                                                                       Pollutant::kPM, Pollutant::kVOCs};
std::string_view pollutant_name(Pollutant p);  // "SO2", "NOx", "PM", "VOCs"

// Emission per pollutant in grams per day, indexed by Pollutant.
using Emissions = std::array<int64_t, kPollutantCount>;
inline int64_t& at(Emissions& e, Pollutant p) { return e[static_cast<size_t>(p)]; }
inline int64_t at(const Emissions& e, Pollutant p) { return e[static_cast<size_t>(p)]; }
Emissions operator+(const Emissions& a, const Emissions& b);
Emissions operator-(const Emissions& a, const Emissions& b);
// "12.345" kg/d from grams per day (exact, 3 decimals).
std::string kg_per_day(int64_t grams_per_day);

// The unit a template gives emissions in.
enum class EmissionUnit : uint8_t { kTonnesPerDay, kKgPerDay };
std::optional<EmissionUnit> parse_emission_unit(std::string_view s);  // "t/d", "kg/d"
// Parses a non-negative amount with at most 3 decimals in `unit` into grams per day; nullopt on anything else
// (negative, not a number, more decimals than the unit allows to stay exact, absurdly large).
std::optional<int64_t> parse_emission(std::string_view text, EmissionUnit unit);

// The warning levels (预警级别) of the three-level scheme (spec 08 §1); kNone = no warning in force.
enum class WarningLevel : uint8_t { kNone, kYellow, kOrange, kRed };
inline constexpr int kLevelCount = 3;  // yellow, orange, red
inline constexpr std::array<WarningLevel, kLevelCount> kLevels = {WarningLevel::kYellow,
                                                                  WarningLevel::kOrange, WarningLevel::kRed};
std::string_view level_name(WarningLevel l);                  // "none", "yellow", "orange", "red"
std::string_view level_name_zh(WarningLevel l);               // "无", "黄色", "橙色", "红色"
std::optional<WarningLevel> parse_level(std::string_view s);  // the names above (English or Chinese)
// Index 0..2 of yellow/orange/red in per-level arrays; requires l != kNone.
inline size_t level_index(WarningLevel l) { return static_cast<size_t>(l) - 1; }

// Performance grade (环保绩效分级, 环办大气函〔2020〕340号): A-D for most key industries, 引领性/非引领性 for
// some, 未分级 for enterprises outside the grading (一厂一策, or not meeting standards).
enum class Grade : uint8_t { kA, kB, kC, kD, kLeading, kNonLeading, kUngraded };
std::string_view grade_name(Grade g);  // "A", "B", "C", "D", "引领性", "非引领性", "未分级"
std::optional<Grade> parse_grade(std::string_view s);  // the names above

// What a line does at a level (应急减排措施).
enum class MeasureKind : uint8_t {
  kNone,           // no measure at this level (e.g. 保障类 or small emitters at yellow)
  kStop,           // 停产 (the line stops)
  kCutProduction,  // 限产 x %
  kStopProcess,    // 停止某工序 (a process of the line stops)
  kVoluntary,      // 自主减排 (A grade and 引领性 may choose their measures)
};
std::string_view measure_name(MeasureKind k);  // "none", "stop", "cut", "stop-process", "voluntary"
std::string_view measure_name_zh(MeasureKind k);
std::optional<MeasureKind> parse_measure(std::string_view s);

struct Measure {
  MeasureKind kind = MeasureKind::kNone;
  int cut_percent = 0;   // for kCutProduction: 1..100
  std::string process;   // for kStopProcess: which process stops (工序)
  std::string note;      // the measure as the list words it
  Emissions emission{};  // the line's emission while the measure is in force, g/d
  bool operator==(const Measure&) const = default;
};

// A production line (生产线) with its main process and baseline emission, and its measure per level.
struct Line {
  std::string id;                             // unique within the enterprise
  std::string name;                           // 生产线名称
  std::string process;                        // 主要工序/设施
  Emissions baseline{};                       // g/d at normal production
  std::array<Measure, kLevelCount> measures;  // yellow, orange, red
  bool operator==(const Line&) const = default;
};

struct Enterprise {
  std::string id;
  std::string name;
  std::string county;    // 区县
  std::string industry;  // 行业
  Grade grade = Grade::kUngraded;
  bool guarantee = false;  // 保障类 (民生保障, 城市运行, 战略性产业): listed, treated apart
  std::string source_enterprise;  // id in the pollution-source registry (online monitoring), "" when none
  std::vector<Line> lines;

  Emissions baseline() const;  // sum over lines
  Emissions emission_at(
      WarningLevel l) const;  // sum over lines of the measure's emission (baseline at kNone)
  bool operator==(const Enterprise&) const = default;
};

// The rules a list entry is checked against. Spec 08 §3 marks the grade rules UNCONFIRMED: they are
// parameters.
struct ListRules {
  // Grades that may take voluntary measures (自主采取减排措施): A and 引领性 (seed 003, 340号).
  std::set<Grade> voluntary_grades = {Grade::kA, Grade::kLeading};
  // Measures may not loosen as the level rises: emission at red <= orange <= yellow, per pollutant and line.
  bool require_tightening = true;
  // A non-保障类 enterprise of a grade outside voluntary_grades must name a measure (not kNone) at red.
  bool require_measure_at_red = true;
  // A stopped line (kStop) emits nothing at that level.
  bool stop_emits_nothing = true;
};

// Checks one enterprise on its own: ids, names, every emission non-negative, each measure's emission at most
// the line's baseline, cut 1..100 for kCutProduction, a process for kStopProcess, a stop emitting nothing,
// voluntary only for the grades the rules allow, tightening with the level. The message names the enterprise,
// line, level and field: "enterprise JC001 line L1 orange: NOx emission 2.500 kg/d exceeds the
// baseline 2.000".
Status validate_enterprise(const Enterprise& e, const ListRules& rules);

// A list: the enterprises in id order, ids unique.
struct ReductionList {
  std::vector<Enterprise> enterprises;
  const Enterprise* find(std::string_view id) const;
};

}  // namespace ecomon::emergency
