// Renders the ledger's typed results for people and programs: the tables of `ecomon ledger ...` (aligned text
// or CSV) and their JSON, which is also the HTTP API's body (/api/ledger/...). One place, so the CLI's
// `--format json` and the API never drift apart.
//
//   LedgerTable t = tasks_table(records, as_of, /*for_text=*/true);
//   std::cout << t.render("table");            // or "csv"; t.objects is the JSON array
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/tracking.h"

namespace ecomon {

// A table as an aligned table, CSV (header: the JSON keys) or JSON (an array of objects keyed by `keys`).
struct LedgerTable {
  std::vector<std::string> header, keys;
  std::vector<std::vector<std::string>> rows;
  nlohmann::json objects = nlohmann::json::array();
  void add(std::vector<std::string> cells, nlohmann::json object);
  // "json": the objects (indented); "csv": keys then rows; else the aligned table under `title` (if any).
  std::string render(const std::string& format, const std::string& title = "") const;
};

// `ledger tasks`: one row per task as of the date; `for_text` shortens the task text for the aligned table.
LedgerTable tasks_table(const std::vector<TaskRecord>& records, CivilDay as_of, bool for_text);
// `ledger show --format json`, GET /api/ledger/tasks/{plan}/{no}.
nlohmann::json task_detail_json(const TaskRecord& r, const std::vector<HistoryEntry>& hist, CivilDay as_of);
// `ledger show` as text (stored text that is not UTF-8 shown as \xHH).
std::string task_detail_text(const TaskRecord& r, const std::vector<HistoryEntry>& hist, CivilDay as_of);
// "120/757辆 (15.9%)": the progress of each quantity.
std::string share_text(const TaskView& v);
// `ledger report overdue|scorecard`.
LedgerTable overdue_table(const std::vector<OverdueRow>& rows, bool for_text);
LedgerTable scorecard_table(const std::vector<ScoreRow>& rows);
// `ledger import`: the counts as JSON and as text.
nlohmann::json import_json(const LedgerImportResult& r);
std::string import_text(const LedgerImportResult& r);

}  // namespace ecomon
