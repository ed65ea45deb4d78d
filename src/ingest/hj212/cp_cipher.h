// HJ 212-2025 §6.4 data-area encryption: SM4 (GB/T 32907), 16-byte key, ECB, no padding, applied to the bytes
// between "CP=&&" and the closing "&&" only. Every whole 16-byte block is encrypted; a tail shorter than 16
// bytes stays in clear (App. A.2 example 4: a 147-byte CP is 9 blocks + "g=N"). Ciphertext length equals
// plaintext length; the frame's CRC is over the PLAINTEXT data segment (App. A.2: the encrypted examples
// carry the plaintext CRCs 2200 / B541). Source: /work/shared/spec/11_hj212_2025.md §2.1 and §3.4
// (CONFIRMED-std).
//
//   hj212::CpKey key = hj212::CpKey::from_text("0000000000000000");   // the standard's test key
//   StatusOr<std::string> clear = hj212::decrypt_cp(key, cipher_bytes);
//
// The cipher is OpenSSL 3's "SM4-ECB" behind this small interface (the codec stays bytes in, bytes out; the
// fuzz target runs it). Pure and thread-safe: each thread keeps its own cipher context.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ecomon::hj212 {

inline constexpr size_t kSm4BlockSize = 16;
inline constexpr size_t kSm4KeySize = 16;

// An SM4 session key (SK).
struct CpKey {
  std::array<uint8_t, kSm4KeySize> bytes{};

  // The 16 bytes of text as the key (the standard's test key is 16 × '0' = 0x30). nullopt unless 16 bytes.
  static std::optional<CpKey> from_text(std::string_view text);
  // 32 hex digits. nullopt otherwise.
  static std::optional<CpKey> from_hex(std::string_view hex);
  bool operator==(const CpKey&) const = default;
};

// Decrypts the whole 16-byte blocks of `bytes` and keeps the tail in clear. Fails only when the cipher is
// unavailable (OpenSSL without SM4).
StatusOr<std::string> decrypt_cp(const CpKey& key, std::string_view bytes);
// Encrypts the whole 16-byte blocks of `bytes` and keeps the tail in clear.
StatusOr<std::string> encrypt_cp(const CpKey& key, std::string_view bytes);
// In place, for the decoder's hot path (no allocation once the thread's context exists). False when the
// cipher is unavailable.
bool sm4_ecb_blocks(const CpKey& key, bool encrypt, const char* in, size_t n, char* out);

// Form B of an encrypted CP area as the standard prints it ("{0xE4,0x3E,...}" + clear tail, App. A.2): the
// ciphertext bytes of the list followed by the tail. nullopt when `text` does not start with a well-formed
// list. *consumed (optional) receives how many characters of text the list took ("{...}" included).
std::optional<std::string> parse_hex_list(std::string_view text, size_t* consumed = nullptr);
// Writes bytes as "{0xE4,0x3E,...}" (upper-case hex), the form B text of the whole blocks.
std::string format_hex_list(std::string_view bytes);

}  // namespace ecomon::hj212
