// What the HJ 212 gateway needs from storage to take in uploads (src/gateway): the device list and its
// revision, the source records' shards, a writer per shard whose insert returns only once the batch is
// durable, and the shards' background maintenance. Reached through Stores::source_ingest(); each backend
// implements it (SQLite: store/sqlite_store.h, the shard files beside the store; the cluster: PostgreSQL).
//
//   SourceIngest& in = stores.source_ingest();                 // the Stores' thread
//   ECOMON_RETURN_IF_ERROR(in.set_shards(2));                   // before the first record only
//   auto w = in.open_writer(in.shard_of(mn, in.shards()));    // one per shard, each for one thread
//   auto added = (*w)->insert(batch, &conflicts);              // durable when it returns
//   if ((*w)->settle()) wake_the_maintenance_thread();          // between two batches, on the writer's
//   thread auto m = in.open_maintainer(k);                            // nullptr: the backend needs none
//   (*m)->maintain(/*writer_ended=*/false);                    // on a thread of its own
//
// Thread safety: the SourceIngest is used by one thread at a time, like the Stores it came from; every
// writer and maintainer it opens is independent of it and of each other (its own connection or session) and
// is used by one thread at a time. They may outlive the SourceIngest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/api/store.h"

namespace ecomon {

// The writer of one shard: inserts batches of uploads and says when they are durable.
class SourceShardWriter {
 public:
  virtual ~SourceShardWriter() = default;
  // Inserts the batch as one unit: all of it or none. Returns how many records were new; a record with the
  // same (MN, CN, DataTime) as a stored one changes nothing, unless its CP differs from every stored version
  // of that key: then it is kept as another version (SourceStore::source_record_conflicts) and its index in
  // `records` is put in *conflicts (cleared first) when given. The bytes `records` views need only outlive
  // the call.
  //
  // Durable when it returns: an ok result obliges the implementation to have the whole batch on stable
  // storage by then, so that it survives the process being killed and the machine losing power the next
  // instant, and is seen by every reader that starts after the return (the gateway answers the devices only
  // then: a device that is answered deletes its copy). For SQLite: the transaction's COMMIT with
  // synchronous=FULL (the WAL fsync'ed). For PostgreSQL: the COMMIT acknowledged by the server with
  // synchronous_commit on (and the synchronous standbys the cluster requires). Buffering, asynchronous
  // commits or acknowledging before the flush do not meet it. An error means nothing of the batch may be
  // taken as stored (the devices send again; a later insert of the same records is a duplicate or stores
  // them).
  virtual StatusOr<int64_t> insert(std::span<const SourceRecordView> records,
                                   std::vector<size_t>* conflicts = nullptr) = 0;
  // Called after each insert, on the writer's thread and between two batches: does the upkeep that must run
  // on the writer itself and must not wait for anyone (SQLite: when the shard's log has grown large, starts
  // it again from its beginning, so that its file stays bounded; skipped when a reader is in the way).
  // Returns true when enough has been committed since the last true for the shard's maintainer to run
  // (SourceShardMaintainer::maintain): the caller then wakes the maintenance thread. Never fails: what it
  // could not do is tried after a later batch.
  virtual bool settle() = 0;
};

// The background upkeep of one shard, on a thread of its own beside its writer (never blocking it, never
// blocked by it). SQLite: copies what the writer committed to the shard's log into its file (a passive
// checkpoint). A backend whose server does this itself has none (SourceIngest::open_maintainer gives
// nullptr).
class SourceShardMaintainer {
 public:
  virtual ~SourceShardMaintainer() = default;
  // Does what the shard's writer left since the last call; nothing when the writer committed nothing since
  // then, unless `writer_ended` (the writer has stopped for good: everything left is done). Errors are for
  // the log: the caller goes on and calls again later.
  virtual Status maintain(bool writer_ended) = 0;
};

// The writer side: the shards of the source records, their writers and maintainers. A backend whose device
// registry lives elsewhere implements only this (the cluster: the uploads' shards are ClickHouse's, the
// devices PostgreSQL's, joined into one SourceIngest by the PostgreSQL Stores).
class SourceShards {
 public:
  virtual ~SourceShards() = default;

  // Source records are spread over shards so that several writers commit at once (`ecomon gateway
  // --writers`); all of a device's records are in shard shard_of(mn, shards()). 1 unless set_shards() raised
  // it.
  virtual int shards() = 0;
  // The shard of a device among `shards` shards (0 <= result < shards): a pure function of the two, the same
  // in every process and build (a device's records never move). Unlike the rest, it may be called from any
  // thread at once (the gateway's io threads place each upload).
  virtual int shard_of(std::string_view mn, int shards) const = 0;
  // Raises the number of shards to n (1..kMaxSourceShards). Only more, and only while no source record is
  // stored anywhere: kFailedPrecondition otherwise; n == shards() changes nothing. kInvalidArgument for n out
  // of range or a store that cannot have more than one (SQLite in memory).
  virtual Status set_shards(int n) = 0;
  static constexpr int kMaxSourceShards = 8;

  // A writer for shard k (0 <= k < shards()), on a connection or session of its own.
  virtual StatusOr<std::unique_ptr<SourceShardWriter>> open_writer(int shard) = 0;
  // The maintainer of shard k, on a connection of its own; nullptr (ok) when the backend needs none. It
  // follows the writers of shard k opened by this same object (what they committed since its last call).
  virtual StatusOr<std::unique_ptr<SourceShardMaintainer>> open_maintainer(int shard) = 0;
};

// All the gateway needs: the device registry and the shards.
class SourceIngest : public SourceShards {
 public:
  // The devices the gateway accepts uploads from (MN, PW, protocol, policy ...).
  virtual StatusOr<std::vector<DeviceRecord>> devices() = 0;
  // A number that changes whenever a device, outlet, limit or stop period is added, changed or removed, by
  // any program (its value means nothing else). A process holding the registry in memory reads it (a
  // cheap read, at most once a second) and reloads only when it moved; read it before loading, so that a
  // change made during the load is seen next time.
  virtual StatusOr<int64_t> registry_revision() = 0;
};

}  // namespace ecomon
