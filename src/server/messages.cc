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

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> kPatterns = [] {
    const std::vector<std::pair<const char*, const char*>> table = {
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
    std::vector<Pattern> out;
    out.reserve(table.size());
    for (const auto& [en, zh] : table) out.push_back({std::regex(en), zh});
    return out;
  }();
  return kPatterns;
}

}  // namespace

std::optional<std::string> message_zh(const std::string& english) {
  for (const Pattern& p : patterns()) {
    std::smatch m;
    if (std::regex_match(english, m, p.english)) return m.format(p.chinese);
  }
  return std::nullopt;
}

}  // namespace ecomon::server
