// Live power events (issue 22): power::treatment_not_running's rule (治污设施未同步运行) and
// production_during_stop's judged reading by reading as the readings arrive (the gateway's live events), so
// that an event opens as soon as its run has lasted min_seconds and closes at the first reading that ends it
// — the same opening and closing times as the rules over the whole period (power_rules.h) when the readings
// come in time order. Pure: no clock, no store.
//
//   power::TreatmentTracker tracker({.treatment = {.min_seconds = 900}});
//   tracker.set_lines(lines);                                  // metered lines (the registry), kept state
//   for (const auto& t : tracker.feed("E01/T1", at, kw)) store(t);  // opens and closes
//   power::StopTracker stops({});
//   stops.set_lines(lines); stops.set_orders(orders);          // the stop orders of the warnings in force
//   for (const auto& t : stops.feed("E01/P1", at, kw)) store(t);
//
// A time stamp of a (treatment, production) pair is judged once both lines have a reading at it. A reading
// older than the pair's last judged time is late and ignored (`ecomon power check` recomputes the period); a
// reading whose partner has not come within max_wait_s of the newest reading of the pair is dropped (a gap:
// the run ends there, as in the rule). Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "power/power_rules.h"

namespace ecomon::power {

struct TrackerParams {
  TreatmentParams treatment;
  int64_t max_wait_s = 3600;  // a reading waits this long for its partner line's (default 1 h)
};
Status validate_tracker_params(const TrackerParams& p);

// An event opened (closed empty) or closed (closed set) by a reading. `kw` and `running_kw`: the power of the
// line judged (treatment: the treatment line; stop: the production line) at that reading, and its threshold.
struct PowerTransition {
  bool open = true;
  PowerEvent event;  // rule "treatment_not_running", enterprise, line (production), related (treatment)
  Decimal kw, running_kw;
};

// One run of consecutive time stamps (interval apart) where a rule's condition holds (power_rules.cc's Runs,
// a step at a time); an event once it lasts min_seconds.
struct LiveRun {
  bool in_run = false, emitted = false, restored = false;
  int64_t first = 0, last = 0, count = 0;
  struct Step {
    bool opened = false;
    std::optional<int64_t> closed;  // the event's closing time
    int64_t first = 0, count = 0;   // the event's opening and readings (before the step, for a close)
  };
  // The close (if any) comes before the open in the returned pair: a step can end one event and open no
  // other (a new run needs min_seconds unless min_seconds <= interval).
  std::pair<Step, Step> step(int64_t t, bool condition, int64_t interval_s, int64_t min_seconds);
  void restore(int64_t opened) {
    in_run = emitted = restored = true;
    first = last = opened;
    count = 0;
  }
};

class TreatmentTracker {
 public:
  explicit TreatmentTracker(TrackerParams params = {}) : params_(params) {}
  // The lines (all of them; production lines are found by id). Pairs still present keep their state; a
  // treatment line serving an unknown or non-production line, or one of another interval, is skipped.
  void set_lines(const std::vector<MeteredLine>& lines);
  // An event known from before (a restart: the store's open event of the pair): the pair's run is open
  // since `opened`, continued by its next judged time stamp if the condition holds there, else closed then.
  void restore_open(const std::string& treatment, const std::string& production, SourceTime opened);
  // One reading; the transitions it causes (in time order).
  std::vector<PowerTransition> feed(const std::string& line, SourceTime at, Decimal kw);
  // The (treatment, production) pairs whose run is open as an event now.
  std::vector<std::pair<std::string, std::string>> open_pairs() const;

 private:
  struct Pair {
    const MeteredLine* treatment = nullptr;
    const MeteredLine* production = nullptr;
    std::map<int64_t, int64_t> prod, treat;  // pending readings: time -> milli-kW
    std::optional<int64_t> judged;           // the last time stamp judged
    LiveRun run;
  };
  void judge(Pair& p, int64_t t, int64_t treat_milli, bool condition, std::vector<PowerTransition>& out);
  void advance(Pair& p, std::vector<PowerTransition>& out);

  TrackerParams params_;
  std::vector<MeteredLine> lines_;
  std::map<std::pair<std::string, std::string>, Pair> pairs_;  // (treatment, production)
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> of_line_;  // line -> its pairs
};

// Production during a stop order: per order, the run of its line's readings inside it (after the grace)
// where the line runs; a run going on when the order ends closes at its end once a reading reaches it.
class StopTracker {
 public:
  explicit StopTracker(StopParams params = {}) : params_(params) {}
  void set_lines(const std::vector<MeteredLine>& lines);
  // The orders now (an order is known by line, begin and reason; one still present keeps its state, its end
  // updated: a warning in force ends when the next is declared).
  void set_orders(const std::vector<StopOrder>& orders);
  // The store's open event of `line` opened at `opened`: taken back by the order whose span holds it.
  void restore_open(const std::string& line, SourceTime opened);
  std::vector<PowerTransition> feed(const std::string& line, SourceTime at, Decimal kw);

 private:
  struct Order {
    StopOrder order;
    std::optional<int64_t> judged;
    LiveRun run;
  };
  StopParams params_;
  std::map<std::string, MeteredLine> lines_;                               // production lines by id
  std::map<std::tuple<std::string, int64_t, std::string>, Order> orders_;  // (line, begin, reason)
};

}  // namespace ecomon::power
