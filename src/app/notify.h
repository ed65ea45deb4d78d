// The duty officers' services over pollution-source events (issue 20): acknowledging an event (who, when,
// note, kept in the store so that the duty view and the escalation read it).
// Adapters: POST /api/sources/events/ack, GET /api/sources/events (each event's acknowledgement).
#pragma once

#include <cstdint>
#include <map>
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

}  // namespace ecomon::app
