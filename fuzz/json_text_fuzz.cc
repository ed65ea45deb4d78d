// libFuzzer target for the one JSON writer (core/json_text.h): random bytes as JSON strings, keys included.
//
// The input is cut at 0x00 bytes into pieces; they become the keys and values of an object, the elements of
// an array inside it and a lone string, so that bad bytes sit in every position a stored text can take.
// Checked:
//  - json_text never throws, compact or pretty;
//  - what it writes is UTF-8 and nlohmann parses it back;
//  - a piece that was UTF-8 comes back unchanged; one that was not comes back as replace_invalid_utf8 made
//  it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "core/utf8.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start <= input.size()) {
    const size_t end = input.find('\0', start);
    pieces.emplace_back(
        input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  nlohmann::json j = nlohmann::json::object();
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i + 1 < pieces.size(); i += 2) j[pieces[i]] = pieces[i + 1];
  for (const std::string& p : pieces) list.push_back(p);
  j["\x01list"] = list;
  for (const int indent : {-1, 2}) {
    std::string out;
    try {
      out = ecomon::json_text(j, indent);
    } catch (...) {
      std::abort();  // the writer must not throw
    }
    require(ecomon::is_valid_utf8(out));
    const nlohmann::json back = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
    require(!back.is_discarded());
    const nlohmann::json& items = back.at("\x01list");
    require(items.size() == pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) {
      require(items[i].get<std::string>() == ecomon::replace_invalid_utf8(pieces[i]));
    }
  }
  const std::string lone = ecomon::json_text(nlohmann::json(std::string(input)));
  require(nlohmann::json::parse(lone).get<std::string>() == ecomon::replace_invalid_utf8(input));
  return 0;
}
