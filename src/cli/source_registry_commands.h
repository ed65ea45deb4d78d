// `ecomon sources import|events|demo-registry|command|commands`: the pollution-source registry kept in the
// store (store/sources/registry_store.h) and the events (超标, 离线, 数据标记异常) judged from the stored
// uploads.
//
//   ecomon --db ecomon.db sources demo-registry --out build/demo-registry
//   ecomon --db ecomon.db sources import build/demo-registry
//   ecomon --db ecomon.db sources events --from 20250310000000 --to 20250310235959 --format json
//
// register_sources() (source_commands.cc) calls register_source_registry() with its `sources` subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/status.h"
#include "sources/record.h"
#include "store/api/store.h"

namespace ecomon::cli {

// Adds `import`, `events` and `demo-registry` under the `sources` subcommand (and the commands below).
void register_source_registry(CLI::App* sources_cmd, GlobalOptions& global);
// Adds `command MN NAME [ARGS]` (queue a downstream command, bureau only) and `commands` (the queue).
void register_source_commands(CLI::App* sources_cmd, GlobalOptions& global);
// Adds `key init-master|issue|list`: HJ 212-2025 device session keys (source_key_commands.cc).
void register_source_keys(CLI::App* sources_cmd, GlobalOptions& global);

}  // namespace ecomon::cli
