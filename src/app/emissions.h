// Emission totals (排放量) from the stored HJ 212 uploads: `ecomon emissions`, GET /api/emissions and the
// emission-change targets (app/targets.h). Read from the stored day-loads where the backend keeps them
// (store/api/source_day_loads.h: days marked stale by an upload, or computed under another registry entry,
// are recomputed from their uploads and stored first), else from the uploads (the cluster). The loads of each
// device over the period (sources/emissions.h: the devices' -Cou where present, else concentration × flow)
// summed per outlet, enterprise, county and industry, with the completeness and the method, and, with a base
// year, the same for the same days of that year. County users get their county, enterprise users their
// enterprise (registry id), the public nothing. Formatting: sources/emissions_format.h.
//
//   app::EmissionsRequest req{DayRange::year(2025), "2025"};
//   req.base_year = 2020;
//   auto r = app::emission_totals(stores, who, req);     // StatusOr<sources::EmissionReport>
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "sources/emissions_format.h"

namespace ecomon::app {

struct EmissionsRequest {
  DayRange period;
  std::string period_text;       // as asked: "2025", "2025-03", "2025-01-01..2025-06-30"
  std::optional<int> base_year;  // compare with the same days of this year
  std::string county;            // "" = every county
  sources::DataKind kind = sources::DataKind::kHourly;
  // Computed from the uploads even where day-loads are stored (`--from-uploads`: the check of the day-loads
  // and the benchmark's "before").
  bool from_uploads = false;
};
// The request from its text as the verb's options and the endpoint's parameters give it: exactly one of year
// (YYYY), month (YYYY-MM) or from/to (YYYY-MM-DD); base_year "" or a year; kind "" (hourly), "hourly",
// "minute", "daily" or "realtime". kInvalidArgument naming the option otherwise (quality_period's pattern).
struct EmissionsQuery {
  std::string year, month, from, to, base_year, county, kind;
};
StatusOr<EmissionsRequest> emissions_request(const EmissionsQuery& q);

// kInvalidArgument for a base year equal to the period's year or out of 1900-2999; kPermissionDenied for the
// public or another county's data.
StatusOr<sources::EmissionReport> emission_totals(Stores& stores, const Actor& who,
                                                  const EmissionsRequest& req);

// `ecomon emissions rebuild`: recomputes the stored day-loads (store/api/source_day_loads.h) of the
// registry's devices from their stored uploads, every data kind, over [from, to] (each device's stored span
// when not given), of one device (`mn`, "" = all). Idempotent: a day whose rows already equal the
// recomputed ones is left as it is (a second run replaces nothing). The bureau's (admin, analyst) alone;
// audited as `emissions.rebuild` with `via` (kPermissionDenied, kNotFound for a device not in the
// registry, kFailedPrecondition on a backend that keeps no day-loads).
struct DayLoadRebuild {
  std::optional<CivilDay> from, to;
  std::string mn;
};
struct DayLoadRebuildReport {
  int64_t device_days = 0;  // device-days with stored uploads recomputed (all kinds)
  int64_t replaced = 0;     // of them, days whose rows changed (or were marked stale) and were replaced
  int64_t rows = 0;         // rows the recomputed days have
  int64_t undecodable = 0;  // uploads the codec could not read
};
StatusOr<DayLoadRebuildReport> rebuild_day_loads(Stores& stores, const Actor& who, const DayLoadRebuild& req,
                                                 const std::string& via);

// The fingerprint of what a device's day-loads are computed from in the registry (password, intervals,
// registration, stop periods, pollutants and units, the outlet's kind): stored with each row, a change makes
// the device's rows stale.
int64_t day_load_fingerprint(const sources::Device& device, sources::OutletKind kind);

// The same days one or more years earlier (29 February becomes the 28th).
DayRange same_days_in(const DayRange& period, int year);

}  // namespace ecomon::app
