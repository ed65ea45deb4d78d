// UTF-8 checks: each case worked out from RFC 3629 §4 (the byte ranges) and Unicode 15 Table 3-7; the
// replacement follows "U+FFFD Substitution of Maximal Subparts" (Unicode §3.9, the W3C/WHATWG practice).
#include "core/utf8.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace ecomon {
namespace {

TEST(Utf8, WellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII, longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("晋城市 PM2.5 µg/m³ Ⅴ类 ℃"));
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));  // NUL is a character (paths refuse it apart)
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));           // U+1F600, four bytes
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));               // U+D7FF, just below the surrogates
}

TEST(Utf8, IllFormedAtTheRightOffset) {
  EXPECT_EQ(first_invalid_utf8("\xff"), 0u);
  EXPECT_EQ(first_invalid_utf8("ab\xc3"), 2u);            // cut after the lead byte
  EXPECT_EQ(first_invalid_utf8("\xe6\x99"), 0u);          // 晋 (E6 99 8B) cut in the middle
  EXPECT_EQ(first_invalid_utf8("0123456789\x80"), 10u);   // a lone continuation byte after the fast path
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0u);      // overlong, three bytes
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0u);      // U+D800, a surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(first_invalid_utf8("\xF5\x80\x80\x80"), 0u);  // F5 never appears
  EXPECT_EQ(first_invalid_utf8("晋\xff"), 3u);
}

TEST(Utf8, Fields) {
  auto bad = first_invalid_utf8_field({"ok", "城区", "x\xfey"});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->field, 2u);
  EXPECT_EQ(bad->offset, 1u);
  EXPECT_FALSE(first_invalid_utf8_field({"a", "晋城"}));
}

TEST(Utf8, ReplaceMaximalSubparts) {
  EXPECT_EQ(replace_invalid_utf8("a\xffz"), "a\xEF\xBF\xBDz");
  // E6 99 is one maximal subpart (a valid prefix of 晋) → one U+FFFD; FF FE are two.
  EXPECT_EQ(replace_invalid_utf8("\xe6\x99|\xff\xfe"), "\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD");
  // ED A0 80: ED's second byte must be 80..9F, so ED alone is a subpart, then A0 and 80 each.
  EXPECT_EQ(replace_invalid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(replace_invalid_utf8("晋城"), "晋城");
}

TEST(Utf8, Escape) {
  EXPECT_EQ(escape_invalid_utf8("a\xffz"), "a\\xFFz");
  EXPECT_EQ(escape_invalid_utf8("\xe6\x99"), "\\xE6\\x99");
  EXPECT_EQ(escape_invalid_utf8("城区"), "城区");
  EXPECT_EQ(describe_invalid_utf8("ab\xff", 2), "byte 3 (0xFF) is not valid UTF-8");
}

TEST(JsonText, NeverThrowsOnBadBytes) {
  nlohmann::json j = {{"name",
                       "\xff\xfe"
                       "BAD"},
                      {"ok", "晋城"}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what aborted the server before
  EXPECT_EQ(json_text(j),
            "{\"name\":\"\xEF\xBF\xBD\xEF\xBF\xBD"
            "BAD\",\"ok\":\"晋城\"}");
  EXPECT_EQ(json_text(nlohmann::json::array({1, 2}), 1), "[\n 1,\n 2\n]");
}

}  // namespace
}  // namespace ecomon
