#include "cli/cli_args.h"

#include <chrono>
#include <cstdint>

namespace ecomon::cli {

Status check_format(const std::string& format) {
  if (format == "table" || format == "csv" || format == "json") return Status();
  return invalid_argument("--format must be table, csv or json");
}

StatusOr<sources::TimeSpan> span_of(const std::string& from, const std::string& to) {
  auto f = sources::SourceTime::parse(from);
  if (!f.ok()) return f.status().with_context("--from");
  auto t = sources::SourceTime::parse(to);
  if (!t.ok()) return t.status().with_context("--to");
  if (!(*f < *t)) return invalid_argument("--from must be before --to");
  return sources::TimeSpan{*f, *t};
}

sources::SourceTime civil_now() {
  constexpr int64_t kBeijingOffsetS = int64_t{8} * 3600;
  const int64_t s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return sources::SourceTime::of_seconds(s + kBeijingOffsetS);
}

}  // namespace ecomon::cli
