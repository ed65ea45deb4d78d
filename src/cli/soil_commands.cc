// `ecomon soil import|assess|plots`: adapters over the soil services (app/soil.h) and the template importer
// (ingest/soil_csv.h); the results are formatted by soil/soil_format.h.
#include "cli/soil_commands.h"
#include "cli/cli_args.h"

#include <iostream>
#include <memory>

#include "app/soil.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "ingest/soil_csv.h"
#include "soil/soil_format.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

struct SoilOpts {
  std::string county, format = "table";
};

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// `soil assess`: exit 1 when a point could not be judged.
int run_assess(const std::string& db, const SoilOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = app::soil_assessment(**stores, Actor::operator_cli(), o.county);
  if (!r.ok()) return fail(r.status());
  std::cout << (o.format == "json" ? json_text(soil::survey_json(*r), 2) + "\n"
                                   : soil::survey_text(*r, o.format == "csv"));
  return r->not_judged() > 0 ? 1 : 0;
}

int run_plots(const std::string& db, const SoilOpts& o) {
  if (Status s = check_format(o.format); !s.ok()) return fail(s);
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = app::soil_plots(**stores, Actor::operator_cli(), o.county);
  if (!r.ok()) return fail(r.status());
  std::cout << (o.format == "json" ? json_text(soil::plots_json(*r), 2) + "\n"
                                   : soil::plots_text(*r, o.format == "csv"));
  return 0;
}

}  // namespace

int import_soil_files(const std::string& db, const std::string& path) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto r = import_soil_path((*stores)->soil(), path);
  if (!r.ok()) return fail(r.status());
  std::cout << "soil: " << r->files << " files, " << r->rows << " rows, " << r->values << " stored ("
            << r->merge.values_new << " new values, " << r->merge.values_same << " already stored, "
            << r->merge.values_conflicting << " conflicting, stored values kept), " << r->rows_rejected
            << " rejected\n";
  for (const ImportIssue& i : r->issues)
    std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  for (const auto& [kind, n] : r->issue_counts) {
    if (static_cast<size_t>(n) > ImportReport::kMaxListedPerKind) {
      std::cout << "  " << kind << ": " << n - static_cast<int64_t>(ImportReport::kMaxListedPerKind)
                << " more not listed\n";
    }
  }
  return r->issue_total() > 0 || r->files_rejected > 0 ? 1 : 0;
}

void register_soil(CLI::App& app, GlobalOptions& global) {
  CLI::App* soil_cmd =
      app.add_subcommand("soil", "soil (GB 15618-2018 farmland, GB 36600-2018 development land)");
  soil_cmd->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  CLI::App* imp =
      soil_cmd->add_subcommand("import", "import soil CSV templates: one file, or every one in a directory");
  imp->add_option("path", *path, "file or directory (docs/soil.md)")->required();
  imp->callback([path, &global] { set_exit_code(import_soil_files(global.db, *path)); });

  auto opts = std::make_shared<SoilOpts>();
  CLI::App* assess =
      soil_cmd->add_subcommand("assess", "points judged, categories, counts per county, both rates");
  assess->add_option("--county", opts->county, "one county (区县)");
  assess->add_option("--format", opts->format, "table|csv|json");
  assess->callback([opts, &global] { set_exit_code(run_assess(global.db, *opts)); });

  auto popts = std::make_shared<SoilOpts>();
  CLI::App* plots =
      soil_cmd->add_subcommand("plots", "the development-land plot registry and 污染地块安全利用率");
  plots->add_option("--county", popts->county, "one county (区县)");
  plots->add_option("--format", popts->format, "table|csv|json");
  plots->callback([popts, &global] { set_exit_code(run_plots(global.db, *popts)); });
}

}  // namespace ecomon::cli
