// The ledger concern's SQLite implementation (store/api/ledger.h) on the shared connection (sqlite/db.h):
// the ld_* tables of migration 1, parameterised SQL through cached sqlite::Stmt, one sqlite::Tx per write
// use case. It neither opens the file nor runs DDL nor parses CSV (the plan files are ledger/plan_csv.h's).
//
//   auto db = sqlite::Db::open("ecomon.db");
//   SqliteLedgerStore ls(**db);
//   auto r = ls.import_data(*load_ledger_dir("demo/ledger"), who);
//
// Not thread-safe, like the Db it works on: one per thread.
#pragma once

#include <filesystem>
#include <memory>

#include "store/api/ledger.h"

namespace ecomon {

namespace sqlite {
class Db;
}

class SqliteLedgerStore final : public LedgerStore {
 public:
  explicit SqliteLedgerStore(sqlite::Db& db);
  ~SqliteLedgerStore() override;
  SqliteLedgerStore(const SqliteLedgerStore&) = delete;
  SqliteLedgerStore& operator=(const SqliteLedgerStore&) = delete;

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
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The metadata of a file to attach as evidence: its name (without directories), size and SHA-256 (libsodium).
StatusOr<EvidenceInput> attachment_metadata(const std::filesystem::path& path);

}  // namespace ecomon
