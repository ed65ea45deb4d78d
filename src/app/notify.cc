#include "app/notify.h"

#include "sources/record.h"

namespace ecomon::app {

Status acknowledge_event(Stores& stores, const Actor& who, const EventRef& event, const std::string& note,
                         int64_t now_ms) {
  if (who.user.empty() || who.role == Role::kPublic)
    return permission_denied("acknowledging an event needs a signed-in user");
  if (event.kind != "exceedance" && event.kind != "silence" && event.kind != "flag_fault")
    return invalid_argument("kind must be exceedance, silence or flag_fault, not '" + event.kind + "'");
  if (!sources::SourceTime::from_digits(event.opened_at).ok())
    return invalid_argument("opened_at " + std::to_string(event.opened_at) + " is not a time");
  if (note.size() > kMaxAckNoteBytes)
    return invalid_argument("note is longer than " + std::to_string(kMaxAckNoteBytes) + " bytes");
  return stores.notify().acknowledge({event, who.user, now_ms, note});
}

StatusOr<std::map<EventRef, EventAck>> event_acks(Stores& stores, int64_t opened_from, int64_t opened_to) {
  auto rows = stores.notify().acks(opened_from, opened_to);
  if (!rows.ok()) return rows.status();
  std::map<EventRef, EventAck> out;
  for (EventAck& a : *rows) out[a.event] = std::move(a);
  return out;
}

}  // namespace ecomon::app
