// `ecomon bulletin --year Y --city NAME --out DIR [--facts FILE]`: the annual bulletin (docs/bulletin.md).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace ecomon::cli {

void register_bulletin(CLI::App& app, GlobalOptions& global);

}  // namespace ecomon::cli
