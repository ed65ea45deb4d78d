// The typed services: one function per use case of the platform, called alike by the CLI's verbs
// (src/cli), the HTTP API's handlers (src/server) and the bulletin (ecomon bulletin). Each takes the stores
// of the calling thread, who is asking, and a typed request, and returns a typed result or a Status:
//
//   StatusOr<air::PeriodReport> app::air_period(Stores& stores, const Actor& who, const AirPeriodRequest&
//   req);
//
// Rules (docs/architecture.md, "Services"):
// - Inputs are parsed and checked by the adapter into the request struct (dates as Day, periods as DayRange);
//   the service checks what only it can (an unknown city: kNotFound) and the caller's right to the data
//   (kPermissionDenied), and cuts the result to what the caller may see (county, enterprise) on typed data.
// - Results are the domain's value types. Formatting (table, CSV, JSON) lives in the domain's *_format files
// and
//   runs at the edge, in the adapter; a service never returns JSON and never prints.
// - Errors are Status codes with a message a user can act on; the adapters map them (exit 1/2, HTTP
// 400/403/404/
//   409/422/503). No thread-local error channel.
// - Storage only through `Stores` (store/api/stores.h): no SQLite, no file paths of the store.
// - Writes take the Actor and are refused before anything is written when it may not; the HTTP router audits
//   them, the CLI records them in the same audit log.
#pragma once

#include "core/actor.h"
#include "core/status.h"
#include "store/api/stores.h"
