#include "demo/power_demo.h"

#include <array>
#include <map>
#include <vector>

#include "core/text_table.h"
#include "demo/demo_registry.h"
#include "demo/emergency_list_demo.h"
#include "sources/demo_devices.h"

namespace ecomon::demo {
namespace {

struct ModuleShare {
  const char* enterprise;
  int modules;             // of the 50
  const char* production;  // what the production line drives
  const char* treatment;   // the treatment facility
};
// The demo registry's enterprises (demo/demo_registry.cc) and their share of the 50 modules.
constexpr std::array<ModuleShare, 12> kShares = {{
    {"E01", 6, "磨煤机", "脱硫"},
    {"E02", 5, "熟料线", "除尘"},
    {"E03", 5, "焦炉", "脱硫脱硝"},
    {"E04", 7, "烧结机", "脱硫"},
    {"E05", 3, "锅炉", "除尘"},
    {"E06", 5, "反应装置", "VOCs治理"},
    {"E07", 4, "辊道窑", "脱硫除尘"},
    {"E08", 4, "熔窑", "脱硝"},
    {"E09", 4, "熔炼炉", "除尘"},
    {"E10", 3, "发电机组", "脱硝"},
    {"E11", 2, "提升泵站", "除臭"},
    {"E12", 2, "曝气池", "除臭"},
}};
constexpr int kSlots = kDemoPowerModules;  // the shares above add up to this
constexpr int kIntervalS = 60;

}  // namespace

std::string power_lines_csv(int modules, int first_device) {
  // Enterprise -> the outlets its lines emit through: its gas outlets, else (the sewage plants) its water
  // ones.
  std::map<std::string, std::vector<std::string>> outlets, water;
  for (const DemoOutletRef& o : demo_outlets()) (o.gas ? outlets : water)[o.enterprise].push_back(o.id);
  for (auto& [e, ids] : water) {
    if (outlets[e].empty()) outlets[e] = ids;
  }
  const std::map<std::string, std::vector<std::string>> list_lines = demo_list_linked_lines();
  // Slot s of the 50: its enterprise and its place among that enterprise's modules.
  std::vector<std::pair<const ModuleShare*, int>> slots;
  for (const ModuleShare& m : kShares) {
    for (int p = 0; p < m.modules; ++p) slots.push_back({&m, p});
  }
  std::string out = "line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n";
  for (int k = 0; k < modules; ++k) {
    const auto& [share, place] = slots[static_cast<size_t>(k % kSlots)];
    const int number = (k / kSlots) * share->modules + place + 1;  // the enterprise's module number
    const std::string e = share->enterprise, n = std::to_string(number), mn = sim_mn(first_device + k);
    const std::vector<std::string>& os = outlets[e];
    const std::string outlet = os.empty() ? "" : os[static_cast<size_t>(number - 1) % os.size()];
    std::string list_line;
    if (auto it = list_lines.find(e); it != list_lines.end() && !it->second.empty())
      list_line = it->second[static_cast<size_t>(number - 1) % it->second.size()];
    const std::string production = e + "/P" + n, interval = std::to_string(kIntervalS);
    out += csv_row({production, e, n + "#" + share->production, "production", kDemoProductionRunningKw,
                    interval, mn, "d20101", "", outlet, list_line});
    out += csv_row({e + "/T" + n, e, n + "#" + share->production + share->treatment, "treatment",
                    kDemoTreatmentRunningKw, interval, mn, "d30101", production, outlet, ""});
  }
  return out;
}

}  // namespace ecomon::demo
