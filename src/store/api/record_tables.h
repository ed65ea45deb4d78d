// RecordTables: every record concern's rows as stored, for moving a store to another backend (`ecomon store
// copy`, store/store_copy.h) — registries (stations, the gateway's devices, the source registry), the ledger,
// the emergency list, accounts and the audit log, events, commands, device keys (sealed, as stored), water,
// soil. The concerns' own interfaces read and write through their rules (a status change checks the
// transition, an audit row gets a new id); a copy must instead keep every row exactly, ids and times
// included, so this reads and writes rows. The time series and the HJ 212 uploads are not here: they are
// copied through TimeSeriesStore and SourceStore/SourceIngest.
//
//   RecordTables& t = stores.record_tables();
//   for (const RecordTable& table : t.tables()) {          // parents before children
//     auto rows = t.read(table.name, 0, 1000);             // in the order written, 1000 rows from row 0
//     ECOMON_RETURN_IF_ERROR(other.write(table.name, *rows, /*replace=*/false));
//   }
//   ECOMON_RETURN_IF_ERROR(other.finish());                // the next generated ids follow the copied ones
//
// Every backend holding records lists the same tables with the same columns (the SQL backends share one
// schema: store/sqlite/migrations.cc, store/postgres/migrations.cc), so rows read from one are written to any
// other. Values are typed by the column, never by the backend.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace ecomon {

// A column's value: NULL, an integer, a real, or text (a blob column's bytes, as they are).
using RecordValue = std::variant<std::monostate, int64_t, double, std::string>;
using RecordRow = std::vector<RecordValue>;

struct RecordTable {
  std::string name;                  // "ld_task"
  std::string concern;               // "ledger": what a report groups it under
  std::vector<std::string> columns;  // the first `key_columns` are its key (unique within the table)
  size_t key_columns = 1;
};

class RecordTables {
 public:
  virtual ~RecordTables() = default;
  // Every table, parents before the tables that refer to them.
  virtual const std::vector<RecordTable>& tables() const = 0;
  // Up to `limit` rows of `table` from the `offset`-th, in the order they were written (registries keep
  // their import order) — or by key where the backend keeps no order. kNotFound for an unknown table.
  virtual StatusOr<std::vector<RecordRow>> read(const std::string& table, int64_t offset, int64_t limit) = 0;
  // Inserts the rows in one transaction (all or none), in order; with `replace`, a row whose key is stored
  // replaces it (without, such a row is an error, kAlreadyExists).
  virtual Status write(const std::string& table, std::span<const RecordRow> rows, bool replace) = 0;
  // After writes with explicit ids: the ids the backend generates next follow the largest stored.
  virtual Status finish() = 0;
};

}  // namespace ecomon
