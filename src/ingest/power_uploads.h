// Power readings from the stored HJ 212-2025 electricity uploads (用电监控, ST 44; docs/power.md): for each
// metered line with a power module (its MN) and a code (d2xxxx production, d3xxxx treatment; UNCONFIRMED,
// spec 11), the module's real-time uploads (CN 2011) in a time range are decoded and each `code-Rtd` with
// flag N becomes the line's reading at the upload's DataTime (kW). Idempotent: readings already stored are
// kept (the same: counted as same; another value: a conflict, listed).
//
//   auto r = power_readings_from_uploads(stores, from, to);   // r->readings_new, r->conflicts, r->problems
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "sources/record.h"
#include "store/api/stores.h"

namespace ecomon {

struct PowerUploadsResult {
  int64_t uploads = 0;  // uploads of power modules read
  int64_t readings_new = 0, readings_same = 0, conflicts = 0;
  int64_t values_skipped = 0;         // a line's code absent from an upload, or its flag not N
  std::vector<std::string> problems;  // "MN DataTime: why" (an upload that does not decode, a conflict)
};

// Uploads with DataTime in [from, to).
StatusOr<PowerUploadsResult> power_readings_from_uploads(Stores& stores, sources::SourceTime from,
                                                         sources::SourceTime to);

}  // namespace ecomon
