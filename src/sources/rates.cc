#include "sources/rates.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

namespace ecomon::sources {
namespace {

constexpr int64_t kPercent = 100;
constexpr int kMaxPercentDigits = 9;  // round_half_even's bound

// ---- exact fractions that stay in 64 bits ----

int128 gcd128(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

bool fits64(int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

// num/den reduced; nullopt when it does not fit 64 bits after reduction. den > 0.
std::optional<Rational> reduced(int128 num, int128 den) {
  const int128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (!fits64(num) || !fits64(den)) return std::nullopt;
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

Rational fraction(int64_t num, int64_t den) { return *reduced(num, den); }  // counts always fit

Decimal percent_of(const Rational& r, int digits) {
  // Callers pass count ratios (small) or means checked by aggregate_transmission_rates().
  return round_half_even(*reduced(static_cast<int128>(r.num) * kPercent, r.den), digits);
}

// The arithmetic mean of fractions; nullopt on 64-bit overflow or when there are none.
std::optional<Rational> mean_of(const std::vector<Rational>& values) {
  if (values.empty()) return std::nullopt;
  std::optional<Rational> sum = Rational{0, 1};
  for (const Rational& v : values) {
    sum = reduced(static_cast<int128>(sum->num) * v.den + static_cast<int128>(v.num) * sum->den,
                  static_cast<int128>(sum->den) * v.den);
    if (!sum) return std::nullopt;
  }
  return reduced(sum->num, static_cast<int128>(sum->den) * static_cast<int64_t>(values.size()));
}

// ---- one slot's state; a later record only raises it: none < stopped < received invalid < valid ----
enum class SlotState : uint8_t { kNone, kStopped, kInvalid, kValid };

SlotState state_of_value(const PollutantValue* v, const RateParams& params) {
  if (!v) return SlotState::kNone;
  if (v->flag == DataFlag::kStopped) return SlotState::kStopped;
  return params.is_valid(v->flag) ? SlotState::kValid : SlotState::kInvalid;
}

// kRecord: stopped when a rated pollutant carries F; valid when every rated pollutant is there and valid.
SlotState state_of_record(const MonitoringRecord& r, const std::vector<const MonitoredPollutant*>& rated,
                          const RateParams& params) {
  bool all_valid = true;
  for (const MonitoredPollutant* p : rated) {
    const SlotState s = state_of_value(r.find(p->code), params);
    if (s == SlotState::kStopped) return SlotState::kStopped;
    all_valid = all_valid && s == SlotState::kValid;
  }
  return all_valid ? SlotState::kValid : SlotState::kInvalid;
}

void finish(TransmissionRate& rate, const RateParams& params) {
  const RateCounts& c = rate.counts;
  if (c.expected == 0) {
    rate.verdict = c.stopped > 0 ? RateVerdict::kStopped : RateVerdict::kNotAssessed;
    return;
  }
  rate.transmission = fraction(c.received, c.expected);
  rate.transmission_percent = percent_of(*rate.transmission, params.percent_digits);
  if (c.received > 0) {
    rate.validity = fraction(c.valid, c.received);
    rate.validity_percent = percent_of(*rate.validity, params.percent_digits);
  }
}

void set_effective(TransmissionRate& rate, const Rational& exact_effective, const RateParams& params) {
  if (params.product == EffectiveProduct::kRoundedRates) {
    const Rational t = rate.transmission_percent->to_rational();
    const Rational v = rate.validity_percent ? rate.validity_percent->to_rational() : Rational{0, 1};
    // (t/100) * (v/100): the rounded percentages multiplied as fractions.
    rate.effective = *reduced(static_cast<int128>(t.num) * v.num,
                              static_cast<int128>(t.den) * v.den * kPercent * kPercent);
  } else {
    rate.effective = exact_effective;
  }
  rate.effective_percent = percent_of(*rate.effective, params.percent_digits);
  bool pass = false;
  if (params.comparison == PassComparison::kRoundedValue) {
    const Rational threshold_percent =
        *reduced(static_cast<int128>(params.pass_threshold.num) * kPercent, params.pass_threshold.den);
    pass = rate.effective_percent->to_rational() >= threshold_percent;
  } else {
    pass = *rate.effective >= params.pass_threshold;
  }
  rate.verdict = pass ? RateVerdict::kPass : RateVerdict::kFail;
}

}  // namespace

std::string_view rate_verdict_name(RateVerdict v) {
  switch (v) {
    case RateVerdict::kPass:
      return "pass";
    case RateVerdict::kFail:
      return "fail";
    case RateVerdict::kStopped:
      return "stopped";
    case RateVerdict::kNotAssessed:
      return "not_assessed";
  }
  return "?";
}

Status validate_rate_params(const RateParams& p) {
  if (p.pass_threshold.den <= 0 || p.pass_threshold.num < 0 || p.pass_threshold.num > p.pass_threshold.den) {
    return invalid_argument("pass threshold must be a fraction between 0 and 1");
  }
  if (p.percent_digits < 0 || p.percent_digits > kMaxPercentDigits) {
    return invalid_argument("percent digits must be 0..9, got " + std::to_string(p.percent_digits));
  }
  if (p.extra_valid_flags.contains(DataFlag::kStopped) || p.extra_valid_flags.contains(DataFlag::kUnknown)) {
    return invalid_argument("F (停运) and unknown flags cannot count as valid");
  }
  return Status();
}

RateCounts& RateCounts::operator+=(const RateCounts& o) {
  slots += o.slots;
  not_registered += o.not_registered;
  stopped += o.stopped;
  expected += o.expected;
  received += o.received;
  valid += o.valid;
  duplicates += o.duplicates;
  ignored += o.ignored;
  return *this;
}

TimeSpan month_span(MonthKey month) {
  const CivilDay first = month.first_day();
  return {SourceTime::of(first), SourceTime::of(first + month.days())};
}

TransmissionRate device_transmission_rate(const Device& device, TimeSpan period,
                                          std::span<const MonitoringRecord> records,
                                          const RateParams& params) {
  TransmissionRate rate;
  if (!device.active || !device.intervals.uploads(params.data_kind) || !(period.begin < period.end))
    return rate;
  const int64_t interval = device.intervals.interval_seconds(params.data_kind);
  if (interval <= 0) return rate;

  std::vector<const MonitoredPollutant*> rated;
  for (const MonitoredPollutant& p : device.pollutants) {
    if (p.rated) rated.push_back(&p);
  }
  const bool per_pollutant = params.counting == CountingUnit::kPollutant;
  const size_t cells_per_slot = per_pollutant ? rated.size() : 1;
  if (cells_per_slot == 0) return rate;

  // The slot grid starts at the period's start; slot i is [begin + i*interval, begin + (i+1)*interval).
  int64_t slot_count = (period.end - period.begin + interval - 1) / interval;
  if (params.due_until) {
    // Only the slots that have ended by then: [begin, begin + n*interval) with begin + n*interval <=
    // due_until.
    const int64_t due = *params.due_until < period.begin ? 0 : (*params.due_until - period.begin) / interval;
    slot_count = std::min(slot_count, due);
  }
  enum class SlotKind : uint8_t { kExpected, kNotRegistered, kRegisteredStop };
  std::vector<SlotKind> kinds(static_cast<size_t>(slot_count), SlotKind::kExpected);
  for (int64_t i = 0; i < slot_count; ++i) {
    const TimeSpan slot{period.begin + i * interval, period.begin + (i + 1) * interval};
    if (slot.begin < device.registered_at) {
      kinds[static_cast<size_t>(i)] = SlotKind::kNotRegistered;
      continue;
    }
    const bool in_stop = std::any_of(device.stops.begin(), device.stops.end(),
                                     [&](const StopPeriod& s) { return s.span.overlaps(slot); });
    if (in_stop) kinds[static_cast<size_t>(i)] = SlotKind::kRegisteredStop;
  }

  std::vector<SlotState> cells(static_cast<size_t>(slot_count) * cells_per_slot, SlotState::kNone);
  std::unordered_set<int64_t> seen_times;
  for (const MonitoringRecord& r : records) {
    if (r.mn != device.mn || r.kind != params.data_kind) continue;
    if (!period.contains(r.data_time)) {
      ++rate.counts.ignored;
      continue;
    }
    if (!seen_times.insert(r.data_time.seconds).second) {
      ++rate.counts.duplicates;
      continue;
    }
    const auto slot = static_cast<size_t>((r.data_time - period.begin) / interval);
    if (slot >= kinds.size() || kinds[slot] != SlotKind::kExpected) {  // not due yet, or not expected
      ++rate.counts.ignored;
      continue;
    }
    if (per_pollutant) {
      for (size_t k = 0; k < rated.size(); ++k) {
        SlotState& cell = cells[slot * cells_per_slot + k];
        cell = std::max(cell, state_of_value(r.find(rated[k]->code), params));
      }
    } else {
      cells[slot] = std::max(cells[slot], state_of_record(r, rated, params));
    }
  }

  RateCounts& c = rate.counts;
  for (size_t i = 0; i < cells.size(); ++i) {
    ++c.slots;
    switch (kinds[i / cells_per_slot]) {
      case SlotKind::kNotRegistered:
        ++c.not_registered;
        continue;
      case SlotKind::kRegisteredStop:
        ++c.stopped;
        continue;
      case SlotKind::kExpected:
        break;
    }
    switch (cells[i]) {
      case SlotState::kStopped:
        ++c.stopped;
        continue;
      case SlotState::kNone:
        break;
      case SlotState::kInvalid:
        ++c.received;
        break;
      case SlotState::kValid:
        ++c.received;
        ++c.valid;
        break;
    }
    ++c.expected;
  }
  finish(rate, params);
  if (rate.transmission) set_effective(rate, fraction(c.valid, c.expected), params);
  return rate;
}

StatusOr<TransmissionRate> aggregate_transmission_rates(std::span<const TransmissionRate> parts,
                                                        const RateParams& params) {
  TransmissionRate total;
  for (const TransmissionRate& p : parts) {
    if (p.verdict != RateVerdict::kNotAssessed) total.counts += p.counts;
  }
  if (params.aggregation == RateAggregation::kRatioOfSums) {
    finish(total, params);
    if (total.transmission) set_effective(total, fraction(total.counts.valid, total.counts.expected), params);
    return total;
  }
  // Mean of device rates: each rate over the devices that have it.
  std::vector<Rational> transmissions, validities, effectives;
  for (const TransmissionRate& p : parts) {
    if (p.verdict == RateVerdict::kNotAssessed) continue;
    if (p.transmission) transmissions.push_back(*p.transmission);
    if (p.validity) validities.push_back(*p.validity);
    if (p.effective) effectives.push_back(*p.effective);
  }
  if (transmissions.empty()) {
    total.verdict = total.counts.stopped > 0 ? RateVerdict::kStopped : RateVerdict::kNotAssessed;
    return total;
  }
  const std::optional<Rational> t = mean_of(transmissions), e = mean_of(effectives);
  const std::optional<Rational> v = validities.empty() ? std::optional<Rational>() : mean_of(validities);
  auto percent_fits = [](const std::optional<Rational>& r) {
    return r && reduced(static_cast<int128>(r->num) * kPercent, r->den).has_value();
  };
  if (!percent_fits(t) || !percent_fits(e) || (!validities.empty() && !percent_fits(v))) {
    return internal_error("mean of " + std::to_string(transmissions.size()) +
                          " device rates does not fit an exact 64-bit fraction; use the ratio of sums");
  }
  total.transmission = t;
  total.transmission_percent = percent_of(*t, params.percent_digits);
  if (v) {
    total.validity = v;
    total.validity_percent = percent_of(*v, params.percent_digits);
  }
  // The mean of the devices' effective rates (not the product of the means); kRoundedRates already applied
  // per device, so the exact mean is used here.
  RateParams exact = params;
  exact.product = EffectiveProduct::kExactFractions;
  set_effective(total, *e, exact);
  return total;
}

StatusOr<MonthlyRateReport> monthly_transmission_rates(const SourceRegistry& registry, MonthKey month,
                                                       RecordSource& source, const RateParams& params) {
  ECOMON_RETURN_IF_ERROR(validate_rate_params(params));
  MonthlyRateReport report;
  report.month = month;
  const TimeSpan period = month_span(month);
  std::map<std::string, TransmissionRate, std::less<>> by_mn;
  for (const Device* d : registry.devices()) {
    TransmissionRate r;
    if (d->active && d->intervals.uploads(params.data_kind)) {
      StatusOr<std::vector<MonitoringRecord>> recs = source.records(*d, params.data_kind, period);
      if (!recs.ok()) return recs.status().with_context("records of device " + d->mn);
      r = device_transmission_rate(*d, period, *recs, params);
    }
    by_mn[d->mn] = r;
    report.devices.push_back({d->mn, r});
  }
  std::map<std::string, std::vector<TransmissionRate>, std::less<>> by_enterprise;
  for (const Outlet* o : registry.outlets()) {
    std::vector<TransmissionRate> parts;
    for (const Device* d : registry.devices_of(o->id)) parts.push_back(by_mn[d->mn]);
    StatusOr<TransmissionRate> agg = aggregate_transmission_rates(parts, params);
    if (!agg.ok()) return agg.status().with_context("outlet " + o->id);
    report.outlets.push_back({o->id, *agg});
    auto& ent = by_enterprise[o->enterprise_id];
    ent.insert(ent.end(), parts.begin(), parts.end());
  }
  for (const Enterprise* e : registry.enterprises()) {
    StatusOr<TransmissionRate> agg = aggregate_transmission_rates(by_enterprise[e->id], params);
    if (!agg.ok()) return agg.status().with_context("enterprise " + e->id);
    report.enterprises.push_back({e->id, *agg});
  }
  return report;
}

}  // namespace ecomon::sources
