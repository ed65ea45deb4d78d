// Deterministic random numbers and the few transcendental functions the demo generator needs (internal).
//
// The demo archive must be byte-identical for the same seed on any machine, so nothing here depends on the
// standard library's distributions (std::normal_distribution's output is implementation-defined) or on libm's
// exp/log (not required to be correctly rounded, so C libraries differ in the last bit). Everything uses
// integer arithmetic, IEEE-754 basic operations (+ - * / sqrt, exactly rounded) and frexp/ldexp (exact).
// The target is compiled with -ffp-contract=off so that no fused multiply-add changes a rounding.
//
//   Rng rng(seed, Stream::kWeather);
//   double z = rng.normal();              // N(0, 1), Marsaglia's polar method
//   double f = det_exp(0.3 * z - 0.045);  // a log-normal factor with mean 1
//
// Not thread-safe: one Rng per stream and thread.
#pragma once

#include <cmath>
#include <cstdint>

namespace ecomon::demo::internal {

// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed state words.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Independent random streams, one per purpose, so that adding a draw to one part of the model does not
// shift every number drawn after it elsewhere.
// kQuality takes substreams 0..4 (quality_demo.cc), which mix as 9..13: clear of the others.
enum class Stream : uint64_t { kEvents = 1, kWeather = 2, kRegional = 3, kQuality = 8, kStationBase = 16 };

// xoshiro256** (Blackman, Vigna 2018) seeded through SplitMix64 from (seed, stream).
class Rng {
 public:
  Rng(uint64_t seed, Stream stream, uint64_t substream = 0) {
    SplitMix64 mix(seed ^ (0xD1B54A32D192ED03ULL * (static_cast<uint64_t>(stream) + substream + 1)));
    for (uint64_t& word : s_) word = mix.next();
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (inclusive); the bias of the float scaling is below 2^-40 for our ranges.
  int32_t uniform_int(int32_t lo, int32_t hi) {
    const double span = static_cast<double>(hi) - static_cast<double>(lo) + 1.0;
    const int32_t k = lo + static_cast<int32_t>(std::floor(uniform() * span));
    return k > hi ? hi : k;
  }
  bool bernoulli(double p) { return uniform() < p; }
  // Standard normal by Marsaglia's polar method (the pair's second value is kept for the next call).
  double normal();

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {};
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// e^x to within a few ulp, identical on every IEEE-754 machine. x is clamped to [-700, 700].
double det_exp(double x);
// Natural logarithm of x > 0 to within a few ulp; returns -700 for x <= 0 (a value we never pass on purpose).
double det_log(double x);
// base^exponent for base > 0.
inline double det_pow(double base, double exponent) { return det_exp(exponent * det_log(base)); }

}  // namespace ecomon::demo::internal
