#include "store/sources/stored_record.h"

#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"

namespace ecomon {
namespace {

constexpr int64_t kBeijingOffsetS = int64_t{8} * sources::kSecondsPerHour;  // civil (Beijing) time = UTC+8
constexpr int64_t kMsPerSecond = 1000;

}  // namespace

StatusOr<sources::MonitoringRecord> monitoring_record(const SourceRecord& r, const std::string& password) {
  const std::string cn = std::to_string(r.cn);  // HeaderFields holds views: the text must outlive it
  hj212::HeaderFields h;
  h.qn = r.qn;
  h.st = "31";
  h.cn = cn;
  h.pw = password;
  h.mn = r.mn;
  auto frame = hj212::encode_frame(h, r.cp, hj212::kLengthFieldMax);
  if (!frame.ok()) return frame.status();
  hj212::Message m;
  hj212::FrameError e =
      hj212::decode_frame(*frame, hj212::DecodeOptions{.policy = hj212::Policy::lenient()}, &m);
  if (!e.ok()) return e.to_status();
  auto rec = sources::record_of(m);
  if (rec.ok() && r.received_ms > 0) {
    // The store keeps the receive time as UTC milliseconds; the sources domain works in civil time.
    rec->received_at = sources::SourceTime::of_seconds(r.received_ms / kMsPerSecond + kBeijingOffsetS);
  }
  return rec;
}

}  // namespace ecomon
