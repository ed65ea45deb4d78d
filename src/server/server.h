// `ecomon serve`: the platform over HTTP — the JSON API under /api (api.h, docs/api.md), the dashboard's
// static files (web/dist), and optionally the HJ 212 gateway in the same process on the same store.
//
//   ServeOptions o;  o.db = "ecomon.db";  o.listen = "127.0.0.1:8080";  o.web_dir = "web/dist";
//   auto s = HttpServer::start(o);          // listening when it returns; s->port() is the bound port
//   ...                                     // serves on its own threads
//   (*s)->stop();
//
// Thread safety: start/stop from one thread; requests run on the server's thread pool, each with its own
// store connection.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace ecomon {

struct ServeOptions {
  std::string db = "ecomon.db";
  std::string listen = "127.0.0.1:8080";  // ADDR:PORT; port 0 picks a free one
  std::string web_dir;                    // static files (the built dashboard); empty: API only
  int threads = 64;                       // request threads (a keep-alive connection holds one)
  int cache_seconds = 5;                  // public read replies are reused this long (0: never)
  bool secure_cookie = false;             // add Secure to the session cookie (behind HTTPS)
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
