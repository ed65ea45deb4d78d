// `ecomon gateway`, `ecomon hj212-sim`, `ecomon sources register|devices|latest|records`.
// clang-format off
#include <utility>
// clang-format on
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "app/clock.h"
#include "app/power.h"
#include "app/sources.h"
#include "cli/commands.h"
#include "cli/source_registry_commands.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "core/utf8.h"
#include "gateway/gateway.h"
#include "gateway/simulator.h"
#include "ingest/hj212/encoder.h"
#include "sources/rates.h"
#include "sources/sources_format.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

// Waits for SIGINT or SIGTERM (or the deadline) in a dedicated thread-safe way.
bool wait_for_signal(double seconds) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (seconds <= 0) {
    int sig = 0;
    sigwait(&set, &sig);
    return true;
  }
  timespec ts{static_cast<time_t>(seconds),
              static_cast<long>((seconds - static_cast<double>(static_cast<time_t>(seconds))) * 1e9)};
  return sigtimedwait(&set, nullptr, &ts) > 0;
}

void block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

struct RateOpts {
  std::string month, kind = "hourly", format = "table";
};

// `sources rates`: the adapter over app::source_rates.
int run_rates(const std::string& db, const RateOpts& o) {
  auto first = CivilDay::parse(o.month + "-01");
  if (!first.ok()) return fail(invalid_argument("--month '" + o.month + "' is not YYYY-MM"));
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  // The current month is rated to date (the slots ended by now, Beijing time), a past month whole.
  auto list = app::source_rates(
      **stores, Actor::operator_cli(),
      {.month = MonthKey::of(*first), .month_text = o.month, .kind = o.kind, .now = app::civil_now()});
  if (!list.ok()) return fail(list.status());
  if (o.format == "json") {
    std::cout << json_text(source_rates_json(*list), 2) << "\n";
  } else {
    std::cout << source_rates_text(*list);
  }
  return 0;
}

}  // namespace

void register_sources(CLI::App& app, GlobalOptions& global) {
  // ---- gateway
  struct GwOpts {
    std::string listen = "127.0.0.1:9212", policy = "lenient";
    int threads = 2, idle = 600, writers = 0, batch_wait_ms = GatewayOptions{}.batch_wait_ms;
    size_t batch_max = GatewayOptions{}.batch_max;
    size_t max_connections = 0, fd_reserve = GatewayOptions{}.fd_reserve;
    int64_t max_future_skew_s = 600;
    double rate = 50, duration = 0;
    bool no_events = false, no_commands = false, init_devices = false;
  };
  auto g = std::make_shared<GwOpts>();
  CLI::App* gw =
      app.add_subcommand("gateway", "receive HJ 212 uploads over TCP and store them (Ctrl-C stops cleanly)");
  gw->add_option("--listen", g->listen, "ADDR:PORT to listen on (default 127.0.0.1:9212)");
  gw->add_option("--policy", g->policy, "strict or lenient (default)")
      ->check(CLI::IsMember({"strict", "lenient"}));
  gw->add_option("--threads", g->threads, "io threads (default 2)");
  gw->add_option(
        "--writers", g->writers,
        "source-record shards of the store, each written by its own thread (files DB-src1, ...); more "
        "only on a store without source records (default: as the store has, 1 unless set)")
      ->check(CLI::Range(1, 8));
  gw->add_option("--batch-max", g->batch_max, "uploads per commit at most (default 5000)")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  gw->add_option("--batch-wait-ms", g->batch_wait_ms,
                 "how long a writer waits for more uploads before it commits a batch not full (default "
                 "2; 0: commit what is queued at once)")
      ->check(CLI::Range(0, 1000));
  gw->add_option("--idle-timeout", g->idle, "close connections silent this many seconds (default 600)");
  gw->add_option(
      "--max-connections", g->max_connections,
      "refuse connections beyond this (default: what the descriptor limit allows, less a reserve; a "
      "larger value is lowered with a warning)");
  gw->add_option(
      "--fd-reserve", g->fd_reserve,
      "descriptors kept for the store's files and the HTTP server when the connection limit is set "
      "from RLIMIT_NOFILE (default 256)");
  gw->add_option(
        "--max-future-skew", g->max_future_skew_s,
        "refuse uploads whose DataTime is more than this many seconds ahead of Beijing time (default "
        "600)")
      ->check(CLI::NonNegativeNumber);
  gw->add_option("--max-rate", g->rate, "frames per second per connection (default 50)");
  gw->add_option("--duration", g->duration, "stop after this many seconds (default: until Ctrl-C)");
  gw->add_flag("--no-events", g->no_events, "raise no live events (exceedance, silence, flag faults)");
  gw->add_flag("--no-commands", g->no_commands, "send no queued downstream commands");
  gw->add_flag(
      "--init-devices", g->init_devices,
      "queue HJ 212 §6.7's start-up commands (set-time, set-interval, set-min-interval from the registry) "
      "for each device when it first connects");
  gw->callback([g, &global] {
    block_signals();
    GatewayOptions o;
    o.listen = g->listen;
    o.stores = stores_opener(global.db);
    o.io_threads = g->threads;
    o.writers = g->writers;
    o.batch_max = g->batch_max;
    o.batch_wait_ms = g->batch_wait_ms;
    o.idle_timeout_s = g->idle;
    o.max_connections = g->max_connections;
    o.max_future_skew_s = g->max_future_skew_s;
    o.fd_reserve = g->fd_reserve;
    o.max_frames_per_second = g->rate;
    o.policy = g->policy == "strict" ? hj212::Policy::strict() : hj212::Policy::lenient();
    o.events.enabled = !g->no_events;
    o.events.stop_orders = app::power_stop_orders;  // production during a stop order (docs/power.md)
    o.commands.enabled = !g->no_commands;
    o.commands.init_devices = g->init_devices;
    auto keys = gateway_key_opener();
    if (!keys.ok()) {
      set_exit_code(fail(keys.status()));
      return;
    }
    o.open_device_key = std::move(*keys);
    auto gwy = Gateway::start(o);
    if (!gwy.ok()) {
      set_exit_code(fail(gwy.status()));
      return;
    }
    std::cout << "gateway listening on " << g->listen.substr(0, g->listen.rfind(':')) << ":" << (*gwy)->port()
              << ", store " << redact_store_url(global.db) << std::endl;
    wait_for_signal(g->duration);
    (*gwy)->stop();
    GatewayStats s = (*gwy)->stats();
    std::cout << fmt::format(
        "gateway stopped: {} connections ({} refused), {} frames ({} bad, {} bytes dropped), {} uploads: {} "
        "stored, "
        "{} duplicates, {} conflicts; {} auth failures, {} rate-limited, {} future DataTime refused, {} with "
        "invalid UTF-8 (stored replaced), {} answers, {} commits; {} accept pauses, {} connection errors; "
        "read "
        "to answer written: p50 {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms\n",
        s.connections_accepted, s.connections_refused, s.frames, s.bad_frames, s.dropped_bytes, s.uploads,
        s.stored, s.duplicates, s.conflicts, s.auth_failures, s.rate_limited, s.future_refused,
        s.invalid_text, s.answers, s.commits, s.accept_pauses, s.connection_errors, s.answer_p50_ms,
        s.answer_p99_ms, s.answer_max_ms);
    std::cout << fmt::format(
        "answer stages: read to commit start p50 {:.1f} ms, p99 {:.1f} ms; commit p50 {:.1f} ms, p99 {:.1f} "
        "ms; commit end to answer taken p50 {:.1f} ms, p99 {:.1f} ms\n",
        s.stage_queued_p50_ms, s.stage_queued_p99_ms, s.stage_commit_p50_ms, s.stage_commit_p99_ms,
        s.stage_notice_p50_ms, s.stage_notice_p99_ms);
    std::cout << fmt::format(
        "HJ 212-2025: {} device keys loaded, {} frames decrypted, {} refused (no key opened them), {} read "
        "in the registry's version against their Flag, {} heartbeats, {} key requests, {} keys pushed, {} "
        "1001 from loggers without an MN, {} refused as other hardware than their MN's\n",
        s.device_keys, s.decrypted, s.decrypt_failures, s.version_mismatches, s.heartbeats, s.key_requests,
        s.keys_pushed, s.hardware_notices, s.hardware_mismatches);
    if (StationFeed* sf = (*gwy)->station_feed()) {
      const StationFeedStats f = sf->stats();
      std::cout << fmt::format(
          "stations: air {} hourly uploads ({} values, {} new, {} conflicts, {} in closed months); water {} "
          "hourly uploads ({} values), noise {} ({} values): {} new, {} same, {} conflicts, {} skipped; {} "
          "undecodable, {} store errors\n",
          f.uploads, f.values, f.values_new, f.conflicts, f.closed_month, f.water_uploads, f.water_values,
          f.noise_uploads, f.noise_values, f.quality_new, f.quality_same, f.quality_conflicts,
          f.quality_skipped, f.undecodable, f.errors);
    }
    if (LiveEvents* le = (*gwy)->live_events()) {
      const LiveEventStats e = le->stats();
      std::cout << fmt::format("live events: {} records judged, {} transitions, {} rows stored, {} errors\n",
                               e.records, e.transitions, e.stored, e.errors);
    }
  });

  // ---- simulator
  struct SimCli {
    SimOptions o;
    bool register_only = false, no_register = false, json = false;
    std::string start;
  };
  auto s = std::make_shared<SimCli>();
  CLI::App* sim = app.add_subcommand("hj212-sim", "simulated HJ 212 devices sending to a gateway");
  sim->add_option("--devices", s->o.devices, "number of devices (default 10)");
  sim->add_option("--first-device", s->o.first_device, "number of the first device (default 0)");
  sim->add_option("--interval", s->o.interval_s, "seconds between uploads of a device (default 30)");
  sim->add_option("--duration", s->o.duration_s, "seconds to run (default 60; 0 = until Ctrl-C)");
  sim->add_option("--messages", s->o.messages_per_device,
                  "uploads per device, then stop (default: no limit)");
  sim->add_option("--target", s->o.target, "gateway ADDR:PORT (default 127.0.0.1:9212)");
  sim->add_flag(
      "--stations", s->o.stations,
      "air quality stations (ST 22, MNs A22...): hourly uploads of the six AQI pollutants (issue 19)");
  sim->add_flag(
      "--water", s->o.water,
      "surface-water automatic stations (ST 21, MNs W21...): hourly uploads of pH, DO, CODMn, NH3-N, "
      "TP, Pb, water temperature (issue 19; register them with stations register --type water)");
  sim->add_flag(
      "--noise", s->o.noise,
      "noise stations (ST 23, MNs N23...): hourly uploads of Leq, L10, L50, L90, LMx, LMn (issue 19; "
      "stations register --type noise)");
  sim->add_option("--micro-from", s->o.micro_from,
                  "with --stations: devices from this number on are micro stations (higher PM)");
  sim->add_option("--password", s->o.password, "device password (default 123456)");
  sim->add_option("--deviation", s->o.deviations,
                  "lowercase-crc, modbus-crc, garbage, fragmented (repeatable)")
      ->check(CLI::IsMember({"lowercase-crc", "modbus-crc", "garbage", "fragmented"}));
  sim->add_option("--threads", s->o.io_threads, "io threads (default 1)");
  sim->add_option("--frames-per-write", s->o.frames_per_write,
                  "uploads per TCP write of a device (default 1)");
  sim->add_option("--connect-spread", s->o.connect_spread_s, "open the connections over this many seconds");
  sim->add_option("--protocol", s->o.protocol, "HJ 212 edition the devices speak: 2017 (default), 2005, 2025")
      ->check(CLI::IsMember({2005, 2017, 2025}));
  sim->add_flag("--encrypt", s->o.encrypt,
                "SM4-encrypt every upload's CP area under --key (HJ 212-2025 §6.4; needs --protocol 2025)");
  sim->add_option("--key", s->o.key,
                  "the devices' session key: 16 characters or 32 hex digits (with --register and a master "
                  "key, it is also issued to each device)");
  sim->add_option("--heartbeat", s->o.heartbeat_s, "send a 9015 heartbeat every this many seconds (2025)");
  sim->add_flag(
      "--request-key", s->o.request_key,
      "send a 1014 key request on connecting (with --encrypt); a pushed 1014 key is taken either way");
  sim->add_flag(
      "--power,--electricity", s->o.electricity,
      "power-use modules (用电监控, ST 44: production line d20101 and treatment line d30101 in kW, a "
      "daily pattern, every twelfth module's treatment line off at times) instead of emission "
      "analysers (needs --protocol 2025; docs/power.md)");
  sim->add_option("--data-step", s->o.data_step_s,
                  "seconds the DataTime advances per upload (default: the interval; e.g. --interval 1 "
                  "--data-step 60 sends minute data 60 times faster than real time)");
  sim->add_option("--start", s->start,
                  "the first DataTime, YYYY-MM-DD hh:mm (Beijing time; default now, or earlier so that a "
                  "fast data clock stays within the gateway's future skew)");
  sim->add_flag(
      "--dust", s->o.dust,
      "fugitive-dust TSP points (扬尘, ST 39: minute data a34001 TSP, a34002, a34004, a01007) instead "
      "of emission analysers (docs/dust.md)");
  sim->add_option(
      "--unprovisioned", s->o.unprovisioned,
      "one HJ 212-2025 logger without an MN, this its 数采仪ID: sends 1001 until a 1002 assigns its "
      "MN (ecomon sources provision), then uploads under it; registers nothing");
  sim->add_flag("--hourly", s->o.hourly,
                "also send each completed hour's hourly upload (2061), starting with the hour before");
  sim->add_option("--acked-log", s->o.acked_log,
                  "append MN,CN,DataTime of every answered upload to this file");
  sim->add_flag("--register-only", s->register_only,
                "only register the simulated devices in --db, then exit");
  sim->add_flag("--no-register", s->no_register, "do not register the devices in --db first");
  sim->add_flag("--json", s->json, "print the statistics as JSON");
  sim->callback([s, &global] {
    if (s->o.electricity && s->o.protocol != 2025) {  // before registering 2017 devices for them
      set_exit_code(fail(invalid_argument("--power needs --protocol 2025")));
      return;
    }
    if (!s->start.empty()) {
      auto t = sources::SourceTime::parse(s->start);
      if (!t.ok()) {
        set_exit_code(fail(invalid_argument("--start: " + t.status().message())));
        return;
      }
      s->o.first_data_time_ms = t->seconds * 1000;
    }
    // Stations (air, water, noise) are registered with `stations register`.
    if (!s->no_register && !s->o.stations && !s->o.water && !s->o.noise && s->o.unprovisioned.empty()) {
      auto st = open_stores(global.db);
      if (!st.ok()) {
        set_exit_code(fail(st.status()));
        return;
      }
      const auto devices = sim_devices(s->o.first_device, s->o.devices, s->o.password, s->o.protocol);
      for (const DeviceRecord& d : devices) {
        if (Status e = (*st)->sources().upsert_device(d); !e.ok()) {
          set_exit_code(fail(e));
          return;
        }
      }
      if (s->o.encrypt && !s->o.key.empty()) {
        if (Status e = issue_sim_keys(**st, devices, s->o.key); !e.ok()) {
          set_exit_code(fail(e));
          return;
        }
      }
      if (s->register_only) {
        std::cout << "registered " << s->o.devices << " simulated devices in " << redact_store_url(global.db)
                  << "\n";
        return;
      }
    }
    block_signals();
    std::atomic<bool> stop{false};
    std::thread watcher([&] {
      if (wait_for_signal(s->o.duration_s > 0 ? s->o.duration_s + 5 : 0)) stop = true;
    });
    auto stats = run_simulator(s->o, &stop);
    stop = true;
    pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
    if (!stats.ok()) {
      set_exit_code(fail(stats.status()));
      return;
    }
    std::cout << (s->json ? stats->to_json() + "\n" : stats->to_text());
    if (stats->connect_failures > 0) set_exit_code(1);
  });

  // ---- reads
  CLI::App* src = app.add_subcommand("sources", "pollution-source monitoring: devices and their data");
  src->require_subcommand(1);
  auto dev = std::make_shared<DeviceRecord>();
  CLI::App* reg = src->add_subcommand("register", "register (or update) a device");
  reg->add_option("--mn", dev->mn, "device MN")->required();
  reg->add_option("--password", dev->password, "device password (PW)")->required();
  auto protocol = std::make_shared<std::string>("2017");
  reg->add_option(
         "--protocol", *protocol,
         "HJ 212 edition: 2017 (default), 2005, 2025, or auto (each frame's Flag version bits decide; "
         "a year given wins over the Flag)")
      ->check(CLI::IsMember({"2005", "2017", "2025", "auto"}));
  reg->add_option("--enterprise", dev->enterprise, "enterprise name");
  reg->add_option("--outlet", dev->outlet, "outlet name");
  reg->add_option("--county", dev->county, "county");
  reg->add_option("--rtd-interval", dev->rtd_interval_s, "real-time interval, s (30..3600)")
      ->check(CLI::Range(30, 3600));
  reg->add_option("--policy", dev->policy, "tolerance of this device's frames: lenient (default) or strict")
      ->check(CLI::IsMember({"strict", "lenient"}));
  reg->callback([dev, protocol, &global] {
    dev->protocol = *protocol == "auto" ? kDeviceProtocolAuto : std::stoi(*protocol);
    auto st = open_stores(global.db);
    if (!st.ok()) {
      set_exit_code(fail(st.status()));
      return;
    }
    if (dev->password.size() != 6) std::cerr << "warning: HJ 212 passwords have 6 characters\n";
    if (Status e = (*st)->sources().upsert_device(*dev); !e.ok()) set_exit_code(fail(e));
  });
  auto fmt_opt = std::make_shared<std::string>("table");
  CLI::App* devs = src->add_subcommand("devices", "list registered devices");
  devs->add_option("--format", *fmt_opt, "table or json")->check(CLI::IsMember({"table", "json"}));
  devs->callback([fmt_opt, &global] {
    auto stores = open_stores(global.db);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto list = app::source_devices(**stores, Actor::operator_cli());
    if (!list.ok()) return set_exit_code(fail(list.status()));
    if (*fmt_opt == "json") {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& d : *list) {
        a.push_back({{"mn", d.mn},
                     {"protocol", d.protocol},
                     {"enterprise", d.enterprise},
                     {"outlet", d.outlet},
                     {"county", d.county},
                     {"rtd_interval_s", d.rtd_interval_s},
                     {"active", d.active}});
      }
      std::cout << json_text(a, 2) << "\n";
      return;
    }
    TextTable t({"MN", "协议", "企业", "排放口", "区县", "实时间隔(s)"});
    for (const auto& d : *list) {
      t.add({d.mn, d.protocol == kDeviceProtocolAuto ? "auto" : std::to_string(d.protocol), d.enterprise,
             d.outlet, d.county, std::to_string(d.rtd_interval_s)});
    }
    std::cout << t.render();
  });
  struct ReadOpts {
    std::string mn, format = "table";
    int cn = 2011;
    int64_t from = 0, to = 99991231235959;
    int64_t limit = 1000;
  };
  auto r = std::make_shared<ReadOpts>();
  CLI::App* latest = src->add_subcommand("latest", "the newest upload of every device");
  latest->add_option("--cn", r->cn,
                     "data type: 2011 real-time (default), 2051 minute, 2061 hourly, 2031 daily");
  latest->add_option("--format", r->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  // The records, and with `conflicts` (records only) the other versions of re-sent uploads (same MN, CN and
  // DataTime, other values: source_record_conflict), each shown after the version stored first. JSON: a
  // record with other versions has "conflicts": [{"qn", "received_ms", "values"}, ...]. Text that is not
  // UTF-8 (stored by an older version) is written with U+FFFD (JSON) or \xHH (table).
  auto print = [](const std::vector<SourceRecord>& recs, const std::vector<SourceRecord>& conflicts,
                  const std::string& format) {
    using Key = std::tuple<std::string, int, int64_t>;
    std::map<Key, std::vector<const SourceRecord*>> others;
    for (const auto& c : conflicts) others[Key{c.mn, c.cn, c.data_time}].push_back(&c);
    const auto others_of = [&](const SourceRecord& x) -> const std::vector<const SourceRecord*>* {
      auto it = others.find(Key{x.mn, x.cn, x.data_time});
      return it == others.end() ? nullptr : &it->second;
    };
    if (format == "json") {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& x : recs) {
        nlohmann::json j = {{"mn", x.mn},
                            {"cn", x.cn},
                            {"data_time", x.data_time},
                            {"qn", x.qn},
                            {"received_ms", x.received_ms},
                            {"flag", x.flag & kStoredFlagMask},
                            {"backfill", (x.flag & kStoredFlagResent) != 0},
                            {"values", source_cp_json(x.cp)}};
        if (const auto* o = others_of(x)) {
          nlohmann::json versions = nlohmann::json::array();
          for (const SourceRecord* c : *o) {
            versions.push_back(
                {{"qn", c->qn}, {"received_ms", c->received_ms}, {"values", source_cp_json(c->cp)}});
          }
          j["conflicts"] = std::move(versions);
        }
        a.push_back(std::move(j));
      }
      std::cout << json_text(a, 2) << "\n";
      return;
    }
    constexpr size_t kCpShown = 120;
    constexpr int64_t kBeijingMs = int64_t{8} * 3600 * 1000;
    TextTable t({"MN", "CN", "DataTime", "CP"});
    size_t with_conflicts = 0;
    for (const auto& x : recs) {
      const auto* o = others_of(x);
      const std::string mark = std::string((x.flag & kStoredFlagResent) ? "[补传 back-fill, RF=1] " : "") +
                               (o ? "[conflict: " + std::to_string(o->size() + 1) + " versions] " : "");
      t.add({escape_invalid_utf8(x.mn), std::to_string(x.cn), std::to_string(x.data_time),
             mark + truncate_utf8(escape_invalid_utf8(x.cp), kCpShown)});
      if (!o) continue;
      ++with_conflicts;
      for (const SourceRecord* c : *o) {
        const std::string received = hj212::Timestamp::from_civil_ms(c->received_ms + kBeijingMs).to_iso();
        t.add({escape_invalid_utf8(c->mn), std::to_string(c->cn), std::to_string(c->data_time),
               "[other version, received " + received + "] " +
                   truncate_utf8(escape_invalid_utf8(c->cp), kCpShown)});
      }
    }
    std::cout << t.render();
    if (with_conflicts > 0) {
      std::cout
          << with_conflicts
          << " record(s) re-sent with other values (conflicts): every version is shown, the first stored "
             "first\n";
    }
  };
  latest->callback([r, print, &global] {
    auto stores = open_stores(global.db);
    if (!stores.ok()) return set_exit_code(fail(stores.status()));
    auto recs = app::latest_source_uploads(**stores, Actor::operator_cli(), r->cn);
    if (!recs.ok()) return set_exit_code(fail(recs.status()));
    print(*recs, {}, r->format);
  });
  CLI::App* records = src->add_subcommand("records", "a device's uploads in a time range");
  records->add_option("--mn", r->mn, "device MN")->required();
  records->add_option("--cn", r->cn, "data type (0 = all; default 2011)");
  records->add_option("--from", r->from, "first DataTime, yyyymmddhhmmss");
  records->add_option("--to", r->to, "last DataTime, yyyymmddhhmmss");
  records->add_option("--limit", r->limit, "at most this many (default 1000)");
  records->add_option("--format", r->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  records->callback([r, print, &global] {
    auto st = open_stores(global.db);
    if (!st.ok()) return set_exit_code(fail(st.status()));
    auto recs = (*st)->sources().source_records(r->mn, r->cn, r->from, r->to, r->limit);
    if (!recs.ok()) return set_exit_code(fail(recs.status()));
    auto conflicts = (*st)->sources().source_record_conflicts(r->mn, r->cn, r->from, r->to, r->limit);
    if (!conflicts.ok()) return set_exit_code(fail(conflicts.status()));
    print(*recs, *conflicts, r->format);
  });

  auto ro = std::make_shared<RateOpts>();
  CLI::App* rates =
      src->add_subcommand("rates", "monthly transmission rates per device (传输率, 有效率, 有效传输率)");
  rates->add_option("--month", ro->month, "month, YYYY-MM")->required();
  rates->add_option("--kind", ro->kind, "which uploads count: hourly (default), daily, minute, realtime")
      ->check(CLI::IsMember({"hourly", "daily", "minute", "realtime"}));
  rates->add_option("--format", ro->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  rates->callback([ro, &global] { set_exit_code(run_rates(global.db, *ro)); });
  register_source_registry(src, global);
  register_source_keys(src, global);
  register_source_provisioning(src, global);
}

}  // namespace ecomon::cli
