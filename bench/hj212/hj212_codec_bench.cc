// Throughput of the HJ 212 codec on a realistic mix of uploads (mix.h): per 100 frames, 60 real-time, 30
// minute and 10 hourly uploads. Each frame is framed, its CRC checked, every header field and CP item parsed
// and validated (timestamps, decimals, duplicates).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ingest/hj212/crc.h"
#include "ingest/hj212/stream_reader.h"
#include "mix.h"

namespace ecomon::hj212 {
namespace {

using bench::kTcpSegment;
using bench::mix;
using bench::mix_bytes;
using bench::real_time;

void BM_DecodeFrameMix(benchmark::State& state) {
  const std::vector<std::string>& frames = mix();
  const DecodeOptions options{.policy = Policy::strict()};
  Message m;  // reused: no allocation per frame once its vectors have grown
  size_t items = 0;
  for (auto _ : state) {
    for (const std::string& f : frames) {
      const FrameError e = decode_frame(f, options, &m);
      if (!e.ok()) state.SkipWithError(e.to_string().c_str());
      items += m.cp.size();
    }
  }
  benchmark::DoNotOptimize(items);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * frames.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * mix_bytes()));
}
BENCHMARK(BM_DecodeFrameMix);

// The same mix as one TCP byte stream arriving in 1460-byte segments.
void BM_StreamReaderMix(benchmark::State& state) {
  std::string stream;
  for (const std::string& f : mix()) stream += f;
  StreamReader reader(StreamOptions{.decode = {.policy = Policy::lenient()}});
  size_t frames = 0;
  for (auto _ : state) {
    for (size_t at = 0; at < stream.size(); at += kTcpSegment) {
      reader.feed_all(std::string_view(stream).substr(at, kTcpSegment),
                      [&](const StreamEvent& ev) { frames += ev.kind == StreamEvent::Kind::kFrame ? 1 : 0; });
    }
  }
  if (frames != state.iterations() * mix().size()) state.SkipWithError("lost frames");
  state.SetItemsProcessed(static_cast<int64_t>(frames));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_StreamReaderMix);

void BM_Crc16(benchmark::State& state) {
  const std::string data(static_cast<size_t>(state.range(0)), 'a');
  for (auto _ : state) benchmark::DoNotOptimize(hj212_crc16(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Crc16)->Arg(300)->Arg(1024);

// Each CRC kernel on its own (arg 0: 0 scalar, 1 SSSE3, 2 GFNI, 3 AVX2; skipped when the CPU lacks it).
void BM_Crc16Kernel(benchmark::State& state) {
  const auto kernel = static_cast<CrcKernel>(state.range(0));
  const std::string data(static_cast<size_t>(state.range(1)), 'a');
  if (!crc_kernel_available(kernel)) {
    state.SkipWithError("kernel not available on this CPU");
    return;
  }
  state.SetLabel(std::string(crc_kernel_name(kernel)));
  for (auto _ : state) benchmark::DoNotOptimize(hj212_crc16_with(kernel, data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Crc16Kernel)->ArgsProduct({{0, 1, 2, 3}, {400}});

void BM_EncodeRealTimeUpload(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(real_time(i++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeRealTimeUpload);

}  // namespace
}  // namespace ecomon::hj212

BENCHMARK_MAIN();
