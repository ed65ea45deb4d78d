// The transmission rates of a year as the annual bulletin shows them (docs/bulletin.md, 自动监控): the twelve
// months of `ecomon sources rates --month Y-MM` (hourly data) summed over the devices expected to upload.
// 有效传输率 = valid / expected, the ratio of the sums (spec 10).
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace ecomon::sources {

struct YearTransmission {
  int64_t expected = 0;               // 应传输数据个数, summed over the devices and months
  int64_t received = 0;               // 实际传输数据个数
  int64_t valid = 0;                  // 有效数据个数
  std::set<std::string> devices;      // MNs of the devices expected to upload
  std::set<std::string> enterprises;  // their enterprises (named ones)
};

}  // namespace ecomon::sources
