#include "cli/cli_actor.h"

#include "app/accounts.h"
#include "store/api/accounts.h"
#include "store/open.h"

namespace ecomon::cli {

StatusOr<Actor> cli_actor(Stores& stores, const std::string& as_user) {
  if (as_user.empty()) return Actor::operator_cli();
  app::Accounts accounts(stores.accounts());
  auto user = accounts.find_user(as_user);
  if (!user.ok()) return user.status();
  if (!*user) return not_found("--as: no user '" + as_user + "' (add one with `ecomon users add`)");
  return (*user)->actor();
}

StatusOr<Actor> cli_actor(const std::string& db, const std::string& as_user) {
  if (as_user.empty()) return Actor::operator_cli();
  auto stores = open_stores(db);
  if (!stores.ok()) return stores.status();
  return cli_actor(**stores, as_user);
}

std::string audit_outcome(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kPermissionDenied:
      return "denied";
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return "invalid";
    default:
      return "error";
  }
}

}  // namespace ecomon::cli
