#include "ingest/quality_csv.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/time.h"
#include "noise/noise.h"
#include "standards/water/exact.h"
#include "standards/water/gb14848.h"
#include "standards/water/gb3838.h"
#include "water/assessment.h"

namespace ecomon {
namespace {

constexpr int64_t kMaxPh = 14;
constexpr int64_t kMaxDecibels = 200;

struct TemplateInfo {
  QualityTemplate t;
  const char* file;
  const char* header;
};
constexpr TemplateInfo kTemplates[] = {
    {QualityTemplate::kWaterSections, "water_sections.csv", "section,river,county,body,target,level"},
    {QualityTemplate::kWaterValues, "water_values.csv", "section,month,item,value,unit"},
    {QualityTemplate::kWells, "wells.csv", "well,county,type"},
    {QualityTemplate::kWellValues, "well_values.csv", "well,date,indicator,value,unit"},
    {QualityTemplate::kSources, "drinking_sources.csv", "source,county,kind"},
    {QualityTemplate::kSourceSamples, "drinking_samples.csv", "source,month,volume,item,value,unit"},
    {QualityTemplate::kNoisePoints, "noise_points.csv", "point,kind,zone,length_km"},
    {QualityTemplate::kNoiseValues, "noise_values.csv", "point,date,part,leq,lmax"},
    {QualityTemplate::kRainSamples, "rain_samples.csv", "site,date,ph,rainfall_mm"},
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  split_csv_fields(line, out);
  for (std::string& s : out) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    size_t b = s.find_first_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool unit_fits(std::string_view expected, const std::string& given) {
  std::string g = lower(given), e = lower(std::string(expected));
  if (g == e) return true;
  if (e == "无量纲" || e.empty()) return g.empty() || g == "无量纲" || g == "-" || g == "ph";
  if (e == "℃") return g == "c" || g == "°c" || g == "degc";
  if (e == "ug/l") return g == "μg/l" || g == "µg/l";
  if (e == "mpn/100ml") return g == "cfu/100ml";
  return false;
}

bool valid_month(const std::string& m) { return m.size() == 7 && CivilDay::parse(m + "-01").ok(); }
bool valid_day(const std::string& d) { return d.size() == 10 && CivilDay::parse(d).ok(); }

// One row being checked: reports problems at file:line [column].
struct RowCheck {
  ImportReport& report;
  const std::string& file;
  int64_t line;
  bool ok = true;
  void fail(const std::string& kind, const std::string& field, const std::string& message) {
    report.add(ImportIssue{kind, file, line, field, message});
    ok = false;
  }
  // A non-negative decimal within [0, max] (max 0: unbounded).
  std::optional<Rational> number(const std::string& field, const std::string& text, int64_t max = 0) {
    auto v = exact::parse(text);
    if (!v) {
      fail("bad_number", field, "'" + text + "' is not a number");
      return std::nullopt;
    }
    if (v->num < 0) {
      fail("negative_value", field, "'" + text + "' is negative");
      return std::nullopt;
    }
    if (max > 0 && *v > Rational{max, 1}) {
      fail("out_of_range", field, "'" + text + "' is above " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }
};

}  // namespace

const char* template_file_name(QualityTemplate t) { return kTemplates[static_cast<int>(t)].file; }
const char* template_header(QualityTemplate t) { return kTemplates[static_cast<int>(t)].header; }

std::vector<std::vector<std::string>> check_template_text(QualityTemplate t, std::string_view text,
                                                          const std::string& file, const TemplateRefs& refs,
                                                          ImportReport& report) {
  std::istringstream in{std::string(text)};
  report.files = 1;
  std::string line;
  if (!std::getline(in, line)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_layout", file, 1, "", "empty file"});
    return {};
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
  report.bytes += static_cast<int64_t>(line.size());
  std::vector<std::string> header = split_csv(line);
  std::vector<std::string> expected = split_csv(template_header(t));
  if (auto bad = find_non_utf8_cell(header)) {
    report.files_rejected = 1;
    report.add(ImportIssue{"bad_utf8", file, 1, bad->column, "header: " + bad->message});
    return {};
  }
  if (header != expected) {
    report.files_rejected = 1;
    report.add(
        ImportIssue{"bad_layout", file, 1, "", "header must be '" + std::string(template_header(t)) + "'"});
    return {};
  }

  const std::set<std::string>& known = refs.known;
  const std::map<std::string, std::string>& source_kind = refs.source_kind;
  std::vector<std::vector<std::string>> good;
  std::set<std::string> keys;
  int64_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    report.bytes += static_cast<int64_t>(line.size()) + 1;
    if (line.empty() || line == "\r" || line[0] == '#') continue;
    ++report.rows;
    std::vector<std::string> c = split_csv(line);
    RowCheck row{report, file, n};
    if (auto bad = find_non_utf8_cell(c, expected)) {
      row.fail("bad_utf8", bad->column, bad->message);
      ++report.rows_rejected;
      continue;
    }
    if (c.size() != expected.size()) {
      row.fail("bad_row", "",
               std::to_string(c.size()) + " cells, the header has " + std::to_string(expected.size()));
      ++report.rows_rejected;
      continue;
    }
    auto need = [&](size_t i) {
      if (c[i].empty()) row.fail("missing_value", expected[i], "empty");
      return !c[i].empty();
    };
    auto known_ref = [&](size_t i, const char* what) {
      if (need(i) && !known.count(c[i]))
        row.fail("unknown_" + std::string(what), expected[i], "'" + c[i] + "' is not registered");
    };
    std::vector<std::string> out;
    std::string key;
    switch (t) {
      case QualityTemplate::kWaterSections: {
        need(0);
        if (!c[3].empty() && !water::parse_body(c[3]).ok())
          row.fail("bad_body", "body", water::parse_body(c[3]).status().message());
        if (c[4].empty()) {
          row.fail("no_target", "target", "section '" + c[0] + "' has no target class (目标水质)");
        } else if (auto tc = water::parse_class(c[4]); !tc.ok()) {
          row.fail("bad_class", "target", tc.status().message());
        } else {
          c[4] = std::string(water::class_name(*tc));
        }
        std::string body = c[3].empty() ? "river" : c[3];
        if (auto b = water::parse_body(body); b.ok())
          body = *b == water::WaterBody::kRiver ? "river" : "lake";
        out = {c[0], c[1], c[2], body, c[4], c[5]};
        key = c[0];
        break;
      }
      case QualityTemplate::kWaterValues: {
        known_ref(0, "section");
        if (!valid_month(c[1])) row.fail("bad_date", "month", "'" + c[1] + "' is not YYYY-MM");
        auto item = water::item_by_name(c[2]);
        if (!item) {
          row.fail("unknown_item", "item", "'" + c[2] + "' is not a GB 3838 Table 1 item");
        } else if (!unit_fits(water::item_info(*item).unit, c[4])) {
          row.fail("bad_unit", "unit",
                   "'" + c[4] + "' does not fit " + std::string(water::item_info(*item).name_cn) + " (" +
                       std::string(water::item_info(*item).unit) + ")");
        }
        auto v = row.number("value", c[3], item == water::Item::kPH ? kMaxPh : 0);
        if (item && v) out = {c[0], c[1], std::string(water::item_info(*item).key), exact::to_string(*v)};
        key = c[0] + "|" + c[1] + "|" + (item ? std::string(water::item_info(*item).key) : c[2]);
        break;
      }
      case QualityTemplate::kWells:
      case QualityTemplate::kSources: {
        need(0);
        std::string kind = lower(c[2]);
        if (t == QualityTemplate::kSources && kind != "surface" && kind != "ground") {
          row.fail("bad_kind", "kind", "'" + c[2] + "' is not surface|ground");
        }
        out = {c[0], c[1], kind};
        key = c[0];
        break;
      }
      case QualityTemplate::kWellValues: {
        known_ref(0, "well");
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto ind = groundwater::indicator_by_name(c[2]);
        if (!ind) {
          row.fail("unknown_item", "indicator",
                   "'" + c[2] + "' is not one of the 39 GB/T 14848 conventional indicators");
        } else if (!unit_fits(groundwater::indicator_info(*ind).unit, c[4])) {
          row.fail("bad_unit", "unit",
                   "'" + c[4] + "' does not fit " + std::string(groundwater::indicator_info(*ind).name_cn) +
                       " (" + std::string(groundwater::indicator_info(*ind).unit) + ")");
        }
        std::string value = c[3];
        bool nd = false;
        if (value == "无")
          value = "0";
        else if (value == "有")
          value = "1";
        else if (lower(value) == "nd" || value == "未检出") {
          value = "0";
          nd = true;
        } else if (!value.empty() && value[0] == '<') {
          value = value.substr(1);
          nd = true;
        }
        auto v = row.number("value", value, ind == groundwater::Indicator::kPH ? kMaxPh : 0);
        if (ind && v)
          out = {c[0], c[1], std::string(groundwater::indicator_info(*ind).key), exact::to_string(*v),
                 nd ? "1" : "0"};
        key = c[0] + "|" + c[1] + "|" + c[2];
        break;
      }
      case QualityTemplate::kSourceSamples: {
        known_ref(0, "source");
        if (!valid_month(c[1])) row.fail("bad_date", "month", "'" + c[1] + "' is not YYYY-MM");
        auto vol = row.number("volume", c[2]);
        std::string item_key, unit;
        const auto kind_of = source_kind.find(c[0]);
        bool ground = kind_of != source_kind.end() && kind_of->second == "ground";
        if (ground) {
          if (auto ind = groundwater::indicator_by_name(c[3])) {
            item_key = groundwater::indicator_info(*ind).key;
            unit = groundwater::indicator_info(*ind).unit;
          }
        } else if (auto it = water::item_by_name(c[3])) {
          item_key = water::item_info(*it).key;
          unit = water::item_info(*it).unit;
        } else if (auto sup = water::supplementary_by_name(c[3])) {
          item_key = water::supplementary_key(*sup);
          unit = "mg/L";
        }
        if (item_key.empty()) {
          row.fail("unknown_item", "item",
                   "'" + c[3] + "' is not a " + (ground ? "GB/T 14848" : "GB 3838 Table 1/2") + " item");
        } else if (!unit_fits(unit, c[5])) {
          row.fail("bad_unit", "unit", "'" + c[5] + "' does not fit " + c[3] + " (" + unit + ")");
        }
        auto v = row.number("value", c[4]);
        if (vol && v && !item_key.empty())
          out = {c[0], c[1], item_key, exact::to_string(*v), exact::to_string(*vol)};
        key = c[0] + "|" + c[1] + "|" + item_key;
        break;
      }
      case QualityTemplate::kNoisePoints: {
        need(0);
        std::string kind = lower(c[1]);
        if (kind != "zone" && kind != "regional" && kind != "road") {
          row.fail("bad_kind", "kind", "'" + c[1] + "' is not zone|regional|road");
        }
        std::string zone;
        if (kind == "zone") {
          if (auto z = noise::parse_zone(c[2]); z.ok())
            zone = std::string(noise::zone_name(*z));
          else
            row.fail("bad_zone", "zone", z.status().message());
        }
        std::string length;
        if (kind == "road") {
          if (auto l = row.number("length_km", c[3])) {
            if (l->num == 0) row.fail("out_of_range", "length_km", "a road section needs a length above 0");
            length = exact::to_string(*l);
          }
        }
        out = {c[0], kind, zone, length};
        key = c[0];
        break;
      }
      case QualityTemplate::kNoiseValues: {
        known_ref(0, "point");
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto part = noise::parse_part(c[2]);
        if (!part.ok()) row.fail("bad_part", "part", part.status().message());
        auto leq = row.number("leq", c[3], kMaxDecibels);
        std::optional<Rational> lmax;
        if (!c[4].empty()) lmax = row.number("lmax", c[4], kMaxDecibels);
        if (leq && part.ok()) {
          out = {c[0], c[1], *part == noise::DayPart::kDay ? "day" : "night", exact::to_string(*leq),
                 lmax ? exact::to_string(*lmax) : ""};
        }
        key = c[0] + "|" + c[1] + "|" + c[2];
        break;
      }
      case QualityTemplate::kRainSamples: {
        need(0);
        if (!valid_day(c[1])) row.fail("bad_date", "date", "'" + c[1] + "' is not YYYY-MM-DD");
        auto ph = row.number("ph", c[2], kMaxPh);
        auto rain = row.number("rainfall_mm", c[3]);
        if (ph && rain) out = {c[0], c[1], exact::to_string(*ph), exact::to_string(*rain)};
        key = c[0] + "|" + c[1];
        break;
      }
    }
    if (row.ok && !keys.insert(key).second)
      row.fail("duplicate", "", "the same key appears earlier in this file");
    if (!row.ok) {
      ++report.rows_rejected;
      continue;
    }
    report.values += 1;
    good.push_back(std::move(out));
  }

  return good;
}

QualityBatch quality_batch(QualityTemplate t, const std::vector<std::vector<std::string>>& rows) {
  QualityBatch b;
  for (const std::vector<std::string>& r : rows) {
    switch (t) {
      case QualityTemplate::kWaterSections:
        b.water_sections.push_back({r[0], r[1], r[2], r[3], r[4], r[5]});
        break;
      case QualityTemplate::kWaterValues:
        b.water_values.push_back({r[0], r[1], r[2], r[3], false, ""});
        break;
      case QualityTemplate::kWells:
        b.wells.push_back({r[0], r[1], r[2], "", ""});
        break;
      case QualityTemplate::kWellValues:
        b.well_values.push_back({r[0], r[1], r[2], r[3], r[4] == "1", ""});
        break;
      case QualityTemplate::kSources:
        b.sources.push_back({r[0], r[1], r[2], "", ""});
        break;
      case QualityTemplate::kSourceSamples:
        b.source_values.push_back({r[0], r[1], r[2], r[3], false, r[4]});
        break;
      case QualityTemplate::kNoisePoints:
        b.noise_points.push_back({r[0], "", r[1], r[2], r[3]});
        break;
      case QualityTemplate::kNoiseValues:
        b.noise_values.push_back({r[0], r[1], r[2], r[3], r[4]});
        break;
      case QualityTemplate::kRainSamples:
        b.rain_samples.push_back({r[0], r[1], r[2], r[3]});
        break;
    }
  }
  return b;
}

namespace {

// The registry a template's rows name, as TemplateRefs.
StatusOr<TemplateRefs> refs_of(QualityStore& store, QualityTemplate t) {
  TemplateRefs refs;
  StatusOr<std::vector<SiteRecord>> sites = std::vector<SiteRecord>{};
  switch (t) {
    case QualityTemplate::kWaterValues: {
      auto sections = store.water_sections();
      if (!sections.ok()) return sections.status();
      for (const WaterSectionRecord& s : *sections) refs.known.insert(s.name);
      return refs;
    }
    case QualityTemplate::kWellValues:
      sites = store.wells();
      break;
    case QualityTemplate::kSourceSamples:
      sites = store.sources();
      break;
    case QualityTemplate::kNoiseValues:
      sites = store.noise_points();
      break;
    default:
      return refs;
  }
  if (!sites.ok()) return sites.status();
  for (const SiteRecord& s : *sites) {
    refs.known.insert(s.name);
    if (t == QualityTemplate::kSourceSamples) refs.source_kind[s.name] = s.kind;
  }
  return refs;
}

}  // namespace

StatusOr<ImportReport> import_quality_file(QualityStore& store, QualityTemplate t, const std::string& path) {
  auto started = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return data_loss("error reading '" + path + "'");
  const std::string file = std::filesystem::path(path).filename().string();
  auto refs = refs_of(store, t);
  if (!refs.ok()) return refs.status();
  ImportReport report;
  const std::vector<std::vector<std::string>> good = check_template_text(t, text.str(), file, *refs, report);
  if (report.files_rejected > 0) return report;
  if (Status s = store.write(quality_batch(t, good)); !s.ok())
    return s.with_context("importing " + file + " (nothing stored)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

StatusOr<ImportReport> import_quality_dir(QualityStore& store, const std::string& dir) {
  ImportReport total;
  bool any = false;
  for (const QualityTemplate t : kQualityTemplates) {
    std::filesystem::path p = std::filesystem::path(dir) / template_file_name(t);
    if (!std::filesystem::exists(p)) continue;
    any = true;
    auto r = import_quality_file(store, t, p.string());
    if (!r.ok()) return r.status();
    total.files += r->files;
    total.files_rejected += r->files_rejected;
    total.bytes += r->bytes;
    total.rows += r->rows;
    total.rows_rejected += r->rows_rejected;
    total.values += r->values;
    total.seconds += r->seconds;
    for (const ImportIssue& i : r->issues) total.add(i);
  }
  if (!any)
    return not_found("no import template file in '" + dir + "' (water_sections.csv, water_values.csv, ...)");
  return total;
}

}  // namespace ecomon
