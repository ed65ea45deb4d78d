// Small text helpers shared by the soil tables' name lookups (internal to src/soil).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace ecomon::soil {

// ASCII letters lower-cased; other bytes (UTF-8 included) unchanged.
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace ecomon::soil
