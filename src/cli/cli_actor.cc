#include "cli/cli_actor.h"

#include "app/accounts.h"
#include "store/api/accounts.h"

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
  auto store = AccountStore::open(db);
  if (!store.ok()) return store.status();
  app::Accounts accounts(**store);
  auto user = accounts.find_user(as_user);
  if (!user.ok()) return user.status();
  if (!*user) return not_found("--as: no user '" + as_user + "' (add one with `ecomon users add`)");
  return (*user)->actor();
}

}  // namespace ecomon::cli
