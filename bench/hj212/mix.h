// The benchmark mix of HJ 212 uploads, shared by hj212_codec_bench (Google Benchmark) and hj212_codec_count
// (a fixed amount of work for callgrind): per 100 frames, 60 real-time (2011, air, 7 pollutants Rtd+Flag), 30
// minute (2051, air, Avg/Min/Max/Flag) and 10 hourly (2061, wastewater, Avg/Min/Max/Cou/Flag), all
// well-formed 2017 frames as a gateway receives them.
#pragma once

#include <string>
#include <vector>

#include "ingest/hj212/encoder.h"

namespace ecomon::hj212::bench {

inline constexpr int kRealTimePerHundred = 60;
inline constexpr int kMinutePerHundred = 30;
inline constexpr int kHourlyPerHundred = 10;
inline constexpr size_t kTcpSegment = 1460;

inline std::string qn_for(int i) {
  Timestamp t = *parse_timestamp("20240315080000000");
  return Timestamp::from_civil_ms(t.civil_ms() + int64_t{i} * 30'000 + i % 1000).to_digits17();
}

inline std::string real_time(int i) {
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

inline std::string minute(int i) {
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

inline std::string hourly(int i) {
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

inline const std::vector<std::string>& mix() {
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

inline size_t mix_bytes() {
  size_t n = 0;
  for (const std::string& f : mix()) n += f.size();
  return n;
}

}  // namespace ecomon::hj212::bench
