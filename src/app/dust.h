// Fugitive-dust points' use cases (扬尘 / 无组织 TSP 监测点, issue 22 item 3; docs/dust.md): the points with
// their state for the map, a point's readings, the events the gateway stored, and the rules run over stored
// readings for a period (`ecomon dust check`).
//
//   auto pts = app::dust_points(stores, actor, {.now = civil_now});
//   auto evs = app::dust_events(stores, actor, {.span = {from, to}});
//   auto chk = app::dust_check(stores, actor, {.span = {from, to}});   // computed, not stored
//
// Who sees what: the bureau every point; a county user its county's points; an enterprise user the boundary
// points it owns (owner = its enterprise id); the public nothing (kPermissionDenied). Importing points is the
// bureau's (dust_may_import; the adapter audits it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/status.h"
#include "dust/dust_format.h"
#include "dust/dust_rules.h"
#include "store/api/stores.h"

namespace ecomon::app {

// kPermissionDenied unless the bureau (admin, analyst).
Status dust_may_import(const Actor& who);

struct DustPointsRequest {
  sources::SourceTime now;  // civil time: the newest reading is looked for in the 24 h before it
  std::string county;       // "" = every county the actor may see
};
StatusOr<std::vector<dust::PointView>> dust_points(Stores& stores, const Actor& who,
                                                   const DustPointsRequest& r);

struct DustReadingsRequest {
  std::string point;  // required
  sources::TimeSpan span;
};
// kNotFound for a point the actor may not see or that does not exist.
StatusOr<std::vector<dust::ReadingView>> dust_readings(Stores& stores, const Actor& who,
                                                       const DustReadingsRequest& r);

struct DustEventsRequest {
  sources::TimeSpan span;  // events open at some time in it
  bool open_only = false;
};
// The dust events the gateway stored (source_events, kinds dust_exceedance and dust_silence), by opening.
StatusOr<std::vector<dust::EventView>> dust_events(Stores& stores, const Actor& who,
                                                   const DustEventsRequest& r);

struct DustCheckRequest {
  sources::TimeSpan span;
  std::string point;  // "" = every point the actor may see
  dust::DustParams params;
};
// The rules over the stored minute readings of [span.begin − window, span.end), silence judged up to
// span.end; the events that open inside the span (or are still open at its start), by point then opening.
StatusOr<std::vector<dust::EventView>> dust_check(Stores& stores, const Actor& who,
                                                  const DustCheckRequest& r);

}  // namespace ecomon::app
