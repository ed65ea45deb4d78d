// The demo city's fugitive-dust (TSP) points (issue 22, docs/dust.md), as the point template
// `id,name,type,owner,county,lon,lat,mn`: one boundary point per demo enterprise (owner its id, in its
// county) and construction sites and roads spread over the counties, each inside its county's area on the
// demo map (web/src/geo/demo-city.js). Point i's MN is sim_mn(first_device + i), so
// `hj212-sim --dust --first-device F --devices N` feeds them. Seed 004 counts 69 TSP points beside 17 online
// monitoring points per county; the demo's 16 online devices scale that to 16 × 69 / 17 ≈ 65 points.
//
//   std::string csv = demo::dust_points_csv(65, 100);
#pragma once

#include <string>

namespace ecomon::demo {

inline constexpr int kDemoDustPoints = 65;
inline constexpr int kDemoDustFirstDevice = 100;

std::string dust_points_csv(int count, int first_device);

}  // namespace ecomon::demo
