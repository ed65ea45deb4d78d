#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace ecomon {
namespace {

// The length of the well-formed sequence starting at text[i], or 0 when the bytes there are ill-formed.
// `maximal` receives the length of the maximal ill-formed subpart (at least 1) when 0 is returned.
size_t sequence_length(std::string_view text, size_t i, size_t* maximal) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(i);
  size_t need = 0;
  uint8_t lo = 0x80;
  uint8_t hi = 0xBF;  // the allowed range of the second byte (Unicode Table 3-7)
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 == 0xE0) {
    need = 2, lo = 0xA0;
  } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
    need = 2;
  } else if (b0 == 0xED) {
    need = 2, hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 == 0xF0) {
    need = 3, lo = 0x90;
  } else if (b0 >= 0xF1 && b0 <= 0xF3) {
    need = 3;
  } else if (b0 == 0xF4) {
    need = 3, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *maximal = 1;
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    const uint8_t lower = k == 1 ? lo : 0x80;
    const uint8_t upper = k == 1 ? hi : 0xBF;
    if (i + k >= text.size() || byte(i + k) < lower || byte(i + k) > upper) {
      *maximal = k;
      return 0;
    }
  }
  return need + 1;
}

// Skips the ASCII prefix eight bytes at a time.
size_t ascii_prefix(std::string_view text, size_t i) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (i + 8 <= text.size()) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (word & kHighBits) break;
    i += 8;
  }
  while (i < text.size() && static_cast<uint8_t>(text[i]) < 0x80) ++i;
  return i;
}

}  // namespace

std::optional<size_t> first_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (true) {
    i = ascii_prefix(text, i);
    if (i >= text.size()) return std::nullopt;
    size_t maximal = 0;
    const size_t n = sequence_length(text, i, &maximal);
    if (n == 0) return i;
    i += n;
  }
}

std::optional<InvalidField> first_invalid_utf8_field(const std::vector<std::string>& fields) {
  for (size_t f = 0; f < fields.size(); ++f) {
    if (auto bad = first_invalid_utf8(fields[f])) return InvalidField{f, *bad};
  }
  return std::nullopt;
}

namespace {

template <typename OnBad>
std::string rewrite(std::string_view text, OnBad on_bad) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    i = ascii_prefix(text, i);
    size_t maximal = 0;
    while (i < text.size()) {
      const size_t n = sequence_length(text, i, &maximal);
      if (n == 0) break;
      i += n;
    }
    out.append(text.substr(start, i - start));
    if (i >= text.size()) break;
    on_bad(out, text.substr(i, maximal));
    i += maximal;
  }
  return out;
}

}  // namespace

std::string replace_invalid_utf8(std::string_view text) {
  if (!first_invalid_utf8(text)) return std::string(text);
  return rewrite(text, [](std::string& out, std::string_view) { out += "\xEF\xBF\xBD"; });
}

std::string escape_invalid_utf8(std::string_view text) {
  if (!first_invalid_utf8(text)) return std::string(text);
  return rewrite(text, [](std::string& out, std::string_view bad) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : bad) {
      const auto b = static_cast<uint8_t>(c);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  });
}

std::string describe_invalid_utf8(std::string_view text, size_t offset) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s = "byte " + std::to_string(offset + 1);
  if (offset < text.size()) {
    const auto b = static_cast<uint8_t>(text[offset]);
    s += " (0x";
    s += kHex[b >> 4];
    s += kHex[b & 0xF];
    s += ")";
  }
  s += " is not valid UTF-8";
  return s;
}

}  // namespace ecomon
