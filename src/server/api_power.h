// The power-use monitoring routes (api_power.cc): /api/power/* and /api/enterprises/{id}/networks.
#pragma once

#include "server/api.h"

namespace ecomon::server {

void add_power_routes(Router& r);

}  // namespace ecomon::server
