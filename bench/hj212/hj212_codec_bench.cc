// Throughput of the HJ 212 codec on a realistic mix of uploads: per 100 frames, 60 real-time (2011, air,
// 7 pollutants Rtd+Flag), 30 minute (2051, air, Avg/Min/Max/Flag) and 10 hourly (2061, wastewater,
// Avg/Min/Max/Cou/Flag), all well-formed 2017 frames as a gateway receives them. Each frame is framed, its
// CRC checked, every header field and CP item parsed and validated (timestamps, decimals, duplicates).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ingest/hj212/crc.h"
#include "ingest/hj212/encoder.h"
#include "ingest/hj212/stream_reader.h"

namespace ecomon::hj212 {
namespace {

constexpr int kRealTimePerHundred = 60;
constexpr int kMinutePerHundred = 30;
constexpr int kHourlyPerHundred = 10;
constexpr size_t kTcpSegment = 1460;

std::string qn_for(int i) {
  Timestamp t = *parse_timestamp("20240315080000000");
  return Timestamp::from_civil_ms(t.civil_ms() + int64_t{i} * 30'000 + i % 1000).to_digits17();
}

std::string real_time(int i) {
  static const char* kAir[] = {"a21026", "a21004", "a21005", "a05024", "a34002", "a34004", "a01001"};
  static const char* kValues[] = {"12.3", "35.0", "0.812", "88", "67", "41", "21.4"};
  std::vector<PollutantRecord> records;
  for (int p = 0; p < 7; ++p) records.push_back({kAir[p], {{"Rtd", kValues[p]}, {"Flag", "N"}}});
  const std::string qn = qn_for(i);
  return *encode_upload(HeaderFields{.qn = qn,
                                     .st = "22",
                                     .cn = "2011",
                                     .pw = "123456",
                                     .mn = "010000A8900016F000169DC0",
                                     .flag = kFlagVersion2017 | kFlagAnswerNeeded},
                        *parse_timestamp(qn.substr(0, 14)), records);
}

std::string minute(int i) {
  static const char* kAir[] = {"a21026", "a21004", "a21005", "a05024", "a34002", "a34004", "a01001"};
  std::vector<PollutantRecord> records;
  for (int p = 0; p < 7; ++p) {
    records.push_back({kAir[p], {{"Avg", "23.456"}, {"Min", "20.1"}, {"Max", "27.93"}, {"Flag", "N"}}});
  }
  const std::string qn = qn_for(i);
  return *encode_upload(HeaderFields{.qn = qn,
                                     .st = "22",
                                     .cn = "2051",
                                     .pw = "123456",
                                     .mn = "010000A8900016F000169DC0",
                                     .flag = kFlagVersion2017},
                        *parse_timestamp(qn.substr(0, 12) + "00"), records);
}

std::string hourly(int i) {
  static const char* kWater[] = {"w01018", "w21003", "w21011", "w21001", "w01001", "w00000"};
  std::vector<PollutantRecord> records;
  for (const char* code : kWater) {
    records.push_back(
        {code, {{"Avg", "15.27"}, {"Min", "11.3"}, {"Max", "19.84"}, {"Cou", "1523.6"}, {"Flag", "N"}}});
  }
  const std::string qn = qn_for(i);
  return *encode_upload(HeaderFields{.qn = qn,
                                     .st = "32",
                                     .cn = "2061",
                                     .pw = "123456",
                                     .mn = "010000A8900016F000169DC1",
                                     .flag = kFlagVersion2017 | kFlagAnswerNeeded},
                        *parse_timestamp(qn.substr(0, 10) + "0000"), records);
}

const std::vector<std::string>& mix() {
  static const std::vector<std::string> frames = [] {
    std::vector<std::string> f;
    for (int i = 0; i < 100; ++i) {
      if (i % 10 == 0) {
        f.push_back(hourly(i));
      } else if (i % 10 <= 3) {
        f.push_back(minute(i));
      } else {
        f.push_back(real_time(i));
      }
    }
    return f;
  }();
  static_assert(kRealTimePerHundred + kMinutePerHundred + kHourlyPerHundred == 100);
  return frames;
}

size_t mix_bytes() {
  size_t n = 0;
  for (const std::string& f : mix()) n += f.size();
  return n;
}

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

void BM_EncodeRealTimeUpload(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(real_time(i++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeRealTimeUpload);

}  // namespace
}  // namespace ecomon::hj212

BENCHMARK_MAIN();
