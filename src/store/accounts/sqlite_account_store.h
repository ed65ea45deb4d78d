// The accounts' rows (store/api/accounts.h) in the store's SQLite file: tables acc_user, acc_session,
// acc_token, acc_audit (migration 1). Works on the connection it is given; a mutex makes it safe to share
// between threads (the server's sign-ins and audit rows go through one). The code is SqlAccountStore
// (account_store_impl.h), written once for SQLite and PostgreSQL (store/sql_backend.h).
//
//   auto db = sqlite::Db::open("ecomon.db");
//   std::unique_ptr<AccountStore> acc = sqlite_account_store(**db);   // *db must outlive it
#pragma once

#include <memory>

#include "store/api/accounts.h"
#include "store/sqlite/db.h"

namespace ecomon {

std::unique_ptr<AccountStore> sqlite_account_store(sqlite::Db& db);

}  // namespace ecomon
