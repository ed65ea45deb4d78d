#include "ledger/chronicle.h"

#include <algorithm>

namespace ecomon {
namespace {

constexpr size_t kMaxChars = 40;

// The first `n` characters of UTF-8 text (continuation bytes never start a character), "…" when cut.
std::string first_chars(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0U) == 0x80U) continue;
    if (chars == n) return s.substr(0, i) + "…";
    ++chars;
  }
  return s;
}

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
      out.push_back(
          {c.day, "ledger",
           first_chars(what, kMaxChars) + "（" + t.id + "，" + std::string(task_status_chinese(c.to)) + "）",
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
