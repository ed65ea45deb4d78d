// Bytes as lower-case hex pairs and back: how blobs travel through text columns (PostgreSQL's encode(x,
// 'hex'), the store copy's rows, sealed keys).
//
//   std::string h = to_hex("\x01\xff");          // "01ff"
//   std::optional<std::string> b = from_hex(h);  // "\x01\xff"; nullopt for odd length or a non-hex digit
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ecomon {

std::string to_hex(std::string_view bytes);
// Upper- and lower-case digits; nullopt when the length is odd or a character is not a hex digit.
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace ecomon
