// `ecomon emissions --year Y | --month YYYY-MM | --from D --to D [--base-year B] [--county C] [--by LEVEL]
// [--kind K] [--format F]`: emission totals from the stored HJ 212 uploads (app/emissions.h,
// docs/emissions.md).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace ecomon::cli {

void register_emissions(CLI::App& app, GlobalOptions& global);

}  // namespace ecomon::cli
