// The MNs of the simulated devices (the HJ 212 simulator's, gateway/simulator.h) and of the demo city's
// registry (demo/demo_registry.h), which names the same devices so that the simulator feeds them.
#pragma once

#include <string>

namespace ecomon {

// The MN of simulated device i: 24 hex characters, "E0C0" + i in 20 hex digits.
std::string sim_mn(int i);

}  // namespace ecomon
