// `ecomon serve [--listen ADDR:PORT] [--web DIR] [--gateway ADDR:PORT]`: the HTTP API and dashboard, and the
// HJ 212 gateway in the same process on the same store. Runs until SIGINT or SIGTERM, then stops both
// cleanly.
#include <signal.h>
#include <sys/resource.h>

#include <iostream>

#include <filesystem>
#include <optional>

#include "app/power.h"
#include "cli/commands.h"
#include "cli/notify_options.h"
#include "cli/period_reports.h"
#include "cli/source_registry_commands.h"
#include "gateway/gateway.h"
#include "notify/notify_worker.h"
#include "server/server.h"
#include "store/open.h"

namespace ecomon::cli {

void register_serve(CLI::App& app, GlobalOptions& global) {
  struct Opts {
    ServeOptions server;
    std::string gateway;
    double duration = 0;
    std::string reports_dir, report_cities, chromium, reports_as_of;
    bool no_reports = false;
    double report_every = 600;
    NotifyCliOptions notify;
    bool no_notify = false;
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
  c->add_option(
       "--cache-fresh-ms", o->server.fresh_ms,
       "with --gateway: a cached reply older than this is recomputed once the gateway stored new data "
       "(default 500)")
      ->check(CLI::Range(0, 60000));
  c->add_flag("--secure-cookie", o->server.secure_cookie, "mark the session cookie Secure (behind HTTPS)");
  c->add_option("--duration", o->duration, "stop after this many seconds (default: until Ctrl-C)");
  c->add_option("--reports-dir", o->reports_dir,
                "where the monthly and quarterly reports are written on schedule and served from "
                "(default: reports/ beside the SQLite file, else ./reports)");
  c->add_option("--report-cities", o->report_cities,
                "comma-separated cities to report on (default: every city)");
  c->add_option("--report-every", o->report_every, "seconds between two checks for reports due (default 600)")
      ->check(CLI::Range(1.0, 86400.0));
  c->add_option("--chromium", o->chromium,
                "browser for the reports' PDF (default $ECOMON_CHROMIUM or /usr/bin/chromium)");
  c->add_option("--reports-as-of", o->reports_as_of,
                "write the reports due as of this day, YYYY-MM-DD, instead of today's (back-filling)");
  c->add_flag("--no-reports", o->no_reports, "write no reports on schedule (and serve none)");
  o->notify.add_to(c);
  c->add_flag("--no-notify", o->no_notify, "do not run the notifications' background worker");
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
    // The period reports: where they are kept (the API serves them), written once the server is up.
    std::optional<ReportSchedule> schedule;
    std::string no_pdf;
    if (!o->no_reports) {
      schedule.emplace();
      schedule->dir = o->reports_dir;
      if (schedule->dir.empty()) {
        auto url = parse_store_url(global.db);
        const bool file = url.ok() && url->kind == StoreUrl::Kind::kSqlite && url->sqlite_path != ":memory:";
        schedule->dir = file ? std::filesystem::absolute(url->sqlite_path).parent_path() / "reports"
                             : std::filesystem::path("reports");
      }
      for (std::string_view rest = o->report_cities; !rest.empty();) {
        const size_t comma = rest.find(',');
        if (std::string_view city = rest.substr(0, comma); !city.empty()) schedule->cities.emplace_back(city);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      schedule->files.pdf_options.chromium = o->chromium;
      if (!o->reports_as_of.empty()) {
        auto day = CivilDay::parse(o->reports_as_of);
        if (!day.ok()) {
          std::cerr << "error: --reports-as-of: " << day.status().message() << "\n";
          return set_exit_code(2);
        }
        schedule->as_of = *day;
      }
      if (auto chromium = report::find_chromium(schedule->files.pdf_options); !chromium.ok()) {
        schedule->files.pdf = false;
        no_pdf = chromium.status().message();
      }
    }
    if (schedule) o->server.reports_dir = schedule->dir.string();
    std::unique_ptr<Gateway> gateway;
    if (!o->gateway.empty()) {
      GatewayOptions g;
      g.listen = o->gateway;
      g.stores = o->server.open_stores;  // the gateway's threads open their own, like the server's workers
      g.events.stop_orders = app::power_stop_orders;
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
      // The public cache follows what this gateway commits: new uploads, and the stations' hours the feed
      // merges after them (a live station reaches /api/air/today within fresh_ms, not cache_seconds).
      o->server.data_generation = [gw = gateway.get()] {
        const StationFeed* feed = gw->station_feed();
        return gw->stats().stored + (feed ? feed->stats().values_new : 0);
      };
    }
    auto server = HttpServer::start(o->server);
    if (!server.ok()) {
      std::cerr << "error: " << server.status().message() << "\n";
      if (gateway) gateway->stop();
      return set_exit_code(2);
    }
    // Notifications: a background worker with its own store connection (never a request's thread).
    std::unique_ptr<notify::NotifyWorker> notifier;
    if (!o->no_notify) {
      notifier = notify::NotifyWorker::start(o->server.open_stores, o->notify.params(),
                                             notify::curl_deliver(o->notify.curl()));
    }
    const std::string host = o->server.listen.substr(0, o->server.listen.rfind(':'));
    std::cout << "serving http://" << host << ":" << (*server)->port() << "/ (store "
              << redact_store_url(global.db) << ")";
    if (gateway) std::cout << ", HJ 212 gateway on port " << gateway->port();
    std::cout << std::endl;
    std::unique_ptr<ReportScheduler> reports;
    if (schedule) {
      if (!no_pdf.empty()) std::cout << "reports: without PDF (" << no_pdf << ")" << std::endl;
      reports =
          std::make_unique<ReportScheduler>(o->server.open_stores, std::move(*schedule), o->report_every);
    }
    if (o->duration > 0) {
      timespec ts{static_cast<time_t>(o->duration), 0};
      sigtimedwait(&set, nullptr, &ts);
    } else {
      int sig = 0;
      sigwait(&set, &sig);
    }
    if (reports) reports->stop();
    (*server)->stop();
    if (gateway) gateway->stop();
    if (notifier) notifier->stop();
    std::cout << "stopped" << std::endl;
  });
}

}  // namespace ecomon::cli
