#include "demo/demo_registry.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/text_table.h"
#include "sources/demo_devices.h"

namespace ecomon {
namespace {

constexpr int kRealtimeIntervalS = 30;  // RtdInterval of every demo device (the simulator's default)
constexpr int kMinuteIntervalMin = 10;  // MinInterval
constexpr std::string_view kLimitsFrom = "2025-01-01";

struct DemoEnterprise {
  const char* id;
  const char* name;
  const char* county;
  const char* industry;
};
// 演示市: 城区, 高新区, 东阳县, 西山县, 南河县.
constexpr std::array<DemoEnterprise, 12> kEnterprises = {{
    {"E01", "演示第一发电有限公司", "城区", "火电"},
    {"E02", "演示水泥有限公司", "东阳县", "水泥"},
    {"E03", "演示焦化有限公司", "西山县", "焦化"},
    {"E04", "演示钢铁有限公司", "高新区", "钢铁"},
    {"E05", "演示热力有限公司", "城区", "热力"},
    {"E06", "演示化工有限公司", "南河县", "化工"},
    {"E07", "演示陶瓷有限公司", "东阳县", "陶瓷"},
    {"E08", "演示玻璃有限公司", "西山县", "玻璃"},
    {"E09", "演示铸造有限公司", "南河县", "铸造"},
    {"E10", "演示煤层气发电有限公司", "高新区", "火电"},
    {"E11", "演示市第一污水处理厂", "城区", "污水处理"},
    {"E12", "演示市第二污水处理厂", "南河县", "污水处理"},
}};

// Emission limits of a gas outlet (mg/m3): SO2, NOx, particulate, and on which concentration they apply.
struct GasLimits {
  const char* so2;
  const char* nox;
  const char* dust;
  bool standardised;  // 折算 (at the reference O2) or 实测
  const char* source;
};
constexpr GasLimits kPowerUltraLow{"35", "50", "10", true, "超低排放（GB 13223-2011 及改造要求）"};
constexpr GasLimits kCementKiln{"100", "320", "20", true, "GB 4915-2013 特别排放限值"};
constexpr GasLimits kCoke{"30", "150", "15", true, "GB 16171-2012 特别排放限值"};
constexpr GasLimits kSinterUltraLow{"35", "50", "10", true, "钢铁超低排放（环大气〔2019〕35号）"};
constexpr GasLimits kBoiler{"50", "150", "20", true, "GB 13271-2014 特别排放限值"};
constexpr GasLimits kChemical{"50", "100", "20", false, "GB 31571-2015（实测浓度）"};
constexpr GasLimits kCeramic{"50", "180", "30", true, "GB 25464-2010"};
constexpr GasLimits kGlass{"100", "400", "20", true, "GB 26453-2022"};
constexpr GasLimits kFoundry{"100", "300", "20", true, "GB 39726-2020"};

// Limits of a water outlet (mg/L; pH 6-9).
struct WaterLimits {
  const char* cod;
  const char* nh3n;
  const char* source;
};
constexpr WaterLimits kTreatmentPlant{"50", "5", "GB 18918-2002 一级A"};
constexpr WaterLimits kChemicalWater{"60", "8", "GB 31571-2015"};

struct DemoOutlet {
  const char* id;
  const char* enterprise;
  const char* name;
  const GasLimits* gas;      // a gas outlet when set
  const WaterLimits* water;  // a water outlet when set
};
// One device per outlet, in this order: device i has MN sim_mn(i).
const std::array<DemoOutlet, kDemoRegistryDevices> kOutlets = {{
    {"E01-G1", "E01", "1#机组脱硫出口", &kPowerUltraLow, nullptr},
    {"E01-G2", "E01", "2#机组脱硫出口", &kPowerUltraLow, nullptr},
    {"E02-G1", "E02", "窑尾排放口", &kCementKiln, nullptr},
    {"E02-G2", "E02", "窑头排放口", &kCementKiln, nullptr},
    {"E03-G1", "E03", "焦炉烟囱", &kCoke, nullptr},
    {"E04-G1", "E04", "烧结机头排放口", &kSinterUltraLow, nullptr},
    {"E04-G2", "E04", "球团焙烧排放口", &kSinterUltraLow, nullptr},
    {"E05-G1", "E05", "1#锅炉排放口", &kBoiler, nullptr},
    {"E06-G1", "E06", "工艺废气排放口", &kChemical, nullptr},
    {"E06-W1", "E06", "废水总排口", nullptr, &kChemicalWater},
    {"E07-G1", "E07", "窑炉排放口", &kCeramic, nullptr},
    {"E08-G1", "E08", "熔窑排放口", &kGlass, nullptr},
    {"E09-G1", "E09", "冲天炉排放口", &kFoundry, nullptr},
    {"E10-G1", "E10", "发电机组排放口", &kPowerUltraLow, nullptr},
    {"E11-W1", "E11", "总排口", nullptr, &kTreatmentPlant},
    {"E12-W1", "E12", "总排口", nullptr, &kTreatmentPlant},
}};

// The sinter plant's device stopped for the Spring Festival overhaul (春节停产检修).
constexpr int kStoppedDevice = 5;
constexpr std::string_view kStopBegin = "2025-01-28 00:00:00";
constexpr std::string_view kStopEnd = "2025-02-05 00:00:00";

// The registry templates' file names and headers (ingest/source_registry_csv.h reads them; its test
// imports this registry).
struct Template {
  const char* file;
  const char* header;
};
constexpr Template kEnterprisesCsv{"enterprises.csv", "id,name,county,industry"};
constexpr Template kOutletsCsv{"outlets.csv", "id,enterprise,kind,name"};
constexpr Template kDevicesCsv{
    "devices.csv", "mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active"};
constexpr Template kPollutantsCsv{"device_pollutants.csv", "mn,pollutant,unit,rated"};
constexpr Template kLimitsCsv{"limits.csv",
                              "outlet,pollutant,upper,lower,unit,basis,valid_from,valid_to,source"};
constexpr Template kStopsCsv{"stop_periods.csv", "mn,begin,end,reason"};
constexpr Template kPermitsCsv{"permits.csv", "enterprise,outlet,pollutant,year,tonnes,licence"};

// Permitted amounts (许可排放量, t/a) of 2025 and 2026: the power plant per unit and in whole, the others in
// whole; one licence number per enterprise (排污许可证编号, made up in the national layout).
struct DemoPermit {
  const char* enterprise;
  const char* outlet;  // "" = the whole enterprise
  const char* pollutant;
  const char* tonnes;
};
constexpr std::array<DemoPermit, 13> kPermits = {{
    {"E01", "", "a21026", "180"},
    {"E01", "", "a21002", "260"},
    {"E01", "", "a34013", "52"},
    {"E01", "E01-G1", "a21026", "90"},
    {"E01", "E01-G2", "a21026", "90"},
    {"E02", "", "a21026", "120"},
    {"E02", "", "a21002", "420"},
    {"E03", "", "a21026", "60"},
    {"E04", "", "a21026", "150"},
    {"E04", "", "a21002", "210"},
    {"E06", "", "w01018", "45"},
    {"E11", "", "w01018", "292"},
    {"E11", "", "w21003", "29.2"},
}};
constexpr int kPermitFirstYear = 2025, kPermitLastYear = 2026;

Status write_file(const std::filesystem::path& dir, const Template& t,
                  const std::vector<std::vector<std::string>>& rows) {
  const std::filesystem::path p = dir / t.file;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << t.header << "\n";
  for (const auto& r : rows) out << csv_row(r);  // csv_row ends the line
  out.close();
  if (!out) return internal_error("cannot write " + p.string());
  return Status();
}

}  // namespace

std::vector<DemoOutletRef> demo_outlets() {
  std::vector<DemoOutletRef> out;
  for (const DemoOutlet& o : kOutlets) out.push_back({o.id, o.enterprise, o.gas != nullptr});
  return out;
}

Status write_demo_registry(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return internal_error("cannot create " + dir + ": " + ec.message());
  std::vector<std::vector<std::string>> enterprises, outlets, devices, pollutants, limits, stops;
  for (const DemoEnterprise& e : kEnterprises) enterprises.push_back({e.id, e.name, e.county, e.industry});
  for (int i = 0; i < kDemoRegistryDevices; ++i) {
    const DemoOutlet& o = kOutlets[static_cast<size_t>(i)];
    const std::string mn = sim_mn(i);
    outlets.push_back({o.id, o.enterprise, o.gas ? "gas" : "water", o.name});
    devices.push_back({mn, std::string(kDemoPassword), "2017", o.id, std::to_string(kRealtimeIntervalS),
                       std::to_string(kMinuteIntervalMin), "Y", "Y", std::string(kDemoRegisteredAt), "Y"});
    if (o.gas) {
      const char* basis = o.gas->standardised ? "standardised" : "measured";
      pollutants.push_back({mn, "a21026", "mg/m3", "Y"});  // 二氧化硫
      pollutants.push_back({mn, "a21002", "mg/m3", "Y"});  // 氮氧化物
      pollutants.push_back({mn, "a34013", "mg/m3", "Y"});  // 烟尘 (颗粒物)
      pollutants.push_back({mn, "a19001", "%", "N"});      // 氧气含量: reference parameter
      pollutants.push_back({mn, "a00000", "m3/s", "N"});   // 废气流量
      for (const auto& [code, value] : {std::pair{"a21026", o.gas->so2}, std::pair{"a21002", o.gas->nox},
                                        std::pair{"a34013", o.gas->dust}}) {
        limits.push_back(
            {o.id, code, value, "", "mg/m3", basis, std::string(kLimitsFrom), "", o.gas->source});
      }
    } else {
      pollutants.push_back({mn, "w01018", "mg/L", "Y"});    // 化学需氧量
      pollutants.push_back({mn, "w21003", "mg/L", "Y"});    // 氨氮
      pollutants.push_back({mn, "w01001", "无量纲", "Y"});  // pH 值
      pollutants.push_back({mn, "w00000", "L/s", "N"});     // 污水流量
      const std::string from(kLimitsFrom);
      limits.push_back({o.id, "w01018", o.water->cod, "", "mg/L", "measured", from, "", o.water->source});
      limits.push_back({o.id, "w21003", o.water->nh3n, "", "mg/L", "measured", from, "", o.water->source});
      limits.push_back({o.id, "w01001", "9", "6", "无量纲", "measured", from, "", o.water->source});
    }
  }
  stops.push_back({sim_mn(kStoppedDevice), std::string(kStopBegin), std::string(kStopEnd), "春节停产检修"});
  std::vector<std::vector<std::string>> permits;
  for (int year = kPermitFirstYear; year <= kPermitLastYear; ++year) {
    for (const DemoPermit& p : kPermits) {
      const std::string licence = std::string("9114050000000") + p.enterprise + "001P";
      permits.push_back({p.enterprise, p.outlet, p.pollutant, std::to_string(year), p.tonnes, licence});
    }
  }
  const std::filesystem::path d(dir);
  ECOMON_RETURN_IF_ERROR(write_file(d, kEnterprisesCsv, enterprises));
  ECOMON_RETURN_IF_ERROR(write_file(d, kOutletsCsv, outlets));
  ECOMON_RETURN_IF_ERROR(write_file(d, kDevicesCsv, devices));
  ECOMON_RETURN_IF_ERROR(write_file(d, kPollutantsCsv, pollutants));
  ECOMON_RETURN_IF_ERROR(write_file(d, kLimitsCsv, limits));
  ECOMON_RETURN_IF_ERROR(write_file(d, kStopsCsv, stops));
  return write_file(d, kPermitsCsv, permits);
}

}  // namespace ecomon
