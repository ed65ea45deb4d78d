#include "app/clock.h"

#include <chrono>

namespace ecomon::app {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sources::SourceTime civil_now() {
  return sources::SourceTime::of_utc_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace ecomon::app
