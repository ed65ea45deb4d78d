// HJ 212 stream reader: turns the bytes of a TCP connection, in whatever chunks they arrive, into decoded
// frames.
//
// It finds frames ("##" + length + data segment + CRC + CR LF) wherever chunk boundaries fall (several frames
// in one chunk, one frame over many), skips bytes between frames, and when a candidate frame is bad (length
// field not digits, length above the policy's limit, no CR LF where the length says, CRC mismatch, a field
// the policy rejects) it reports the dropped bytes (stream offset, count, reason) and resynchronises at the
// next "##", so no good frame around a bad one is lost (the model is LevelDB's log::Reader). A candidate
// that is still incomplete but already holds a line feed before its CRC (a stray "##9999" followed by a good
// frame, whose CR LF then lies inside the claimed length) cannot be valid: it is dropped as soon as that byte
// arrives and reading resynchronises at the next "##", so the good frame is not held back.
//
//   hj212::StreamReader reader({.decode = {.policy = hj212::Policy::lenient()}});
//   reader.feed_all(chunk, [&](const hj212::StreamEvent& ev) {
//     if (ev.kind == hj212::StreamEvent::Kind::kFrame) handle(*ev.message);
//     else log("dropped", ev.size, "bytes at", ev.offset, ev.error.to_string());
//   });
//   ...
//   reader.finish();  // peer closed: what is left is reported as dropped
//   reader.drain([&](const hj212::StreamEvent& ev) { ... });
//
// Memory is bounded: the buffer holds at most capacity() bytes (one largest frame plus slack); feed() takes
// only what fits and says how many bytes it took. A frame whose length field exceeds the policy's limit is
// dropped without being buffered. Events are the same whatever the chunking. Lifetime: StreamEvent::message
// and its views point into the reader; they are valid until the next call to feed(), next() or finish(). Copy
// with OwnedMessage::copy_of() to keep one. Not thread-safe (one per connection).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ingest/hj212/codec.h"

namespace ecomon::hj212 {

struct StreamOptions {
  DecodeOptions decode;       // policy (and, per connection, received_at_ms via set_received_at())
  size_t slack_bytes = 4096;  // buffer capacity beyond the largest frame the policy allows
};

struct StreamEvent {
  enum class Kind : uint8_t { kFrame, kDropped };
  Kind kind = Kind::kFrame;
  uint64_t offset = 0;               // stream offset of the frame or of the first dropped byte
  uint64_t size = 0;                 // bytes in the frame / bytes dropped
  const Message* message = nullptr;  // kFrame: the decoded frame
  // kDropped: why. ErrorKind::kNoFrameStart = bytes between frames; otherwise the failure of the candidate
  // frame that starts at `offset` (error.offset is relative to it).
  FrameError error;
};

struct StreamCounters {
  uint64_t bytes = 0;                                      // bytes fed
  uint64_t frames = 0;                                     // frames accepted
  uint64_t bad_frames = 0;                                 // dropped candidate frames
  uint64_t dropped_bytes = 0;                              // all dropped bytes, garbage included
  uint64_t garbage_bytes = 0;                              // bytes that were not part of any candidate frame
  std::array<uint64_t, kDeviationKindCount> deviations{};  // accepted deviations, by kind
};

class StreamReader {
 public:
  explicit StreamReader(StreamOptions options = {});
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  // Copies as much of data as fits; returns the number of bytes taken. Call next() until it returns false,
  // then feed the rest.
  size_t feed(std::string_view data);
  // Produces the next event; false when more bytes are needed (or, after finish(), when all is reported).
  bool next(StreamEvent* event);
  // End of the stream: a partial frame or garbage still buffered will be reported as dropped by next().
  void finish();
  // Receive time (civil ms) used for the clock-skew check of the frames decoded from now on.
  void set_received_at(int64_t civil_ms) { options_.decode.received_at_ms = civil_ms; }

  // feed() + next() until all of data is consumed, calling on_event for each event.
  template <typename OnEvent>
  void feed_all(std::string_view data, OnEvent&& on_event) {
    StreamEvent ev;
    while (!data.empty()) {
      data.remove_prefix(feed(data));
      while (next(&ev)) on_event(static_cast<const StreamEvent&>(ev));
    }
  }
  // next() until it returns false.
  template <typename OnEvent>
  void drain(OnEvent&& on_event) {
    StreamEvent ev;
    while (next(&ev)) on_event(static_cast<const StreamEvent&>(ev));
  }

  size_t capacity() const { return capacity_; }
  size_t buffered() const { return end_ - begin_; }
  uint64_t stream_offset() const { return consumed_; }  // offset of the first byte not yet consumed
  const StreamCounters& counters() const { return counters_; }

 private:
  // A run of dropped bytes being accumulated until the next "##" (or the end of the stream).
  struct DropRun {
    bool active = false;
    uint64_t offset = 0;
    uint64_t size = 0;
    FrameError reason;
  };
  std::string_view available() const { return {buffer_.get() + begin_, end_ - begin_}; }
  void consume(size_t n) {
    begin_ += n;
    consumed_ += n;
    pending_scanned_ = 0;
  }
  void add_to_run(size_t n, const FrameError& reason_if_new);
  bool emit_run(StreamEvent* event);
  // Examines the candidate frame at begin_. Returns true when it produced an event.
  bool try_frame(StreamEvent* event, bool* need_more);

  StreamOptions options_;
  size_t max_frame_ = 0;
  size_t capacity_ = 0;
  std::unique_ptr<char[]> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t consumed_ = 0;
  size_t pending_scanned_ =
      0;  // bytes of the incomplete candidate at begin_ already looked at for a line feed
  bool finished_ = false;
  DropRun run_;
  Message message_;
  StreamCounters counters_;
};

}  // namespace ecomon::hj212
