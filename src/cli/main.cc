// ecomon: one command for the platform. `ecomon --help` lists the verbs; every verb takes --store URL or --db
// PATH (or ECOMON_STORE / ECOMON_DB).
//
// Exit codes, the same for every verb (commands.h, README "Exit codes"): 0 done, 1 done but some input was
// rejected or conflicted (reported), 2 failed (nothing or not everything done: bad arguments, a store that
// cannot be opened, an unexpected error). Nothing a verb does ends the process otherwise: arguments that are
// not UTF-8 are refused before any verb runs, and an exception escaping a verb is reported, exit 2.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/bulletin_commands.h"
#include "cli/commands.h"
#include "cli/emissions_commands.h"
#include "cli/notify_options.h"
#include "cli/quality_commands.h"
#include "core/utf8.h"
#include "store/sqlite_setup.h"

namespace {

using namespace ecomon::cli;

// The first argument that is not UTF-8, as an error message naming it; empty when all are.
std::string invalid_argument_text(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (auto bad = ecomon::first_invalid_utf8(arg)) {
      return "argument " + std::to_string(i) + " '" + ecomon::escape_invalid_utf8(arg) +
             "': " + ecomon::describe_invalid_utf8(arg, *bad) + "; arguments must be UTF-8";
    }
  }
  return "";
}

int run(int argc, char** argv) {
  if (std::string bad = invalid_argument_text(argc, argv); !bad.empty()) {
    std::cerr << "error: " << bad << "\n";
    return kExitFailed;
  }
  ecomon::configure_sqlite();  // before any database is opened (store/sqlite_setup.h)
  CLI::App app{"ecomon - eco-environment monitoring and governance platform"};
  app.require_subcommand(1);
  GlobalOptions global;
  // The store: --store URL (store/open.h: a path, sqlite:PATH, or a cluster's
  // postgresql://...?clickhouse=...) or its SQLite shorthand --db PATH; else $ECOMON_STORE, else $ECOMON_DB,
  // else ./ecomon.db.
  if (const char* env = std::getenv("ECOMON_DB"); env && *env) global.db = env;
  if (const char* env = std::getenv("ECOMON_STORE"); env && *env) global.db = env;
  auto* store_opt =
      app.add_option("--store", global.db,
                     "store URL: PATH | sqlite:PATH | postgresql://USER@HOST:PORT/DB?clickhouse="
                     "HOST:PORT,... (docs/cluster.md); default $ECOMON_STORE, $ECOMON_DB or ./ecomon.db");
  app.add_option("--db", global.db, "store file (SQLite), the shorthand of --store PATH")
      ->excludes(store_opt);

  register_demo(app, global);
  register_import(app, global);
  register_air(app, global);
  register_audit(app, global);
  register_stations(app, global);
  register_hj212(app, global);
  register_quality(app, global);
  register_soil(app, global);
  register_power(app, global);
  register_dust(app, global);
  register_store(app, global);
  register_sources(app, global);
  register_emissions(app, global);
  register_ledger(app, global);
  register_bulletin(app, global);
  register_emergency(app, global);
  register_users(app, global);
  register_notify(app, global);
  register_serve(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are CLI11's "success"; a usage error is a failure (CLI11's own codes are 100+).
    return app.exit(e) == static_cast<int>(CLI::ExitCodes::Success) ? kExitOk : kExitFailed;
  }
  return last_exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout or socket must not kill a server: writes fail with EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  return ecomon::cli::run_guarded([&] { return run(argc, argv); }, std::cerr);
}
