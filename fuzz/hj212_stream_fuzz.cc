// libFuzzer target for the HJ 212 stream reader and codec.
//
// The first input byte picks the policy and the chunking; the rest is the byte stream. Checked properties:
//  - nothing crashes, leaks or trips a sanitizer;
//  - the buffer never holds more than its capacity;
//  - frames and dropped runs cover the stream exactly once, in order (no byte lost, none reported twice);
//  - every frame the reader yields decodes again on its own, and its re-encoding decodes too;
//  - chunking does not change the events (the same stream fed whole gives the same events), including the
//    early drop of an incomplete candidate that already holds a control byte (a stray "##9999");
//  - text is UTF-8: a frame whose data segment is not carries the invalid_utf8 deviation, and the strict
//  policy
//    yields none;
//  - the codec's fast paths (standard-header template, common CP items with each CP kernel the CPU runs)
//  give what its scalar reference gives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "ingest/hj212/check.h"
#include "ingest/hj212/codec.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"

namespace {

using ecomon::hj212::DecodeOptions;
using ecomon::hj212::FrameError;
using ecomon::hj212::Message;
using ecomon::hj212::Policy;
using ecomon::hj212::StreamEvent;
using ecomon::hj212::StreamOptions;
using ecomon::hj212::StreamReader;

struct Event {
  bool frame;
  uint64_t offset;
  uint64_t size;
  bool operator==(const Event&) const = default;
};

void require(bool ok) {
  if (!ok) std::abort();
}

// parse_data_segment with the given CP kernel and its scalar reference agree on this data segment: same
// error, deviations and items.
void require_same_paths(std::string_view segment, const Policy& policy,
                        ecomon::hj212::detail::CpKernel kernel) {
  const DecodeOptions options{.policy = policy};
  Message fast;
  Message scalar;
  const FrameError a = ecomon::hj212::detail::parse_data_segment_with(
      kernel, segment, ecomon::hj212::kSegmentOffset, options, &fast);
  const FrameError b = ecomon::hj212::detail::parse_data_segment_scalar(
      segment, ecomon::hj212::kSegmentOffset, options, &scalar);
  require(a.kind == b.kind && a.deviation == b.deviation && a.offset == b.offset && a.field == b.field &&
          a.detail == b.detail);
  require(fast.data_time == scalar.data_time && fast.deviations.size() == scalar.deviations.size());
  for (size_t i = 0; i < fast.deviations.size(); ++i) {
    require(fast.deviations[i].kind == scalar.deviations[i].kind &&
            fast.deviations[i].offset == scalar.deviations[i].offset &&
            fast.deviations[i].field == scalar.deviations[i].field);
  }
  require(fast.cp.size() == scalar.cp.size());
  for (size_t i = 0; i < fast.cp.size(); ++i) {
    const ecomon::hj212::CpItem x = fast.cp[i];
    const ecomon::hj212::CpItem y = scalar.cp[i];
    require(x.key == y.key && x.code == y.code && x.name == y.name && x.value == y.value &&
            x.field == y.field && x.group == y.group && x.offset == y.offset && x.time == y.time);
    // units and scale, not Decimal's ==: that compares through a table of powers of ten up to 10^9 only, and
    // HJ 212 decimals may have up to 17 digits after the point.
    require(x.number.has_value() == y.number.has_value());
    if (x.number) require(x.number->units == y.number->units && x.number->scale == y.number->scale);
  }
}

std::vector<Event> read_all(std::string_view stream, const Policy& policy, size_t chunk,
                            std::string_view whole) {
  StreamReader reader(StreamOptions{.decode = {.policy = policy}, .slack_bytes = 64});
  std::vector<Event> events;
  const auto on_event = [&](const StreamEvent& ev) {
    require(ev.size > 0);
    events.push_back(Event{ev.kind == StreamEvent::Kind::kFrame, ev.offset, ev.size});
    if (ev.kind != StreamEvent::Kind::kFrame) return;
    require(ev.message != nullptr && ev.message->frame == whole.substr(ev.offset, ev.size));
    const bool utf8 = ecomon::is_valid_utf8(ev.message->data_segment);
    require(utf8 != ev.message->has(ecomon::hj212::DeviationKind::kInvalidUtf8));
    require(utf8 || policy.tolerates(ecomon::hj212::DeviationKind::kInvalidUtf8));
    Message again;
    require(decode_frame(ev.message->frame, DecodeOptions{.policy = policy}, &again).ok());
    ecomon::StatusOr<std::string> encoded = encode_message(*ev.message);
    require(encoded.ok());
    Message back;
    require(decode_frame(*encoded, DecodeOptions{.policy = Policy::lenient()}, &back).ok());
    require(back.cp.size() == ev.message->cp.size());
  };
  for (size_t at = 0; at < stream.size(); at += chunk) {
    reader.feed_all(stream.substr(at, chunk), on_event);
    require(reader.buffered() <= reader.capacity());
  }
  reader.finish();
  reader.drain(on_event);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr uint8_t kLenientBit = 0x01;
  constexpr uint8_t kSmallLimitBit = 0x02;
  constexpr uint8_t kFrameItBit = 0x80;  // the input is a data segment: give it a valid length and CRC
  constexpr int kChunkShift = 2;
  constexpr uint8_t kChunkMask = 0x1F;
  const uint8_t control = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  Policy policy = (control & kLenientBit) ? Policy::lenient() : Policy::strict();
  if (control & kSmallLimitBit) policy.max_data_length = 64;  // small limit: exercise the oversize path
  const size_t chunk = 1 + ((control >> kChunkShift) & kChunkMask);
  std::string framed;
  if (control & kFrameItBit) {
    // Past the CRC check the segment parser sees arbitrary content: frame it, with garbage around a copy.
    ecomon::StatusOr<std::string> f =
        ecomon::hj212::frame_data_segment(input, ecomon::hj212::kLengthFieldMax);
    if (!f.ok()) return 0;
    framed = *f + "#x" + *f;
  }
  const std::string_view stream = (control & kFrameItBit) ? std::string_view(framed) : input;

  const std::vector<Event> events = read_all(stream, policy, chunk, stream);
  uint64_t at = 0;
  for (const Event& e : events) {
    require(e.offset == at);
    at += e.size;
  }
  require(at == stream.size());
  require(read_all(stream, policy, stream.size() + 1, stream) == events);

  // The input as a data segment (in the fuzzer's buffer of exactly its size: AddressSanitizer sees
  // over-reads).
  using ecomon::hj212::detail::CpKernel;
  for (CpKernel k : {CpKernel::kScalar, CpKernel::kSse2, CpKernel::kAvx2}) {
    if (ecomon::hj212::detail::cp_kernel_available(k)) require_same_paths(input, policy, k);
  }

  // The codec and the check tool on the input as one line.
  Message m;
  (void)decode_frame(stream, DecodeOptions{.policy = policy, .require_terminator = false}, &m);
  bool ok = false;
  (void)ecomon::hj212::check_line_json(stream, 1, policy, &ok);
  return 0;
}
