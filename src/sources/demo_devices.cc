#include "sources/demo_devices.h"

#include <cinttypes>
#include <cstdio>

namespace ecomon {

std::string sim_mn(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "E0C0%020" PRIX64, static_cast<uint64_t>(static_cast<int64_t>(i)));
  return buf;
}

}  // namespace ecomon
