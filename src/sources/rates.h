// Transmission rates of pollution-source monitoring (数据传输有效率, spec 10) per device, outlet, enterprise
// and month:
//   传输率 (transmission)      = received / expected      实际传输(实收)数据个数 / 应传输(应收)数据个数
//   有效率 (validity)          = valid / received         by data flag: N, plus RateParams::extra_valid_flags
//   有效传输率 (effective)     = 传输率 × 有效率          达标 (pass) when >= 90 %
//   (RateParams::pass_threshold)
// Expected counts come from the device's reporting interval for the rated data kind (default 2061 hourly),
// from its registration on; slots in a registered stop period or reported with flag F (停运) are excluded.
// Records with the same DataTime count once. All rates are exact fractions; the percentages are rounded once,
// half to even (GB/T 8170), to RateParams::percent_digits (2). docs/sources.md states every rule and each
// UNCONFIRMED choice.
//
//   sources::RateParams params;                                    // hourly data, 90 %, ratio of sums
//   sources::TransmissionRate r = sources::device_transmission_rate(device,
//   sources::month_span(MonthKey::of(2024, 2)),
//                                                                  records, params);
//   if (r.verdict == sources::RateVerdict::kFail) warn(r.effective_percent->to_string());   // "87.36"
//   StatusOr<sources::MonthlyRateReport> all = sources::monthly_transmission_rates(registry, month, store,
//   params);
//
// Pure functions of their arguments; thread-safe. RecordSource is the narrow interface to the store.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/time.h"
#include "sources/record.h"
#include "sources/registry.h"

namespace ecomon::sources {

// How outlet and enterprise rates come from their devices' (spec 10 does not say: UNCONFIRMED).
enum class RateAggregation : uint8_t {
  kRatioOfSums,        // sum the counts of all devices, then divide (default; zkhf keeps realValid/mustValid
                       // counts)
  kMeanOfDeviceRates,  // the arithmetic mean of each device's rates (stopped devices left out)
};

// What one "data" is when counting (UNCONFIRMED).
enum class CountingUnit : uint8_t {
  kRecord,     // one record per slot; valid when every rated pollutant is in it with a valid flag (default)
  kPollutant,  // one value per slot and rated pollutant, each judged by its own flag
};

// How the effective rate is compared with the pass threshold (GB/T 8170-2008 §4.3: 全数值比较法 unless a
// standard says otherwise).
enum class PassComparison : uint8_t {
  kExactValue,    // the exact fraction (全数值比较法, default)
  kRoundedValue,  // the rounded percentage, as a screen shows it (修约值比较法)
};

// How 有效传输率 = 传输率 × 有效率 is multiplied (UNCONFIRMED).
enum class EffectiveProduct : uint8_t {
  kExactFractions,  // the exact fractions, rounded once at the end (default)
  kRoundedRates,    // the two rounded percentages, as a report table would multiply them
};

enum class RateVerdict : uint8_t {
  kPass,         // 达标: effective >= threshold
  kFail,         // 未达标
  kStopped,      // 停运: every slot of the period was stopped (nothing expected)
  kNotAssessed,  // inactive, registered after the period, not uploading the rated data kind, or no devices
};
std::string_view rate_verdict_name(RateVerdict v);  // "pass", "fail", "stopped", "not_assessed"

struct RateParams {
  DataKind data_kind = DataKind::kHourly;  // which uploads are counted (spec 10: hourly or daily)
  FlagSet extra_valid_flags;               // flags valid besides N (UNCONFIRMED mapping; default none)
  Rational pass_threshold{90, 100};        // 90 %
  int percent_digits = 2;                  // percentages as "98.39"
  RateAggregation aggregation = RateAggregation::kRatioOfSums;
  CountingUnit counting = CountingUnit::kRecord;
  PassComparison comparison = PassComparison::kExactValue;
  EffectiveProduct product = EffectiveProduct::kExactFractions;
  // Month to date: slots that end after this time are not due yet and are left out (not expected, not
  // counted), so the current month's rate is over its elapsed part. None: the whole period is due.
  std::optional<SourceTime> due_until;

  bool is_valid(DataFlag f) const { return f == DataFlag::kNormal || extra_valid_flags.contains(f); }
};
Status validate_rate_params(const RateParams& p);

// The counts behind a rate. slots = not_registered + stopped + expected; valid <= received <= expected.
struct RateCounts {
  int64_t slots = 0;  // data the period holds at the device's interval (× rated pollutants per pollutant)
  int64_t not_registered = 0;  // slots before the device's registration
  int64_t stopped = 0;         // slots in a registered stop period or reported with F (停运)
  int64_t expected = 0;        // 应传输(应收)数据个数
  int64_t received = 0;        // 实际传输(实收)数据个数
  int64_t valid = 0;           // 有效数据个数
  int64_t duplicates = 0;      // records with the DataTime of an earlier one (counted once)
  int64_t ignored = 0;  // records of the kind outside the period, before registration or in a stop period
  RateCounts& operator+=(const RateCounts& o);
  bool operator==(const RateCounts&) const = default;
};

struct TransmissionRate {
  RateCounts counts;
  std::optional<Rational> transmission;  // 传输率; none when nothing was expected
  std::optional<Rational> validity;      // 有效率; none when nothing was received
  std::optional<Rational> effective;  // 有效传输率; none when nothing was expected (0 when nothing received)
  std::optional<Decimal> transmission_percent;  // rounded, e.g. 98.39
  std::optional<Decimal> validity_percent;
  std::optional<Decimal> effective_percent;
  RateVerdict verdict = RateVerdict::kNotAssessed;
};

// The natural month as a time span [first day 00:00, first day of next month 00:00).
TimeSpan month_span(MonthKey month);

// One device over a period (a month, usually). `records` may hold other devices' and other kinds' records:
// only this device's records of params.data_kind count. Records need not be sorted.
TransmissionRate device_transmission_rate(const Device& device, TimeSpan period,
                                          std::span<const MonitoringRecord> records,
                                          const RateParams& params);
// Outlet or enterprise rate from its devices' rates (params.aggregation). Parts that are kNotAssessed are
// left out. Fails only when a mean's exact fraction does not fit 64 bits.
StatusOr<TransmissionRate> aggregate_transmission_rates(std::span<const TransmissionRate> parts,
                                                        const RateParams& params);

// The store, as the rates need it.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The device's records of `kind` with DataTime in [period.begin, period.end), any order, duplicates
  // allowed.
  virtual StatusOr<std::vector<MonitoringRecord>> records(const Device& device, DataKind kind,
                                                          TimeSpan period) = 0;
};

struct NamedRate {
  std::string id;  // MN, outlet id or enterprise id
  TransmissionRate rate;
};

struct MonthlyRateReport {
  MonthKey month;
  std::vector<NamedRate> devices;      // every registered device, by MN
  std::vector<NamedRate> outlets;      // every outlet, by id
  std::vector<NamedRate> enterprises;  // every enterprise, by id (all devices of all its outlets)
};

// Every device, outlet and enterprise of the registry for one month.
StatusOr<MonthlyRateReport> monthly_transmission_rates(const SourceRegistry& registry, MonthKey month,
                                                       RecordSource& source, const RateParams& params);

}  // namespace ecomon::sources
