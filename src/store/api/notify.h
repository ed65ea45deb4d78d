// The duty officers' side of pollution-source events (issue 20): acknowledgements (who, when, note) and the
// notifications — rules per role and county, the outbox of deliveries, and every delivery attempt.
//
//   NotifyStore& n = stores.notify();
//   n.acknowledge({.event = {mn, "exceedance", "a21026", 20261207081500}, .by = "zhang", .at_ms = now,
//                  .note = "已通知企业"});
//   auto acks = n.acks(20261206000000, 20261207235959);      // events opened in that span
//   auto id = n.add_rule({.role = "county", .county = "泽州县", .kinds = "exceedance,silence",
//                         .levels = "open,escalation", .channel = "webhook", .target = url, ...});
//   n.enqueue(jobs, now);                                     // a job per (rule, event, level), once
//   for (auto& j : *n.claim_due(now, 50, lease)) { ...deliver...; n.record_attempt(j.id, outcome, next); }
//
// Times of events are civil (Beijing) yyyymmddhhmmss digits as in source_event; *_ms are UTC ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/status.h"

namespace ecomon {

// An event as the source_event table keys it (kind: exceedance, silence, flag_fault; pollutant "" for
// silence).
struct EventRef {
  std::string mn;
  std::string kind;
  std::string pollutant;
  int64_t opened_at = 0;  // yyyymmddhhmmss (civil)
  bool operator<(const EventRef& o) const {
    return std::tie(mn, kind, pollutant, opened_at) < std::tie(o.mn, o.kind, o.pollutant, o.opened_at);
  }
  bool operator==(const EventRef& o) const = default;
};

struct EventAck {
  EventRef event;
  std::string by;  // login of who acknowledged
  int64_t at_ms = 0;
  std::string note;
};

// Who is told of which events, and how. `role` names whose duty it is (admin, analyst, county); a county
// rule covers its county's devices only, a rule of the bureau every county unless `county` narrows it.
struct NotifyRule {
  int64_t id = 0;
  std::string role;
  std::string county;   // "" = every county
  std::string kinds;    // comma-separated: exceedance, silence, flag_fault
  std::string levels;   // comma-separated: open (an event opened), escalation (left unacknowledged)
  std::string channel;  // webhook | email
  std::string target;   // the webhook's http(s) URL, or the e-mail address
  std::string created_by;
  int64_t created_ms = 0;
};

// One notification of one event at one level through one rule: sent once, retried until it goes or gives up.
struct NotifyJob {
  int64_t id = 0;
  int64_t rule_id = 0;
  EventRef event;
  std::string level;    // open | escalation
  std::string channel;  // copied from the rule when queued
  std::string target;
  std::string payload;  // the JSON body the webhook gets (the e-mail's text is made from it)
  int attempts = 0;
  int64_t next_ms = 0;  // due at
  std::string state;    // pending | sent | failed (gave up)
  int64_t created_ms = 0;
};

// One delivery attempt (the notification log).
struct NotifyAttempt {
  int64_t job_id = 0;
  int attempt = 0;  // 1, 2, ...
  int64_t at_ms = 0;
  bool ok = false;
  std::string detail;  // "HTTP 200", "HTTP 500", "timeout after 2000 ms", "250 OK", ...
  int64_t took_ms = 0;
};

// An attempt with its job (what `ecomon notify log` and GET /api/notify/log show).
struct NotifyLogEntry {
  NotifyAttempt attempt;
  NotifyJob job;
};

struct NotifyLogQuery {
  std::string mn;        // "" = every device
  int64_t rule_id = 0;   // 0 = every rule
  int64_t since_ms = 0;  // attempts at or after
  int64_t limit = 100;   // the newest this many
};

class NotifyStore {
 public:
  virtual ~NotifyStore() = default;

  // ---- acknowledgements
  // Stores `a` as the event's acknowledgement (a later one replaces it: the newest wins).
  virtual Status acknowledge(const EventAck& a) = 0;
  // The acknowledgements of events opened in [opened_from, opened_to] (digits), by event.
  virtual StatusOr<std::vector<EventAck>> acks(int64_t opened_from, int64_t opened_to) = 0;

  // ---- rules
  // Adds `r` (its id and nothing else ignored); returns the new id.
  virtual StatusOr<int64_t> add_rule(const NotifyRule& r) = 0;
  // Removes a rule (its jobs and log stay); false when there was none with that id.
  virtual StatusOr<bool> remove_rule(int64_t id) = 0;
  // Every rule, by id.
  virtual StatusOr<std::vector<NotifyRule>> rules() = 0;

  // ---- the outbox and the log
  // Queues each job unless one of the same rule, event and level was queued before (then it is left as it
  // is); state pending, no attempts, due at its next_ms. Returns how many were queued.
  virtual StatusOr<int64_t> enqueue(const std::vector<NotifyJob>& jobs) = 0;
  // Claims the pending jobs due at now_ms (next_ms <= now_ms), oldest due first, at most `limit`: in one
  // transaction their next_ms moves to now_ms + lease_ms, so another worker on the same store (a second
  // `serve`) does not take them too; record_attempt then sets the real next due time. The jobs come back as
  // they were before the claim. A worker that dies holding a claim delays its jobs by lease_ms; they are then
  // due again (at-least-once delivery).
  virtual StatusOr<std::vector<NotifyJob>> claim_due(int64_t now_ms, int64_t limit, int64_t lease_ms) = 0;
  // Logs attempt `a` and sets its job's attempts, state and next due time, in one transaction.
  virtual Status record_attempt(const NotifyAttempt& a, const std::string& state, int64_t next_ms) = 0;
  // The newest attempts (newest first) with their jobs.
  virtual StatusOr<std::vector<NotifyLogEntry>> log(const NotifyLogQuery& q) = 0;
};

}  // namespace ecomon
