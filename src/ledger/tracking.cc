#include "ledger/tracking.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <set>

namespace ecomon {
namespace {

struct StatusInfo {
  TaskStatus status;
  std::string_view code;
  std::string_view chinese;
};
constexpr std::array<StatusInfo, 4> kStatuses = {{
    {TaskStatus::kNotStarted, "not-started", "未开始"},
    {TaskStatus::kInProgress, "in-progress", "进行中"},
    {TaskStatus::kDone, "done", "完成"},
    {TaskStatus::kClosed, "closed", "销号"},
}};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Units that state a level or a rate, not an amount of work that reports add up to.
constexpr std::array<std::string_view, 7> kLevelUnits = {"%",  "µg/m³", "mg/L", "吨/月·平方公里",
                                                         "级", "位",    "类"};

bool is_work(const Quantity& q) {
  if (q.bound == Bound::kAtMost || q.bound == Bound::kLessThan) return false;
  return std::find(kLevelUnits.begin(), kLevelUnits.end(), q.unit) == kLevelUnits.end();
}

Rational reduce(int128 num, int128 den) {
  if (den < 0) num = -num, den = -den;
  int128 a = num < 0 ? -num : num, b = den;
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  if (a > 1) num /= a, den /= a;
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

Rational add(const Rational& x, const Rational& y) {
  return reduce(static_cast<int128>(x.num) * y.den + static_cast<int128>(y.num) * x.den,
                static_cast<int128>(x.den) * y.den);
}

// Back from a sum of decimals to a decimal: the largest scale of the parts is exact.
Decimal to_decimal(const Rational& r, int scale) { return round_half_even(r, scale); }

bool all_units(const Task& t, auto&& pred) {
  for (const auto* list : {&t.lead_units, &t.responsible_units})
    for (const std::string& u : *list)
      if (pred(u)) return true;
  return false;
}

}  // namespace

std::string_view task_status_code(TaskStatus s) { return kStatuses[static_cast<size_t>(s)].code; }
std::string_view task_status_chinese(TaskStatus s) { return kStatuses[static_cast<size_t>(s)].chinese; }

std::optional<TaskStatus> parse_task_status(std::string_view text) {
  for (const StatusInfo& i : kStatuses)
    if (i.code == text || i.chinese == text) return i.status;
  return std::nullopt;
}

Status check_transition(TaskStatus from, TaskStatus to) {
  using enum TaskStatus;
  bool ok = (from == kNotStarted && (to == kInProgress || to == kDone)) ||
            (from == kInProgress && to == kDone) || (from == kDone && (to == kClosed || to == kInProgress));
  if (ok) return Status();
  std::string why = from == to          ? "it already is"
                    : from == kClosed   ? "销号 is final"
                    : to == kClosed     ? "only a 完成 (done) task can be closed (销号)"
                    : to == kNotStarted ? "a task cannot go back to 未开始"
                                        : "not an allowed transition";
  return failed_precondition("status " + std::string(task_status_chinese(from)) + " → " +
                             std::string(task_status_chinese(to)) + " refused: " + why);
}

bool unit_of_county(std::string_view unit, std::string_view county) {
  return !county.empty() && starts_with(unit, county);
}

std::optional<std::string> county_government(std::string_view unit) {
  std::string_view name = unit;
  if (ends_with(name, "人民政府")) {
    name.remove_suffix(std::string_view("人民政府").size());
  } else if (ends_with(name, "政府")) {
    name.remove_suffix(std::string_view("政府").size());
  } else {
    return std::nullopt;
  }
  if (unit == kEveryCounty || starts_with(name, "市")) return std::nullopt;
  // At least one character before the 县/区/市 (each 3 bytes in UTF-8).
  constexpr size_t kCharBytes = 3;
  if (name.size() < 2 * kCharBytes) return std::nullopt;
  if (ends_with(name, "县") || ends_with(name, "区") || ends_with(name, "市")) return std::string(name);
  return std::nullopt;
}

Status check_import(const Actor& actor) {
  if (actor.is_bureau()) return Status();
  return permission_denied("user '" + actor.user + "' (" + std::string(role_name(actor.role)) +
                           ") may not import plans: only admin and analyst users may");
}

std::string report_county(const Actor& actor) { return actor.role == Role::kCounty ? actor.county : ""; }

Status check_task_write(const Actor& actor, const Task& task, std::string_view id, TaskWrite write) {
  std::string who = "user '" + actor.user + "' (" + std::string(role_name(actor.role)) + ")";
  if (actor.is_bureau()) return Status();
  if (actor.role != Role::kCounty)
    return permission_denied(who + " may not change task " + std::string(id) + ": read only");
  if (write == TaskWrite::kClose)
    return permission_denied(who + " may not close (销号) task " + std::string(id) +
                             ": only the bureau closes tasks");
  if (actor.county.empty()) return permission_denied(who + " has no county");
  bool named = all_units(task, [&](const std::string& u) { return unit_of_county(u, actor.county); });
  if (named) return Status();
  bool shared = all_units(task, [](const std::string& u) { return u == kEveryCounty; });
  if (shared && write != TaskWrite::kStatus) return Status();
  if (shared)
    return permission_denied(who + " may not change the status of task " + std::string(id) +
                             ": it is every county's (" + std::string(kEveryCounty) +
                             "); report progress for " + actor.county + " instead");
  return permission_denied(who + " may not change task " + std::string(id) + ": none of its units is of " +
                           actor.county);
}

bool task_readable_by(const Actor& actor, const Task& task) {
  if (actor.is_bureau()) return true;
  if (actor.role != Role::kCounty || actor.county.empty()) return false;
  return all_units(
      task, [&](const std::string& u) { return u == kEveryCounty || unit_of_county(u, actor.county); });
}

std::string task_id(const Task& t) { return t.plan + "/" + t.no; }

std::string quantity_text(const Quantity& q) {
  std::string bound = q.bound == Bound::kExactly ? "" : std::string(bound_symbol(q.bound));
  return (q.label.empty() ? "" : q.label + ":") + bound + q.value.to_string() + " " + q.unit;
}

StatusOr<ProgressAmount> check_progress(const Task& task, std::string_view label, std::string_view amount) {
  std::string id = task_id(task);
  if (task.quantities.empty())
    return failed_precondition("task " + id + " has no quantity to report progress against");
  std::vector<int32_t> candidates;
  for (size_t i = 0; i < task.quantities.size(); ++i)
    if (label.empty() || task.quantities[i].label == label) candidates.push_back(static_cast<int32_t>(i));
  if (candidates.empty())
    return invalid_argument("task " + id + " has no quantity labelled '" + std::string(label) + "'");
  if (candidates.size() > 1) {
    std::string labels;
    for (const Quantity& q : task.quantities) labels += (labels.empty() ? "" : ", ") + quantity_text(q);
    return invalid_argument("task " + id + " has several quantities (" + labels +
                            "): say which with its label");
  }
  const Quantity& q = task.quantities[static_cast<size_t>(candidates[0])];
  if (!is_work(q))
    return failed_precondition("quantity '" + quantity_text(q) + "' of task " + id +
                               " is a level or a limit, not an amount of work: progress reports add amounts");
  std::string text(amount);
  bool bare = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos;
  StatusOr<Quantity> given = parse_quantity(bare ? text + " " + q.unit : text);
  if (!given.ok()) return invalid_argument("amount: " + given.status().message());
  if (!given->label.empty() || given->bound != Bound::kExactly)
    return invalid_argument("amount '" + text + "' must be a plain number with an optional unit");
  if (given->unit != q.unit)
    return invalid_argument("amount '" + text + "': unit '" + given->unit +
                            "' does not match the task's quantity unit '" + q.unit + "'");
  if (given->value.units <= 0) return invalid_argument("amount '" + text + "' must be more than 0");
  return ProgressAmount{candidates[0], given->value};
}

TaskStatus status_as_of(const std::vector<StatusChange>& changes, CivilDay day) {
  TaskStatus s = TaskStatus::kNotStarted;
  for (const StatusChange& c : changes)
    if (c.day <= day) s = c.to;
  return s;
}

TaskView view_task(const TaskRecord& r, CivilDay as_of) {
  TaskView v;
  v.status = status_as_of(r.status_changes, as_of);
  const std::optional<Deadline>& d = r.task.deadline;
  bool finished = v.status == TaskStatus::kDone || v.status == TaskStatus::kClosed;
  const bool issued = !r.plan_issued || as_of >= *r.plan_issued;  // nothing is overdue before the plan exists
  v.overdue = !finished && issued && d && is_overdue(*d, as_of);
  if (d && d->kind == DeadlineKind::kRecurring) {
    v.recurrence = d->recurrence;
  } else if (auto in_text = recurrence_in_text(r.task.text)) {
    v.recurrence = in_text;
    v.recurrence_from_text = true;
  }
  // A plain day and a flag rather than an optional: g++ 12 -O3 reports a false maybe-uninitialized on the
  // optional's payload below.
  const bool has_due =
      d && (d->kind == DeadlineKind::kDeadline || d->kind == DeadlineKind::kRange) && d->due.has_value();
  const CivilDay due = has_due ? *d->due : CivilDay{};
  for (size_t i = 0; i < r.task.quantities.size(); ++i) {
    const Quantity& q = r.task.quantities[i];
    if (!is_work(q)) continue;
    QuantityProgress p;
    p.quantity = q;
    Rational sum{0, 1};
    int scale = q.value.scale;
    std::optional<CivilDay> first_report;
    for (const ProgressReport& rep : r.progress) {
      if (rep.quantity != static_cast<int32_t>(i) || rep.day > as_of) continue;
      sum = add(sum, rep.amount.to_rational());
      scale = std::max(scale, rep.amount.scale);
      if (!first_report || rep.day < *first_report) first_report = rep.day;
    }
    p.done = to_decimal(sum, scale);
    Rational target = q.value.to_rational();
    p.share = target.num == 0 ? Rational{1, 1}
                              : reduce(static_cast<int128>(sum.num) * target.den,
                                       static_cast<int128>(sum.den) * target.num);
    p.pace_start = d && d->start ? d->start : r.plan_issued ? r.plan_issued : first_report;
    if (sum >= target) {
      p.on_pace = true;
    } else if (has_due && p.pace_start && *p.pace_start <= as_of) {
      if (as_of >= due) {
        p.on_pace = false;
        p.projected = sum;
      } else {
        int64_t elapsed = as_of - *p.pace_start + 1, remaining = due - as_of;
        p.projected = reduce(static_cast<int128>(sum.num) * (elapsed + remaining),
                             static_cast<int128>(sum.den) * elapsed);
        p.on_pace = *p.projected >= target;
      }
    }
    if (p.on_pace) v.on_pace = v.on_pace.value_or(true) && *p.on_pace;
    v.progress.push_back(std::move(p));
  }
  return v;
}

std::vector<std::string> task_groups(const Task& t, const std::vector<std::string>& counties) {
  std::vector<std::string> out;
  auto add_group = [&](const std::string& g) {
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  };
  for (const auto* list : {&t.lead_units, &t.responsible_units}) {
    for (const std::string& u : *list) {
      if (u == kEveryCounty) {
        for (const std::string& c : counties) add_group(c);
      } else if (auto c = county_government(u)) {
        add_group(*c);
      } else {
        add_group(u);
      }
    }
  }
  return out;
}

std::vector<std::string> ledger_counties(const std::vector<TaskRecord>& records) {
  std::set<std::string> s;
  for (const TaskRecord& r : records)
    for (const auto* list : {&r.task.lead_units, &r.task.responsible_units})
      for (const std::string& u : *list)
        if (auto c = county_government(u)) s.insert(*c);
  return {s.begin(), s.end()};
}

std::vector<OverdueRow> overdue_by_unit(const std::vector<TaskRecord>& records, CivilDay as_of,
                                        const std::vector<std::string>& counties) {
  std::vector<OverdueRow> rows;
  for (const TaskRecord& r : records) {
    TaskView v = view_task(r, as_of);
    if (!v.overdue) continue;
    for (const std::string& g : task_groups(r.task, counties))
      rows.push_back({g, r.id, r.task.text, *r.task.deadline->due, as_of - *r.task.deadline->due, v.status});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const OverdueRow& a, const OverdueRow& b) {
    if (a.unit != b.unit) return a.unit < b.unit;
    return a.days_late > b.days_late;
  });
  return rows;
}

std::vector<ScoreRow> scorecard(const std::vector<TaskRecord>& records, CivilDay as_of,
                                const std::vector<std::string>& counties) {
  std::map<std::string, ScoreRow> by;
  for (const TaskRecord& r : records) {
    TaskView v = view_task(r, as_of);
    for (const std::string& g : task_groups(r.task, counties)) {
      ScoreRow& s = by[g];
      s.unit = g;
      ++s.total;
      switch (v.status) {
        case TaskStatus::kNotStarted:
          ++s.not_started;
          break;
        case TaskStatus::kInProgress:
          ++s.in_progress;
          break;
        case TaskStatus::kDone:
          ++s.done;
          break;
        case TaskStatus::kClosed:
          ++s.closed;
          break;
      }
      if (v.overdue) ++s.overdue;
      if (!v.progress.empty()) ++s.with_quantity;
      if (v.on_pace) ++(*v.on_pace ? s.on_pace : s.behind_pace);
    }
  }
  std::vector<ScoreRow> out;
  for (auto& [k, row] : by) out.push_back(row);
  return out;
}

}  // namespace ecomon
