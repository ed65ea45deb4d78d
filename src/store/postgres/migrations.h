// The PostgreSQL record store's schema as numbered migrations, as on SQLite (store/sqlite/migrations.h): the
// table schema_version holds the number of the last one applied; Conn::open runs those above it, in order,
// each in its own transaction (PostgreSQL's DDL is transactional) with its number written inside it, under an
// advisory lock so that processes opening at once migrate once. A schema written by a newer ecomon (a
// version above the last migration known here) is refused (kFailedPrecondition), never written.
//
// The tables are SQLite migration 1's records (stations, devices, registry, events, commands, ledger,
// emergency, accounts, quality, soil) with PostgreSQL's types: bigint for INTEGER, double precision for REAL,
// ctext (text that sorts by code point, COLLATE "C", so ORDER BY gives SQLite's order whatever the database's
// locale) for TEXT, identity columns for rowid keys, and a `seq` column where SQLite reads rows in rowid
// order. Time series and uploads are not here (the cluster keeps them in ClickHouse). Migration 2 is SQLite's
// 2: the registry's tables raise meta.registry_revision on every row changed.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"

namespace ecomon::pg {

class Conn;

struct Migration {
  int version = 0;        // 1, 2, ... without gaps
  std::string_view name;  // what it does, for errors
  Status (*apply)(Conn& c) = nullptr;
};

// Every migration of the record schema, oldest first.
std::span<const Migration> migrations();

// Applies the migrations above the schema's version. Called by Conn::open (OpenOptions::migrate).
Status migrate(Conn& c, std::span<const Migration> list);

}  // namespace ecomon::pg
