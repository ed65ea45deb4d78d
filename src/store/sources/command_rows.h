// How a source_command row reads, the same on every SQL backend (store/sources/command_store.cc on SQLite,
// store/postgres on PostgreSQL). `R` is a row with str(c) and int64(c) (sqlite::Stmt, pg::Row).
#pragma once

#include "sources/commands.h"

namespace ecomon::command_rows {

inline constexpr const char* kColumns =
    "id, mn, name, cn, argument, state, qn, attempts, created_ms, sent_ms, finished_ms, created_by, qn_rtn, "
    "exe_rtn, result, detail";

template <typename R>
SourceCommand command_of(const R& q) {
  SourceCommand c;
  c.id = q.int64(0);
  c.mn = q.str(1);
  c.name = q.str(2);
  c.cn = static_cast<int>(q.int64(3));
  c.argument = q.str(4);
  c.state = q.str(5);
  c.qn = q.str(6);
  c.attempts = static_cast<int>(q.int64(7));
  c.created_ms = q.int64(8);
  c.sent_ms = q.int64(9);
  c.finished_ms = q.int64(10);
  c.created_by = q.str(11);
  c.qn_rtn = static_cast<int>(q.int64(12));
  c.exe_rtn = static_cast<int>(q.int64(13));
  c.result = q.str(14);
  c.detail = q.str(15);
  return c;
}

}  // namespace ecomon::command_rows
