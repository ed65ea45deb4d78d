// `ecomon water|groundwater|noise|rain assess|import`: adapters over the quality services (app/quality.h) and
// the template importer (ingest/quality_csv.h); the results are formatted by water/noise/rain's *_format.
// `ecomon water|noise hourly`: the automatic stations' hours over HJ 212 (app/quality_stations.h).
#include "cli/quality_commands.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/quality.h"
#include "app/quality_stations.h"
#include "cli/cli_actor.h"
#include "cli/table_output.h"
#include "core/json_text.h"
#include "core/utf8.h"
#include "ingest/quality_csv.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

using nlohmann::json;

enum class Format : uint8_t { kTable, kCsv, kJson };

struct QualityOpts {
  std::string period, format = "table", vocabulary = "2011", dir;
  int year = 0;
};

StatusOr<Format> parse_format(const std::string& f) {
  if (f == "table") return Format::kTable;
  if (f == "csv") return Format::kCsv;
  if (f == "json") return Format::kJson;
  return invalid_argument("--format must be table, csv or json");
}

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// An assessment verb: the period and format parsed, the stores opened, the service called, the result
// formatted (JSON, or the tables `text` renders).
template <typename Report>
int run_assessment(const std::string& db, const QualityOpts& o,
                   StatusOr<Report> (*service)(Stores&, const Actor&, const app::QualityPeriod&),
                   const std::function<json(const Report&)>& to_json,
                   const std::function<void(const Report&, bool csv)>& print) {
  auto period = app::quality_period(o.year, o.period);
  if (!period.ok()) return fail(period.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto report = service(**stores, Actor::operator_cli(), *period);
  if (!report.ok()) return fail(report.status());
  if (*format == Format::kJson) {
    std::cout << json_text(to_json(*report), 2) << "\n";
  } else {
    print(*report, *format == Format::kCsv);
  }
  return 0;
}

water::Vocabulary vocabulary(const QualityOpts& o) {
  return o.vocabulary == "bulletin" ? water::Vocabulary::kBulletin : water::Vocabulary::kMethod2011;
}

int run_water(const std::string& db, const QualityOpts& o) {
  const water::Vocabulary v = vocabulary(o);
  return run_assessment<water::WaterReport>(
      db, o, app::water_assessment, [v](const water::WaterReport& r) { return water::water_json(r, v); },
      [v](const water::WaterReport& r, bool csv) { std::cout << water::water_text(r, csv, v); });
}

int run_groundwater(const std::string& db, const QualityOpts& o) {
  return run_assessment<groundwater::GroundwaterReport>(
      db, o, app::groundwater_assessment, groundwater::groundwater_json,
      [](const groundwater::GroundwaterReport& r, bool csv) {
        std::cout << groundwater::groundwater_text(r, csv);
      });
}

int run_noise(const std::string& db, const QualityOpts& o) {
  return run_assessment<noise::NoiseReport>(
      db, o, app::noise_assessment, noise::noise_json, [](const noise::NoiseReport& r, bool csv) {
        print_rows(csv, "功能区声环境达标率 " + r.period, {"功能区", "时段", "达标点次/监测点次", "达标率"},
                   noise::zone_rows(r));
        print_rows(csv, "声环境质量等级", {"类型", "时段", "等效声级dB(A)", "等级", "评价"},
                   noise::grade_rows(r));
      });
}

int run_rain(const std::string& db, const QualityOpts& o) {
  return run_assessment<rain::RainReport>(
      db, o, app::rain_assessment, rain::rain_json, [](const rain::RainReport& r, bool csv) {
        print_rows(
            csv, "降水 " + r.period,
            {"站点", "样品数", "雨量加权pH", "最低pH", "酸雨频率", "较重酸雨频率", "重酸雨频率", "类别"},
            rain::site_rows(r));
      });
}

// ---- import ----

// "water_values.csv: 3168 rows stored, 0 rejected", then each listed issue as "  kind: file:line [column]:
// message".
void print_file_report(const std::string& file, const ImportReport& r) {
  std::cout << file << ": " << r.values << " rows stored, " << r.rows_rejected + r.files_rejected
            << " rejected";
  if (r.files_rejected > 0) std::cout << " (the whole file: its header is not the template's)";
  std::cout << "\n";
  for (const ImportIssue& i : r.issues) {
    std::cout << "  " << i.kind << ": " << escape_invalid_utf8(i.where()) << ": "
              << escape_invalid_utf8(i.message) << "\n";
  }
  for (const auto& [kind, n] : r.issue_counts) {
    if (static_cast<size_t>(n) > ImportReport::kMaxListedPerKind) {
      std::cout << "  (" << static_cast<size_t>(n) - ImportReport::kMaxListedPerKind << " more " << kind
                << " not listed)\n";
    }
  }
}

int run_import(const std::string& db, const std::string& path, std::vector<QualityTemplate> templates) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  QualityStore& qs = (*stores)->quality();
  ImportReport total;
  bool any = false;
  if (std::filesystem::is_directory(path)) {
    for (QualityTemplate t : templates) {
      std::filesystem::path p = std::filesystem::path(path) / template_file_name(t);
      if (!std::filesystem::exists(p)) continue;
      any = true;
      auto r = import_quality_file(qs, t, p.string());
      if (!r.ok()) return fail(r.status());
      print_file_report(template_file_name(t), *r);
      total.rows_rejected += r->rows_rejected + r->files_rejected;
    }
    if (!any) return fail(not_found("no template file in '" + path + "'"));
    return total.rows_rejected > 0 ? 1 : 0;
  }
  // One file: the template is the one whose header the file has.
  std::ifstream in(path);
  std::string header;
  if (!in || !std::getline(in, header)) return fail(not_found("cannot read '" + path + "'"));
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);
  while (!header.empty() && header.back() == '\r') header.pop_back();
  for (QualityTemplate t : templates) {
    if (header != template_header(t)) continue;
    auto r = import_quality_file(qs, t, path);
    if (!r.ok()) return fail(r.status());
    print_file_report(std::filesystem::path(path).filename().string(), *r);
    return r->rows_rejected + r->files_rejected > 0 ? 1 : 0;
  }
  std::string known;
  for (QualityTemplate t : templates) known += std::string("\n  ") + template_header(t);
  return fail(invalid_argument("'" + path + "': header '" + escape_invalid_utf8(header) +
                               "' is none of the templates:" + known));
}

// The template files each verb imports, in dependency order (registries before the values that name them).
struct KindTemplates {
  const char* kind;
  std::vector<QualityTemplate> templates;
};
const std::vector<KindTemplates>& kinds() {
  using T = QualityTemplate;
  static const std::vector<KindTemplates> kKinds = {
      {"water", {T::kWaterSections, T::kWaterValues, T::kSources, T::kSourceSamples}},
      {"groundwater", {T::kWells, T::kWellValues}},
      {"noise", {T::kNoisePoints, T::kNoiseValues}},
      {"rain", {T::kRainSamples}},
  };
  return kKinds;
}
const std::vector<QualityTemplate>& templates_of(std::string_view kind) {
  for (const KindTemplates& k : kinds()) {
    if (kind == k.kind) return k.templates;
  }
  static const std::vector<QualityTemplate> kNone;
  return kNone;
}

void add_assess(CLI::App* parent, GlobalOptions& global, const char* help,
                int (*run)(const std::string&, const QualityOpts&)) {
  auto opts = std::make_shared<QualityOpts>();
  CLI::App* a = parent->add_subcommand("assess", help);
  a->add_option("--year", opts->year, "calendar year");
  a->add_option("--period", opts->period, "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM..YYYY-MM");
  a->add_option("--format", opts->format, "table|csv|json");
  if (run == run_water) a->add_option("--vocabulary", opts->vocabulary, "change words: 2011|bulletin");
  a->callback([opts, run, &global] { set_exit_code(run(global.db, *opts)); });
}

struct HourlyOpts {
  std::string station, from, to, format = "table", as_user;
};

// `water hourly` / `noise hourly`: the request parsed, the stores opened, the service called, formatted.
template <typename Result>
int run_hourly(const std::string& db, const HourlyOpts& o,
               StatusOr<Result> (*service)(Stores&, const Actor&, const app::QualityHourlyRequest&),
               json (*to_json)(const Result&), std::string (*text)(const Result&, bool)) {
  auto req = app::quality_hourly_request(o.station, o.from, o.to, false);
  if (!req.ok()) return fail(req.status());
  auto format = parse_format(o.format);
  if (!format.ok()) return fail(format.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto who = cli_actor(**stores, o.as_user);
  if (!who.ok()) return fail(who.status());
  auto r = service(**stores, *who, *req);
  if (!r.ok()) return fail(r.status());
  if (*format == Format::kJson) {
    std::cout << json_text(to_json(*r), 2) << "\n";
  } else {
    std::cout << text(*r, *format == Format::kCsv);
  }
  return 0;
}

template <typename Result>
void add_hourly(CLI::App* parent, GlobalOptions& global, const char* help,
                StatusOr<Result> (*service)(Stores&, const Actor&, const app::QualityHourlyRequest&),
                json (*to_json)(const Result&), std::string (*text)(const Result&, bool)) {
  auto o = std::make_shared<HourlyOpts>();
  CLI::App* h = parent->add_subcommand("hourly", help);
  h->add_option("--station", o->station, "the station's code (stations register)")->required();
  h->add_option("--from", o->from, "first hour, named by its end (\"2026-12-07 10:00\"), or a day")
      ->required();
  h->add_option("--to", o->to, "last hour, or a day (its 24:00); default: --from");
  h->add_option("--format", o->format, "table|csv|json");
  h->add_option("--as", o->as_user, "act as this stored user");
  h->callback([o, &global, service, to_json, text] {
    set_exit_code(run_hourly<Result>(global.db, *o, service, to_json, text));
  });
}

void add_import(CLI::App* parent, GlobalOptions& global, std::vector<QualityTemplate> templates) {
  auto path = std::make_shared<std::string>();
  CLI::App* i = parent->add_subcommand(
      "import", "import CSV templates: one file, or every template file in a directory");
  i->add_option("path", *path, "file or directory (docs/quality-import.md)")->required();
  i->callback([path, templates, &global] { set_exit_code(run_import(global.db, *path, templates)); });
}

}  // namespace

int import_quality_files(const std::string& db, const std::string& dir) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  QualityStore& qs = (*stores)->quality();
  bool any = false, rejected = false;
  for (const KindTemplates& k : kinds()) {
    int64_t files = 0, stored = 0, rows_rejected = 0;
    std::vector<ImportIssue> issues;
    for (QualityTemplate t : k.templates) {
      std::filesystem::path p = std::filesystem::path(dir) / template_file_name(t);
      if (!std::filesystem::exists(p)) continue;
      auto r = import_quality_file(qs, t, p.string());
      if (!r.ok()) return fail(r.status());
      ++files;
      stored += r->values;
      rows_rejected += r->rows_rejected + r->files_rejected;
      issues.insert(issues.end(), r->issues.begin(), r->issues.end());
    }
    if (files == 0) continue;
    any = true;
    rejected = rejected || rows_rejected > 0;
    std::cout << "quality " << k.kind << ": " << files << " files, " << stored << " rows stored, "
              << rows_rejected << " rejected\n";
    for (const ImportIssue& i : issues)
      std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  }
  if (!any) return fail(not_found("no quality template file in '" + dir + "'"));
  return rejected ? 1 : 0;
}

void register_quality(CLI::App& app, GlobalOptions& global) {
  CLI::App* w = app.add_subcommand("water", "surface water (GB 3838-2002) and drinking-water sources");
  w->require_subcommand(1);
  add_assess(w, global, "section classes, status, targets, rivers, change, drinking-water sources",
             run_water);
  add_import(w, global, templates_of("water"));
  add_hourly<water::WaterHourly>(
      w, global,
      "a surface-water automatic station's hours (HJ 212 ST 21): GB 3838 class per item and the worst",
      app::water_hourly, water::water_hourly_json, water::water_hourly_text);

  CLI::App* g = app.add_subcommand("groundwater", "groundwater (GB/T 14848-2017)");
  g->require_subcommand(1);
  add_assess(g, global, "well classes, indicators over class III, F value", run_groundwater);
  add_import(g, global, templates_of("groundwater"));

  CLI::App* n = app.add_subcommand("noise", "environmental noise (GB 3096-2008, HJ 640-2012)");
  n->require_subcommand(1);
  add_assess(n, global, "functional-zone compliance, regional and road-traffic grades", run_noise);
  add_import(n, global, templates_of("noise"));
  add_hourly<noise::NoiseHourly>(
      n, global, "a noise station's hours (HJ 212 ST 23): L_eq, day or night, the zone's limit",
      app::noise_hourly, noise::noise_hourly_json, noise::noise_hourly_text);

  CLI::App* r = app.add_subcommand("rain", "acid rain");
  r->require_subcommand(1);
  add_assess(r, global, "rainfall-weighted pH, acid-rain frequency, class", run_rain);
  add_import(r, global, templates_of("rain"));
}

}  // namespace ecomon::cli
