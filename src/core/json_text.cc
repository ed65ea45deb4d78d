#include "core/json_text.h"

#include <nlohmann/json.hpp>

namespace ecomon {

std::string json_text(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ecomon
