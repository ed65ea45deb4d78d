// The SQLite implementation of SourceCommandStore (store/api/source_commands.h) on the connection it is
// given. Table source_command (id, MN, name, CN, argument, state, QN, attempts, times in UTC ms, who queued
// it, QnRtn, ExeRtn, the device's data answer, a detail). Thread safety: that of its Db.
#pragma once

#include "store/api/source_commands.h"
#include "store/sqlite/db.h"

namespace ecomon {

class SqliteSourceCommandStore final : public SourceCommandStore {
 public:
  explicit SqliteSourceCommandStore(sqlite::Db& db) : db_(db) {}
  StatusOr<SourceCommand> add(SourceCommand c, const std::string& created_by, int64_t now_ms) override;
  StatusOr<std::vector<SourceCommand>> commands(const std::string& mn, int64_t limit) override;
  StatusOr<SourceCommand> command(int64_t id) override;
  StatusOr<std::vector<SourceCommand>> pending() override;
  Status update(const SourceCommand& c) override;

 private:
  sqlite::Db& db_;
};

}  // namespace ecomon
