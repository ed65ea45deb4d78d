// The thread of a gateway component (live events, downstream commands), the lock and condition variable it
// waits on, and a stop that runs once: set `stopping` under the lock, wake the thread, join it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ecomon {

struct GatewayWorker {
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;  // guarded by mu
  std::thread worker;
  std::once_flag stop_once;

  void stop_worker() {
    std::call_once(stop_once, [this] {
      {
        std::lock_guard<std::mutex> lock(mu);
        stopping = true;
      }
      cv.notify_one();
      if (worker.joinable()) worker.join();
    });
  }
};

}  // namespace ecomon
