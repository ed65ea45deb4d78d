#pragma once
// Process-wide SQLite settings, made once before the process opens its first database (main() calls it
// first).
#include <cstdint>

namespace ecomon {

// Installs, once per process: no memory statistics (each of SQLite's allocations took a global mutex for
// them: 5 % of a gateway writer's CPU) and a thin wrapper around SQLite's own page cache that skips the
// truncations that have nothing to drop (see sqlite_setup.cc). Returns false when SQLite was already
// initialised in this process (then the defaults stay; everything still works, only slower).
bool configure_sqlite();

// What the page-cache wrapper did since the process started (for tests and benchmarks).
struct PageCacheCounters {
  int64_t truncates_forwarded = 0;
  int64_t truncates_skipped = 0;
  int64_t pages_renamed = 0;  // B-tree balancing's renumbering (xRekey)
};
PageCacheCounters page_cache_counters();

}  // namespace ecomon
