// The Actor a CLI write runs as. Without --as the command is the bureau's console operator
// (Actor::operator_cli()); with --as USER it is that stored account (`ecomon users add`), whose role, county
// and enterprise the module's own rule then checks, exactly as for the same user over the HTTP API. A role is
// never taken from the command line.
//
//   auto who = cli_actor(global.db, opts.as_user);   // StatusOr<Actor>; kNotFound for an unknown login
#pragma once

#include <string>

#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon::cli {

StatusOr<Actor> cli_actor(const std::string& db, const std::string& as_user);
// The same from the verb's open stores.
StatusOr<Actor> cli_actor(Stores& stores, const std::string& as_user);

// A CLI write's outcome for the audit log (AuditEntry::outcome), one mapping for every verb: "ok"; "denied"
// when the caller's role refused it; "invalid" for a refused input (bad argument, unknown name, name taken,
// wrong state); "error" for anything else (the store failed).
std::string audit_outcome(const Status& s);

}  // namespace ecomon::cli
