// The embedded backend: every concern's SQLite implementation on one connection to one file (sqlite/db.h,
// migrated on open). One per thread.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon {

StatusOr<std::unique_ptr<Stores>> open_sqlite_stores(const std::string& path);

// An opener for the server's worker threads: each call opens another connection to `path`.
StoresOpener sqlite_stores_opener(const std::string& path);

}  // namespace ecomon
