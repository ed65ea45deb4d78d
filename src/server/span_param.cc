#include "server/span_param.h"

#include "app/clock.h"

namespace ecomon::server {

StatusOr<sources::TimeSpan> span_param(const ApiRequest& req, int64_t default_window_s) {
  const sources::SourceTime now = app::civil_now();
  sources::TimeSpan span{now - default_window_s, now + 1};
  if (const std::string f = req.param("from"); !f.empty()) {
    auto t = sources::SourceTime::parse(f);
    if (!t.ok()) return invalid_argument("from: " + t.status().message());
    span.begin = *t;
  }
  if (const std::string f = req.param("to"); !f.empty()) {
    auto t = sources::SourceTime::parse(f);
    if (!t.ok()) return invalid_argument("to: " + t.status().message());
    span.end = *t;
  }
  if (!(span.begin < span.end)) return invalid_argument("from must be before to");
  return span;
}

}  // namespace ecomon::server
