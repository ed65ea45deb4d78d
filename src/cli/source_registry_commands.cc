// `ecomon sources import|events|demo-registry|command|commands` (source_registry_commands.h).
#include "cli/source_registry_commands.h"
#include "cli/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "app/sources.h"
#include "cli/cli_actor.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "demo/demo_registry.h"
#include "ingest/hj212/encoder.h"
#include "ingest/source_registry_csv.h"
#include "sources/events.h"
#include "sources/sources_format.h"
#include "store/sources/event_feed.h"
#include "store/sources/stored_record.h"
#include "store/sqlite_store.h"
#include "store/sqlite_stores.h"

namespace ecomon::cli {
namespace {

constexpr int64_t kBeijingOffsetS = int64_t{8} * sources::kSecondsPerHour;  // civil (Beijing) time = UTC+8

int fail(const Status& s) {
  last_view_error() = s;
  std::cerr << "error: " << s.message() << "\n";
  return 2;
}

sources::SourceTime civil_now() {
  const auto utc =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return sources::SourceTime::of_seconds(utc.count() + kBeijingOffsetS);
}

// One event (open → close) as shown.
struct EventRow {
  sources::EventTransition open;
  std::optional<sources::SourceTime> closed_at;
};

std::string kind_label(sources::EventKind k) {
  switch (k) {
    case sources::EventKind::kExceedance:
      return "超标";
    case sources::EventKind::kSilence:
      return "离线";
    case sources::EventKind::kFlagFault:
      return "数据标记异常";
  }
  return "?";
}

struct EventOpts {
  int64_t from = 0;  // 0: from the first record
  int64_t to = 0;    // 0: now
  std::string mn;
  std::string format = "table";
  std::string source = "auto";  // stored (the gateway's live events), computed (from the uploads), auto
};

// With `result`, the JSON goes there instead of standard output.
int run_events(const std::string& db, const EventOpts& o, nlohmann::json* result = nullptr) {
  std::optional<sources::SourceTime> from;
  if (o.from != 0) {
    auto f = sources::SourceTime::from_digits(o.from);
    if (!f.ok()) return fail(f.status().with_context("--from"));
    from = *f;
  }
  sources::SourceTime to = civil_now();
  if (o.to != 0) {
    auto t = sources::SourceTime::from_digits(o.to);
    if (!t.ok()) return fail(t.status().with_context("--to"));
    to = *t;
  }
  if (from && *from > to) return fail(invalid_argument("--from is after --to"));

  auto store = SqliteStore::open(db);
  if (!store.ok()) return fail(store.status());
  auto rs = open_sqlite_stores(db);
  if (!rs.ok()) return fail(rs.status());
  auto load = (*rs)->source_registry().load();
  if (!load.ok()) return fail(load.status());
  for (const std::string& p : load->problems) std::cerr << "warning: registry: " << p << "\n";
  const sources::SourceRegistry& registry = load->registry;
  if (!o.mn.empty() && !registry.find_device(o.mn)) {
    return fail(not_found("device " + o.mn + " is not in the source registry (ecomon sources import)"));
  }

  // Stored events when the gateway watched the whole period (auto), else computed from the uploads.
  auto es = open_sqlite_stores(db);
  if (!es.ok()) return fail(es.status());
  bool stored = o.source == "stored";
  if (o.source == "auto") {
    auto w = (*es)->source_events().watched(from, to);
    if (!w.ok()) return fail(w.status());
    stored = *w;
  }
  std::vector<EventRow> events;
  FeedCounts counts;
  if (stored) {
    auto rows = (*es)->source_events().events({.from = from, .to = to, .mn = o.mn});
    if (!rows.ok()) return fail(rows.status());
    for (const StoredEvent& e : *rows) {
      // As the events stood at `to`.
      events.push_back({e.open, e.closed_at && *e.closed_at <= to ? e.closed_at : std::nullopt});
    }
    for (const sources::Device* d : registry.devices()) counts.devices += o.mn.empty() || d->mn == o.mn;
  } else {
    sources::EventTracker tracker;
    if (from) {
      auto primed = prime_silence_clocks(**store, registry, tracker, *from, o.mn);
      if (!primed.ok()) return fail(primed.status());
      counts.undecodable += primed->undecodable;
    }
    std::map<sources::EventKey, size_t> open;
    auto take = [&](const std::vector<sources::EventTransition>& ts) {
      for (const sources::EventTransition& t : ts) {
        if (!o.mn.empty() && t.key.mn != o.mn) continue;
        if (t.transition == sources::Transition::kOpen) {
          open[t.key] = events.size();
          events.push_back({t, std::nullopt});
          continue;
        }
        auto it = open.find(t.key);
        if (it == open.end())
          continue;  // opened before what was fed (cannot happen: the primer has no values)
        events[it->second].closed_at = t.at;
        open.erase(it);
      }
    };
    auto fed = feed_stored_records(**store, registry, tracker, from, to, o.mn, take);
    if (!fed.ok()) return fail(fed.status());
    counts.devices = fed->devices;
    counts.records = fed->records;
    counts.undecodable += fed->undecodable;
    take(tracker.evaluate(registry, to));
    std::stable_sort(events.begin(), events.end(), [](const EventRow& a, const EventRow& b) {
      return std::tie(a.open.at, a.open.key) < std::tie(b.open.at, b.open.key);
    });
  }
  const int64_t devices = counts.devices, undecodable = counts.undecodable;
  const char* source_name = stored ? "stored" : "computed";

  auto enterprise_of = [&](const std::string& mn) -> std::pair<std::string, std::string> {
    const sources::Device* d = registry.find_device(mn);
    const sources::Outlet* ou = d ? registry.find_outlet(d->outlet_id) : nullptr;
    const sources::Enterprise* e = ou ? registry.find_enterprise(ou->enterprise_id) : nullptr;
    return {e ? e->name : "", ou ? ou->id : ""};
  };
  int64_t open_count = 0;
  for (const EventRow& e : events) open_count += e.closed_at ? 0 : 1;

  if (o.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const EventRow& e : events) {
      const sources::EventTransition& t = e.open;
      const auto [enterprise, outlet] = enterprise_of(t.key.mn);
      const bool exceedance = t.key.kind == sources::EventKind::kExceedance;
      auto opt = [](const std::optional<Decimal>& d) {
        return d ? nlohmann::json(d->to_string()) : nlohmann::json();
      };
      list.push_back({
          {"kind", sources::event_kind_name(t.key.kind)},
          {"state", e.closed_at ? "closed" : "open"},
          {"mn", t.key.mn},
          {"enterprise", enterprise},
          {"outlet", outlet},
          {"pollutant", t.key.pollutant.empty() ? nlohmann::json() : nlohmann::json(t.key.pollutant)},
          {"flag", t.key.kind == sources::EventKind::kFlagFault
                       ? nlohmann::json(std::string(1, flag_letter(t.key.flag)))
                       : nlohmann::json()},
          {"opened_at", t.at.to_string()},
          {"closed_at", e.closed_at ? nlohmann::json(e.closed_at->to_string()) : nlohmann::json()},
          {"data_time", t.data_time.to_string()},
          {"cause",
           exceedance ? nlohmann::json(std::string(exceedance_cause_name(t.cause))) : nlohmann::json()},
          {"value", opt(t.value)},
          {"limit", opt(t.limit)},
          {"basis",
           exceedance && t.value
               ? nlohmann::json(t.basis == sources::LimitBasis::kStandardised ? "standardised" : "measured")
               : nlohmann::json()},
          {"backfill", t.backfill},
      });
    }
    nlohmann::json out = {{"from", from ? nlohmann::json(from->to_string()) : nlohmann::json()},
                          {"to", to.to_string()},
                          {"devices", devices},
                          {"source", source_name},
                          {"records", counts.records},
                          {"undecodable_records", undecodable},
                          {"devices_without_details", load->devices_without_details},
                          {"registry_problems", load->problems},
                          {"open", open_count},
                          {"closed", static_cast<int64_t>(events.size()) - open_count},
                          {"events", list}};
    if (result) {
      *result = std::move(out);
      return 0;
    }
    std::cout << json_text(out, 2) << "\n";
    return 0;
  }
  TextTable table({"事件", "状态", "MN", "企业", "排放口", "污染物", "开始", "结束", "说明"});
  for (const EventRow& e : events) {
    const sources::EventTransition& t = e.open;
    const auto [enterprise, outlet] = enterprise_of(t.key.mn);
    std::string note;
    switch (t.key.kind) {
      case sources::EventKind::kExceedance: {
        const char* field = t.basis == sources::LimitBasis::kStandardised ? "ZsAvg" : "Avg";
        if (t.cause == sources::ExceedanceCause::kOverRange) {
          note = "标记 T (超测定上限)";
        } else if (t.value && t.limit) {
          note =
              fmt::format("{} {} {} {}", field, t.value->to_string(),
                          t.cause == sources::ExceedanceCause::kBelowLimit ? "<" : ">", t.limit->to_string());
        }
        break;
      }
      case sources::EventKind::kSilence:
        note = "最后数据(或登记)时间 " + t.data_time.to_string();
        break;
      case sources::EventKind::kFlagFault:
        note = std::string("标记 ") + flag_letter(t.key.flag);
        break;
    }
    if (t.backfill) note += " [补传]";
    table.add({kind_label(t.key.kind), e.closed_at ? "已结束" : "进行中", t.key.mn, enterprise, outlet,
               t.key.pollutant, t.at.to_string(), e.closed_at ? e.closed_at->to_string() : "-", note});
  }
  std::cout << fmt::format("{} .. {}: {} devices, {} events ({} open), {}\n",
                           from ? from->to_string() : "start", to.to_string(), devices, events.size(),
                           open_count,
                           stored ? "as the gateway raised them"
                                  : fmt::format("computed from {} stored records", counts.records))
            << table.render();
  if (undecodable > 0) std::cout << undecodable << " stored records could not be decoded\n";
  if (!load->devices_without_details.empty()) {
    std::cout << load->devices_without_details.size()
              << " devices of source_device have no registry details and were not judged\n";
  }
  return 0;
}

int run_import(const std::string& db, const std::string& dir, const std::string& format) {
  auto rs = open_sqlite_stores(db);
  if (!rs.ok()) return fail(rs.status());
  auto r = import_registry_dir((*rs)->source_registry(), dir);
  if (!r.ok()) return fail(r.status());
  auto load = (*rs)->source_registry().load();
  if (!load.ok()) return fail(load.status());
  const ImportReport& rep = r->report;
  const int code = rep.rows_rejected + rep.files_rejected > 0 || !load->problems.empty() ? 1 : 0;
  if (format == "json") {
    nlohmann::json issues = nlohmann::json::array();
    for (const ImportIssue& i : rep.issues) {
      issues.push_back({{"kind", i.kind}, {"where", i.where()}, {"message", i.message}});
    }
    nlohmann::json out = {{"files", rep.files},
                          {"files_rejected", rep.files_rejected},
                          {"rows", rep.rows},
                          {"rows_rejected", rep.rows_rejected},
                          {"added", r->counts.added},
                          {"updated", r->counts.updated},
                          {"unchanged", r->counts.unchanged},
                          {"issues", issues},
                          {"issue_counts", rep.issue_counts},
                          {"registry",
                           {{"enterprises", load->registry.enterprises().size()},
                            {"outlets", load->registry.outlets().size()},
                            {"devices", load->registry.devices().size()},
                            {"problems", load->problems}}}};
    std::cout << json_text(out, 2) << "\n";
    return code;
  }
  std::cout << fmt::format(
      "{} files ({} rejected), {} rows ({} rejected): {} added, {} updated, {} unchanged\n", rep.files,
      rep.files_rejected, rep.rows, rep.rows_rejected, r->counts.added, r->counts.updated,
      r->counts.unchanged);
  for (const ImportIssue& i : rep.issues)
    std::cout << "  " << i.kind << ": " << i.where() << ": " << i.message << "\n";
  std::cout << fmt::format("registry: {} enterprises, {} outlets, {} devices\n",
                           load->registry.enterprises().size(), load->registry.outlets().size(),
                           load->registry.devices().size());
  for (const std::string& p : load->problems) std::cout << "  problem: " << p << "\n";
  return code;
}

// ---- sources command / commands: downstream commands queued for the gateway (store/sources/command_store.h)
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string outcome_of(const Status& s) {
  if (s.ok()) return "ok";
  if (s.code() == StatusCode::kPermissionDenied) return "denied";
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound) return "invalid";
  return "error";
}

struct CommandOpts {
  std::string mn, name, as_user, format = "table";
  std::vector<std::string> args;
};

int run_command(const std::string& db, const CommandOpts& o) {
  auto actor = cli_actor(db, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  auto cs = open_sqlite_stores(db);
  if (!cs.ok()) return fail(cs.status());
  auto c = app::enqueue_source_command(**cs, *actor, {o.mn, o.name, o.args}, now_ms());
  // Written to the audit log like every write, refused ones included.
  auto acc = AccountStore::open(db);
  if (!acc.ok()) return fail(acc.status());
  AuditEntry e{.user = actor->user,
               .role = std::string(role_name(actor->role)),
               .action = "sources.command",
               .target = o.mn,
               .outcome = outcome_of(c.status()),
               .detail = c.ok() ? fmt::format("#{} {}", c->id, o.name) : c.status().message(),
               .via = "cli"};
  if (Status a = (*acc)->audit(e); !a.ok()) return fail(a);
  if (!c.ok()) return fail(c.status());
  if (o.format == "json") {
    std::cout << json_text(source_command_json(*c), 2) << "\n";
  } else {
    std::cout << fmt::format(
        "#{} {}{} queued for {} by {}; the gateway sends it when the device is connected\n", c->id, c->name,
        c->argument.empty() ? "" : " " + c->argument, c->mn, c->created_by);
  }
  return 0;
}

std::string time_text(int64_t ms) {
  if (ms == 0) return "-";
  constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
  return hj212::Timestamp::from_civil_ms(ms + kBeijingOffsetMs).to_iso();
}

int run_list(const std::string& db, const std::string& mn, int64_t limit, const std::string& format) {
  if (limit < 1) return fail(invalid_argument("--limit must be at least 1"));
  auto cs = open_sqlite_stores(db);
  if (!cs.ok()) return fail(cs.status());
  auto list = app::source_commands(**cs, Actor::operator_cli(), mn, limit);
  if (!list.ok()) return fail(list.status());
  if (format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const SourceCommand& c : *list) items.push_back(source_command_json(c));
    std::cout << json_text(nlohmann::json{{"commands", items}}, 2) << "\n";
    return 0;
  }
  TextTable t({"#", "MN", "命令", "状态", "QN", "次数", "QnRtn", "ExeRtn", "排队", "结束", "结果/说明"});
  for (const SourceCommand& c : *list) {
    t.add({std::to_string(c.id), c.mn, c.name + (c.argument.empty() ? "" : " " + c.argument), c.state,
           c.qn.empty() ? "-" : c.qn, std::to_string(c.attempts), c.qn_rtn ? std::to_string(c.qn_rtn) : "-",
           c.exe_rtn ? std::to_string(c.exe_rtn) : "-", time_text(c.created_ms), time_text(c.finished_ms),
           c.result.empty() ? c.detail : c.result});
  }
  std::cout << t.render();
  return 0;
}

}  // namespace

StatusOr<nlohmann::json> source_events(const std::string& db, int64_t from, int64_t to, const std::string& mn,
                                       const std::string& source) {
  EventOpts o;
  o.source = source;
  o.from = from;
  o.to = to;
  o.mn = mn;
  o.format = "json";
  nlohmann::json j;
  if (run_events(db, o, &j) != 0) return last_view_error();
  return j;
}

void register_source_registry(CLI::App* sources_cmd, GlobalOptions& global) {
  register_source_commands(sources_cmd, global);
  auto eo = std::make_shared<EventOpts>();
  CLI::App* ev = sources_cmd->add_subcommand(
      "events", "exceedance (超标), silence (离线) and flag-fault events from the stored uploads");
  ev->add_option("--from", eo->from, "first DataTime, yyyymmddhhmmss (default: the first record)");
  ev->add_option("--to", eo->to, "last DataTime and when silence is judged, yyyymmddhhmmss (default: now)");
  ev->add_option("--mn", eo->mn, "only this device");
  ev->add_option("--format", eo->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  ev->add_option("--source", eo->source,
                 "stored (the gateway's live events), computed (judged now from the stored uploads) or auto "
                 "(default: stored when the gateway watched the whole period)")
      ->check(CLI::IsMember({"auto", "stored", "computed"}));
  ev->callback([eo, &global] { set_exit_code(run_events(global.db, *eo)); });

  auto dir = std::make_shared<std::string>();
  auto import_format = std::make_shared<std::string>("text");
  CLI::App* imp = sources_cmd->add_subcommand(
      "import",
      "import the registry CSV templates of a directory (enterprises.csv, outlets.csv, devices.csv, ...)");
  imp->add_option("dir", *dir, "directory holding the templates")->required();
  imp->add_option("--format", *import_format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  imp->callback(
      [dir, import_format, &global] { set_exit_code(run_import(global.db, *dir, *import_format)); });

  auto out = std::make_shared<std::string>();
  CLI::App* demo =
      sources_cmd->add_subcommand("demo-registry", "write the demo city's registry as CSV templates");
  demo->add_option("--out", *out, "directory to write")->required();
  demo->callback([out] {
    if (Status s = write_demo_registry(*out); !s.ok()) return set_exit_code(fail(s));
    std::cout << "demo registry (" << kDemoRegistryDevices << " devices) written to " << *out << "\n";
  });
}

void register_source_commands(CLI::App* sources_cmd, GlobalOptions& global) {
  auto o = std::make_shared<CommandOpts>();
  std::string names;
  for (const std::string& n : command_names()) names += (names.empty() ? "" : "|") + n;
  CLI::App* c = sources_cmd->add_subcommand(
      "command", "queue a downstream command for a device (bureau only): " + names +
                     "; the gateway sends it when the device is connected and records the answers");
  c->add_option("mn", o->mn, "the device's MN")->required();
  c->add_option("name", o->name, names)->required();
  c->add_option("args", o->args,
                "set-interval SECONDS (30..3600), set-min-interval MINUTES, get-info POLID INFOID");
  c->add_option("--as", o->as_user,
                "act as this stored user (ecomon users add; default: the console operator)");
  c->add_option("--format", o->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  c->callback([o, &global] { set_exit_code(run_command(global.db, *o)); });

  struct ListOpts {
    std::string mn, format = "table";
    int64_t limit = 50;
  };
  auto l = std::make_shared<ListOpts>();
  CLI::App* list =
      sources_cmd->add_subcommand("commands", "the downstream commands, newest first, with their outcome");
  list->add_option("--mn", l->mn, "only this device");
  list->add_option("--limit", l->limit, "rows (default 50)");
  list->add_option("--format", l->format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([l, &global] { set_exit_code(run_list(global.db, l->mn, l->limit, l->format)); });
}

}  // namespace ecomon::cli
