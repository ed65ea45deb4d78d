#include "ingest/hj212/stream_reader.h"

#include <gtest/gtest.h>

#include <random>

#include "ingest/hj212/encoder.h"
#include "ingest/hj212/test_support.h"

namespace ecomon::hj212 {
namespace {

constexpr std::string_view kMn = "010000A8900016F000169DC0";

struct Drop {
  uint64_t offset;
  uint64_t size;
  ErrorKind kind;
  bool operator==(const Drop&) const = default;
};
struct Frame {
  uint64_t offset;
  std::string bytes;
  bool operator==(const Frame&) const = default;
};
struct Collected {
  std::vector<Frame> frames;
  std::vector<Drop> drops;
  StreamCounters counters;
};

std::ostream& operator<<(std::ostream& os, const Drop& d) {
  return os << "{" << d.offset << "+" << d.size << " " << error_name(d.kind) << "}";
}
std::ostream& operator<<(std::ostream& os, const Frame& f) { return os << "{frame@" << f.offset << "}"; }

// Feeds stream in chunks that end at the given cut positions, then finishes.
Collected run(std::string_view stream, const std::vector<size_t>& cuts,
              const Policy& policy = Policy::lenient()) {
  StreamReader reader(StreamOptions{.decode = {.policy = policy}});
  Collected c;
  const auto on_event = [&](const StreamEvent& ev) {
    if (ev.kind == StreamEvent::Kind::kFrame) {
      EXPECT_EQ(ev.message->frame, stream.substr(ev.offset, ev.size));
      c.frames.push_back(Frame{ev.offset, std::string(ev.message->frame)});
    } else {
      c.drops.push_back(Drop{ev.offset, ev.size, ev.error.kind});
    }
  };
  size_t at = 0;
  for (size_t cut : cuts) {
    reader.feed_all(stream.substr(at, cut - at), on_event);
    EXPECT_LE(reader.buffered(), reader.capacity());
    at = cut;
  }
  reader.feed_all(stream.substr(at), on_event);
  reader.finish();
  reader.drain(on_event);
  c.counters = reader.counters();
  return c;
}

// Frames and drops together cover the stream exactly once, in order.
void expect_tiling(const Collected& c, size_t stream_size) {
  std::vector<std::pair<uint64_t, uint64_t>> spans;
  for (const Frame& f : c.frames) spans.emplace_back(f.offset, f.bytes.size());
  for (const Drop& d : c.drops) spans.emplace_back(d.offset, d.size);
  std::sort(spans.begin(), spans.end());
  uint64_t at = 0;
  for (const auto& [offset, size] : spans) {
    EXPECT_EQ(offset, at) << "gap or overlap";
    EXPECT_GT(size, 0U);
    at = offset + size;
  }
  EXPECT_EQ(at, stream_size);
}

std::vector<std::string> synthetic_frames() {
  std::vector<std::string> out;
  const Peer peer{.pw = "123456", .mn = kMn};
  out.push_back(*encode_request_answer("20240101010000001", peer, QnRtn::kReady));
  out.push_back(*encode_data_answer("20240101010000002", peer));
  const std::vector<PollutantRecord> records = {
      {"a21026", {{"Rtd", "12.3"}, {"Flag", "N"}}},
      {"a34004", {{"Rtd", "35"}, {"Flag", "N"}}},
  };
  out.push_back(*encode_upload(
      HeaderFields{.qn = "20240101010000003", .st = "22", .cn = "2011", .pw = "123456", .mn = kMn},
      *parse_timestamp("20240101010000"), records));
  return out;
}

// Good frames: the synthetic ones plus every real message lenient accepts (when the shared data is there).
std::vector<std::string> good_frames() {
  std::vector<std::string> out = synthetic_frames();
  for (const auto& r : testing::load_real_messages()) {
    if (r.crc_verdict == "MISMATCH") continue;
    out.push_back(r.message + "\r\n");
  }
  return out;
}

TEST(StreamReader, EveryFrameSplitAtEveryByte) {
  for (const std::string& f : good_frames()) {
    for (size_t k = 0; k <= f.size(); ++k) {
      const Collected c = run(f, {k});
      ASSERT_EQ(c.frames.size(), 1U) << "cut at " << k << " of " << f;
      EXPECT_EQ(c.frames[0].bytes, f);
      EXPECT_TRUE(c.drops.empty());
    }
  }
}

TEST(StreamReader, AllConcatenatedSplitAtEveryByteAndFedByteByByte) {
  const std::vector<std::string> frames = good_frames();
  std::string stream;
  std::vector<Frame> expected;
  for (const std::string& f : frames) {
    expected.push_back(Frame{stream.size(), f});
    stream += f;
  }
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, expected) << "cut at " << k;
    ASSERT_TRUE(c.drops.empty());
  }
  std::vector<size_t> every_byte(stream.size());
  for (size_t i = 0; i < stream.size(); ++i) every_byte[i] = i;
  EXPECT_EQ(run(stream, every_byte).frames, expected);
  std::mt19937 rng(4);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<size_t> cuts;
    for (size_t at = 0; at < stream.size(); at += std::uniform_int_distribution<size_t>(1, 700)(rng)) {
      cuts.push_back(at);
    }
    EXPECT_EQ(run(stream, cuts).frames, expected);
  }
}

TEST(StreamReader, GarbageBetweenFramesIsReportedAndSkipped) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stream = "xyz" + f[0] + "garbage#" + f[1] + "###notalength" + f[2] + "tail#";
  const uint64_t f0 = 3, g1 = f0 + f[0].size(), f1 = g1 + 8, g2 = f1 + f[1].size(), f2 = g2 + 13;
  const std::vector<Drop> expected_drops = {
      {0, 3, ErrorKind::kNoFrameStart},
      {g1, 7, ErrorKind::kNoFrameStart},
      {g1 + 7, 1, ErrorKind::kBadLengthField},   // "garbage#" + "##00..." reads as "###0": one '#' too many
      {g2, 1, ErrorKind::kBadLengthField},       // "##" + "#not": '#' dropped, resync one byte on
      {g2 + 1, 12, ErrorKind::kBadLengthField},  // "##notalength"
      {f2 + f[2].size(), 5, ErrorKind::kNoFrameStart},
  };
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{f0, f[0]}, {f1, f[1]}, {f2, f[2]}})) << "cut at " << k;
    ASSERT_EQ(c.drops, expected_drops) << "cut at " << k;
    expect_tiling(c, stream.size());
    EXPECT_EQ(c.counters.garbage_bytes, 15U);
    EXPECT_EQ(c.counters.dropped_bytes, 29U);
    EXPECT_EQ(c.counters.bad_frames, 3U);
  }
}

TEST(StreamReader, BadCrcFrameBetweenTwoGoodOnes) {
  const std::vector<std::string> f = synthetic_frames();
  std::string bad = f[2];
  bad[bad.size() - 3] = bad[bad.size() - 3] == '0' ? '1' : '0';
  const std::string stream = f[0] + bad + f[1];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{0, f[0]}, {f[0].size() + bad.size(), f[1]}}));
    ASSERT_EQ(c.drops, (std::vector<Drop>{{f[0].size(), bad.size(), ErrorKind::kCrcMismatch}}));
  }
}

TEST(StreamReader, OversizeFrameIsDroppedWithoutBufferingIt) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string oversize = "##1500" + std::string(1500, 'x') + "1234\r\n";
  const std::string stream = f[0] + oversize + f[1];
  for (size_t chunk : {1U, 7U, 512U, 4096U}) {
    std::vector<size_t> cuts;
    for (size_t at = chunk; at < stream.size(); at += chunk) cuts.push_back(at);
    const Collected c = run(stream, cuts, Policy::strict());
    ASSERT_EQ(c.frames, (std::vector<Frame>{{0, f[0]}, {f[0].size() + oversize.size(), f[1]}}));
    ASSERT_EQ(c.drops, (std::vector<Drop>{{f[0].size(), oversize.size(), ErrorKind::kOversize}}));
  }
  // The strict reader's buffer is sized for the standard's 1024-byte data segment, not for 1500.
  StreamReader strict_reader(StreamOptions{.decode = {.policy = Policy::strict()}});
  EXPECT_LT(strict_reader.capacity(), 1500U + kFrameOverhead + 4096U);
}

TEST(StreamReader, TruncatedFrameDoesNotHideTheNextOne) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stream = f[2].substr(0, 50) + f[0] + f[1];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{50, f[0]}, {50 + f[0].size(), f[1]}})) << "cut at " << k;
    ASSERT_EQ(c.drops.size(), 1U);
    EXPECT_EQ(c.drops[0].offset, 0U);
    EXPECT_EQ(c.drops[0].size, 50U);
  }
}

TEST(StreamReader, FrameHiddenInsideABogusLengthIsRecovered) {
  const std::vector<std::string> f = synthetic_frames();
  // "##0150" claims 162 bytes: a good frame starts right after it.
  const std::string stream = "##0150" + f[0] + f[1] + f[2];
  const Collected c = run(stream, {});
  ASSERT_EQ(c.frames.size(), 3U);
  EXPECT_EQ(c.frames[0].offset, 6U);
  ASSERT_EQ(c.drops.size(), 1U);
  // f[0]'s CR LF lies inside the 162 bytes claimed: a control byte, so "##0150" cannot be a frame.
  EXPECT_EQ(c.drops[0], (Drop{0, 6, ErrorKind::kControlByte}));
  expect_tiling(c, stream.size());
}

// Issue 15: a stray "##9999" (lenient: 9,999 bytes are within the limit) used to hold back the device's next
// uploads until 9,999 + 12 bytes had come. The good frame's CR LF lies inside the claimed length, so the
// stray header is dropped (6 bytes at offset 0, the CR at candidate byte 6 + f.size() - 2) as soon as that
// CR arrives, and the frame is yielded at once, without finish().
TEST(StreamReader, StrayLengthClaimDoesNotHoldBackTheNextFrame) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stray = "##9999";
  StreamReader reader(StreamOptions{.decode = {.policy = Policy::lenient()}});
  std::vector<Frame> frames;
  std::vector<StreamEvent> drops;
  const auto on_event = [&](const StreamEvent& ev) {
    if (ev.kind == StreamEvent::Kind::kFrame) {
      frames.push_back(Frame{ev.offset, std::string(ev.message->frame)});
    } else {
      drops.push_back(ev);
    }
  };
  reader.feed_all(stray, on_event);
  reader.feed_all(f[2], on_event);
  ASSERT_EQ(frames, (std::vector<Frame>{{6, f[2]}}));
  ASSERT_EQ(drops.size(), 1U);
  EXPECT_EQ(drops[0].offset, 0U);
  EXPECT_EQ(drops[0].size, 6U);
  EXPECT_EQ(drops[0].error.kind, ErrorKind::kControlByte);
  EXPECT_EQ(drops[0].error.offset, 6U + f[2].size() - 2);
  EXPECT_EQ(drops[0].error.field, "data segment");
  EXPECT_EQ(reader.counters().bad_frames, 1U);
  EXPECT_EQ(reader.counters().dropped_bytes, 6U);
  // The next upload follows at once too.
  reader.feed_all(f[0], on_event);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[1], (Frame{6 + f[2].size(), f[0]}));

  // The same events whatever the chunking.
  const std::string stream = stray + f[2] + f[0];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{6, f[2]}, {6 + f[2].size(), f[0]}})) << "cut at " << k;
    ASSERT_EQ(c.drops, (std::vector<Drop>{{0, 6, ErrorKind::kControlByte}})) << "cut at " << k;
  }
}

// A new "##LLLL" header inside a pending frame: the pending one (a frame cut off after 40 bytes, then a
// whole frame) cannot be valid once the newer frame's CR LF has come; the 40 bytes are dropped and the newer
// frame is read, at every chunking.
TEST(StreamReader, NewerHeaderInsidePendingFrameResynchronises) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stream = f[2].substr(0, 40) + f[1] + f[0];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{40, f[1]}, {40 + f[1].size(), f[0]}})) << "cut at " << k;
    ASSERT_EQ(c.drops, (std::vector<Drop>{{0, 40, ErrorKind::kControlByte}})) << "cut at " << k;
    expect_tiling(c, stream.size());
  }
}

// A length claim above the policy's limit fails at once, without waiting for (or buffering) the bytes it
// claims: strict allows 1024, so "##2000" is dropped (6 bytes at 0) and the frame after it read.
TEST(StreamReader, LengthAboveThePolicyLimitFailsAtOnce) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stream = "##2000" + f[0];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k}, Policy::strict());
    ASSERT_EQ(c.frames, (std::vector<Frame>{{6, f[0]}})) << "cut at " << k;
    ASSERT_EQ(c.drops, (std::vector<Drop>{{0, 6, ErrorKind::kOversize}})) << "cut at " << k;
  }
}

// A NUL inside a frame whose length is right: the same drop (kControlByte, up to the next "##") whether the
// frame came whole or in pieces.
TEST(StreamReader, ControlByteInsideAFrameGivesTheSameEventsAtEveryChunking) {
  const std::vector<std::string> f = synthetic_frames();
  std::string bad = f[2];
  bad[30] = '\0';
  const std::string stream = f[0] + bad + "junk" + f[1];
  for (size_t k = 0; k <= stream.size(); ++k) {
    const Collected c = run(stream, {k});
    ASSERT_EQ(c.frames, (std::vector<Frame>{{0, f[0]}, {f[0].size() + bad.size() + 4, f[1]}}))
        << "cut at " << k;
    // The bad frame and the 4 bytes of junk after it are one run (resynchronised at the next "##").
    ASSERT_EQ(c.drops, (std::vector<Drop>{{f[0].size(), bad.size() + 4, ErrorKind::kControlByte}}))
        << "cut at " << k;
  }
}

TEST(StreamReader, PartialFrameAtEndOfStream) {
  const std::vector<std::string> f = synthetic_frames();
  const std::string stream = f[0] + f[1].substr(0, 30);
  const Collected c = run(stream, {});
  ASSERT_EQ(c.frames.size(), 1U);
  ASSERT_EQ(c.drops, (std::vector<Drop>{{f[0].size(), 30, ErrorKind::kLengthMismatch}}));
  // Only a "#" left: garbage.
  const Collected d = run(f[0] + "#", {});
  ASSERT_EQ(d.drops, (std::vector<Drop>{{f[0].size(), 1, ErrorKind::kNoFrameStart}}));
}

TEST(StreamReader, MegabyteOfGarbageStaysWithinTheBuffer) {
  const std::vector<std::string> f = synthetic_frames();
  StreamReader reader;
  std::vector<Drop> drops;
  int frames = 0;
  const auto on_event = [&](const StreamEvent& ev) {
    if (ev.kind == StreamEvent::Kind::kFrame) {
      ++frames;
    } else {
      drops.push_back(Drop{ev.offset, ev.size, ev.error.kind});
    }
  };
  const std::string chunk(4096, 'g');
  for (int i = 0; i < 256; ++i) {
    reader.feed_all(chunk, on_event);
    ASSERT_LE(reader.buffered(), 1U);
  }
  reader.feed_all(f[0], on_event);
  EXPECT_EQ(frames, 1);
  ASSERT_EQ(drops, (std::vector<Drop>{{0, 256 * 4096, ErrorKind::kNoFrameStart}}));
}

TEST(StreamReader, DeviationsAreCountedByKind) {
  std::string lower = synthetic_frames()[0];
  for (size_t i = lower.size() - 6; i < lower.size() - 2; ++i)
    lower[i] = static_cast<char>(std::tolower(lower[i]));
  const std::string no_flag =
      *frame_data_segment("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&B01-Rtd=36.91&&");
  const std::string stream = lower + no_flag + lower;
  const Collected lenient = run(stream, {});
  EXPECT_EQ(lenient.frames.size(), 3U);
  const auto& d = lenient.counters.deviations;
  EXPECT_EQ(lenient.counters.frames, 3U);
  EXPECT_EQ(d[static_cast<size_t>(DeviationKind::kMissingFlag)], 1U);
  EXPECT_EQ(d[static_cast<size_t>(DeviationKind::kMissingQn)], 1U);
  EXPECT_EQ(d[static_cast<size_t>(DeviationKind::kNonstandardMn)], 1U);
  // Lower-case letters only where the CRC has any.
  const bool has_letter =
      std::any_of(lower.end() - 6, lower.end() - 2, [](char ch) { return std::isalpha(ch); });
  EXPECT_EQ(d[static_cast<size_t>(DeviationKind::kCrcLowercaseHex)], has_letter ? 2U : 0U);
  const Collected strict = run(stream, {}, Policy::strict());
  EXPECT_EQ(strict.frames.size(), has_letter ? 0U : 2U);
  EXPECT_EQ(strict.drops[has_letter ? 1 : 0].kind, ErrorKind::kNonconforming);
  expect_tiling(strict, stream.size());
}

}  // namespace
}  // namespace ecomon::hj212
