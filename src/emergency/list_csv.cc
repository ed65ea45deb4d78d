#include "emergency/list_csv.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/decimal.h"

namespace ecomon::emergency {
namespace {

namespace em = emergency;

constexpr size_t kMaxFieldBytes = 500;
constexpr size_t kMaxLinesPerEnterprise = 1000;
constexpr int kMaxPercent = 100;

constexpr const char* kPollutantColumns[] = {"so2", "nox", "pm", "vocs"};

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// A CSV file as rows of trimmed fields with their line numbers; the header checked.
struct CsvRow {
  int64_t line = 0;
  std::map<std::string, std::string> f;
  const std::string& operator[](const std::string& k) const { return f.at(k); }
};

// Rows of one template's text (`file` names it in the report).
std::vector<CsvRow> read_csv_text(const std::string& file, const std::string& content,
                                  const std::string& header, ListReport& report) {
  ++report.files;
  report.bytes += static_cast<int64_t>(content.size());
  std::istringstream in(content);
  std::vector<std::string> columns;
  std::vector<CsvRow> rows;
  std::string text;
  int64_t n = 0;
  std::vector<std::string> fields;
  while (std::getline(in, text)) {
    ++n;
    if (n == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // UTF-8 BOM
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (trim(text).empty() || text.starts_with("#")) continue;
    if (!split_csv_fields(text, fields)) {
      report.add({"bad_quote", file, n, "", "a quote is left open"});
      continue;
    }
    for (std::string& x : fields) x = trim(x);
    if (auto bad = find_non_utf8_cell(fields, columns)) {
      if (columns.empty()) {
        report.add({"bad_utf8", file, n, bad->column, "header: " + bad->message});
        ++report.files_rejected;
        return std::vector<CsvRow>{};
      }
      ++report.rows;
      ++report.rows_rejected;
      report.add({"bad_utf8", file, n, bad->column, bad->message});
      continue;
    }
    if (columns.empty()) {
      std::vector<std::string> want;
      split_csv_fields(header, want);
      if (fields != want) {
        report.add({"bad_header", file, n, "", "header must be '" + header + "'"});
        ++report.files_rejected;
        return std::vector<CsvRow>{};
      }
      columns = fields;
      continue;
    }
    ++report.rows;
    if (fields.size() != columns.size()) {
      report.add(
          {"bad_row", file, n, "",
           "has " + std::to_string(fields.size()) + " fields, the header " + std::to_string(columns.size())});
      ++report.rows_rejected;
      continue;
    }
    CsvRow r{n, {}};
    bool ok = true;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (fields[i].size() > kMaxFieldBytes) {
        report.add({"too_long", file, n, columns[i], "longer than 500 bytes"});
        ok = false;
      }
      r.f[columns[i]] = fields[i];
    }
    if (ok) {
      rows.push_back(std::move(r));
    } else {
      ++report.rows_rejected;
    }
  }
  if (columns.empty()) report.add({"bad_header", file, 0, "", "no header line '" + header + "'"});
  return rows;
}

// Rows of a template's text; a text too large is reported at `file`.
std::vector<CsvRow> read_template(const std::string& file, const TemplateText& t, const std::string& header,
                                  ListReport& report) {
  if (t.too_large) {
    report.add({"too_large", file, 0, "", "file is larger than 64 MiB"});
    return {};
  }
  return read_csv_text(file, t.content, header, report);
}

// One row being checked: problems go to the report at file:line [field].
struct RowCheck {
  ListReport& report;
  std::string file;
  int64_t line;
  bool ok = true;
  void fail(const std::string& kind, const std::string& field, const std::string& message) {
    report.add({kind, file, line, field, message});
    ok = false;
  }
  std::string required(const CsvRow& r, const std::string& field) {
    const std::string& v = r[field];
    if (v.empty()) fail("missing_value", field, "is empty");
    return v;
  }
  // Emissions of the pollutant columns in `unit`; empty cells are nullopt.
  std::array<std::optional<int64_t>, em::kPollutantCount> emissions(const CsvRow& r,
                                                                    std::optional<em::EmissionUnit> unit) {
    std::array<std::optional<int64_t>, em::kPollutantCount> out;
    for (size_t i = 0; i < out.size(); ++i) {
      const std::string& v = r[kPollutantColumns[i]];
      if (v.empty() || !unit) continue;
      out[i] = em::parse_emission(v, *unit);
      if (out[i]) continue;
      if (v.starts_with("-")) {
        fail("negative_value", kPollutantColumns[i], "'" + v + "' is negative");
      } else {
        fail("bad_number", kPollutantColumns[i], "'" + v + "' is not an amount with at most 3 decimals");
      }
    }
    return out;
  }
  std::optional<em::EmissionUnit> unit(const CsvRow& r) {
    std::optional<em::EmissionUnit> u = em::parse_emission_unit(r["unit"]);
    if (!u) fail("bad_unit", "unit", "'" + r["unit"] + "' is not t/d or kg/d");
    return u;
  }
};

std::string file_of(EmergencyTemplate t) { return emergency_template_file(t); }

// The rows of template `t` as the loader gives it (none when it is absent).
StatusOr<std::vector<CsvRow>> template_rows(const TemplateLoader& load, EmergencyTemplate t,
                                            ListReport& report) {
  auto text = load(t);
  if (!text.ok()) return text.status();
  if (!text->present) return std::vector<CsvRow>{};
  return read_template(file_of(t), *text, emergency_template_header(t), report);
}

// Reads enterprises.csv, lines.csv and measures.csv (those present) into entries.
}  // namespace

Status parse_list(const TemplateLoader& load, const Actor& actor, const em::ListRules& rules, ParsedList& out,
                  ListReport& report) {
  std::map<std::string, size_t> index;  // enterprise id -> position in out.enterprises
  auto ep = template_rows(load, EmergencyTemplate::kEnterprises, report);
  if (!ep.ok()) return ep.status();
  for (const CsvRow& r : *ep) {
    RowCheck c{report, file_of(EmergencyTemplate::kEnterprises), r.line};
    em::Enterprise e;
    e.id = c.required(r, "id");
    e.name = c.required(r, "name");
    e.county = c.required(r, "county");
    e.industry = r["industry"];
    e.source_enterprise = r["source_enterprise"];
    std::optional<em::Grade> g = em::parse_grade(r["grade"]);
    if (!g) {
      c.fail("unknown_grade", "grade",
             "'" + r["grade"] + "' is not a grade (A B C D 引领性 非引领性 未分级)");
    } else {
      e.grade = *g;
    }
    const std::string& gu = r["guarantee"];
    if (gu == "Y" || gu == "是") {
      e.guarantee = true;
    } else if (!(gu.empty() || gu == "N" || gu == "否")) {
      c.fail("bad_flag", "guarantee", "'" + gu + "' is not Y or N");
    }
    if (!e.id.empty() && index.contains(e.id))
      c.fail("duplicate", "id", "enterprise " + e.id + " is listed twice");
    if (!e.county.empty() && !actor.may_write_county(e.county))
      c.fail("permission_denied", "county",
             "user '" + actor.user + "' may not change entries of " + e.county);
    if (!c.ok) continue;
    index[e.id] = out.enterprises.size();
    out.enterprise_line[e.id] = r.line;
    out.enterprises.push_back(std::move(e));
  }
  std::map<std::pair<std::string, std::string>, std::pair<size_t, size_t>>
      lines;  // (ent, line) -> (ent idx, line idx)
  auto lp = template_rows(load, EmergencyTemplate::kLines, report);
  if (!lp.ok()) return lp.status();
  for (const CsvRow& r : *lp) {
    RowCheck c{report, file_of(EmergencyTemplate::kLines), r.line};
    auto it = index.find(r["enterprise"]);
    if (it == index.end()) {
      c.fail("unknown_enterprise", "enterprise",
             "'" + r["enterprise"] + "' is not in enterprises.csv of this import");
      continue;
    }
    em::Line l;
    l.id = c.required(r, "line");
    l.name = r["name"];
    l.process = r["process"];
    auto u = c.unit(r);
    auto e = c.emissions(r, u);
    for (size_t i = 0; i < e.size(); ++i) l.baseline[i] = e[i].value_or(0);
    if (lines.contains({r["enterprise"], l.id}))
      c.fail("duplicate", "line", "line " + l.id + " is listed twice");
    em::Enterprise& ent = out.enterprises[it->second];
    if (ent.lines.size() >= kMaxLinesPerEnterprise) c.fail("too_many", "line", "more than 1000 lines");
    if (!c.ok) continue;
    lines[{ent.id, l.id}] = {it->second, ent.lines.size()};
    ent.lines.push_back(std::move(l));
  }
  // Lines start with no measure: kNone emitting the baseline at every level.
  for (em::Enterprise& e : out.enterprises)
    for (em::Line& l : e.lines)
      for (em::Measure& m : l.measures) m.emission = l.baseline;
  auto mp = template_rows(load, EmergencyTemplate::kMeasures, report);
  if (!mp.ok()) return mp.status();
  std::set<std::tuple<std::string, std::string, em::WarningLevel>> seen;
  for (const CsvRow& r : *mp) {
    RowCheck c{report, file_of(EmergencyTemplate::kMeasures), r.line};
    auto li = lines.find({r["enterprise"], r["line"]});
    if (li == lines.end()) {
      c.fail("unknown_line", "line",
             "'" + r["enterprise"] + "' line '" + r["line"] + "' is not in lines.csv");
      continue;
    }
    em::Line& line = out.enterprises[li->second.first].lines[li->second.second];
    std::optional<em::WarningLevel> level = em::parse_level(r["level"]);
    if (!level || *level == em::WarningLevel::kNone) {
      c.fail("bad_level", "level", "'" + r["level"] + "' is not yellow, orange or red");
      continue;
    }
    if (!seen.insert({r["enterprise"], r["line"], *level}).second) {
      c.fail("duplicate", "level", "a second measure for this line and level");
      continue;
    }
    em::Measure m;
    std::optional<em::MeasureKind> kind = em::parse_measure(r["measure"]);
    if (!kind) {
      c.fail("bad_measure", "measure",
             "'" + r["measure"] + "' is not none, stop, cut, stop-process or voluntary");
      continue;
    }
    m.kind = *kind;
    m.process = r["process"];
    m.note = r["note"];
    if (!r["cut_percent"].empty()) {
      std::optional<int64_t> pct = parse_milli(r["cut_percent"]);
      if (!pct || *pct % 1000 != 0 || *pct < 0 || *pct > int64_t{kMaxPercent} * 1000) {
        c.fail("bad_number", "cut_percent", "'" + r["cut_percent"] + "' is not a whole percent 0..100");
      } else {
        m.cut_percent = static_cast<int>(*pct / 1000);
      }
    }
    std::optional<em::EmissionUnit> u;
    const bool any_value = std::any_of(std::begin(kPollutantColumns), std::end(kPollutantColumns),
                                       [&](const char* col) { return !r[col].empty(); });
    if (any_value) u = c.unit(r);
    auto e = c.emissions(r, u);
    for (size_t i = 0; i < e.size(); ++i) {
      const int64_t base = line.baseline[i];
      if (e[i]) {
        m.emission[i] = *e[i];
        if (*e[i] > base)
          c.fail(
              "exceeds_baseline", kPollutantColumns[i],
              em::kg_per_day(*e[i]) + " kg/d exceeds the line's baseline " + em::kg_per_day(base) + " kg/d");
        continue;
      }
      // Empty: what the measure implies.
      switch (m.kind) {
        case em::MeasureKind::kStop:
          m.emission[i] = 0;
          break;
        case em::MeasureKind::kCutProduction:
          m.emission[i] = base - base * m.cut_percent / kMaxPercent;
          break;
        case em::MeasureKind::kStopProcess:
          if (base > 0)
            c.fail("missing_value", kPollutantColumns[i], "stop-process needs the resulting emission");
          break;
        default:
          m.emission[i] = base;
      }
    }
    if (c.ok) line.measures[em::level_index(*level)] = m;
  }
  for (const em::Enterprise& e : out.enterprises) {
    Status s = em::validate_enterprise(e, rules);
    if (!s.ok())
      report.add({"invalid_entry", file_of(EmergencyTemplate::kEnterprises), out.enterprise_line[e.id], "",
                  s.message()});
  }
  return Status::ok_status();
}

StatusOr<std::vector<em::ForecastDay>> parse_forecast(const std::string& file, const TemplateText& text) {
  ListReport report;
  auto rows = read_template(file, text, kForecastHeader, report);
  std::vector<em::ForecastDay> out;
  int64_t previous_line = 0;
  for (const CsvRow& r : rows) {
    RowCheck c{report, file, r.line};
    StatusOr<CivilDay> d = CivilDay::parse(r["date"]);
    if (!d.ok() || r["date"].size() != 10) {
      c.fail("bad_date", "date", "'" + r["date"] + "' is not YYYY-MM-DD");
      continue;
    }
    std::optional<int64_t> aqi = parse_milli(r["aqi"]);
    if (!aqi || *aqi % 1000 != 0 || *aqi < 0 || *aqi > int64_t{em::kMaxAqi} * 1000) {
      c.fail("bad_number", "aqi", "'" + r["aqi"] + "' is not a whole AQI 0..2000");
      continue;
    }
    if (!out.empty()) {
      const int32_t step = *d - out.back().day;
      if (step == 0)
        c.fail("duplicate_day", "date", d->to_string() + " repeats line " + std::to_string(previous_line));
      if (step < 0)
        c.fail("out_of_order", "date", d->to_string() + " is before line " + std::to_string(previous_line));
      if (step > 1)
        c.fail("gap", "date",
               "no forecast for " + std::to_string(step - 1) + " day(s) after " + out.back().day.to_string());
      if (step != 1) continue;
    }
    out.push_back({*d, static_cast<int>(*aqi / 1000)});
    previous_line = r.line;
  }
  if (out.empty() && report.issues.empty()) report.add({"empty", file, 0, "", "no forecast day"});
  if (report.issue_total() > 0) {
    std::string msg = "forecast rejected:";
    for (const ListIssue& i : report.issues) msg += "\n  " + i.where() + ": " + i.message;
    return invalid_argument(msg);
  }
  return out;
}

StatusOr<std::vector<em::Enterprise>> read_list_texts(const std::map<EmergencyTemplate, std::string>& texts,
                                                      const em::ListRules& rules, ListReport* report) {
  ParsedList p;
  auto load = [&texts](EmergencyTemplate t) -> StatusOr<TemplateText> {
    auto it = texts.find(t);
    if (it == texts.end()) return TemplateText{};
    return TemplateText{true, it->second.size() > kMaxTemplateBytes, it->second};
  };
  ECOMON_RETURN_IF_ERROR(parse_list(load, Actor::operator_cli(), rules, p, *report));
  return p.enterprises;
}

void parse_inspections(const TemplateText& text, const Actor& actor, const em::ReductionList& stored,
                       ParsedList& out, ListReport& report) {
  const std::vector<CsvRow> rows =
      read_template(file_of(EmergencyTemplate::kInspections), text,
                    emergency_template_header(EmergencyTemplate::kInspections), report);
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const CsvRow& r : rows) {
    RowCheck c{report, file_of(EmergencyTemplate::kInspections), r.line};
    em::Inspection in{r["enterprise"], r["time"], c.required(r, "inspector"), false, r["note"]};
    const em::Enterprise* e = stored.find(in.enterprise);
    for (const em::Enterprise& x : out.enterprises)
      if (x.id == in.enterprise) e = &x;
    if (!e) c.fail("unknown_enterprise", "enterprise", "'" + in.enterprise + "' is not on the list");
    if (Status s = em::validate_civil_minute(in.time); !s.ok()) c.fail("bad_time", "time", s.message());
    const std::string& res = r["result"];
    if (res == "compliant" || res == "落实") {
      in.compliant = true;
    } else if (res != "not-compliant" && res != "未落实") {
      c.fail("bad_result", "result", "'" + res + "' is not compliant or not-compliant");
    }
    if (e && !actor.may_write_county(e->county))
      c.fail("permission_denied", "enterprise",
             "user '" + actor.user + "' may not record inspections in " + e->county);
    if (!seen.insert({in.enterprise, in.time, in.inspector}).second)
      c.fail("duplicate", "time", "the same inspection twice");
    if (c.ok) out.inspections.push_back(std::move(in));
  }
}

std::string ListIssue::where() const {
  std::string w = file;
  if (line > 0) w += ":" + std::to_string(line);
  if (!field.empty()) w += " [" + field + "]";
  return w;
}

void ListReport::add(ListIssue issue) {
  int64_t& n = issue_counts[issue.kind];
  ++n;
  if (static_cast<size_t>(n) <= kMaxListedPerKind) issues.push_back(std::move(issue));
}

int64_t ListReport::issue_total() const {
  int64_t n = 0;
  for (const auto& [kind, count] : issue_counts) n += count;
  return n;
}

}  // namespace ecomon::emergency
