#include "notify/notify_worker.h"

#include <chrono>
#include <iostream>

namespace ecomon::notify {

std::unique_ptr<NotifyWorker> NotifyWorker::start(StoresOpener opener, app::NotifyParams params,
                                                  app::Deliver deliver, int64_t interval_ms) {
  std::unique_ptr<NotifyWorker> w(new NotifyWorker());
  w->opener_ = std::move(opener);
  w->params_ = params;
  w->deliver_ = std::move(deliver);
  w->interval_ms_ = interval_ms > 0 ? interval_ms : 2000;
  w->thread_ = std::thread([p = w.get()] { p->run(); });
  return w;
}

NotifyWorker::~NotifyWorker() { stop(); }

void NotifyWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotifyWorker::run() {
  std::unique_ptr<Stores> stores;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (!stores) {
      auto s = opener_();
      if (s.ok()) {
        stores = std::move(*s);
      } else {
        std::cerr << "notify: cannot open the store: " << s.status().message() << "\n";
      }
    }
    if (stores) {
      const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      try {
        auto r = app::notify_step(*stores, params_, now, deliver_);
        if (!r.ok()) std::cerr << "notify: " << r.status().message() << "\n";
      } catch (const std::exception& e) {
        std::cerr << "notify: " << e.what() << "\n";
        stores.reset();  // opened anew on the next step
      }
    }
    ++steps_;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; });
  }
}

}  // namespace ecomon::notify
