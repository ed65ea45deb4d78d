// The services of pollution-source monitoring (污染源在线监控): downstream commands and the registry's
// import. Adapters: `ecomon sources command|commands|register`, POST/GET /api/sources/commands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "sources/commands.h"
#include "store/api/stores.h"

namespace ecomon::app {

// Queues a command for a device the gateway knows. Only the bureau (admin, analyst) may: kPermissionDenied
// before anything is written; kInvalidArgument for a bad request (command_of), kNotFound for an unknown MN.
StatusOr<SourceCommand> enqueue_source_command(Stores& stores, const Actor& who, const CommandRequest& r,
                                               int64_t now_ms);
// The commands of one device ("" = all), newest first, at most `limit`.
StatusOr<std::vector<SourceCommand>> source_commands(Stores& stores, const Actor& who, const std::string& mn,
                                                     int64_t limit);

}  // namespace ecomon::app
