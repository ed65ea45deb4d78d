// SM4-ECB of HJ 212-2025 §6.4 against the GB/T 32907 vector and the standard's App. A.2 example (key 16 ×
// 0x30), as re-derived in /work/shared/spec/11_hj212_2025.md §3.4.
#include "ingest/hj212/cp_cipher.h"

#include <gtest/gtest.h>

#include <string>

namespace ecomon::hj212 {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    out += kHex[static_cast<uint8_t>(c) >> 4];
    out += kHex[static_cast<uint8_t>(c) & 0xF];
  }
  return out;
}

// App. A.2 example 1: the 208-byte CP content of O2 (13 blocks) and the published ciphertext (§3.4).
constexpr std::string_view kO2Cp =
    "DataTime=20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;"
    "a01012-Min=9.3,a01012-Avg=9.3,a01012-Max=9.3,a01012-Flag=N;"
    "a01014-Min=3.20,a01014-Avg=3.211,a01014-Max=3.212,a01014-Flag=N";
constexpr std::string_view kO2Cipher =
    "E43E159ACFAB242CB53155FB8B9281A1A242577ABFAED881BE88B72D69FC55ED"
    "1A80119FAAC8B3CD33D285CC76F57F2CA7F88B9573C6647E0F07E24609BD6B63"
    "EB20C5B9784F28E71D2F4994FF61D9E1C2B3075592B4D1E09C4D8BB27BE97B55"
    "9E3DA6643781A6F477769DEEB009B10DFFF3426922725D607DC4480F0CAC5F70"
    "DB2587B124BCB281592721D6E4BC180A97E5E111499CBE822E31C8D776155354"
    "3AA24207C290997BBDE64F9266BC5F529A172E381C1D898CA1A0D771A914A7B2"
    "D7467C70B94F1D4A7B0350A48DBF8B41";

TEST(CpCipherTest, GbT32907Vector) {
  const CpKey key = *CpKey::from_hex("0123456789abcdeffedcba9876543210");
  StatusOr<std::string> c = encrypt_cp(key, from_hex("0123456789abcdeffedcba9876543210"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(to_hex(*c), "681EDF34D206965E86B3E94F536E4246");
}

TEST(CpCipherTest, StandardExampleEncryptsToThePublishedCiphertext) {
  const CpKey key = *CpKey::from_text("0000000000000000");
  EXPECT_EQ(key.bytes[0], 0x30);
  ASSERT_EQ(kO2Cp.size(), 208U);
  StatusOr<std::string> c = encrypt_cp(key, kO2Cp);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(to_hex(*c), kO2Cipher);
  // The ciphertext holds CR at offset 111 and LF at 143 (§2.3): framing must not look for them.
  EXPECT_EQ((*c)[111], '\r');
  EXPECT_EQ((*c)[143], '\n');
  StatusOr<std::string> p = decrypt_cp(key, from_hex(kO2Cipher));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, kO2Cp);
}

TEST(CpCipherTest, TailShorterThanABlockStaysClear) {
  // App. A.2 example 3/4: 147 bytes = 9 blocks + "g=N" in clear, the ciphertext ending 0x8A,0x0D,0x03,0xA4.
  constexpr std::string_view kO3Cp =
      "DataTime=20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;"
      "a01014-Min=3.20,a01014-Avg=3.20,a01014-Max=3.20,a01014-Flag=N";
  ASSERT_EQ(kO3Cp.size(), 147U);
  const CpKey key = *CpKey::from_text("0000000000000000");
  StatusOr<std::string> c = encrypt_cp(key, kO3Cp);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->substr(144), "g=N");
  EXPECT_EQ(to_hex(c->substr(140, 4)), "8A0D03A4");
  EXPECT_EQ(*decrypt_cp(key, *c), kO3Cp);
  EXPECT_EQ(*encrypt_cp(key, "short"), "short");
}

TEST(CpCipherTest, HexList) {
  size_t used = 0;
  std::optional<std::string> b = parse_hex_list("{0xE4,0x3e}g=N", &used);
  ASSERT_TRUE(b);
  EXPECT_EQ(used, 11U);
  EXPECT_EQ(*b, std::string("\xE4\x3E") + "g=N");
  EXPECT_EQ(format_hex_list("\xE4\x3E"), "{0xE4,0x3E}");
  for (std::string_view bad : {"", "{}", "{0xE4", "{0xE4,}", "{0xG4}", "{E4}", "{0xE4;0x3E}"})
    EXPECT_FALSE(parse_hex_list(bad)) << bad;
  EXPECT_FALSE(CpKey::from_text("short"));
  EXPECT_FALSE(CpKey::from_hex("zz"));
}

}  // namespace
}  // namespace ecomon::hj212
