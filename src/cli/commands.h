// The verbs of the `ecomon` command, each registering its CLI11 subcommand and running when parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>

namespace ecomon::cli {

struct GlobalOptions {
  std::string db = "ecomon.db";
};

// Exit codes, the same for every verb (README "Exit codes"): done; done, but some input was rejected or
// conflicted (reported on stderr or in the report); failed (nothing, or not everything, was done). A warning
// alone is kExitOk.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitFailed = 2;

// Exit code of the verb that ran (kExitOk, kExitRejected or kExitFailed).
int last_exit_code();
void set_exit_code(int code);

// Runs `command` (main's parse and verb) and returns its exit code; an exception it lets escape becomes
// "error: ..." on `err` and kExitFailed, never std::terminate.
int run_guarded(const std::function<int()>& command, std::ostream& err);

void register_demo(CLI::App& app, GlobalOptions& global);
void register_import(CLI::App& app, GlobalOptions& global);
void register_air(CLI::App& app, GlobalOptions& global);
void register_audit(CLI::App& app, GlobalOptions& global);     // cli/audit_commands.cc
void register_stations(CLI::App& app, GlobalOptions& global);  // cli/station_commands.cc
void register_hj212(CLI::App& app, GlobalOptions& global);
void register_sources(CLI::App& app, GlobalOptions& global);
void register_ledger(CLI::App& app, GlobalOptions& global);
void register_emergency(CLI::App& app, GlobalOptions& global);
void register_users(CLI::App& app, GlobalOptions& global);
void register_serve(CLI::App& app, GlobalOptions& global);
void register_soil(CLI::App& app, GlobalOptions& global);   // cli/soil_commands.cc
void register_power(CLI::App& app, GlobalOptions& global);  // cli/power_commands.cc
void register_dust(CLI::App& app, GlobalOptions& global);   // cli/dust_commands.cc
void register_store(CLI::App& app, GlobalOptions& global);  // cli/store_commands.cc: store copy, store ship

}  // namespace ecomon::cli
