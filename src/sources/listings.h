// What the services of pollution-source monitoring (app/sources.h) return for `sources events` and
// `sources rates`, as domain values; formatted at the edge by sources/sources_format.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sources/events.h"
#include "sources/rates.h"

namespace ecomon::sources {

// One event (open -> close) as it stood at the end of the period, with its device's enterprise (name) and
// outlet (id) from the registry ("" when unknown).
struct EventRow {
  EventTransition open;
  std::optional<SourceTime> closed_at;
  std::string enterprise, outlet;
};

// The events of a period: stored (as the gateway raised them) or computed from the stored uploads.
struct EventList {
  std::optional<SourceTime> from;  // none: from the first record
  SourceTime to;
  bool stored = false;
  int64_t devices = 0;      // registry devices judged
  int64_t records = 0;      // uploads fed (computed only)
  int64_t undecodable = 0;  // stored uploads the codec could not read
  std::vector<std::string> devices_without_details;
  std::vector<std::string> registry_problems;
  std::vector<EventRow> events;  // by opening time

  int64_t open_count() const {
    int64_t n = 0;
    for (const EventRow& e : events) n += e.closed_at ? 0 : 1;
    return n;
  }
};

// The monthly transmission rates of every device the gateway knows (with its enterprise as registered
// there), and of the registry's outlets and enterprises.
struct DeviceRate {
  std::string mn, enterprise;
  TransmissionRate rate;
};
struct RateList {
  std::string month;      // "YYYY-MM"
  std::string kind;       // hourly, daily, minute, realtime
  std::string due_until;  // month to date: "YYYY-MM-DD HH:MM:SS", the slots ended by then; "" the whole month
  std::vector<DeviceRate> devices;
  std::vector<NamedRate> outlets, enterprises;
  int64_t undecodable = 0;
};

}  // namespace ecomon::sources
