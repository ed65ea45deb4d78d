// The emergency list's CSV templates (emergency/list_templates.h) and the forecast template, from their texts
// to checked, typed rows: every problem kept as file:line [field] (the first 20 of each kind listed). Pure:
// texts in (through a loader), values out; reading files is ingest/emergency_csv.h's, storing app's.
//
//   emergency::ParsedList p;
//   emergency::ListReport report;
//   Status s = emergency::parse_list(loader, actor, {}, p, report);   // enterprises, lines, measures
//   if (report.issue_total() > 0) ...                                  // nothing is to be written
//
// Checks: names, units, numbers, references (a line's enterprise, a measure's line, an inspection's entry on
// the list or in this import), each entry against validate_enterprise, and the caller's right
// (may_write_county of the entry's county). Emissions are integer grams per day.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/list_templates.h"
#include "emergency/registry.h"
#include "emergency/warning.h"

namespace ecomon::emergency {

inline constexpr uintmax_t kMaxTemplateBytes = uintmax_t{64}
                                               << 20;  // a list of thousands of entries: a few MB

struct ListIssue {
  std::string kind;  // "bad_number", "unknown_enterprise", "permission_denied", ...
  std::string file;
  int64_t line = 0;   // 1-based; 0 = the file as a whole
  std::string field;  // the column, or "" for a whole row
  std::string message;
  std::string where() const;  // "file:line [field]"
};

// What reading templates found: counts, and the problems (each kind counted, the first 20 listed).
struct ListReport {
  static constexpr size_t kMaxListedPerKind = 20;
  int64_t files = 0;
  int64_t files_rejected = 0;
  int64_t bytes = 0;
  int64_t rows = 0;
  int64_t rows_rejected = 0;
  std::map<std::string, int64_t> issue_counts;
  std::vector<ListIssue> issues;
  void add(ListIssue issue);
  int64_t issue_total() const;
};

// A template's text as read: absent, too large to read (reported, not an error) or its content.
struct TemplateText {
  bool present = false;
  bool too_large = false;
  std::string content;
};
// Where the templates' texts come from (a directory's files, an API request's texts).
using TemplateLoader = std::function<StatusOr<TemplateText>(EmergencyTemplate)>;

struct ParsedList {
  std::vector<Enterprise> enterprises;             // in file order
  std::map<std::string, int64_t> enterprise_line;  // id -> line in enterprises.csv
  std::vector<Inspection> inspections;
};

// Reads enterprises.csv, lines.csv and measures.csv (those the loader has) into `out.enterprises` as `actor`
// would write them. Fails (Status) only when the loader does.
Status parse_list(const TemplateLoader& load, const Actor& actor, const ListRules& rules, ParsedList& out,
                  ListReport& report);
// Reads inspections.csv into `out.inspections`: each for an entry of `stored` or of `out.enterprises`, in a
// county `actor` may write.
void parse_inspections(const TemplateText& text, const Actor& actor, const ReductionList& stored,
                       ParsedList& out, ListReport& report);
// A forecast (date,aqi; YYYY-MM-DD; consecutive days). Any problem: kInvalidArgument listing them.
StatusOr<std::vector<ForecastDay>> parse_forecast(const std::string& file, const TemplateText& text);

// Entries from the templates' texts (an API request's what-if; absent templates are left out), named in the
// report by their template file names.
StatusOr<std::vector<Enterprise>> read_list_texts(const std::map<EmergencyTemplate, std::string>& texts,
                                                  const ListRules& rules, ListReport* report);

}  // namespace ecomon::emergency
