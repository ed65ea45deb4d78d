#include "power/power_rules.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace ecomon::power {
namespace {

constexpr int64_t kSecondsPerDay = 86400, kSecondsPerHour = 3600, kPercent = 100;

// The readings of a line by time, the first of a repeated time kept.
std::map<int64_t, int64_t> by_time(const std::vector<Reading>& readings) {
  std::map<int64_t, int64_t> out;
  for (const Reading& r : readings) out.emplace(r.at.seconds, r.kw.to_milli());
  return out;
}

// num/den in lowest terms, den > 0, computed on 128 bits (the products of two means overflow 64).
Rational lowest(int128 num, int128 den) {
  if (den < 0) num = -num, den = -den;
  int128 a = num < 0 ? -num : num, b = den;
  while (b != 0) a = std::exchange(b, a % b);
  if (a > 1) num /= a, den /= a;
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

const MeteredLine* find(const std::vector<MeteredLine>& lines, const std::string& id) {
  for (const MeteredLine& l : lines) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

const std::vector<Reading>& readings_of(const Readings& all, const std::string& id) {
  static const std::vector<Reading> kNone;
  auto it = all.find(id);
  return it == all.end() ? kNone : it->second;
}

// Collects runs of consecutive true steps (step = interval) into events lasting at least min_seconds. A step
// is (time, condition); a time missing between two steps ends the run there.
class Runs {
 public:
  Runs(PowerEvent base, int64_t interval_s, int64_t min_seconds)
      : base_(std::move(base)), interval_s_(interval_s), min_seconds_(min_seconds) {}
  void step(int64_t t, bool condition) {
    if (open_ && (!condition || t != last_ + interval_s_)) end(t);
    if (condition) {
      if (!open_) {
        open_ = true;
        first_ = t;
        count_ = 0;
      }
      ++count_;
      last_ = t;
    }
  }
  // The run still going ends at `at` (none: open at the last reading).
  std::vector<PowerEvent> finish(std::optional<int64_t> at) {
    if (open_) {
      open_ = false;
      keep(at);
    }
    return std::move(events_);
  }

 private:
  void end(int64_t t) {
    open_ = false;
    // Ended by a gap: the run closes where its last reading's interval ends; by the condition: at t.
    keep(t == last_ + interval_s_ ? t : last_ + interval_s_);
  }
  void keep(std::optional<int64_t> closed) {
    if (count_ * interval_s_ < min_seconds_) return;
    PowerEvent e = base_;
    e.opened = SourceTime::of_seconds(first_);
    if (closed) e.closed = SourceTime::of_seconds(*closed);
    e.readings = count_;
    events_.push_back(std::move(e));
  }
  PowerEvent base_;
  int64_t interval_s_, min_seconds_;
  bool open_ = false;
  int64_t first_ = 0, last_ = 0, count_ = 0;
  std::vector<PowerEvent> events_;
};

}  // namespace

StatusOr<std::vector<PowerEvent>> treatment_not_running(const std::vector<MeteredLine>& lines,
                                                        const Readings& readings,
                                                        const TreatmentParams& params) {
  std::vector<PowerEvent> out;
  for (const MeteredLine& t : lines) {
    if (t.role != LineRole::kTreatment) continue;
    const auto treat = by_time(readings_of(readings, t.id));
    for (const std::string& pid : t.serves) {
      const MeteredLine* p = find(lines, pid);
      if (!p || p->role != LineRole::kProduction)
        return invalid_argument("treatment line " + t.id + " serves '" + pid + "', not a production line");
      if (p->interval_s != t.interval_s || t.interval_s <= 0)
        return invalid_argument("treatment line " + t.id + " and production line " + pid +
                                " have different reading intervals");
      const auto prod = by_time(readings_of(readings, pid));
      Runs runs({"treatment_not_running", t.enterprise, pid, t.id, {}, std::nullopt, 0}, t.interval_s,
                params.min_seconds);
      const int64_t prod_on = p->running_kw.to_milli(), treat_on = t.running_kw.to_milli();
      for (const auto& [time, kw] : prod) {
        auto other = treat.find(time);
        if (other == treat.end()) continue;  // no treatment reading: a gap (Runs sees the missing step)
        runs.step(time, kw >= prod_on && other->second < treat_on);
      }
      for (PowerEvent& e : runs.finish(std::nullopt)) out.push_back(std::move(e));
    }
  }
  return out;
}

StatusOr<std::vector<PowerEvent>> production_during_stop(const std::vector<MeteredLine>& lines,
                                                         const Readings& readings,
                                                         const std::vector<StopOrder>& orders,
                                                         const StopParams& params) {
  std::vector<PowerEvent> out;
  for (const StopOrder& o : orders) {
    const MeteredLine* p = find(lines, o.line);
    if (!p || p->role != LineRole::kProduction)
      return invalid_argument("stop order for '" + o.line + "', not a metered production line");
    if (p->interval_s <= 0) return invalid_argument("production line " + p->id + ": no reading interval");
    const int64_t from = o.span.begin.seconds + params.grace_seconds, to = o.span.end.seconds;
    Runs runs({"production_during_stop", p->enterprise, p->id, o.reason, {}, std::nullopt, 0}, p->interval_s,
              params.min_seconds);
    const int64_t on = p->running_kw.to_milli();
    for (const auto& [time, kw] : by_time(readings_of(readings, p->id))) {
      if (time < from || time >= to) continue;
      runs.step(time, kw >= on);
    }
    // A run going on when the order ends closes at its end, when the readings reach it (a run ended by a gap
    // before it closes where its last reading's interval ends, as everywhere).
    const auto& rs = readings_of(readings, p->id);
    if (std::any_of(rs.begin(), rs.end(), [&](const Reading& r) { return r.at.seconds >= to; }))
      runs.step(to, false);
    for (PowerEvent& e : runs.finish(std::nullopt)) out.push_back(std::move(e));
  }
  return out;
}

ReadingSum reading_sum(const std::vector<Reading>& readings, TimeSpan span) {
  ReadingSum sum;
  for (const auto& [time, kw] : by_time(readings)) {
    if (time < span.begin.seconds || time >= span.end.seconds) continue;
    sum.milli_kw += kw;
    ++sum.readings;
  }
  return sum;
}

Energy energy(const MeteredLine& line, ReadingSum sum, TimeSpan span) {
  Energy e;
  e.readings = sum.readings;
  e.kwh = lowest(int128{sum.milli_kw} * line.interval_s, int128{kMilliPerUnit} * kSecondsPerHour);
  e.expected = line.interval_s > 0 ? (span.end.seconds - span.begin.seconds) / line.interval_s : 0;
  return e;
}

Energy energy(const MeteredLine& line, const std::vector<Reading>& readings, TimeSpan span) {
  return energy(line, reading_sum(readings, span), span);
}

std::string_view cut_verdict_name(CutVerdict v) {
  switch (v) {
    case CutVerdict::kCutting:
      return "cutting";
    case CutVerdict::kNotCutting:
      return "not_cutting";
    case CutVerdict::kInsufficientData:
      return "insufficient_data";
  }
  return "?";
}

TimeSpan cut_baseline(TimeSpan warning, const CutParams& params) {
  return {SourceTime::of_seconds(warning.begin.seconds - params.baseline_days * kSecondsPerDay),
          warning.begin};
}

CutCompliance cut_compliance(const MeteredLine& line, const std::vector<Reading>& readings, TimeSpan warning,
                             int required_percent, const CutParams& params) {
  return cut_compliance(line, reading_sum(readings, cut_baseline(warning, params)),
                        reading_sum(readings, warning), warning, required_percent, params);
}

CutCompliance cut_compliance(const MeteredLine& line, ReadingSum baseline, ReadingSum during,
                             TimeSpan warning, int required_percent, const CutParams& params) {
  CutCompliance c;
  c.required_percent = required_percent;
  c.baseline = energy(line, baseline, cut_baseline(warning, params));
  c.during = energy(line, during, warning);
  auto covered = [&](const Energy& e) {
    return e.expected > 0 && e.readings * kPercent >= int64_t{params.min_coverage_percent} * e.expected;
  };
  // Mean power = kWh / hours covered, hours = readings × interval / 3600.
  auto mean_kw = [&](const Energy& e) -> std::optional<Rational> {
    if (e.readings == 0) return std::nullopt;
    return lowest(int128{e.kwh.num} * kSecondsPerHour, int128{e.kwh.den} * e.readings * line.interval_s);
  };
  c.baseline_kw = mean_kw(c.baseline);
  c.during_kw = mean_kw(c.during);
  if (!covered(c.baseline) || !covered(c.during) || !c.baseline_kw || c.baseline_kw->num <= 0) return c;
  // 1 - during / baseline = (b_num × d_den - d_num × b_den) / (b_num × d_den).
  const Rational& b = *c.baseline_kw;
  const Rational& d = *c.during_kw;
  c.achieved_cut = lowest(int128{b.num} * d.den - int128{d.num} * b.den, int128{b.num} * d.den);
  c.verdict = Rational{c.achieved_cut->num * kPercent, c.achieved_cut->den} >= Rational{required_percent, 1}
                  ? CutVerdict::kCutting
                  : CutVerdict::kNotCutting;
  return c;
}

std::vector<PowerEvent> sites_drawing_power(const std::vector<ClosedSite>& sites,
                                            const std::vector<DailyEnergy>& days, const SiteParams& params) {
  std::vector<PowerEvent> out;
  for (const ClosedSite& s : sites) {
    std::map<int32_t, Decimal> by_day;  // the first figure of a repeated day
    for (const DailyEnergy& d : days) {
      if (d.meter == s.meter) by_day.emplace(d.day.days_since_epoch(), d.kwh);
    }
    const int32_t first = s.closed_since.day().days_since_epoch() + 1;
    Runs runs({"site_drawing_power", s.id, s.meter, s.name, {}, std::nullopt, 0}, kSecondsPerDay, 0);
    for (const auto& [day, kwh] : by_day) {
      if (day < first) continue;
      runs.step(SourceTime::of(CivilDay::from_days(day)).seconds, kwh > params.max_kwh_per_day);
    }
    for (PowerEvent& e : runs.finish(std::nullopt)) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace ecomon::power
