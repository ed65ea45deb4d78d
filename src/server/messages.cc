// Error messages in Chinese (messages.h).
#include "server/messages.h"

#include <regex>
#include <vector>

namespace ecomon::server {
namespace {

struct Pattern {
  std::regex english;
  const char* chinese;  // $1, $2 ... are the English message's groups
};

using Table = std::vector<std::pair<const char*, const char*>>;

// The table's English patterns compiled once.
std::vector<Pattern> compiled(const Table& table) {
  std::vector<Pattern> out;
  out.reserve(table.size());
  for (const auto& [en, zh] : table) out.push_back({std::regex(en), zh});
  return out;
}

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> kPatterns = [] {
    const Table table = {
        {R"(^sign in first .*$)", "请先登录(会话 Cookie 或 Authorization: Bearer 令牌)"},
        {R"(^role (\S+) may not use this resource \(needs (\S+)\)$)", "角色 $1 无权使用此资源(需要 $2 权限)"},
        {R"(^unknown query parameter '([^']*)'$)", "未知的查询参数 '$1'"},
        {R"(^query parameter '([^']*)' is too long$)", "查询参数 '$1' 过长"},
        {R"(^query parameter '([^']*)' is required$)", "缺少查询参数 '$1'"},
        {R"(^query parameter '([^']*)' must be a whole number, got '(.*)'$)",
         "查询参数 '$1' 应为整数, 实为 '$2'"},
        {R"(^query parameter '([^']*)' must be in (\S+)$)", "查询参数 '$1' 应在 $2 范围内"},
        {R"(^query parameter 'format' must be json, csv or xlsx$)",
         "查询参数 'format' 应为 json、csv 或 xlsx"},
        {R"(^query parameter 'lang' must be zh or en$)", "查询参数 'lang' 应为 zh 或 en"},
        {R"(^query parameter '([^']*)' must be YYYY-MM, got '(.*)'$)",
         "查询参数 '$1' 应为 YYYY-MM 格式, 实为 '$2'"},
        {R"(^query parameter (\w+)=(.*) is not (YYYY-MM|YYYY-Qn)$)", "查询参数 $1=$2 不是 $3 格式"},
        {R"(^query parameter (\w+)=(.*) is out of range$)", "查询参数 $1=$2 超出范围"},
        {R"(^query parameter to=(\S+) is before query parameter from=(\S+)$)", "查询参数 to=$1 早于 from=$2"},
        {R"(^query parameters from and to go together$)", "查询参数 from 和 to 须同时给出"},
        {R"(^name the period with exactly one of the query parameters .*$)",
         "请用且只用一个查询参数指定时段: year=Y、month=YYYY-MM、quarter=YYYY-Qn、ytd=YYYY-MM-DD、"
         "date=YYYY-MM-DD 或 from=D&to=D"},
        {R"(^no resource (.*)$)", "没有资源 $1"},
        {R"(^(\S+) is not allowed on (.*)$)", "$2 不支持 $1 方法"},
        {R"(^the body is not valid JSON$)", "请求体不是有效的 JSON"},
        {R"(^the body must be a JSON object$)", "请求体必须是 JSON 对象"},
        {R"(^unknown field '([^']*)'$)", "未知字段 '$1'"},
        {R"(^field '([^']*)' must be a string$)", "字段 '$1' 必须是字符串"},
        {R"(^field '([^']*)' is required$)", "缺少字段 '$1'"},
        {R"(^missing or wrong X-CSRF-Token for this session$)", "缺少或错误的 X-CSRF-Token"},
        {R"(^unknown API token$)", "未知的 API 令牌"},
        {R"(^the server is busy; retry shortly$)", "服务器繁忙, 请稍后重试"},
    };
    return compiled(table);
  }();
  return kPatterns;
}

const std::vector<Pattern>& reason_parts() {
  static const std::vector<Pattern> kParts = [] {
    const Table table = {
        {R"(^no online monitoring and no inspection recorded during the warning$)",
         "预警期间既无在线监测数据, 也无现场检查记录"},
        {R"(^inspected (.+) by (.+): (.*)$)", "$1 由 $2 现场检查: $3"},
        {R"(^fewer than (\d+) valid hours in a period$)", "有时段的有效小时数少于 $1"},
        {R"(^every monitored pollutant cut as required$)", "各监测污染物均按要求减排"},
        {R"(^(\S+) load cut (-?[\d.]+) % < required ([\d.]+) %$)", "$1 排放量削减 $2 %, 低于要求的 $3 %"},
        {R"(^no (\d+) days > (\d+) in a row$)", "未出现连续 $1 天 AQI > $2"},
        {R"(^(\d+) days > (\d+) \((\S+)\.\.(\S+)\)$)", "$3 至 $4 连续 $1 天 AQI > $2"},
        {R"(^(\d+) days > (\d+) \((\S+)\.\.(\S+)\), (\d+) of them > (\d+)$)",
         "$3 至 $4 连续 $1 天 AQI > $2, 其中 $5 天 > $6"},
        {R"(^(\d+) days > (\d+) \((\S+)\.\.(\S+)\), (\d+) of them > (\d+), reaching (\d+)$)",
         "$3 至 $4 连续 $1 天 AQI > $2, 其中 $5 天 > $6, 最高达到 $7"},
        {R"(^(\d+) days > (\d+) \((\S+)\.\.(\S+)\), reaching (\d+)$)",
         "$3 至 $4 连续 $1 天 AQI > $2, 最高达到 $5"},
        {R"(^AQI <= (\d+) for the first (\d+) forecast days \(>= (\d+) h\)$)",
         "预报前 $2 天 AQI <= $1 (不少于 $3 小时)"},
        {R"(^a new (yellow|orange|red) episode is forecast: (.*)$)", "预报出现新的$1过程: $2"},
        {R"(^heavy days continue: keep (yellow|orange|red)$)", "重污染持续: 维持$1预警"},
    };
    return compiled(table);
  }();
  return kParts;
}

std::string level_zh(std::string s) {
  for (const auto& [en, zh] :
       {std::pair{"yellow", "黄色"}, std::pair{"orange", "橙色"}, std::pair{"red", "红色"}}) {
    for (size_t p = s.find(en); p != std::string::npos; p = s.find(en, p + 1))
      s.replace(p, std::string(en).size(), zh);
  }
  return s;
}

std::optional<std::string> part_zh(const std::string& part) {
  for (const Pattern& p : reason_parts()) {
    std::smatch m;
    if (!std::regex_match(part, m, p.english)) continue;
    std::string out = m.format(p.chinese);
    // An embedded episode reason ("a new orange episode is forecast: 3 days > 200 (...)") is translated too.
    if (const size_t colon = out.find(": "); colon != std::string::npos && part.rfind("a new ", 0) == 0) {
      auto inner = part_zh(out.substr(colon + 2));
      if (!inner) return std::nullopt;
      out = out.substr(0, colon + 2) + *inner;
    }
    return level_zh(out);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> reason_zh(const std::string& english) {
  std::string out;
  size_t pos = 0;
  while (pos <= english.size()) {
    size_t end = english.find("; ", pos);
    if (end == std::string::npos) end = english.size();
    auto zh = part_zh(english.substr(pos, end - pos));
    if (!zh) return std::nullopt;
    if (!out.empty()) out += "; ";
    out += *zh;
    pos = end + 2;
  }
  return out;
}

std::optional<std::string> message_zh(const std::string& english) {
  for (const Pattern& p : patterns()) {
    std::smatch m;
    if (std::regex_match(english, m, p.english)) return m.format(p.chinese);
  }
  return std::nullopt;
}

}  // namespace ecomon::server
