// Exports of the API's lists: flattening, column names, CSV with BOM, .xlsx (export.h).
#include "server/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_text.h"
#include "core/text_table.h"

namespace ecomon::server {
namespace {

using nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

void flatten_into(const std::string& prefix, const json& v, std::vector<std::pair<std::string, json>>& out) {
  if (v.is_object()) {
    if (v.empty()) out.emplace_back(prefix, nullptr);
    for (const auto& [k, x] : v.items()) flatten_into(prefix.empty() ? k : prefix + "." + k, x, out);
    return;
  }
  if (v.is_array()) {
    const bool scalars = std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_primitive(); });
    if (scalars) {
      std::string joined;
      for (const json& x : v) {
        if (!joined.empty()) joined += "、";
        joined += x.is_string() ? x.get<std::string>() : json_text(x);
      }
      out.emplace_back(prefix, joined);
      return;
    }
    // Objects named by an "item" or "pollutant" (a section's items, a compliance's pollutants): by that name,
    // so that a column means the same in every row ("items.DO.value"); else by position.
    for (const char* name_key : {"item", "pollutant"}) {
      std::set<std::string> names;
      const bool named = std::all_of(v.begin(), v.end(), [&](const json& x) {
        return x.is_object() && x.contains(name_key) && x[name_key].is_string() &&
               names.insert(x[name_key].get<std::string>()).second;
      });
      if (!named) continue;
      for (const json& x : v) {
        json rest = x;
        rest.erase(name_key);
        flatten_into(prefix + "." + x[name_key].get<std::string>(), rest, out);
      }
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) flatten_into(prefix + "." + std::to_string(i), v[i], out);
    return;
  }
  out.emplace_back(prefix, v);
}

struct Label {
  const char* key;
  const char* zh;
  const char* en;
};

// Names of the keys the API's lists use, with the unit where the key has one. A nested key is named by its
// parts ("concentrations.PM2.5" -> 浓度 PM2.5 (µg/m³)), see column_label.
constexpr std::array kLabels = {
    Label{"aqi", "AQI", "AQI"},
    Label{"category", "类别", "Category"},
    Label{"colour", "颜色", "Colour"},
    Label{"complete", "数据完整", "Complete"},
    Label{"date", "日期", "Date"},
    Label{"hour", "时间", "Hour"},
    Label{"level", "级别", "Level"},
    Label{"primary", "首要污染物", "Primary pollutant"},
    Label{"rule_set", "评价标准", "Rule set"},
    Label{"valid", "有效", "Valid"},
    Label{"city", "城市", "City"},
    Label{"code", "站点编码", "Station code"},
    Label{"station", "站点", "Station"},
    Label{"stations", "站点数", "Stations"},
    Label{"latitude", "纬度(°)", "Latitude (°)"},
    Label{"longitude", "经度(°)", "Longitude (°)"},
    Label{"name", "名称", "Name"},
    Label{"reference", "对照点", "Reference"},
    Label{"month", "月份", "Month"},
    Label{"valid_days", "有效天数", "Valid days"},
    Label{"composite_index", "综合指数", "Composite index"},
    Label{"good_ratio", "优良天数比例(%)", "Good-day ratio (%)"},
    Label{"rank", "排名", "Rank"},
    Label{"county", "区县", "County"},
    Label{"enterprise", "企业", "Enterprise"},
    Label{"enterprise_id", "企业编号", "Enterprise id"},
    Label{"last_data_time", "最后数据时间", "Last data"},
    Label{"mn", "设备编号(MN)", "Device (MN)"},
    Label{"outlet", "排放口", "Outlet"},
    Label{"state", "状态", "State"},
    Label{"kind", "类型", "Kind"},
    Label{"opened_at", "开始时间", "Opened"},
    Label{"closed_at", "结束时间", "Closed"},
    Label{"data_time", "数据时间", "Data time"},
    Label{"value", "浓度值", "Value"},
    Label{"limit", "限值", "Limit"},
    Label{"flag", "数据标记", "Flag"},
    Label{"pollutant", "污染物", "Pollutant"},
    Label{"cause", "原因", "Cause"},
    Label{"basis", "折算基准", "Basis"},
    Label{"backfill", "补传", "Backfill"},
    Label{"duplicates", "重复数据个数", "Duplicates"},
    Label{"effective", "有效传输率(%)", "Effective transmission (%)"},
    Label{"expected", "应传输数据个数", "Expected"},
    Label{"received", "实际传输数据个数", "Received"},
    Label{"transmission", "传输率(%)", "Transmission (%)"},
    Label{"validity", "有效率(%)", "Validity (%)"},
    Label{"verdict", "结论", "Verdict"},
    Label{"deadline", "完成时限", "Deadline"},
    Label{"due", "截止日期", "Due"},
    Label{"id", "编号", "Id"},
    Label{"lead_units", "牵头单位", "Lead units"},
    Label{"no", "序号", "No."},
    Label{"on_pace", "进度正常", "On pace"},
    Label{"overdue", "逾期", "Overdue"},
    Label{"plan", "方案", "Plan"},
    Label{"progress", "进展", "Progress"},
    Label{"responsible_units", "责任单位", "Responsible units"},
    Label{"source", "来源", "Source"},
    Label{"status", "状态", "Status"},
    Label{"text", "任务内容", "Task"},
    Label{"unit", "单位", "Unit"},
    Label{"total", "总数", "Total"},
    Label{"done", "已完成", "Done"},
    Label{"cut_percent", "限产比例(%)", "Cut (%)"},
    Label{"emission_kg_d", "排放量(kg/d)", "Emission (kg/d)"},
    Label{"reduction_kg_d", "减排量(kg/d)", "Reduction (kg/d)"},
    Label{"from", "起始时间", "From"},
    Label{"to", "结束时间", "To"},
    Label{"grade", "绩效等级", "Grade"},
    Label{"guarantee", "民生保障", "Guarantee"},
    Label{"line", "生产线编号", "Line id"},
    Label{"line_name", "生产线", "Line"},
    Label{"measure", "管控措施", "Measure"},
    Label{"note", "说明", "Note"},
    Label{"process", "工序", "Process"},
    Label{"stop_process", "停产工序", "Stopped process"},
    Label{"section", "断面", "Section"},
    Label{"river", "河流", "River"},
    Label{"target", "目标", "Target"},
    Label{"class", "水质类别", "Class"},
    Label{"change", "变化", "Change"},
    Label{"meets_target", "达标", "Meets target"},
    Label{"previous_class", "上年类别", "Previous class"},
    Label{"well", "监测井", "Well"},
    Label{"f_grade", "F值分级", "F grade"},
    Label{"f_value", "F值", "F value"},
    Label{"indicators", "指标数", "Indicators"},
    Label{"over_class_three", "超Ⅲ类指标", "Above class Ⅲ"},
    Label{"point", "点位", "Point"},
    Label{"land_use", "用地类型", "Land use"},
    Label{"land_use_name", "用地类型名称", "Land use name"},
    Label{"ph", "pH", "pH"},
    Label{"item", "项目", "Item"},
    Label{"items", "项目", "Items"},
    Label{"user", "用户", "User"},
    Label{"role", "角色", "Role"},
    Label{"action", "操作", "Action"},
    Label{"outcome", "结果", "Outcome"},
    Label{"detail", "详情", "Detail"},
    Label{"via", "途径", "Via"},
    Label{"at", "时间", "At"},
    Label{"login", "账号", "Login"},
    Label{"disabled", "已停用", "Disabled"},
    Label{"created_at", "创建时间", "Created"},
    Label{"concentrations", "浓度", "Concentration"},
    Label{"iaqi", "分指数", "IAQI"},
    Label{"effective_from", "生效时间", "Effective from"},
    Label{"declared_by", "发布人", "Declared by"},
    Label{"reason", "原因", "Reason"},
    Label{"days", "天数", "Days"},
};

// Units of the pollutants' concentrations (HJ 633: CO in mg/m³, the others µg/m³).
std::string pollutant_unit(const std::string& p) {
  if (p == "CO" || p == "CO_24h") return "mg/m³";
  static const std::set<std::string> kMicro = {"SO2", "NO2", "PM10", "PM2.5", "O3", "O3_1h", "O3_8h"};
  return kMicro.count(p) ? "µg/m³" : "";
}

const Label* find_label(const std::string& key) {
  for (const Label& l : kLabels) {
    if (key == l.key) return &l;
  }
  return nullptr;
}

std::string one_label(const std::string& key, bool zh) {
  if (const Label* l = find_label(key)) return zh ? l->zh : l->en;
  return key;
}

// Splits a flattened key on the dots that separate parts: a part that is a pollutant name keeps its dot
// ("PM2.5").
std::vector<std::string> key_parts(const std::string& key) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t dot = key.find('.', pos);
    // "PM2.5" and "PM2.5_limit": the dot between "PM2" and "5" is not a separator.
    while (dot != std::string::npos && dot >= 3 && key.compare(dot - 3, 3, "PM2") == 0 &&
           dot + 1 < key.size() && key[dot + 1] == '5')
      dot = key.find('.', dot + 1);
    if (dot == std::string::npos) dot = key.size();
    parts.push_back(key.substr(pos, dot - pos));
    pos = dot + 1;
  }
  return parts;
}

std::string cell_text(const json& v, const std::string& lang) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) {
    if (lang == "zh") return v.get<bool>() ? "是" : "否";
    if (lang == "en") return v.get<bool>() ? "yes" : "no";
    return v.get<bool>() ? "true" : "false";
  }
  return json_text(v);
}

// ASCII letters and digits, by value (std::isalnum depends on the locale, which may class bytes >= 0x80).
bool ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool safe_file_char(unsigned char c) {
  return c >= 0x80 || ascii_alnum(c) || c == '-' || c == '_' || c == '.';
}

}  // namespace

FlatTable flatten_items(const json& items) {
  FlatTable t;
  std::map<std::string, size_t> index;
  std::vector<std::vector<std::pair<std::string, json>>> flat;
  flat.reserve(items.size());
  for (const json& it : items) {
    std::vector<std::pair<std::string, json>> cells;
    if (it.is_object()) {
      flatten_into("", it, cells);
    } else {
      cells.emplace_back("value", it);
    }
    for (const auto& [k, v] : cells) {
      if (index.emplace(k, t.columns.size()).second) t.columns.push_back(k);
    }
    flat.push_back(std::move(cells));
  }
  t.rows.reserve(flat.size());
  for (auto& cells : flat) {
    std::vector<json> row(t.columns.size());
    for (auto& [k, v] : cells) row[index[k]] = std::move(v);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string column_label(const std::string& key, const std::string& lang) {
  const bool zh = lang != "en";
  const std::vector<std::string> parts = key_parts(key);
  const std::string& last = parts.back();
  // A pollutant's value, its limit or its sub-index: "PM2.5" -> PM2.5(µg/m³), "PM2.5_limit" ->
  // PM2.5限值(µg/m³).
  std::string pollutant = last, suffix;
  if (constexpr std::string_view kLimit = "_limit";
      pollutant.size() > kLimit.size() && pollutant.ends_with(kLimit)) {
    pollutant.resize(pollutant.size() - kLimit.size());
    suffix = zh ? "限值" : " limit";
  }
  const std::string unit = pollutant_unit(pollutant);
  const bool in_iaqi = parts.size() > 1 && parts[parts.size() - 2] == "iaqi";
  std::string leaf;
  if (!unit.empty() && !in_iaqi) {
    leaf = pollutant + suffix + (zh ? "(" + unit + ")" : " (" + unit + ")");
  } else if (!unit.empty() || pollutant == "O3") {
    leaf = pollutant;
  } else {
    leaf = one_label(last, zh);
  }
  if (parts.size() == 1) return leaf;
  // Nested: the parents' names first ("分指数 PM2.5", "排放量(kg/d) NOx", "项目 1 类别").
  std::string out;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& p = parts[i];
    const bool number =
        !p.empty() && std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
    out += (number ? std::to_string(std::stoul(p) + 1) : one_label(p, zh)) + " ";
  }
  return out + leaf;
}

std::string export_csv(const FlatTable& t, const std::string& lang) {
  std::string out(kBom);
  std::vector<std::string> header;
  header.reserve(t.columns.size());
  for (const std::string& c : t.columns) header.push_back(lang.empty() ? c : column_label(c, lang));
  out += csv_row(header);
  std::vector<std::string> cells;
  for (const auto& row : t.rows) {
    cells.clear();
    for (const json& v : row) cells.push_back(cell_text(v, lang));
    out += csv_row(cells);
  }
  return out;
}

StatusOr<std::string> export_xlsx(const FlatTable& t, const std::string& lang, const std::string& sheet) {
  const std::string l = lang.empty() ? "zh" : lang;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string path = (dir / "ecomon-export-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return internal_error("export: cannot create a temporary file in " + dir.string());
  close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // rows go to disk as written: a year of hours stays small in memory
  std::string tmpdir = dir.string();
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return internal_error("export: libxlsxwriter cannot start a workbook");
  // Sheet names: at most 31 characters, none of []:*?/\ (Excel's rule).
  std::string name;
  for (char c : sheet) name += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-';
  if (name.empty() || name.size() > 31) name = "data";
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const std::string label = column_label(t.columns[c], l);
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), label.c_str(), bold);
    // Wide enough for the header (a CJK character is about two columns).
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         std::clamp(static_cast<double>(label.size()) * 0.8, 8.0, 40.0), nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < t.rows[r].size(); ++c) {
      const json& v = t.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      if (v.is_null()) continue;
      if (v.is_number()) {
        worksheet_write_number(ws, row, col, v.get<double>(), nullptr);
      } else {
        worksheet_write_string(ws, row, col, cell_text(v, l).c_str(), nullptr);
      }
    }
  }
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
    return internal_error(std::string("export: libxlsxwriter: ") + lxw_strerror(e));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return internal_error("export: cannot read the workbook back from " + path);
  return bytes.str();
}

std::string export_file_name(const std::string& path, const std::vector<std::string>& param_values,
                             const std::string& ext) {
  constexpr size_t kMaxName = 120;
  std::string base = path.rfind("/api/", 0) == 0 ? path.substr(5) : path;
  for (char& c : base) {
    if (c == '/') c = '-';
  }
  for (const std::string& v : param_values) {
    if (!v.empty()) base += "-" + v;
  }
  std::string out;
  for (unsigned char c : base) out += safe_file_char(c) ? static_cast<char>(c) : '_';
  if (out.size() > kMaxName) {
    size_t cut = kMaxName;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.resize(cut);
  }
  if (out.empty()) out = "export";
  return out + "." + ext;
}

std::string content_disposition(const std::string& file_name) {
  std::string ascii, encoded;
  for (unsigned char c : file_name) {
    if (c < 0x80) {
      ascii += static_cast<char>(c);
    } else if ((c & 0xC0) != 0x80) {
      ascii += '_';  // one '_' per non-ASCII character (its continuation bytes add none)
    }
    if (ascii_alnum(c) || c == '-' || c == '_' || c == '.') {
      encoded += static_cast<char>(c);
    } else {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace ecomon::server
