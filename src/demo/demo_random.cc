#include "demo/demo_random.h"

namespace ecomon::demo::internal {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (Cody-Waite range reduction, as in fdlibm).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kExpClamp = 700.0;
constexpr double kLogOfNonPositive = -700.0;
constexpr int kExpTaylorTerms = 14;  // |r| <= ln2/2: the first omitted term is below 1e-18 relative
constexpr int kLogSeriesTerms = 12;  // |s| <= 0.1716: s^25/25 is below 1e-20

}  // namespace

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u = 0.0, v = 0.0, s = 0.0;
  do {
    u = uniform(-1.0, 1.0);
    v = uniform(-1.0, 1.0);
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double scale = std::sqrt(-2.0 * det_log(s) / s);
  spare_ = v * scale;
  has_spare_ = true;
  return u * scale;
}

double det_exp(double x) {
  if (x > kExpClamp) x = kExpClamp;
  if (x < -kExpClamp) x = -kExpClamp;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double hi = x - k * kLn2Hi;
  const double r = hi - k * kLn2Lo;
  // Horner form of the Taylor polynomial sum r^n / n!, n = 0..kExpTaylorTerms.
  double p = 1.0;
  for (int n = kExpTaylorTerms; n >= 1; --n) {
    const double term = r / static_cast<double>(n);
    p = 1.0 + term * p;
  }
  return std::ldexp(p, static_cast<int>(k));
}

double det_log(double x) {
  if (!(x > 0.0)) return kLogOfNonPositive;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < kSqrtHalf) {
    m *= 2.0;
    e -= 1;
  }
  // log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1) / (m + 1).
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double sum = 0.0;
  for (int n = kLogSeriesTerms; n >= 0; --n) {
    sum = 1.0 / static_cast<double>(2 * n + 1) + s2 * sum;
  }
  const double log_m = 2.0 * s * sum;
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (log_m + de * kLn2Lo);
}

}  // namespace ecomon::demo::internal
