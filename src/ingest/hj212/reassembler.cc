#include "ingest/hj212/reassembler.h"

#include <algorithm>
#include <utility>

namespace ecomon::hj212 {
namespace {

constexpr char kKeySeparator = '\x1f';

std::string part_key(const Header& h) {
  std::string k;
  k.reserve(h.qn.size() + h.mn.size() + h.cn.size() + 2);
  k.append(h.qn).push_back(kKeySeparator);
  k.append(h.mn).push_back(kKeySeparator);
  k.append(h.cn);
  return k;
}

PartResult rejected(std::string reason) {
  PartResult r;
  r.outcome = PartOutcome::kRejected;
  r.reason = std::move(reason);
  return r;
}

}  // namespace

Reassembler::Reassembler(ReassemblyOptions options) : options_(options) {}

size_t Reassembler::expire(int64_t now_ms) {
  size_t n = 0;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now_ms - it->second.first_seen_ms > options_.timeout_ms) {
      pending_bytes_ -= it->second.bytes;
      it = pending_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  stats_.expired += n;
  return n;
}

void Reassembler::evict_oldest() {
  auto oldest = std::min_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
    return a.second.sequence < b.second.sequence;
  });
  if (oldest == pending_.end()) return;
  pending_bytes_ -= oldest->second.bytes;
  pending_.erase(oldest);
  ++stats_.evicted;
}

PartResult Reassembler::add(const Message& part, int64_t now_ms) {
  expire(now_ms);
  const Header& h = part.header;
  if (!h.split() || !h.pnum || !h.pno) {
    ++stats_.rejected;
    return rejected("not a split packet (Flag D bit with PNUM/PNO)");
  }
  if (part.frame.size() > options_.max_pending_bytes) {
    ++stats_.rejected;
    return rejected("part larger than max_pending_bytes");
  }
  const std::string key = part_key(h);
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    while (!pending_.empty() && (pending_.size() >= options_.max_pending_messages ||
                                 pending_bytes_ + part.frame.size() > options_.max_pending_bytes)) {
      evict_oldest();
    }
    Pending p;
    p.first_seen_ms = now_ms;
    p.sequence = next_sequence_++;
    p.pnum = *h.pnum;
    it = pending_.emplace(key, std::move(p)).first;
  } else {
    if (it->second.pnum != *h.pnum) {
      ++stats_.rejected;
      return rejected("PNUM " + std::to_string(*h.pnum) + " disagrees with " +
                      std::to_string(it->second.pnum) + " of earlier parts");
    }
    if (it->second.parts.count(*h.pno) != 0) {
      ++stats_.duplicates;
      PartResult r;
      r.outcome = PartOutcome::kDuplicate;
      return r;
    }
    while (pending_bytes_ + part.frame.size() > options_.max_pending_bytes && pending_.size() > 1) {
      // Evict others first; never the message this part belongs to.
      auto oldest = std::min_element(pending_.begin(), pending_.end(), [&](const auto& a, const auto& b) {
        if (a.first == key) return false;
        if (b.first == key) return true;
        return a.second.sequence < b.second.sequence;
      });
      pending_bytes_ -= oldest->second.bytes;
      pending_.erase(oldest);
      ++stats_.evicted;
    }
    it = pending_.find(key);
  }
  Pending& p = it->second;
  p.parts.emplace(*h.pno, OwnedMessage::copy_of(part));
  p.bytes += part.frame.size();
  pending_bytes_ += part.frame.size();
  if (p.parts.size() < p.pnum) {
    PartResult r;
    r.outcome = PartOutcome::kStored;
    return r;
  }
  auto whole = std::make_unique<AssembledMessage>();
  for (auto& [pno, owned] : p.parts) whole->parts_.push_back(std::move(owned));
  for (size_t i = 0; i < whole->parts_.size(); ++i) {
    for (const CpItem& item : whole->parts_[i]->message().cp) {
      if (i > 0 && item.field == ItemField::kDataTime) continue;
      whole->cp_.push_back(item);
    }
  }
  pending_bytes_ -= p.bytes;
  pending_.erase(it);
  ++stats_.completed;
  PartResult r;
  r.outcome = PartOutcome::kCompleted;
  r.message = std::move(whole);
  return r;
}

}  // namespace ecomon::hj212
