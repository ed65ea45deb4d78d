// `ecomon store copy --from URL --to URL [--force] [--max-rows N]`: one store into another, any backends
// (store/store_copy.h). Progress on stderr (part, rows, rows/s), the summary as JSON on stdout.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "store/open.h"
#include "store/store_copy.h"

namespace ecomon::cli {
namespace {

struct CopyOpts {
  std::string from, to;
  bool force = false;
  int64_t max_rows = 0;
};

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

void print_progress(const CopyProgress& p) {
  const CopiedPart& part = *p.part;
  if (p.done && part.read == 0) return;  // an empty table: nothing to say
  const int64_t n = p.checking ? part.read : part.written;
  const double rate = part.seconds > 0 ? static_cast<double>(n) / part.seconds : 0;
  std::cerr << "store copy: " << (p.checking ? "checking " : "copying ") << part.name << " (" << part.concern
            << "): " << n << " " << part.unit << (p.checking ? " read" : " written");
  if (p.done && !p.checking) std::cerr << ", " << part.same << " held already";
  std::cerr << ", " << std::llround(rate) << " " << part.unit << "/s" << (p.done ? "" : " ...") << "\n";
}

int run_copy(const CopyOpts& o) {
  const std::string from_name = redact_store_url(o.from), to_name = redact_store_url(o.to);
  if (o.from == o.to)
    return fail(invalid_argument("--from and --to name the same store (" + from_name + ")"));
  if (o.max_rows < 0) return fail(invalid_argument("--max-rows must be 0 (no limit) or more"));
  auto from = open_stores(o.from);
  if (!from.ok()) return fail(from.status().with_context("--from " + from_name));
  auto to = open_stores(o.to);
  if (!to.ok()) return fail(to.status().with_context("--to " + to_name));
  CopyOptions options{.force = o.force, .max_rows = o.max_rows, .progress = print_progress};
  auto report = copy_stores(**from, **to, options);
  if (!report.ok()) return fail(report.status());
  if (report->written() == 0) {
    std::cerr << "store copy: nothing to copy, the destination holds everything the source holds\n";
  } else if (!report->complete) {
    std::cerr << "store copy: stopped after " << report->written() << " rows (--max-rows " << o.max_rows
              << "); run it again to go on\n";
  }
  if (report->differing() > 0) {
    std::cerr << "store copy: " << report->differing() << " differing (--force): first "
              << report->first_difference << "\n";
  }
  std::cout << copy_report_json(*report, from_name, to_name) << "\n";
  return report->differing() > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void register_store(CLI::App& app, GlobalOptions& global) {
  CLI::App* store =
      app.add_subcommand("store", "the store itself: copy between backends, ship a cluster's spool");
  store->require_subcommand(1);
  CLI::App* ship = store->add_subcommand(
      "ship",
      "move the uploads a cluster's gateways acknowledged on PostgreSQL to ClickHouse (docs/cluster.md)");
  ship->callback([&global] {
    auto n = ship_store_uploads(global.db);
    if (!n.ok()) {
      std::fprintf(stderr, "error: store ship: %s\n", n.status().message().c_str());
      set_exit_code(kExitFailed);
      return;
    }
    std::printf("%lld uploads shipped\n", static_cast<long long>(*n));
    set_exit_code(kExitOk);
  });
  auto o = std::make_shared<CopyOpts>();
  CLI::App* copy = store->add_subcommand(
      "copy",
      "copy every concern of one store into another (any backends: SQLite file, cluster); idempotent and "
      "resumable; refuses a destination holding other data unless --force");
  copy->add_option("--from", o->from, "source store URL (PATH, sqlite:PATH, postgresql://...?clickhouse=...)")
      ->required();
  copy->add_option("--to", o->to, "destination store URL (created when a new SQLite file)")->required();
  copy->add_flag(
      "--force", o->force,
      "copy onto other data for the same keys: record rows are replaced; hours and uploads are never "
      "overwritten (the source's upload is kept as another version)");
  copy->add_option(
      "--max-rows", o->max_rows,
      "stop after writing about N rows (record rows, month blocks, uploads); run again to continue");
  copy->callback([o]() { set_exit_code(run_copy(*o)); });
}

}  // namespace ecomon::cli
