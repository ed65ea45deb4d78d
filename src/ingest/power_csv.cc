#include "ingest/power_csv.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <type_traits>

#include "core/csv.h"
#include "core/decimal.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ingest/csv_row.h"

namespace ecomon {
namespace {

constexpr const char* kHeaders[kPowerTemplateCount] = {
    "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines",
    "site,name,county,meter,status,closed_since",
    "enterprise,meter,period,kwh",
};

std::vector<std::string> cells(std::string_view line) { return csv_cells(line); }

// One row being checked (ingest/csv_row.h), with the power templates' cell kinds.
struct Row : CsvRow {
  bool repeat = false;  // the same meter and period again: counted, not rejected

  // An id: not empty, no '|' (the store's list separator).
  const std::string& id(size_t column) {
    need(column);
    const std::string& v = c[column];
    if (v.find('|') != std::string::npos) fail("bad_value", column, "'|' is not allowed in an id");
    return v;
  }
  // A non-negative exact decimal (at most 3 decimals).
  std::string amount(size_t column) {
    const std::string& v = c[column];
    if (!need(column)) return v;
    auto m = parse_milli(v);
    if (!m) {
      fail("bad_number", column, "'" + v + "' is not a decimal number (at most 3 decimals)");
    } else if (*m < 0) {
      fail("bad_number", column, "'" + v + "' is negative");
    }
    return v;
  }
  // ';'-separated ids (empty: none).
  std::vector<std::string> list(size_t column) {
    std::vector<std::string> out;
    size_t b = 0;
    const std::string& v = c[column];
    while (!v.empty() && b <= v.size()) {
      size_t e = v.find(';', b);
      std::string item = v.substr(b, e == std::string::npos ? std::string::npos : e - b);
      const size_t x = item.find_first_not_of(" \t"), y = item.find_last_not_of(" \t");
      item = x == std::string::npos ? "" : item.substr(x, y - x + 1);
      if (item.empty() || item.find('|') != std::string::npos) {
        fail("bad_value", column, "'" + v + "' is not a ';'-separated list of ids");
        return {};
      }
      out.push_back(item);
      if (e == std::string::npos) break;
      b = e + 1;
    }
    return out;
  }
};

std::optional<std::string> role_key(const std::string& s) {
  if (s == "production" || s == "生产" || s == "生产设施") return "production";
  if (s == "treatment" || s == "治污" || s == "治污设施") return "treatment";
  return std::nullopt;
}
std::optional<std::string> status_key(const std::string& s) {
  if (s == "closed" || s == "关停" || s == "取缔") return "closed";
  if (s == "scattered" || s == "散乱污") return "scattered";
  return std::nullopt;
}

struct Parsed {
  std::vector<PowerLineRow> lines;
  std::vector<PowerSiteRow> sites;
  std::vector<GridEnergyRow> grid;
  std::vector<int64_t> at;  // the file line of each kept row (lines, sites or grid)
};

struct Context {
  std::map<std::string, std::string> stored_roles;                   // line -> role, for 'serves'
  std::set<std::string> keys;                                        // keys seen in this file
  std::map<std::string, std::pair<std::string, int64_t>> grid_seen;  // meter|period -> kwh, line
};

void check_line(Row& r, Context& ctx, Parsed& out) {
  PowerLineRow l;
  l.line = r.id(0);
  l.enterprise = r.id(1);
  l.name = r.c[2];
  if (auto role = r.need(3) ? role_key(r.c[3]) : std::nullopt) {
    l.role = *role;
  } else if (!r.c[3].empty()) {
    r.fail("bad_value", 3, "'" + r.c[3] + "': production (生产设施) or treatment (治污设施)");
  }
  l.running_kw = r.amount(4);
  if (!r.c[5].empty()) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(r.c[5].data(), r.c[5].data() + r.c[5].size(), v);
    if (ec != std::errc() || p != r.c[5].data() + r.c[5].size() || v <= 0 || v > 86400) {
      r.fail("bad_number", 5, "'" + r.c[5] + "' is not a number of seconds in 1..86400");
    } else {
      l.interval_s = v;
    }
  }
  l.mn = r.c[6];
  l.code = r.c[7];
  if (!l.code.empty()) {
    // d2xxxx production, d3xxxx treatment facilities (HJ 212-2025 ST 44; UNCONFIRMED, spec 11).
    const char want = l.role == "treatment" ? '3' : '2';
    bool shape = l.code.size() == 6 && l.code[0] == 'd';
    for (size_t i = 1; shape && i < 6; ++i) shape = l.code[i] >= '0' && l.code[i] <= '9';
    if (!shape || l.code[1] != want) {
      r.fail("bad_value", 7,
             "'" + l.code + "': a " + l.role + " line's code is d" + want + "xxxx (HJ 212-2025)");
    }
    if (l.mn.empty()) r.fail("missing_value", 6, "a line with a code needs its power module's MN");
  }
  l.serves = r.list(8);
  l.outlets = r.list(9);
  l.list_lines = r.list(10);
  if (l.role == "production" && !l.serves.empty()) {
    r.fail("bad_value", 8, "only a treatment line serves production lines");
  }
  for (const std::string& p : l.serves) {
    auto it = ctx.stored_roles.find(p);
    if (it == ctx.stored_roles.end()) {
      r.fail("unknown_line", 8, "'" + p + "' is not a production line of this file (above) or the store");
    } else if (it->second != "production") {
      r.fail("bad_value", 8, "'" + p + "' is a " + it->second + " line, not a production line");
    }
  }
  if (r.ok && !ctx.keys.insert(l.line).second) r.fail("duplicate", 0, "line '" + l.line + "' given twice");
  if (!r.ok) return;
  ctx.stored_roles[l.line] = l.role;
  out.lines.push_back(std::move(l));
  out.at.push_back(r.line);
}

void check_site(Row& r, Context& ctx, Parsed& out) {
  PowerSiteRow s;
  s.site = r.id(0);
  s.name = r.c[1];
  s.county = r.c[2];
  s.meter = r.id(3);
  if (auto st = r.need(4) ? status_key(r.c[4]) : std::nullopt) {
    s.status = *st;
  } else if (!r.c[4].empty()) {
    r.fail("bad_value", 4, "'" + r.c[4] + "': closed (关停/取缔) or scattered (散乱污)");
  }
  if (auto d = CivilDay::parse(r.c[5]); r.need(5) && d.ok()) {
    s.closed_since = d->to_string();
  } else if (!r.c[5].empty()) {
    r.fail("bad_date", 5, "'" + r.c[5] + "' is not a date YYYY-MM-DD");
  }
  if (r.ok && !ctx.keys.insert(s.site).second) r.fail("duplicate", 0, "site '" + s.site + "' given twice");
  if (!r.ok) return;
  out.sites.push_back(std::move(s));
  out.at.push_back(r.line);
}

void check_grid(Row& r, Context& ctx, Parsed& out) {
  GridEnergyRow g;
  g.enterprise = r.id(0);
  g.meter = r.id(1);
  r.need(2);
  const std::string& p = r.c[2];
  if (p.size() == 10 && CivilDay::parse(p).ok() && CivilDay::parse(p)->to_string() == p) {
    g.period = "day";
    g.start = p;
  } else if (p.size() == 7 && CivilDay::parse(p + "-01").ok() &&
             CivilDay::parse(p + "-01")->to_string() == p + "-01") {
    g.period = "month";
    g.start = p;
  } else if (!p.empty()) {
    r.fail("bad_date", 2, "'" + p + "' is neither a day YYYY-MM-DD nor a month YYYY-MM");
  }
  g.kwh = r.amount(3);
  if (!r.ok) return;
  auto [it, added] = ctx.grid_seen.try_emplace(g.meter + "|" + g.start, g.kwh, r.line);
  if (!added) {
    if (parse_milli(it->second.first) == parse_milli(g.kwh)) {
      ++r.report.values_repeated;
    } else {
      ++r.report.values_conflicting;
      r.report.add(ImportIssue{"conflict", r.file, r.line, "kwh",
                               "meter '" + g.meter + "' " + g.start + " is " + it->second.first +
                                   " kWh at line " + std::to_string(it->second.second) + ": this row's " +
                                   g.kwh + " not imported"});
    }
    r.ok = false;  // not written twice
    r.repeat = true;
    return;
  }
  out.grid.push_back(std::move(g));
  out.at.push_back(r.line);
}

}  // namespace

const char* power_template_header(PowerTemplate t) { return kHeaders[static_cast<int>(t)]; }

StatusOr<PowerTemplate> power_template_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  for (int t = 0; t < kPowerTemplateCount; ++t) {
    if (cells(line) == cells(kHeaders[t])) return static_cast<PowerTemplate>(t);
  }
  return invalid_argument(path + ":1: the header is none of the power templates ('" + kHeaders[0] + "', '" +
                          kHeaders[1] + "', '" + kHeaders[2] + "')");
}

StatusOr<ImportReport> import_power_file(PowerStore& store, PowerTemplate t, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  ImportReport report;
  report.files = 1;
  const std::string file = std::filesystem::path(path).filename().string();
  const std::vector<std::string> columns = cells(power_template_header(t));
  if (!read_template_header(in, file, power_template_header(t), report)) return report;
  Context ctx;
  std::map<std::string, PowerLineRow> stored_lines;
  std::map<std::string, PowerSiteRow> stored_sites;
  if (t == PowerTemplate::kLines) {
    auto stored = store.lines("");
    if (!stored.ok()) return stored.status();
    for (PowerLineRow& l : *stored) {
      ctx.stored_roles[l.line] = l.role;
      stored_lines[l.line] = std::move(l);
    }
  } else if (t == PowerTemplate::kSites) {
    auto stored = store.sites();
    if (!stored.ok()) return stored.status();
    for (PowerSiteRow& s : *stored) stored_sites[s.site] = std::move(s);
  }
  Parsed parsed;
  int64_t n = 1;
  std::vector<std::string> c;
  while (next_template_row(in, file, columns.size(), report, n, c)) {
    Row row{report, file, n, columns, c};
    if (!row.utf8()) {  // reported: the row is not judged further
    } else if (t == PowerTemplate::kLines) {
      check_line(row, ctx, parsed);
    } else if (t == PowerTemplate::kSites) {
      check_site(row, ctx, parsed);
    } else {
      check_grid(row, ctx, parsed);
    }
    if (row.ok) {
      ++report.values;
    } else if (!row.repeat) {
      ++report.rows_rejected;
    }
  }
  // Registries: a row equal to the stored one is "same" and not written; a new or changed one is written.
  auto changed = [&report](const auto& rows, const auto& stored, auto key) {
    std::remove_cvref_t<decltype(rows)> out;
    for (const auto& r : rows) {
      auto it = stored.find(key(r));
      if (it != stored.end() && it->second == r) {
        ++report.merge.values_same;
      } else {
        ++report.merge.values_new;
        out.push_back(r);
      }
    }
    return out;
  };
  if (t == PowerTemplate::kLines) {
    ECOMON_RETURN_IF_ERROR(
        store.write_lines(changed(parsed.lines, stored_lines, [](const PowerLineRow& l) { return l.line; })));
  } else if (t == PowerTemplate::kSites) {
    ECOMON_RETURN_IF_ERROR(
        store.write_sites(changed(parsed.sites, stored_sites, [](const PowerSiteRow& s) { return s.site; })));
  } else {
    auto outcomes = store.write_grid(parsed.grid);
    if (!outcomes.ok()) return outcomes.status();
    for (size_t i = 0; i < outcomes->size(); ++i) {
      const PowerWriteOutcome& o = (*outcomes)[i];
      const GridEnergyRow& g = parsed.grid[i];
      if (o.kind == PowerWriteOutcome::Kind::kNew) {
        ++report.merge.values_new;
      } else if (o.kind == PowerWriteOutcome::Kind::kSame) {
        ++report.merge.values_same;
      } else {
        ++report.merge.values_conflicting;
        report.add(ImportIssue{"conflict", file, parsed.at[i], "kwh",
                               "meter '" + g.meter + "' " + g.start + " is stored as " + o.stored + ": " +
                                   g.kwh + " not imported"});
      }
    }
  }
  return report;
}

}  // namespace ecomon
