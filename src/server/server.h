// `ecomon serve`: the platform over HTTP — the JSON API under /api (api.h, docs/api.md), the dashboard's
// static files (web/dist), and optionally the HJ 212 gateway in the same process on the same store.
//
//   ServeOptions o;  o.db = "ecomon.db";  o.listen = "127.0.0.1:8080";  o.web_dir = "web/dist";
//   auto s = HttpServer::start(o);          // listening when it returns; s->port() is the bound port
//   ...                                     // serves on its own threads
//   (*s)->stop();
//
// The transport is event-driven (Boost.Beast on Boost.Asio): `io_threads` threads read and write every
// connection; API handlers (blocking SQLite work) run on a pool of `threads` workers, each with its own store
// connection, so a slow handler never holds up another connection. Every connection is bounded in time
// (header, body, idle and write deadlines) and count (max_connections, max_requests_per_connection); every
// request's text is checked at the boundary (docs/api.md, "Limits and static files").
//
// Thread safety: start/stop from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon {

struct ServeOptions {
  std::string db = "ecomon.db";
  // Opens the stores for a worker thread (the composition root passes the backend's opener, e.g.
  // sqlite_stores_opener(db)); each worker opens its own on first use.
  StoresOpener open_stores;
  std::string listen = "127.0.0.1:8080";  // ADDR:PORT; port 0 picks a free one
  std::string web_dir;    // static files (the built dashboard, read once at start); empty: API only
  int threads = 16;       // worker threads running API handlers (no longer one per connection)
  int cache_seconds = 5;  // public read replies are reused this long (0: never)
  // A number that moves whenever data the cached replies are made of may have changed (serve --gateway: the
  // uploads and station hours its gateway committed). When set, a cached reply made before the number moved
  // is reused at most `fresh_ms` after it was made, so a live upload reaches the public pages within that
  // time (issue 19) while a burst of requests still computes a reply at most once per fresh_ms. Writes
  // through this server's API (audit, imports by staff) move it too. Unset: `cache_seconds` alone, as when
  // another process writes the store.
  std::function<uint64_t()> data_generation;
  int fresh_ms = 500;
  bool secure_cookie = false;  // add Secure to the session cookie (behind HTTPS)
  std::string reports_dir;     // the period reports /api/reports lists and serves ("" = none)

  int io_threads = 2;                      // threads doing all network reads and writes
  int max_connections = 4096;              // open connections; beyond this a new one gets 503 and is closed
  int max_requests_per_connection = 1000;  // keep-alive requests on one connection before it is closed
  int max_queued_requests = 1024;          // API requests waiting for a worker; beyond this: 503
  double header_timeout_s = 10;            // from the connect to the first request's whole header
  double idle_timeout_s = 10;              // from a reply to the next request's whole header (keep-alive)
  double body_timeout_s = 20;              // to read a declared body
  double write_timeout_s = 30;             // to write one reply
  // Tests only: runs on the worker before each API request is routed; an exception it throws must become a
  // 500 for that request alone.
  std::function<void(std::string_view path)> before_dispatch;
};

class HttpServer {
 public:
  static StatusOr<std::unique_ptr<HttpServer>> start(const ServeOptions& options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  int port() const;
  void stop();

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecomon
