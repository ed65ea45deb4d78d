// UTF-8 at the platform's boundaries: every text that enters ecomon (HTTP, CSV cells, HJ 212 CP text,
// command-line arguments) is checked here and refused when it is not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF); text that is already stored by an older version is written
// out with its bad bytes replaced or escaped, never passed on raw.
//
//   if (auto bad = first_invalid_utf8(cell)) report("byte " + std::to_string(*bad) + " is not UTF-8");
//   std::string shown = escape_invalid_utf8("a\xffz");    // "a\\xFFz"  (for terminals and tables)
//   std::string kept  = replace_invalid_utf8("a\xffz");   // "a\uFFFDz" (U+FFFD, for JSON and stored text)
//
// Pure functions, no allocation except the returned strings; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecomon {

// The byte offset of the first byte that does not start or continue a well-formed sequence; nullopt when
// the whole text is UTF-8. A sequence cut off by the end of the text is invalid at its first byte.
std::optional<size_t> first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text).has_value(); }

// The index of the first field that is not UTF-8, and the byte offset inside it (for "file:line [column]").
struct InvalidField {
  size_t field = 0;
  size_t offset = 0;
};
std::optional<InvalidField> first_invalid_utf8_field(const std::vector<std::string>& fields);

// Each maximal ill-formed subsequence becomes U+FFFD (the Unicode "substitution of maximal subparts"
// practice, as WHATWG's decoder does).
std::string replace_invalid_utf8(std::string_view text);

// Each byte of an ill-formed subsequence becomes the four characters \xHH; well-formed text is unchanged.
std::string escape_invalid_utf8(std::string_view text);

// A short, printable description of where text stops being UTF-8: "byte 3 (0xFF)".
std::string describe_invalid_utf8(std::string_view text, size_t offset);

}  // namespace ecomon
