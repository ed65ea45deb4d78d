#include "sources/sources_format.h"

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace ecomon {

nlohmann::json source_cp_json(const std::string& stored_cp) {
  const std::string cp = is_valid_utf8(stored_cp) ? stored_cp : replace_invalid_utf8(stored_cp);
  nlohmann::json j = nlohmann::json::object();
  size_t pos = 0;
  while (pos <= cp.size()) {
    size_t end = cp.find_first_of(";,", pos);
    if (end == std::string::npos) end = cp.size();
    std::string item = cp.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    size_t dash = key.find('-');
    if (dash == std::string::npos) {
      j[key] = value;
    } else {
      j[key.substr(0, dash)][key.substr(dash + 1)] = value;
    }
  }
  return j;
}

nlohmann::json source_command_json(const SourceCommand& c) {
  auto ms = [](int64_t v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  auto rtn = [](int v) { return v ? nlohmann::json(v) : nlohmann::json(); };
  return {{"id", c.id},
          {"mn", c.mn},
          {"command", c.name},
          {"cn", c.cn},
          {"argument", c.argument},
          {"state", c.state},
          {"qn", c.qn},
          {"attempts", c.attempts},
          {"created_ms", c.created_ms},
          {"created_by", c.created_by},
          {"sent_ms", ms(c.sent_ms)},
          {"finished_ms", ms(c.finished_ms)},
          {"qn_rtn", rtn(c.qn_rtn)},
          {"exe_rtn", rtn(c.exe_rtn)},
          {"result", c.result},
          {"detail", c.detail}};
}

}  // namespace ecomon
