// PostgreSQL's stores of pollution-source monitoring (issue 18): the registry (SourceRegistryStore, whose
// logic is store/sources' TextRowRegistryStore on this backend's statements), the live events and the
// downstream command queue, on a connection they are given. Several gateway processes share them: the
// registry's writers take one advisory lock (as SQLite's single writer), and every row they change raises
// meta.registry_revision (PgDeviceStore::registry_revision), which each gateway polls to reload.
//
// Thread safety: that of its Conn.
#pragma once

#include "store/api/source_commands.h"
#include "store/api/source_events.h"
#include "store/postgres/db.h"
#include "store/sources/registry_store.h"

namespace ecomon {

class PgSourceRegistryStore final : public TextRowRegistryStore {
 public:
  explicit PgSourceRegistryStore(pg::Conn& c) : c_(c) {}
  // One statement alone; several in one round trip (a pipeline).
  StatusOr<std::vector<std::vector<Row>>> run_all(const std::vector<Statement>& statements) override;
  Status in_transaction(const std::function<Status()>& body) override;
  std::string insertion_order() const override { return "seq"; }

 private:
  pg::Conn& c_;
};

class PgSourceEventStore final : public SourceEventStore {
 public:
  explicit PgSourceEventStore(pg::Conn& c) : c_(c) {}
  // The transitions' writes go in one round trip.
  StatusOr<int64_t> apply(std::span<const sources::EventTransition> transitions, int64_t now_ms) override;
  StatusOr<std::vector<StoredEvent>> events(const EventQuery& q) override;
  Status note_watch(sources::SourceTime begin, sources::SourceTime end) override;
  StatusOr<bool> watched(std::optional<sources::SourceTime> from, sources::SourceTime to) override;

 private:
  pg::Conn& c_;
};

class PgSourceCommandStore final : public SourceCommandStore {
 public:
  explicit PgSourceCommandStore(pg::Conn& c) : c_(c) {}
  StatusOr<SourceCommand> add(SourceCommand c, const std::string& created_by, int64_t now_ms) override;
  StatusOr<std::vector<SourceCommand>> commands(const std::string& mn, int64_t limit) override;
  StatusOr<SourceCommand> command(int64_t id) override;
  StatusOr<std::vector<SourceCommand>> pending() override;
  Status update(const SourceCommand& c) override;
  // The holders are source_device_holder's rows (migration 5), one per device.
  Status hold_device(const std::string& mn, const std::string& gateway, int64_t now_ms) override;
  StatusOr<std::vector<SourceCommand>> pending_held(const std::string& gateway) override;
  StatusOr<bool> update_held(const SourceCommand& c, const std::string& gateway) override;

 private:
  StatusOr<std::vector<SourceCommand>> read(const std::string& sql, const pg::Params& params);
  pg::Conn& c_;
};

}  // namespace ecomon
