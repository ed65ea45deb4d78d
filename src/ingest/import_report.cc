#include "ingest/import_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace ecomon {

std::string ImportIssue::where() const {
  std::string w = file;
  if (line > 0) w += ":" + std::to_string(line);
  if (!field.empty()) w += " [" + field + "]";
  return w;
}

void ImportReport::add(ImportIssue issue) {
  int64_t& n = issue_counts[issue.kind];
  ++n;
  if (static_cast<size_t>(n) <= kMaxListedPerKind) issues.push_back(std::move(issue));
}

void ImportReport::absorb(const ImportReport& o) {
  files += o.files;
  files_rejected += o.files_rejected;
  bytes += o.bytes;
  rows += o.rows;
  rows_rejected += o.rows_rejected;
  values += o.values;
  cells_rejected += o.cells_rejected;
  values_repeated += o.values_repeated;
  values_conflicting += o.values_conflicting;
  values_republished += o.values_republished;
  values_republished_before += o.values_republished_before;
  values_closed_month += o.values_closed_month;
  stations_listed += o.stations_listed;
  merge.values_new += o.merge.values_new;
  merge.values_same += o.merge.values_same;
  merge.values_conflicting += o.merge.values_conflicting;
  merge.blocks_written += o.merge.blocks_written;
  seconds += o.seconds;
  for (const ImportIssue& i : o.issues) add(i);
  // add() counted the listed ones; the rest only by number.
  for (const auto& [kind, n] : o.issue_counts) {
    int64_t listed = 0;
    for (const ImportIssue& i : o.issues) listed += i.kind == kind ? 1 : 0;
    issue_counts[kind] += n - listed;
  }
}

int64_t ImportReport::issue_total() const {
  int64_t t = 0;
  for (const auto& [k, n] : issue_counts) t += n;
  return t;
}

std::string ImportReport::summary() const {
  std::string s = fmt::format(
      "files read: {} ({} rejected), {:.1f} MB in {:.2f} s\n"
      "rows: {} ({} rejected), values: {} accepted ({} repeated, {} conflicting within the import), {} cells "
      "rejected\n"
      "store: {} new values, {} already stored, {} conflicting (stored values kept), {} blocks written\n",
      files, files_rejected, static_cast<double>(bytes) / 1e6, seconds, rows, rows_rejected, values,
      values_repeated, values_conflicting, cells_rejected, merge.values_new, merge.values_same,
      merge.values_conflicting, merge.blocks_written);
  if (stations_listed > 0) s += fmt::format("stations in the station list: {}\n", stations_listed);
  if (values_republished + values_republished_before > 0) {
    s += fmt::format("republished: {} values recorded as new versions, {} recorded before\n",
                     values_republished, values_republished_before);
  }
  if (values_closed_month > 0)
    s += fmt::format("closed months: {} new values refused (audit reopen first)\n", values_closed_month);
  if (issue_counts.empty()) return s + "problems: none\n";
  s += fmt::format("problems: {}\n", issue_total());
  for (const auto& [kind, n] : issue_counts) s += fmt::format("  {:<18} {}\n", kind, n);
  for (const ImportIssue& i : issues) {
    // A file name or message may quote bytes that are not UTF-8: shown as \xHH, never passed on raw.
    s +=
        fmt::format("  {}: {}: {}\n", i.kind, escape_invalid_utf8(i.where()), escape_invalid_utf8(i.message));
  }
  for (const auto& [kind, n] : issue_counts) {
    if (static_cast<size_t>(n) > kMaxListedPerKind) {
      s += fmt::format("  ({} more {} not listed)\n", static_cast<size_t>(n) - kMaxListedPerKind, kind);
    }
  }
  return s;
}

nlohmann::json to_json(const ImportReport& r) {
  nlohmann::json issues = nlohmann::json::array();
  for (const ImportIssue& i : r.issues) {
    issues.push_back(
        {{"kind", i.kind}, {"file", i.file}, {"line", i.line}, {"field", i.field}, {"message", i.message}});
  }
  return {{"files", r.files},
          {"files_rejected", r.files_rejected},
          {"bytes", r.bytes},
          {"rows", r.rows},
          {"rows_rejected", r.rows_rejected},
          {"values", r.values},
          {"cells_rejected", r.cells_rejected},
          {"values_repeated", r.values_repeated},
          {"values_conflicting", r.values_conflicting},
          {"values_republished", r.values_republished},
          {"values_republished_before", r.values_republished_before},
          {"values_closed_month", r.values_closed_month},
          {"stations_listed", r.stations_listed},
          {"store",
           {{"values_new", r.merge.values_new},
            {"values_same", r.merge.values_same},
            {"values_conflicting", r.merge.values_conflicting},
            {"blocks_written", r.merge.blocks_written}}},
          {"issue_counts", r.issue_counts},
          {"issues", issues},
          {"seconds", r.seconds}};
}

}  // namespace ecomon
