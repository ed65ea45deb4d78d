#include "emergency/compliance_period.h"

#include <optional>

namespace ecomon {
namespace {

// The last warning episode in the history: from its declaration to its lift (or still in force: `to` empty),
// and the highest level it reached.
struct Episode {
  emergency::WarningLevel level = emergency::WarningLevel::kNone;
  std::string from, to;
};
std::optional<Episode> last_episode(const std::vector<emergency::WarningEvent>& h) {
  std::optional<Episode> ep;
  for (const emergency::WarningEvent& e : h) {
    if (e.action == emergency::WarningAction::kDeclare) ep = Episode{e.level, e.effective_from, ""};
    if (!ep) continue;
    if (e.action == emergency::WarningAction::kLift) {
      ep->to = e.effective_from;
    } else if (e.level > ep->level) {
      ep->level = e.level;
    }
  }
  return ep;
}

StatusOr<sources::SourceTime> parse_time(const std::string& what, const std::string& text) {
  auto t = sources::SourceTime::parse(text);
  if (!t.ok()) return invalid_argument(what + " '" + text + "' is not YYYY-MM-DD hh:mm");
  return *t;
}

}  // namespace

StatusOr<CompliancePeriod> resolve_compliance_period(const std::vector<emergency::WarningEvent>& history,
                                                     const ComplianceQuery& q) {
  const std::optional<Episode> ep = last_episode(history);
  std::string from = q.from, to = q.to;
  emergency::WarningLevel level = ep ? ep->level : emergency::WarningLevel::kNone;
  if (from.empty() && ep) from = ep->from;
  if (to.empty() && ep && q.from.empty()) to = ep->to;
  if (!q.level.empty()) {
    std::optional<emergency::WarningLevel> l = emergency::parse_level(q.level);
    if (!l || *l == emergency::WarningLevel::kNone)
      return invalid_argument("level '" + q.level + "' is not yellow, orange or red");
    level = *l;
  }
  if (level == emergency::WarningLevel::kNone || from.empty() || to.empty())
    return failed_precondition("no finished warning in the history: give level, from and to");
  auto wf = parse_time("from", from), wt = parse_time("to", to);
  if (!wf.ok()) return wf.status();
  if (!wt.ok()) return wt.status();
  if (!(*wf < *wt)) return invalid_argument("the warning period " + from + " .. " + to + " is empty");
  CompliancePeriod p{level, {*wf, *wt}, {}};
  auto bt =
      q.baseline_to.empty() ? StatusOr<sources::SourceTime>(*wf) : parse_time("baseline_to", q.baseline_to);
  if (!bt.ok()) return bt.status();
  auto bf = q.baseline_from.empty() ? StatusOr<sources::SourceTime>(*bt - (*wt - *wf))
                                    : parse_time("baseline_from", q.baseline_from);
  if (!bf.ok()) return bf.status();
  if (!(*bf < *bt)) return invalid_argument("the baseline period is empty");
  p.baseline = {*bf, *bt};
  return p;
}

int flagged_count(const ComplianceReport& r) {
  int flagged = 0;
  for (const emergency::ComplianceResult& x : r.results)
    flagged += x.verdict == emergency::Verdict::kNotCutting || x.verdict == emergency::Verdict::kInspectedNot;
  return flagged;
}

}  // namespace ecomon
