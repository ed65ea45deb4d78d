// "One enterprise, three networks" (issue 22): an enterprise's emission monitoring (the loads of its outlets
// from the HJ 212 uploads and the exceedance events of its devices), its power-use monitoring (metered
// lines with their readings and energy, the live power events) and its fugitive-dust points (the TSP
// points at its boundary, owner = the enterprise, and their events) side by side over a period.
// `ecomon sources enterprise E --from T --to T` and GET /api/enterprises/{id}/networks.
//
//   auto n = app::enterprise_networks(stores, actor, {.enterprise = "E01", .span = {from, to}});
//
// Who sees what: the bureau any enterprise; a county user an enterprise of its county (the source
// registry's county); an enterprise user its own; others kPermissionDenied. An enterprise the source
// registry does not hold: kNotFound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/power.h"
#include "dust/dust_format.h"
#include "sources/emissions.h"
#include "store/api/source_events.h"
#include "store/api/stores.h"

namespace ecomon::app {

struct EnterpriseNetworksRequest {
  std::string enterprise;
  sources::TimeSpan span;
};

// A metered line over the period: its readings and the energy they make (Σ kW × interval_s / 3600, kWh).
struct LineEnergy {
  PowerLineRow line;
  int64_t readings = 0;
  Rational kwh{0, 1};
};

struct EnterpriseNetworks {
  std::string enterprise, name, county;
  sources::TimeSpan span;
  // Emissions: the enterprise's loads over the span's days (hourly uploads; none when it has no device that
  // reported), and the exceedance events of its devices open during the span.
  std::optional<sources::LoadGroup> loads;
  std::vector<StoredEvent> exceedances;
  // Power: its metered lines, and the live power events of those lines.
  std::vector<LineEnergy> lines;
  std::vector<PowerEventView> power_events;
  // TSP: the points it owns (its boundary points) and their stored events.
  std::vector<dust::PointView> points;
  std::vector<dust::EventView> dust_events;
};

StatusOr<EnterpriseNetworks> enterprise_networks(Stores& stores, const Actor& who,
                                                 const EnterpriseNetworksRequest& req);

// As JSON (CLI --format json and the API alike): {"enterprise", "name", "county", "from", "to",
//  "emissions": {"loads": [{"pollutant", "kg", "completeness_percent"}...], "exceedances": [{"mn",
//  "pollutant", "opened", "closed"}]}, "power": {"lines": [{"line", "role", "readings", "kwh"}], "events":
//  [...]}, "tsp": {"points":
//  [{"id", "name", "state"}], "events": [{"point", "kind", "opened", "closed"}]}}
// kg to 3 decimals, completeness (the hours covered of the hours expected; null when none was expected) and
// kWh to 1, rounded half to even. A device that sent nothing in the period shows its pollutants at 0 kg, 0.0
// %.
nlohmann::json networks_json(const EnterpriseNetworks& n);

}  // namespace ecomon::app
