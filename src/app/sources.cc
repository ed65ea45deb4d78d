#include "app/sources.h"

namespace ecomon::app {

StatusOr<SourceCommand> enqueue_source_command(Stores& stores, const Actor& who, const CommandRequest& r,
                                               int64_t now_ms) {
  if (!who.is_bureau()) {
    return permission_denied("only the bureau (admin, analyst) may send commands to devices; " + who.user +
                             " is " + std::string(role_name(who.role)));
  }
  auto c = command_of(r);
  if (!c.ok()) return c.status();
  return stores.source_commands().add(std::move(*c), who.user, now_ms);
}

StatusOr<std::vector<SourceCommand>> source_commands(Stores& stores, const Actor& /*who*/,
                                                     const std::string& mn, int64_t limit) {
  return stores.source_commands().commands(mn, limit);
}

}  // namespace ecomon::app
