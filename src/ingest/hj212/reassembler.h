// Split-packet reassembly (拆分包): frames whose Flag has the D bit carry PNUM (total) and PNO (1-based
// index); the parts of one message share QN, MN and CN. Parts may arrive out of order and more than once.
//
//   hj212::Reassembler r({.timeout_ms = 30'000});
//   hj212::PartResult res = r.add(message, now_ms);   // message: a decoded frame with header.split()
//   if (res.outcome == hj212::PartOutcome::kCompleted)
//     for (const hj212::CpItem& item : res.message->cp()) ...
//
// Memory is bounded: at most max_pending_messages incomplete messages and max_pending_bytes of stored frames;
// past either bound the oldest incomplete message is evicted. Incomplete messages older than timeout_ms (from
// their first part) expire. Time is passed in by the caller (any monotonic milliseconds): the class reads no
// clock. The reassembler copies what it keeps (the Message passed to add() need not outlive the call). Not
// thread-safe: use one per connection or guard it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ingest/hj212/codec.h"

namespace ecomon::hj212 {

struct ReassemblyOptions {
  size_t max_pending_messages = 64;
  size_t max_pending_bytes = size_t{1} << 20;
  int64_t timeout_ms = 30'000;  // Table 1: 10 s answer timeout x 3 retries on GPRS/CDMA links
};

// A message put back together from all its parts. Items keep pointing into the parts it owns.
class AssembledMessage {
 public:
  // Header of the first part (PNO 1); pnum is the total.
  const Header& header() const { return parts_.front()->message().header; }
  std::optional<Timestamp> data_time() const { return parts_.front()->message().data_time; }
  // All CP items in PNO order; the DataTime repeated by later parts is left out.
  const std::vector<CpItem>& cp() const { return cp_; }
  // Every part, in PNO order.
  const std::vector<std::unique_ptr<OwnedMessage>>& parts() const { return parts_; }

 private:
  friend class Reassembler;
  std::vector<std::unique_ptr<OwnedMessage>> parts_;
  std::vector<CpItem> cp_;
};

enum class PartOutcome : uint8_t {
  kStored,     // kept, waiting for more parts
  kDuplicate,  // this PNO was already there (ignored)
  kCompleted,  // this was the last missing part: PartResult::message holds the whole message
  kRejected,   // not a split packet, or PNUM disagrees with earlier parts, or too big to keep
};

struct PartResult {
  PartOutcome outcome = PartOutcome::kRejected;
  std::unique_ptr<AssembledMessage> message;  // set when kCompleted
  std::string reason;                         // set when kRejected
};

struct ReassemblyStats {
  uint64_t completed = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  uint64_t expired = 0;  // incomplete messages dropped after timeout_ms
  uint64_t evicted = 0;  // incomplete messages dropped to stay within the memory bounds
};

class Reassembler {
 public:
  explicit Reassembler(ReassemblyOptions options = {});

  // Adds one part. Expires stale messages first.
  PartResult add(const Message& part, int64_t now_ms);
  // Drops incomplete messages whose first part came more than timeout_ms before now_ms; returns how many.
  size_t expire(int64_t now_ms);

  size_t pending_messages() const { return pending_.size(); }
  size_t pending_bytes() const { return pending_bytes_; }
  const ReassemblyStats& stats() const { return stats_; }

 private:
  struct Pending {
    int64_t first_seen_ms = 0;
    uint64_t sequence = 0;  // arrival order, for eviction
    uint16_t pnum = 0;
    size_t bytes = 0;
    std::map<uint16_t, std::unique_ptr<OwnedMessage>> parts;  // by PNO
  };
  void evict_oldest();

  ReassemblyOptions options_;
  std::map<std::string, Pending> pending_;  // key: QN, MN, CN
  size_t pending_bytes_ = 0;
  uint64_t next_sequence_ = 0;
  ReassemblyStats stats_;
};

}  // namespace ecomon::hj212
