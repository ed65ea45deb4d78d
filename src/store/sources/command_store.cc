#include "store/sources/command_store.h"

#include "store/sources/command_rows.h"

namespace ecomon {
namespace {

using command_rows::kColumns;

StatusOr<std::vector<SourceCommand>> all_rows(sqlite::Stmt& q) {
  std::vector<SourceCommand> out;
  while (true) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(command_rows::command_of(q));
  }
}

}  // namespace

StatusOr<SourceCommand> SqliteSourceCommandStore::add(SourceCommand c, const std::string& created_by,
                                                      int64_t now_ms) {
  sqlite::Stmt& known = db_.cached("SELECT count(*) FROM source_device WHERE mn = ?1");
  known.bind(1, c.mn);
  auto row = known.step();
  if (!row.ok()) return row.status();
  const bool found = *row && known.int64(0) > 0;
  known.reset();
  if (!found) return not_found("device " + c.mn + " is not registered");
  c.created_ms = now_ms;
  c.created_by = created_by;
  ECOMON_RETURN_IF_ERROR(
      db_.cached(
             "INSERT INTO source_command(mn, name, cn, argument, state, qn, attempts, created_ms, sent_ms, "
             "finished_ms, created_by, qn_rtn, exe_rtn, result, detail) "
             "VALUES(?1, ?2, ?3, ?4, ?5, '', 0, ?6, 0, 0, ?7, 0, 0, '', '')")
          .bind(1, c.mn)
          .bind(2, c.name)
          .bind(3, c.cn)
          .bind(4, c.argument)
          .bind(5, c.state)
          .bind(6, now_ms)
          .bind(7, c.created_by)
          .run());
  c.id = db_.last_insert_rowid();
  return c;
}

StatusOr<std::vector<SourceCommand>> SqliteSourceCommandStore::commands(const std::string& mn,
                                                                        int64_t limit) {
  sqlite::Stmt& q =
      mn.empty()
          ? db_.cached(std::string("SELECT ") + kColumns + " FROM source_command ORDER BY id DESC LIMIT ?1")
          : db_.cached(std::string("SELECT ") + kColumns +
                       " FROM source_command WHERE mn = ?2 ORDER BY id DESC LIMIT ?1");
  q.bind(1, limit);
  if (!mn.empty()) q.bind(2, mn);
  return all_rows(q);
}

StatusOr<SourceCommand> SqliteSourceCommandStore::command(int64_t id) {
  sqlite::Stmt& q = db_.cached(std::string("SELECT ") + kColumns + " FROM source_command WHERE id = ?1");
  q.bind(1, id);
  auto rows = all_rows(q);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return not_found("no command " + std::to_string(id));
  return rows->front();
}

StatusOr<std::vector<SourceCommand>> SqliteSourceCommandStore::pending() {
  return all_rows(
      db_.cached(std::string("SELECT ") + kColumns +
                 " FROM source_command WHERE state IN ('queued', 'sent', 'accepted') ORDER BY id"));
}

Status SqliteSourceCommandStore::update(const SourceCommand& c) {
  return db_
      .cached(
          "UPDATE source_command SET state = ?2, qn = ?3, attempts = ?4, sent_ms = ?5, finished_ms = ?6, "
          "qn_rtn = ?7, exe_rtn = ?8, result = ?9, detail = ?10 WHERE id = ?1")
      .bind(1, c.id)
      .bind(2, c.state)
      .bind(3, c.qn)
      .bind(4, c.attempts)
      .bind(5, c.sent_ms)
      .bind(6, c.finished_ms)
      .bind(7, c.qn_rtn)
      .bind(8, c.exe_rtn)
      .bind(9, c.result)
      .bind(10, c.detail)
      .run();
}

}  // namespace ecomon
