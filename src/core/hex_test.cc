// Hex pairs and back: every byte value, both cases read, odd lengths and non-digits refused.
#include "core/hex.h"

#include <gtest/gtest.h>

namespace ecomon {
namespace {

TEST(Hex, EveryByteRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string h = to_hex(all);
  EXPECT_EQ(h.size(), 512u);
  EXPECT_EQ(h.substr(0, 6), "000102");
  EXPECT_EQ(h.substr(506), "fdfeff");
  EXPECT_EQ(from_hex(h), all);
  EXPECT_EQ(to_hex(""), "");
  EXPECT_EQ(from_hex(""), "");
}

TEST(Hex, UpperCaseReadAndBadTextRefused) {
  EXPECT_EQ(from_hex("01FfAb"), std::string("\x01\xff\xab"));
  EXPECT_FALSE(from_hex("abc").has_value());  // odd length
  EXPECT_FALSE(from_hex("0g").has_value());   // not a digit
  EXPECT_FALSE(from_hex("0 ").has_value());
  EXPECT_FALSE(from_hex("\xff\xfe").has_value());
}

}  // namespace
}  // namespace ecomon
