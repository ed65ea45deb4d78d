// `ecomon serve [--listen ADDR:PORT] [--web DIR] [--gateway ADDR:PORT]`: the HTTP API and dashboard, and the
// HJ 212 gateway in the same process on the same store. Runs until SIGINT or SIGTERM, then stops both
// cleanly.
#include <signal.h>
#include <sys/resource.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/source_registry_commands.h"
#include "gateway/gateway.h"
#include "server/server.h"
#include "store/open.h"

namespace ecomon::cli {

void register_serve(CLI::App& app, GlobalOptions& global) {
  struct Opts {
    ServeOptions server;
    std::string gateway;
    double duration = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c =
      app.add_subcommand("serve", "the HTTP API and dashboard (and the HJ 212 gateway with --gateway)");
  c->add_option("--listen", o->server.listen,
                "ADDR:PORT for HTTP (default 127.0.0.1:8080; port 0: any free)");
  c->add_option("--web", o->server.web_dir, "directory of the built dashboard (web/dist); default: API only");
  c->add_option("--gateway", o->gateway, "also run the HJ 212 gateway on this ADDR:PORT");
  c->add_option("--threads", o->server.threads,
                "worker threads running API requests (default 16; connections no longer hold one)");
  c->add_option("--io-threads", o->server.io_threads,
                "threads reading and writing all connections (default 2)");
  c->add_option("--max-connections", o->server.max_connections,
                "open HTTP connections at most; beyond it a new one gets 503 (default 4096)");
  c->add_option("--header-timeout", o->server.header_timeout_s,
                "seconds to receive a request's header (default 10)");
  c->add_option("--idle-timeout", o->server.idle_timeout_s,
                "seconds a keep-alive connection may wait for its next request (default 10)");
  c->add_option("--cache-seconds", o->server.cache_seconds,
                "reuse public read replies this long (default 5; 0: off)");
  c->add_flag("--secure-cookie", o->server.secure_cookie, "mark the session cookie Secure (behind HTTPS)");
  c->add_option("--duration", o->duration, "stop after this many seconds (default: until Ctrl-C)");
  c->callback([o, &global] {
    // Signals are taken by sigwait below, never by the serving threads (they inherit this mask).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // Every connection is a descriptor: use the hard limit (the server pauses accepting when it runs out).
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &files);
    }
    o->server.db = global.db;
    o->server.open_stores = stores_opener(global.db);
    std::unique_ptr<Gateway> gateway;
    if (!o->gateway.empty()) {
      GatewayOptions g;
      g.listen = o->gateway;
      g.stores = o->server.open_stores;  // the gateway's threads open their own, like the server's workers
      auto keys = gateway_key_opener();
      if (!keys.ok()) {
        std::cerr << "error: gateway: " << keys.status().message() << "\n";
        return set_exit_code(2);
      }
      g.open_device_key = std::move(*keys);
      auto started = Gateway::start(g);
      if (!started.ok()) {
        std::cerr << "error: gateway: " << started.status().message() << "\n";
        return set_exit_code(2);
      }
      gateway = std::move(*started);
    }
    auto server = HttpServer::start(o->server);
    if (!server.ok()) {
      std::cerr << "error: " << server.status().message() << "\n";
      if (gateway) gateway->stop();
      return set_exit_code(2);
    }
    const std::string host = o->server.listen.substr(0, o->server.listen.rfind(':'));
    std::cout << "serving http://" << host << ":" << (*server)->port() << "/ (store "
              << redact_store_url(global.db) << ")";
    if (gateway) std::cout << ", HJ 212 gateway on port " << gateway->port();
    std::cout << std::endl;
    if (o->duration > 0) {
      timespec ts{static_cast<time_t>(o->duration), 0};
      sigtimedwait(&set, nullptr, &ts);
    } else {
      int sig = 0;
      sigwait(&set, &sig);
    }
    (*server)->stop();
    if (gateway) gateway->stop();
    std::cout << "stopped" << std::endl;
  });
}

}  // namespace ecomon::cli
