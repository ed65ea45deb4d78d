#include "ingest/hj212/stream_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ecomon::hj212 {
namespace {

FrameError garbage_reason() {
  return FrameError{ErrorKind::kNoFrameStart, DeviationKind::kCount, 0, {}, "bytes outside any frame"};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr uint8_t kFirstPrintable = 0x20;
constexpr uint8_t kDelete = 0x7F;
bool is_control(char c) {
  const auto b = static_cast<uint8_t>(c);
  return b < kFirstPrintable || b == kDelete;
}

}  // namespace

StreamReader::StreamReader(StreamOptions options) : options_(std::move(options)) {
  const size_t max_data = std::min(options_.decode.policy.max_data_length, kLengthFieldMax);
  max_frame_ = max_data + kFrameOverhead;
  capacity_ = max_frame_ + std::max<size_t>(options_.slack_bytes, 1);
  buffer_ = std::make_unique<char[]>(capacity_);
}

size_t StreamReader::feed(std::string_view data) {
  if (finished_) return 0;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const size_t n = std::min(data.size(), capacity_ - end_);
  std::memcpy(buffer_.get() + end_, data.data(), n);
  end_ += n;
  counters_.bytes += n;
  return n;
}

void StreamReader::finish() { finished_ = true; }

void StreamReader::add_to_run(size_t n, const FrameError& reason_if_new) {
  if (n == 0) return;
  if (!run_.active) {
    run_.active = true;
    run_.offset = consumed_;
    run_.size = 0;
    run_.reason = reason_if_new;
  }
  run_.size += n;
  consume(n);
}

bool StreamReader::emit_run(StreamEvent* event) {
  if (!run_.active) return false;
  event->kind = StreamEvent::Kind::kDropped;
  event->offset = run_.offset;
  event->size = run_.size;
  event->message = nullptr;
  event->error = std::move(run_.reason);
  counters_.dropped_bytes += run_.size;
  if (event->error.kind == ErrorKind::kNoFrameStart) {
    counters_.garbage_bytes += run_.size;
  } else {
    ++counters_.bad_frames;
  }
  run_ = DropRun{};
  return true;
}

bool StreamReader::next(StreamEvent* event) {
  for (;;) {
    std::string_view avail = available();
    const size_t start = avail.find(kFrameStart);
    if (start == std::string_view::npos) {
      // Keep a trailing '#' that may begin "##" with the next chunk.
      const size_t keep = (!finished_ && !avail.empty() && avail.back() == kFrameStart[0]) ? 1 : 0;
      add_to_run(avail.size() - keep, garbage_reason());
      // The run may still grow while no "##" has been seen: report it at the next "##" or at the end.
      return finished_ && emit_run(event);
    }
    if (start > 0) {
      add_to_run(start, garbage_reason());
      avail = available();
    }
    // A candidate frame starts at begin_: report the run before it first.
    if (emit_run(event)) return true;
    bool need_more = false;
    if (try_frame(event, &need_more)) return true;
    if (need_more) return false;
  }
}

bool StreamReader::try_frame(StreamEvent* event, bool* need_more) {
  const std::string_view avail = available();
  const auto fail_framing = [&](FrameError reason) {
    // Drop the first '#' and resynchronise at the next "##"; the skipped bytes join this run.
    add_to_run(1, reason);
  };
  const size_t header_size = kSegmentOffset;
  // Length field: check the digits that have arrived so far.
  for (size_t i = kFrameStart.size(); i < std::min(avail.size(), header_size); ++i) {
    if (!is_digit(avail[i])) {
      fail_framing(FrameError{ErrorKind::kBadLengthField, DeviationKind::kCount,
                              static_cast<uint32_t>(kFrameStart.size()), "length",
                              "the 4 characters after ## must be decimal digits"});
      return false;
    }
  }
  if (avail.size() < header_size) {
    if (!finished_) {
      *need_more = true;
      return false;
    }
    fail_framing(FrameError{ErrorKind::kLengthMismatch, DeviationKind::kCount, 0, "length",
                            "stream ended inside a frame header"});
    return false;
  }
  size_t length = 0;
  for (size_t i = kFrameStart.size(); i < header_size; ++i)
    length = length * 10 + static_cast<size_t>(avail[i] - '0');
  if (length > options_.decode.policy.max_data_length) {
    fail_framing(FrameError{ErrorKind::kOversize, DeviationKind::kCount,
                            static_cast<uint32_t>(kFrameStart.size()), "length",
                            "length field " + std::to_string(length) + " exceeds the limit of " +
                                std::to_string(options_.decode.policy.max_data_length)});
    return false;
  }
  const size_t frame_size = length + kFrameOverhead;
  // A candidate's data segment and CRC cannot hold a control byte. When one is there (the CR LF of a newer
  // frame after a stray or lying header, a NUL), the candidate cannot be valid: drop its first '#' and
  // resynchronise at the next "##". Checked when a complete candidate fails (the first control byte is
  // reported), and while a candidate is incomplete as soon as a line feed has arrived inside it (every frame
  // ends with one: a stray "##9999" does not hold back the good frame after it until 9,999 bytes have come);
  // each byte is looked at once, by memchr. The events do not depend on the chunking: either way the
  // candidate is dropped up to the next "##". True when it failed the candidate.
  const auto failed_on_control_byte = [&](bool complete) {
    // With SM4 keys a candidate may be an encrypted HJ 212-2025 frame whose ciphertext holds any byte, CR and
    // LF included: frame by the length field only.
    if (!options_.decode.keys.empty()) return false;
    if (const DeviceLookup* devices = options_.decode.devices; devices && devices->any_keys()) {
      // Per-device keys: the candidate's own device decides (its MN is in the clear header).
      DeviceProfile profile;
      const std::optional<std::string_view> mn =
          header_mn(avail.substr(0, std::min(avail.size(), frame_size)));
      if (mn && devices->find(*mn, &profile) && !profile.keys.empty()) return false;
    }
    const size_t scan_end = std::min(avail.size(), frame_size - kFrameEnd.size());
    const size_t from = std::max(pending_scanned_, header_size);
    if (!complete) {
      pending_scanned_ = std::max(pending_scanned_, scan_end);
      if (from >= scan_end || std::memchr(avail.data() + from, '\n', scan_end - from) == nullptr)
        return false;
    }
    for (size_t i = header_size; i < scan_end; ++i) {
      if (!is_control(avail[i])) continue;
      const bool in_crc = i >= frame_size - kFrameEnd.size() - kCrcDigits;
      fail_framing(FrameError{ErrorKind::kControlByte, DeviationKind::kCount, static_cast<uint32_t>(i),
                              in_crc ? "CRC" : "data segment",
                              "control byte " + std::to_string(static_cast<uint8_t>(avail[i])) +
                                  " inside the " + std::to_string(frame_size) +
                                  " bytes the length field claims"});
      return true;
    }
    return false;
  };
  if (avail.size() < frame_size) {
    if (failed_on_control_byte(false)) return false;
    if (!finished_) {
      *need_more = true;
      return false;
    }
    fail_framing(FrameError{ErrorKind::kLengthMismatch, DeviationKind::kCount, 0, "length",
                            "stream ended after " + std::to_string(avail.size()) + " of " +
                                std::to_string(frame_size) + " bytes"});
    return false;
  }
  const std::string_view frame = avail.substr(0, frame_size);
  const uint64_t frame_offset = consumed_;
  if (frame.substr(frame_size - kFrameEnd.size()) != kFrameEnd) {
    if (failed_on_control_byte(true)) return false;
    fail_framing(FrameError{ErrorKind::kMissingTerminator, DeviationKind::kCount,
                            static_cast<uint32_t>(frame_size - kFrameEnd.size()), "terminator",
                            "no CR LF where the length field says the frame ends"});
    return false;
  }
  FrameError e = decode_frame(frame, options_.decode, &message_);
  if (!e.ok()) {
    if (failed_on_control_byte(true)) return false;
    // If another "##" starts inside this frame, it may be a good frame: resynchronise there.
    if (frame.find(kFrameStart, 1) != std::string_view::npos) {
      fail_framing(std::move(e));
      return false;
    }
    add_to_run(frame_size, e);
    return emit_run(event);
  }
  consume(frame_size);
  ++counters_.frames;
  for (const Deviation& d : message_.deviations) ++counters_.deviations[static_cast<size_t>(d.kind)];
  event->kind = StreamEvent::Kind::kFrame;
  event->offset = frame_offset;
  event->size = frame_size;
  event->message = &message_;
  // No error: the fields reset in place (assigning a FrameError{} builds, moves and destroys a temporary with
  // two strings, per frame).
  event->error.kind = ErrorKind::kNone;
  event->error.deviation = DeviationKind::kCount;
  event->error.offset = 0;
  event->error.field.clear();
  event->error.detail.clear();
  return true;
}

}  // namespace ecomon::hj212
