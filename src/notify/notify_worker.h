// The notifications' background worker that `ecomon serve` runs: a thread of its own, with its own Stores,
// calling app::notify_step every `interval_ms` (queue what the events and rules call for, deliver what is
// due). Requests never wait for it; a delivery that hangs holds only this thread, and only for the
// deliverer's time limit. stop() wakes it and joins; a step's error is logged to stderr and the next step
// tries again.
//
//   auto w = notify::NotifyWorker::start(opener, {.escalate_after_ms = 30 * 60000}, notify::curl_deliver(o));
//   ...
//   w->stop();
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "app/notify.h"
#include "store/api/stores.h"

namespace ecomon::notify {

class NotifyWorker {
 public:
  static std::unique_ptr<NotifyWorker> start(StoresOpener opener, app::NotifyParams params,
                                             app::Deliver deliver, int64_t interval_ms = 2000);
  ~NotifyWorker();
  void stop();
  // Steps run so far (each completed call of notify_step, failed or not).
  int64_t steps() const { return steps_.load(); }

 private:
  NotifyWorker() = default;
  void run();
  StoresOpener opener_;
  app::NotifyParams params_;
  app::Deliver deliver_;
  int64_t interval_ms_ = 2000;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<int64_t> steps_{0};
  std::thread thread_;
};

}  // namespace ecomon::notify
