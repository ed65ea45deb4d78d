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
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/status.h"
#include "sources/record.h"
#include "store/api/store.h"
#include "store/api/stores.h"

namespace ecomon::cli {

// Adds `import`, `events` and `demo-registry` under the `sources` subcommand (and the commands below).
void register_source_registry(CLI::App* sources_cmd, GlobalOptions& global);
// Adds `command MN NAME [ARGS]` (queue a downstream command, bureau only) and `commands` (the queue).
void register_source_commands(CLI::App* sources_cmd, GlobalOptions& global);
// Adds `key init-master|issue|list`: HJ 212-2025 device session keys (source_key_commands.cc).
void register_source_keys(CLI::App* sources_cmd, GlobalOptions& global);
// Adds `pending` and `provision`: HJ 212-2025 provisioning (source_provision_commands.cc).
void register_source_provisioning(CLI::App* sources_cmd, GlobalOptions& global);

// The gateway's GatewayOptions::open_device_key over the master key ($ECOMON_MASTER_KEY_FILE, else
// $ECOMON_MASTER_KEY): an empty function when neither is set (a line on standard error says the gateway then
// reads no encrypted CP area); an error when one is set but does not hold a master key.
using DeviceKeyOpener =
    std::function<StatusOr<std::string>(const std::string& mn, const std::string& sealed)>;
StatusOr<DeviceKeyOpener> gateway_key_opener();
// `hj212-sim --encrypt --key K` registering its devices: K issued to each as its current key (the CLI's
// operator, audited per device as sources.key.issue via hj212-sim), when a master key is set; nothing (a
// line on standard error) when none is.
Status issue_sim_keys(Stores& stores, const std::vector<DeviceRecord>& devices, const std::string& key);

}  // namespace ecomon::cli
