#include "cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/quality_commands.h"
#include "cli/soil_commands.h"
#include "core/json_text.h"
#include "demo/demo_archive.h"
#include "demo/quality_demo.h"
#include "demo/soil_demo.h"
#include "ingest/cnemc.h"
#include "ingest/hj212/check.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int g_exit_code = 0;

void print_progress(const ImportProgress& p) {
  double mb = static_cast<double>(p.bytes_done) / 1e6;
  std::fprintf(stderr, "\rimporting %lld/%lld files  %.1f MB  %.1f MB/s   ",
               static_cast<long long>(p.files_done), static_cast<long long>(p.files_total), mb,
               p.seconds > 0 ? mb / p.seconds : 0.0);
  if (p.files_done == p.files_total) std::fprintf(stderr, "\n");
}

// Runs an import and prints its report; returns the exit code.
int run_import(const std::string& db, const std::string& dir, const std::string& stations, int threads,
               const std::string& format) {
  auto stores = open_stores(db);
  if (!stores.ok()) {
    std::cerr << "error: " << stores.status().message() << "\n";
    return kExitFailed;
  }
  ImportOptions opt;
  opt.stations_file = stations;
  opt.threads = threads;
  if (isatty(STDERR_FILENO)) opt.progress = print_progress;
  // A value the centre republished becomes a version of the data audit with its file as source.
  opt.audit = &(*stores)->audit();
  opt.who = "import";
  auto report = import_cnemc((*stores)->time_series(), (*stores)->records(), dir, opt);
  if (!report.ok()) {
    std::cerr << "error: " << report.status().message() << "\n";
    return kExitFailed;
  }
  if (format == "json") {
    std::cout << json_text(to_json(*report), 2) << "\n";
  } else {
    std::cout << "import " << dir << " into " << db << "\n" << report->summary();
  }
  return report->has_rejections() ? kExitRejected : kExitOk;
}

}  // namespace

int last_exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

int run_guarded(const std::function<int()>& command, std::ostream& err) {
  try {
    return command();
  } catch (const std::exception& e) {
    err << "error: " << e.what() << " (unexpected: the command stopped here)\n";
  } catch (...) {
    err << "error: unexpected failure: the command stopped here\n";
  }
  return kExitFailed;
}

void register_import(CLI::App& app, GlobalOptions& global) {
  CLI::App* imp = app.add_subcommand("import", "import monitoring data into the store");
  imp->require_subcommand(1);
  struct Opts {
    std::string dir, stations, format = "table";
    int threads = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c =
      imp->add_subcommand("cnemc", "the national centre's daily archive (china_sites_YYYYMMDD.csv ...)");
  c->add_option("DIR", o->dir, "directory of archive files, or one file")->required();
  c->add_option("--stations", o->stations,
                "station list in the centre's layout (监测点编码,监测点名称,城市,...)");
  c->add_option("--threads", o->threads, "parser threads (default: all cores)");
  c->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  c->callback(
      [o, &global] { set_exit_code(run_import(global.db, o->dir, o->stations, o->threads, o->format)); });
}

namespace {

// --until of `demo`: "now" (the last complete hour of Beijing time) or "YYYY-MM-DD HH:00" (hour-ending,
// 01..24).
StatusOr<Hour> demo_until(const std::string& text) {
  if (text == "now") {
    constexpr int64_t kBeijingOffsetS = 8 * 3600, kSecondsPerDay = 86400, kSecondsPerHour = 3600;
    const int64_t civil = static_cast<int64_t>(std::time(nullptr)) + kBeijingOffsetS;
    const auto day = CivilDay::from_days(static_cast<int32_t>(civil / kSecondsPerDay));
    return Hour::ending(day, static_cast<int>(civil % kSecondsPerDay / kSecondsPerHour));
  }
  const std::string bad = "'" + text + "' is not \"now\" or \"YYYY-MM-DD HH:00\" (an hour 01..24)";
  if (text.size() != 16 || text[10] != ' ' || text.substr(13) != ":00") return invalid_argument(bad);
  auto d = CivilDay::parse(text.substr(0, 10));
  if (!d.ok()) return invalid_argument(bad);
  const std::string hh = text.substr(11, 2);
  if (hh[0] < '0' || hh[0] > '9' || hh[1] < '0' || hh[1] > '9') return invalid_argument(bad);
  const int h = std::stoi(hh);
  if (h < 1 || h > 24) return invalid_argument(bad);
  return Hour::ending(*d, h);
}

}  // namespace

void register_demo(CLI::App& app, GlobalOptions& global) {
  struct Opts {
    std::string out = "demo-data";
    int first = 2024, last = 2025;
    uint64_t seed = 20240101;
    bool no_import = false;
    std::string until;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = app.add_subcommand("demo",
                                   "write the demo city's data (演示市: air archive, water, groundwater, "
                                   "noise, rain, soil) and import it");
  c->add_option("--out", o->out,
                "directory for the generated files (default ./demo-data; quality data in <out>/quality)");
  c->add_option("--first-year", o->first, "first year (default 2024)");
  c->add_option("--last-year", o->last, "last year (default 2025)");
  c->add_option("--seed", o->seed, "random seed: the same seed gives the same files");
  c->add_flag("--no-import", o->no_import, "only write the files");
  c->add_option(
      "--until", o->until,
      "the live demo: the archive ends with this hour (\"YYYY-MM-DD HH:00\", hour-ending, or \"now\": "
      "the last complete hour, Beijing time); --last-year defaults to its year");
  c->callback([o, &global] {
    demo::DemoOptions d;
    d.first_year = o->first;
    d.last_year = o->last;
    d.seed = o->seed;
    if (!o->until.empty()) {
      auto h = demo_until(o->until);
      if (!h.ok()) {
        std::cerr << "error: --until: " << h.status().message() << "\n";
        set_exit_code(2);
        return;
      }
      d.until = *h;
      d.last_year = std::max(o->last, h->day().year());
      d.first_year = std::min(o->first, d.last_year - 1);
    }
    auto info = demo::write_demo_archive(d, o->out);
    if (!info.ok()) {
      std::cerr << "error: " << info.status().message() << "\n";
      set_exit_code(2);
      return;
    }
    std::cout << fmt::format("demo city {}: {} daily files in {}, station list {}\n", info->city,
                             info->files_written, info->archive_dir.string(), info->stations_file.string());
    const std::filesystem::path quality_dir = std::filesystem::path(o->out) / "quality";
    // The quality templates stay with whole years (monthly and yearly data): the last complete one.
    const int quality_last = d.until ? std::min(d.last_year, d.until->day().year() - 1) : d.last_year;
    auto quality = demo::write_quality_demo(
        {.first_year = std::min(d.first_year, quality_last), .last_year = quality_last, .seed = d.seed},
        quality_dir);
    if (!quality.ok()) {
      std::cerr << "error: " << quality.status().message() << "\n";
      set_exit_code(2);
      return;
    }
    std::cout << fmt::format(
        "demo city {} quality data: {} water sections, {} wells, {} drinking-water sources, "
        "{} noise points, {} rain samples in {}\n",
        info->city, quality->sections, quality->wells, quality->sources, quality->noise_points,
        quality->rain_samples, quality_dir.string());
    const std::filesystem::path soil_dir = std::filesystem::path(o->out) / "soil";
    auto soil = demo::write_soil_demo(d.seed, soil_dir);
    if (!soil.ok()) {
      std::cerr << "error: " << soil.status().message() << "\n";
      set_exit_code(2);
      return;
    }
    std::cout << fmt::format(
        "demo city {} soil data: {} farmland and {} development-land points, {} plots, {} "
        "parcels in {}\n",
        info->city, soil->farm_points, soil->dev_points, soil->plots, soil->parcels, soil_dir.string());
    if (o->no_import) return;
    const int air =
        run_import(global.db, info->archive_dir.string(), info->stations_file.string(), 0, "table");
    if (air == 2) {
      set_exit_code(air);
      return;
    }
    const int quality_import = import_quality_files(global.db, quality_dir.string());
    set_exit_code(std::max({air, quality_import, import_soil_files(global.db, soil_dir.string())}));
  });
}

namespace {

// A key as `hj212 check --key` takes it: 32 hex digits, or the 16 characters of a text key (the standard's
// test key is "0000000000000000"). The key itself is never echoed.
StatusOr<hj212::CpKey> parse_cli_key(std::string_view text, const std::string& where) {
  if (auto k = hj212::CpKey::from_hex(text)) return *k;
  if (auto k = hj212::CpKey::from_text(text)) return *k;
  return invalid_argument(where + ": an SM4 key is 32 hex digits or 16 characters (this one has " +
                          std::to_string(text.size()) + ")");
}

}  // namespace

// `ecomon store ship`: the cluster's spooled uploads to ClickHouse now (a running gateway ships them itself;
// reads see them either way: store/cluster_ingest.h). Nothing to do on SQLite.
void register_hj212(CLI::App& app, GlobalOptions& /*global*/) {
  CLI::App* h = app.add_subcommand("hj212", "HJ 212 (2005, 2017, 2025) tools");
  h->require_subcommand(1);
  struct Opts {
    std::string policy = "strict", file, key_file;
    std::vector<std::string> keys;
    int version = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c =
      h->add_subcommand("check", "validate messages (one per line) and print one JSON object per line");
  c->add_option("--policy", o->policy, "strict or lenient")->check(CLI::IsMember({"strict", "lenient"}));
  c->add_option("--version", o->version,
                "check every line as this version (2005, 2017 or 2025); default: its Flag")
      ->check(CLI::IsMember({2005, 2017, 2025}));
  c->add_option("--key", o->keys,
                "SM4 key of encrypted HJ 212-2025 CP areas: 32 hex digits or 16 characters; repeat for the "
                "current and the previous key (a key on the command line is visible to other users: prefer "
                "--key-file)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  c->add_option("--key-file", o->key_file, "file of SM4 keys, one per line (# comments)");
  c->add_option("FILE", o->file, "file of messages (default: standard input)");
  c->callback([o] {
    hj212::CheckOptions options;
    options.policy = o->policy == "lenient" ? hj212::Policy::lenient() : hj212::Policy::strict();
    if (o->version == 2005) options.version = hj212::ProtocolVersion::k2005;
    if (o->version == 2017) options.version = hj212::ProtocolVersion::k2017;
    if (o->version == 2025) options.version = hj212::ProtocolVersion::k2025;
    std::vector<hj212::CpKey> keys;
    for (size_t i = 0; i < o->keys.size(); ++i) {
      auto k = parse_cli_key(o->keys[i], "--key " + std::to_string(i + 1));
      if (!k.ok()) {
        std::cerr << "error: " << k.status().message() << "\n";
        return set_exit_code(2);
      }
      keys.push_back(*k);
    }
    if (!o->key_file.empty()) {
      std::ifstream kf(o->key_file);
      if (!kf) {
        std::cerr << "error: cannot open key file " << o->key_file << "\n";
        return set_exit_code(2);
      }
      std::string line;
      for (int n = 1; std::getline(kf, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto k = parse_cli_key(line, o->key_file + ":" + std::to_string(n));
        if (!k.ok()) {
          std::cerr << "error: " << k.status().message() << "\n";
          return set_exit_code(2);
        }
        keys.push_back(*k);
      }
    }
    options.keys = keys;
    if (o->file.empty() || o->file == "-")
      return set_exit_code(hj212::run_hj212_check(std::cin, std::cout, options));
    std::ifstream in(o->file, std::ios::binary);
    if (!in) {
      std::cerr << "error: cannot open " << o->file << "\n";
      return set_exit_code(2);
    }
    set_exit_code(hj212::run_hj212_check(in, std::cout, options));
  });
}

}  // namespace ecomon::cli
