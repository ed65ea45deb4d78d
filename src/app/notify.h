// The duty officers' services over pollution-source events (issue 20): acknowledging an event (who, when,
// note, kept in the store so that the duty view and the escalation read it), and notifications — rules per
// role and county (which event kinds and levels, to whom), the planning of deliveries (an event opened; an
// event left unacknowledged escalation_after), their retries with exponential back-off, and the log of every
// attempt. How a delivery goes out (webhook, SMTP) is the caller's Deliver (src/notify: libcurl).
// Adapters: POST /api/sources/events/ack, GET /api/sources/events, `ecomon notify rules|log|run`,
// /api/notify/rules, /api/notify/log; `ecomon serve` runs notify_step in a background worker
// (notify/notify_worker.h).
//
//   auto r = app::notify_step(stores, {.escalate_after_ms = 30 * 60000}, now_ms, deliver);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"

namespace ecomon::app {

inline constexpr size_t kMaxAckNoteBytes = 500;

// Stores `who`'s acknowledgement of `event` at now_ms (a later one replaces it). Whether `who` may see the
// device is the caller's check (the adapters know the device's owner); this one refuses a signed-out actor,
// a kind other than exceedance/silence/flag_fault, a bad opening time and a note over kMaxAckNoteBytes
// (kInvalidArgument).
Status acknowledge_event(Stores& stores, const Actor& who, const EventRef& event, const std::string& note,
                         int64_t now_ms);

// The acknowledgements of events opened in [opened_from, opened_to] (yyyymmddhhmmss), by event.
StatusOr<std::map<EventRef, EventAck>> event_acks(Stores& stores, int64_t opened_from, int64_t opened_to);

// ---- notification rules (admin only; the adapters audit them)

inline constexpr const char* kNotifyKinds[] = {"exceedance",
                                               "silence",
                                               "flag_fault",
                                               "standard_check",
                                               "furnace_temperature",
                                               "dust_exceedance",
                                               "dust_silence",
                                               "treatment_not_running",
                                               "production_during_stop"};
inline constexpr const char* kNotifyLevels[] = {"open", "escalation"};

struct NotifyRuleRequest {
  std::string role;     // admin | analyst | county
  std::string county;   // required for county; "" = every county otherwise
  std::string kinds;    // comma-separated, of kNotifyKinds ("" = all)
  std::string levels;   // comma-separated, of kNotifyLevels ("" = both)
  std::string channel;  // webhook | email
  std::string target;   // http(s)://host[:port]/path, or an e-mail address
};

// Checks and stores a rule (the kinds and levels normalised: sorted as listed above, no repeats).
// kPermissionDenied unless `who` is an admin; kInvalidArgument naming the bad field.
StatusOr<NotifyRule> add_notify_rule(Stores& stores, const Actor& who, const NotifyRuleRequest& req,
                                     int64_t now_ms);
// kNotFound when there is no such rule.
Status remove_notify_rule(Stores& stores, const Actor& who, int64_t id);
StatusOr<std::vector<NotifyRule>> notify_rules(Stores& stores, const Actor& who);
// The newest delivery attempts (admin only).
StatusOr<std::vector<NotifyLogEntry>> notify_log(Stores& stores, const Actor& who, const NotifyLogQuery& q);

// A rule and a logged attempt as the CLI's --format json and the API show them (times as UTC ms and
// Beijing text).
nlohmann::json notify_rule_json(const NotifyRule& r);
nlohmann::json notify_attempt_json(const NotifyLogEntry& e);

// ---- planning and delivering

struct NotifyParams {
  int64_t escalate_after_ms = int64_t{30} * 60 * 1000;  // an open event unacknowledged this long escalates
  int64_t lookback_ms = int64_t{60} * 60 * 1000;  // events raised within this are notified of (older: not)
  int max_attempts = 5;                           // then the job is given up ("failed")
  int64_t backoff_ms = 2000;                      // retry n waits backoff_ms * 2^(n-1)
  int64_t batch = 50;                             // jobs attempted per step
  // A step claims its batch for this long (NotifyStore::claim_due), so two `serve` processes on one store
  // never both send a job; far longer than a round's deliveries take (all at once, each bounded by
  // --notify-timeout, 5 s by default).
  int64_t claim_lease_ms = int64_t{10} * 60 * 1000;
};

// One message to send: the webhook gets `json` as its body; an e-mail `subject` and `text`.
struct Delivery {
  int64_t job_id = 0;
  std::string channel;  // webhook | email
  std::string target;
  std::string json;
  std::string subject;
  std::string text;
};
struct DeliveryOutcome {
  bool ok = false;
  std::string detail;  // "HTTP 200", "HTTP 500", "timeout after 2000 ms", "SMTP 250", ...
  int64_t took_ms = 0;
};
// Sends every delivery (in parallel where it can) and returns one outcome per delivery, in order. Must
// return within its own time limit whatever the receivers do.
using Deliver = std::function<std::vector<DeliveryOutcome>(const std::vector<Delivery>&)>;

struct NotifyStepResult {
  int64_t queued = 0;     // jobs queued by this step (new opens and escalations)
  int64_t attempted = 0;  // deliveries attempted
  int64_t sent = 0;
  int64_t retrying = 0;  // failed, to be tried again
  int64_t gave_up = 0;   // failed for the last time
};

// One round: queues the jobs the stored events and the rules call for (once per rule, event and level),
// then attempts the jobs due at now_ms (at most params.batch) through `deliver`, logging each attempt and
// moving its job on (sent; pending again after the back-off; failed after max_attempts).
StatusOr<NotifyStepResult> notify_step(Stores& stores, const NotifyParams& params, int64_t now_ms,
                                       const Deliver& deliver);

// The e-mail of a job's payload (what notify_step hands to Deliver): subject and plain text, in Chinese
// with the English beside it.
std::pair<std::string, std::string> notify_email_text(const std::string& payload_json);

}  // namespace ecomon::app
