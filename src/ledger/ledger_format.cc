#include "ledger/ledger_format.h"

#include <fmt/format.h>

#include "core/json_text.h"
#include "core/text_table.h"
#include "core/utf8.h"

namespace ecomon {
namespace {

using nlohmann::json;

constexpr size_t kTextColumnBytes = 60;

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
  return s;
}

std::string due_text(const Task& t) {
  return t.deadline && t.deadline->due ? t.deadline->due->to_string() : "-";
}

std::string pace_text(const TaskView& v) { return !v.on_pace ? "" : *v.on_pace ? "是" : "否"; }

std::string percent_text(const Rational& share) {
  return round_half_even(Rational{share.num * 100, share.den}, 1).to_string();
}

// {"period", "times", "within_days", "from": "deadline"|"text"}, null when the task does not recur.
json recurrence_json(const TaskView& v) {
  if (!v.recurrence) return json();
  return {{"period", recurrence_period_name(v.recurrence->period)},
          {"times", v.recurrence->times},
          {"within_days", v.recurrence->within_days},
          {"from", v.recurrence_from_text ? "text" : "deadline"}};
}

json progress_json(const TaskView& v) {
  json a = json::array();
  for (const QuantityProgress& p : v.progress) {
    a.push_back({{"quantity", quantity_text(p.quantity)},
                 {"unit", p.quantity.unit},
                 {"target", p.quantity.value.to_string()},
                 {"done", p.done.to_string()},
                 {"share_percent", round_half_even(Rational{p.share.num * 100, p.share.den}, 1).to_double()},
                 {"pace_start", p.pace_start ? json(p.pace_start->to_string()) : json()},
                 {"projected", p.projected ? json(round_half_even(*p.projected, 1).to_string()) : json()},
                 {"on_pace", p.on_pace ? json(*p.on_pace) : json()}});
  }
  return a;
}

}  // namespace

void LedgerTable::add(std::vector<std::string> cells, json object) {
  rows.push_back(std::move(cells));
  objects.push_back(std::move(object));
}

std::string LedgerTable::render(const std::string& format, const std::string& title) const {
  if (format == "json") return json_text(objects, 2) + "\n";
  std::string out;
  if (format == "csv") {
    out = csv_row(keys);
    for (const auto& r : rows) out += csv_row(r);
    return out;
  }
  TextTable t(header);
  for (const auto& r : rows) t.add(r);
  if (!title.empty()) out = title + "\n";
  return out + t.render();
}

std::string share_text(const TaskView& v) {
  std::string s;
  for (const QuantityProgress& p : v.progress) {
    s += (s.empty() ? "" : " ") + p.done.to_string() + "/" + p.quantity.value.to_string() + p.quantity.unit +
         " (" + percent_text(p.share) + "%)";
  }
  return s;
}

LedgerTable tasks_table(const std::vector<TaskRecord>& records, CivilDay as_of, bool for_text) {
  LedgerTable o;
  o.header = {"任务", "内容", "牵头单位", "完成时限", "截止", "状态", "逾期", "进度", "进度达标"};
  o.keys = {"id", "text", "lead_units", "deadline", "due", "status", "overdue", "progress", "on_pace"};
  for (const TaskRecord& r : records) {
    const Task& task = r.task;
    TaskView v = view_task(r, as_of);
    std::string status(task_status_chinese(v.status));
    o.add({r.id, for_text ? truncate_utf8(task.text, kTextColumnBytes) : task.text, joined(task.lead_units),
           task.deadline_text, due_text(task), status, v.overdue ? "是" : "", share_text(v), pace_text(v)},
          {{"id", r.id},
           {"plan", task.plan},
           {"no", task.no},
           {"text", task.text},
           {"lead_units", task.lead_units},
           {"responsible_units", task.responsible_units},
           {"deadline", task.deadline_text},
           {"due", due_text(task)},
           {"status", task_status_code(v.status)},
           {"overdue", v.overdue},
           {"recurrence", recurrence_json(v)},
           {"progress", progress_json(v)},
           {"on_pace", v.on_pace ? json(*v.on_pace) : json()},
           {"source", task.source}});
  }
  return o;
}

json task_detail_json(const TaskRecord& r, const std::vector<HistoryEntry>& hist, CivilDay as_of) {
  const Task& t = r.task;
  TaskView v = view_task(r, as_of);
  json j = {{"id", r.id},
            {"plan", t.plan},
            {"no", t.no},
            {"category", t.category},
            {"text", t.text},
            {"lead_units", t.lead_units},
            {"responsible_units", t.responsible_units},
            {"deadline", t.deadline_text},
            {"due", due_text(t)},
            {"as_of", as_of.to_string()},
            {"status", task_status_code(v.status)},
            {"overdue", v.overdue},
            {"recurrence", recurrence_json(v)},
            {"progress", progress_json(v)},
            {"on_pace", v.on_pace ? json(*v.on_pace) : json()}};
  json sc = json::array(), pr = json::array(), pb = json::array(), ev = json::array(), h = json::array();
  for (const StatusChange& c : r.status_changes)
    sc.push_back({{"day", c.day.to_string()},
                  {"from", task_status_code(c.from)},
                  {"to", task_status_code(c.to)},
                  {"note", c.note},
                  {"by", c.change.operator_name},
                  {"user", c.change.user},
                  {"at", c.change.at}});
  for (const ProgressReport& p : r.progress)
    pr.push_back({{"day", p.day.to_string()},
                  {"quantity", quantity_text(t.quantities[static_cast<size_t>(p.quantity)])},
                  {"amount", p.amount.to_string()},
                  {"county", p.county},
                  {"note", p.note},
                  {"by", p.change.operator_name},
                  {"at", p.change.at}});
  for (const Problem& p : r.problems)
    pb.push_back({{"id", p.id},
                  {"problem", p.problem},
                  {"responsibility", p.responsibility},
                  {"measure", p.measure},
                  {"deadline", p.deadline_text},
                  {"due", p.due ? json(p.due->to_string()) : json()},
                  {"county", p.county},
                  {"by", p.change.operator_name},
                  {"at", p.change.at}});
  for (const Evidence& e : r.evidence)
    ev.push_back({{"id", e.id},
                  {"note", e.note},
                  {"file_name", e.file_name},
                  {"size", e.size},
                  {"sha256", e.sha256},
                  {"county", e.county},
                  {"by", e.change.operator_name},
                  {"at", e.change.at}});
  for (const HistoryEntry& e : hist)
    h.push_back({{"action", e.action},
                 {"detail", e.detail},
                 {"by", e.change.operator_name},
                 {"user", e.change.user},
                 {"role", e.change.role},
                 {"at", e.change.at}});
  j["status_history"] = sc;
  j["progress_reports"] = pr;
  j["problems"] = pb;
  j["evidence"] = ev;
  j["history"] = h;
  return j;
}

std::string task_detail_text(const TaskRecord& r, const std::vector<HistoryEntry>& hist, CivilDay as_of) {
  const Task& t = r.task;
  TaskView v = view_task(r, as_of);
  auto who = [](const WriteStamp& c) { return c.operator_name + " (" + c.user + ", " + c.role + ")"; };
  std::string out;
  const auto print = [&out](const std::string& text) { out += escape_invalid_utf8(text); };
  print(fmt::format("{}  {}\n{}\n牵头单位: {}\n责任单位: {}\n完成时限: {} (截止 {})\n", r.id, t.category,
                    t.text, joined(t.lead_units), joined(t.responsible_units), t.deadline_text, due_text(t)));
  print(fmt::format("截至 {}: {}{}\n", as_of.to_string(), task_status_chinese(v.status),
                    v.overdue ? " 逾期" : ""));
  for (const QuantityProgress& p : v.progress) {
    print(fmt::format("进度 {}: {} / {} {} ({}%){}\n", quantity_text(p.quantity), p.done.to_string(),
                      p.quantity.value.to_string(), p.quantity.unit, percent_text(p.share),
                      !p.on_pace   ? ""
                      : *p.on_pace ? " 按进度可完成"
                                   : " 进度滞后"));
  }
  for (const Problem& p : r.problems)
    print(fmt::format("问题 #{}: {} | 责任: {} | 措施: {} | 时限: {}\n", p.id, p.problem, p.responsibility,
                      p.measure, p.deadline_text));
  for (const Evidence& e : r.evidence)
    print(fmt::format("佐证 #{}: {} {}{}\n", e.id, e.note, e.file_name,
                      e.file_name.empty() ? "" : fmt::format(" ({} bytes, sha256 {})", e.size, e.sha256)));
  if (!hist.empty()) {
    TextTable h({"时间", "操作", "内容", "操作人"});
    for (const HistoryEntry& e : hist) h.add({e.change.at, e.action, e.detail, who(e.change)});
    out += h.render();
  }
  return out;
}

LedgerTable overdue_table(const std::vector<OverdueRow>& rows, bool for_text) {
  LedgerTable out;
  out.header = {"责任单位", "任务", "内容", "截止", "逾期天数", "状态"};
  out.keys = {"unit", "task", "text", "due", "days_late", "status"};
  for (const OverdueRow& r : rows) {
    out.add({r.unit, r.task_id, for_text ? truncate_utf8(r.text, kTextColumnBytes) : r.text,
             r.due.to_string(), std::to_string(r.days_late), std::string(task_status_chinese(r.status))},
            {{"unit", r.unit},
             {"task", r.task_id},
             {"text", r.text},
             {"due", r.due.to_string()},
             {"days_late", r.days_late},
             {"status", task_status_code(r.status)}});
  }
  return out;
}

LedgerTable scorecard_table(const std::vector<ScoreRow>& rows) {
  LedgerTable out;
  out.header = {"单位", "任务", "未开始", "进行中", "完成", "销号", "逾期", "有量化", "进度达标", "进度滞后"};
  out.keys = {"unit",   "total",   "not_started",   "in_progress", "done",
              "closed", "overdue", "with_quantity", "on_pace",     "behind_pace"};
  for (const ScoreRow& r : rows) {
    std::vector<int32_t> n = {r.total,   r.not_started,   r.in_progress, r.done,       r.closed,
                              r.overdue, r.with_quantity, r.on_pace,     r.behind_pace};
    std::vector<std::string> cells = {r.unit};
    json j = {{"unit", r.unit}};
    for (size_t i = 0; i < n.size(); ++i) {
      cells.push_back(std::to_string(n[i]));
      j[out.keys[i + 1]] = n[i];
    }
    out.add(std::move(cells), std::move(j));
  }
  return out;
}

json import_json(const LedgerImportResult& r) {
  return json{
      {"plans", {{"new", r.plans_new}, {"changed", r.plans_changed}, {"same", r.plans_same}}},
      {"tasks",
       {{"new", r.tasks_new},
        {"changed", r.tasks_changed},
        {"same", r.tasks_same},
        {"not_in_files", r.tasks_not_in_files}}},
      {"targets", {{"new", r.targets_new}, {"changed", r.targets_changed}, {"same", r.targets_same}}}};
}

std::string import_text(const LedgerImportResult& r) {
  return fmt::format(
      "plans: {} new, {} changed, {} same\ntasks: {} new, {} changed, {} same{}\n"
      "targets: {} new, {} changed, {} same\n",
      r.plans_new, r.plans_changed, r.plans_same, r.tasks_new, r.tasks_changed, r.tasks_same,
      r.tasks_not_in_files ? fmt::format(" ({} stored tasks no longer listed, kept)", r.tasks_not_in_files)
                           : "",
      r.targets_new, r.targets_changed, r.targets_same);
}

}  // namespace ecomon
