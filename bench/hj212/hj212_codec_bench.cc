// Throughput of the HJ 212 codec on a realistic mix of uploads (mix.h): per 100 frames, 60 real-time, 30
// minute and 10 hourly uploads. Each frame is framed, its CRC checked, every header field and CP item parsed
// and validated (timestamps, decimals, duplicates).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
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

// HJ 212-2025 (issue 17): the App. A.2 minute-data frame (208-byte CP, 13 SM4 blocks), decoded with its CRC
// checked, as a 2017 frame (Flag=5), a 2025 plaintext frame (Flag=9) and a 2025 frame whose CP area is
// SM4-ECB encrypted (form A, the standard's test key; the decoder is given a wrong current key first and the
// right previous key, the slowest case, and the right key alone). Target: >= 500,000 encrypted frames/s/core.
const std::string kA2Segment =
    "QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&DataTime="
    "20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;a01012-Min=9.3,a01012-Avg="
    "9.3,"
    "a01012-Max=9.3,a01012-Flag=N;a01014-Min=3.20,a01014-Avg=3.211,a01014-Max=3.212,a01014-Flag=N&&";

void decode_loop(benchmark::State& state, const std::string& frame, const DecodeOptions& options) {
  Message m;
  for (auto _ : state) {
    const FrameError e = decode_frame(frame, options, &m);
    if (!e.ok()) state.SkipWithError(e.to_string().c_str());
    benchmark::DoNotOptimize(m.cp.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * frame.size()));
}

std::string a2_frame(std::string_view flag) {
  std::string seg = kA2Segment;
  seg.replace(seg.find("Flag=9"), 6, flag);
  return *frame_data_segment(seg);
}

void BM_Decode2017Plain(benchmark::State& state) {
  decode_loop(state, a2_frame("Flag=5"), {.policy = Policy::strict()});
}
BENCHMARK(BM_Decode2017Plain);

void BM_Decode2025Plain(benchmark::State& state) {
  decode_loop(state, a2_frame("Flag=9"), {.policy = Policy::strict()});
}
BENCHMARK(BM_Decode2025Plain);

void BM_Decode2025Encrypted(benchmark::State& state) {
  const CpKey right = *CpKey::from_text("0000000000000000");
  const CpKey wrong = *CpKey::from_text("1234567890ABCDEF");
  const std::string frame = *encrypt_frame(a2_frame("Flag=9"), right);
  const CpKey one[] = {right};
  const CpKey two[] = {wrong, right};
  DecodeOptions options{.policy = Policy::strict()};
  options.keys = state.range(0) == 1 ? std::span<const CpKey>(one) : std::span<const CpKey>(two);
  decode_loop(state, frame, options);
}
BENCHMARK(BM_Decode2025Encrypted)->Arg(1)->Arg(2)->ArgName("keys");

// The cipher alone on the 208-byte CP area.
void BM_Sm4DecryptCp208(benchmark::State& state) {
  const CpKey key = *CpKey::from_text("0000000000000000");
  std::string buf(208, 'x');
  for (auto _ : state) {
    sm4_ecb_blocks(key, false, buf.data(), buf.size(), buf.data());
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_Sm4DecryptCp208);

}  // namespace
}  // namespace ecomon::hj212

BENCHMARK_MAIN();
