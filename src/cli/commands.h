// The verbs of the `ecomon` command, each registering its CLI11 subcommand and running when parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace ecomon::cli {

struct GlobalOptions {
  std::string db = "ecomon.db";
};

// Exit code of the verb that ran: 0 ok, 1 the command ran but found problems, 2 it could not run.
int last_exit_code();
void set_exit_code(int code);

void register_demo(CLI::App& app, GlobalOptions& global);
void register_import(CLI::App& app, GlobalOptions& global);
void register_air(CLI::App& app, GlobalOptions& global);
void register_hj212(CLI::App& app, GlobalOptions& global);
void register_sources(CLI::App& app, GlobalOptions& global);
void register_ledger(CLI::App& app, GlobalOptions& global);
void register_emergency(CLI::App& app, GlobalOptions& global);
void register_users(CLI::App& app, GlobalOptions& global);
void register_serve(CLI::App& app, GlobalOptions& global);
void register_soil(CLI::App& app, GlobalOptions& global);  // cli/soil_commands.cc

}  // namespace ecomon::cli
