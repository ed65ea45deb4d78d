#include "power/power_tracker.h"

#include <algorithm>
#include <limits>

namespace ecomon::power {

Status validate_tracker_params(const TrackerParams& p) {
  if (p.treatment.min_seconds < 0)
    return invalid_argument("min_seconds must not be negative, got " +
                            std::to_string(p.treatment.min_seconds));
  if (p.max_wait_s < 0)
    return invalid_argument("max_wait_s must not be negative, got " + std::to_string(p.max_wait_s));
  return Status();
}

void TreatmentTracker::set_lines(const std::vector<MeteredLine>& lines) {
  lines_ = lines;
  std::map<std::string, const MeteredLine*> by_id;
  for (const MeteredLine& l : lines_) by_id[l.id] = &l;
  std::map<std::pair<std::string, std::string>, Pair> kept;
  of_line_.clear();
  for (const MeteredLine& t : lines_) {
    if (t.role != LineRole::kTreatment || t.interval_s <= 0) continue;
    for (const std::string& pid : t.serves) {
      auto it = by_id.find(pid);
      if (it == by_id.end() || it->second->role != LineRole::kProduction ||
          it->second->interval_s != t.interval_s)
        continue;
      const std::pair<std::string, std::string> key{t.id, pid};
      auto old = pairs_.find(key);
      Pair p = old == pairs_.end() ? Pair{} : std::move(old->second);
      p.treatment = &t;
      p.production = it->second;
      kept.emplace(key, std::move(p));
      of_line_[t.id].push_back(key);
      of_line_[pid].push_back(key);
    }
  }
  pairs_ = std::move(kept);
}

std::pair<LiveRun::Step, LiveRun::Step> LiveRun::step(int64_t t, bool condition, int64_t interval_s,
                                                      int64_t min_seconds) {
  std::pair<Step, Step> out;
  const bool continues = restored || t == last + interval_s;
  if (in_run && (!condition || !continues)) {
    // Ended by the condition: at t; by a gap: where the last reading's interval ends.
    if (emitted) out.first = {false, continues ? t : last + interval_s, first, count};
    in_run = emitted = restored = false;
  }
  if (condition) {
    if (!in_run) {
      in_run = true;
      emitted = false;
      first = t;
      count = 0;
    }
    restored = false;
    ++count;
    last = t;
    if (!emitted && count * interval_s >= min_seconds) {
      emitted = true;
      out.second = {true, std::nullopt, first, count};
    }
  }
  return out;
}

void TreatmentTracker::restore_open(const std::string& treatment, const std::string& production,
                                    SourceTime opened) {
  auto it = pairs_.find({treatment, production});
  if (it != pairs_.end()) it->second.run.restore(opened.seconds);
}

std::vector<PowerTransition> TreatmentTracker::feed(const std::string& line, SourceTime at, Decimal kw) {
  std::vector<PowerTransition> out;
  auto keys = of_line_.find(line);
  if (keys == of_line_.end()) return out;
  for (const auto& key : keys->second) {
    Pair& p = pairs_.at(key);
    if (p.judged && at.seconds <= *p.judged) continue;  // late, or judged already
    auto& side = line == key.first ? p.treat : p.prod;
    side.emplace(at.seconds, kw.to_milli());
    advance(p, out);
  }
  return out;
}

// Judges the earliest time stamps both lines have, dropping a reading whose partner is missing once the
// partner line has moved past it or max_wait_s has gone by since.
void TreatmentTracker::advance(Pair& p, std::vector<PowerTransition>& out) {
  const int64_t prod_on = p.production->running_kw.to_milli(), treat_on = p.treatment->running_kw.to_milli();
  while (!p.prod.empty() && !p.treat.empty()) {
    auto a = p.prod.begin();
    auto b = p.treat.begin();
    if (a->first < b->first) {
      p.prod.erase(a);
    } else if (b->first < a->first) {
      p.treat.erase(b);
    } else {
      judge(p, a->first, b->second, a->second >= prod_on && b->second < treat_on, out);
      p.prod.erase(a);
      p.treat.erase(b);
    }
  }
  int64_t newest = 0;
  if (!p.prod.empty()) newest = std::max(newest, p.prod.rbegin()->first);
  if (!p.treat.empty()) newest = std::max(newest, p.treat.rbegin()->first);
  for (auto* side : {&p.prod, &p.treat}) {
    while (!side->empty() && side->begin()->first < newest - params_.max_wait_s) side->erase(side->begin());
  }
}

namespace {

// The transitions of a step, in order: the close, then the open.
void emit(const std::pair<LiveRun::Step, LiveRun::Step>& st, const PowerEvent& base, Decimal kw,
          Decimal running_kw, std::vector<PowerTransition>& out) {
  for (const LiveRun::Step* s : {&st.first, &st.second}) {
    if (!s->opened && !s->closed) continue;
    PowerTransition tr{s->opened, base, kw, running_kw};
    tr.event.opened = SourceTime::of_seconds(s->first);
    tr.event.readings = s->count;
    if (s->closed) tr.event.closed = SourceTime::of_seconds(*s->closed);
    out.push_back(std::move(tr));
  }
}

}  // namespace

void TreatmentTracker::judge(Pair& p, int64_t t, int64_t treat_milli, bool condition,
                             std::vector<PowerTransition>& out) {
  const auto st = p.run.step(t, condition, p.treatment->interval_s, params_.treatment.min_seconds);
  emit(st,
       {"treatment_not_running",
        p.treatment->enterprise,
        p.production->id,
        p.treatment->id,
        {},
        std::nullopt,
        0},
       Decimal::of_milli(treat_milli), p.treatment->running_kw, out);
  p.judged = t;
}

std::vector<std::pair<std::string, std::string>> TreatmentTracker::open_pairs() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, p] : pairs_) {
    if (p.run.in_run && p.run.emitted) out.push_back(key);
  }
  return out;
}

void StopTracker::set_lines(const std::vector<MeteredLine>& lines) {
  lines_.clear();
  for (const MeteredLine& l : lines) {
    if (l.role == LineRole::kProduction && l.interval_s > 0) lines_.emplace(l.id, l);
  }
}

void StopTracker::set_orders(const std::vector<StopOrder>& orders) {
  std::map<std::tuple<std::string, int64_t, std::string>, Order> kept;
  for (const StopOrder& o : orders) {
    auto key = std::make_tuple(o.line, o.span.begin.seconds, o.reason);
    auto old = orders_.find(key);
    Order x = old == orders_.end() ? Order{} : std::move(old->second);
    x.order = o;
    kept.emplace(std::move(key), std::move(x));
  }
  orders_ = std::move(kept);
}

void StopTracker::restore_open(const std::string& line, SourceTime opened) {
  for (auto& [key, o] : orders_) {
    if (o.order.line == line && o.order.span.begin <= opened && opened < o.order.span.end) {
      o.run.restore(opened.seconds);
      return;
    }
  }
}

std::vector<PowerTransition> StopTracker::feed(const std::string& line, SourceTime at, Decimal kw) {
  std::vector<PowerTransition> out;
  auto l = lines_.find(line);
  if (l == lines_.end()) return out;
  const MeteredLine& p = l->second;
  for (auto it =
           orders_.lower_bound(std::make_tuple(line, std::numeric_limits<int64_t>::min(), std::string()));
       it != orders_.end() && std::get<0>(it->first) == line; ++it) {
    Order& o = it->second;
    const int64_t from = o.order.span.begin.seconds + params_.grace_seconds, to = o.order.span.end.seconds;
    if (at.seconds < from || (o.judged && at.seconds <= *o.judged)) continue;
    // A reading at or after the end: the run going on closes at the end (power_rules.cc).
    const bool after = at.seconds >= to;
    const int64_t t = after ? to : at.seconds;
    if (after && o.judged && *o.judged >= to) continue;
    const auto st =
        o.run.step(t, !after && kw.to_milli() >= p.running_kw.to_milli(), p.interval_s, params_.min_seconds);
    emit(st, {"production_during_stop", p.enterprise, p.id, o.order.reason, {}, std::nullopt, 0}, kw,
         p.running_kw, out);
    o.judged = t;
  }
  return out;
}

}  // namespace ecomon::power
