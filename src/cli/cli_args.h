// Arguments the verbs share: a --format of table/csv/json, a [--from, --to) span of source times, and the
// Beijing civil clock the source data is dated by.
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

// Now on the Beijing civil clock (UTC+8), as HJ 212 devices date their data.
sources::SourceTime civil_now();

}  // namespace ecomon::cli
