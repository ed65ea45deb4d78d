// The year's 大事记 (chronicle of events) of the annual bulletin: what the city finished and declared, dated.
// Built from typed records only — the ledger's tasks whose status became 完成 (done) or 销号 (closed) within
// the year (completed_milestones), and the heavy-pollution warnings declared, changed or lifted (made by
// app/bulletin.cc from the emergency history). Pure.
//
//   auto entries = completed_milestones(tasks, DayRange::year(2025));
//   // {2025-05-10, "ledger", "淘汰燃煤锅炉（air-2021/14，完成）", "air-2021/14"}
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "ledger/tracking.h"

namespace ecomon {

struct ChronicleEntry {
  CivilDay day;
  std::string source;  // "ledger" or "emergency"
  std::string text;    // the entry as printed, without the date
  std::string ref;     // the task id, or the warning's id
};

// One entry per task whose first change to 完成 or 销号 in `range` falls on that day (a task reopened and
// done again in the range counts once, at its first completion in it). The text is
// "<what>（<id>，完成|销号）" where <what> is the task's title, else its text, without a final "。", cut to
// 40 characters (UTF-8 safe, "…" appended).
std::vector<ChronicleEntry> completed_milestones(std::span<const TaskRecord> tasks, DayRange range);

// The entries sorted by day (stable: same-day entries keep their order).
void sort_chronicle(std::vector<ChronicleEntry>& entries);

}  // namespace ecomon
