// A fixed amount of codec work, for instruction counts under callgrind (load-independent, unlike the wall and
// CPU times of hj212_codec_bench): decodes the benchmark mix (mix.h) ROUNDS times, frame by frame ("decode",
// strict policy, as BM_DecodeFrameMix) or as one TCP stream in 1460-byte segments ("stream", lenient policy,
// as BM_StreamReaderMix). bench/hj212/codec_instructions.sh runs it twice and divides the difference.
//
//   hj212_codec_count decode|stream ROUNDS    # prints the number of frames decoded
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/hj212/stream_reader.h"
#include "mix.h"

int main(int argc, char** argv) {
  using namespace ecomon::hj212;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s decode|stream ROUNDS\n", argv[0]);
    return 2;
  }
  const std::string_view mode = argv[1];
  const long rounds = std::strtol(argv[2], nullptr, 10);
  const std::vector<std::string>& frames = bench::mix();
  size_t decoded = 0;
  if (mode == "decode") {
    const DecodeOptions options{.policy = Policy::strict()};
    Message m;
    for (long r = 0; r < rounds; ++r) {
      for (const std::string& f : frames) {
        if (!decode_frame(f, options, &m).ok()) return 1;
        ++decoded;
      }
    }
  } else if (mode == "stream") {
    std::string stream;
    for (const std::string& f : frames) stream += f;
    StreamReader reader(StreamOptions{.decode = {.policy = Policy::lenient()}});
    for (long r = 0; r < rounds; ++r) {
      for (size_t at = 0; at < stream.size(); at += bench::kTcpSegment) {
        reader.feed_all(std::string_view(stream).substr(at, bench::kTcpSegment), [&](const StreamEvent& ev) {
          decoded += ev.kind == StreamEvent::Kind::kFrame ? 1 : 0;
        });
      }
    }
  } else {
    return 2;
  }
  std::printf("%zu\n", decoded);
  return decoded == frames.size() * static_cast<size_t>(rounds) ? 0 : 1;
}
