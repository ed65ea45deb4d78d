// SQLite errors as Status, the same way for every store's connection: a store that stays busy or locked
// (another connection, say a long import, holds the write lock for longer than the busy timeout) is
// kUnavailable — "try again later", HTTP 503 with Retry-After — never kInternal (500) and never a write
// reported as done. Every connection waits store_busy_timeout_ms() for a lock before giving up.
//
//   sqlite3_busy_timeout(db, store_busy_timeout_ms());
//   if (sqlite3_step(st) != SQLITE_DONE) return sqlite_status(db, "store x: add user");
//
// Header only (inline), so that every store library can use it without a new link dependency.
#pragma once

#include <sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ecomon {

// How long a connection waits for another one's lock: 10 s, or ECOMON_BUSY_TIMEOUT_MS (whole milliseconds,
// 0..600000) when set — shorter for tests, longer for a server beside a long import.
inline constexpr int kDefaultBusyTimeoutMs = 10000;
inline constexpr int kMaxBusyTimeoutMs = 600000;

inline int store_busy_timeout_ms() {
  const char* v = std::getenv("ECOMON_BUSY_TIMEOUT_MS");
  if (!v || !*v) return kDefaultBusyTimeoutMs;
  const std::string_view s(v);
  int ms = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
  if (ec != std::errc() || end != s.data() + s.size() || ms < 0 || ms > kMaxBusyTimeoutMs)
    return kDefaultBusyTimeoutMs;
  return ms;
}

// SQLITE_BUSY and SQLITE_LOCKED (with their extended codes) are kUnavailable, anything else kInternal.
inline StatusCode sqlite_status_code(int rc) {
  constexpr int kPrimaryMask = 0xff;  // an extended result code's low byte is its primary code
  const int primary = rc & kPrimaryMask;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? StatusCode::kUnavailable
                                                            : StatusCode::kInternal;
}

// The connection's last error as a Status: "what: database is locked" (kUnavailable), else kInternal.
inline Status sqlite_status(sqlite3* db, const std::string& what) {
  return Status(sqlite_status_code(sqlite3_extended_errcode(db)), what + ": " + sqlite3_errmsg(db));
}

}  // namespace ecomon
