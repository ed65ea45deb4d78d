// The ledger concern's SQLite implementation (store/api/ledger.h) on the shared connection (sqlite/db.h):
// the ld_* tables of migration 1, parameterised SQL through cached sqlite::Stmt, one sqlite::Tx per write
// use case. It neither opens the file nor runs DDL nor parses CSV (the plan files are ledger/plan_csv.h's).
//
//   auto db = sqlite::Db::open("ecomon.db");
//   SqliteLedgerStore ls(**db);
//   auto r = ls.import_data(*load_ledger_dir("demo/ledger"), who);
//
// Not thread-safe, like the Db it works on: one per thread. The logic (SqlLedgerStore) is the same on
// PostgreSQL: only the statements' backend differs (SqlLedgerImpl, ledger_store_impl.h).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/api/ledger.h"

namespace ecomon {

namespace sqlite {
class Db;
}

// The ledger's logic, whatever the SQL backend: the backend's part is Impl (a query returning text rows, a
// transaction, the last row's id), SQLite's and PostgreSQL's both SqlLedgerImpl (ledger_store_impl.h).
class SqlLedgerStore : public LedgerStore {
 public:
  class Impl {
   public:
    using Row = std::vector<std::string>;
    enum class Upsert { kNew, kChanged, kSame };
    virtual ~Impl() = default;
    // Runs `sql` (parameters ?, SQLite's spelling) with the parameters as text; the rows as text.
    virtual StatusOr<std::vector<Row>> query(const std::string& sql, const Row& params) = 0;
    // Runs `body` in one write transaction; rolled back when it fails.
    virtual Status transaction(const std::function<Status()>& body) = 0;
    virtual int64_t last_insert_rowid() = 0;

    Status run(const std::string& sql, const Row& params);
    // Inserts or updates one row of `table` keyed by its first `nkey` columns. The stored rows are read
    // once per table and kept (an import then costs one read per table, not one per row).
    StatusOr<Upsert> upsert(const std::string& table, const std::vector<std::string>& cols, size_t nkey,
                            const Row& vals);
    // Forgets the rows read by upsert (at the start of each write transaction).
    void forget_rows() { stored_.clear(); }
    Status history(const std::string& task, const std::string& action, const std::string& detail,
                   const WriteStamp& c);
    StatusOr<std::vector<TaskRecord>> load(const std::string* only);

   private:
    std::map<std::string, std::map<Row, Row>> stored_;  // table -> key -> row, as read and written
  };

  explicit SqlLedgerStore(std::unique_ptr<Impl> impl);
  ~SqlLedgerStore() override;
  SqlLedgerStore(const SqlLedgerStore&) = delete;
  SqlLedgerStore& operator=(const SqlLedgerStore&) = delete;

  StatusOr<LedgerImportResult> import_data(const LedgerData& data, const Who& who) override;
  StatusOr<std::vector<Plan>> plans() override;
  StatusOr<std::vector<Target>> targets() override;
  StatusOr<std::vector<TaskRecord>> records() override;
  StatusOr<TaskRecord> record(const std::string& id) override;
  StatusOr<std::vector<HistoryEntry>> history(const std::string& id) override;
  Status change_status(const std::string& id, TaskStatus to, CivilDay day, const std::string& note,
                       const Who& who) override;
  Status add_progress(const std::string& id, const std::string& label, const std::string& amount,
                      CivilDay day, const std::string& note, const Who& who) override;
  StatusOr<int64_t> add_problem(const std::string& id, const ProblemInput& p, const Who& who) override;
  StatusOr<int64_t> add_evidence(const std::string& id, const EvidenceInput& e, const Who& who) override;

 private:
  std::unique_ptr<Impl> impl_;
};

class SqliteLedgerStore final : public SqlLedgerStore {
 public:
  explicit SqliteLedgerStore(sqlite::Db& db);
};

// The metadata of a file to attach as evidence: its name (without directories), size and SHA-256 (libsodium).
StatusOr<EvidenceInput> attachment_metadata(const std::filesystem::path& path);

}  // namespace ecomon
