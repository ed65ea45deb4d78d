// The main store file's schema as numbered migrations. PRAGMA user_version holds the number of the last one
// applied; Db::open runs those above it, in order, each in its own write transaction with its user_version
// set inside it, so a crash leaves the file at a whole migration. A file written by a newer ecomon (a
// user_version above the last migration known here) is refused (kFailedPrecondition), never written.
//
// Migration 1 is the schema of every concern as it stood before migrations existed (stores created by ecomon
// up to the end of 2026 have user_version 0 and gain what they lack: every statement is CREATE ... IF NOT
// EXISTS, and columns added after a table's creation are added only when absent). To change the schema,
// append a migration; never edit one that has shipped.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"

namespace ecomon::sqlite {

class Db;

struct Migration {
  int version = 0;        // 1, 2, ... without gaps
  std::string_view name;  // what it does, for the log and errors
  Status (*apply)(Db& db) = nullptr;
};

// Every migration of the main store file, oldest first.
std::span<const Migration> migrations();

// Applies the migrations above the file's user_version. Called by Db::open (OpenOptions::migrate).
Status migrate(Db& db, std::span<const Migration> list);

}  // namespace ecomon::sqlite
