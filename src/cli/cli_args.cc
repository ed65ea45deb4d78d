#include "cli/cli_args.h"

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

}  // namespace ecomon::cli
