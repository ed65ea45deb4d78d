#include "store/emergency/emergency_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "store/sqlite_status.h"

namespace ecomon {
namespace {

namespace em = emergency;

constexpr uintmax_t kMaxFileBytes = uintmax_t{64} << 20;  // a list of thousands of entries is a few MB
constexpr size_t kMaxFieldBytes = 500;
constexpr size_t kMaxLinesPerEnterprise = 1000;
constexpr int kMaxPercent = 100;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS em_enterprise(id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,
  industry TEXT NOT NULL, grade TEXT NOT NULL, guarantee INTEGER NOT NULL, source_enterprise TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_line(enterprise TEXT NOT NULL, line TEXT NOT NULL, seq INTEGER NOT NULL,
  name TEXT NOT NULL, process TEXT NOT NULL, so2 INTEGER NOT NULL, nox INTEGER NOT NULL, pm INTEGER NOT NULL,
  vocs INTEGER NOT NULL, PRIMARY KEY(enterprise, line));
CREATE TABLE IF NOT EXISTS em_measure(enterprise TEXT NOT NULL, line TEXT NOT NULL, level TEXT NOT NULL,
  kind TEXT NOT NULL, cut_percent INTEGER NOT NULL, process TEXT NOT NULL, note TEXT NOT NULL,
  so2 INTEGER NOT NULL, nox INTEGER NOT NULL, pm INTEGER NOT NULL, vocs INTEGER NOT NULL,
  PRIMARY KEY(enterprise, line, level));
CREATE TABLE IF NOT EXISTS em_warning(id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL,
  level TEXT NOT NULL, effective_from TEXT NOT NULL, declared_by TEXT NOT NULL, role TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_inspection(enterprise TEXT NOT NULL, time TEXT NOT NULL, inspector TEXT NOT NULL,
  compliant INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(enterprise, time, inspector));
)SQL";

struct TemplateInfo {
  EmergencyTemplate t;
  const char* file;
  const char* header;
};
constexpr TemplateInfo kTemplates[] = {
    {EmergencyTemplate::kEnterprises, "enterprises.csv",
     "id,name,county,industry,grade,guarantee,source_enterprise"},
    {EmergencyTemplate::kLines, "lines.csv", "enterprise,line,name,process,unit,so2,nox,pm,vocs"},
    {EmergencyTemplate::kMeasures, "measures.csv",
     "enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note"},
    {EmergencyTemplate::kInspections, "inspections.csv", "enterprise,time,inspector,result,note"},
};
constexpr const char* kPollutantColumns[] = {"so2", "nox", "pm", "vocs"};

// ---- SQLite helpers ----

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool row() { return (rc_ = sqlite3_step(s_)) == SQLITE_ROW; }
  bool done() const { return rc_ == SQLITE_DONE; }
  // Runs a statement that returns no rows; true when it completed.
  bool run() {
    if (!ok()) return false;
    row();
    return done();
  }
  std::string text(int i) const {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  int64_t integer(int i) const { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_OK;
};

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
                                  const std::string& header, ImportReport& report) {
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

// A template's text as read: absent, too large to read (reported, not an error) or its content.
struct TemplateText {
  bool present = false;
  bool too_large = false;
  std::string content;
};

// Rows of a template's text; a text too large is reported at `file`.
std::vector<CsvRow> read_template(const std::string& file, const TemplateText& t, const std::string& header,
                                  ImportReport& report) {
  if (t.too_large) {
    report.add({"too_large", file, 0, "", "file is larger than 64 MiB"});
    return {};
  }
  return read_csv_text(file, t.content, header, report);
}

StatusOr<TemplateText> read_file_if_present(const std::string& path) {
  std::error_code ec;
  TemplateText t;
  if (!std::filesystem::exists(path, ec)) return t;
  t.present = true;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return not_found("cannot read " + path + ": " + ec.message());
  if (size > kMaxFileBytes) {
    t.too_large = true;
    return t;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read " + path);
  t.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return t;
}

StatusOr<std::vector<CsvRow>> read_csv(const std::string& path, const std::string& header,
                                       ImportReport& report) {
  auto t = read_file_if_present(path);
  if (!t.ok()) return t.status();
  if (!t->present) return not_found("cannot read " + path);
  return read_template(std::filesystem::path(path).filename().string(), *t, header, report);
}

// One row being checked: problems go to the report at file:line [field].
struct RowCheck {
  ImportReport& report;
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

std::string file_of(EmergencyTemplate t) { return kTemplates[static_cast<int>(t)].file; }

struct Parsed {
  std::vector<em::Enterprise> enterprises;         // in file order
  std::map<std::string, int64_t> enterprise_line;  // id -> line in enterprises.csv
  std::vector<em::Inspection> inspections;
};

// Where the templates' texts come from: a directory's files, or texts given (an API request's).
using TemplateLoader = std::function<StatusOr<TemplateText>(EmergencyTemplate)>;

TemplateLoader dir_loader(const std::string& dir) {
  return [dir](EmergencyTemplate t) {
    return read_file_if_present((std::filesystem::path(dir) / file_of(t)).string());
  };
}

// The rows of template `t` as the loader gives it (none when it is absent).
StatusOr<std::vector<CsvRow>> template_rows(const TemplateLoader& load, EmergencyTemplate t,
                                            ImportReport& report) {
  auto text = load(t);
  if (!text.ok()) return text.status();
  if (!text->present) return std::vector<CsvRow>{};
  return read_template(file_of(t), *text, kTemplates[static_cast<int>(t)].header, report);
}

// Reads enterprises.csv, lines.csv and measures.csv (those present) into entries.
Status parse_list(const TemplateLoader& load, const Actor& actor, const em::ListRules& rules, Parsed& out,
                  ImportReport& report) {
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

em::Emissions emissions_at(const Stmt& s, int first) {
  em::Emissions e{};
  for (size_t i = 0; i < e.size(); ++i) e[i] = s.integer(first + static_cast<int>(i));
  return e;
}

}  // namespace

const char* emergency_template_file(EmergencyTemplate t) { return kTemplates[static_cast<int>(t)].file; }
const char* emergency_template_header(EmergencyTemplate t) { return kTemplates[static_cast<int>(t)].header; }

StatusOr<std::vector<em::ForecastDay>> read_forecast_csv(const std::string& path) {
  ImportReport report;
  auto rows = read_csv(path, kForecastHeader, report);
  if (!rows.ok()) return rows.status();
  const std::string file = std::filesystem::path(path).filename().string();
  std::vector<em::ForecastDay> out;
  int64_t previous_line = 0;
  for (const CsvRow& r : *rows) {
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
    for (const ImportIssue& i : report.issues) msg += "\n  " + i.where() + ": " + i.message;
    return invalid_argument(msg);
  }
  return out;
}

StatusOr<std::vector<em::Enterprise>> read_list_dir(const std::string& dir, const em::ListRules& rules,
                                                    ImportReport* report) {
  Parsed p;
  ECOMON_RETURN_IF_ERROR(parse_list(dir_loader(dir), Actor::operator_cli(), rules, p, *report));
  return p.enterprises;
}

StatusOr<std::vector<em::Enterprise>> read_list_texts(const std::map<EmergencyTemplate, std::string>& texts,
                                                      const em::ListRules& rules, ImportReport* report) {
  Parsed p;
  auto load = [&texts](EmergencyTemplate t) -> StatusOr<TemplateText> {
    auto it = texts.find(t);
    if (it == texts.end()) return TemplateText{};
    return TemplateText{true, it->second.size() > kMaxFileBytes, it->second};
  };
  ECOMON_RETURN_IF_ERROR(parse_list(load, Actor::operator_cli(), rules, p, *report));
  return p.enterprises;
}

class EmergencyStore::Impl {
 public:
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }

  Status exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown";
      sqlite3_free(err);
      return Status(sqlite_status_code(sqlite3_extended_errcode(db)), "store: " + m);
    }
    return Status::ok_status();
  }
  Status error(const char* what) {
    return sqlite_status(db, std::string("store: ") + what);  // busy/locked: kUnavailable (503)
  }

  // Runs `body` in a write transaction (BEGIN IMMEDIATE), committed when it returns ok, rolled back
  // otherwise.
  template <typename F>
  auto in_transaction(F body) -> decltype(body()) {
    if (Status s = exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    auto result = body();
    if (result.ok()) {
      if (Status s = exec("COMMIT"); !s.ok()) {
        (void)exec("ROLLBACK");
        return s;
      }
    } else {
      (void)exec("ROLLBACK");
    }
    return result;
  }

  StatusOr<em::ReductionList> load_list() {
    em::ReductionList list;
    std::map<std::string, size_t> index;
    Stmt e(db,
           "SELECT id,name,county,industry,grade,guarantee,source_enterprise FROM em_enterprise ORDER BY id");
    if (!e.ok()) return error("read entries");
    while (e.row()) {
      em::Enterprise x{.id = e.text(0), .name = e.text(1), .county = e.text(2), .industry = e.text(3)};
      x.grade = em::parse_grade(e.text(4)).value_or(em::Grade::kUngraded);
      x.guarantee = e.integer(5) != 0;
      x.source_enterprise = e.text(6);
      index[x.id] = list.enterprises.size();
      list.enterprises.push_back(std::move(x));
    }
    if (!e.done()) return error("read entries");
    Stmt l(db, "SELECT enterprise,line,name,process,so2,nox,pm,vocs FROM em_line ORDER BY enterprise,seq");
    if (!l.ok()) return error("read lines");
    std::map<std::pair<std::string, std::string>, em::Line*> lines;
    while (l.row()) {
      auto it = index.find(l.text(0));
      if (it == index.end()) continue;
      em::Line x{.id = l.text(1), .name = l.text(2), .process = l.text(3), .baseline = emissions_at(l, 4)};
      for (em::Measure& m : x.measures) m.emission = x.baseline;
      list.enterprises[it->second].lines.push_back(std::move(x));
    }
    if (!l.done()) return error("read lines");
    for (em::Enterprise& x : list.enterprises)
      for (em::Line& y : x.lines) lines[{x.id, y.id}] = &y;
    Stmt m(db, "SELECT enterprise,line,level,kind,cut_percent,process,note,so2,nox,pm,vocs FROM em_measure");
    if (!m.ok()) return error("read measures");
    while (m.row()) {
      auto it = lines.find({m.text(0), m.text(1)});
      std::optional<em::WarningLevel> level = em::parse_level(m.text(2));
      if (it == lines.end() || !level || *level == em::WarningLevel::kNone) continue;
      em::Measure& x = it->second->measures[em::level_index(*level)];
      x.kind = em::parse_measure(m.text(3)).value_or(em::MeasureKind::kNone);
      x.cut_percent = static_cast<int>(m.integer(4));
      x.process = m.text(5);
      x.note = m.text(6);
      x.emission = emissions_at(m, 7);
    }
    if (!m.done()) return error("read measures");
    return list;
  }

  Status put_enterprise(const em::Enterprise& e) {
    for (const char* sql :
         {"DELETE FROM em_measure WHERE enterprise=?", "DELETE FROM em_line WHERE enterprise=?"}) {
      Stmt d(db, sql);
      d.bind(1, e.id);
      if (!d.run()) return error("replace entry");
    }
    Stmt s(
        db,
        "INSERT INTO em_enterprise(id,name,county,industry,grade,guarantee,source_enterprise) "
        "VALUES(?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name,county=excluded.county,industry=excluded.industry,"
        "grade=excluded.grade,guarantee=excluded.guarantee,source_enterprise=excluded.source_enterprise");
    s.bind(1, e.id)
        .bind(2, e.name)
        .bind(3, e.county)
        .bind(4, e.industry)
        .bind(5, std::string(em::grade_name(e.grade)));
    s.bind(6, int64_t{e.guarantee}).bind(7, e.source_enterprise);
    if (!s.run()) return error("write entry");
    int64_t seq = 0;
    for (const em::Line& l : e.lines) {
      Stmt li(
          db,
          "INSERT INTO em_line(enterprise,line,seq,name,process,so2,nox,pm,vocs) VALUES(?,?,?,?,?,?,?,?,?)");
      li.bind(1, e.id).bind(2, l.id).bind(3, seq++).bind(4, l.name).bind(5, l.process);
      for (int i = 0; i < em::kPollutantCount; ++i) li.bind(6 + i, l.baseline[static_cast<size_t>(i)]);
      if (!li.run()) return error("write line");
      for (em::WarningLevel level : em::kLevels) {
        const em::Measure& m = l.measures[em::level_index(level)];
        Stmt ms(db,
                "INSERT INTO em_measure(enterprise,line,level,kind,cut_percent,process,note,so2,nox,pm,vocs) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?)");
        ms.bind(1, e.id).bind(2, l.id).bind(3, std::string(em::level_name(level)));
        ms.bind(4, std::string(em::measure_name(m.kind)))
            .bind(5, int64_t{m.cut_percent})
            .bind(6, m.process)
            .bind(7, m.note);
        for (int i = 0; i < em::kPollutantCount; ++i) ms.bind(8 + i, m.emission[static_cast<size_t>(i)]);
        if (!ms.run()) return error("write measure");
      }
    }
    return Status::ok_status();
  }

  StatusOr<std::vector<em::WarningEvent>> warnings() {
    std::vector<em::WarningEvent> out;
    Stmt s(db, "SELECT id,action,level,effective_from,declared_by,role,reason FROM em_warning ORDER BY id");
    if (!s.ok()) return error("read warnings");
    while (s.row()) {
      em::WarningEvent e;
      e.id = s.integer(0);
      const std::string a = s.text(1);
      for (em::WarningAction x : {em::WarningAction::kDeclare, em::WarningAction::kUpgrade,
                                  em::WarningAction::kDowngrade, em::WarningAction::kLift})
        if (em::action_name(x) == a) e.action = x;
      e.level = em::parse_level(s.text(2)).value_or(em::WarningLevel::kNone);
      e.effective_from = s.text(3);
      e.declared_by = s.text(4);
      e.role = s.text(5);
      e.reason = s.text(6);
      out.push_back(std::move(e));
    }
    if (!s.done()) return error("read warnings");
    return out;
  }

  StatusOr<em::WarningEvent> record(StatusOr<em::WarningEvent> ev) {
    if (!ev.ok()) return ev;
    Stmt s(db,
           "INSERT INTO em_warning(action,level,effective_from,declared_by,role,reason) VALUES(?,?,?,?,?,?)");
    s.bind(1, std::string(em::action_name(ev->action))).bind(2, std::string(em::level_name(ev->level)));
    s.bind(3, ev->effective_from).bind(4, ev->declared_by).bind(5, ev->role).bind(6, ev->reason);
    if (!s.run()) return error("write warning");
    ev->id = sqlite3_last_insert_rowid(db);
    return ev;
  }

  // The event `make` derives from the history, checked and stored in one write transaction (the history
  // cannot change between the check and the write).
  template <typename Make>
  StatusOr<em::WarningEvent> write_event(const std::string& reason, Make make) {
    if (reason.size() > kMaxFieldBytes) return invalid_argument("reason is longer than 500 bytes");
    return in_transaction([&]() -> StatusOr<em::WarningEvent> {
      auto h = warnings();
      if (!h.ok()) return h.status();
      return record(make(*h));
    });
  }

  StatusOr<std::vector<em::Inspection>> inspections() {
    std::vector<em::Inspection> out;
    Stmt s(db,
           "SELECT enterprise,time,inspector,compliant,note FROM em_inspection ORDER BY "
           "enterprise,time,inspector");
    if (!s.ok()) return error("read inspections");
    while (s.row()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3) != 0, s.text(4)});
    if (!s.done()) return error("read inspections");
    return out;
  }
};

EmergencyStore::EmergencyStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmergencyStore::~EmergencyStore() = default;

StatusOr<std::unique_ptr<EmergencyStore>> EmergencyStore::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK)
    return internal_error("cannot open store " + path + ": " + sqlite3_errmsg(impl->db));
  sqlite3_busy_timeout(impl->db, store_busy_timeout_ms());
  ECOMON_RETURN_IF_ERROR(impl->exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"));
  ECOMON_RETURN_IF_ERROR(impl->exec(kSchema));
  return std::unique_ptr<EmergencyStore>(new EmergencyStore(std::move(impl)));
}

StatusOr<ListImport> EmergencyStore::import_dir(const std::string& dir, const Actor& actor,
                                                const em::ListRules& rules) {
  namespace fs = std::filesystem;
  bool any = false;
  for (const TemplateInfo& t : kTemplates) any = any || fs::exists(fs::path(dir) / t.file);
  if (!any)
    return not_found(
        "no emergency list template (enterprises.csv, lines.csv, measures.csv, inspections.csv) in " + dir);
  ListImport out;
  Parsed p;
  ECOMON_RETURN_IF_ERROR(parse_list(dir_loader(dir), actor, rules, p, out.report));
  auto stored = impl_->load_list();
  if (!stored.ok()) return stored.status();
  const fs::path ip = fs::path(dir) / file_of(EmergencyTemplate::kInspections);
  if (fs::exists(ip)) {
    auto rows = read_csv(ip.string(), kTemplates[3].header, out.report);
    if (!rows.ok()) return rows.status();
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const CsvRow& r : *rows) {
      RowCheck c{out.report, file_of(EmergencyTemplate::kInspections), r.line};
      em::Inspection in{r["enterprise"], r["time"], c.required(r, "inspector"), false, r["note"]};
      const em::Enterprise* e = stored->find(in.enterprise);
      for (const em::Enterprise& x : p.enterprises)
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
      if (c.ok) p.inspections.push_back(std::move(in));
    }
  }
  if (out.report.issue_total() > 0) return out;  // all or nothing
  Status s = impl_->in_transaction([&]() -> Status {
    for (const em::Enterprise& e : p.enterprises) {
      const em::Enterprise* old = stored->find(e.id);
      if (old && *old == e) {
        ++out.counts.unchanged;
        continue;
      }
      ECOMON_RETURN_IF_ERROR(impl_->put_enterprise(e));
      ++(old ? out.counts.updated : out.counts.added);
    }
    for (const em::Inspection& in : p.inspections) {
      Stmt q(impl_->db,
             "INSERT INTO em_inspection(enterprise,time,inspector,compliant,note) VALUES(?,?,?,?,?) "
             "ON CONFLICT(enterprise,time,inspector) DO UPDATE SET "
             "compliant=excluded.compliant,note=excluded.note "
             "WHERE compliant<>excluded.compliant OR note<>excluded.note");
      q.bind(1, in.enterprise)
          .bind(2, in.time)
          .bind(3, in.inspector)
          .bind(4, int64_t{in.compliant})
          .bind(5, in.note);
      const int64_t before = sqlite3_total_changes64(impl_->db);
      if (!q.run()) return impl_->error("write inspection");
      out.counts.inspections_added += sqlite3_total_changes64(impl_->db) - before;
    }
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return out;
}

StatusOr<em::ReductionList> EmergencyStore::load_list() { return impl_->load_list(); }
StatusOr<std::vector<em::WarningEvent>> EmergencyStore::warnings() { return impl_->warnings(); }
StatusOr<std::vector<em::Inspection>> EmergencyStore::inspections() { return impl_->inspections(); }

StatusOr<em::WarningEvent> EmergencyStore::declare(em::WarningLevel level, const std::string& effective_from,
                                                   const Actor& actor, const std::string& reason) {
  return impl_->write_event(reason, [&](const std::vector<em::WarningEvent>& h) {
    return em::declaration(h, level, effective_from, actor, reason);
  });
}

StatusOr<em::WarningEvent> EmergencyStore::lift(const std::string& effective_from, const Actor& actor,
                                                const std::string& reason) {
  return impl_->write_event(reason, [&](const std::vector<em::WarningEvent>& h) {
    return em::lifting(h, effective_from, actor, reason);
  });
}

}  // namespace ecomon
