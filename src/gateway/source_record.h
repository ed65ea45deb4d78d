// Turning a decoded HJ 212 upload into the record the store keeps (no Asio: used by the gateway and tests).
#pragma once

#include "core/status.h"
#include "ingest/hj212/codec.h"
#include "ingest/hj212/reassembler.h"
#include "store/api/store.h"

namespace ecomon {

// The Flag a record is stored with: the upload's Flag, plus kStoredFlagResent when it says RF=1 (HJ 212-2025
// 补传: a re-sent packet, kept as back-fill; it is still one record per MN, CN and DataTime).
int stored_flag(const hj212::Message& m);
// The CP content of a data segment: what stands between "CP=&&" and the closing "&&".
std::string_view cp_content(std::string_view data_segment);
// The store record of an upload (and of all parts of a split one when `whole` is given). Fails when the
// upload has no DataTime (the store keys records by MN, CN and DataTime).
StatusOr<SourceRecord> source_record_of(const hj212::Message& m, const hj212::AssembledMessage* whole,
                                        int64_t received_ms);
// The same for an upload that is not split, as views into the message (no allocation); false when the upload
// has no DataTime.
bool source_record_view_of(const hj212::Message& m, int64_t received_ms, SourceRecordView* out);

// Appends the 9014 answer (数据应答) to an upload with this QN, PW and MN to *out: the bytes
// hj212::encode_data_answer() gives with that Flag (the device's version: hj212::answer_peer; 4 for 2017, 8
// for 2025, none for 2005), written in place without allocating. Returns false and appends nothing when that
// encoder would refuse (no QN, a QN that is not digits, an empty MN, a separator or control byte in PW or
// MN).
bool append_data_answer(std::string* out, std::string_view qn, std::string_view pw, std::string_view mn,
                        std::optional<uint8_t> flag = hj212::kFlagVersion2017);

}  // namespace ecomon
