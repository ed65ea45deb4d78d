// A stored HJ 212 upload (SourceRecord, as the gateway keeps it) read back as the sources domain's record:
// its CP content is framed again and decoded leniently by the codec. Used by `sources events|rates` and the
// emergency compliance check.
//
//   auto m = monitoring_record(rec, device.password);   // StatusOr<sources::MonitoringRecord>
#pragma once

#include <string>

#include "core/status.h"
#include "sources/record.h"
#include "store/api/store.h"

namespace ecomon {

StatusOr<sources::MonitoringRecord> monitoring_record(const SourceRecord& r, const std::string& password);

}  // namespace ecomon
