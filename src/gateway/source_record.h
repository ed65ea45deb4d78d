// Turning a decoded HJ 212 upload into the record the store keeps (no Asio: used by the gateway and tests).
#pragma once

#include "core/status.h"
#include "ingest/hj212/codec.h"
#include "ingest/hj212/reassembler.h"
#include "store/store.h"

namespace ecomon {

// The CP content of a data segment: what stands between "CP=&&" and the closing "&&".
std::string_view cp_content(std::string_view data_segment);
// The store record of an upload (and of all parts of a split one when `whole` is given). Fails when the upload
// has no DataTime (the store keys records by MN, CN and DataTime).
StatusOr<SourceRecord> source_record_of(const hj212::Message& m, const hj212::AssembledMessage* whole,
                                        int64_t received_ms);

}  // namespace ecomon
