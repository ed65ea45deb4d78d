// EmergencyStore: the heavy-pollution response's records (em_* tables in SQLite: store/emergency/) — the
// reduction list (enterprises, their lines, the measures per warning level), the warnings history and the
// inspections. Rows arrive checked and typed (ingest/emergency_csv.h parses the templates; app/emergency.h
// checks the caller); the store only keeps them.
//
//   EmergencyStore& es = stores.emergency();
//   StatusOr<emergency::ReductionList> list = es.load_list();
//   auto counts = es.write_list(entries, inspections);           // one transaction
//   auto ev = es.append_warning([&](const auto& history) { return emergency::lifting(history, ...); });
//
// Batches only: the whole list in one read, an import's entries and inspections in one write.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"
#include "emergency/compliance.h"
#include "emergency/registry.h"
#include "emergency/warning.h"

namespace ecomon {

struct ListImportCounts {
  int64_t added = 0;      // entries (enterprises) new to the store
  int64_t updated = 0;    // entries stored with other values before
  int64_t unchanged = 0;  // entries stored exactly so already
  int64_t inspections_added = 0;
};

class EmergencyStore {
 public:
  virtual ~EmergencyStore() = default;

  // The whole list, entries by id, lines in their file order.
  virtual StatusOr<emergency::ReductionList> load_list() = 0;
  // In one transaction: each entry replaces the stored entry of its id (its lines and measures) unless it is
  // stored exactly so already, and each inspection is added (or its result and note updated). Entries not
  // named stay.
  virtual StatusOr<ListImportCounts> write_list(const std::vector<emergency::Enterprise>& entries,
                                                const std::vector<emergency::Inspection>& inspections) = 0;

  // The warnings history, oldest first.
  virtual StatusOr<std::vector<emergency::WarningEvent>> warnings() = 0;
  // The event `decide` derives from the history, stored (with its id) in the same transaction as the history
  // is read, so that the history cannot change between the check and the write. `decide`'s error is
  // returned and nothing is written.
  using WarningDecision =
      std::function<StatusOr<emergency::WarningEvent>(const std::vector<emergency::WarningEvent>& history)>;
  virtual StatusOr<emergency::WarningEvent> append_warning(const WarningDecision& decide) = 0;

  // By enterprise, time, inspector.
  virtual StatusOr<std::vector<emergency::Inspection>> inspections() = 0;
};

}  // namespace ecomon
