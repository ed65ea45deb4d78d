// The queue of downstream commands (下行命令) per device: what the bureau queues
// (app::enqueue_source_command) and the gateway sends, follows and finishes (gateway/commands.h). The values
// and the check of a request are the sources module's (sources/commands.h).
//
//   SourceCommandStore& q = stores.source_commands();
//   auto c = q.add(*command_of(request), who.user, now_ms);   // kNotFound: the gateway does not know the MN
//   auto listed = q.commands("", 50);                          // newest first
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/commands.h"

namespace ecomon {

class SourceCommandStore {
 public:
  virtual ~SourceCommandStore() = default;
  // Queues a checked command (command_of) for a device the gateway knows (kNotFound otherwise), created by
  // `created_by` at `now_ms`; returns it with its id. The caller's right is the service's check.
  virtual StatusOr<SourceCommand> add(SourceCommand c, const std::string& created_by, int64_t now_ms) = 0;
  // The commands of one device ("" = all), newest first, at most `limit`.
  virtual StatusOr<std::vector<SourceCommand>> commands(const std::string& mn, int64_t limit) = 0;
  virtual StatusOr<SourceCommand> command(int64_t id) = 0;
  // Commands not finished (queued, sent, accepted), oldest first.
  virtual StatusOr<std::vector<SourceCommand>> pending() = 0;
  // Writes a command's progress (state, QN, attempts, times, QnRtn, ExeRtn, result, detail).
  virtual Status update(const SourceCommand& c) = 0;

  // Several gateway processes on one store (the cluster, docs/cluster.md): a device's commands are sent by
  // the gateway that holds its connection and by no other. A backend served by one gateway process (SQLite)
  // keeps no holders, and these default to the whole queue.
  //
  // `gateway` (a name unique among the running gateways) holds the connection of `mn` from now on: the
  // newest connection of a device wins (a device keeps one).
  virtual Status hold_device(const std::string& /*mn*/, const std::string& /*gateway*/, int64_t /*now_ms*/) {
    return Status();
  }
  // pending(), of the devices `gateway` holds.
  virtual StatusOr<std::vector<SourceCommand>> pending_held(const std::string& /*gateway*/) {
    return pending();
  }
  // update(c) while `gateway` holds c's device; false, and nothing written, once another gateway holds it.
  virtual StatusOr<bool> update_held(const SourceCommand& c, const std::string& /*gateway*/) {
    ECOMON_RETURN_IF_ERROR(update(c));
    return true;
  }
};

}  // namespace ecomon
