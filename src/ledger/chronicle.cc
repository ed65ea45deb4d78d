#include "ledger/chronicle.h"

#include <algorithm>

#include "core/text_table.h"

namespace ecomon {
namespace {

constexpr size_t kMaxBytes = 120;  // 40 characters of Chinese text

}  // namespace

std::vector<ChronicleEntry> completed_milestones(std::span<const TaskRecord> tasks, DayRange range) {
  std::vector<ChronicleEntry> out;
  for (const TaskRecord& t : tasks) {
    for (const StatusChange& c : t.status_changes) {
      if ((c.to != TaskStatus::kDone && c.to != TaskStatus::kClosed) || !range.contains(c.day)) continue;
      std::string what = t.task.title.empty() ? t.task.text : t.task.title;
      const std::string stop = "。";
      while (what.size() >= stop.size() && what.compare(what.size() - stop.size(), stop.size(), stop) == 0)
        what.resize(what.size() - stop.size());
      out.push_back({c.day, "ledger",
                     truncate_utf8(what, kMaxBytes) + "（" + t.id + "，" +
                         std::string(task_status_chinese(c.to)) + "）",
                     t.id});
      break;
    }
  }
  sort_chronicle(out);
  return out;
}

void sort_chronicle(std::vector<ChronicleEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const ChronicleEntry& a, const ChronicleEntry& b) { return a.day < b.day; });
}

}  // namespace ecomon
