#include "soil/gb36600.h"

#include <algorithm>
#include <array>
#include <string>

#include "soil/text.h"
#include "standards/water/exact.h"

namespace ecomon::soil {
namespace {

// Tables 1 and 2 of GB 36600-2018 as printed (../shared/spec/gb36600_values.csv, gb36600_table2_values.csv):
// table, number, name, key, CAS, group, footnote ①, {screening class 1, class 2, control class 1, class 2}.
constexpr DevItemInfo kTable[kDevItemCount] = {
    {1, 1, "砷", "As", "7440-38-2", DevGroup::kInorganic, true, {"20", "60", "120", "140"}},
    {1, 2, "镉", "Cd", "7440-43-9", DevGroup::kInorganic, false, {"20", "65", "47", "172"}},
    {1, 3, "铬（六价）", "Cr6", "18540-29-9", DevGroup::kInorganic, false, {"3.0", "5.7", "30", "78"}},
    {1, 4, "铜", "Cu", "7440-50-8", DevGroup::kInorganic, false, {"2000", "18000", "8000", "36000"}},
    {1, 5, "铅", "Pb", "7439-92-1", DevGroup::kInorganic, false, {"400", "800", "800", "2500"}},
    {1, 6, "汞", "Hg", "7439-97-6", DevGroup::kInorganic, false, {"8", "38", "33", "82"}},
    {1, 7, "镍", "Ni", "7440-02-0", DevGroup::kInorganic, false, {"150", "900", "600", "2000"}},
    {1, 8, "四氯化碳", "", "56-23-5", DevGroup::kVolatile, false, {"0.9", "2.8", "9", "36"}},
    {1, 9, "氯仿", "", "67-66-3", DevGroup::kVolatile, false, {"0.3", "0.9", "5", "10"}},
    {1, 10, "氯甲烷", "", "74-87-3", DevGroup::kVolatile, false, {"12", "37", "21", "120"}},
    {1, 11, "1,1-二氯乙烷", "", "75-34-3", DevGroup::kVolatile, false, {"3", "9", "20", "100"}},
    {1, 12, "1,2-二氯乙烷", "", "107-06-2", DevGroup::kVolatile, false, {"0.52", "5", "6", "21"}},
    {1, 13, "1,1-二氯乙烯", "", "75-35-4", DevGroup::kVolatile, false, {"12", "66", "40", "200"}},
    {1, 14, "顺-1,2-二氯乙烯", "", "156-59-2", DevGroup::kVolatile, false, {"66", "596", "200", "2000"}},
    {1, 15, "反-1,2-二氯乙烯", "", "156-60-5", DevGroup::kVolatile, false, {"10", "54", "31", "163"}},
    {1, 16, "二氯甲烷", "", "75-09-2", DevGroup::kVolatile, false, {"94", "616", "300", "2000"}},
    {1, 17, "1,2-二氯丙烷", "", "78-87-5", DevGroup::kVolatile, false, {"1", "5", "5", "47"}},
    {1, 18, "1,1,1,2-四氯乙烷", "", "630-20-6", DevGroup::kVolatile, false, {"2.6", "10", "26", "100"}},
    {1, 19, "1,1,2,2-四氯乙烷", "", "79-34-5", DevGroup::kVolatile, false, {"1.6", "6.8", "14", "50"}},
    {1, 20, "四氯乙烯", "", "127-18-4", DevGroup::kVolatile, false, {"11", "53", "34", "183"}},
    {1, 21, "1,1,1-三氯乙烷", "", "71-55-6", DevGroup::kVolatile, false, {"701", "840", "840", "840"}},
    {1, 22, "1,1,2-三氯乙烷", "", "79-00-5", DevGroup::kVolatile, false, {"0.6", "2.8", "5", "15"}},
    {1, 23, "三氯乙烯", "", "79-01-6", DevGroup::kVolatile, false, {"0.7", "2.8", "7", "20"}},
    {1, 24, "1,2,3-三氯丙烷", "", "96-18-4", DevGroup::kVolatile, false, {"0.05", "0.5", "0.5", "5"}},
    {1, 25, "氯乙烯", "", "75-01-4", DevGroup::kVolatile, false, {"0.12", "0.43", "1.2", "4.3"}},
    {1, 26, "苯", "", "71-43-2", DevGroup::kVolatile, false, {"1", "4", "10", "40"}},
    {1, 27, "氯苯", "", "108-90-7", DevGroup::kVolatile, false, {"68", "270", "200", "1000"}},
    {1, 28, "1,2-二氯苯", "", "95-50-1", DevGroup::kVolatile, false, {"560", "560", "560", "560"}},
    {1, 29, "1,4-二氯苯", "", "106-46-7", DevGroup::kVolatile, false, {"5.6", "20", "56", "200"}},
    {1, 30, "乙苯", "", "100-41-4", DevGroup::kVolatile, false, {"7.2", "28", "72", "280"}},
    {1, 31, "苯乙烯", "", "100-42-5", DevGroup::kVolatile, false, {"1290", "1290", "1290", "1290"}},
    {1, 32, "甲苯", "", "108-88-3", DevGroup::kVolatile, false, {"1200", "1200", "1200", "1200"}},
    {1,
     33,
     "间二甲苯+对二甲苯",
     "",
     "108-38-3,106-42-3",
     DevGroup::kVolatile,
     false,
     {"163", "570", "500", "570"}},
    {1, 34, "邻二甲苯", "", "95-47-6", DevGroup::kVolatile, false, {"222", "640", "640", "640"}},
    {1, 35, "硝基苯", "", "98-95-3", DevGroup::kSemiVolatile, false, {"34", "76", "190", "760"}},
    {1, 36, "苯胺", "", "62-53-3", DevGroup::kSemiVolatile, false, {"92", "260", "211", "663"}},
    {1, 37, "2-氯酚", "", "95-57-8", DevGroup::kSemiVolatile, false, {"250", "2256", "500", "4500"}},
    {1, 38, "苯并[a]蒽", "", "56-55-3", DevGroup::kSemiVolatile, false, {"5.5", "15", "55", "151"}},
    {1, 39, "苯并[a]芘", "BaP", "50-32-8", DevGroup::kSemiVolatile, false, {"0.55", "1.5", "5.5", "15"}},
    {1, 40, "苯并[b]荧蒽", "", "205-99-2", DevGroup::kSemiVolatile, false, {"5.5", "15", "55", "151"}},
    {1, 41, "苯并[k]荧蒽", "", "207-08-9", DevGroup::kSemiVolatile, false, {"55", "151", "550", "1500"}},
    {1, 42, "䓛", "", "218-01-9", DevGroup::kSemiVolatile, false, {"490", "1293", "4900", "12900"}},
    {1, 43, "二苯并[a,h]蒽", "", "53-70-3", DevGroup::kSemiVolatile, false, {"0.55", "1.5", "5.5", "15"}},
    {1, 44, "茚并[1,2,3-cd]芘", "", "193-39-5", DevGroup::kSemiVolatile, false, {"5.5", "15", "55", "151"}},
    {1, 45, "萘", "", "91-20-3", DevGroup::kSemiVolatile, false, {"25", "70", "255", "700"}},
    {2, 1, "锑", "Sb", "7440-36-0", DevGroup::kInorganic, false, {"20", "180", "40", "360"}},
    {2, 2, "铍", "Be", "7440-41-7", DevGroup::kInorganic, false, {"15", "29", "98", "290"}},
    {2, 3, "钴", "Co", "7440-48-4", DevGroup::kInorganic, true, {"20", "70", "190", "350"}},
    {2, 4, "甲基汞", "MeHg", "22967-92-6", DevGroup::kInorganic, false, {"5", "45", "10", "120"}},
    {2, 5, "钒", "V", "7440-62-2", DevGroup::kInorganic, true, {"165", "752", "330", "1500"}},
    {2, 6, "氰化物", "CN", "57-12-5", DevGroup::kInorganic, false, {"22", "135", "44", "270"}},
    {2, 7, "一溴二氯甲烷", "", "75-27-4", DevGroup::kVolatile, false, {"0.29", "1.2", "2.9", "12"}},
    {2, 8, "溴仿", "", "75-25-2", DevGroup::kVolatile, false, {"32", "103", "320", "1030"}},
    {2, 9, "二溴氯甲烷", "", "124-48-1", DevGroup::kVolatile, false, {"9.3", "33", "93", "330"}},
    {2, 10, "1,2-二溴乙烷", "", "106-93-4", DevGroup::kVolatile, false, {"0.07", "0.24", "0.7", "2.4"}},
    {2, 11, "六氯环戊二烯", "", "77-47-4", DevGroup::kSemiVolatile, false, {"1.1", "5.2", "2.3", "10"}},
    {2, 12, "2,4-二硝基甲苯", "", "121-14-2", DevGroup::kSemiVolatile, false, {"1.8", "5.2", "18", "52"}},
    {2, 13, "2,4-二氯酚", "", "120-83-2", DevGroup::kSemiVolatile, false, {"117", "843", "234", "1690"}},
    {2, 14, "2,4,6-三氯酚", "", "88-06-2", DevGroup::kSemiVolatile, false, {"39", "137", "78", "560"}},
    {2, 15, "2,4-二硝基酚", "", "51-28-5", DevGroup::kSemiVolatile, false, {"78", "562", "156", "1130"}},
    {2, 16, "五氯酚", "", "87-86-5", DevGroup::kSemiVolatile, false, {"1.1", "2.7", "12", "27"}},
    {2,
     17,
     "邻苯二甲酸二(2-乙基己基)酯",
     "",
     "117-81-7",
     DevGroup::kSemiVolatile,
     false,
     {"42", "121", "420", "1210"}},
    {2,
     18,
     "邻苯二甲酸丁基苄酯",
     "",
     "85-68-7",
     DevGroup::kSemiVolatile,
     false,
     {"312", "900", "3120", "9000"}},
    {2,
     19,
     "邻苯二甲酸二正辛酯",
     "",
     "117-84-0",
     DevGroup::kSemiVolatile,
     false,
     {"390", "2812", "800", "5700"}},
    {2, 20, "3,3'-二氯联苯胺", "", "91-94-1", DevGroup::kSemiVolatile, false, {"1.3", "3.6", "13", "36"}},
    {2, 21, "阿特拉津", "", "1912-24-9", DevGroup::kPesticide, false, {"2.6", "7.4", "26", "74"}},
    {2, 22, "氯丹", "", "12789-03-6", DevGroup::kPesticide, false, {"2", "6.2", "20", "62"}},
    {2, 23, "p,p'-滴滴滴", "", "72-54-8", DevGroup::kPesticide, false, {"2.5", "7.1", "25", "71"}},
    {2, 24, "p,p'-滴滴伊", "", "72-55-9", DevGroup::kPesticide, false, {"2", "7", "20", "70"}},
    {2, 25, "滴滴涕", "", "50-29-3", DevGroup::kPesticide, false, {"2", "6.7", "21", "67"}},
    {2, 26, "敌敌畏", "", "62-73-7", DevGroup::kPesticide, false, {"1.8", "5", "18", "50"}},
    {2, 27, "乐果", "", "60-51-5", DevGroup::kPesticide, false, {"86", "619", "170", "1240"}},
    {2, 28, "硫丹", "", "115-29-7", DevGroup::kPesticide, false, {"234", "1687", "470", "3400"}},
    {2, 29, "七氯", "", "76-44-8", DevGroup::kPesticide, false, {"0.13", "0.37", "1.3", "3.7"}},
    {2, 30, "α-六六六", "", "319-84-6", DevGroup::kPesticide, false, {"0.09", "0.3", "0.9", "3"}},
    {2, 31, "β-六六六", "", "319-85-7", DevGroup::kPesticide, false, {"0.32", "0.92", "3.2", "9.2"}},
    {2, 32, "γ-六六六", "", "58-89-9", DevGroup::kPesticide, false, {"0.62", "1.9", "6.2", "19"}},
    {2, 33, "六氯苯", "", "118-74-1", DevGroup::kPesticide, false, {"0.33", "1", "3.3", "10"}},
    {2, 34, "灭蚁灵", "", "2385-85-5", DevGroup::kPesticide, false, {"0.03", "0.09", "0.3", "0.9"}},
    {2, 35, "多氯联苯(总量)", "", "-", DevGroup::kPcbDioxin, false, {"0.14", "0.38", "1.4", "3.8"}},
    {2,
     36,
     "3,3',4,4',5-五氯联苯(PCB 126)",
     "",
     "57465-28-8",
     DevGroup::kPcbDioxin,
     false,
     {"0.00004", "0.0001", "0.0004", "0.001"}},
    {2,
     37,
     "3,3',4,4',5,5'-六氯联苯(PCB 169)",
     "",
     "32774-16-6",
     DevGroup::kPcbDioxin,
     false,
     {"0.0001", "0.0004", "0.001", "0.004"}},
    {2,
     38,
     "二噁英类(总毒性当量)",
     "",
     "-",
     DevGroup::kPcbDioxin,
     false,
     {"0.00001", "0.00004", "0.0001", "0.0004"}},
    {2, 39, "多溴联苯(总量)", "", "-", DevGroup::kPcbDioxin, false, {"0.02", "0.06", "0.2", "0.6"}},
    {2, 40, "石油烃(C10-C40)", "", "-", DevGroup::kPetroleum, false, {"826", "4500", "5000", "9000"}},
};

enum ValueColumn : uint8_t { kScreening1, kScreening2, kControl1, kControl2 };
constexpr int kValueColumns = 4;

const std::array<std::array<Rational, kValueColumns>, kDevItemCount>& parsed() {
  static const auto kParsed = [] {
    std::array<std::array<Rational, kValueColumns>, kDevItemCount> p{};
    for (int i = 0; i < kDevItemCount; ++i) {
      for (int c = 0; c < kValueColumns; ++c) p[i][c] = *exact::parse(kTable[i].value[c]);
    }
    return p;
  }();
  return kParsed;
}

int index(DevItem item) { return static_cast<int>(item); }

}  // namespace

std::string_view dev_class_key(DevClass c) { return c == DevClass::kClass1 ? "class1" : "class2"; }
std::string_view dev_class_name(DevClass c) { return c == DevClass::kClass1 ? "第一类用地" : "第二类用地"; }

std::string_view dev_group_name(DevGroup g) {
  static constexpr std::string_view kNames[] = {
      "重金属和无机物", "挥发性有机物", "半挥发性有机物", "有机农药类", "多氯联苯、多溴联苯和二噁英类",
      "石油烃类"};
  return kNames[static_cast<int>(g)];
}

const DevItemInfo& dev_item_info(DevItem item) { return kTable[index(item)]; }
std::span<const DevItemInfo> dev_items() { return kTable; }

std::optional<DevItem> dev_item_by_name(std::string_view name) {
  std::string low = lower_ascii(name);
  for (int i = 0; i < kDevItemCount; ++i) {
    const DevItemInfo& info = kTable[i];
    if (name == info.name_cn || (!info.key.empty() && low == lower_ascii(info.key)) ||
        (info.cas != "-" && name == info.cas)) {
      return static_cast<DevItem>(i);
    }
  }
  // Common spellings of the official names.
  if (name == "屈") return dev_item_by_name("䓛");
  if (name == "铬(六价)" || name == "六价铬") return dev_item_by_name("铬（六价）");
  return std::nullopt;
}

Rational dev_screening(DevItem item, DevClass c) {
  return parsed()[index(item)][c == DevClass::kClass1 ? kScreening1 : kScreening2];
}

Rational dev_control(DevItem item, DevClass c) {
  return parsed()[index(item)][c == DevClass::kClass1 ? kControl1 : kControl2];
}

std::string_view dev_risk_key(DevRisk r) {
  static constexpr std::string_view kKeys[] = {"negligible", "background", "investigate", "control"};
  return kKeys[static_cast<int>(r)];
}

std::string_view dev_risk_name(DevRisk r) {
  static constexpr std::string_view kNames[] = {"风险可忽略", "不超过背景值", "需详细调查和风险评估",
                                                "需风险管控或修复"};
  return kNames[static_cast<int>(r)];
}

DevItemResult judge_dev_item(const DevMeasurement& m, DevClass c, const DevParams& p) {
  DevItemResult r;
  r.item = m.item;
  r.value = m.value;
  r.not_detected = m.not_detected;
  r.screening = dev_screening(m.item, c);
  r.control = dev_control(m.item, c);
  if ((m.not_detected && p.not_detected_is_negligible) || m.value <= r.screening) {
    r.risk = DevRisk::kNegligible;
    return r;
  }
  if (dev_item_info(m.item).background_note) {
    if (auto bg = p.background.find(m.item); bg != p.background.end() && m.value <= bg->second) {
      r.risk = DevRisk::kBelowBackground;
      return r;
    }
  }
  r.risk = m.value <= r.control ? DevRisk::kInvestigate : DevRisk::kControlOrRemediate;
  return r;
}

StatusOr<DevPointResult> assess_dev_point(std::optional<DevClass> cls, std::span<const DevMeasurement> values,
                                          const DevParams& p) {
  if (values.empty()) return failed_precondition("no measured item");
  DevPointResult out;
  out.cls = cls.value_or(p.unclear_use_class);
  bool seen[kDevItemCount] = {};
  for (const DevMeasurement& m : values) {
    if (seen[index(m.item)])
      return invalid_argument(std::string(dev_item_info(m.item).name_cn) + " is given twice");
    seen[index(m.item)] = true;
    out.items.push_back(judge_dev_item(m, out.cls, p));
  }
  for (const DevItemResult& r : out.items) out.worst = std::max(out.worst, r.risk);
  for (const DevItemResult& r : out.items) {
    if (r.risk == out.worst) out.determining.push_back(r.item);
  }
  return out;
}

}  // namespace ecomon::soil
