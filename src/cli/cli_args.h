// Arguments the verbs share: a --format of table/csv/json and a [--from, --to) span of source times (the
// clock is app/clock.h).
//
//   if (Status s = check_format(o.format); !s.ok()) return fail(s);
//   auto span = span_of(o.from, o.to);   // errors name --from / --to
#pragma once

#include <string>

#include "core/status.h"
#include "sources/record.h"

namespace ecomon::cli {

// "table", "csv" or "json"; anything else is refused naming --format.
Status check_format(const std::string& format);

// [from, to) from two source times ("2026-12-07 10:00", digits, ...: sources::SourceTime::parse); from < to.
StatusOr<sources::TimeSpan> span_of(const std::string& from, const std::string& to);

}  // namespace ecomon::cli
