#include "store/sqlite_setup.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <vector>

namespace ecomon {
namespace {

// Why the wrapper: at the end of every write transaction SQLite's pager asks the page cache to drop the pages
// past the database's end (xTruncate(dbSize + 1)). The built-in cache (pcache1) remembers the largest page
// number it ever held and, when that is past the limit by more than its hash table's size, walks the whole
// hash table. B-tree balancing renumbers pages through a temporary number past 1 GiB (PENDING_BYTE / page
// size + 1) so that split siblings stay in ascending order; that number becomes the cache's remembered
// maximum and the next commit walks all buckets: with the gateway's 32 MiB writer cache 8,192 buckets, cache
// misses each, on nearly every commit (13 % of a writer's CPU, measured with perf; docs/performance.md). The
// wrapper keeps its own record of which page numbers can be present and forwards a truncation only when a
// page at or past the limit may exist. Everything else goes straight to the built-in cache.
sqlite3_pcache_methods2 g_inner{};
std::atomic<int64_t> g_forwarded{0};
std::atomic<int64_t> g_skipped{0};
std::atomic<int64_t> g_renamed{0};

struct Cache {
  sqlite3_pcache* inner = nullptr;
  // No page numbered above max_created exists, except those in renamed: the largest number a fetch returned a
  // page for (every page is created by a fetch), and the numbers pages were renamed to above it. Both are
  // upper bounds (a page dropped inside the built-in cache is not seen here), which can only cost a forwarded
  // truncation.
  unsigned max_created = 0;
  std::vector<unsigned> renamed;
};

Cache* of(sqlite3_pcache* p) { return reinterpret_cast<Cache*>(p); }

sqlite3_pcache* create(int page_size, int extra_size, int purgeable) {
  auto* c = new (std::nothrow) Cache;
  if (!c) return nullptr;
  c->inner = g_inner.xCreate(page_size, extra_size, purgeable);
  if (!c->inner) {
    delete c;
    return nullptr;
  }
  return reinterpret_cast<sqlite3_pcache*>(c);
}

void cache_size(sqlite3_pcache* p, int pages) { g_inner.xCachesize(of(p)->inner, pages); }

int page_count(sqlite3_pcache* p) { return g_inner.xPagecount(of(p)->inner); }

sqlite3_pcache_page* fetch(sqlite3_pcache* p, unsigned key, int create_flag) {
  Cache* c = of(p);
  sqlite3_pcache_page* page = g_inner.xFetch(c->inner, key, create_flag);
  if (page && key > c->max_created) c->max_created = key;
  return page;
}

void unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) {
  g_inner.xUnpin(of(p)->inner, page, discard);
}

void rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  Cache* c = of(p);
  g_inner.xRekey(c->inner, page, old_key, new_key);
  g_renamed.fetch_add(1, std::memory_order_relaxed);
  std::erase(c->renamed, old_key);
  if (new_key > c->max_created &&
      std::find(c->renamed.begin(), c->renamed.end(), new_key) == c->renamed.end())
    c->renamed.push_back(new_key);
}

void truncate(sqlite3_pcache* p, unsigned limit) {
  Cache* c = of(p);
  const bool may_hold = c->max_created >= limit || std::any_of(c->renamed.begin(), c->renamed.end(),
                                                               [&](unsigned k) { return k >= limit; });
  if (!may_hold) {
    g_skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  g_forwarded.fetch_add(1, std::memory_order_relaxed);
  g_inner.xTruncate(c->inner, limit);
  if (limit > 0) c->max_created = std::min(c->max_created, limit - 1);
  std::erase_if(c->renamed, [&](unsigned k) { return k >= limit; });
}

void destroy(sqlite3_pcache* p) {
  Cache* c = of(p);
  g_inner.xDestroy(c->inner);
  delete c;
}

void shrink(sqlite3_pcache* p) { g_inner.xShrink(of(p)->inner); }

bool install() {
  if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) return false;  // already initialised
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &g_inner) != SQLITE_OK || !g_inner.xCreate) return false;
  static sqlite3_pcache_methods2 wrapper{};
  wrapper = g_inner;  // version, pArg, xInit and xShutdown stay the built-in cache's
  wrapper.xCreate = create;
  wrapper.xCachesize = cache_size;
  wrapper.xPagecount = page_count;
  wrapper.xFetch = fetch;
  wrapper.xUnpin = unpin;
  wrapper.xRekey = rekey;
  wrapper.xTruncate = truncate;
  wrapper.xDestroy = destroy;
  wrapper.xShrink = shrink;
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &wrapper) == SQLITE_OK;
}

}  // namespace

bool configure_sqlite() {
  static const bool installed = install();
  return installed;
}

PageCacheCounters page_cache_counters() {
  return {g_forwarded.load(std::memory_order_relaxed), g_skipped.load(std::memory_order_relaxed),
          g_renamed.load(std::memory_order_relaxed)};
}

}  // namespace ecomon
