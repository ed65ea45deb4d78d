// ecomon: one command for the platform. `ecomon --help` lists the verbs; every verb takes --db (or ECOMON_DB).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/bulletin_commands.h"
#include "cli/commands.h"
#include "cli/quality_commands.h"
#include "store/sqlite_setup.h"

int main(int argc, char** argv) {
  using namespace ecomon::cli;
  // A closed stdout or socket must not kill a server: writes fail with EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  ecomon::configure_sqlite();  // before any database is opened (store/sqlite_setup.h)
  CLI::App app{"ecomon - eco-environment monitoring and governance platform"};
  app.require_subcommand(1);
  GlobalOptions global;
  if (const char* env = std::getenv("ECOMON_DB"); env && *env) global.db = env;
  app.add_option("--db", global.db, "store file (SQLite); default $ECOMON_DB or ./ecomon.db");

  register_demo(app, global);
  register_import(app, global);
  register_air(app, global);
  register_hj212(app, global);
  register_quality(app, global);
  register_soil(app, global);
  register_sources(app, global);
  register_ledger(app, global);
  register_bulletin(app, global);
  register_emergency(app, global);
  register_users(app, global);
  register_serve(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return last_exit_code();
}
