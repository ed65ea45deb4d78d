#include "ledger/plan_csv.h"
#include "core/csv.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace ecomon {
namespace {

constexpr size_t kMaxReportedErrors = 20;
constexpr int32_t kMaxDecimalScale = 9;
constexpr int32_t kDecimalBase = 10;
constexpr char kListSeparator = '|';
constexpr char kLabelSeparator = ':';

// A printed unit and the base unit it is kept in, with the power of ten between them (万 = 10^4).
struct UnitInfo {
  std::string_view printed;
  std::string_view base;
  int32_t pow10 = 0;
};
constexpr int32_t kWan = 4;  // 万
constexpr std::array<UnitInfo, 29> kUnits = {{
    {"万户", "户", kWan},  {"万吨", "吨", kWan},
    {"万亩", "亩", kWan},  {"户", "户", 0},
    {"吨", "吨", 0},       {"亩", "亩", 0},
    {"辆", "辆", 0},       {"个", "个", 0},
    {"家次", "家次", 0},   {"家", "家", 0},
    {"台", "台", 0},       {"条", "条", 0},
    {"座", "座", 0},       {"套", "套", 0},
    {"处", "处", 0},       {"批次", "批次", 0},
    {"蒸吨", "蒸吨", 0},   {"%", "%", 0},
    {"mg/L", "mg/L", 0},   {"µg/m³", "µg/m³", 0},
    {"μg/m³", "µg/m³", 0},  // Greek mu, as often typed
    {"ug/m3", "µg/m³", 0}, {"吨/月·平方公里", "吨/月·平方公里", 0},
    {"天", "天", 0},       {"级", "级", 0},
    {"位", "位", 0},       {"类", "类", 0},
    {"万米", "米", kWan},  {"米", "米", 0},
}};

const UnitInfo* find_unit(std::string_view printed) {
  for (const UnitInfo& u : kUnits) {
    if (u.printed == printed) return &u;
  }
  return nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "-12.345" -> Decimal{-12345, 3}. No exponent, no grouping.
std::optional<Decimal> parse_decimal(std::string_view s) {
  bool neg = !s.empty() && s.front() == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t units = 0;
  int32_t scale = 0;
  bool point = false, digit = false;
  for (char c : s) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (units > (std::numeric_limits<int64_t>::max() - 9) / kDecimalBase) return std::nullopt;
    units = units * kDecimalBase + (c - '0');
    digit = true;
    if (point) ++scale;
  }
  if (!digit || scale > kMaxDecimalScale) return std::nullopt;
  return Decimal{neg ? -units : units, scale};
}

// Multiplies by 10^pow10 and drops trailing zero decimals: 5.3258 x 10^4 = 53258.
Decimal scale_up(Decimal d, int32_t pow10) {
  for (int32_t i = 0; i < pow10; ++i) {
    if (d.scale > 0) {
      --d.scale;
    } else {
      d.units *= kDecimalBase;
    }
  }
  while (d.scale > 0 && d.units % kDecimalBase == 0) {
    d.units /= kDecimalBase;
    --d.scale;
  }
  return d;
}

// RFC 4180 fields of one line (no embedded newlines); false when a quote is left open.
bool split_csv(std::string_view line, std::vector<std::string>& out) { return split_csv_fields(line, out); }

// Collects "file:line [column]: message" errors of one file.
class Errors {
 public:
  explicit Errors(std::string_view file) : file_(file) {}
  void add(int32_t line, std::string_view column, const std::string& message) {
    std::string where = file_ + ":" + std::to_string(line);
    if (!column.empty()) where += " [" + std::string(column) + "]";
    entries_.push_back({line, where + ": " + message});
  }
  bool empty() const { return entries_.empty(); }
  // All errors in line order (structural ones first within a line), at most kMaxReportedErrors.
  Status status() const {
    std::vector<std::pair<int32_t, std::string>> sorted = entries_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string m;
    for (size_t i = 0; i < sorted.size() && i < kMaxReportedErrors; ++i)
      m += (m.empty() ? "" : "\n") + sorted[i].second;
    if (sorted.size() > kMaxReportedErrors)
      m += "\n... and " + std::to_string(sorted.size() - kMaxReportedErrors) + " more";
    return invalid_argument(m);
  }

 private:
  std::string file_;
  std::vector<std::pair<int32_t, std::string>> entries_;
};

struct Row {
  int32_t line = 0;
  std::map<std::string, std::string, std::less<>> cells;
  const std::string& operator[](std::string_view column) const {
    static const std::string kEmpty;
    auto it = cells.find(column);
    return it == cells.end() ? kEmpty : it->second;
  }
};

// Header + rows; '#' lines and blank lines skipped (but counted). Structural problems go to `errors`.
std::vector<Row> read_table(std::string_view text, const std::vector<std::string_view>& required,
                            const std::vector<std::string_view>& optional, Errors& errors) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (starts_with(text, kBom)) text.remove_prefix(kBom.size());
  std::vector<Row> rows;
  std::vector<std::string> header, cells;
  int32_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (trim(line).empty() || line.front() == '#') continue;
    if (!split_csv(line, cells)) {
      errors.add(line_no, "", "unclosed quote");
      continue;
    }
    if (auto bad = find_non_utf8_cell(cells, header)) {
      errors.add(line_no, bad->column, (header.empty() ? "header: " : "") + bad->message);
      if (header.empty()) return rows;  // no column can be trusted
      continue;
    }
    if (header.empty()) {
      header = cells;
      for (std::string_view col : required) {
        if (std::find(header.begin(), header.end(), col) == header.end()) {
          errors.add(line_no, col, "missing column");
        }
      }
      for (const std::string& col : header) {
        bool known = std::find(required.begin(), required.end(), col) != required.end() ||
                     std::find(optional.begin(), optional.end(), col) != optional.end();
        if (!known) errors.add(line_no, col, "unknown column");
      }
      continue;
    }
    if (cells.size() != header.size()) {
      errors.add(line_no, "",
                 std::to_string(cells.size()) + " cells, the header has " + std::to_string(header.size()));
      continue;
    }
    Row row;
    row.line = line_no;
    for (size_t i = 0; i < header.size(); ++i) row.cells[header[i]] = std::string(trim(cells[i]));
    rows.push_back(std::move(row));
  }
  if (header.empty()) errors.add(line_no, "", "no header row");
  return rows;
}

// "a|b|c" -> {"a","b","c"}; "" -> {}. An empty item is an error.
std::optional<std::vector<std::string>> split_list(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t bar = s.find(kListSeparator, start);
    std::string_view item =
        trim(s.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (item.empty()) return std::nullopt;
    out.emplace_back(item);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

const Plan* find_plan(const std::vector<Plan>& plans, std::string_view id) {
  for (const Plan& p : plans) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

struct BoundWord {
  std::string_view text;
  Bound bound;
};
// Longest first so that ">=" is not read as ">".
constexpr std::array<BoundWord, 7> kBoundWords = {{{">=", Bound::kAtLeast},
                                                   {"<=", Bound::kAtMost},
                                                   {"\u2265", Bound::kAtLeast},
                                                   {"\u2264", Bound::kAtMost},
                                                   {">", Bound::kMoreThan},
                                                   {"<", Bound::kLessThan},
                                                   {"=", Bound::kExactly}}};

std::optional<Bound> eat_bound(std::string_view& s) {
  for (const BoundWord& w : kBoundWords) {
    if (starts_with(s, w.text)) {
      s.remove_prefix(w.text.size());
      return w.bound;
    }
  }
  return std::nullopt;
}

struct IndicatorInfo {
  Indicator indicator;
  std::string_view name;
  std::string_view unit;
};
constexpr std::array<IndicatorInfo, 9> kIndicators = {{
    {Indicator::kPm25Mean, "pm25_mean", "µg/m³"},
    {Indicator::kGoodDayRatio, "good_day_ratio", "%"},
    {Indicator::kHeavyDayRatio, "heavy_day_ratio", "%"},
    {Indicator::kHeavyDays, "heavy_days", "天"},
    {Indicator::kPollutantClass, "pollutant_class", "级"},
    {Indicator::kCompositeRank, "composite_rank", "位"},
    {Indicator::kEmissionChange, "emission_change", "%"},
    {Indicator::kSectionClass, "section_class", "类"},
    {Indicator::kRate, "rate", "%"},
}};

const IndicatorInfo& info_of(Indicator i) {
  for (const IndicatorInfo& x : kIndicators) {
    if (x.indicator == i) return x;
  }
  return kIndicators[0];
}

// Water quality classes as printed: I..V, 劣V (GB 3838).
std::optional<int32_t> section_class_ordinal(std::string_view s) {
  constexpr std::array<std::string_view, 6> kClasses = {"I", "II", "III", "IV", "V", "劣V"};
  for (size_t i = 0; i < kClasses.size(); ++i) {
    if (s == kClasses[i]) return static_cast<int32_t>(i + 1);
  }
  return std::nullopt;
}

StatusOr<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return not_found("cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::vector<std::string_view> kTaskColumns = {
    "plan", "category", "no", "task", "lead_units", "responsible_units", "deadline", "quantity"};
const std::vector<std::string_view> kTaskOptional = {"key_work", "title", "remark", "note"};
const std::vector<std::string_view> kPlanColumns = {"plan", "title", "year"};
const std::vector<std::string_view> kPlanOptional = {"document", "issued", "seed", "note"};
const std::vector<std::string_view> kTargetColumns = {"plan",  "indicator", "label",  "scope", "comparison",
                                                      "value", "unit",      "period", "owner"};
const std::vector<std::string_view> kTargetOptional = {"note"};

}  // namespace

std::string_view bound_symbol(Bound bound) {
  switch (bound) {
    case Bound::kExactly:
      return "=";
    case Bound::kAtLeast:
      return "\u2265";
    case Bound::kAtMost:
      return "\u2264";
    case Bound::kMoreThan:
      return ">";
    case Bound::kLessThan:
      return "<";
  }
  return "?";
}

StatusOr<Quantity> parse_quantity(std::string_view text) {
  Quantity q;
  std::string_view s = trim(text);
  if (size_t colon = s.find(kLabelSeparator); colon != std::string_view::npos) {
    q.label = std::string(trim(s.substr(0, colon)));
    s = trim(s.substr(colon + 1));
  }
  if (std::optional<Bound> b = eat_bound(s)) q.bound = *b;
  s = trim(s);
  size_t n = 0;
  while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.' || (n == 0 && s[n] == '-'))) ++n;
  std::optional<Decimal> value = parse_decimal(s.substr(0, n));
  if (!value) return invalid_argument("no number in quantity '" + std::string(text) + "'");
  std::string_view unit = trim(s.substr(n));
  if (unit.empty()) return invalid_argument("no unit in quantity '" + std::string(text) + "'");
  const UnitInfo* u = find_unit(unit);
  if (u == nullptr)
    return invalid_argument("unknown unit '" + std::string(unit) + "' in '" + std::string(text) + "'");
  q.value = scale_up(*value, u->pow10);
  q.unit = std::string(u->base);
  return q;
}

std::string_view indicator_name(Indicator indicator) { return info_of(indicator).name; }

std::optional<Indicator> indicator_from_name(std::string_view name) {
  for (const IndicatorInfo& x : kIndicators) {
    if (x.name == name) return x.indicator;
  }
  return std::nullopt;
}

StatusOr<std::vector<Plan>> parse_plans_csv(std::string_view text, std::string_view file_name) {
  Errors errors(file_name);
  std::vector<Row> rows = read_table(text, kPlanColumns, kPlanOptional, errors);
  std::vector<Plan> plans;
  std::set<std::string, std::less<>> seen;
  for (const Row& r : rows) {
    Plan p;
    p.id = r["plan"];
    p.title = r["title"];
    p.document = r["document"];
    p.seed = r["seed"];
    p.note = r["note"];
    if (p.id.empty()) errors.add(r.line, "plan", "empty plan id");
    if (!seen.insert(p.id).second) errors.add(r.line, "plan", "duplicate plan id '" + p.id + "'");
    if (p.title.empty()) errors.add(r.line, "title", "empty title");
    const std::string& y = r["year"];
    auto [ptr, ec] = std::from_chars(y.data(), y.data() + y.size(), p.year);
    if (ec != std::errc() || ptr != y.data() + y.size() || !CivilDay::is_valid_ymd(p.year, 1, 1)) {
      errors.add(r.line, "year", "invalid year '" + y + "'");
    }
    if (!r["issued"].empty()) {
      StatusOr<CivilDay> d = CivilDay::parse(r["issued"]);
      if (d.ok()) {
        p.issued = *d;
      } else {
        errors.add(r.line, "issued", d.status().message());
      }
    }
    plans.push_back(std::move(p));
  }
  if (!errors.empty()) return errors.status();
  return plans;
}

StatusOr<std::vector<Task>> parse_tasks_csv(std::string_view text, std::string_view file_name,
                                            const std::vector<Plan>& plans) {
  Errors errors(file_name);
  std::vector<Row> rows = read_table(text, kTaskColumns, kTaskOptional, errors);
  std::vector<Task> tasks;
  std::set<std::pair<std::string, std::string>> seen;
  for (const Row& r : rows) {
    Task t;
    t.plan = r["plan"];
    t.category = r["category"];
    t.no = r["no"];
    t.key_work = r["key_work"];
    t.title = r["title"];
    t.text = r["task"];
    t.deadline_text = r["deadline"];
    t.remark = r["remark"];
    t.note = r["note"];
    t.source = std::string(file_name) + ":" + std::to_string(r.line);
    const Plan* plan = find_plan(plans, t.plan);
    if (plan == nullptr) errors.add(r.line, "plan", "unknown plan '" + t.plan + "'");
    if (t.no.empty()) errors.add(r.line, "no", "empty task number");
    if (!seen.insert({t.plan, t.no}).second) errors.add(r.line, "no", "duplicate task number '" + t.no + "'");
    if (t.text.empty()) errors.add(r.line, "task", "empty task text");
    std::optional<std::vector<std::string>> lead = split_list(r["lead_units"]);
    std::optional<std::vector<std::string>> resp = split_list(r["responsible_units"]);
    if (!lead) errors.add(r.line, "lead_units", "empty unit name in '" + r["lead_units"] + "'");
    if (!resp) errors.add(r.line, "responsible_units", "empty unit name in '" + r["responsible_units"] + "'");
    if (lead && resp) {
      t.lead_units = std::move(*lead);
      t.responsible_units = std::move(*resp);
      if (t.lead_units.empty() && t.responsible_units.empty()) {
        errors.add(r.line, "lead_units",
                   "task has no owner (lead_units and responsible_units are both empty)");
      }
    }
    if (!t.deadline_text.empty() && plan != nullptr) {
      StatusOr<Deadline> d = parse_deadline(t.deadline_text, plan->year);
      if (d.ok()) {
        t.deadline = *d;
      } else {
        errors.add(r.line, "deadline", d.status().message());
      }
    }
    if (std::optional<std::vector<std::string>> qs = split_list(r["quantity"])) {
      for (const std::string& qt : *qs) {
        StatusOr<Quantity> q = parse_quantity(qt);
        if (q.ok()) {
          t.quantities.push_back(*q);
        } else {
          errors.add(r.line, "quantity", q.status().message());
        }
      }
    } else {
      errors.add(r.line, "quantity", "empty item in '" + r["quantity"] + "'");
    }
    tasks.push_back(std::move(t));
  }
  if (!errors.empty()) return errors.status();
  return tasks;
}

StatusOr<std::vector<Target>> parse_targets_csv(std::string_view text, std::string_view file_name,
                                                const std::vector<Plan>& plans) {
  Errors errors(file_name);
  std::vector<Row> rows = read_table(text, kTargetColumns, kTargetOptional, errors);
  std::vector<Target> targets;
  for (const Row& r : rows) {
    Target t;
    t.plan = r["plan"];
    t.label = r["label"];
    t.scope = r["scope"];
    t.unit = r["unit"];
    t.period_text = r["period"];
    t.owner = r["owner"];
    t.note = r["note"];
    t.source = std::string(file_name) + ":" + std::to_string(r.line);
    const Plan* plan = find_plan(plans, t.plan);
    if (plan == nullptr) errors.add(r.line, "plan", "unknown plan '" + t.plan + "'");
    std::optional<Indicator> ind = indicator_from_name(r["indicator"]);
    if (!ind) {
      errors.add(r.line, "indicator", "unknown indicator '" + r["indicator"] + "'");
    } else {
      t.indicator = *ind;
      const UnitInfo* u = find_unit(t.unit);
      if (u == nullptr) {
        errors.add(r.line, "unit", "unknown unit '" + t.unit + "'");
      } else if (u->base != info_of(*ind).unit || u->pow10 != 0) {
        errors.add(r.line, "unit",
                   "unit '" + t.unit + "' does not fit " + std::string(info_of(*ind).name) + " (expects " +
                       std::string(info_of(*ind).unit) + ")");
      } else {
        t.unit = std::string(u->base);
      }
    }
    std::string_view cmp = r["comparison"];
    std::optional<Bound> b = eat_bound(cmp);
    if (!b || !cmp.empty()) {
      errors.add(r.line, "comparison",
                 "unknown comparison '" + r["comparison"] + "' (expected <=, >=, <, >, =)");
    } else {
      t.bound = *b;
    }
    const std::string& v = r["value"];
    if (v.empty()) {
      if (t.note.empty()) errors.add(r.line, "value", "no value and no note saying where it is set");
    } else if (ind == Indicator::kSectionClass) {
      if (std::optional<int32_t> c = section_class_ordinal(v)) {
        t.value = Decimal::of_int(*c);
      } else {
        errors.add(r.line, "value", "unknown water class '" + v + "' (expected I, II, III, IV, V, 劣V)");
      }
    } else if (std::optional<Decimal> d = parse_decimal(v)) {
      t.value = *d;
    } else {
      errors.add(r.line, "value", "not a number: '" + v + "'");
    }
    if (plan != nullptr) {
      StatusOr<Deadline> p = parse_deadline(t.period_text, plan->year);
      if (!p.ok()) {
        errors.add(r.line, "period", p.status().message());
      } else if (p->kind != DeadlineKind::kRange || !p->start || !p->due) {
        errors.add(r.line, "period", "'" + t.period_text + "' names no range of days");
      } else {
        t.period = DayRange{*p->start, *p->due};
      }
    }
    if (t.owner.empty()) errors.add(r.line, "owner", "target has no owner");
    targets.push_back(std::move(t));
  }
  if (!errors.empty()) return errors.status();
  return targets;
}

StatusOr<LedgerData> load_ledger_dir(const std::filesystem::path& dir) {
  constexpr std::string_view kPlans = "plans.csv", kTargets = "targets.csv";
  constexpr std::array<std::string_view, 2> kTaskSuffixes = {".tasks.csv", ".projects.csv"};
  LedgerData data;
  StatusOr<std::string> plans_text = read_file(dir / kPlans);
  if (!plans_text.ok()) return plans_text.status();
  StatusOr<std::vector<Plan>> plans = parse_plans_csv(*plans_text, kPlans);
  if (!plans.ok()) return plans.status();
  data.plans = std::move(*plans);

  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  if (ec) return not_found("cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<std::string> problems;
  std::set<std::pair<std::string, std::string>> numbers;
  for (const std::filesystem::path& p : files) {
    std::string name = p.filename().string();
    if (name == kPlans) continue;
    StatusOr<std::string> text = read_file(p);
    if (!text.ok()) {
      problems.push_back(text.status().message());
      continue;
    }
    if (name == kTargets) {
      StatusOr<std::vector<Target>> t = parse_targets_csv(*text, name, data.plans);
      if (t.ok()) {
        data.targets = std::move(*t);
      } else {
        problems.push_back(t.status().message());
      }
      continue;
    }
    bool is_tasks = std::any_of(kTaskSuffixes.begin(), kTaskSuffixes.end(), [&](std::string_view s) {
      return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    });
    if (!is_tasks) {
      problems.push_back(name +
                         ": unknown file (expected plans.csv, targets.csv, *.tasks.csv, *.projects.csv)");
      continue;
    }
    StatusOr<std::vector<Task>> t = parse_tasks_csv(*text, name, data.plans);
    if (!t.ok()) {
      problems.push_back(t.status().message());
      continue;
    }
    for (const Task& task : *t) {
      if (!numbers.insert({task.plan, task.no}).second) {
        problems.push_back(task.source + " [no]: task number '" + task.no + "' of plan '" + task.plan +
                           "' already used in another file");
      }
    }
    for (Task& task : *t) data.tasks.push_back(std::move(task));
  }
  if (!problems.empty()) {
    std::string m;
    for (const std::string& s : problems) m += (m.empty() ? "" : "\n") + s;
    return invalid_argument(m);
  }
  return data;
}

}  // namespace ecomon
