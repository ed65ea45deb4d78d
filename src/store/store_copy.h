// Copying one store into another, whatever their backends (`ecomon store copy --from URL --to URL`): every
// record concern row by row (RecordTables: registries, ledger, emergency, accounts and the audit log, events,
// commands, device keys still sealed, HJ 212-2025 loggers pending or given an MN, water and soil), then the
// hourly observations (TimeSeriesStore), then the HJ 212 uploads with their other versions (SourceStore,
// written through SourceIngest's shard writers).
//
//   auto from = open_stores("ecomon.db");
//   auto to = open_stores("postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=...");
//   auto report = copy_stores(**from, **to, {.progress = print_progress});
//
// What it guarantees:
// - Idempotent: what the destination holds already (the same row, value or upload) is not written again; a
//   second copy writes nothing and its report says so (written() == 0).
// - Resumable without bookkeeping: progress is derived from what the destination holds. Each write is one
//   transaction (a batch of rows, one station's blocks, one window of a device's uploads), so a copy killed
//   half-way leaves whole batches; run again, it compares, skips them and writes the rest.
// - Refuses a destination that holds other data for the same keys (a row with the same key and other values,
//   an hour with another value, an upload with the same MN, CN and DataTime and another CP): it compares
//   everything first and, before writing anything, fails naming the first difference, unless `force`. With
//   `force`, a record row is replaced by the source's; an hour or an upload is never overwritten (those
//   stores keep what they hold, by design): the source's upload is kept as another version, the source's
//   hour is reported as a conflict and left out.
// - Keys are kept: ids (stations, commands, audit rows, ledger history) are the source's, so the time series
//   and the references between records stay right. A destination that numbered its own rows differently is
//   a difference.
// - Secrets are carried as stored and never shown: the copy has no master key (a device key stays sealed),
//   and a difference in a sealed key, a password or a hash is named without its values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon {

// One table, the observations or the uploads.
struct CopiedPart {
  std::string name;     // "ld_task", "air_hourly", "source_record"
  std::string concern;  // "ledger", "observations", "uploads"
  std::string unit;     // "rows", "values", "records"
  int64_t read = 0;     // in the source
  int64_t written = 0;  // new to the destination
  int64_t same = 0;     // held by the destination already
  int64_t differing = 0;
  double seconds = 0;
};

struct CopyProgress {
  const CopiedPart* part = nullptr;
  bool checking = false;  // the comparison pass (nothing written yet)
  bool done = false;      // the part is finished
};

struct CopyOptions {
  bool force = false;
  // Stop once this many rows (record rows, month blocks, uploads) were written, 0: no limit. The copy is
  // then incomplete; running it again continues.
  int64_t max_rows = 0;
  std::function<void(const CopyProgress&)> progress;  // at most about once a second per part, and at its end
};

struct CopyReport {
  std::vector<CopiedPart> parts;
  bool complete = true;
  std::string first_difference;  // "" when the destination held nothing different
  double seconds = 0;
  int64_t written() const {
    int64_t n = 0;
    for (const CopiedPart& p : parts) n += p.written;
    return n;
  }
  int64_t differing() const {
    int64_t n = 0;
    for (const CopiedPart& p : parts) n += p.differing;
    return n;
  }
};

// kFailedPrecondition naming the first difference when the destination holds other data and !force
// (nothing is written then); a store's error otherwise, with what was being copied.
StatusOr<CopyReport> copy_stores(Stores& from, Stores& to, const CopyOptions& options = {});

// The report as JSON (an object: complete, changed, written, differing, seconds, first_difference, parts).
std::string copy_report_json(const CopyReport& report, const std::string& from, const std::string& to);

}  // namespace ecomon
