// The action plans' task tables and targets as CSV data (demo/ledger/), read into plain value types.
//
// A ledger directory holds plans.csv (one row per plan: id, title, 文号, year), task files (*.tasks.csv,
// *.projects.csv: category, number, text, 牵头单位, 责任单位, 完成时限 as printed, quantities) and
// targets.csv (indicator, comparison, value, unit, period, owner). The layout is documented in
// docs/ledger.md.
//
// Reading is all-or-nothing per file: a file with any bad row yields an error that lists every bad row as
// "file:line [column]: what is wrong" (unknown unit, deadline phrase not understood, task with no owner, ...)
// and no rows from that file; load_ledger_dir returns data only when every file is good.
//
// Pure parsing functions take the file's text; only load_ledger_dir touches the file system.
//
//   StatusOr<LedgerData> d = load_ledger_dir("demo/ledger");
//   if (!d.ok()) std::cerr << d.status().message();   // "air-2021.tasks.csv:19 [quantity]: unknown unit
//   '辆次'" for (const Task& t : d->tasks) if (t.deadline && is_overdue(*t.deadline, today)) ...
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "ledger/deadline.h"

namespace ecomon {

// How a stated figure binds: "≥30 %" (达30%以上), "≤9 吨/月·平方公里", "<9" (小于), "757 辆" (exactly this
// much work).
enum class Bound : uint8_t { kExactly, kAtLeast, kAtMost, kMoreThan, kLessThan };

// A quantity a task states, in the unit's base form: "5.3258 万户" is kept as 53258 户.
struct Quantity {
  std::string label;  // what is counted ("淘汰", "清洁取暖改造"); may be empty
  Bound bound = Bound::kExactly;
  Decimal value;
  std::string unit;  // base unit: 户, 吨, 辆, 个, %, µg/m³, 吨/月·平方公里, ...
  bool operator==(const Quantity&) const = default;
};

// Parses "[label:][≥|≤|>=|<=|<|>|=]number[ ]unit", e.g. "淘汰:757 辆", "≥30 %", "清洁取暖改造:5.3258 万户".
StatusOr<Quantity> parse_quantity(std::string_view text);
// "=", "≥", "≤", ">", "<".
std::string_view bound_symbol(Bound bound);

struct Plan {
  std::string id;        // "air-2021"
  std::string title;     // 晋城市2021年空气质量巩固提升行动计划
  std::string document;  // 文号, e.g. 晋市政办〔2021〕9号; may be empty
  std::optional<CivilDay> issued;
  int32_t year = 0;  // the year phrases without a year belong to
  std::string seed;  // where the facts come from
  std::string note;
};

struct Task {
  std::string plan;
  std::string category;                 // 类别
  std::string no;                       // 序号 as printed (or print order where the plan prints none)
  std::string key_work;                 // 重点工作 (003 annex); may be empty
  std::string title;                    // 主要任务 (003 annex) or the body item's heading; may be empty
  std::string text;                     // the task itself (主要任务 / 工程措施)
  std::vector<std::string> lead_units;  // 牵头单位
  std::vector<std::string> responsible_units;  // 责任单位 / 责任主体
  std::string deadline_text;                   // 完成时限 as printed
  std::optional<Deadline> deadline;            // nullopt when the plan prints none
  std::vector<Quantity> quantities;
  std::string remark;  // 备注 (e.g. 省重点)
  std::string note;    // how the row was read from the seed (merged cells, OCR)
  std::string source;  // "file:line"
};

// What a target is about. The first four are what the air assessment computes and targets.h evaluates.
enum class Indicator : uint8_t {
  kPm25Mean,        // PM2.5 mean over the period, µg/m³
  kGoodDayRatio,    // 优良天数比率, %
  kHeavyDayRatio,   // 重污染天数比率, %
  kHeavyDays,       // 重度及以上污染天数, days
  kPollutantClass,  // a pollutant's GB 3095 class reached (1 = 一级), 级
  kCompositeRank,   // rank by composite index among the ranked cities, 位
  kEmissionChange,  // emission change against a base year, %
  kSectionClass,    // a water section's class (I..V = 1..5, 劣V = 6), 类
  kRate,            // any other stated percentage (利用率, 覆盖率), %
};
std::string_view indicator_name(Indicator indicator);  // "pm25_mean", ...
std::optional<Indicator> indicator_from_name(std::string_view name);

struct Target {
  std::string plan;
  Indicator indicator = Indicator::kPm25Mean;
  std::string label;  // as the plan words it
  std::string scope;  // 市区, 全市, a section name
  Bound bound = Bound::kAtMost;
  std::optional<Decimal> value;  // nullopt: set elsewhere (完成省定目标), see note
  std::string unit;
  std::string period_text;
  DayRange period;
  std::string owner;
  std::string note;
  std::string source;
};

struct LedgerData {
  std::vector<Plan> plans;
  std::vector<Task> tasks;
  std::vector<Target> targets;
};

StatusOr<std::vector<Plan>> parse_plans_csv(std::string_view text, std::string_view file_name);
StatusOr<std::vector<Task>> parse_tasks_csv(std::string_view text, std::string_view file_name,
                                            const std::vector<Plan>& plans);
StatusOr<std::vector<Target>> parse_targets_csv(std::string_view text, std::string_view file_name,
                                                const std::vector<Plan>& plans);

// Reads plans.csv, every *.tasks.csv and *.projects.csv, and targets.csv (optional) of `dir`. Any other .csv
// file is an error. Task numbers must be unique per plan across files.
StatusOr<LedgerData> load_ledger_dir(const std::filesystem::path& dir);

}  // namespace ecomon
