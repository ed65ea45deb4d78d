// When a registry held in memory is due for a reload: when the store's registry revision moved (it changes
// with every change to the devices and the registry, SourceIngest::registry_revision; read here at most once
// a second) or, all the same, when the last load is older than max_age. The gateway's device registry
// and its live events' source registry both use it; each is loaded and checked on one thread.
//
//   RegistryWatch watch(std::chrono::seconds(60));
//   auto revision = ingest.registry_revision();  // first: a change made during the load is seen next time
//   ... load ...; watch.loaded(*revision);
//   if (watch.due(ingest)) reload();              // in the thread's loop
#pragma once

#include <chrono>
#include <cstdint>

#include "store/api/source_ingest.h"

namespace ecomon {

class RegistryWatch {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RegistryWatch(std::chrono::seconds max_age) : max_age_(max_age) {}

  void loaded(int64_t revision, Clock::time_point now = Clock::now()) {
    loaded_revision_ = revision;
    loaded_at_ = checked_at_ = now;
  }
  // True when a reload is due; false without touching the store within a second of the last check.
  bool due(SourceIngest& store, Clock::time_point now = Clock::now()) {
    if (now - checked_at_ < std::chrono::seconds(1)) return false;
    checked_at_ = now;
    if (now - loaded_at_ > max_age_) return true;
    auto revision = store.registry_revision();
    return !revision.ok() || *revision != loaded_revision_;  // an unreadable revision: try a reload
  }

 private:
  std::chrono::seconds max_age_;
  int64_t loaded_revision_ = -1;
  Clock::time_point loaded_at_{}, checked_at_{};
};

}  // namespace ecomon
